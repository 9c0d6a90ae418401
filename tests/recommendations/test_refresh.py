"""Recomputing an episode's recommendations with the pathway engine from the registry: the
staging in force, the patient, medications and the clinician's facts; no churn on a second
run; missing facts left to the engine to list. SQLite and PostgreSQL."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.assessments.schemas import PerfusionStudyIn
from limbsalvage.conference import service as conference
from limbsalvage.core.vocabulary import (
    AmbulatoryStatus,
    Drug,
    EpisodeCause,
    RecommendationState,
)
from limbsalvage.errors import Invalid, NotFound
from limbsalvage.facts.service import facts_in_force, record_facts
from limbsalvage.medications.models import Medication
from limbsalvage.patients.models import Episode
from limbsalvage.recommendations import refresh
from limbsalvage.recommendations.refresh import ENGINE_VERSION, pathway_record, refresh_for_episode
from limbsalvage.staging.models import StagingSnapshot
from limbsalvage.wounds.models import Wound
from tests.conftest import FIXED_NOW
from tests.support.factories import (
    MILD_INFECTION,
    make_assessment,
    make_episode,
    make_finding,
    make_measurement,
    make_patient,
    make_site,
    make_worked_clti,
    make_wound,
)

# The staging worked example: a deep ulcer with exposed bone (W2), toe pressure 35 mmHg (I2 by
# the ABI of 0.6), mild infection (fI1), CTA FP grade 1 / IP grade 3 → WIfI stage 4.
CLINICIAN_FACTS = {
    "usable_gsv": True,
    "perioperative_mortality_pct": 2,
    "two_year_survival_pct": 80,
}


@pytest.fixture
def episode(db: Session) -> Episode:
    site = make_site(db)
    patient = make_patient(db, site, smoking_status="current", ambulatory_status="independent")
    episode = make_episode(db, patient)
    make_worked_clti(db, episode)
    return episode


def site_ids(episode: Episode) -> list[int]:
    return [episode.limb.patient.site_id]


def test_the_record_comes_from_the_registry(db: Session, episode: Episode) -> None:
    record = pathway_record(db, episode)
    assert record == {
        "cause": "clti",
        "diabetes": True,
        "age_years": 75,
        "current_smoker": True,
        "ambulatory": True,
        "wound_grade": 2,
        "ischemia_grade": 2,
        "infection_grade": 1,
        "infection_iwgdf": 2,
        "fp_grade": 1,
        "ip_grade": 3,
        "im_modifier": "P1",
        "abi": 0.6,
        "ankle_pressure_mmhg": 84.0,
        "toe_pressure_mmhg": 35.0,
        "tissue_loss": True,
    }


def test_refresh_stores_the_engine_output_then_keeps_it(db: Session, episode: Episode) -> None:
    first = refresh_for_episode(db=db, episode_id=episode.id, site_ids=site_ids(episode))
    rules = {r.rule_id for r in first.added}
    assert {"conference.wifi_stage_4", "gvg.best_medical_therapy"} <= rules
    assert "gvg.estimate_patient_risk" in rules  # the risk estimates are missing: asked for
    assert all(r.state is RecommendationState.PENDING for r in first.added)
    assert {r.engine_version for r in first.added} == {ENGINE_VERSION}
    again = refresh_for_episode(db=db, episode_id=episode.id, site_ids=site_ids(episode))
    assert {r.id for r in again.kept} == {r.id for r in first.added}
    assert again.needs_acknowledgement == []


def test_clinician_facts_change_what_is_recommended(db: Session, episode: Episode) -> None:
    refresh_for_episode(db=db, episode_id=episode.id, site_ids=site_ids(episode))
    summary = refresh_for_episode(
        db=db, episode_id=episode.id, site_ids=site_ids(episode), facts=CLINICIAN_FACTS
    )
    assert "gvg.vein_mapping" in {r.rule_id for r in summary.added}
    assert [r.rule_id for r in summary.withdrawn] == ["gvg.estimate_patient_risk"]
    assert "conference.wifi_stage_4" in {r.rule_id for r in summary.kept}


def test_flagged_for_conference_from_the_engine_output(db: Session, episode: Episode) -> None:
    refresh_for_episode(db=db, episode_id=episode.id, site_ids=site_ids(episode))
    (case,) = conference.flag_cases(
        db=db,
        site_id=site_ids(episode)[0],
        conference_on=date(2026, 3, 2),
        site_ids=site_ids(episode),
    )
    assert "conference.wifi_stage_4" in [t["rule_id"] for t in case.triggers]


def test_current_medications_count_only_as_taken(db: Session, episode: Episode) -> None:
    for drug, stopped in ((Drug.ASPIRIN, None), (Drug.ATORVASTATIN, date(2026, 2, 1))):
        db.add(
            Medication(
                patient_id=episode.patient_id,
                drug=drug,
                started_on=date(2025, 1, 1),
                stopped_on=stopped,
            )
        )
    db.flush()
    record = pathway_record(db, episode)
    assert record["on_antiplatelet"] is True
    assert "on_statin" not in record  # stopped: unknown now, not false


def test_facts_are_checked(db: Session, episode: Episode) -> None:
    with pytest.raises(Invalid, match="toe_pressure_mmhg: comes from the registry"):
        refresh_for_episode(
            db=db,
            episode_id=episode.id,
            site_ids=site_ids(episode),
            facts={"toe_pressure_mmhg": 20},
        )
    with pytest.raises(Invalid, match="gsv: is not an input of the pathway engine"):
        refresh_for_episode(
            db=db, episode_id=episode.id, site_ids=site_ids(episode), facts={"gsv": True}
        )
    with pytest.raises(Invalid, match="patient_risk_override_reason: must be a reason only"):
        refresh_for_episode(
            db=db,
            episode_id=episode.id,
            site_ids=site_ids(episode),
            facts={"patient_risk_override_reason": "frail"},
        )
    with pytest.raises(Invalid, match="wifi_stage: comes from the registry"):
        refresh_for_episode(
            db=db, episode_id=episode.id, site_ids=site_ids(episode), facts={"wifi_stage": 1}
        )
    with pytest.raises(NotFound, match=f"episode {episode.id} not found"):
        refresh_for_episode(db=db, episode_id=episode.id, site_ids=[999])


def test_facts_given_are_stored_then_reused(db: Session, episode: Episode) -> None:
    first = refresh_for_episode(
        db=db, episode_id=episode.id, site_ids=site_ids(episode), facts=CLINICIAN_FACTS
    )
    assert facts_in_force(db=db, episode_id=episode.id, site_ids=site_ids(episode)).keys() == {
        "usable_gsv",
        "perioperative_mortality_pct",
        "two_year_survival_pct",
    }
    again = refresh_for_episode(db=db, episode_id=episode.id, site_ids=site_ids(episode))
    assert again.needs_acknowledgement == []
    assert again.withdrawn == []
    assert {r.id for r in again.kept} == {r.id for r in first.added}


def test_each_recommendation_names_the_clinician_facts_with_who_and_when(
    db: Session, episode: Episode
) -> None:
    summary = refresh_for_episode(
        db=db,
        episode_id=episode.id,
        site_ids=site_ids(episode),
        facts={"usable_gsv": True},
    )
    (fact,) = facts_in_force(db=db, episode_id=episode.id, site_ids=site_ids(episode)).values()
    for row in summary.added:
        assert row.clinician_facts == [
            {
                "name": "usable_gsv",
                "value": True,
                "fact_id": fact.id,
                "recorded_by_id": None,  # the test session acts as the system
                "recorded_at": FIXED_NOW.isoformat(),
            }
        ]


def test_a_fact_the_patient_record_now_holds_is_left_to_it(db: Session) -> None:
    site = make_site(db)
    patient = make_patient(db, site)
    episode = make_episode(db, patient)
    record_facts(db=db, episode_id=episode.id, facts={"ambulatory": False}, site_ids=[site.id])
    patient.ambulatory_status = AmbulatoryStatus.INDEPENDENT
    db.flush()
    summary = refresh_for_episode(db=db, episode_id=episode.id, site_ids=[site.id])
    assert all(row.clinician_facts == [] for row in summary.added)  # the registry's value wins


def test_an_overridden_ischaemia_grade_is_given_alone() -> None:
    snapshot = StagingSnapshot(
        wifi_wound_grade=0,
        wifi_ischemia_grade=3,
        inputs={"systems": {"wifi": {"toe_pressure_mmhg": 45.0, "abi": None}}},
        overrides={"wifi_ischemia_grade": {"proposed": 1, "chosen": 3}},
        computed_at=datetime(2026, 3, 1, tzinfo=UTC),
    )
    values = refresh.snapshot_values(snapshot)
    assert values == {"wound_grade": 0, "ischemia_grade": 3, "tissue_loss": False}
    snapshot.overrides = None
    assert refresh.snapshot_values(snapshot)["toe_pressure_mmhg"] == 45.0
    assert refresh.snapshot_values(None) == {}


def test_without_staging_only_the_patient_and_cause(db: Session) -> None:
    site = make_site(db)
    episode = make_episode(db, make_patient(db, site))
    assert pathway_record(db, episode) == {"cause": "clti", "diabetes": True, "age_years": 75}
    summary = refresh_for_episode(db=db, episode_id=episode.id, site_ids=[site.id])
    assert summary.added  # the engine still answers, listing what it misses


def test_a_site_threshold_is_what_the_engine_reads(db: Session) -> None:
    site = make_site(db)
    patient = make_patient(db, site, smoking_status="never", ambulatory_status="independent")
    episode = make_episode(db, patient, cause=EpisodeCause.DIABETIC_FOOT)
    make_worked_clti(db, episode)  # toe pressure 35 mmHg: above the cited 30 mmHg
    first = refresh_for_episode(db=db, episode_id=episode.id, site_ids=[site.id])
    assert "dfu.urgent_vascular_imaging" not in {r.rule_id for r in first.added}
    site.settings = {"pathway_thresholds": {"iwgdf_urgent_toe_pressure_mmhg": 40}}
    db.flush()
    second = refresh_for_episode(db=db, episode_id=episode.id, site_ids=[site.id])
    assert "dfu.urgent_vascular_imaging" in {r.rule_id for r in second.added}


# A failing wound on a high-risk limb with moderate ischaemia: GVG 2019 rec. 6.35/6.36 consider
# endovascular revascularization when the wound has not shrunk ≥50% in 4 weeks of good care.
# W2 (deep, exposed bone) I1 (ABI 100/140 = 0.71; toe pressure 45 mmHg) fI1 → WIfI stage 3.
FAILING = "gvg.high_risk.moderate_ischemia_failing"
HIGH_RISK = {
    "perioperative_mortality_pct": 10,
    "two_year_survival_pct": 40,
    "appropriate_care_4wk": True,
}


def failing_wound_episode(db: Session, *areas: tuple[date, float]) -> Episode:
    site = make_site(db)
    episode = make_episode(db, make_patient(db, site, ambulatory_status="independent"))
    wound = make_wound(db, episode)
    for on, area in areas:
        make_measurement(
            db,
            wound,
            measured_on=on,
            length_cm=None,
            width_cm=None,
            area_cm2=area,
            ulcer="deep",
            exposed_bone=True,
        )
    assessment = make_assessment(db, episode, assessed_on=date(2026, 2, 3))
    make_finding(
        db,
        assessment,
        PerfusionStudyIn(
            brachial_right_mmhg=140,
            dorsalis_pedis_mmhg=95,
            posterior_tibial_mmhg=100,
            toe_pressure_mmhg=45,
        ),
    )
    make_finding(db, assessment, MILD_INFECTION)
    return episode


def test_the_4_week_reduction_comes_from_the_wound_measurements(db: Session) -> None:
    episode = failing_wound_episode(db, (date(2026, 1, 6), 4.0), (date(2026, 2, 3), 3.0))
    summary = refresh_for_episode(
        db=db,
        episode_id=episode.id,
        site_ids=site_ids(episode),
        facts=HIGH_RISK,
    )
    assert pathway_record(db, episode)["wound_area_reduction_4wk_pct"] == pytest.approx(25.0)
    (row,) = [r for r in summary.added if r.rule_id == FAILING]
    assert "wound_area_reduction_4wk_pct 25.0" in row.rationale
    assert (
        "wound_area_reduction_4wk_pct from the wound measurements: wound 'hallux ulcer' "
        "4.00 cm² on 2026-01-06 → 3.00 cm² on 2026-02-03 (day 28), 25.0% smaller."
    ) in row.rationale
    assert "wound_area_reduction_4wk_pct" not in {f["name"] for f in row.clinician_facts or []}
    with pytest.raises(Invalid, match="wound_area_reduction_4wk_pct: comes from the wound"):
        refresh_for_episode(
            db=db,
            episode_id=episode.id,
            site_ids=site_ids(episode),
            facts={"wound_area_reduction_4wk_pct": 60},
        )


def test_a_stored_fact_is_left_unused_once_the_measurements_give_it(db: Session) -> None:
    episode = failing_wound_episode(db, (date(2026, 1, 6), 4.0))
    summary = refresh_for_episode(
        db=db,
        episode_id=episode.id,
        site_ids=site_ids(episode),
        facts={**HIGH_RISK, "wound_area_reduction_4wk_pct": 60},  # one measured day only
    )
    assert FAILING not in {r.rule_id for r in summary.added}  # the clinician's 60% is used
    wound = episode_wound(db, episode)
    make_measurement(
        db,
        wound,
        measured_on=date(2026, 2, 3),
        length_cm=None,
        width_cm=None,
        area_cm2=3.0,
        ulcer="deep",
        exposed_bone=True,
    )
    again = refresh_for_episode(db=db, episode_id=episode.id, site_ids=site_ids(episode))
    assert FAILING in {r.rule_id for r in again.added}  # the measured 25% wins
    for row in again.added:
        assert "wound_area_reduction_4wk_pct" not in {f["name"] for f in row.clinician_facts or []}


def test_without_a_4_week_value_or_fact_the_engine_lists_it_missing(db: Session) -> None:
    episode = failing_wound_episode(db, (date(2026, 1, 6), 4.0), (date(2026, 1, 20), 3.0))
    assert "wound_area_reduction_4wk_pct" not in pathway_record(db, episode)  # day 14 only
    summary = refresh_for_episode(
        db=db, episode_id=episode.id, site_ids=site_ids(episode), facts=HIGH_RISK
    )
    missing = {name for row in summary.added for name in row.missing}
    assert "wound_area_reduction_4wk_pct" in missing


def episode_wound(db: Session, episode: Episode) -> Wound:
    return db.scalars(select(Wound).where(Wound.episode_id == episode.id)).one()
