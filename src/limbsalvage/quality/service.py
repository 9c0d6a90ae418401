"""Completeness report per episode: follow-up, index stage, perfusion — pluggable checks.

Follow-up completeness is Clark's C (observed over potential follow-up time, Clark TG et al.
Lancet 2002;359:1309–10) computed by `limbsalvage.core.outcomes.completeness` on the episode's
limb timeline. Other checks are small functions registered in `EPISODE_CHECKS`; a domain may
add its own with `register_episode_check` (e.g. a new finding that an episode should have).
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from limbsalvage.assessments.models import Assessment, PerfusionStudy
from limbsalvage.core.outcomes.completeness import follow_up_completeness
from limbsalvage.core.outcomes.timeline import EventRecord, LimbTimeline, ProcedureRecord
from limbsalvage.events.models import FollowUp, OutcomeEvent
from limbsalvage.patients.models import Episode, Patient
from limbsalvage.patients.service import get_episode, get_patient, today
from limbsalvage.procedures.models import Procedure
from limbsalvage.staging import service as staging


class CheckStatus(StrEnum):
    """Outcome of one completeness check."""

    COMPLETE = "complete"
    MISSING = "missing"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class CheckResult:
    """One check on one episode: its status and what it saw."""

    check: str
    status: CheckStatus
    detail: str


@dataclass(frozen=True)
class EpisodeCompleteness:
    """Every check of one episode, with Clark's C of its follow-up."""

    episode_id: int
    patient_id: int
    follow_up_index: float | None
    observed_days: int
    potential_days: int
    checks: tuple[CheckResult, ...]

    @property
    def missing(self) -> tuple[str, ...]:
        """Names of the checks that found something missing."""
        return tuple(c.check for c in self.checks if c.status is CheckStatus.MISSING)


EpisodeCheck = Callable[[Session, Episode], CheckResult]
EPISODE_CHECKS: list[EpisodeCheck] = []


def register_episode_check(check: EpisodeCheck) -> EpisodeCheck:
    """Add a check to every completeness report (usable as a decorator)."""
    if check not in EPISODE_CHECKS:
        EPISODE_CHECKS.append(check)
    return check


@register_episode_check
def index_stage(db: Session, episode: Episode) -> CheckResult:
    """The episode needs its index stage (the staging module's definition: reviewed, early)."""
    found = staging.index_stage(db=db, episode_id=episode.id)
    if found.snapshot is not None:
        return CheckResult(
            "index_stage", CheckStatus.COMPLETE, f"staging snapshot {found.snapshot.id}"
        )
    return CheckResult("index_stage", CheckStatus.MISSING, found.reason)


@register_episode_check
def perfusion(db: Session, episode: Episode) -> CheckResult:
    """An episode of a threatened limb needs at least one perfusion study."""
    study = db.scalar(
        select(PerfusionStudy.id)
        .join(Assessment, PerfusionStudy.assessment_id == Assessment.id)
        .where(Assessment.episode_id == episode.id)
    )
    if study is None:
        return CheckResult("perfusion", CheckStatus.MISSING, "no perfusion study")
    return CheckResult("perfusion", CheckStatus.COMPLETE, f"perfusion study {study}")


@register_episode_check
def index_procedure(db: Session, episode: Episode) -> CheckResult:
    """Whether the index procedure is set; not applicable to an episode without procedures."""
    if episode.index_procedure_id is not None:
        return CheckResult(
            "index_procedure", CheckStatus.COMPLETE, f"procedure {episode.index_procedure_id}"
        )
    has_procedure = db.scalar(select(Procedure.id).where(Procedure.episode_id == episode.id))
    if has_procedure is None:
        return CheckResult("index_procedure", CheckStatus.NOT_APPLICABLE, "no procedure yet")
    return CheckResult("index_procedure", CheckStatus.MISSING, "procedures but no index set")


