"""Perfusion cut-offs: ABI computation and bands, TBI bands, and the SVS WIfI ischaemia grades."""

from dataclasses import dataclass

from limbsalvage.core.sources import Source, Table

MILLS_2014 = Source(
    citation=(
        "Mills JL Sr, Conte MS, Armstrong DG, et al. The Society for Vascular Surgery Lower "
        "Extremity Threatened Limb Classification System: risk stratification based on Wound, "
        "Ischemia, and foot Infection (WIfI). J Vasc Surg 2014;59:220–34"
    ),
    doi="10.1016/j.jvs.2013.08.003",
)

ABOYANS_2012 = Source(
    citation=(
        "Aboyans V, Criqui MH, Abraham P, et al. Measurement and interpretation of the "
        "ankle-brachial index: a scientific statement from the American Heart Association. "
        "Circulation 2012;126:2890–909"
    ),
    doi="10.1161/CIR.0b013e318276fbcb",
)

AHA_ACC_2016 = Source(
    citation=(
        "Gerhard-Herman MD, Gornik HL, Barrett C, et al. 2016 AHA/ACC guideline on the "
        "management of patients with lower extremity peripheral artery disease. "
        "Circulation 2017;135:e726–79"
    ),
    doi="10.1161/CIR.0000000000000471",
)

IWGDF_2023 = Source(
    citation=(
        "Fitridge R, Chuter V, Mills J, et al. The intersocietal IWGDF, ESVS, SVS guidelines on "
        "peripheral artery disease in people with diabetes and a foot ulcer. "
        "J Vasc Surg 2023;78:1101–31"
    ),
    doi="10.1016/j.jvs.2023.07.020",
)

WIFI_ISCHEMIA = Table(
    table_id="svs-wifi-ischemia",
    version="2014.1",
    source=MILLS_2014,
    locator="Table II, Ischemia (I) component and its footnotes",
    checked=(
        "The primary PDF is not in our stored corpus. Cells compared in two reproductions: "
        "Ghirardini F, Martini R. Medicina 2024;60:1179, Table 2 (PMC11279131) and the project's "
        "CLINICAL_NOTES map; both agree on every band (I0 ABI ≥0.80, AP >100, TP/TcPO2 ≥60; "
        "I1 0.60–0.79, 70–100, 40–59; I2 0.40–0.59, 50–70, 30–39; I3 below 0.40, <50, <30). "
        "The rules for which measure governs (toe pressure preferred in diabetes because the ABI "
        "is often falsely elevated; TcPO2, SPP or flat forefoot PVR if no toe pressure) read in a "
        "transcription of the paper's recommendations (medsquares.com, svsletl 2014). The "
        "footnote 'if TP and ABI give different grades, TP is the primary determinant' and the "
        "'ABI incompressible (>1.3)' column note are the paper's as widely cited; not re-read "
        "in the primary here. One public textbook page (medicaltextbook.ai) prints TP/TcPO2 "
        "≥40 as I0 and 30–39 as I1: it contradicts both reproductions and is rejected."
    ),
)

ABI_BANDS = Table(
    table_id="aha-abi-bands",
    version="2012.1",
    source=ABOYANS_2012,
    locator=(
        "recommendations on ABI calculation and interpretation; same bands in the 2016 AHA/ACC "
        "PAD guideline, Table 5, and its Figure 2"
    ),
    checked=(
        "Bands (≤0.90 abnormal, 0.91–0.99 borderline, 1.00–1.40 normal, >1.40 non-compressible) "
        "read in the 2016 AHA/ACC guideline's pocket guide (guidelinecentral.com, Table 5 and "
        "Figure 2); the calculation (higher of dorsalis pedis and posterior tibial over the "
        "higher brachial, per leg) read in two secondary descriptions and is the AHA 2012 "
        "statement's recommendation as widely cited. The 2024 ACC/AHA guideline keeps the same "
        "bands (not re-read here). IWGDF 2023 uses 0.90–1.30 as the range where PAD is less "
        "likely in diabetes; we keep the AHA bands and note the difference."
    ),
)

TBI_BANDS = Table(
    table_id="tbi-bands",
    version="2023.1",
    source=IWGDF_2023,
    locator="recommendations on bedside tests (TBI ≥0.70 makes PAD less likely)",
    checked=(
        "IWGDF 2023 reading (TBI ≥0.70 with ABI 0.9–1.3 and tri/biphasic waveforms makes PAD "
        "less likely) from the project's CLINICAL_NOTES and the IWGDF 2019 text; the 2015 IWGDF "
        "guidance used ≥0.75. The 2016 AHA/ACC guideline Figure 2 (pocket guide) calls TBI "
        "≤0.70 abnormal and >0.70 normal: the two disagree at exactly 0.70."
    ),
)


