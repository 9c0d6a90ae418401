"""Staging snapshots: proposal from fresh findings, review, index stage and restaging.

Clinical example (Mills 2014 WIfI): a diabetic foot with a deep hallux ulcer exposing bone (W2),
toe pressure 35 mmHg (I2, toe pressure governs in WIfI) and a mild infection (IWGDF 2, fI1) is
WIfI stage 4; CTA with FP grade 1 and IP grade 3 is GLASS stage II (Conte 2019).
"""

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

import limbsalvage
from limbsalvage.accounts.models import Site
from limbsalvage.assessments import service as assessments
from limbsalvage.assessments.schemas import (
    AcuteIschemiaAssessmentIn,
    CultureIn,
    ImagingIn,
    InfectionAssessmentIn,
    TraumaAssessmentIn,
    TumourAssessmentIn,
    VenousStudyIn,
)
from limbsalvage.core.vocabulary import (
    EpisodeCause,
    FindingKind,
    FootLocation,
    Role,
    Side,
    StagingStatus,
)
from limbsalvage.core.wifi import WifiResult, classify_wifi
from limbsalvage.db.audit import AuditEntry
from limbsalvage.errors import Conflict, Invalid, NotFound, StaleUpdate
from limbsalvage.patients import service as patients
from limbsalvage.patients.models import Episode, Patient
from limbsalvage.patients.schemas import EpisodeClose
from limbsalvage.procedures.models import Procedure
from limbsalvage.settings import Settings
from limbsalvage.staging import engine, service
from limbsalvage.staging.inputs import plain
from limbsalvage.staging.models import StagingSnapshot
from limbsalvage.wounds import service as wounds
from tests.support.factories import (
    DAY,
    make_assessment,
    make_episode,
    make_finding,
    make_measurement,
    make_patient,
    make_site,
    make_user,
    make_wound,
)
from tests.support.factories import (
    make_worked_clti as _clti,
)


@pytest.fixture
def episode(db: Session) -> Episode:
    return make_episode(db, make_patient(db, make_site(db)))


def _snapshots(db: Session, episode: Episode) -> list[StagingSnapshot]:
    return service.list_snapshots(db=db, episode_id=episode.id)


def test_the_worked_example_is_staged_with_inputs_rules_and_sources(
    db: Session, episode: Episode
) -> None:
    _clti(db, episode)
    proposal = service.propose_staging(db=db, episode_id=episode.id, as_of=DAY)
    snapshot = proposal.snapshot
    assert (snapshot.status, snapshot.as_of, snapshot.trigger) == (
        StagingStatus.PROPOSED,
        DAY,
        "requested",
    )
    assert (
        snapshot.wifi_wound_grade,
        snapshot.wifi_ischemia_grade,
        snapshot.wifi_infection_grade,
        snapshot.wifi_stage,
    ) == (2, 2, 1, 4)
    assert (snapshot.glass_fp_grade, snapshot.glass_ip_grade, snapshot.glass_stage) == (1, 3, "II")
    assert snapshot.glass_im_modifier == "P1"
    assert (snapshot.rutherford_category, snapshot.iwgdf_grade) == (5, 2)
    wifi = snapshot.results["wifi"]
    assert wifi["ischemia_measure"] == "toe_pressure"
    assert wifi["worst_wound"] == "hallux ulcer"
    assert "Mills" in wifi["source"]
    assert wifi["rule"]
    assert snapshot.inputs["systems"]["wifi"]["ulcer"] == ["deep"]
    assert snapshot.inputs["systems"]["wifi"]["abi"] == pytest.approx(0.6)
    perfusion = snapshot.inputs["findings"]["perfusion_study"]
    assert (perfusion["kind"], perfusion["date"], perfusion["window_days"]) == (
        "perfusion_studies",
        "2026-01-06",
        90,
    )
    assert snapshot.inputs["findings"]["wound_measurement"][0]["label"] == "hallux ulcer"
    assert snapshot.engine_version == limbsalvage.__version__
    assert any(ref.startswith("wifi") for ref in snapshot.table_refs)
    assert (snapshot.stale, snapshot.missing) == ([], [])


