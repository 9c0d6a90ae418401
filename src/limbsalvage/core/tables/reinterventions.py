"""Major and minor reinterventions by procedure kind (SVS objective performance goals)."""

from enum import StrEnum

from limbsalvage.core.sources import Table
from limbsalvage.core.tables.amputation_levels import CONTE_2010
from limbsalvage.core.vocabulary import ProcedureKind


class ReinterventionClass(StrEnum):
    """How a revascularisation after the index procedure counts for MALE."""

    MAJOR = "major"
    MINOR = "minor"


REINTERVENTION_TABLE = Table(
    table_id="reintervention-class",
    version="2010.1",
    source=CONTE_2010,
    locator="abstract, definition of MALE",
    checked=(
        "Major: read in the published abstract (thrombectomy, thrombolysis, or a major surgical "
        "procedure: new bypass graft, jump or interposition graft revision). Minor (other "
        "endovascular procedures, minor surgical revision such as patch angioplasty): from the "
        "objective-performance-goal definitions as reproduced in secondary sources; to verify "
        "in J Vasc Surg 2009;50:1462–73. Endarterectomy is not named; see the note."
    ),
)

REINTERVENTION_CLASS: dict[ProcedureKind, ReinterventionClass] = {
    ProcedureKind.BYPASS: ReinterventionClass.MAJOR,
    ProcedureKind.GRAFT_REVISION: ReinterventionClass.MAJOR,  # jump / interposition graft
    ProcedureKind.THROMBECTOMY: ReinterventionClass.MAJOR,
    ProcedureKind.THROMBOLYSIS: ReinterventionClass.MAJOR,
    ProcedureKind.ANGIOPLASTY: ReinterventionClass.MINOR,
    ProcedureKind.STENT: ReinterventionClass.MINOR,
    ProcedureKind.ATHERECTOMY: ReinterventionClass.MINOR,
    ProcedureKind.PATCH_ANGIOPLASTY: ReinterventionClass.MINOR,
    ProcedureKind.ENDARTERECTOMY: ReinterventionClass.MINOR,
}

ENDARTERECTOMY_NOTE = (
    "Endarterectomy is not named by the definition; read as a minor surgical revision like "
    "patch angioplasty (an open repair of the treated artery, not a new graft)."
)

# Every other kind (venous, wound, amputation, reconstruction) is not an arterial
# revascularisation and never counts as a reintervention for MALE.
NOT_REVASCULARISATION = frozenset(set(ProcedureKind) - set(REINTERVENTION_CLASS))
