"""The program's worklist: open episodes with stage, waits, next task and breaches, set-based.

A page costs a fixed handful of queries whatever its size (count, rows, stages, next tasks,
event dates, conference cases, sites), never one per episode. The filters are SQL conditions,
so paging and the total are exact over the whole registry:

- awaiting imaging: no arterial imaging study (time-to-treatment's imaging event) recorded for
  the episode — the presentation → imaging measure is "not yet";
- awaiting revascularization: a current recommendation of the `revascularization` category
  that no clinician overrode, and no revascularization procedure recorded for the episode
  (revascularization is not every pathway's step, so the team's recommendation says it is due);
- overdue: an open task of the episode past its due time;
- on this week's conference: a conference case of the episode dated in the current week
  (Monday to Sunday) of the site's local calendar.

Overdue, awaiting revascularization and conference start from the rows that make an episode
match, each read from an index of its own (open tasks by due time, current recommendations by
category, cases by date): `episodes.id IN (…)`, so the cost follows what they find, not the
number of open episodes. (A correlated `EXISTS` per open episode would rather probe the new
task index for every episode: ten times slower on SQLite.) Awaiting imaging is the absence of
a study, so it is tested per open episode (its assessments, then their studies, on indexes).

Days are counted in the site's local calendar. A site without a time zone in its settings gets
no breaches (`None`: "not assessed", with the reason on the page) rather than a guess; its days
and weeks are counted in UTC.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, exists, false, func, or_, select
from sqlalchemy.orm import Session

from limbsalvage.accounts.models import Site
from limbsalvage.accounts.service import site_settings
from limbsalvage.assessments.models import Assessment, Imaging
from limbsalvage.care.models import CareTask
from limbsalvage.care.settings import coordination, from_core
from limbsalvage.care.timing import dates_by_episode
from limbsalvage.conference.models import ConferenceCase
from limbsalvage.core.coordination.time_to_treatment import (
    IMAGING_EVENTS,
    REVASCULARIZATION_EVENTS,
    MeasureResult,
    time_to_treatment,
)
from limbsalvage.core.errors import InvalidInput
from limbsalvage.core.vocabulary import (
    CareRole,
    EpisodeCause,
    EpisodeStatus,
    RecommendationState,
    Side,
    StagingStatus,
    TaskStatus,
)
from limbsalvage.patients.models import Episode, Limb, Patient
from limbsalvage.patients.search import matching, matching_patients
from limbsalvage.procedures.models import Procedure
from limbsalvage.recommendations.models import StoredRecommendation
from limbsalvage.staging.in_force import IN_FORCE_ORDER
from limbsalvage.staging.models import StagingSnapshot

REVASCULARIZATION_CATEGORY = "revascularization"
# A search whose rarest word begins at most this many terms of the index is run from the
# matching patients (their open episodes only); a broader one tests each open episode, which
# then reads less (docs/benchmarks.md: "synthetic" begins 200,000 terms of 100,000 patients).
SEARCH_DRIVES_AT_MOST = 20_000


class WorklistFilter(StrEnum):
    """A narrowing of the worklist; several combine (all must hold)."""

    AWAITING_IMAGING = "awaiting_imaging"
    AWAITING_REVASCULARIZATION = "awaiting_revascularization"
    OVERDUE = "overdue"
    CONFERENCE = "conference"


@dataclass(frozen=True)
class NextTask:
    """The open task of an episode due first."""

    title: str
    owner_role: CareRole
    due_at: datetime
    overdue: bool


@dataclass(frozen=True)
class Stage:
    """The WIfI stage in force: the newest snapshot (its as-of date, then id)."""

    wifi_stage: int | None
    status: StagingStatus
    as_of: date


@dataclass(frozen=True)
class WorklistRow:
    """One open episode as the worklist shows it."""

    episode: Episode
    patient: Patient
    side: Side
    days_open: int
    stage: Stage | None
    next_task: NextTask | None
    breaches: tuple[MeasureResult, ...] | None  # None: the site has no time zone
    conference_on: date | None
    zone: ZoneInfo | None = None  # the site's time zone (None: it sets none)


@dataclass(frozen=True)
class WorklistQuery:
    """What the worklist is asked for."""

    site_ids: Collection[int]
    as_of: datetime
    search: str | None = None
    cause: EpisodeCause | None = None
    filters: frozenset[WorklistFilter] = frozenset()


def worklist(
    *, db: Session, query: WorklistQuery, limit: int = 50, offset: int = 0
) -> tuple[list[WorklistRow], int]:
    """Open episodes of the sites, longest waiting first, and how many match in all."""
    sites = list(db.scalars(select(Site).where(Site.id.in_(query.site_ids))))
    zones = {site.id: _zone(site) for site in sites}
    weeks = {site_id: _week(query.as_of, zone or UTC) for site_id, zone in zones.items()}
    every_site = len(sites) == db.scalar(select(func.count()).select_from(Site))
    conditions, reads_patients = _conditions(query, weeks, every_site=every_site)
    patients = matching_patients(db=db, search=query.search, most_terms=SEARCH_DRIVES_AT_MOST)
    if patients is None:
        # No search, or a broad one: walk the open episodes in order and test each.
        conditions.extend(matching(Episode.patient_id, query.search))
        total, rows = _walked(db, conditions, reads_patients, limit=limit, offset=offset)
    else:
        # A selective search starts from its patients' terms and touches only their episodes.
        conditions.append(Episode.patient_id.in_(patients))
        total, rows = _of_patients(db, conditions, reads_patients, limit=limit, offset=offset)
    episodes = [episode for episode, _, _ in rows]
    site_of = {episode.id: patient.site_id for episode, patient, _ in rows}
    details = _Details(db, episodes, site_of, zones, weeks)
    by_site = {site.id: site for site in sites}
    shown = [
        WorklistRow(
            episode=episode,
            patient=patient,
            side=side,
            days_open=(
                _today(query.as_of, zones[patient.site_id] or UTC) - episode.presented_on
            ).days,
            stage=details.stages.get(episode.id),
            next_task=_next(details.tasks.get(episode.id), query.as_of),
            breaches=details.breaches(episode, by_site[patient.site_id], query.as_of),
            conference_on=details.conference.get(episode.id),
            zone=zones[patient.site_id],
        )
        for episode, patient, side in rows
    ]
    return shown, int(total or 0)


_Row = tuple[Episode, Patient, Side]


def _walked(
    db: Session,
    conditions: list[ColumnElement[bool]],
    reads_patients: bool,
    *,
    limit: int,
    offset: int,
) -> tuple[int, list[_Row]]:
    """How many match, and the page, on the open episodes' index in presentation order."""
    counted = select(func.count()).select_from(Episode)
    if reads_patients:
        counted = counted.join(Patient, Patient.id == Episode.patient_id)
    total = db.scalar(counted.where(*conditions)) or 0
    rows = db.execute(
        _shown()
        .where(*conditions)
        .order_by(Episode.presented_on, Episode.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return int(total), [(episode, patient, side) for episode, patient, side in rows]


def _of_patients(
    db: Session,
    conditions: list[ColumnElement[bool]],
    reads_patients: bool,
    *,
    limit: int,
    offset: int,
) -> tuple[int, list[_Row]]:
    """How many match, and the page, when the conditions name a few patients: their open
    episodes are listed (on episodes' patient index) and ordered here, then the page is read.

    No ORDER BY in the listing: with one, SQLite would rather walk every open episode in
    presentation order than sort a few."""
    listed = select(Episode.id, Episode.presented_on)
    if reads_patients:
        listed = listed.join(Patient, Patient.id == Episode.patient_id)
    ordered = sorted(
        (presented_on, episode_id)
        for episode_id, presented_on in db.execute(listed.where(*conditions))
    )
    page = [episode_id for _, episode_id in ordered[offset : offset + limit]]
    if not page:
        return len(ordered), []
    rows = db.execute(
        _shown().where(Episode.id.in_(page)).order_by(Episode.presented_on, Episode.id)
    ).all()
    return len(ordered), [(episode, patient, side) for episode, patient, side in rows]


def _shown() -> Select[Episode, Patient, Side]:
    return (
        select(Episode, Patient, Limb.side)
        .join(Patient, Patient.id == Episode.patient_id)
        .join(Limb, Limb.id == Episode.limb_id)
    )


def _zone(site: Site) -> ZoneInfo | None:
    name = site_settings(site).time_zone
    return ZoneInfo(name) if name else None


def _today(instant: datetime, zone: tzinfo) -> date:
    return instant.astimezone(zone).date()


def _week(instant: datetime, zone: tzinfo) -> tuple[date, date]:
    today = _today(instant, zone)
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


def _conditions(
    query: WorklistQuery, weeks: Mapping[int, tuple[date, date]], *, every_site: bool
) -> tuple[list[ColumnElement[bool]], bool]:
    """The SQL conditions, and whether any reads the patients table (else no join to count)."""
    conditions: list[ColumnElement[bool]] = [Episode.status == EpisodeStatus.OPEN]
    reads_patients = not every_site
    if not every_site:
        # A user of every site (one program's server) needs no site test: the count then runs
        # on the episodes' index alone, without a patient lookup per open episode.
        conditions.append(Patient.site_id.in_(query.site_ids))
    if query.cause is not None:
        conditions.append(Episode.cause == query.cause)
    for wanted in sorted(query.filters):
        conditions.append(_FILTERS[wanted](query, weeks))
        reads_patients = reads_patients or (
            wanted is WorklistFilter.CONFERENCE and len(set(weeks.values())) > 1
        )
    return conditions, reads_patients


def _awaiting_imaging(_query: WorklistQuery, _weeks: Mapping[int, tuple[date, date]]) -> Any:
    return ~exists(
        select(Imaging.id)
        .join(Assessment, Assessment.id == Imaging.assessment_id)
        .where(Assessment.episode_id == Episode.id, Imaging.modality.in_(IMAGING_EVENTS))
    )


def _awaiting_revascularization(
    _query: WorklistQuery, _weeks: Mapping[int, tuple[date, date]]
) -> Any:
    recommended = Episode.id.in_(
        select(StoredRecommendation.episode_id).where(
            StoredRecommendation.category == REVASCULARIZATION_CATEGORY,
            StoredRecommendation.superseded_at.is_(None),
            StoredRecommendation.state != RecommendationState.OVERRIDDEN,
        )
    )
    done = exists(
        select(Procedure.id).where(
            Procedure.episode_id == Episode.id, Procedure.kind.in_(REVASCULARIZATION_EVENTS)
        )
    )
    return and_(recommended, ~done)


def _overdue(query: WorklistQuery, _weeks: Mapping[int, tuple[date, date]]) -> Any:
    return Episode.id.in_(
        select(CareTask.episode_id).where(
            CareTask.status == TaskStatus.OPEN, CareTask.due_at < query.as_of
        )
    )


def _on_conference(_query: WorklistQuery, weeks: Mapping[int, tuple[date, date]]) -> Any:
    if not weeks:
        return false()
    distinct = set(weeks.values())
    earliest = min(start for start, _ in distinct)
    latest = max(end for _, end in distinct)
    listed = Episode.id.in_(
        select(ConferenceCase.episode_id).where(
            ConferenceCase.conference_on.between(earliest, latest)
        )
    )
    if len(distinct) == 1:  # every site in the same week: no need to know the patient's site
        return listed
    in_week = or_(
        *(
            and_(Patient.site_id == site_id, ConferenceCase.conference_on.between(*week))
            for site_id, week in weeks.items()
        )
    )
    # Sites in different weeks: the cases of the span, then each in its own site's week.
    return and_(
        listed,
        exists(select(ConferenceCase.id).where(ConferenceCase.episode_id == Episode.id, in_week)),
    )


_FILTERS = {
    WorklistFilter.AWAITING_IMAGING: _awaiting_imaging,
    WorklistFilter.AWAITING_REVASCULARIZATION: _awaiting_revascularization,
    WorklistFilter.OVERDUE: _overdue,
    WorklistFilter.CONFERENCE: _on_conference,
}


def _next(task: CareTask | None, as_of: datetime) -> NextTask | None:
    if task is None:
        return None
    return NextTask(task.title, task.owner_role, task.due_at, task.due_at < as_of)


class _Details:
    """What each row of one page shows beyond the episode, each in one query for the page."""

    def __init__(
        self,
        db: Session,
        episodes: list[Episode],
        site_of: Mapping[int, int],
        zones: Mapping[int, ZoneInfo | None],
        weeks: Mapping[int, tuple[date, date]],
    ) -> None:
        ids = [episode.id for episode in episodes]
        self.stages = _stages(db, ids)
        self.tasks = _first_tasks(db, ids)
        self.conference = _conference(db, ids, site_of, weeks)
        self.dates = dates_by_episode(db, episodes, {i: zones[site_of[i]] or UTC for i in ids})
        self.zones = zones

    def breaches(
        self, episode: Episode, site: Site, as_of: datetime
    ) -> tuple[MeasureResult, ...] | None:
        """The time-to-treatment measures past the site's targets (None: no time zone)."""
        zone = self.zones[site.id]
        if zone is None:
            return None
        try:
            measures = time_to_treatment(
                dates=self.dates[episode.id],
                zone=zone,
                as_of=as_of,
                targets=coordination(site).targets,
            )
        except InvalidInput as error:
            raise from_core(error) from error
        return tuple(m for m in measures if m.breached)


def _stages(db: Session, ids: list[int]) -> dict[int, Stage]:
    if not ids:
        return {}
    ranked = (
        select(
            StagingSnapshot.episode_id,
            StagingSnapshot.wifi_stage,
            StagingSnapshot.status,
            StagingSnapshot.as_of,
            func.row_number()
            .over(
                partition_by=StagingSnapshot.episode_id,
                order_by=IN_FORCE_ORDER,
            )
            .label("rank"),
        )
        .where(StagingSnapshot.episode_id.in_(ids))
        .subquery()
    )
    rows = db.execute(
        select(ranked.c.episode_id, ranked.c.wifi_stage, ranked.c.status, ranked.c.as_of).where(
            ranked.c.rank == 1
        )
    ).all()
    return {row.episode_id: Stage(row.wifi_stage, row.status, row.as_of) for row in rows}


def _first_tasks(db: Session, ids: list[int]) -> dict[int, CareTask]:
    if not ids:
        return {}
    ranked = (
        select(
            CareTask.id,
            func.row_number()
            .over(partition_by=CareTask.episode_id, order_by=(CareTask.due_at, CareTask.id))
            .label("rank"),
        )
        .where(CareTask.episode_id.in_(ids), CareTask.status == TaskStatus.OPEN)
        .subquery()
    )
    tasks = db.scalars(
        select(CareTask).join(ranked, ranked.c.id == CareTask.id).where(ranked.c.rank == 1)
    )
    return {task.episode_id: task for task in tasks}


def _conference(
    db: Session,
    ids: list[int],
    site_of: Mapping[int, int],
    weeks: Mapping[int, tuple[date, date]],
) -> dict[int, date]:
    if not ids:
        return {}
    earliest = min(week[0] for week in weeks.values())
    latest = max(week[1] for week in weeks.values())
    rows = db.execute(
        select(ConferenceCase.episode_id, ConferenceCase.conference_on)
        .where(
            ConferenceCase.episode_id.in_(ids),
            ConferenceCase.conference_on.between(earliest, latest),
        )
        .order_by(ConferenceCase.conference_on)
    ).all()
    found: dict[int, date] = {}
    for episode_id, conference_on in rows:
        start, end = weeks[site_of[episode_id]]
        if start <= conference_on <= end:
            found.setdefault(episode_id, conference_on)
    return found
