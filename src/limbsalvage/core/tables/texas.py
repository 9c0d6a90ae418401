"""University of Texas diabetic wound classification: grade 0–3 by depth × stage A–D."""

from limbsalvage.core.sources import Source, Table

LAVERY_1996 = Source(
    citation=(
        "Lavery LA, Armstrong DG, Harkless LB. Classification of diabetic foot wounds. "
        "J Foot Ankle Surg 1996;35:528–31"
    ),
    doi="10.1016/S1067-2516(96)80125-6",
)

ARMSTRONG_1998 = Source(
    citation=(
        "Armstrong DG, Lavery LA, Harkless LB. Validation of a diabetic wound classification "
        "system: the contribution of depth, infection, and ischemia to risk of amputation. "
        "Diabetes Care 1998;21:855–9"
    ),
    doi="10.2337/diacare.21.5.855",
)

TEXAS_MATRIX = Table(
    table_id="texas-grade-stage",
    version="1996.1",
    source=LAVERY_1996,
    locator="grades 0–3 × stages A–D (as used in Armstrong 1998)",
    checked=(
        "Primary tables not available to us. Grades and stages read in World J Diabetes 2022 "
        "(doi:10.4239/wjd.v13.i12.1049, table 2) and fpnotebook; they agree: "
        "0 pre- or post-ulcerative lesion fully epithelialized, "
        "1 superficial (not tendon, capsule or bone), 2 to tendon or capsule, 3 to bone or joint; "
        "A clean, B infected, C ischaemic, D infected and ischaemic."
    ),
)

TEXAS_OUTCOMES = Table(
    table_id="texas-outcomes-1998",
    version="1998.1",
    source=ARMSTRONG_1998,
    locator="abstract (360 patients, amputation within 6 months)",
    checked=(
        "Read in the primary abstract (diabetesjournals.org). The per-cell amputation table of "
        "the full text was not available to us, so no per-cell figures are given."
    ),
)

# Published cohort figures (Armstrong 1998, abstract): not individual predictions.
STAGE_A_OUTCOME = "no amputations within 6 months among non-infected, non-ischaemic wounds"
PROBES_TO_BONE_OUTCOME = (
    "wounds probing to bone: midfoot or higher amputation in 18.3% vs 2.0% of other wounds"
)
STAGE_D_OUTCOME = (
    "infected and ischaemic wounds: midfoot or higher amputation in 76.5% vs 3.5% of wounds "
    "in less advanced stages"
)
