"""Registry → limb timelines: the feed of the outcomes report (reads only, never writes).

One timeline per episode of care (a limb presenting with a threat), built from the registry's
coded rows: the episode's presentation date, cause and index procedure; every procedure on the
limb; the limb's outcome events and the patient's own (death, myocardial infarction, stroke);
the patient's death date, last date known alive and follow-up contacts; the episode's first
WIfI stage; whether a wound was recorded in the episode; dialysis.

Events that a procedure owns (`procedure_id` set) are skipped: the procedure is the record, and
whether its amputation level is major is decided by the cited table in `core.tables.outcomes`.
An amputation recorded only as an event is read by its level, like a procedure.
"""

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from limbsalvage.accounts.models import Site
from limbsalvage.assessments.models import Assessment, Imaging
from limbsalvage.core.outcomes.timeline import (
    EventRecord,
    ImagingRecord,
    LimbTimeline,
    ProcedureRecord,
)
from limbsalvage.core.tables.outcomes import REVASCULARIZATION_PROCEDURES
from limbsalvage.core.vocabulary import CareSetting, OutcomeEventKind, ProcedureKind
from limbsalvage.errors import NotFound
from limbsalvage.events.models import FollowUp, OutcomeEvent
from limbsalvage.patients.models import Episode, Patient
from limbsalvage.procedures.models import Procedure
from limbsalvage.staging.models import StagingSnapshot
from limbsalvage.wounds.models import Wound

_AMPUTATION_EVENTS = (OutcomeEventKind.MAJOR_AMPUTATION, OutcomeEventKind.MINOR_AMPUTATION)
_ENDOVASCULAR = frozenset(
    {ProcedureKind.ANGIOPLASTY, ProcedureKind.STENT, ProcedureKind.ATHERECTOMY}
)


class Stratify(StrEnum):
    """How the report groups limbs."""

    WIFI = "wifi"
    CAUSE = "cause"
    PROCEDURE = "procedure"
    NONE = "none"


@dataclass(frozen=True)
class ReportCohort:
    """The timelines of the report and each limb's label under every way of grouping."""

    timelines: tuple[LimbTimeline, ...]
    labels: dict[Stratify, dict[str, str]]
    # The care setting of each limb's episode (inpatient / outpatient), by limb id.
    settings: dict[str, CareSetting] = field(default_factory=dict)

    def strata(self, by: Stratify) -> dict[str, str] | None:
        """Labels by limb id for `by` (None: one group)."""
        return None if by is Stratify.NONE else self.labels[by]


def _site_id(db: Session, site_code: str | None) -> int | None:
    if site_code is None:
        return None
    site_id = db.scalar(select(Site.id).where(Site.code == site_code))
    if site_id is None:
        raise NotFound(f"site: no site with code {site_code!r}")
    return site_id


def _strategy(index: ProcedureRecord | None) -> str:
    if index is None:
        return "no index procedure"
    if index.kind is ProcedureKind.BYPASS:
        return "bypass"
    if index.kind in _ENDOVASCULAR:
        return "endovascular"
    if index.kind in REVASCULARIZATION_PROCEDURES:
        return "other revascularization"
    return index.kind.value


@dataclass
class _PatientRows:
    """Procedures, imaging and events by limb and patient, the last follow-up by patient."""

    procedures: dict[int, list[Procedure]]
    limb_events: dict[int, list[OutcomeEvent]]
    patient_events: dict[int, list[OutcomeEvent]]
    last_seen: dict[int, date]
    imaging: dict[int, list[ImagingRecord]] = field(default_factory=lambda: defaultdict(list))


def _chunks(ids: Sequence[int], size: int = 500) -> list[Sequence[int]]:
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def _patient_rows(db: Session, patient_ids: Sequence[int]) -> _PatientRows:
    rows = _PatientRows(defaultdict(list), defaultdict(list), defaultdict(list), {})
    for chunk in _chunks(patient_ids):
        for procedure in db.scalars(select(Procedure).where(Procedure.patient_id.in_(chunk))):
            rows.procedures[procedure.limb_id].append(procedure)
        for event in db.scalars(select(OutcomeEvent).where(OutcomeEvent.patient_id.in_(chunk))):
            if event.procedure_id is not None:
                continue
            if event.limb_id is None:
                rows.patient_events[event.patient_id].append(event)
            else:
                rows.limb_events[event.limb_id].append(event)
        seen = select(FollowUp.patient_id, func.max(FollowUp.seen_on)).where(
            FollowUp.patient_id.in_(chunk)
        )
        for patient_id, seen_on in db.execute(seen.group_by(FollowUp.patient_id)):
            rows.last_seen[patient_id] = seen_on
        imaged = (
            select(Episode.limb_id, Imaging.performed_on, Imaging.modality)
            .join(Assessment, Assessment.id == Imaging.assessment_id)
            .join(Episode, Episode.id == Assessment.episode_id)
            .where(Imaging.patient_id.in_(chunk))
            .order_by(Imaging.performed_on, Imaging.id)
        )
        for limb_id, performed_on, modality in db.execute(imaged):
            rows.imaging[limb_id].append(ImagingRecord(on=performed_on, modality=modality))
    return rows