def test_each_new_finding_proposes_a_new_snapshot(db: Session, episode: Episode) -> None:
    _clti(db, episode)
    triggers = [s.trigger for s in _snapshots(db, episode)]
    assert [t.rsplit(" ", 2)[0] for t in triggers] == [
        "assessment",
        "wound measurement",
        "perfusion study",
        "infection assessment",
        "imaging",
    ]
    last = _snapshots(db, episode)[-1]
    assert last.wifi_stage == 4
    assert last.previous_id == _snapshots(db, episode)[-2].id


def test_a_finding_staging_does_not_read_proposes_nothing(db: Session, episode: Episode) -> None:
    assessment = _clti(db, episode)
    before = len(_snapshots(db, episode))
    make_finding(
        db, assessment, CultureIn(collected_on=DAY, specimen="deep_tissue", result="pending")
    )
    make_assessment(db, episode, assessed_on=DAY + timedelta(days=1))
    assert len(_snapshots(db, episode)) == before


def test_an_unchanged_input_proposes_nothing(db: Session, episode: Episode) -> None:
    assessment = _clti(db, episode)
    study = assessment.perfusion_studies[0]
    before = len(_snapshots(db, episode))
    # Recording the same values again changes nothing staging sees… except the finding used.
    assessments.update_finding(
        db=db,
        kind=FindingKind.PERFUSION_STUDY,
        finding_id=study.id,
        expected_version=1,
        changes={"skin_perfusion_pressure_mmhg": None},
    )
    assert len(_snapshots(db, episode)) == before
    assessments.update_finding(
        db=db,
        kind=FindingKind.PERFUSION_STUDY,
        finding_id=study.id,
        expected_version=1,
        changes={"toe_pressure_mmhg": 25},
    )
    latest = _snapshots(db, episode)[-1]
    assert len(_snapshots(db, episode)) == before + 1
    assert (latest.wifi_ischemia_grade, latest.wifi_stage) == (3, 4)


def test_restaging_after_change_returns_the_differences(db: Session, episode: Episode) -> None:
    assessment = _clti(db, episode)
    proposal = service.restage_after_change(
        db=db, episode_id=episode.id, as_of=DAY, trigger="nothing changed"
    )
    assert proposal is None
    assessments.update_finding(
        db=db,
        kind=FindingKind.INFECTION_ASSESSMENT,
        finding_id=assessment.infection_assessments[0].id,
        expected_version=1,
        changes={"erythema_extent_cm": 3.0},
    )
    latest = _snapshots(db, episode)[-1]
    previous = db.get(StagingSnapshot, latest.previous_id)
    differences = service.differences(previous, latest)
    assert ("iwgdf", "iwgdf_grade", 2, 3) in [
        (d.system, d.field, d.old, d.new) for d in differences
    ]
    assert ("wifi", "infection_grade", 1, 2) in [
        (d.system, d.field, d.old, d.new) for d in differences
    ]


def test_stale_findings_are_reported_and_not_used(db: Session, episode: Episode) -> None:
    _clti(db, episode)
    later = DAY + timedelta(days=91)
    db.info["now"] = db.info["now"] + timedelta(days=60)
    snapshot = service.propose_staging(db=db, episode_id=episode.id, as_of=later).snapshot
    stale = {entry["source"]: entry for entry in snapshot.stale}
    assert set(stale) >= {"perfusion_study", "infection_assessment", "wound_measurement"}
    assert (stale["perfusion_study"]["age_days"], stale["perfusion_study"]["window_days"]) == (
        91,
        90,
    )
    assert "perfusion" not in snapshot.results
    assert snapshot.wifi_stage is None
    assert "missing wound_grade" in snapshot.results["wifi"]["error"]
    assert snapshot.missing == [
        "wound_measurement",
        "perfusion_study",
        "infection_assessment",
        "presentation",
    ]
    # The CTA is still within its 180 days.
    assert snapshot.glass_stage == "II"