def limb_timeline(db: Session, episode: Episode) -> LimbTimeline:
    """The episode's limb timeline for the outcomes (owned events are their procedures)."""
    patient = db.get(Patient, episode.patient_id)
    assert patient is not None
    procedures = db.scalars(
        select(Procedure).where(Procedure.episode_id == episode.id).order_by(Procedure.performed_on)
    ).all()
    events = db.scalars(
        select(OutcomeEvent).where(
            OutcomeEvent.patient_id == episode.patient_id,
            OutcomeEvent.procedure_id.is_(None),
            or_(OutcomeEvent.limb_id == episode.limb_id, OutcomeEvent.limb_id.is_(None)),
            OutcomeEvent.occurred_on >= episode.presented_on,
        )
    ).all()
    contacts = db.scalars(select(FollowUp.seen_on).where(FollowUp.episode_id == episode.id)).all()
    alive = [d for d in [*contacts, patient.last_known_alive_date] if d is not None]
    return LimbTimeline(
        limb_id=str(episode.limb_id),
        patient_id=str(episode.patient_id),
        presentation_date=episode.presented_on,
        last_known_alive=max(alive, default=None),
        death_date=patient.death_date,
        procedures=tuple(
            ProcedureRecord(
                on=p.performed_on,
                kind=p.kind,
                amputation_level=p.amputation_level,
                is_index=p.id == episode.index_procedure_id,
                conduit=p.conduit,
            )
            for p in procedures
        ),
        events=tuple(EventRecord(on=e.occurred_on, kind=e.kind) for e in events),
        cause=episode.cause,
    )


def episode_completeness(
    *,
    db: Session,
    episode_id: int,
    closing_date: date | None = None,
    site_ids: Collection[int] | None = None,
) -> EpisodeCompleteness:
    """Every completeness check of one episode, follow-up to `closing_date` (today by default)."""
    episode = get_episode(db=db, episode_id=episode_id, site_ids=site_ids)
    closing = closing_date or today(db)
    timeline = limb_timeline(db, episode)
    clark = follow_up_completeness([timeline], closing_date=closing)
    if clark.excluded:
        follow_up = CheckResult("follow_up", CheckStatus.NOT_APPLICABLE, str(clark.excluded[0]))
    elif clark.limbs_without_follow_up:
        follow_up = CheckResult("follow_up", CheckStatus.MISSING, "no contact after presentation")
    else:
        follow_up = CheckResult(
            "follow_up",
            CheckStatus.COMPLETE,
            f"observed {clark.observed_days} of {clark.potential_days} potential days",
        )
    checks = (follow_up, *(check(db, episode) for check in EPISODE_CHECKS))
    return EpisodeCompleteness(
        episode_id=episode.id,
        patient_id=episode.patient_id,
        follow_up_index=clark.index,
        observed_days=clark.observed_days,
        potential_days=clark.potential_days,
        checks=checks,
    )


def completeness_report(
    *,
    db: Session,
    site_ids: Collection[int],
    closing_date: date | None = None,
) -> list[EpisodeCompleteness]:
    """The completeness of every episode at `site_ids`, by episode id."""
    episode_ids = db.scalars(
        select(Episode.id)
        .join(Patient, Episode.patient_id == Patient.id)
        .where(Patient.site_id.in_(site_ids))
        .order_by(Episode.id)
    ).all()
    return [
        episode_completeness(db=db, episode_id=episode_id, closing_date=closing_date)
        for episode_id in episode_ids
    ]


def patient_completeness(
    *, db: Session, patient_id: int, site_ids: Collection[int] | None = None
) -> list[EpisodeCompleteness]:
    """The completeness of each episode of one patient."""
    get_patient(db=db, patient_id=patient_id, site_ids=site_ids)
    episode_ids = db.scalars(
        select(Episode.id).where(Episode.patient_id == patient_id).order_by(Episode.id)
    ).all()
    return [episode_completeness(db=db, episode_id=e) for e in episode_ids]


__all__ = [
    "EPISODE_CHECKS",
    "CheckResult",
    "CheckStatus",
    "EpisodeCompleteness",
    "completeness_report",
    "episode_completeness",
    "limb_timeline",
    "patient_completeness",
    "register_episode_check",
]
