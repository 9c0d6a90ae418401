"""SVS WIfI (Wound, Ischemia, foot Infection): wound grades, infection grades and the stage table.

Indexing convention used everywhere in this module: ``STAGE[ischemia][wound][infection]``, each
0–3, as the primary lays its stage figure out (one panel per ischemia grade, rows W0–W3,
columns fI0–fI3).
"""

from limbsalvage.core.sources import Source, Table

MILLS_2014 = Source(
    citation=(
        "Mills JL Sr, Conte MS, Armstrong DG, et al. The Society for Vascular Surgery Lower "
        "Extremity Threatened Limb Classification System: risk stratification based on Wound, "
        "Ischemia, and foot Infection (WIfI). J Vasc Surg 2014;59:220–34"
    ),
    doi="10.1016/j.jvs.2013.08.003",
)

WOUND_GRADES = Table(
    table_id="wifi-wound",
    version="2014.1",
    source=MILLS_2014,
    locator="Table I (Wound: ulcer and gangrene descriptions, W0–W3)",
    checked=(
        "Descriptions read in reproductions of the primary's table: Japanese JCLIMB report, "
        "Ann Vasc Dis 2018;11:398–426, Table 1-1-1 'SVS WIfI classification: original' "
        "(PMC6200626); IDWiki 'WIfI system'; a clinical criteria page citing the primary. The "
        "primary's note that depth takes priority over size (a shallow 8 cm² ulcer without exposed "
        "tendon or bone is W1) read in a chaptered copy of the SVS document. All agree."
    ),
)

INFECTION_GRADES = Table(
    table_id="wifi-foot-infection",
    version="2014.1",
    source=MILLS_2014,
    locator="Table III (foot Infection fI0–fI3, adapted from IDSA/IWGDF)",
    checked=(
        "Read in reproductions (IDWiki 'WIfI system'; a clinical criteria page citing the "
        "primary); they agree. The grade is taken as given here; grading from signs is "
        "core/infection.py (IWGDF/IDSA 2023 with its mapping to fI)."
    ),
)

STAGE_TABLE = Table(
    table_id="wifi-clinical-stage",
    version="2014.2",
    source=MILLS_2014,
    locator=(
        "clinical stage figure: estimated 1-year amputation risk for each of the 64 W×I×fI "
        "combinations (VL/L/M/H → clinical stages 1–4); stage 5 = unsalvageable foot"
    ),
    checked=(
        "The primary's figure is an image we could not open cell by cell. Transcribed from the "
        "ESC Pocket Guidelines 'WIfI / risk of amputation' interactive, which reprints the figure "
        "with permission ('Adapted from Mills JL et al. J Vasc Surg 2014;59:220-234'), and "
        "compared cell by cell with two independent public implementations (a wound-assessment "
        "app's stage matrix: 64/64 cells agree; the LimbPreservationTool risk function: all 59 "
        "cells it assigns agree). One cell is contested: W0 I2 fI3 is M in the ESC reprint but H "
        "in both independent tables, and M there would make risk fall as ischaemia rises (W0 I1 "
        "fI3 is H in every reading); we use H and keep the reprint's M as a reading. An earlier "
        "transcription from memory (version 2014.0, never released) differed in 5 cells (W1 I1 "
        "fI0–fI2, W2 I1 fI1, W2 I3 fI0). The public C# 'CLTI.Diagnosis' calculator disagrees in "
        "18 cells and is kept as a reading; calculators that take the highest grade or the sum "
        "of grades are shortcuts, not readings, and are rejected. Verify against the primary's "
        "figure before clinical release."
    ),
)

# Mills 2014 stage grid, STAGE[ischemia][wound][infection] → clinical stage 1–4.
STAGE: tuple[tuple[tuple[int, ...], ...], ...] = (
    (  # Ischemia 0
        (1, 1, 2, 3),  # W0: VL VL L M
        (1, 1, 2, 3),  # W1: VL VL L M
        (2, 2, 3, 4),  # W2: L  L  M H
        (3, 3, 4, 4),  # W3: M  M  H H
    ),
    (  # Ischemia 1
        (1, 2, 3, 4),  # W0: VL L M H
        (1, 2, 3, 4),  # W1: VL L M H
        (3, 3, 4, 4),  # W2: M  M H H
        (4, 4, 4, 4),  # W3: H  H H H
    ),
    (  # Ischemia 2
        (2, 2, 3, 4),  # W0: L L M H
        (2, 3, 4, 4),  # W1: L M H H
        (3, 4, 4, 4),  # W2: M H H H
        (4, 4, 4, 4),  # W3: H H H H
    ),
    (  # Ischemia 3
        (2, 3, 3, 4),  # W0: L M M H
        (3, 3, 4, 4),  # W1: M M H H
        (4, 4, 4, 4),  # W2: H H H H
        (4, 4, 4, 4),  # W3: H H H H
    ),
)

