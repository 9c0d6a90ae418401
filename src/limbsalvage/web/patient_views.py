"""Read models of patients, limbs and episodes for the API and the pages; reads are audited.

Writes go through `limbsalvage.patients.service`; these queries only shape what is shown. Every
read of patient data records who saw which patients (`record_access`), in the request's
transaction.
"""

from collections.abc import Collection
from datetime import date
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.core.vocabulary import CareSetting, EpisodeCause, EpisodeStatus, Side
from limbsalvage.db.audit import record_access
from limbsalvage.patients.models import Episode, Limb, Patient
from limbsalvage.patients.schemas import PatientCreate
from limbsalvage.staging.in_force import in_force_ids
from limbsalvage.staging.models import StagingSnapshot

T = TypeVar("T")


class PatientOut(PatientCreate):
    """A patient as the API shows it."""

    model_config = ConfigDict(from_attributes=True, extra="ignore")

    id: int
    site_id: int
    version: int
    is_synthetic: bool


class EpisodeOut(BaseModel):
    """An episode with its limb and the WIfI stage in force (None when not staged)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    patient_id: int
    limb_id: int
    side: Side
    cause: EpisodeCause
    presented_on: date
    setting: CareSetting
    status: EpisodeStatus
    closed_on: date | None
    version: int
    wifi_stage: int | None = None


class Page(BaseModel, Generic[T]):
    """One page of a list, with the total."""

    items: list[T]
    page: int
    page_size: int
    total: int


def latest_wifi_stages(db: Session, episode_ids: Collection[int]) -> dict[int, int | None]:
    """The WIfI stage of each episode's staging snapshot in force (`staging.in_force`)."""
    if not episode_ids:
        return {}
    newest = in_force_ids(episode_ids)
    rows = db.execute(
        select(StagingSnapshot.episode_id, StagingSnapshot.wifi_stage).join(
            newest, StagingSnapshot.id == newest.c.snapshot_id
        )
    ).all()
    return {int(episode_id): stage for episode_id, stage in rows}


def episode_out(episode: Episode, side: Side, stage: int | None) -> EpisodeOut:
    """The API shape of an episode."""
    return EpisodeOut.model_validate({**_columns(episode), "side": side, "wifi_stage": stage})


def _columns(row: Any) -> dict[str, Any]:
    return {c.key: getattr(row, c.key) for c in row.__mapper__.column_attrs}


def patient_episodes(db: Session, patient_id: int) -> list[EpisodeOut]:
    """Every episode of the patient, newest first, with the limb side and latest stage."""
    rows = db.execute(
        select(Episode, Limb.side)
        .join(Limb, Limb.id == Episode.limb_id)
        .where(Episode.patient_id == patient_id)
        .order_by(Episode.presented_on.desc(), Episode.id.desc())
    ).all()
    stages = latest_wifi_stages(db, [episode.id for episode, _ in rows])
    return [episode_out(episode, side, stages.get(episode.id)) for episode, side in rows]


def audit_list(db: Session, what: str, patient_ids: Collection[int]) -> None:
    """Record which patients a list showed (nothing when it showed none)."""
    if patient_ids:
        ids = ",".join(str(i) for i in sorted(set(patient_ids)))
        record_access(db, action="list", entity="patients", detail=f"{what}: {ids}")


def audit_read(db: Session, patient: Patient, what: str) -> None:
    """Record that one patient's data was opened."""
    record_access(
        db,
        action="read",
        entity="patients",
        entity_id=str(patient.id),
        patient_id=patient.id,
        site_id=patient.site_id,
        detail=what,
    )
