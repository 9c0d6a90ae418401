"""Checks shared by the findings services: dates against the episode, merged updates."""

from collections.abc import Collection, Mapping
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from limbsalvage.errors import NotFound, invalid
from limbsalvage.patients.models import Episode, Patient
from limbsalvage.patients.service import get_patient, invalid_from_validation, today

M = TypeVar("M", bound=BaseModel)


def check_visible(
    db: Session, *, patient_id: int, site_ids: Collection[int] | None, what: str
) -> None:
    """NotFound naming `what` unless its patient is at one of `site_ids` (None: any site)."""
    try:
        get_patient(db=db, patient_id=patient_id, site_ids=site_ids)
    except NotFound as error:
        raise NotFound(message=f"{what} not found") from error


def check_finding_date(
    db: Session,
    *,
    episode: Episode,
    patient: Patient,
    field: str,
    value: date,
    may_precede_episode: bool = False,
) -> None:
    """A finding's date: not in the future, within the patient's life and the episode."""
    limit = today(db)
    if value > limit:
        raise invalid(field, f"must not be in the future (after {limit.isoformat()})")
    if value < patient.birth_date:
        raise invalid(field, "must not be before the patient's birth_date")
    if patient.death_date is not None and value > patient.death_date:
        raise invalid(field, "must not be after the patient's death_date")
    if not may_precede_episode and value < episode.presented_on:
        raise invalid(field, "must not be before the episode's presented_on")
    if episode.closed_on is not None and value > episode.closed_on:
        raise invalid(field, "must not be after the episode's closed_on")


def merged(
    schema: type[M],
    row: object,
    changes: Mapping[str, Any],
    *,
    entity: str,
    fixed: Collection[str] = (),
) -> M:
    """The row's values with `changes` applied, revalidated as a whole by `schema`."""
    allowed = [name for name in schema.model_fields if name not in fixed]
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise invalid(
            unknown[0], f"is not a field of {entity} you can change; allowed: {', '.join(allowed)}"
        )
    current = {name: getattr(row, name) for name in schema.model_fields}
    try:
        return schema.model_validate({**current, **changes})
    except ValidationError as error:
        raise invalid_from_validation(error) from error


def apply(row: object, values: Mapping[str, Any]) -> None:
    """Set only the attributes that change (so the audit log records only real changes)."""
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
