"""`/api/v1/wounds`: an episode's wounds, their serial measurements and the derived area reduction.

The percentage area reductions (since the first measurement, and at 4 weeks) are derived on read
by limbsalvage.core.wound_area, never stored; when one cannot be derived the reason says why.
"""

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from limbsalvage.core.wound_area import AreaReduction
from limbsalvage.web.api_support import (
    RANGE_CHECKED,
    Change,
    Id,
    PageNumber,
    PageSize,
    Reader,
    Writer,
    audit_patient,
    page_model,
    paged,
    reading,
    row_model,
    writing,
)
from limbsalvage.web.auth import Database
from limbsalvage.web.classify_api import ClassificationOut
from limbsalvage.web.errors import ERROR_RESPONSES
from limbsalvage.wounds import service
from limbsalvage.wounds.models import Wound, WoundMeasurement
from limbsalvage.wounds.schemas import MeasurementFields, WoundFields

router = APIRouter(
    prefix="/api/v1", tags=["wounds"], responses=ERROR_RESPONSES, dependencies=RANGE_CHECKED
)

WoundOut = row_model(Wound, name="WoundOut")
MeasurementOut = row_model(WoundMeasurement, name="WoundMeasurementOut")


class AreaProgressOut(BaseModel):
    """Area reduction since baseline and at 4 weeks (inputs, rule, source), or why none."""

    since_baseline: ClassificationOut | None
    since_baseline_reason: str
    four_week: ClassificationOut | None
    four_week_reason: str


def _reduction(value: AreaReduction | None) -> ClassificationOut | None:
    return None if value is None else ClassificationOut.model_validate(value.as_dict())


@router.get(
    "/episodes/{episode_id}/wounds",
    summary="An episode's wounds",
    response_model=page_model(WoundOut),
)
def list_wounds(
    db: Database, principal: Reader, episode_id: Id, page: PageNumber = 1, page_size: PageSize = 50
) -> Any:
    """The episode's wounds in the order recorded; the read is audited."""
    rows = service.list_wounds(db=db, episode_id=episode_id, site_ids=reading(principal))
    return paged(
        db, "api wounds", rows, page=page, page_size=page_size, shape=WoundOut.model_validate
    )


@router.post(
    "/episodes/{episode_id}/wounds",
    status_code=201,
    summary="Record a wound",
    response_model=WoundOut,
)
def create_wound(db: Database, principal: Writer, episode_id: Id, wound_in: WoundFields) -> Any:
    """A wound of the episode's limb; its label is new in the episode."""
    row = service.create_wound(
        db=db, episode_id=episode_id, wound_in=wound_in, site_ids=writing(principal)
    )
    return WoundOut.model_validate(row)


@router.get("/wounds/{wound_id}", summary="One wound", response_model=WoundOut)
def get_wound(db: Database, principal: Reader, wound_id: Id) -> Any:
    """The wound; the read is audited."""
    row = service.get_wound(db=db, wound_id=wound_id, site_ids=reading(principal))
    audit_patient(db, row.patient_id, f"api wound {row.id}")
    return WoundOut.model_validate(row)


@router.patch(
    "/wounds/{wound_id}", summary="Change a wound (optimistic concurrency)", response_model=WoundOut
)
def update_wound(db: Database, principal: Writer, wound_id: Id, change: Change) -> Any:
    """Apply `changes` to the wound read at `version`; 409 if it changed since."""
    row = service.update_wound(
        db=db,
        wound_id=wound_id,
        expected_version=change.version,
        changes=change.changes,
        site_ids=writing(principal),
    )
    return WoundOut.model_validate(row)


@router.get("/wounds/{wound_id}/area-reduction", summary="A wound's area reduction (derived)")
def area_reduction(db: Database, principal: Reader, wound_id: Id) -> AreaProgressOut:
    """Percentage area reduction since the first measurement and at 4 weeks; audited."""
    progress = service.wound_area_progress(db=db, wound_id=wound_id, site_ids=reading(principal))
    wound = service.get_wound(db=db, wound_id=wound_id)
    audit_patient(db, wound.patient_id, f"api wound {wound.id} area reduction")
    return AreaProgressOut(
        since_baseline=_reduction(progress.since_baseline),
        since_baseline_reason=progress.since_baseline_reason,
        four_week=_reduction(progress.four_week),
        four_week_reason=progress.four_week_reason,
    )


@router.get(
    "/wounds/{wound_id}/measurements",
    summary="A wound's measurements",
    response_model=page_model(MeasurementOut),
)
def list_measurements(
    db: Database, principal: Reader, wound_id: Id, page: PageNumber = 1, page_size: PageSize = 50
) -> Any:
    """The wound's measurements, oldest first; the read is audited."""
    rows = service.list_measurements(db=db, wound_id=wound_id, site_ids=reading(principal))
    return paged(
        db,
        "api wound measurements",
        rows,
        page=page,
        page_size=page_size,
        shape=MeasurementOut.model_validate,
    )


@router.post(
    "/wounds/{wound_id}/measurements",
    status_code=201,
    summary="Record a wound measurement",
    response_model=MeasurementOut,
)
def create_measurement(
    db: Database, principal: Writer, wound_id: Id, measurement_in: MeasurementFields
) -> Any:
    """A measurement on a date; without an area, the ellipse formula gives it from L × W."""
    row = service.create_measurement(
        db=db, wound_id=wound_id, measurement_in=measurement_in, site_ids=writing(principal)
    )
    return MeasurementOut.model_validate(row)


@router.get(
    "/wound-measurements/{measurement_id}",
    summary="One wound measurement",
    response_model=MeasurementOut,
)
def get_measurement(db: Database, principal: Reader, measurement_id: Id) -> Any:
    """The measurement; the read is audited."""
    row = service.get_measurement(db=db, measurement_id=measurement_id, site_ids=reading(principal))
    audit_patient(db, row.patient_id, f"api wound measurement {row.id}")
    return MeasurementOut.model_validate(row)


@router.patch(
    "/wound-measurements/{measurement_id}",
    summary="Change a wound measurement (optimistic concurrency)",
    response_model=MeasurementOut,
)
def update_measurement(db: Database, principal: Writer, measurement_id: Id, change: Change) -> Any:
    """Apply `changes` to the measurement read at `version`; a computed area is recomputed."""
    row = service.update_measurement(
        db=db,
        measurement_id=measurement_id,
        expected_version=change.version,
        changes=change.changes,
        site_ids=writing(principal),
    )
    return MeasurementOut.model_validate(row)
