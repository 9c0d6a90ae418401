"""`/api/v1/events` and `/api/v1/follow-ups`: the outcome timeline and follow-up contacts.

An event passes the timeline rules before it is stored (nothing after death, amputation levels
only rising…); events a procedure owns change with the procedure only (409 otherwise). A
follow-up's VascuQoL-6 total is derived on read with its rule and cited table.
"""

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from limbsalvage.events import service
from limbsalvage.events.models import FollowUp, OutcomeEvent
from limbsalvage.events.schemas import FollowUpCreate, OutcomeEventCreate
from limbsalvage.web.api_support import (
    RANGE_CHECKED,
    Change,
    DerivedOut,
    Id,
    OptionalId,
    PageNumber,
    PageSize,
    Reader,
    Writer,
    audit_patient,
    derived_out,
    page_model,
    paged,
    reading,
    row_model,
    writing,
)
from limbsalvage.web.auth import Database
from limbsalvage.web.errors import ERROR_RESPONSES

router = APIRouter(
    prefix="/api/v1", tags=["events"], responses=ERROR_RESPONSES, dependencies=RANGE_CHECKED
)

EventOut = row_model(OutcomeEvent, name="OutcomeEventOut")
FollowUpRow = row_model(FollowUp, name="FollowUpRow")


class FollowUpOut(BaseModel):
    """A follow-up contact with its derived VascuQoL-6 total (or why there is none)."""

    follow_up: FollowUpRow  # type: ignore[valid-type]
    vascuqol6: DerivedOut


def _follow_up(row: FollowUp) -> FollowUpOut:
    return FollowUpOut(
        follow_up=FollowUpRow.model_validate(row),
        vascuqol6=derived_out(service.vascuqol6_score(row)),
    )


@router.get(
    "/patients/{patient_id}/events",
    summary="A patient's outcome timeline",
    response_model=page_model(EventOut),
)
def list_events(
    *,
    db: Database,
    principal: Reader,
    patient_id: Id,
    limb_id: OptionalId = None,
    page: PageNumber = 1,
    page_size: PageSize = 50,
) -> Any:
    """The patient's events in date order (`?limb_id=`: one limb and the patient's own); audited."""
    rows = service.list_events(
        db=db, patient_id=patient_id, site_ids=reading(principal), limb_id=limb_id
    )
    return paged(
        db, "api events", rows, page=page, page_size=page_size, shape=EventOut.model_validate
    )


@router.post(
    "/patients/{patient_id}/events",
    status_code=201,
    summary="Record an outcome event",
    response_model=EventOut,
)
def record_event(
    db: Database, principal: Writer, patient_id: Id, event_in: OutcomeEventCreate
) -> Any:
    """An event on the timeline (limb events name the side); a death sets the patient's."""
    row = service.record_event(
        db=db, patient_id=patient_id, event_in=event_in, site_ids=writing(principal)
    )
    return EventOut.model_validate(row)


@router.get("/events/{event_id}", summary="One outcome event", response_model=EventOut)
def get_event(db: Database, principal: Reader, event_id: Id) -> Any:
    """The event; the read is audited."""
    row = service.get_event(db=db, event_id=event_id, site_ids=reading(principal))
    audit_patient(db, row.patient_id, f"api outcome event {row.id}")
    return EventOut.model_validate(row)


@router.patch("/events/{event_id}", summary="Correct an outcome event", response_model=EventOut)
def update_event(db: Database, principal: Writer, event_id: Id, change: Change) -> Any:
    """Apply `changes` to a stand-alone event read at `version`; 409 if stale or owned."""
    row = service.update_event(
        db=db,
        event_id=event_id,
        expected_version=change.version,
        changes=change.changes,
        site_ids=writing(principal),
    )
    return EventOut.model_validate(row)


@router.get(
    "/episodes/{episode_id}/follow-ups",
    summary="An episode's follow-up contacts",
    response_model=page_model(FollowUpOut),
)
def list_follow_ups(
    db: Database, principal: Reader, episode_id: Id, page: PageNumber = 1, page_size: PageSize = 50
) -> Any:
    """The episode's follow-ups in date order, each with its VascuQoL-6 total; audited."""
    rows = service.list_follow_ups(db=db, episode_id=episode_id, site_ids=reading(principal))
    return paged(db, "api follow-ups", rows, page=page, page_size=page_size, shape=_follow_up)


@router.post(
    "/episodes/{episode_id}/follow-ups", status_code=201, summary="Record a follow-up contact"
)
def record_follow_up(
    db: Database, principal: Writer, episode_id: Id, follow_up_in: FollowUpCreate
) -> FollowUpOut:
    """A follow-up of the episode (VascuQoL-6: all six answers or none)."""
    row = service.record_follow_up(
        db=db, episode_id=episode_id, follow_up_in=follow_up_in, site_ids=writing(principal)
    )
    return _follow_up(row)


@router.get("/follow-ups/{follow_up_id}", summary="One follow-up contact")
def get_follow_up(db: Database, principal: Reader, follow_up_id: Id) -> FollowUpOut:
    """The follow-up with its VascuQoL-6 total; audited."""
    row = service.get_follow_up(db=db, follow_up_id=follow_up_id, site_ids=reading(principal))
    audit_patient(db, row.patient_id, f"api follow-up {row.id}")
    return _follow_up(row)


@router.patch("/follow-ups/{follow_up_id}", summary="Correct a follow-up contact")
def update_follow_up(
    db: Database, principal: Writer, follow_up_id: Id, change: Change
) -> FollowUpOut:
    """Apply `changes` to the follow-up read at `version`, revalidated whole; 409 if stale."""
    row = service.update_follow_up(
        db=db,
        follow_up_id=follow_up_id,
        expected_version=change.version,
        changes=change.changes,
        site_ids=writing(principal),
    )
    return _follow_up(row)
