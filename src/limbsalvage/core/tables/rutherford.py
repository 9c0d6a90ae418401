"""Rutherford categories of chronic limb ischaemia (SVS/ISCVS reporting standards, 1997)."""

from dataclasses import dataclass

from limbsalvage.core.sources import Source, Table

RUTHERFORD_1997 = Source(
    citation=(
        "Rutherford RB, Baker JD, Ernst C, Johnston KW, Porter JM, Ahn S, Jones DN. Recommended "
        "standards for reports dealing with lower extremity ischemia: revised version. "
        "J Vasc Surg 1997;26:517–38"
    ),
    doi="10.1016/S0741-5214(97)70045-4",
)

RUTHERFORD_CHRONIC = Table(
    table_id="rutherford-chronic",
    version="1997.1",
    source=RUTHERFORD_1997,
    locator="table of clinical categories of chronic limb ischemia (grades 0–III, categories 0–6)",
    checked=(
        "The 1997 table was not available to us in full text; every cell was read in two "
        "reproductions that cite it: Hardman RL et al. Semin Intervent Radiol 2014;31:378–88, "
        "Table 2 (all categories with objective criteria) and the Global Vascular Guidelines, "
        "Conte MS et al. J Vasc Surg 2019;69:3S–125S, Table 1.1 (categories 4–6 and their "
        "cut-offs), plus a 2024 review table (Medicina 2024;60:1179, Table 2: 40/30 mmHg for "
        "category 4, 60/40 mmHg for 5–6). They agree on every cell. Two public code "
        "reproductions disagree and were rejected (see CLAUDICATION_DROP_NOTE and the docs)."
    ),
)


@dataclass(frozen=True)
class ChronicCategory:
    """One row of the table: category, grade, clinical description and objective criteria."""

    category: int
    grade: str
    description: str
    objective_criteria: str


# Wording paraphrased from the reproductions named in RUTHERFORD_CHRONIC.checked.
CHRONIC_CATEGORIES: tuple[ChronicCategory, ...] = (
    ChronicCategory(
        0,
        "0",
        "asymptomatic, no haemodynamically significant occlusive disease",
        "normal treadmill or reactive hyperaemia test",
    ),
    ChronicCategory(
        1,
        "I",
        "mild claudication",
        "completes the treadmill test; ankle pressure after exercise above 50 mmHg but at least "
        "20 mmHg below the resting value",
    ),
    ChronicCategory(2, "I", "moderate claudication", "between categories 1 and 3"),
    ChronicCategory(
        3,
        "I",
        "severe claudication",
        "cannot complete the standard treadmill test and ankle pressure after exercise below "
        "50 mmHg",
    ),
    ChronicCategory(
        4,
        "II",
        "ischaemic rest pain",
        "resting ankle pressure below 40 mmHg, flat or barely pulsatile ankle or metatarsal PVR; "
        "toe pressure below 30 mmHg",
    ),
    ChronicCategory(
        5,
        "III",
        "minor tissue loss: non-healing ulcer, focal gangrene with diffuse pedal ischaemia",
        "resting ankle pressure below 60 mmHg, ankle or metatarsal PVR flat or barely pulsatile; "
        "toe pressure below 40 mmHg",
    ),
    ChronicCategory(
        6,
        "III",
        "major tissue loss above the transmetatarsal level, functional foot no longer salvageable",
        "same as category 5",
    ),
)

# Claudication (categories 1 and 3): ankle pressure after exercise, mmHg. Category 1 needs more
# than this, category 3 less than this; exactly 50 mmHg meets neither and so lies "between".
POST_EXERCISE_ANKLE_MMHG = 50.0

# Category 1: the post-exercise ankle pressure is at least this much below the resting value.
CLAUDICATION_DROP_MMHG = 20.0
CLAUDICATION_DROP_REJECTED_MMHG = 25.0
CLAUDICATION_DROP_NOTE = (
    "post-exercise fall of at least 20 mmHg (Hardman 2014 Table 2); one public code "
    "reproduction gives more than 25 mmHg, unsourced, and is not used"
)

# Category 0 has no number in the table ("normal treadmill test"); we read a normal test as
# completing it without the category-1 fall, i.e. a fall of less than 20 mmHg.
NORMAL_TEST_NOTE = (
    "'normal treadmill test' has no number in the table; read as completing the test with a "
    "post-exercise fall of less than 20 mmHg (the complement of category 1)"
)

# Category 2 ("between categories 1 and 3") has no number either.
BETWEEN_NOTE = (
    "'between categories 1 and 3' is read as: completes the test with a post-exercise ankle "
    "pressure of 50 mmHg or less, or does not complete it with 50 mmHg or more (exactly 50 mmHg "
    "meets neither category 1, which needs more than 50, nor category 3, which needs less)"
)

# Rest pain (category 4), strict "below" cut-offs in mmHg.
REST_PAIN_ANKLE_MMHG = 40.0
REST_PAIN_TOE_MMHG = 30.0

# Tissue loss (categories 5 and 6), strict "below" cut-offs in mmHg.
TISSUE_LOSS_ANKLE_MMHG = 60.0
TISSUE_LOSS_TOE_MMHG = 40.0

# How the listed objective criteria combine is not stated in the table; we assess each one that
# was measured and report met / partly met / not met, never changing the clinical category.
COMBINATION_NOTE = (
    "each measured criterion is checked on its own; ankle pressures may be falsely high with "
    "incompressible (calcified) arteries, so a partly met result asks for clinical review"
)

# Accepted range of any pressure input, mmHg (the range of a standard cuff manometer).
PRESSURE_RANGE_MMHG = (0.0, 300.0)