def test_a_site_sets_its_own_windows(db: Session, episode: Episode) -> None:
    _clti(db, episode)
    patient = db.get(Patient, episode.patient_id)
    assert patient is not None
    site = db.get(Site, patient.site_id)
    assert site is not None
    site.settings = {"staging_windows": {"imaging": 1}}
    db.flush()
    snapshot = service.propose_staging(
        db=db, episode_id=episode.id, as_of=DAY + timedelta(days=2)
    ).snapshot
    assert [s["source"] for s in snapshot.stale] == ["imaging"]
    with pytest.raises(Invalid, match=r"staging_windows\.imaging"):  # refused on write
        site.settings = {"staging_windows": {"imaging": 0}}


def test_as_of_must_be_within_the_episode(db: Session, episode: Episode) -> None:
    with pytest.raises(Invalid, match="as_of: must not be before the episode's presented_on"):
        service.propose_staging(db=db, episode_id=episode.id, as_of=date(2025, 1, 1))
    with pytest.raises(Invalid, match="as_of: must not be in the future"):
        service.propose_staging(db=db, episode_id=episode.id, as_of=date(2027, 1, 1))


def test_missing_findings_are_listed_by_cause(db: Session) -> None:
    patient = make_patient(db, make_site(db))
    foot = make_episode(db, patient, cause=EpisodeCause.DIABETIC_FOOT)
    snapshot = service.propose_staging(db=db, episode_id=foot.id).snapshot
    assert snapshot.missing == ["wound_measurement", "perfusion_study", "infection_assessment"]
    # WIfI is always attempted for a diabetic foot, and says what it lacks.
    assert snapshot.results["wifi"]["missing"] == ["wound_grade"]
    injured = make_episode(db, patient, cause=EpisodeCause.TRAUMA, side=Side.RIGHT)
    snapshot = service.propose_staging(db=db, episode_id=injured.id).snapshot
    assert (snapshot.missing, snapshot.results) == (["trauma_assessment"], {})


def test_confirm_records_who_and_when(db: Session, episode: Episode) -> None:
    _clti(db, episode)
    clinician = make_user(db, make_site(db, code="c"), Role.CLINICIAN)
    db.info["actor_id"] = clinician.id
    snapshot = _snapshots(db, episode)[-1]
    service.confirm_staging(db=db, snapshot_id=snapshot.id, expected_version=1)
    assert snapshot.status is StagingStatus.CONFIRMED
    assert (snapshot.reviewed_by_id, snapshot.reviewed_at) == (clinician.id, db.info["now"])
    with pytest.raises(Conflict, match="already confirmed; a reviewed snapshot is never changed"):
        service.confirm_staging(db=db, snapshot_id=snapshot.id, expected_version=2)
    with pytest.raises(StaleUpdate):
        service.confirm_staging(db=db, snapshot_id=snapshot.id, expected_version=1)


def test_override_needs_a_reason_and_keeps_the_proposal(db: Session, episode: Episode) -> None:
    _clti(db, episode)
    snapshot = _snapshots(db, episode)[-1]
    with pytest.raises(Invalid, match="reason"):
        service.override_staging(
            db=db, snapshot_id=snapshot.id, expected_version=1, override={"wifi_stage": 3}
        )
    with pytest.raises(Invalid, match="reason: a reason is required"):
        service.override_staging(
            db=db,
            snapshot_id=snapshot.id,
            expected_version=1,
            override={"reason": "  ", "wifi_stage": 3},
        )
    with pytest.raises(Invalid, match="overrides: give at least one result"):
        service.override_staging(
            db=db, snapshot_id=snapshot.id, expected_version=1, override={"reason": "x"}
        )
    with pytest.raises(Invalid, match="overrides: every value equals the proposal"):
        service.override_staging(
            db=db,
            snapshot_id=snapshot.id,
            expected_version=1,
            override={"reason": "x", "wifi_stage": 4},
        )
    # Probe to bone was negative on review: W1, not W2; the stage follows from the WIfI table.
    service.override_staging(
        db=db,
        snapshot_id=snapshot.id,
        expected_version=1,
        override={"reason": "bone not exposed on review", "wifi_wound_grade": 1},
    )
    assert snapshot.status is StagingStatus.OVERRIDDEN
    assert (snapshot.wifi_wound_grade, snapshot.wifi_stage) == (1, 3)
    assert snapshot.overrides == {
        "wifi_wound_grade": {"proposed": 2, "chosen": 1},
        "wifi_stage": {"proposed": 4, "chosen": 3},
    }
    assert snapshot.results["wifi"]["clinical_stage"] == 4  # the proposal is kept
    assert snapshot.override_reason == "bone not exposed on review"
    changes = db.scalars(
        select(AuditEntry).where(
            AuditEntry.entity == "staging_snapshots", AuditEntry.action == "update"
        )
    ).all()
    assert changes, "the override is audited"


