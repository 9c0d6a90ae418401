"""Which amputation levels are *major*: the published definitions, side by side.

The definitions agree on the toe, ray, transmetatarsal and Lisfranc levels (minor) and on every
level through the tibia or above (major). They differ at the ankle (Syme) and the midfoot
(Chopart), so every reading is kept as data and the registry chooses one explicitly
(`DEFAULT_DEFINITION`); outcomes may recompute with another.
"""

from enum import StrEnum

from limbsalvage.core.sources import Source, Table
from limbsalvage.core.vocabulary import AmputationLevel


class MajorAmputationDefinition(StrEnum):
    """A published rule for where a *major* amputation begins."""

    PARC_2015 = "parc_2015"  # at the level of the ankle or above: Syme is major
    TRANSTIBIAL_OR_ABOVE = "transtibial_or_above"  # SVS performance goals: Syme is minor
    PROXIMAL_TO_LISFRANC = "proximal_to_lisfranc"  # Chopart and Syme count as limb loss


PATEL_2015 = Source(
    citation=(
        "Patel MR, Conte MS, Cutlip DE, et al. Evaluation and treatment of patients with lower "
        "extremity peripheral artery disease: consensus definitions from Peripheral Academic "
        "Research Consortium (PARC). J Am Coll Cardiol 2015;65:931–41"
    ),
    doi="10.1016/j.jacc.2014.12.036",
)
CONTE_2010 = Source(
    citation=(
        "Conte MS. Understanding objective performance goals for critical limb ischemia trials. "
        "Semin Vasc Surg 2010;23:129–37 (the SVS objective performance goals of Conte MS et al., "
        "J Vasc Surg 2009;50:1462–73)"
    ),
    doi="10.1053/j.semvascsurg.2010.06.001",
)
IIDA_2012 = Source(
    citation=(
        "Iida O, Soga Y, Yamauchi Y, et al. Anatomical predictors of major adverse limb events "
        "after infrapopliteal angioplasty for patients with critical limb ischaemia due to pure "
        "isolated infrapopliteal lesions. Eur J Vasc Endovasc Surg 2012;44:318–24"
    ),
)

MAJOR_AMPUTATION_TABLES = {
    MajorAmputationDefinition.PARC_2015: Table(
        table_id="major-amputation-parc",
        version="2015.1",
        source=PATEL_2015,
        locator="table 6, amputation definitions (critical limb ischemia)",
        checked=(
            "Read in the journal's own rendering of table 6: a major amputation is any "
            "amputation at the level of the ankle or above (below-knee and above-knee named); "
            "so the ankle disarticulation (Syme) is major and the midfoot levels are minor."
        ),
    ),
    MajorAmputationDefinition.TRANSTIBIAL_OR_ABOVE: Table(
        table_id="major-amputation-transtibial",
        version="2010.1",
        source=CONTE_2010,
        locator="abstract, definition of MALE",
        checked=(
            "Read in the published abstract: the amputation in MALE is transtibial or above. "
            "A reproduction (johnsonfrancis.org) words it as 'above the ankle'. Either way the "
            "ankle disarticulation (Syme) is not major."
        ),
    ),
    MajorAmputationDefinition.PROXIMAL_TO_LISFRANC: Table(
        table_id="major-amputation-proximal-to-lisfranc",
        version="2012.1",
        source=IIDA_2012,
        locator="definition of limb salvage",
        checked=(
            "Primary not readable here. Read in a reproduction (johnsonfrancis.org): amputation "
            "at the tarsometatarsal (Lisfranc) level or below is not a failure of limb salvage, "
            "so the "
            "Chopart (midtarsal) and Syme levels count as limb loss. To verify in the primary."
        ),
    ),
}

# The most distal level each definition counts as major; every more proximal level is major too
# (`AMPUTATION_LEVELS_DISTAL_TO_PROXIMAL` orders the levels).
FIRST_MAJOR_LEVEL = {
    MajorAmputationDefinition.PARC_2015: AmputationLevel.SYME,
    MajorAmputationDefinition.TRANSTIBIAL_OR_ABOVE: AmputationLevel.BELOW_KNEE,
    MajorAmputationDefinition.PROXIMAL_TO_LISFRANC: AmputationLevel.CHOPART,
}

# The registry's choice: PARC, the consensus written with the FDA and Japan's PMDA for trials of
# lower-extremity PAD, read in its own table. Outcomes that compare with the SVS objective
# performance goals should recompute with TRANSTIBIAL_OR_ABOVE (Syme then counts as minor).
DEFAULT_DEFINITION = MajorAmputationDefinition.PARC_2015

LEVEL_NOTES = {
    AmputationLevel.SYME: (
        "Ankle disarticulation (Syme): major under PARC 2015 (at the level of the ankle or "
        "above) and when limb salvage ends proximal to Lisfranc; minor when only transtibial "
        "and higher amputations are major (SVS objective performance goals, Conte 2010)."
    ),
    AmputationLevel.CHOPART: (
        "Midtarsal (Chopart): minor under PARC 2015 and the transtibial rule; major when limb "
        "salvage ends proximal to Lisfranc (Iida 2012)."
    ),
}
