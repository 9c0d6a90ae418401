"""Endpoint derivation on hand-built timelines: every event kind, ties, censoring, conflicts."""

import pytest

from limbsalvage.core.outcomes.endpoints import (
    COMPETING,
    DEFINITIONS,
    EVENT,
    Endpoint,
    TimeZero,
    derive_cohort,
    derive_endpoint,
    happenings,
)
from limbsalvage.core.outcomes.timeline import EndpointNotApplicable, TimelineError
from limbsalvage.core.tables.outcomes import MajorAmputationDefinition
from limbsalvage.core.vocabulary import AmputationLevel as Level
from limbsalvage.core.vocabulary import OutcomeEventKind as Kind
from limbsalvage.core.vocabulary import ProcedureKind as Proc

from .timelines import amputation, day, event, limb, procedure, vein_bypass

E = Endpoint


def outcome(timeline: object, endpoint: Endpoint, **options: object) -> tuple[int, int, str]:
    result = derive_endpoint(timeline, endpoint, **options)  # type: ignore[arg-type]
    return result.days, result.code, result.reason


def test_every_endpoint_has_a_definition_with_sources() -> None:
    assert set(DEFINITIONS) == set(Endpoint)
    for definition in DEFINITIONS.values():
        assert definition.title
        assert definition.event
        assert definition.sources


def test_overall_survival_is_death_or_censoring_at_last_contact() -> None:
    assert outcome(limb(died=100), E.OVERALL_SURVIVAL) == (100, EVENT, "death")
    assert outcome(limb(alive_until=200), E.OVERALL_SURVIVAL) == (200, 0, "end of follow-up")


def test_death_recorded_only_as_an_event_counts() -> None:
    timeline = limb(events=(event(40, Kind.DEATH),))
    assert outcome(timeline, E.OVERALL_SURVIVAL) == (40, EVENT, "death")


def test_later_records_prove_the_patient_alive() -> None:
    timeline = limb(alive_until=30, events=(event(90, Kind.READMISSION),))
    assert outcome(timeline, E.OVERALL_SURVIVAL) == (90, 0, "end of follow-up")


def test_missing_follow_up_is_censored_at_time_zero_and_flagged() -> None:
    result = derive_endpoint(limb(), E.OVERALL_SURVIVAL)
    assert (result.days, result.code, result.missing_follow_up) == (0, 0, True)
    assert result.reason == "no follow-up after time zero"
    assert not derive_endpoint(limb(alive_until=10), E.OVERALL_SURVIVAL).missing_follow_up


def test_major_amputation_with_death_competing() -> None:
    amputated = limb(died=80, procedures=(amputation(50, Level.BELOW_KNEE),))
    assert outcome(amputated, E.MAJOR_AMPUTATION) == (50, EVENT, "major_amputation")
    assert outcome(limb(died=80), E.MAJOR_AMPUTATION) == (80, COMPETING, "death")
    by_event = limb(alive_until=300, events=(event(120, Kind.MAJOR_AMPUTATION),))
    assert outcome(by_event, E.MAJOR_AMPUTATION) == (120, EVENT, "major_amputation")


@pytest.mark.parametrize(
    "level", [Level.TOE, Level.RAY, Level.TRANSMETATARSAL, Level.LISFRANC, Level.CHOPART]
)
def test_foot_amputations_are_minor_in_both_readings(level: Level) -> None:
    timeline = limb(alive_until=100, procedures=(amputation(10, level),))
    for reading in MajorAmputationDefinition:
        assert outcome(timeline, E.MAJOR_AMPUTATION, major_amputation=reading)[1] == 0


def test_syme_is_minor_above_the_ankle_and_major_at_the_ankle_or_above() -> None:
    timeline = limb(alive_until=100, procedures=(amputation(10, Level.SYME),))
    assert outcome(timeline, E.MAJOR_AMPUTATION)[1] == 0
    at_ankle = MajorAmputationDefinition.ANKLE_OR_ABOVE
    assert outcome(timeline, E.MAJOR_AMPUTATION, major_amputation=at_ankle)[:2] == (10, EVENT)