def test_override_of_grades_without_all_three_needs_the_stage(
    db: Session, episode: Episode
) -> None:
    snapshot = service.propose_staging(db=db, episode_id=episode.id).snapshot
    with pytest.raises(Invalid, match="wifi_stage: give the WIfI stage, or all three"):
        service.override_staging(
            db=db,
            snapshot_id=snapshot.id,
            expected_version=1,
            override={"reason": "clinical", "wifi_wound_grade": 1},
        )
    service.override_staging(
        db=db,
        snapshot_id=snapshot.id,
        expected_version=1,
        override={"reason": "clinical", "wifi_stage": 2, "glass_stage": "I"},
    )
    assert (snapshot.wifi_stage, snapshot.glass_stage) == (2, "I")


def test_index_stage_is_the_first_reviewed_staging_after_presentation(
    db: Session, episode: Episode
) -> None:
    assert service.index_stage(db=db, episode_id=episode.id).snapshot is None
    _clti(db, episode)
    first = _snapshots(db, episode)[-1]
    later = service.propose_staging(
        db=db, episode_id=episode.id, as_of=DAY + timedelta(days=5)
    ).snapshot
    service.confirm_staging(db=db, snapshot_id=later.id, expected_version=1)
    assert service.index_stage(db=db, episode_id=episode.id).snapshot is later
    service.confirm_staging(db=db, snapshot_id=first.id, expected_version=1)
    index = service.index_stage(db=db, episode_id=episode.id)
    assert index.snapshot is first
    assert (index.window_start, index.window_end) == (episode.presented_on, date(2026, 1, 19))


def test_staging_outside_the_index_window_is_not_the_index_stage(
    db: Session, episode: Episode
) -> None:
    _clti(db, episode)
    late = service.propose_staging(
        db=db, episode_id=episode.id, as_of=episode.presented_on + timedelta(days=15)
    ).snapshot
    service.confirm_staging(db=db, snapshot_id=late.id, expected_version=1)
    index = service.index_stage(db=db, episode_id=episode.id)
    assert index.snapshot is None
    assert "14 days after it" in index.reason


def test_index_stage_precedes_the_index_procedure(db: Session, episode: Episode) -> None:
    _clti(db, episode)
    procedure = Procedure(
        patient_id=episode.patient_id,
        limb_id=episode.limb_id,
        episode_id=episode.id,
        performed_on=DAY + timedelta(days=2),
        kind="angioplasty",
    )
    db.add(procedure)
    db.flush()
    episode.index_procedure_id = procedure.id
    after = service.propose_staging(
        db=db, episode_id=episode.id, as_of=DAY + timedelta(days=3)
    ).snapshot
    service.confirm_staging(db=db, snapshot_id=after.id, expected_version=1)
    index = service.index_stage(db=db, episode_id=episode.id)
    assert index.snapshot is None
    assert index.window_end == procedure.performed_on


