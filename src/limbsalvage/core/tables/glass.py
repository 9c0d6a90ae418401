"""GLASS (Global Limb Anatomic Staging System): segment grade cut-offs, stage matrix, outcomes.

Every number below is from the Global Vascular Guidelines (Conte 2019), GLASS section. Where public
reproductions disagree, both readings are kept here and the chosen one is named with the reason.
"""

from fractions import Fraction

from limbsalvage.core.sources import Source, Table

GVG_2019 = Source(
    citation=(
        "Conte MS, Bradbury AW, Kolh P, et al. Global Vascular Guidelines on the management of "
        "chronic limb-threatening ischemia. J Vasc Surg 2019;69(6S):3S–125S.e40"
    ),
    doi="10.1016/j.jvs.2019.02.016",
)

LIANG_2021 = Source(
    citation=(
        "Liang P, Marcaccio CL, Darling JD, et al. Validation of the Global Limb Anatomic Staging "
        "System in first-time lower extremity revascularization. J Vasc Surg 2021;73:1683–91.e1"
    ),
    doi="10.1016/j.jvs.2020.08.151",
)

_REPRODUCTIONS = (
    "(a) a public JavaScript GLASS calculator that states it transcribes the GVG (FP/IP grade "
    "text, matrix, stage estimates); (b) the GLASS field comments of a public R cleaning script "
    "for Vascular Quality Initiative infra-inguinal data (FP/IP/pedal grade text, no matrix); "
    "(c) the public CLTI-Diagnosis web app (Ukrainian; grade text, matrix, stage estimates); "
    "(d) the project's CLINICAL_NOTES.md summary; (e) Fathima S et al. Indian J Vasc Endovasc "
    "Surg 2022;9:85–8 (stage II predicted technical failure 'lesser than 20%')"
)

GLASS_DEFINITIONS = Table(
    table_id="glass-definitions",
    version="2019.1",
    source=GVG_2019,
    locator="GLASS section, Table 5.1 (key definitions and assumptions)",
    checked=(
        "Read in the primary (PMC author manuscript PMC8365864, Table 5.1): target arterial path, "
        "limb-based patency, inflow considered separately, worst attribute defines the segment "
        "grade, severe calcification raises the within-segment grade by 1, IM (pedal) modifier "
        "describes outflow into the foot."
    ),
)

GLASS_SEGMENT_GRADES = Table(
    table_id="glass-segment-grades",
    version="2019.1",
    source=GVG_2019,
    locator="GLASS section, femoropopliteal and infrapopliteal grading figures (grades 0–4)",
    checked=(
        "The grading figures are images in the primary; their legend (trifurcation = end of the "
        "popliteal artery at the anterior tibial / tibioperoneal trunk confluence) was read in "
        "PMC8365864, the cut-offs were read in reproductions " + _REPRODUCTIONS + ". (a) and (b) "
        "agree on every cut-off; (c) and (b) differ on some cells, see the provenance notes."
    ),
)

GLASS_STAGE_MATRIX = Table(
    table_id="glass-stage-matrix",
    version="2019.1",
    source=GVG_2019,
    locator="GLASS section, stage assignment figure (FP grade 0–4 × IP grade 0–4 → stage I–III)",
    checked=(
        "Matrix figure is an image in the primary; all 25 cells read in reproductions (a) and (c) "
        "and they agree cell for cell, FP 0 × IP 0 included (no stage)."
    ),
)

GLASS_STAGE_OUTCOMES = Table(
    table_id="glass-stage-outcomes",
    version="2019.1",
    source=GVG_2019,
    locator=(
        "GLASS section, stage figure: expected immediate technical failure and 1-year limb-based "
        "patency of an endovascular attempt at the target arterial path"
    ),
    checked=(
        "Read in reproductions (a), (c), (d) and (e); (c) gives stage II technical failure as "
        "10–20%, (a), (d) and (e) give <20%; we use <20%."
    ),
)

GLASS_IM_MODIFIER = Table(
    table_id="glass-im-modifier",
    version="2019.1",
    source=GVG_2019,
    locator="GLASS section, inframalleolar (pedal) modifier P0–P2",
    checked=(
        "Table 5.1 (primary) defines what the modifier describes; P0/P1/P2 wording read in "
        "reproductions (a) and (b), which agree. Reported beside the stage, never an input to it."
    ),
)

# ── Segment grades ──────────────────────────────────────────────────────────────────────────
# The worst attribute present in a segment defines its grade (Table 5.1).
LOWEST_GRADE = 0
HIGHEST_GRADE = 4
# Severe calcification raises the within-segment grade by one, capped at the top grade (Table 5.1);
# "severe" = >50% of the circumference, diffuse, bulky or "coral reef" (reproduction (a)).
CALCIFICATION_STEP = 1