def test_amputation_free_survival_is_the_first_of_amputation_or_death() -> None:
    assert outcome(limb(died=30), E.AMPUTATION_FREE_SURVIVAL)[:2] == (30, EVENT)
    amputated = limb(died=90, procedures=(amputation(60, Level.ABOVE_KNEE),))
    assert outcome(amputated, E.AMPUTATION_FREE_SURVIVAL) == (60, EVENT, "major_amputation")


def test_male_counts_major_reinterventions_after_the_index_day_only() -> None:
    index = vein_bypass(5)
    redo = limb(alive_until=400, procedures=(index, procedure(40, Proc.THROMBECTOMY)))
    assert outcome(redo, E.MALE) == (40, EVENT, "major_reintervention")
    minor = limb(alive_until=400, procedures=(index, procedure(40, Proc.ANGIOPLASTY)))
    assert outcome(minor, E.MALE)[1] == 0
    same_day = limb(alive_until=400, procedures=(index, procedure(5, Proc.THROMBOLYSIS)))
    assert outcome(same_day, E.MALE)[1] == 0
    assert outcome(limb(died=70, procedures=(index,)), E.MALE) == (70, COMPETING, "death")


def test_a_patch_revision_is_a_minor_reintervention_a_jump_graft_a_major_one() -> None:
    # Conte 2009/2010: a jump or interposition graft revision is major; a patch angioplasty of the
    # graft is a minor surgical revision: a reintervention, not MALE (it was not counted at all).
    index = vein_bypass(5)
    patch = limb(alive_until=400, procedures=(index, procedure(40, Proc.PATCH_ANGIOPLASTY)))
    assert outcome(patch, E.MALE)[1] == 0
    assert outcome(patch, E.REINTERVENTION) == (40, EVENT, "reintervention")
    jump = limb(alive_until=400, procedures=(index, procedure(40, Proc.GRAFT_REVISION)))
    assert outcome(jump, E.MALE) == (40, EVENT, "major_reintervention")
    found = happenings(jump)
    assert found.first["major_reintervention"] == found.first["reintervention"] == day(40)


def test_without_an_index_procedure_a_first_bypass_is_not_a_reintervention() -> None:
    timeline = limb(alive_until=300, procedures=(procedure(20, Proc.BYPASS),))
    assert outcome(timeline, E.MALE)[1] == 0
    amputated = limb(alive_until=300, procedures=(amputation(90, Level.BELOW_KNEE),))
    assert outcome(amputated, E.MALE) == (90, EVENT, "major_amputation")


def test_male_free_survival_counts_death() -> None:
    assert outcome(limb(died=15, procedures=(vein_bypass(),)), E.MALE_FREE_SURVIVAL) == (
        15,
        EVENT,
        "death",
    )


def test_male_or_perioperative_death_counts_death_within_30_days_of_the_index() -> None:
    early = limb(died=35, procedures=(vein_bypass(5),))
    assert outcome(early, E.MALE_OR_PERIOPERATIVE_DEATH) == (35, EVENT, "perioperative_death")
    late = limb(died=36, procedures=(vein_bypass(5),))
    assert outcome(late, E.MALE_OR_PERIOPERATIVE_DEATH) == (36, 0, "late_death")
    indexed = outcome(early, E.MALE_OR_PERIOPERATIVE_DEATH, time_zero=TimeZero.INDEX_PROCEDURE)
    assert indexed[:2] == (30, EVENT)


def test_endpoints_that_need_an_index_procedure_say_so() -> None:
    for endpoint in (E.MALE_OR_PERIOPERATIVE_DEATH, E.REINTERVENTION):
        with pytest.raises(EndpointNotApplicable, match=f"{endpoint.value} needs an index"):
            derive_endpoint(limb(alive_until=10), endpoint)
    with pytest.raises(EndpointNotApplicable, match="no index procedure"):
        derive_endpoint(
            limb(alive_until=10), E.OVERALL_SURVIVAL, time_zero=TimeZero.INDEX_PROCEDURE
        )


