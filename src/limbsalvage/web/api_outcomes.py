"""`/api/v1/outcomes`: the outcomes report's numbers as JSON for the user's sites.

Aggregate only, for clinicians, coordinators and analysts: estimates with their intervals and
numbers at risk, performance-goal verdicts, WIfI-stage amputation beside the published series,
follow-up completeness and activity — never a name, MRN, date of birth or patient or limb id
(exclusions are counted, not listed). The same cached computation as the dashboard
(limbsalvage.outcomes.dashboard); a value that cannot be estimated is `null`, never NaN.
"""

import math
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from limbsalvage.core.outcomes.endpoints import TimeZero
from limbsalvage.core.outcomes.performance_goals import GoalComparison
from limbsalvage.outcomes.dashboard import Dashboard
from limbsalvage.outcomes.report_data import CurveSet
from limbsalvage.outcomes.service import Stratify
from limbsalvage.web.api_support import MAX_ID, RANGE_CHECKED, Analyst
from limbsalvage.web.auth import Database
from limbsalvage.web.dashboard_views import audit_dashboard, program_dashboard
from limbsalvage.web.errors import ERROR_RESPONSES

router = APIRouter(
    prefix="/api/v1", tags=["outcomes"], responses=ERROR_RESPONSES, dependencies=RANGE_CHECKED
)

SiteQuery = Annotated[int | None, Query(ge=1, le=MAX_ID, description="one of your sites")]


class OutcomesOut(BaseModel):
    """The report's numbers for the sites and filters asked for (aggregate, no identifiers)."""

    site_ids: list[int]
    time_zero: TimeZero
    stratify: Stratify
    closing_date: str
    synthetic_included: bool
    limbs: int
    patients: int
    patients_with_both_limbs: int
    strata: list[str]
    completeness: list[dict[str, Any]]
    survival: list[dict[str, Any]]
    incidence: list[dict[str, Any]]
    goals_comparable: list[dict[str, Any]]
    goals_all: list[dict[str, Any]]
    comparable_limbs: int
    wifi: list[dict[str, Any]]
    activity: dict[str, Any]
    waits: list[dict[str, Any]]
    excluded_timelines: int


def finite(value: float | None) -> float | None:
    """The number, or None when it is missing, NaN or infinite (JSON has no NaN)."""
    return value if value is not None and math.isfinite(value) else None


def _curve(curve: CurveSet) -> dict[str, Any]:
    logrank = curve.logrank
    return {
        "endpoint": curve.endpoint.value,
        "estimate": curve.estimate_name,
        "title": curve.title,
        "at_horizons": [
            {
                "stratum": row.stratum,
                "limbs": row.limbs,
                "events": row.events,
                "horizon_days": row.horizon_days,
                "estimate": finite(row.estimate),
                "ci_lower": finite(row.ci_lower),
                "ci_upper": finite(row.ci_upper),
                "at_risk": row.at_risk,
            }
            for row in curve.rows
        ],
        "median_days": {k: finite(v) for k, v in curve.median_days.items()},
        "logrank": None
        if logrank is None
        else {
            "statistic": finite(logrank.statistic),
            "degrees_of_freedom": logrank.degrees_of_freedom,
            "p_value": finite(logrank.p_value),
            "groups": list(logrank.groups),
        },
        "excluded": curve.excluded,
    }


def _goal(comparison: GoalComparison) -> dict[str, Any]:
    goal = comparison.goal
    return {
        "goal_id": goal.goal_id,
        "title": goal.title,
        "endpoint": goal.endpoint,
        "horizon_days": goal.horizon_days,
        "measure": goal.measure.value,
        "direction": goal.direction.value,
        "threshold": goal.threshold,
        "limbs": comparison.limbs,
        "at_risk": comparison.at_risk,
        "estimate": finite(comparison.estimate),
        "ci_lower": finite(comparison.ci_lower),
        "ci_upper": finite(comparison.ci_upper),
        "comparable": comparison.comparable,
        "verdict": comparison.verdict.value if comparison.verdict is not None else None,
        "label": comparison.label,
        "excluded": len(comparison.excluded),
    }


def _activity(board: Dashboard) -> dict[str, Any]:
    metrics = board.data.metrics
    quartiles = metrics.revascularization_quartiles()
    return {
        "amputations_by_quarter": [
            {"quarter": quarter, "major": major, "minor": minor}
            for quarter, major, minor in metrics.amputations_by_quarter
        ],
        "major_to_minor": finite(metrics.major_to_minor),
        "days_to_revascularization_quartiles": list(quartiles) if quartiles else None,
        "revascularized_limbs": len(metrics.days_to_revascularization),
    }


def outcomes_out(board: Dashboard) -> OutcomesOut:
    """The JSON shape of a computed dashboard (aggregate numbers only)."""
    data, key = board.data, board.key
    return OutcomesOut(
        site_ids=list(key.site_ids),
        time_zero=key.time_zero,
        stratify=key.stratify,
        closing_date=key.closing_date.isoformat(),
        synthetic_included=board.synthetic_included,
        limbs=data.limbs,
        patients=data.patients,
        patients_with_both_limbs=data.patients_with_both_limbs,
        strata=list(data.strata),
        completeness=[
            {
                "stratum": row.stratum,
                "limbs": row.result.limbs,
                "observed_days": row.result.observed_days,
                "potential_days": row.result.potential_days,
                "limbs_without_follow_up": row.result.limbs_without_follow_up,
                "index": finite(row.result.index),
            }
            for row in data.completeness
        ],
        survival=[_curve(c) for c in data.survival],
        incidence=[_curve(c) for c in data.incidence],
        goals_comparable=[_goal(g) for g in data.goals_comparable],
        goals_all=[_goal(g) for g in data.goals_all],
        comparable_limbs=data.comparable_limbs,
        wifi=[
            {
                "stage": row.stage,
                "limbs": row.limbs,
                "estimate": finite(row.estimate),
                "ci_lower": finite(row.ci_lower),
                "ci_upper": finite(row.ci_upper),
                "at_risk": row.at_risk,
                "published": {
                    name: {
                        "rate": rate.rate,
                        "ci_lower": rate.ci_lower,
                        "ci_upper": rate.ci_upper,
                    }
                    for name, rate in row.published.items()
                },
            }
            for row in data.wifi
        ],
        activity=_activity(board),
        waits=[
            {
                "setting": row.setting,
                "limbs": row.limbs,
                "median_days": finite(row.median_days),
                "bins": [{"days": label, "limbs": count} for label, count in row.bins],
                "target_days": row.target.days if row.target is not None else None,
                "within_target": row.within_target,
                "within_share": finite(row.within_share),
            }
            for row in board.waits
        ],
        excluded_timelines=len(data.exclusions),
    )


@router.get("/outcomes", summary="Outcomes report numbers (aggregate)")
def outcomes(
    request: Request,
    *,
    db: Database,
    principal: Analyst,
    site_id: SiteQuery = None,
    time_zero: TimeZero = TimeZero.PRESENTATION,
    stratify: Stratify = Stratify.WIFI,
) -> OutcomesOut:
    """The report's estimates, goal verdicts and benchmarks for your sites (or one of them)."""
    board = program_dashboard(
        request, db, principal, site_id=site_id, time_zero=time_zero, stratify=stratify
    )
    audit_dashboard(db, board, what="api outcomes, aggregate", action="read", entity="outcomes")
    return outcomes_out(board)
