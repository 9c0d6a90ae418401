"""Use cases for patients, limbs and episodes. Services flush but never commit."""

from collections.abc import Collection
from datetime import date
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from limbsalvage.assessments.photo_files import remove_after_commit
from limbsalvage.core.vocabulary import EpisodeStatus, Side
from limbsalvage.db import audit
from limbsalvage.db.base import Base
from limbsalvage.db.clock import now
from limbsalvage.db.guard import check_version, guarded
from limbsalvage.errors import Conflict, FieldProblem, Invalid, NotFound, invalid
from limbsalvage.patients.models import Episode, Limb, Patient
from limbsalvage.patients.schemas import EpisodeClose, EpisodeCreate, PatientCreate, PatientFields
from limbsalvage.patients.search import TERMS, matching
from limbsalvage.settings import Settings

PATIENT_DATES = ("birth_date", "death_date", "last_known_alive_date")


def today(db: Session) -> date:
    """The session clock's date (UTC)."""
    return now(db).date()


def invalid_from_validation(error: ValidationError) -> Invalid:
    """A pydantic error as one `Invalid` naming every field (never echoing the value)."""
    problems = []
    for item in error.errors():
        location = ".".join(str(part) for part in item["loc"]) or "input"
        message = str(item["msg"]).removeprefix("Value error, ")
        if ": " in message and not item["loc"]:
            location, message = message.split(": ", 1)
        problems.append(FieldProblem(location, message))
    summary = "; ".join(f"{p.field}: {p.message}" for p in problems)
    return Invalid(message=summary, fields=problems)


def _no_future_dates(db: Session, values: dict[str, Any], names: Collection[str]) -> None:
    limit = today(db)
    problems = [
        FieldProblem(name, f"must not be in the future (after {limit.isoformat()})")
        for name in names
        if isinstance(values.get(name), date) and values[name] > limit
    ]
    if problems:
        raise Invalid(
            message="; ".join(f"{p.field}: {p.message}" for p in problems), fields=problems
        )


def create_patient(*, db: Session, site_id: int, patient_in: PatientCreate) -> Patient:
    """Register a patient; the MRN must be new at the site."""
    values = patient_in.model_dump()
    _no_future_dates(db, values, PATIENT_DATES)
    taken = db.scalar(
        select(Patient.id).where(Patient.site_id == site_id, Patient.mrn == values["mrn"])
    )
    if taken is not None:
        raise Conflict(message="mrn: a patient with this MRN already exists at this site")
    with guarded(db, conflict_message="mrn: a patient with this MRN already exists at this site"):
        patient = Patient(site_id=site_id, **values)
        db.add(patient)
    return patient


def get_patient(
    *, db: Session, patient_id: int, site_ids: Collection[int] | None = None
) -> Patient:
    """The patient, if it exists at one of `site_ids` (None: any site)."""
    patient = db.get(Patient, patient_id)
    if patient is None or (site_ids is not None and patient.site_id not in site_ids):
        raise NotFound(message=f"patient {patient_id} not found")
    return patient