def test_reintervention_any_revascularization_or_recorded_event() -> None:
    index = procedure(0, Proc.ANGIOPLASTY, index=True)
    again = limb(alive_until=200, procedures=(index, procedure(60, Proc.STENT)))
    assert outcome(again, E.REINTERVENTION) == (60, EVENT, "reintervention")
    recorded = limb(alive_until=200, procedures=(index,), events=(event(70, Kind.REINTERVENTION),))
    assert outcome(recorded, E.REINTERVENTION)[:2] == (70, EVENT)
    before_index = limb(
        alive_until=200,
        procedures=(procedure(10, Proc.BYPASS, index=True),),
        events=(event(5, Kind.REINTERVENTION),),
    )
    assert outcome(before_index, E.REINTERVENTION)[1] == 0
    lost = limb(alive_until=200, procedures=(index, amputation(30, Level.BELOW_KNEE)))
    assert outcome(lost, E.REINTERVENTION) == (30, COMPETING, "major_amputation")


def test_recorded_reintervention_without_index_is_ignored() -> None:
    timeline = limb(alive_until=200, events=(event(70, Kind.REINTERVENTION),))
    assert outcome(timeline, E.MALE)[1] == 0


@pytest.mark.parametrize(("has_wound", "state"), [(False, "no wound"), (None, "unknown")])
def test_wound_healing_needs_a_wound_at_presentation(has_wound: bool | None, state: str) -> None:
    with pytest.raises(EndpointNotApplicable, match=f"has_wound: {state}; wound healing needs"):
        derive_endpoint(limb(alive_until=10, has_wound=has_wound), E.WOUND_HEALING)


def test_wound_healing_with_death_and_amputation_competing() -> None:
    healed = limb(alive_until=300, events=(event(60, Kind.WOUND_HEALED),))
    assert outcome(healed, E.WOUND_HEALING) == (60, EVENT, "wound_healed")
    assert outcome(limb(died=20), E.WOUND_HEALING) == (20, COMPETING, "death")
    lost = limb(alive_until=300, procedures=(amputation(25, Level.KNEE_DISARTICULATION),))
    assert outcome(lost, E.WOUND_HEALING) == (25, COMPETING, "major_amputation")


@pytest.mark.parametrize(
    ("kind", "reason"),
    [(Kind.MYOCARDIAL_INFARCTION, "myocardial_infarction"), (Kind.STROKE, "stroke")],
)
def test_mace_counts_myocardial_infarction_stroke_and_death(kind: Kind, reason: str) -> None:
    timeline = limb(alive_until=90, events=(event(12, kind),))
    assert outcome(timeline, E.MACE) == (12, EVENT, reason)
    assert outcome(limb(died=9), E.MACE) == (9, EVENT, "death")


def test_other_events_do_not_end_any_endpoint() -> None:
    timeline = limb(
        alive_until=100,
        events=(
            event(10, Kind.MINOR_AMPUTATION),
            event(20, Kind.LOSS_OF_PATENCY),
            event(30, Kind.READMISSION),
        ),
    )
    for endpoint in (E.OVERALL_SURVIVAL, E.MAJOR_AMPUTATION, E.MALE, E.WOUND_HEALING, E.MACE):
        assert outcome(timeline, endpoint) == (100, 0, "end of follow-up")


def test_same_day_amputation_and_death_counts_the_amputation() -> None:
    timeline = limb(died=50, procedures=(amputation(50, Level.BELOW_KNEE),))
    assert outcome(timeline, E.MAJOR_AMPUTATION) == (50, EVENT, "major_amputation")
    assert outcome(timeline, E.AMPUTATION_FREE_SURVIVAL)[2] == "major_amputation"


def test_same_day_healing_and_death_or_amputation_is_not_healing() -> None:
    dead = limb(died=40, events=(event(40, Kind.WOUND_HEALED),))
    assert outcome(dead, E.WOUND_HEALING) == (40, COMPETING, "death")
    lost = limb(
        alive_until=90,
        procedures=(amputation(40, Level.BELOW_KNEE),),
        events=(event(40, Kind.WOUND_HEALED),),
    )
    assert outcome(lost, E.WOUND_HEALING) == (40, COMPETING, "major_amputation")


def test_same_day_myocardial_infarction_and_death_is_mace_either_way() -> None:
    timeline = limb(died=7, events=(event(7, Kind.MYOCARDIAL_INFARCTION),))
    assert outcome(timeline, E.MACE) == (7, EVENT, "myocardial_infarction")


