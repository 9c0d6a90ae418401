"""Validated input for procedures, grafts, treated segments and surveillance studies."""

from datetime import date
from typing import Annotated, Self

from pydantic import Field, StringConstraints, model_validator

from limbsalvage.core.vocabulary import (
    AmputationLevel,
    Conduit,
    DuplexPatency,
    LesionType,
    ProcedureKind,
    Side,
    VesselSegment,
)
from limbsalvage.patients.schemas import Strict

CONDUIT_KINDS = frozenset({ProcedureKind.BYPASS, ProcedureKind.GRAFT_REVISION})
DRUG_ELUTING_KINDS = frozenset({ProcedureKind.STENT, ProcedureKind.ANGIOPLASTY})


class ProcedureFields(Strict):
    """What was done, on which limb and when; the cross-field rules mirror the table's checks."""

    side: Side
    episode_id: int | None = None
    performed_on: date
    kind: ProcedureKind
    drug_eluting: bool | None = None
    conduit: Conduit | None = None
    amputation_level: AmputationLevel | None = None
    technical_success: bool | None = None
    operator_id: int | None = None
    complications: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None
    ) = None

    @model_validator(mode="after")
    def _kind_specific_fields(self) -> Self:
        amputation = self.kind is ProcedureKind.AMPUTATION
        if amputation and self.amputation_level is None:
            raise ValueError("amputation_level: required for an amputation")
        if not amputation and self.amputation_level is not None:
            raise ValueError("amputation_level: only for kind amputation")
        if self.kind is ProcedureKind.BYPASS and self.conduit is None:
            raise ValueError("conduit: required for a bypass")
        if self.kind is ProcedureKind.GRAFT_REVISION and self.conduit is None:
            # The code means a jump or interposition graft (a major reintervention, Conte 2009);
            # its new segment has a conduit. A patch revision is a different, minor procedure.
            raise ValueError(
                "conduit: required for a graft_revision (the jump or interposition graft's "
                "conduit); record a patch revision as patch_angioplasty"
            )
        if self.conduit is not None and self.kind not in CONDUIT_KINDS:
            raise ValueError("conduit: only for kind bypass or graft_revision")
        if self.drug_eluting is not None and self.kind not in DRUG_ELUTING_KINDS:
            raise ValueError(
                "drug_eluting: only for kind stent (drug-eluting stent) or angioplasty "
                "(drug-coated balloon)"
            )
        return self


class ProcedureCreate(ProcedureFields):
    """A new procedure."""


class GraftCreate(Strict):
    """A graft built by a bypass or graft-revision procedure."""

    inflow_segment: VesselSegment
    outflow_segment: VesselSegment


class TreatedSegmentCreate(Strict):
    """A segment treated by a procedure."""

    segment: VesselSegment
    lesion: LesionType | None = None
    lesion_length_cm: float | None = Field(default=None, gt=0, le=100)
    residual_stenosis_pct: float | None = Field(default=None, ge=0, le=100)
    graft_id: int | None = None
    retreats_segment_id: int | None = None


class SurveillanceStudyCreate(Strict):
    """A duplex study of one graft or one treated segment."""

    graft_id: int | None = None
    treated_segment_id: int | None = None
    studied_on: date
    patency: DuplexPatency
    peak_systolic_velocity_cm_s: float | None = Field(default=None, ge=0, le=1000)
    velocity_ratio: float | None = Field(default=None, gt=0, le=50)

    @model_validator(mode="after")
    def _one_target(self) -> Self:
        if (self.graft_id is None) == (self.treated_segment_id is None):
            raise ValueError("graft_id: give exactly one of graft_id or treated_segment_id")
        return self