def list_patients(
    *,
    db: Session,
    site_ids: Collection[int],
    search: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Patient], int]:
    """Patients of `site_ids`, by family then given name; optional name/MRN search (what
    matches: limbsalvage.core.search_terms); total."""
    query = select(Patient).where(Patient.site_id.in_(site_ids))
    query = query.where(*matching(Patient.id, search))
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.scalars(
        query.order_by(Patient.family_name, Patient.given_name, Patient.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return list(rows), total


def update_patient(
    *,
    db: Session,
    patient_id: int,
    expected_version: int,
    changes: dict[str, Any],
    site_ids: Collection[int] | None = None,
) -> Patient:
    """Apply `changes` to a patient read at `expected_version`, revalidating the whole record."""
    patient = get_patient(db=db, patient_id=patient_id, site_ids=site_ids)
    check_version(patient, expected_version=expected_version, entity="patient")
    unknown = sorted(set(changes) - set(PatientCreate.model_fields))
    if unknown:
        raise invalid(
            unknown[0], f"is not a patient field; allowed: {', '.join(PatientCreate.model_fields)}"
        )
    current = {name: getattr(patient, name) for name in PatientCreate.model_fields}
    try:
        merged = PatientCreate.model_validate({**current, **changes})
    except ValidationError as error:
        raise invalid_from_validation(error) from error
    values = merged.model_dump()
    _no_future_dates(db, values, [name for name in PATIENT_DATES if name in changes])
    if values["mrn"] != patient.mrn:
        taken = db.scalar(
            select(Patient.id).where(
                Patient.site_id == patient.site_id, Patient.mrn == values["mrn"]
            )
        )
        if taken is not None:
            raise Conflict(message="mrn: a patient with this MRN already exists at this site")
    if values["death_date"] != patient.death_date:
        _check_death_date(db, patient, values["death_date"])
    with guarded(db, conflict_message="mrn: a patient with this MRN already exists at this site"):
        for name, value in values.items():
            if getattr(patient, name) != value:
                setattr(patient, name, value)
    return patient


def _check_death_date(db: Session, patient: Patient, death_date: date | None) -> None:
    """A changed death date must agree with the death event and follow every record."""
    # Imported here: the events service builds on this module.
    from limbsalvage.events.service import check_patient_death_date  # noqa: PLC0415

    check_patient_death_date(db=db, patient=patient, death_date=death_date)


def _clinical_tables() -> list[Any]:
    """Every table holding rows of one patient, children before parents."""
    tables = [t for t in reversed(Base.metadata.sorted_tables) if "patient_id" in t.c]
    # The audit log outlives the patient; the search terms are derived and go with the row.
    return [t for t in tables if t.name not in ("audit_entries", TERMS.name)]


def delete_patient(
    *, db: Session, patient_id: int, site_ids: Collection[int] | None = None
) -> None:
    """Delete a patient registered in error; refused once any clinical data exists."""
    patient = get_patient(db=db, patient_id=patient_id, site_ids=site_ids)
    for table in _clinical_tables():
        if db.scalar(
            select(func.count()).select_from(table).where(table.c.patient_id == patient_id)
        ):
            raise Conflict(
                message=(
                    f"patient {patient_id} has clinical data ({table.name}); it cannot be "
                    "deleted. An administrator may purge it with `limbsalvage admin "
                    "purge-patient`, which is audited"
                )
            )
    with guarded(
        db, conflict_message=f"patient {patient_id} is still referenced and cannot be deleted"
    ):
        db.delete(patient)


def purge_patient(
    *, db: Session, patient_id: int, reason: str, settings: Settings
) -> dict[str, int]:
    """Remove a patient, every row of their clinical data and, once committed, their photo files
    (administrators only); audited."""
    if not reason.strip():
        raise invalid("reason", "a reason is required to purge a patient")
    patient = get_patient(db=db, patient_id=patient_id)
    counts: dict[str, int] = {}
    db.flush()
    for table in _clinical_tables():
        removed = db.scalar(
            select(func.count()).select_from(table).where(table.c.patient_id == patient_id)
        )
        if removed:
            db.execute(delete(table).where(table.c.patient_id == patient_id))
            counts[table.name] = removed
    audit.record_access(
        db,
        action="purge",
        entity="patients",
        entity_id=str(patient_id),
        patient_id=patient_id,
        site_id=patient.site_id,
        detail=f"reason: {reason.strip()}; rows: {counts}",
    )
    with guarded(db, conflict_message=f"patient {patient_id} could not be purged"):
        db.delete(patient)
    remove_after_commit(db, data_dir=settings.data_dir, patient_ids=[patient_id])
    return counts


def get_or_create_limb(*, db: Session, patient_id: int, side: Side) -> Limb:
    """The patient's limb on `side`, created on first use."""
    limb = db.scalar(select(Limb).where(Limb.patient_id == patient_id, Limb.side == side))
    if limb is None:
        with guarded(db, conflict_message=f"the {side.value} limb already exists"):
            limb = Limb(patient_id=patient_id, side=side)
            db.add(limb)
    return limb


def open_episode(
    *,
    db: Session,
    patient_id: int,
    episode_in: EpisodeCreate,
    site_ids: Collection[int] | None = None,
) -> Episode:
    """Open a threatened-limb episode; one open episode per limb at a time."""
    patient = get_patient(db=db, patient_id=patient_id, site_ids=site_ids)
    _no_future_dates(db, episode_in.model_dump(), ["presented_on"])
    if episode_in.presented_on < patient.birth_date:
        raise invalid("presented_on", "must not be before the patient's birth_date")
    if patient.death_date is not None and episode_in.presented_on > patient.death_date:
        raise invalid("presented_on", "must not be after the patient's death_date")
    limb = get_or_create_limb(db=db, patient_id=patient_id, side=episode_in.side)
    already_open = db.scalar(
        select(Episode.id).where(Episode.limb_id == limb.id, Episode.status == EpisodeStatus.OPEN)
    )
    if already_open is not None:
        raise Conflict(
            message=(
                f"the {episode_in.side.value} limb already has an open episode "
                f"({already_open}); close it first"
            )
        )
    episode = Episode(
        patient_id=patient_id,
        limb_id=limb.id,
        cause=episode_in.cause,
        presented_on=episode_in.presented_on,
        setting=episode_in.setting,
    )
    with guarded(db, conflict_message="the episode could not be stored"):
        db.add(episode)
    return episode


def get_episode(
    *, db: Session, episode_id: int, site_ids: Collection[int] | None = None
) -> Episode:
    """The episode, if its patient is at one of `site_ids`."""
    episode = db.get(Episode, episode_id)
    try:
        if episode is None:
            raise NotFound(message=f"episode {episode_id} not found")
        get_patient(db=db, patient_id=episode.patient_id, site_ids=site_ids)
    except NotFound as error:
        # Another site's episode must not reveal its patient's id.
        raise NotFound(message=f"episode {episode_id} not found") from error
    return episode


def close_episode(
    *, db: Session, episode_id: int, close_in: EpisodeClose, site_ids: Collection[int] | None = None
) -> Episode:
    """Close an episode on a date not before its presentation."""
    episode = get_episode(db=db, episode_id=episode_id, site_ids=site_ids)
    check_version(episode, expected_version=close_in.version, entity="episode")
    _no_future_dates(db, close_in.model_dump(), ["closed_on"])
    if close_in.closed_on < episode.presented_on:
        raise invalid("closed_on", "must not be before presented_on")
    with guarded(db, conflict_message="the episode could not be closed"):
        episode.closed_on = close_in.closed_on
        episode.status = close_in.status
    return episode


__all__ = [
    "PatientFields",
    "close_episode",
    "create_patient",
    "delete_patient",
    "get_episode",
    "get_or_create_limb",
    "get_patient",
    "list_patients",
    "open_episode",
    "purge_patient",
    "update_patient",
]
