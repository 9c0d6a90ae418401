"""IWGDF/IDSA 2023 classification of diabetes-related foot infection, its SIRS criteria, the
mapping to SVS WIfI foot infection (fI) and the Charcot caution."""

from limbsalvage.core.sources import Source, Table

IWGDF_IDSA_2023 = Source(
    citation=(
        "Senneville É, Albalawi Z, van Asten SA, et al. IWGDF/IDSA guidelines on the diagnosis "
        "and treatment of diabetes-related foot infections (IWGDF/IDSA 2023). "
        "Diabetes Metab Res Rev 2024;40:e3687"
    ),
    doi="10.1002/dmrr.3687",
)

IDSA_2012 = Source(
    citation=(
        "Lipsky BA, Berendt AR, Cornia PB, et al. 2012 IDSA clinical practice guideline for the "
        "diagnosis and treatment of diabetic foot infections. Clin Infect Dis 2012;54:e132–73"
    ),
    doi="10.1093/cid/cis346",
)

MILLS_2014 = Source(
    citation=(
        "Mills JL Sr, Conte MS, Armstrong DG, et al. The Society for Vascular Surgery Lower "
        "Extremity Threatened Limb Classification System: risk stratification based on Wound, "
        "Ischemia, and foot Infection (WIfI). J Vasc Surg 2014;59:220–34"
    ),
    doi="10.1016/j.jvs.2013.08.003",
)

BONE_1992 = Source(
    citation=(
        "Bone RC, Balk RA, Cerra FB, et al. Definitions for sepsis and organ failure "
        "(ACCP/SCCM Consensus Conference). Chest 1992;101:1644–55"
    ),
    doi="10.1378/chest.101.6.1644",
)

WUKICH_2023 = Source(
    citation=(
        "Wukich DK, Schaper NC, Gooday C, et al. Guidelines on the diagnosis and treatment of "
        "active Charcot neuro-osteoarthropathy in persons with diabetes mellitus (IWGDF 2023). "
        "Diabetes Metab Res Rev 2024;40:e3646"
    ),
    doi="10.1002/dmrr.3646",
)

IWGDF_INFECTION_GRADES = Table(
    table_id="iwgdf-idsa-infection",
    version="2023.1",
    source=IWGDF_IDSA_2023,
    locator="Table 1 (classification of the presence and severity of foot infection)",
    checked=(
        "The 2023 full text was not readable to us. Grades 1–4, the five local signs, the "
        "0.5 cm and 2 cm erythema limits, osteomyelitis as a deeper-tissue (moderate) finding "
        "and the exclusion of other causes of inflammation (acute Charcot among them) were "
        "read in five reproductions of the "
        "IDSA/IWGDF table: empendium (McMaster Textbook, table 6.2-11, IDSA 2012), EFORT Open "
        "Rev 2018;3:513–25 (table 1), Clin Diabetes Endocrinol 2020 (table 1), Cir Gen 2019 "
        "(medigraphic, table 1) and Int Wound J 2021 (PMC7951343, table 1). They agree on the "
        "grades and on mild '>0.5 to ≤2 cm' / moderate '>2 cm'; a 2023 guideline summary "
        "(droracle.ai) gives moderate as '≥2 cm' and the '(O)' suffix for osteomyelitis, "
        "which the IDSA 2012 reproductions lack; the band-form comparator differs (below)."
    ),
)

SIRS_CRITERIA = Table(
    table_id="iwgdf-idsa-sirs",
    version="2023.1",
    source=IWGDF_IDSA_2023,
    locator="Table 1, severe infection (systemic inflammatory response: ≥2 of 4 criteria)",
    checked=(
        "Read in the same five reproductions and in the ACCP/SCCM definition (Bone 1992) as "
        "quoted by several independent sources. All agree on temperature, heart rate, "
        "respiration/PaCO2 and white cell count. Band forms: '≥10%' in empendium and EFORT 2018 "
        "(IDSA 2012 wording), '>10%' in Cir Gen 2019 and Bone 1992, a bare '10%' in Clin "
        "Diabetes Endocrinol 2020 and Int Wound J 2021."
    ),
)

WIFI_FROM_IWGDF = Table(
    table_id="wifi-fi-from-iwgdf",
    version="2014.1",
    source=MILLS_2014,
    locator="Table (foot infection: grade 0–3 with its IDSA/PEDIS equivalent)",
    checked=(
        "Mills 2014 full text not read by us. The WIfI foot-infection rows 0–3 carry the "
        "IDSA/PEDIS wording (uninfected, mild, moderate, severe), as read in the World J "
        "Diabetes 2022 reproduction (doi:10.4239/wjd.v13.i12.1049, table 5) and the PEDIS "
        "grade 1–4 column of the IDSA reproductions above; hence fI = IWGDF/IDSA grade − 1."
    ),
)

CHARCOT_CAUTION = Table(
    table_id="iwgdf-charcot-mimic",
    version="2023.1",
    source=WUKICH_2023,
    locator=(
        "diagnosis of active Charcot neuro-osteoarthropathy; read with IWGDF/IDSA 2023 Table 1 "
        "('no other cause of an inflammatory response of the skin')"
    ),
    checked=(
        "Read in reviews of the 2023 Charcot guideline (Wounds 2024;36:206–11) and in the "
        "exclusion clause of the infection table reproductions; the rule that graded infection "
        "cannot rest on inflammation alone in a suspected active Charcot foot is our reading."
    ),
)

# Local signs: infection needs at least this many of the five (IWGDF/IDSA Table 1).
LOCAL_SIGNS_NEEDED = 2
# Erythema counts as a local sign only beyond this extent around the wound (cm).
ERYTHEMA_SIGN_CM = 0.5
# Erythema beyond this extent makes the infection moderate (cm); exactly 2 cm is mild.
ERYTHEMA_MODERATE_CM = 2.0
ERYTHEMA_MODERATE_NOTE = (
    "Erythema of exactly 2 cm read as mild: IDSA 2012 and WIfI (Mills 2014) give mild "
    "'>0.5 to ≤2 cm' and moderate '>2 cm', and the IWGDF/IDSA mild row says erythema does not "
    "extend beyond 2 cm; some reproductions of the IWGDF/IDSA moderate row say '≥2 cm'."
)

# SIRS: severe infection needs at least this many of the four criteria.
SIRS_CRITERIA_NEEDED = 2
TEMPERATURE_HIGH_C = 38.0  # met above
TEMPERATURE_LOW_C = 36.0  # met below
HEART_RATE_HIGH_BPM = 90.0  # met above
RESPIRATORY_RATE_HIGH_PER_MIN = 20.0  # met above
PACO2_LOW_MMHG = 32.0  # met below
WHITE_CELLS_HIGH_PER_MM3 = 12_000.0  # met above
WHITE_CELLS_LOW_PER_MM3 = 4_000.0  # met below
# Band forms: the two published readings are kept; we use the IDSA reading (≥10 %).
BAND_FORMS_IDSA_PERCENT = 10.0  # IDSA 2012: "≥10% immature (band) forms" — met at or above
BAND_FORMS_BONE_PERCENT = 10.0  # Bone 1992: ">10% immature (band) forms" — met above
BAND_FORMS_NOTE = (
    "Band forms of exactly 10% counted as a SIRS criterion: IDSA 2012 (the source of the "
    "IWGDF/IDSA table) says '≥10%'; the ACCP/SCCM SIRS definition (Bone 1992) says '>10%'."
)

# IWGDF/IDSA grade → WIfI foot infection grade (Mills 2014).
WIFI_INFECTION_GRADE = {1: 0, 2: 1, 3: 2, 4: 3}
