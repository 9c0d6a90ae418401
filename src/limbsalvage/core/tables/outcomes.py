"""Which amputation levels are major, which procedures are a major reintervention, MACE events.

Endpoints are derived from coded procedures and events only (never from free text); the
clinical meaning of each code comes from the cited tables below.
"""

from enum import StrEnum
from types import MappingProxyType

from limbsalvage.core.sources import Source, Table
from limbsalvage.core.vocabulary import (
    AmputationLevel,
    Conduit,
    ImagingModality,
    OutcomeEventKind,
    ProcedureKind,
)

PARC_2015 = Source(
    citation=(
        "Patel MR, Conte MS, Cutlip DE, et al. Evaluation and treatment of patients with lower "
        "extremity peripheral artery disease: consensus definitions from Peripheral Academic "
        "Research Consortium (PARC). J Am Coll Cardiol 2015;65:931–41"
    ),
    doi="10.1016/j.jacc.2014.12.036",
)
SVS_OPG_2009 = Source(
    citation=(
        "Conte MS, Geraghty PJ, Bradbury AW, et al. Suggested objective performance goals and "
        "clinical trial design for evaluating catheter-based treatment of critical limb "
        "ischemia. J Vasc Surg 2009;50:1462–73"
    ),
)
SVS_OPG_2010_REVIEW = Source(
    citation=(
        "Conte MS. Understanding objective performance goals for critical limb ischemia "
        "trials. Semin Vasc Surg 2010;23:129–37"
    ),
    doi="10.1053/j.semvascsurg.2010.06.001",
)
GVG_2019 = Source(
    citation=(
        "Conte MS, Bradbury AW, Kolh P, et al. Global vascular guidelines on the management of "
        "chronic limb-threatening ischemia. J Vasc Surg 2019;69:3S–125S.e40"
    ),
    doi="10.1016/j.jvs.2019.02.016",
)


class MajorAmputationDefinition(StrEnum):
    """Where 'major' starts: the published definitions disagree only about the Syme level."""

    ABOVE_ANKLE = "above_ankle"
    ANKLE_OR_ABOVE = "ankle_or_above"


# The levels every definition we read calls major (transtibial and above).
_ALWAYS_MAJOR = frozenset(
    {
        AmputationLevel.BELOW_KNEE,
        AmputationLevel.KNEE_DISARTICULATION,
        AmputationLevel.ABOVE_KNEE,
        AmputationLevel.HIP_DISARTICULATION,
        AmputationLevel.HEMIPELVECTOMY,
    }
)

MAJOR_AMPUTATION_LEVELS: MappingProxyType[MajorAmputationDefinition, frozenset[AmputationLevel]] = (
    MappingProxyType(
        {
            # SVS OPG 2009 (MALE: "amputation (transtibial or above)", Conte 2010 abstract) and the
            # Global Vascular Guidelines ("major amputation: above the ankle"): Syme, an ankle
            # disarticulation, is not above the ankle, so it is minor.
            MajorAmputationDefinition.ABOVE_ANKLE: _ALWAYS_MAJOR,
            # PARC 2015 Table 6: "any procedure that results in an amputation at the level of the
            # ankle or above" — Syme is at the ankle, so it is major.
            MajorAmputationDefinition.ANKLE_OR_ABOVE: _ALWAYS_MAJOR | {AmputationLevel.SYME},
        }
    )
)

# Our choice: the reading of the SVS performance goals and the Global Vascular Guidelines, so that
# program figures are comparable with the goals they are set against. Chopart (midtarsal) is
# below the ankle in every definition read, hence minor in both readings.
DEFAULT_MAJOR_AMPUTATION = MajorAmputationDefinition.ABOVE_ANKLE

MAJOR_AMPUTATION_TABLE = Table(
    table_id="major-amputation-levels",
    version="2015.1",
    source=PARC_2015,
    locator=(
        "Table 6, amputation definitions (ankle or above); the above-the-ankle reading from "
        "Conte 2009/2010 (MALE: transtibial or above) and GVG 2019"
    ),
    checked=(
        "PARC Table 6 read in the JACC web table ('at the level of the ankle or above'); the "
        "OPG wording read in the abstract of Conte 2010 (Semin Vasc Surg 23:129–37); the GVG "
        "wording is the issue's ('above the ankle') and was not re-read in the guideline. The "
        "readings differ only at Syme; both are kept and the above-the-ankle one is the default."
    ),
)

# Conte 2009 / 2010: a major vascular reintervention is thrombectomy, thrombolysis or a major
# surgical procedure (new bypass graft, jump or interposition graft revision) in the index limb.
# Our `graft_revision` code means a jump or interposition graft only (it carries the conduit of
# the new segment, required on entry); a patch revision is coded `patch_angioplasty`.
MAJOR_REINTERVENTION_PROCEDURES: frozenset[ProcedureKind] = frozenset(
    {
        ProcedureKind.BYPASS,
        ProcedureKind.GRAFT_REVISION,
        ProcedureKind.THROMBECTOMY,
        ProcedureKind.THROMBOLYSIS,
    }
)

# Reinterventions the OPG does not call major: endovascular treatment (angioplasty, stent,
# atherectomy) and open procedures that are not a new or jump/interposition graft —
# endarterectomy, and patch angioplasty (of a native artery or of a graft stenosis: a minor
# surgical revision, Conte 2009). PARC 2015 lists endarterectomy among the surgical
# revascularizations (Table 4, acute technical success).
MINOR_REINTERVENTION_PROCEDURES: frozenset[ProcedureKind] = frozenset(
    {
        ProcedureKind.ANGIOPLASTY,
        ProcedureKind.STENT,
        ProcedureKind.ATHERECTOMY,
        ProcedureKind.ENDARTERECTOMY,
        ProcedureKind.PATCH_ANGIOPLASTY,
    }
)

