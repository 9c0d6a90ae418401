"""Completeness report per episode. Follow-up completeness is Clark's C (Clark TG, Altman DG,
De Stavola BL. Lancet 2002;359:1309–10): observed over potential follow-up time."""

from datetime import date

import pytest
from sqlalchemy.orm import Session

from limbsalvage.assessments.models import Assessment, PerfusionStudy
from limbsalvage.core.vocabulary import (
    AmputationLevel,
    DeathCause,
    FollowUpContact,
    OutcomeEventKind,
    ProcedureKind,
    StagingStatus,
)
from limbsalvage.db.clock import now
from limbsalvage.errors import NotFound
from limbsalvage.events import service as events
from limbsalvage.events.schemas import FollowUpCreate
from limbsalvage.patients.models import Episode
from limbsalvage.procedures import service as procedures
from limbsalvage.quality import service
from limbsalvage.quality.service import CheckResult, CheckStatus
from limbsalvage.staging.models import StagingSnapshot
from tests.support.factories import (
    make_episode,
    make_event,
    make_patient,
    make_procedure,
    make_site,
)


def _snapshot(db: Session, episode: Episode, status: StagingStatus) -> StagingSnapshot:
    snapshot = StagingSnapshot(
        patient_id=episode.patient_id,
        episode_id=episode.id,
        as_of=episode.presented_on,
        computed_at=now(db),
        engine_version="test",
        table_refs=[],
        trigger="test",
        inputs={},
        results={},
        stale=[],
        missing=[],
        status=status,
        reviewed_at=None if status is StagingStatus.PROPOSED else now(db),
    )
    db.add(snapshot)
    db.flush()
    return snapshot


def _statuses(report: service.EpisodeCompleteness) -> dict[str, CheckStatus]:
    return {c.check: c.status for c in report.checks}


def test_an_empty_episode_misses_everything(db: Session) -> None:
    site = make_site(db)
    episode = make_episode(db, make_patient(db, site), presented_on=date(2026, 1, 1))
    report = service.episode_completeness(db=db, episode_id=episode.id)
    assert _statuses(report) == {
        "follow_up": CheckStatus.MISSING,
        "index_stage": CheckStatus.MISSING,
        "perfusion": CheckStatus.MISSING,
        "index_procedure": CheckStatus.NOT_APPLICABLE,
    }
    assert (report.observed_days, report.potential_days) == (0, 60)
    assert report.follow_up_index == 0
    assert report.missing == ("follow_up", "index_stage", "perfusion")


def test_a_complete_episode(db: Session) -> None:
    site = make_site(db)
    patient = make_patient(db, site)
    episode = make_episode(db, patient, presented_on=date(2026, 1, 1))
    _snapshot(db, episode, StagingStatus.PROPOSED)
    staged = service.index_stage(db, episode)
    assert staged.status is CheckStatus.MISSING
    assert staged.detail.startswith("no confirmed or overridden staging")
    confirmed = _snapshot(db, episode, StagingStatus.CONFIRMED)
    assessment = Assessment(
        patient_id=patient.id, episode_id=episode.id, assessed_on=date(2026, 1, 2)
    )
    db.add(assessment)
    db.flush()
    db.add(PerfusionStudy(patient_id=patient.id, assessment_id=assessment.id, toe_pressure_mmhg=35))
    bypass = make_procedure(db, patient, kind=ProcedureKind.ENDARTERECTOMY, episode=episode)
    assert service.index_procedure(db, episode).status is CheckStatus.MISSING
    procedures.set_index_procedure(
        db=db, episode_id=episode.id, procedure_id=bypass.id, expected_version=1
    )
    events.record_follow_up(
        db=db,
        episode_id=episode.id,
        follow_up_in=FollowUpCreate(
            seen_on=date(2026, 2, 15), contact=FollowUpContact.CLINIC_VISIT
        ),
    )
    report = service.episode_completeness(db=db, episode_id=episode.id)
    assert set(_statuses(report).values()) == {CheckStatus.COMPLETE}
    assert report.checks[1].detail == f"staging snapshot {confirmed.id}"
    assert (report.observed_days, report.potential_days) == (45, 60)
    assert report.follow_up_index == pytest.approx(0.75)
    assert report.missing == ()


def test_death_ends_potential_follow_up(db: Session) -> None:
    site = make_site(db)
    patient = make_patient(db, site)
    episode = make_episode(db, patient, presented_on=date(2026, 1, 1))
    make_event(
        db,
        patient,
        kind=OutcomeEventKind.DEATH,
        occurred_on=date(2026, 1, 31),
        death_cause=DeathCause.CARDIOVASCULAR,
    )
    report = service.episode_completeness(db=db, episode_id=episode.id)
    assert (report.observed_days, report.potential_days, report.follow_up_index) == (30, 30, 1.0)


def test_a_contradictory_timeline_is_reported_not_hidden(db: Session) -> None:
    site = make_site(db)
    patient = make_patient(db, site)
    episode = make_episode(db, patient, presented_on=date(2026, 1, 10))
    amputation = make_procedure(
        db,
        patient,
        kind=ProcedureKind.AMPUTATION,
        amputation_level=AmputationLevel.ABOVE_KNEE,
        performed_on=date(2026, 1, 20),
        episode=episode,
    )
    amputation.performed_on = date(2026, 1, 9)  # written around the service on purpose
    db.flush()
    report = service.episode_completeness(db=db, episode_id=episode.id)
    follow_up = report.checks[0]
    assert follow_up.status is CheckStatus.NOT_APPLICABLE
    assert "before time zero" in follow_up.detail


def test_site_report_and_patient_report(db: Session) -> None:
    north, south = make_site(db), make_site(db, code="south", name="South")
    patient = make_patient(db, north)
    first = make_episode(db, patient)
    make_episode(db, make_patient(db, south, mrn="S"))
    reports = service.completeness_report(db=db, site_ids=[north.id])
    assert [r.episode_id for r in reports] == [first.id]
    assert [r.episode_id for r in service.patient_completeness(db=db, patient_id=patient.id)] == [
        first.id
    ]
    with pytest.raises(NotFound):
        service.episode_completeness(db=db, episode_id=first.id, site_ids=[south.id])


def test_checks_are_pluggable(db: Session) -> None:
    def has_photo(db: Session, episode: Episode) -> CheckResult:
        return CheckResult("photo", CheckStatus.MISSING, "no photo")

    service.register_episode_check(has_photo)
    service.register_episode_check(has_photo)  # once only
    try:
        episode = make_episode(db, make_patient(db, make_site(db)))
        report = service.episode_completeness(db=db, episode_id=episode.id)
        assert [c.check for c in report.checks].count("photo") == 1
    finally:
        service.EPISODE_CHECKS.remove(has_photo)