def test_restaging_under_a_new_engine_adds_a_snapshot_and_lists_differences(
    db: Session, episode: Episode, monkeypatch: pytest.MonkeyPatch
) -> None:
    _clti(db, episode)
    confirmed = _snapshots(db, episode)[-1]
    service.confirm_staging(db=db, snapshot_id=confirmed.id, expected_version=1)
    unchanged = service.restage(db=db, episode_id=episode.id)
    assert (unchanged.created, unchanged.snapshot, unchanged.differences) == (False, confirmed, [])

    monkeypatch.setattr(service, "engine_version", lambda: "9.9.9")
    rerun = service.restage(db=db, episode_id=episode.id)
    assert rerun.created
    assert rerun.snapshot.id != confirmed.id
    assert rerun.snapshot.engine_version == "9.9.9"
    assert rerun.snapshot.status is StagingStatus.PROPOSED
    assert rerun.differences == []  # same tables, same grades
    db.refresh(confirmed)
    assert (confirmed.status, confirmed.engine_version, confirmed.wifi_stage) == (
        StagingStatus.CONFIRMED,
        limbsalvage.__version__,
        4,
    )


def test_differences_name_each_changed_grade_and_system() -> None:
    old = StagingSnapshot(
        results={
            "wifi": {"wound_grade": 2, "clinical_stage": 4},
            "glass": {"error": "cannot classify glass: missing x"},
            "ceap": {"clinical_class": "C6"},
        }
    )
    new = StagingSnapshot(
        results={
            "wifi": {"wound_grade": 3, "clinical_stage": 4},
            "glass": {"error": "cannot classify glass: missing y"},
            "iwgdf": {"iwgdf_grade": 2},
            "ceap": {"error": "cannot classify ceap: missing symptomatic"},
        }
    )
    found = [(d.system, d.field, d.old, d.new) for d in service.differences(old, new)]
    assert found == [
        ("ceap", "staged", "staged", "error: cannot classify ceap: missing symptomatic"),
        ("glass", "error", "cannot classify glass: missing x", "cannot classify glass: missing y"),
        ("iwgdf", "staged", "not staged", "staged"),
        ("wifi", "wound_grade", 2, 3),
    ]
    assert service.differences(None, new) == []


def test_other_causes_are_staged_by_their_systems(db: Session) -> None:
    patient = make_patient(db, make_site(db), birth_date=date(1980, 6, 1))
    trauma = make_episode(db, patient, cause=EpisodeCause.TRAUMA)
    make_finding(
        db,
        make_assessment(db, trauma),
        TraumaAssessmentIn(
            skeletal_soft_tissue_points=3, limb_ischemia_points=2, ischemia_hours=4, shock_points=1
        ),
    )
    # MESS: 3 + 2 (not doubled at 4 h) + 1 + age 45 → 1 = 7; information only.
    snapshot = _snapshots(db, trauma)[-1]
    assert snapshot.mess_score == 7
    assert snapshot.inputs["systems"]["mess"]["age_years"] == 45
    assert snapshot.missing == []

    tumour = make_episode(db, patient, cause=EpisodeCause.TUMOUR, side=Side.RIGHT)
    make_finding(
        db,
        make_assessment(db, tumour),
        TumourAssessmentIn(
            tumour_grade="high",
            tumour_site="extracompartmental",
            metastasis=False,
            pain_points=5,
            function_points=3,
            emotional_acceptance_points=5,
            supports_points=3,
            walking_points=3,
            gait_points=3,
        ),
    )
    snapshot = _snapshots(db, tumour)[-1]
    assert (snapshot.enneking_stage, snapshot.msts_percent) == ("IIB", pytest.approx(73.3, abs=0.1))


def test_venous_and_acute_ischaemia(db: Session) -> None:
    patient = make_patient(db, make_site(db))
    venous = make_episode(db, patient, cause=EpisodeCause.VENOUS)
    make_finding(
        db,
        make_assessment(db, venous),
        VenousStudyIn(clinical_signs=["varicose_veins", "active_venous_ulcer"], symptomatic=True),
    )
    snapshot = _snapshots(db, venous)[-1]
    assert snapshot.ceap_clinical_class == "C6"
    assert "wifi" not in snapshot.results

    acute = make_episode(db, patient, cause=EpisodeCause.ACUTE_LIMB_ISCHEMIA, side=Side.RIGHT)
    make_finding(
        db,
        make_assessment(db, acute),
        AcuteIschemiaAssessmentIn(
            sensory_loss="toes_only",
            muscle_weakness="none",
            arterial_doppler_audible=False,
            venous_doppler_audible=True,
        ),
    )
    assert _snapshots(db, acute)[-1].ali_category == "IIa"


