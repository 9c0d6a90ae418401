"""MESS: component points, the ischaemia-time rule and the proposed cut-off."""

from limbsalvage.core.sources import Source, Table

JOHANSEN_1990 = Source(
    citation=(
        "Johansen K, Daines M, Howey T, Helfet D, Hansen ST Jr. Objective criteria accurately "
        "predict amputation following lower extremity trauma. J Trauma 1990;30:568–73"
    ),
    doi="10.1097/00005373-199005000-00007",
)

BOSSE_2001 = Source(
    citation=(
        "Bosse MJ, MacKenzie EJ, Kellam JF et al. A prospective evaluation of the clinical "
        "utility of the lower-extremity injury-severity scores. J Bone Joint Surg Am 2001;83:3–14"
    ),
    doi="10.2106/00004623-200101000-00002",
)

MESS_POINTS = Table(
    table_id="mess-points",
    version="1990.1",
    source=JOHANSEN_1990,
    locator="MESS variables and points (Table 1)",
    checked=(
        "Primary full text not available to us; its abstract (PubMed 2342140) read for the four "
        "variables, the group means and the ≥ 7 cut-off. Points read in three reproductions of "
        "the Johansen table that agree cell by cell (traumascores.com; PMC3415969 Table 1; "
        "operativereview.com): energy 1–4, ischaemia 1–3 doubled beyond 6 h, shock 0–2, age "
        "<30 / 30–50 / >50 → 0 / 1 / 2, total 1–14. Disagreeing reproductions: NCEMI adds an "
        "ischaemia 'none' = 0 row and prints age 30–49 → 1; a medical blog prints age '>30–<50'; "
        "thetraumapro.com adds 3 points beyond 6 h instead of doubling. See the notes below."
    ),
)

# Skeletal / soft-tissue injury (energy of the injury), 1–4.
SKELETAL_SOFT_TISSUE_POINTS: dict[int, str] = {
    1: "low energy (stab, simple fracture, low-velocity/pistol gunshot wound)",
    2: "medium energy (open or multiple fractures, dislocation)",
    3: "high energy (high-speed motor vehicle crash, rifle gunshot wound)",
    4: "very high energy (high-speed trauma with gross contamination)",
}

# Limb ischaemia, before the ischaemia-time rule. 0 is our addition (see ISCHEMIA_ZERO_NOTE).
LIMB_ISCHEMIA_POINTS: dict[int, str] = {
    0: "no ischaemia: normal pulses and perfusion (not a row of the Johansen table)",
    1: "pulse reduced or absent but perfusion normal",
    2: "pulseless, paraesthesias, diminished capillary refill",
    3: "cool, paralysed, insensate, numb",
}

SHOCK_POINTS: dict[int, str] = {
    0: "systolic blood pressure always above 90 mmHg",
    1: "transient hypotension",
    2: "persistent hypotension",
}

# Age bands in completed years: below the first → 0, up to and including the second → 1, above → 2.
AGE_BAND_LOW_YEARS = 30
AGE_BAND_HIGH_YEARS = 50

# Ischaemia points are doubled when the ischaemia time is greater than this (6.0 h is not doubled).
ISCHEMIA_DOUBLING_HOURS = 6.0
ISCHEMIA_FACTOR_BEYOND = 2

# Johansen's proposed amputation cut-off: shown as information only, never as a recommendation.
PROPOSED_THRESHOLD = 7

ISCHEMIA_ZERO_NOTE = (
    "Limb ischaemia 0 (no ischaemia) is not in Johansen 1990, whose lowest ischaemia score is 1 "
    "(pulse reduced or absent, perfusion normal); NCEMI and other later reproductions list "
    "'none' = 0. We accept 0 for a limb with normal pulses and perfusion; it is never doubled."
)
DOUBLING_NOTE = (
    "Beyond 6 h the ischaemia points are doubled (not the whole score), as the Johansen table's "
    "footnote on the ischaemia rows and the 1–14 range imply; one reproduction (thetraumapro.com) "
    "adds 3 points instead. Exactly 6.0 h is not doubled: the rule is 'greater than 6 hours'."
)
AGE_BOUNDARY_NOTE = (
    "Age band 30–50 years is read inclusive at both ends in completed years (Johansen table as "
    "reproduced: <30, 30–50, >50); NCEMI prints 30–49 and a blog '>30–<50', which leave "
    "50 (or 30) unassigned or different. We score 30 and 50 as 1 point."
)
LEAP_NOTE = (
    "LEAP (Bosse 2001, 556 limbs): MESS and the other injury-severity scores were specific but "
    "insensitive; a high score does not predict amputation and no score may decide alone."
)