def test_index_time_zero_ignores_what_happened_before_the_index() -> None:
    timeline = limb(
        alive_until=400,
        procedures=(vein_bypass(30),),
        events=(event(10, Kind.MYOCARDIAL_INFARCTION), event(100, Kind.STROKE)),
    )
    assert outcome(timeline, E.MACE, time_zero=TimeZero.INDEX_PROCEDURE) == (70, EVENT, "stroke")
    assert outcome(timeline, E.MACE) == (10, EVENT, "myocardial_infarction")


def test_events_on_the_day_of_time_zero_count_at_day_zero() -> None:
    primary = limb(died=100, procedures=(amputation(0, Level.ABOVE_KNEE),))
    assert outcome(primary, E.MAJOR_AMPUTATION) == (0, EVENT, "major_amputation")


def test_closing_date_censors_later_deaths_and_ignores_later_events() -> None:
    timeline = limb(died=300, events=(event(250, Kind.STROKE),))
    assert outcome(timeline, E.OVERALL_SURVIVAL, closing_date=day(200)) == (
        200,
        0,
        "end of follow-up",
    )
    assert outcome(timeline, E.MACE, closing_date=day(200))[1] == 0
    short = limb(alive_until=100)
    assert outcome(short, E.OVERALL_SURVIVAL, closing_date=day(200))[0] == 100
    with pytest.raises(EndpointNotApplicable, match="after the closing date"):
        derive_endpoint(short, E.OVERALL_SURVIVAL, closing_date=day(-1))


@pytest.mark.parametrize(
    ("timeline", "message"),
    [
        (limb(died=-5), "death_date: 2023-12-27 is before time zero 2024-01-01"),
        (
            limb(died=10, events=(event(20, Kind.STROKE),)),
            "death_date: 2024-01-11 is before a later record on 2024-01-21",
        ),
        (limb(died=10, alive_until=11), "is before a later record on 2024-01-12"),
        (
            limb(died=10, events=(event(12, Kind.DEATH),)),
            "conflicting death dates: 2024-01-11, 2024-01-13",
        ),
        (
            limb(procedures=(vein_bypass(1), vein_bypass(2))),
            "2 index procedures",
        ),
        (
            limb(procedures=(procedure(3, Proc.AMPUTATION),)),
            "amputation on 2024-01-04 has no amputation_level; expected one of toe",
        ),
        (
            limb(procedures=(procedure(3, Proc.BYPASS, level=Level.TOE),)),
            r"bypass on 2024-01-04 has an amputation_level \(toe\)",
        ),
    ],
)
def test_conflicting_or_incomplete_timelines_name_the_limb_and_field(
    timeline: object, message: str
) -> None:
    with pytest.raises(TimelineError, match=message) as raised:
        derive_endpoint(timeline, E.OVERALL_SURVIVAL)  # type: ignore[arg-type]
    assert str(raised.value).startswith("limb L1: ")


def test_a_major_amputation_before_time_zero_is_a_contradiction() -> None:
    timeline = limb(alive_until=100, procedures=(amputation(5, Level.BELOW_KNEE), vein_bypass(20)))
    with pytest.raises(TimelineError, match="major amputation on 2024-01-06 is before time zero"):
        derive_endpoint(timeline, E.MALE, time_zero=TimeZero.INDEX_PROCEDURE)


def test_happenings_report_follow_up_and_first_dates() -> None:
    facts = happenings(limb(died=50, events=(event(10, Kind.STROKE), event(20, Kind.STROKE))))
    assert facts.follow_up_end == day(50)
    assert facts.died
    assert facts.first["stroke"] == day(10)


def test_cohort_lists_excluded_limbs_and_gives_estimator_arrays() -> None:
    timelines = [
        limb(limb_id="A", died=10),
        limb(limb_id="B", alive_until=30, procedures=(amputation(20, Level.BELOW_KNEE),)),
        limb(limb_id="C", died=-1),
        limb(limb_id="D", alive_until=40),
    ]
    cohort = derive_cohort(timelines, E.MAJOR_AMPUTATION)
    assert [o.limb_id for o in cohort.outcomes] == ["A", "B", "D"]
    assert [e.limb_id for e in cohort.excluded] == ["C"]
    assert cohort.durations().tolist() == [10.0, 20.0, 40.0]
    assert cohort.codes().tolist() == [COMPETING, EVENT, 0]
    assert cohort.events().tolist() == [0, 1, 0]