def test_what_cannot_be_staged_is_kept_with_the_engine_message(
    db: Session, episode: Episode
) -> None:
    assessment = make_assessment(db, episode)
    make_finding(db, assessment, InfectionAssessmentIn(local_warmth=True))
    snapshot = _snapshots(db, episode)[-1]
    iwgdf = snapshot.results["iwgdf"]
    assert set(iwgdf["missing"]) == {
        "erythema_extent_cm",
        "osteomyelitis",
        "suspected_active_charcot",
    }
    assert snapshot.iwgdf_grade is None


def test_snapshots_are_site_scoped(db: Session, episode: Episode) -> None:
    snapshot = service.propose_staging(db=db, episode_id=episode.id).snapshot
    south = make_site(db, code="south", name="South")
    with pytest.raises(NotFound, match=f"staging snapshot {snapshot.id} not found"):
        service.get_snapshot(db=db, snapshot_id=snapshot.id, site_ids=[south.id])
    with pytest.raises(NotFound):
        service.get_snapshot(db=db, snapshot_id=10**9)


def test_deleting_a_finding_restages(db: Session, episode: Episode) -> None:
    assessment = _clti(db, episode)
    study = assessment.perfusion_studies[0]
    assessments.delete_finding(
        db=db,
        kind=FindingKind.PERFUSION_STUDY,
        finding_id=study.id,
        expected_version=1,
        settings=None,
    )
    latest = _snapshots(db, episode)[-1]
    assert latest.trigger == f"perfusion study {study.id} deleted"
    assert latest.missing == ["perfusion_study"]
    wound = wounds.list_wounds(db=db, episode_id=episode.id)[0]
    wounds.update_wound(
        db=db, wound_id=wound.id, expected_version=1, changes={"label": "first toe"}
    )
    relabelled = _snapshots(db, episode)[-1]
    assert relabelled.trigger == f"wound {wound.id} relabelled"
    assert relabelled.inputs["findings"]["wound_measurement"][0]["label"] == "first toe"


def test_restaging_an_unstaged_episode_proposes_its_first_snapshot(
    db: Session, episode: Episode
) -> None:
    proposal = service.restage(db=db, episode_id=episode.id)
    assert (proposal.created, proposal.previous, proposal.snapshot.trigger) == (
        True,
        None,
        "restaged",
    )


def test_dated_values_are_stored_as_text() -> None:
    assert plain(date(2026, 1, 6)) == "2026-01-06"
    assert plain(StagingStatus.PROPOSED) == "proposed"
    assert plain(3) == 3


def test_a_new_engine_that_grades_differently_lists_the_differences(
    db: Session, episode: Episode, monkeypatch: pytest.MonkeyPatch
) -> None:
    _clti(db, episode)
    confirmed = _snapshots(db, episode)[-1]
    service.confirm_staging(db=db, snapshot_id=confirmed.id, expected_version=1)

    def reread_stage(**arguments: object) -> WifiResult:
        # A hypothetical corrected stage table that reads this cell as stage 3.
        return replace(classify_wifi(**arguments), clinical_stage=3)  # type: ignore[arg-type]

    monkeypatch.setattr(service, "engine_version", lambda: "0.2.0")
    monkeypatch.setattr(engine, "classify_wifi", reread_stage)
    rerun = service.restage(db=db, episode_id=episode.id)
    assert [(d.system, d.field, d.old, d.new) for d in rerun.differences] == [
        ("wifi", "clinical_stage", 4, 3)
    ]
    assert (rerun.snapshot.wifi_stage, rerun.snapshot.previous_id) == (3, confirmed.id)
    db.expire_all()
    assert (confirmed.wifi_stage, confirmed.status) == (4, StagingStatus.CONFIRMED)
    assert service.index_stage(db=db, episode_id=episode.id).snapshot == confirmed