# Any arterial revascularization of the limb; after the index procedure each is a reintervention.
REVASCULARIZATION_PROCEDURES: frozenset[ProcedureKind] = (
    MAJOR_REINTERVENTION_PROCEDURES | MINOR_REINTERVENTION_PROCEDURES
)

MAJOR_REINTERVENTION_TABLE = Table(
    table_id="major-reintervention-procedures",
    version="2026.1",
    source=SVS_OPG_2009,
    locator="definition of MALE (major adverse limb event), as summarised in Conte 2010",
    checked=(
        "Read in the abstract of Conte 2010 (Semin Vasc Surg 23:129–37): 'any major vascular "
        "reintervention (thrombectomy, thrombolysis, or major surgical procedure [new bypass "
        "graft, jump/interposition graft revision])'. Endarterectomy as a surgical "
        "revascularization: PARC 2015 Table 4 (PMC4874808). Version 2026.1 adds "
        "patch_angioplasty as a minor reintervention (it was not counted at all) and makes "
        "graft_revision mean jump/interposition grafts only (its conduit is required), so a "
        "patch revision is no longer counted as major. PARC's claudication 'clinical failure' "
        "counts any open revision of a bypass (Table 6); we follow the OPG, the CLTI "
        "definition."
    ),
)

# Conte 2009: major adverse cardiovascular events are death, myocardial infarction and stroke.
MACE_EVENTS: frozenset[OutcomeEventKind] = frozenset(
    {
        OutcomeEventKind.DEATH,
        OutcomeEventKind.MYOCARDIAL_INFARCTION,
        OutcomeEventKind.STROKE,
    }
)

# Conduits that make a bypass an autologous (vein) bypass, the OPG's comparator.
AUTOLOGOUS_VEIN_CONDUITS: frozenset[Conduit] = frozenset(
    {
        Conduit.GREAT_SAPHENOUS_VEIN,
        Conduit.SMALL_SAPHENOUS_VEIN,
        Conduit.ARM_VEIN,
        Conduit.SPLICED_VEIN,
    }
)

# On one calendar day, events are taken in this order (first wins): limb events before
# cardiovascular events before death, and healing last. A death on the day of an amputation is
# read as death after the amputation; a wound recorded healed on the day of death or of a major
# amputation is not counted as healed.
SAME_DAY_ORDER: tuple[str, ...] = (
    "major_amputation",
    "major_reintervention",
    "reintervention",
    OutcomeEventKind.MYOCARDIAL_INFARCTION.value,
    OutcomeEventKind.STROKE.value,
    OutcomeEventKind.DEATH.value,
    OutcomeEventKind.WOUND_HEALED.value,
)


# Angiography before major amputation (a program metric). GVG 2019 good practice statements 6.15
# (high-quality angiographic imaging with views of the ankle and foot for every CLTI patient who
# is a candidate for revascularization) and 6.19 (no CLTI patient is called unsuitable for
# revascularization without review of adequate-quality imaging): so the studies that count are
# the angiographic ones — catheter digital subtraction angiography, CT angiography and MR
# angiography. Duplex ultrasound maps disease but is not angiography (the guideline's first-line
# imaging, 3.7); it is reported beside the metric, not in it. Plain films, CT, MRI and nuclear
# studies (bone and soft tissue) never count.
ANGIOGRAPHIC_MODALITIES: frozenset[ImagingModality] = frozenset(
    {
        ImagingModality.DIGITAL_SUBTRACTION_ANGIOGRAPHY,
        ImagingModality.CT_ANGIOGRAPHY,
        ImagingModality.MR_ANGIOGRAPHY,
    }
)
SANGUILY_2016 = Source(
    citation=(
        "Sanguily J et al. Reducing amputation rates in critical limb ischemia patients via a "
        "limb salvage program. Vasc Dis Manag 2016;13(5):E112–9"
    ),
)
GOODNEY_2012 = Source(
    citation=(
        "Goodney PP et al. Variation in the use of lower extremity "
        "vascular procedures for critical limb ischemia. Circ Cardiovasc Qual Outcomes "
        "2012;5:94–102"
    ),
    doi="10.1161/CIRCOUTCOMES.111.962233",
)
# The year before the amputation, as the Medicare studies of care before major amputation read
# it (Goodney 2012: vascular procedures in the year before amputation).
ANGIOGRAPHY_LOOKBACK_DAYS = 365
ANGIOGRAPHY_TABLE = Table(
    table_id="angiography-before-major-amputation",
    version="2019.1",
    source=GVG_2019,
    locator="good practice statements 6.15 and 6.19 (imaging before calling a limb unsalvageable)",
    checked=(
        "The two statements were read in the PMC author manuscript's recommendation table. The "
        "metric itself (share of major amputations preceded by angiography) follows the limb "
        "salvage program of Sanguily 2016, which counted CLTI patients given angiography; the "
        "one-year look-back follows Goodney 2012 (vascular procedures in the year before "
        "major amputation, Medicare). Neither defines an exact window or modality list: both "
        "are this program's reading, listed in docs/sources-to-verify.md."
    ),
)
