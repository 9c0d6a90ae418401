"""Verdicts against the SVS performance goals come from the interval and the comparable cohort."""

import math

import pytest

from limbsalvage.core.outcomes.performance_goals import (
    COMPARABLE,
    UNADJUSTED,
    Verdict,
    compare_with_goal,
    differences_from_goal_cohort,
    judge,
)
from limbsalvage.core.tables.performance_goals import PERFORMANCE_GOALS
from limbsalvage.core.vocabulary import Conduit, EpisodeCause
from limbsalvage.core.vocabulary import ProcedureKind as Proc

from .timelines import limb, procedure, vein_bypass

GOALS = {goal.goal_id: goal for goal in PERFORMANCE_GOALS}
SURVIVAL = GOALS["survival-1y"]  # at least 80%
MACE = GOALS["mace-30d"]  # at most 8%


@pytest.mark.parametrize(
    ("lower", "upper", "verdict"),
    [
        (0.81, 0.95, Verdict.MEETS),
        (0.60, 0.79, Verdict.FAILS),
        (0.75, 0.85, Verdict.NOT_ENOUGH_DATA),
        (0.80, 0.90, Verdict.NOT_ENOUGH_DATA),  # touching the goal is not clearing it
    ],
)
def test_at_least_goals_are_judged_from_the_interval(
    lower: float, upper: float, verdict: Verdict
) -> None:
    assert judge(SURVIVAL, ci_lower=lower, ci_upper=upper, at_risk=50) is verdict


@pytest.mark.parametrize(
    ("lower", "upper", "verdict"),
    [
        (0.01, 0.07, Verdict.MEETS),
        (0.09, 0.20, Verdict.FAILS),
        (0.05, 0.12, Verdict.NOT_ENOUGH_DATA),
    ],
)
def test_at_most_goals_are_judged_from_the_interval(
    lower: float, upper: float, verdict: Verdict
) -> None:
    assert judge(MACE, ci_lower=lower, ci_upper=upper, at_risk=50) is verdict


def test_the_point_estimate_alone_never_decides() -> None:
    # A point of 0.85 clears 80%, but an interval of 0.70–0.95 does not.
    assert judge(SURVIVAL, ci_lower=0.70, ci_upper=0.95, at_risk=30) is Verdict.NOT_ENOUGH_DATA


def test_no_one_at_risk_or_no_interval_is_not_enough_data() -> None:
    assert judge(SURVIVAL, ci_lower=0.9, ci_upper=0.95, at_risk=0) is Verdict.NOT_ENOUGH_DATA
    nan = math.nan
    assert judge(SURVIVAL, ci_lower=nan, ci_upper=nan, at_risk=3) is Verdict.NOT_ENOUGH_DATA


def test_the_goals_cohort_is_clti_autologous_vein_bypass_off_dialysis() -> None:
    assert differences_from_goal_cohort(limb(procedures=(vein_bypass(),))) == ()
    prosthetic = procedure(0, Proc.BYPASS, index=True, conduit=Conduit.PROSTHETIC)
    assert differences_from_goal_cohort(limb(procedures=(prosthetic,))) == (
        "bypass conduit prosthetic, not autologous vein",
    )
    no_conduit = procedure(0, Proc.BYPASS, index=True)
    assert "bypass conduit unknown, not autologous vein" in differences_from_goal_cohort(
        limb(procedures=(no_conduit,))
    )
    endovascular = limb(
        procedures=(procedure(0, Proc.ANGIOPLASTY, index=True),),
        cause=EpisodeCause.DIABETIC_FOOT,
        on_dialysis=True,
    )
    assert differences_from_goal_cohort(endovascular) == (
        "cause diabetic_foot, not clti",
        "index procedure is not a bypass",
        "on dialysis",
    )
    unknown = limb(cause=None, on_dialysis=None)
    assert differences_from_goal_cohort(unknown) == (
        "cause unknown",
        "index procedure is not a bypass",
        "dialysis status unknown",
    )
    twice = limb(procedures=(vein_bypass(1), vein_bypass(2)))
    assert "2 index procedures (2024-01-02, 2024-01-03); expected one" in (
        differences_from_goal_cohort(twice)
    )


def followed(
    count: int, *, deaths_within_year: int = 0, limbs_per_patient: int = 1
) -> list[object]:
    timelines = []
    for i in range(count):
        dead = i < deaths_within_year
        timelines.append(
            limb(
                limb_id=f"L{i}",
                patient_id=f"P{i // limbs_per_patient}",
                procedures=(vein_bypass(),),
                died=100 + i if dead else None,
                alive_until=None if dead else 400,
            )
        )
    return timelines


def test_a_large_healthy_comparable_cohort_meets_the_survival_goal() -> None:
    result = compare_with_goal(SURVIVAL, followed(200, deaths_within_year=10), comparable=True)
    assert result.estimate == pytest.approx(0.95)
    assert result.ci_lower > 0.80
    assert result.verdict is Verdict.MEETS
    assert result.label == COMPARABLE
    assert result.limbs == 200
    assert result.at_risk == 190


def test_a_cohort_with_high_mortality_fails_the_survival_goal() -> None:
    result = compare_with_goal(SURVIVAL, followed(200, deaths_within_year=100), comparable=True)
    assert result.verdict is Verdict.FAILS


def test_rates_are_one_minus_survival_with_the_interval_flipped() -> None:
    result = compare_with_goal(MACE, followed(100), comparable=True)
    assert (result.estimate, result.ci_lower, result.ci_upper) == (0.0, 0.0, 0.0)
    assert result.verdict is Verdict.MEETS


def test_other_populations_get_a_label_not_a_verdict() -> None:
    result = compare_with_goal(SURVIVAL, followed(50), comparable=False)
    assert result.verdict is None
    assert result.label == UNADJUSTED == "unadjusted — different population"


def test_limbs_without_an_index_procedure_are_left_out_with_the_reason() -> None:
    result = compare_with_goal(SURVIVAL, [limb(alive_until=30)], comparable=True)
    assert result.limbs == 0
    assert math.isnan(result.estimate)
    assert result.verdict is Verdict.NOT_ENOUGH_DATA
    assert "no index procedure" in str(result.excluded[0])


def test_two_limbs_per_patient_widen_the_interval() -> None:
    one_each = compare_with_goal(SURVIVAL, followed(200, deaths_within_year=30), comparable=True)
    # The same limbs paired by patient (the two limbs of a patient share their outcome here).
    paired = followed(200, deaths_within_year=30, limbs_per_patient=2)
    two_each = compare_with_goal(SURVIVAL, paired, comparable=True)
    assert two_each.estimate == one_each.estimate
    assert two_each.ci_lower < one_each.ci_lower
    assert two_each.ci_upper > one_each.ci_upper


def test_a_single_patient_gives_no_interval_and_no_verdict() -> None:
    result = compare_with_goal(
        SURVIVAL, followed(4, deaths_within_year=1, limbs_per_patient=4), comparable=True
    )
    assert math.isnan(result.ci_lower)
    assert result.verdict is Verdict.NOT_ENOUGH_DATA