@dataclass(frozen=True)
class Cut:
    """A cut-off a value must reach: at or above `value` when inclusive, else strictly above."""

    value: float
    inclusive: bool

    def met(self, number: float) -> bool:
        """Whether the number reaches this cut-off."""
        return number >= self.value if self.inclusive else number > self.value


@dataclass(frozen=True)
class IschemiaBands:
    """One column of the SVS ischaemia table: the cut-offs for I0, I1 and I2 (else I3)."""

    measure: str
    unit: str
    cuts: tuple[Cut, Cut, Cut]
    printed: tuple[str, str, str, str]

    def grade(self, number: float) -> int:
        """The ischaemia grade 0–3: 3 minus the number of cut-offs reached (they are nested)."""
        return 3 - sum(cut.met(number) for cut in self.cuts)


# Each band runs from its printed lower cut-off up to, not including, the next one
# (the table prints two decimals / whole mmHg, leaving gaps such as 0.79…0.80 and 59…60).
ABI_WIFI = IschemiaBands(
    measure="abi",
    unit="",
    cuts=(Cut(0.80, True), Cut(0.60, True), Cut(0.40, True)),
    printed=("≥0.80", "0.60–0.79", "0.40–0.59", "below 0.40"),
)
# The table prints 70 mmHg in both I1 (70–100) and I2 (50–70). We read 70 as I1: every other
# band of the table includes its lower bound, and TASC II / PARC define tissue-loss CLI as
# ankle pressure below 70 mmHg, so 70 itself is the milder side.
ANKLE_PRESSURE_WIFI = IschemiaBands(
    measure="ankle_pressure",
    unit="mmHg",
    cuts=(Cut(100.0, False), Cut(70.0, True), Cut(50.0, True)),
    printed=(">100 mmHg", "70–100 mmHg", "50–70 mmHg", "<50 mmHg"),
)
TOE_PRESSURE_WIFI = IschemiaBands(
    measure="toe_pressure",
    unit="mmHg",
    cuts=(Cut(60.0, True), Cut(40.0, True), Cut(30.0, True)),
    printed=("≥60 mmHg", "40–59 mmHg", "30–39 mmHg", "<30 mmHg"),
)
TCPO2_WIFI = IschemiaBands(
    measure="tcpo2",
    unit="mmHg",
    cuts=(Cut(60.0, True), Cut(40.0, True), Cut(30.0, True)),
    printed=("≥60 mmHg", "40–59 mmHg", "30–39 mmHg", "<30 mmHg"),
)

# SVS WIfI: 'measure TP or TcPO2 if ABI incompressible (>1.3)'. Above this the ankle
# measures are set aside for grading. AHA 2012 / ACC-AHA call an ABI non-compressible only
# above 1.40; IWGDF 2023 also uses 1.3 as the upper limit of a reassuring ABI in diabetes.
WIFI_ABI_INCOMPRESSIBLE_ABOVE = 1.30

# AHA bands: abnormal ≤0.90; borderline 0.91–0.99; normal 1.00–1.40; non-compressible >1.40.
# Unrounded ABIs between the printed bands: above 0.90 and below 1.00 is borderline.
ABI_ABNORMAL_AT_OR_BELOW = 0.90
ABI_NORMAL_FROM = 1.00
ABI_NON_COMPRESSIBLE_ABOVE = 1.40

# TBI: abnormal below 0.70 (IWGDF 2023; the brief of issue 2). AHA/ACC 2016 reads 0.70 itself
# as abnormal (≤0.70); we keep IWGDF's reading and say so in every result at that edge.
TBI_NORMAL_FROM = 0.70
TBI_AHA_ABNORMAL_AT_OR_BELOW = 0.70

# Accepted input ranges (outside them a value is an entry or device error, never graded).
# Doppler cuffs are inflated to about 300 mmHg; vessels that do not occlude are recorded as
# non-compressible rather than as a higher number.
ANKLE_PRESSURE_RANGE_MMHG = (0.0, 300.0)
BRACHIAL_PRESSURE_RANGE_MMHG = (50.0, 300.0)
TOE_PRESSURE_RANGE_MMHG = (0.0, 250.0)
# Room-air TcPO2 does not exceed arterial PO2 (about 100 mmHg at sea level).
TCPO2_RANGE_MMHG = (0.0, 150.0)
# The largest ratio the accepted pressures can produce (300 / 50); anything above 1.40 is
# non-compressible anyway, so this bound only rejects impossible entries.
ABI_RANGE = (0.0, 6.0)
# A measured ABI and one computed from the same limb's pressures are taken to agree within
# 0.01 (ABI is reported to two decimals, AHA 2012); more than that is a conflict.
ABI_AGREEMENT_TOLERANCE = 0.01
# A recorded ankle pressure and the higher of DP/PT agree within 1 mmHg (whole-mmHg readings).
ANKLE_PRESSURE_AGREEMENT_TOLERANCE_MMHG = 1.0