# Femoropopliteal (SFA + popliteal). The SFA extent is given both as a fraction of the SFA and in
# cm (1/3 ≈ 10 cm, 2/3 ≈ 20 cm, i.e. an SFA of about 30 cm — our reading of the pairing).
# Fractions are exact so that a percentage is compared without rounding.
SFA_EXTENT_FRACTIONS = (Fraction(1, 3), Fraction(2, 3))  # <1/3 → 1; 1/3–2/3 → 2; >2/3 → 3
SFA_EXTENT_CM = (10.0, 20.0)  # <10 → 1; 10–20 → 2; >20 → 3
SFA_FOCAL_OCCLUSION_CM = 5.0  # grade 1 allows one focal non-flush occlusion shorter than this
SFA_OCCLUSION_CM = (10.0, 20.0)  # non-flush: <10 → 2; 10–20 → 3; >20 → 4 (flush ≤20 → 3)
POPLITEAL_STENOSIS_CM = (2.0, 5.0)  # <2 → 2; 2–5 → 3; >5 → 4 (trifurcation or occlusion → 4)

# Infrapopliteal (the target artery of the path, with the TP trunk when it lies on the path).
IP_FOCAL_CM = 3.0  # focal stenosis (grade 1) and focal occlusion (grade 2) are shorter than 3 cm
IP_EXTENT_FRACTIONS = (Fraction(1, 3), Fraction(2, 3))  # disease ≤1/3 → 2; ≤2/3 → 3; >2/3 → 4
IP_OCCLUSION_FRACTION = Fraction(1, 3)  # occlusion ≥3 cm and ≤1/3 → 3; >1/3 → 4

# ── Stage matrix (rows FP grade 0–4, columns IP grade 0–4); None = no stage (FP 0 and IP 0) ──
STAGE_MATRIX: tuple[tuple[str | None, ...], ...] = (
    (None, "I", "I", "II", "III"),
    ("I", "I", "II", "II", "III"),
    ("I", "II", "II", "II", "III"),
    ("II", "II", "II", "III", "III"),
    ("III", "III", "III", "III", "III"),
)

# ── Expected outcomes of an endovascular attempt at the target arterial path, by stage ──────
# stage: (immediate technical failure, 1-year limb-based patency)
STAGE_OUTCOMES: dict[str, tuple[str, str]] = {
    "I": ("<10%", ">70%"),
    "II": ("<20%", "50–70%"),
    "III": (">20%", "<50%"),
}
# The other published reading of a contested cell, kept beside the chosen one.
STAGE_OUTCOME_ALTERNATIVES: dict[str, tuple[str, str]] = {
    "II": ("10–20%", "50–70%"),  # reproduction (c)
}
STAGE_II_FAILURE_NOTE = (
    "Stage II expected technical failure: <20% (GVG as read in three reproductions and "
    "Fathima 2022); one public calculator prints 10–20%. We show <20%."
)

# ── Inframalleolar (pedal) modifier ─────────────────────────────────────────────────────────
IM_MODIFIERS: dict[str, str] = {
    "P0": "target artery crosses the ankle into the foot, pedal arch intact",
    "P1": "target artery crosses the ankle into the foot, pedal arch absent or severely diseased",
    "P2": "no target artery crosses the ankle into the foot",
}

# ── Provenance notes for contested grade cells ──────────────────────────────────────────────
FP_GRADE2_OCCLUSION_NOTE = (
    "FP grade 2 occlusion: non-flush, totalling under 1/3 of the SFA (10 cm) in reproductions "
    "(a) and (b); (c) prints 5–15 cm. We use <10 cm."
)
FP_FOCAL_OCCLUSION_NOTE = (
    "FP grade 1 occlusion: a single focal non-flush occlusion under 5 cm in (a) and (b); (c) "
    "reads 'double'. We use the total occluded length, so several short occlusions adding up "
    "to under 5 cm read as grade 1; give fp_grade directly if you judge otherwise."
)
SFA_EXTENT_NOTE = (
    "FP grade 3 SFA extent: '>2/3 (>20 cm)' in reproductions (a) and (c), 'about 2/3 (>20 cm)' "
    "in (b). We use more than 2/3, or more than 20 cm."
)
IP_GRADE0_NOTE = (
    "IP grade 0: 'mild or no significant (<50%) disease' in (a) and (c); (b) prints 'mild or no "
    "stenosis <3 cm', which overlaps grade 1. We use <50% (no significant disease)."
)
