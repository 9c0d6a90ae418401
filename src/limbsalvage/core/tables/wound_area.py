"""Wound area: the ellipse estimate, and the 4-week 50% area-reduction criterion."""

from limbsalvage.core.sources import Source, Table

SHAW_2007 = Source(
    citation=(
        "Shaw J, Hughes CM, Lagan KM, Bell PM, Stevenson MR. An evaluation of three wound "
        "measurement techniques in diabetic foot wounds. Diabetes Care 2007;30:2641–2"
    ),
    doi="10.2337/dc07-0844",
)
ROGERS_2010 = Source(
    citation=(
        "Rogers LC, Bevilacqua NJ, Armstrong DG, Andros G. Digital planimetry results in more "
        "accurate wound measurements: a comparison to standard ruler measurements. "
        "J Diabetes Sci Technol 2010;4:799–802"
    ),
    doi="10.1177/193229681000400405",
)
HINGORANI_2016 = Source(
    citation=(
        "Hingorani A, LaMuraglia GM, Henke P, et al. The management of diabetic foot: a "
        "clinical practice guideline by the Society for Vascular Surgery in collaboration with "
        "the American Podiatric Medical Association and the Society for Vascular Medicine. "
        "J Vasc Surg 2016;63(2 Suppl):3S–21S"
    ),
    doi="10.1016/j.jvs.2015.10.003",
)
SHEEHAN_2003 = Source(
    citation=(
        "Sheehan P, Jones P, Caselli A, Giurini JM, Veves A. Percent change in wound area of "
        "diabetic foot ulcers over a 4-week period is a robust predictor of complete healing "
        "in a 12-week prospective trial. Diabetes Care 2003;26:1879–82"
    ),
    doi="10.2337/diacare.26.6.1879",
)

ELLIPSE_AREA = Table(
    table_id="wound-area-ellipse",
    version="2007.1",
    source=SHAW_2007,
    locator="methods: area of an ellipse, π·a·b, from the wound's length and width",
    checked=(
        "Shaw 2007 (diabetesjournals.org, methods) computes the elliptical area with π·a·b; with "
        "a and b the half length and half width this is length × width × π/4 (the Kundin "
        "factor 0.785). Rogers 2010 (PMC2909508, results) found length × width overestimates "
        "the planimetric area by 41% on average, which is why a rectangle is not used."
    ),
)

FOUR_WEEK_REDUCTION = Table(
    table_id="wound-area-4-week-reduction",
    version="2016.1",
    source=HINGORANI_2016,
    locator="wound care, recommendation 5 (>50% area reduction after a minimum of 4 weeks)",
    checked=(
        "Recommendation 5 read in a public reprint of the guideline (medsquares.com, SVS "
        "diabetic foot 2016, chapter 4): diabetic foot ulcers that fail to show improvement, "
        ">50% wound area reduction, after at least 4 weeks of standard therapy are offered "
        "adjunctive therapy. Its evidence is Sheehan 2003 (abstract, diabetesjournals.org): "
        "weekly visits, area at baseline and week 4; the midpoint between healers and "
        "non-healers was a 53% reduction; 58% vs 9% healed at 12 weeks above vs below the median."
    ),
)

# Percentage area reduction above which a wound counts as improving at 4 weeks (strictly
# greater: the recommendation asks for more than 50%).
REDUCTION_TARGET_PERCENT = 50.0
# The 4-week measurement: the one closest to day 28 after baseline, within ±7 days. Sheehan's
# patients were seen weekly; a one-visit tolerance is our program choice, not published.
FOUR_WEEK_DAY = 28
FOUR_WEEK_TOLERANCE_DAYS = 7