def _episode_rows(db: Session, episode_ids: Sequence[int]) -> tuple[dict[int, int], set[int]]:
    """The first WIfI stage of each episode, and the episodes with a recorded wound."""
    first_stage: dict[int, int] = {}
    with_wound: set[int] = set()
    for chunk in _chunks(episode_ids):
        staged = (
            select(StagingSnapshot.episode_id, StagingSnapshot.wifi_stage)
            .where(StagingSnapshot.episode_id.in_(chunk), StagingSnapshot.wifi_stage.is_not(None))
            .order_by(StagingSnapshot.as_of, StagingSnapshot.id)
        )
        for episode_id, stage in db.execute(staged):
            if stage is not None:  # the query excludes NULL; this narrows the type
                first_stage.setdefault(episode_id, stage)
        wounded = select(Wound.episode_id).where(Wound.episode_id.in_(chunk)).distinct()
        with_wound.update(db.scalars(wounded))
    return first_stage, with_wound


def _timeline(
    episode: Episode,
    patient: Patient,
    rows: _PatientRows,
    *,
    wifi_stage: int | None,
    has_wound: bool,
) -> LimbTimeline:
    records = [
        ProcedureRecord(
            on=p.performed_on,
            kind=p.kind,
            amputation_level=p.amputation_level,
            is_index=p.id == episode.index_procedure_id,
            conduit=p.conduit,
        )
        for p in sorted(rows.procedures[episode.limb_id], key=lambda p: (p.performed_on, p.id))
    ]
    events: list[EventRecord] = []
    for event in [*rows.limb_events[episode.limb_id], *rows.patient_events[patient.id]]:
        if event.kind in _AMPUTATION_EVENTS and event.amputation_level is not None:
            records.append(
                ProcedureRecord(
                    on=event.occurred_on,
                    kind=ProcedureKind.AMPUTATION,
                    amputation_level=event.amputation_level,
                )
            )
        else:
            events.append(EventRecord(on=event.occurred_on, kind=event.kind))
    alive = [d for d in (patient.last_known_alive_date, rows.last_seen.get(patient.id)) if d]
    return LimbTimeline(
        limb_id=f"L{episode.limb_id}-E{episode.id}",
        patient_id=f"P{patient.id}",
        presentation_date=episode.presented_on,
        last_known_alive=max(alive) if alive else None,
        death_date=patient.death_date,
        procedures=tuple(records),
        events=tuple(sorted(events, key=lambda e: (e.on, e.kind.value))),
        cause=episode.cause,
        wifi_stage=wifi_stage,
        on_dialysis=patient.dialysis,
        has_wound=True if has_wound else None,
        imaging=tuple(rows.imaging[episode.limb_id]),
    )


def load_report_cohort(
    *,
    db: Session,
    site_code: str | None = None,
    presented_from: date | None = None,
    presented_to: date | None = None,
    include_synthetic: bool = False,
    site_ids: Collection[int] | None = None,
) -> ReportCohort:
    """Timelines of the episodes presenting in the period (all sites when no site is named).

    `site_ids`, when given, keeps only those sites' patients (a user's sites).
    """
    site_id = _site_id(db, site_code)
    query = select(Episode, Patient).join(Patient, Patient.id == Episode.patient_id)
    if site_id is not None:
        query = query.where(Patient.site_id == site_id)
    if site_ids is not None:
        query = query.where(Patient.site_id.in_(sorted(site_ids)))
    if presented_from is not None:
        query = query.where(Episode.presented_on >= presented_from)
    if presented_to is not None:
        query = query.where(Episode.presented_on <= presented_to)
    if not include_synthetic:
        query = query.where(Patient.is_synthetic.is_(False))
    episodes = db.execute(query.order_by(Episode.id)).all()
    rows = _patient_rows(db, sorted({patient.id for _, patient in episodes}))
    first_stage, with_wound = _episode_rows(db, [episode.id for episode, _ in episodes])
    timelines: list[LimbTimeline] = []
    labels: dict[Stratify, dict[str, str]] = {by: {} for by in Stratify if by is not Stratify.NONE}
    settings: dict[str, CareSetting] = {}
    for episode, patient in episodes:
        stage = first_stage.get(episode.id)
        timeline = _timeline(
            episode, patient, rows, wifi_stage=stage, has_wound=episode.id in with_wound
        )
        timelines.append(timeline)
        labels[Stratify.WIFI][timeline.limb_id] = f"stage {stage}" if stage else "not staged"
        labels[Stratify.CAUSE][timeline.limb_id] = episode.cause.value
        labels[Stratify.PROCEDURE][timeline.limb_id] = _strategy(timeline.index_procedure())
        settings[timeline.limb_id] = episode.setting
    return ReportCohort(timelines=tuple(timelines), labels=labels, settings=settings)