def test_purging_a_patient_removes_findings_and_snapshots(
    db: Session, episode: Episode, tmp_path: Path
) -> None:
    _clti(db, episode)
    with pytest.raises(Conflict, match="has clinical data"):
        patients.delete_patient(db=db, patient_id=episode.patient_id)
    counts = patients.purge_patient(
        db=db,
        patient_id=episode.patient_id,
        reason="test data",
        settings=Settings(data_dir=tmp_path),
    )
    assert counts["staging_snapshots"] == 5
    assert counts["wound_measurements"] == counts["perfusion_studies"] == 1
    assert db.scalar(select(StagingSnapshot.id)) is None


def test_a_referral_study_before_presentation_is_staged_at_presentation(
    db: Session, episode: Episode
) -> None:
    assessment = make_assessment(db, episode)
    make_finding(
        db,
        assessment,
        ImagingIn(
            modality="digital_subtraction_angiography",
            performed_on=date(2025, 12, 20),
            fp_grade=2,
            ip_grade=2,
        ),
    )
    snapshot = _snapshots(db, episode)[-1]
    assert (snapshot.as_of, snapshot.glass_stage) == (episode.presented_on, "II")


def test_a_bulk_import_defers_staging(db: Session, episode: Episode) -> None:
    db.info[service.DEFER_STAGING] = True
    _clti(db, episode)
    assert _snapshots(db, episode) == []
    del db.info[service.DEFER_STAGING]
    assert service.propose_staging(db=db, episode_id=episode.id, as_of=DAY).snapshot.wifi_stage == 4


def test_a_closed_episode_is_staged_up_to_its_closure(db: Session, episode: Episode) -> None:
    _clti(db, episode)
    patients.close_episode(
        db=db, episode_id=episode.id, close_in=EpisodeClose(version=1, closed_on=DAY)
    )
    assert service.propose_staging(db=db, episode_id=episode.id).snapshot.as_of == DAY
    with pytest.raises(Invalid, match="as_of: must not be after the episode's closed_on"):
        service.propose_staging(db=db, episode_id=episode.id, as_of=DAY + timedelta(days=1))


def test_the_ulcer_systems_are_staged_from_the_one_wound(db: Session, episode: Episode) -> None:
    # The worked example's hallux ulcer exposes bone, mild infection (IWGDF 2) without deep tissue
    # involvement: Wagner 2 (deep ulcer, no abscess, osteomyelitis or joint sepsis; Wagner 1981).
    _clti(db, episode)
    results = service.propose_staging(db=db, episode_id=episode.id, as_of=DAY).snapshot.results
    assert results["wagner"]["grade"] == 2
    assert results["wagner"]["rule"]
    # Texas: grade 3 (to bone) and infected are read; ischaemia is never derived, so it is listed.
    assert results["texas"]["missing"] == ["ischemia"]
    # SINBAD: pedal pulses and protective sensation are not recorded by the registry.
    assert results["sinbad"]["missing"] == ["reduced_pedal_blood_flow", "protective_sensation_lost"]
    snapshot = _snapshots(db, episode)[-1]
    assert snapshot.inputs["systems"]["texas"]["wound_depth"] == "bone_or_joint"
    assert snapshot.inputs["systems"]["sinbad"]["ulcer_site"] == "forefoot"
    assert snapshot.inputs["findings"]["wound_measurement"][0]["values"]["location"] == "hallux"


def test_several_wounds_are_not_graded_as_one(db: Session, episode: Episode) -> None:
    _clti(db, episode)
    make_measurement(db, make_wound(db, episode, label="heel ulcer", location=FootLocation.HEEL))
    results = service.propose_staging(db=db, episode_id=episode.id, as_of=DAY).snapshot.results
    for system in ("wagner", "texas", "sinbad"):
        assert results[system]["conflicts"] == ["several wounds"]
        assert "2 wounds in use (hallux ulcer, heel ulcer)" in results[system]["error"]
