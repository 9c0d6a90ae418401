"""Site scoping for coordination rows: not found names the entity asked for, nothing else."""

from collections.abc import Collection

from sqlalchemy.orm import Session

from limbsalvage.errors import NotFound
from limbsalvage.patients.models import Episode, Patient


def patient_visible(db: Session, patient_id: int, site_ids: Collection[int] | None) -> bool:
    """True when the patient is at one of `site_ids` (None: any site)."""
    patient = db.get(Patient, patient_id)
    return patient is not None and (site_ids is None or patient.site_id in site_ids)


def visible_episode(db: Session, episode_id: int, site_ids: Collection[int] | None) -> Episode:
    """The episode if its patient is at one of `site_ids`; else not found, naming the episode."""
    episode = db.get(Episode, episode_id)
    if episode is None or not patient_visible(db, episode.patient_id, site_ids):
        raise NotFound(message=f"episode {episode_id} not found")
    return episode
