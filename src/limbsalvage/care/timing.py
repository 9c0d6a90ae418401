"""Time-to-treatment of episodes: the dates gathered from the registry, measured in core.

Events: the referral converted into the episode (received instant), the first visit (the first
attended appointment or the first assessment, whichever is earlier), presentation, the first
arterial imaging study and the first arterial revascularization of the episode.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from limbsalvage.accounts.models import Site
from limbsalvage.assessments.models import Assessment, Imaging
from limbsalvage.care.models import Appointment
from limbsalvage.care.scope import visible_episode
from limbsalvage.care.settings import coordination, from_core, site_zone
from limbsalvage.core.coordination.time_to_treatment import (
    IMAGING_EVENTS,
    REVASCULARIZATION_EVENTS,
    EpisodeDates,
    MeasureResult,
    local_date,
    time_to_treatment,
)
from limbsalvage.core.errors import InvalidInput
from limbsalvage.core.vocabulary import AppointmentStatus, EpisodeStatus
from limbsalvage.db.clock import now
from limbsalvage.errors import NotFound
from limbsalvage.patients.models import Episode, Patient
from limbsalvage.procedures.models import Procedure
from limbsalvage.referrals.models import Referral


@dataclass(frozen=True)
class EpisodeTiming:
    """The measures of one episode at an instant, in the site's time zone."""

    episode_id: int
    patient_id: int
    time_zone: str
    as_of: datetime
    measures: tuple[MeasureResult, ...]

    @property
    def breached(self) -> tuple[MeasureResult, ...]:
        """The measures past their target."""
        return tuple(m for m in self.measures if m.breached)


def episode_dates(db: Session, episode: Episode, zone: tzinfo) -> EpisodeDates:
    """The dated events of an episode as recorded in the registry (`zone`: the site's)."""
    return dates_by_episode(db, [episode], {episode.id: zone})[episode.id]


def _first(column: Any, *where: Any) -> Any:
    return select(func.min(column)).where(*where).scalar_subquery()


def dates_by_episode(
    db: Session, episodes: Collection[Episode], zones: Mapping[int, tzinfo]
) -> dict[int, EpisodeDates]:
    """The dated events of many episodes in one query (`zones`: each episode's site zone)."""
    if not episodes:
        return {}
    rows = db.execute(
        select(
            Episode.id,
            _first(Referral.received_at, Referral.episode_id == Episode.id),
            _first(
                Appointment.starts_at,
                Appointment.episode_id == Episode.id,
                Appointment.status == AppointmentStatus.ATTENDED,
            ),
            _first(Assessment.assessed_on, Assessment.episode_id == Episode.id),
            select(func.min(Imaging.performed_on))
            .join(Assessment, Assessment.id == Imaging.assessment_id)
            .where(Assessment.episode_id == Episode.id, Imaging.modality.in_(IMAGING_EVENTS))
            .scalar_subquery(),
            _first(
                Procedure.performed_on,
                Procedure.episode_id == Episode.id,
                Procedure.kind.in_(REVASCULARIZATION_EVENTS),
            ),
        ).where(Episode.id.in_([e.id for e in episodes]))
    ).all()
    by_id = {e.id: e for e in episodes}
    return {
        episode_id: EpisodeDates(
            cause=by_id[episode_id].cause,
            setting=by_id[episode_id].setting,
            presented_on=by_id[episode_id].presented_on,
            closed_on=by_id[episode_id].closed_on,
            referral_received=referral,
            first_visit=_first_visit(attended, assessed, zones[episode_id]),
            first_imaging=imaging,
            first_revascularization=revascularization,
        )
        for episode_id, referral, attended, assessed, imaging, revascularization in rows
    }


def _first_visit(attended: datetime | None, assessed: date | None, zone: tzinfo) -> date | None:
    """The earlier site-local day of the first attended appointment and the first assessment."""
    days = [d for d in (assessed,) if d is not None]
    if attended is not None:
        days.append(local_date(attended, zone, "first_visit"))
    return min(days, default=None)


def episode_time_to_treatment(
    *,
    db: Session,
    episode_id: int,
    site_ids: Collection[int] | None,
    as_of: datetime | None = None,
) -> EpisodeTiming:
    """Every measure of an episode at `as_of` (default: the session clock), site-local days."""
    episode = visible_episode(db, episode_id, site_ids)
    site = db.get_one(Site, db.get_one(Patient, episode.patient_id).site_id)
    return _timing(db, site, episode, now(db) if as_of is None else as_of)


def _timing(db: Session, site: Site, episode: Episode, as_of: datetime) -> EpisodeTiming:
    zone = site_zone(site)
    settings = coordination(site)
    try:
        measures = time_to_treatment(
            dates=episode_dates(db, episode, zone),
            zone=zone,
            as_of=as_of,
            targets=settings.targets,
        )
    except InvalidInput as error:
        raise from_core(error) from error
    return EpisodeTiming(episode.id, episode.patient_id, zone.key, as_of, measures)


def site_time_to_treatment(
    *,
    db: Session,
    site_id: int,
    site_ids: Collection[int],
    as_of: datetime | None = None,
    breached_only: bool = False,
) -> list[EpisodeTiming]:
    """The measures of every open episode of a site (the coordinator's worklist)."""
    site = db.get(Site, site_id)
    if site is None or site_id not in site_ids:
        raise NotFound(message=f"site {site_id} not found")
    instant = now(db) if as_of is None else as_of
    episodes = db.scalars(
        select(Episode)
        .join(Patient, Patient.id == Episode.patient_id)
        .where(Patient.site_id == site_id, Episode.status == EpisodeStatus.OPEN)
        .order_by(Episode.presented_on, Episode.id)
    )
    timings = [_timing(db, site, episode, instant) for episode in episodes]
    return [t for t in timings if t.breached] if breached_only else timings