# Clinical stage → estimated 1-year amputation risk (the primary's VL / L / M / H).
AMPUTATION_RISK_BY_STAGE: dict[int, str] = {
    1: "very_low",
    2: "low",
    3: "moderate",
    4: "high",
}

UNSALVAGEABLE_STAGE = 5

# A conflicting public reading, kept as data so every disagreement is visible and tested.
CSHARP_CALCULATOR_READING = "public C# calculator (CLTI.Diagnosis ClinicalStageCalculator)"
CSHARP_CALCULATOR_STAGE: tuple[tuple[tuple[int, ...], ...], ...] = (
    ((1, 1, 4, 4), (1, 1, 4, 4), (2, 3, 4, 4), (4, 4, 4, 4)),
    ((1, 1, 4, 4), (2, 2, 4, 4), (3, 3, 4, 4), (4, 4, 4, 4)),
    ((2, 2, 2, 4), (3, 3, 4, 4), (4, 4, 4, 4), (4, 4, 4, 4)),
    ((3, 3, 3, 4), (4, 4, 4, 4), (4, 4, 4, 4), (4, 4, 4, 4)),
)

# The ESC pocket-guideline reprint of the figure: identical to STAGE except W0 I2 fI3 (M).
ESC_REPRINT_READING = "ESC Pocket Guidelines reprint of the Mills 2014 figure"
ESC_REPRINT_STAGE: tuple[tuple[tuple[int, ...], ...], ...] = (
    ((1, 1, 2, 3), (1, 1, 2, 3), (2, 2, 3, 4), (3, 3, 4, 4)),
    ((1, 2, 3, 4), (1, 2, 3, 4), (3, 3, 4, 4), (4, 4, 4, 4)),
    ((2, 2, 3, 3), (2, 3, 4, 4), (3, 4, 4, 4), (4, 4, 4, 4)),
    ((2, 3, 3, 4), (3, 3, 4, 4), (4, 4, 4, 4), (4, 4, 4, 4)),
)

ALTERNATIVE_READINGS: dict[str, tuple[tuple[tuple[int, ...], ...], ...]] = {
    ESC_REPRINT_READING: ESC_REPRINT_STAGE,
    CSHARP_CALCULATOR_READING: CSHARP_CALCULATOR_STAGE,
}

# Shortcuts found in public calculators; not readings of the table, kept to document the rejection.
REJECTED_SHORTCUTS: dict[str, str] = {
    "max_grade": "stage = 1 + the highest of W, I and fI (two public React calculators)",
    "grade_sum": "stage banded from W + I + fI (a public FastAPI back end, self-declared estimate)",
}

# Wound descriptions (Mills 2014 Table I) → W grade. Depth takes priority over size.
ULCER_GRADES: dict[str, tuple[int, str]] = {
    "none": (0, "no ulcer"),
    "shallow": (1, "small, shallow ulcer on the distal leg or foot without exposed bone"),
    "exposed_distal_phalanx": (1, "ulcer with bone exposed only at the distal phalanx"),
    "deep": (2, "deeper ulcer with exposed bone, joint or tendon, not involving the heel"),
    "heel_shallow": (2, "shallow heel ulcer without calcaneal involvement"),
    "extensive_forefoot_midfoot": (3, "extensive deep ulcer involving forefoot and/or midfoot"),
    "heel_deep": (3, "deep, full-thickness heel ulcer with or without calcaneal involvement"),
}

GANGRENE_GRADES: dict[str, tuple[int, str]] = {
    "none": (0, "no gangrene"),
    "digits": (2, "gangrene limited to the digits"),
    "forefoot_midfoot": (3, "extensive gangrene involving forefoot and/or midfoot"),
    "heel": (3, "full-thickness heel necrosis with or without calcaneal involvement"),
}

INFECTION_DESCRIPTIONS: dict[int, str] = {
    0: "no symptoms or signs of infection",
    1: "local infection of skin and subcutaneous tissue, erythema 0.5–2 cm, no systemic signs",
    2: "local infection with erythema > 2 cm or deeper structures, no systemic signs",
    3: "local infection with signs of SIRS",
}
