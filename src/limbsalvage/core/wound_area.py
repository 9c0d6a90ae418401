"""Wound area: the ellipse estimate from length and width, and percentage area reduction.

The reduction is derived from serial measurements on read, never stored. Baseline is the first
measured day; several measurements on one day (before and after debridement) are represented by
the last one recorded that day. The 4-week measurement is the one closest to day 28 after
baseline within ±7 days (ties: the earlier day); see docs/registry/wounds.md.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from limbsalvage.core.errors import CannotClassify
from limbsalvage.core.result import Classification
from limbsalvage.core.tables.wound_area import (
    ELLIPSE_AREA,
    FOUR_WEEK_DAY,
    FOUR_WEEK_REDUCTION,
    FOUR_WEEK_TOLERANCE_DAYS,
    REDUCTION_TARGET_PERCENT,
    SHEEHAN_2003,
)
from limbsalvage.core.validate import number_in

__all__ = [
    "ELLIPSE_AREA",
    "AreaPoint",
    "AreaReduction",
    "area_reduction_since_baseline",
    "ellipse_area_cm2",
    "four_week_area_reduction",
    "percent_area_reduction",
]

SYSTEM_NAME = "wound_area"
MAX_LENGTH_CM = 50.0
MAX_AREA_CM2 = 2500.0


@dataclass(frozen=True)
class AreaPoint:
    """One measured area of a wound on a day."""

    measured_on: date
    area_cm2: float


@dataclass(frozen=True, kw_only=True)
class AreaReduction(Classification):
    """Percentage area reduction of a wound from its baseline to a later measurement."""

    system = "wound_area_reduction"
    baseline_on: date
    baseline_area_cm2: float
    measured_on: date
    area_cm2: float
    days: int
    percent_reduction: float
    # Only for the 4-week reduction: whether it exceeds the 50% criterion.
    meets_four_week_target: bool | None = None


def ellipse_area_cm2(*, length_cm: float, width_cm: float) -> float:
    """Area of the ellipse with the wound's length and width as axes: length × width × π/4."""
    length = number_in("length_cm", length_cm, 0, MAX_LENGTH_CM, "cm")
    width = number_in("width_cm", width_cm, 0, MAX_LENGTH_CM, "cm")
    return length * width * math.pi / 4


def percent_area_reduction(*, baseline_area_cm2: float, area_cm2: float) -> float:
    """(baseline − current) / baseline × 100; negative when the wound grew."""
    baseline = number_in("baseline_area_cm2", baseline_area_cm2, 0, MAX_AREA_CM2, "cm²")
    current = number_in("area_cm2", area_cm2, 0, MAX_AREA_CM2, "cm²")
    if baseline == 0:
        raise CannotClassify(
            SYSTEM_NAME,
            detail="the baseline area is 0 cm², so a percentage reduction has no meaning",
        )
    return (baseline - current) / baseline * 100


def _by_day(points: Sequence[AreaPoint]) -> list[AreaPoint]:
    # The last point recorded on a day stands for that day (after debridement, if both).
    days: dict[date, AreaPoint] = {}
    for point in points:
        days[point.measured_on] = point
    return [days[d] for d in sorted(days)]


def _baseline_and_days(points: Sequence[AreaPoint]) -> tuple[AreaPoint, list[AreaPoint]]:
    days = _by_day(points)
    if len(days) < 2:
        raise CannotClassify(
            SYSTEM_NAME,
            missing=["a second measured day"],
            detail="an area reduction needs a baseline and a later measurement",
        )
    return days[0], days[1:]


def _reduction(
    baseline: AreaPoint, later: AreaPoint, rule: str, *, four_week: bool
) -> AreaReduction:
    percent = percent_area_reduction(baseline_area_cm2=baseline.area_cm2, area_cm2=later.area_cm2)
    days = (later.measured_on - baseline.measured_on).days
    meets = percent > REDUCTION_TARGET_PERCENT if four_week else None
    change = f"{percent:.1f}% smaller" if percent >= 0 else f"{-percent:.1f}% larger"
    rationale = (
        f"{rule}: {baseline.area_cm2:g} cm² on day 0 → {later.area_cm2:g} cm² on day {days}, "
        f"{change}"
    )
    if four_week:
        verdict = "more than" if meets else "not more than"
        rationale += f"; {verdict} the {REDUCTION_TARGET_PERCENT:g}% reduction expected at 4 weeks"
    return AreaReduction(
        baseline_on=baseline.measured_on,
        baseline_area_cm2=baseline.area_cm2,
        measured_on=later.measured_on,
        area_cm2=later.area_cm2,
        days=days,
        percent_reduction=percent,
        meets_four_week_target=meets,
        inputs={
            "baseline_on": baseline.measured_on.isoformat(),
            "baseline_area_cm2": baseline.area_cm2,
            "measured_on": later.measured_on.isoformat(),
            "area_cm2": later.area_cm2,
        },
        rationale=rationale,
        source=(
            FOUR_WEEK_REDUCTION.cite() + "; evidence: " + SHEEHAN_2003.cite()
            if four_week
            else SHEEHAN_2003.cite("percent change in wound area from baseline")
        ),
        tables=(FOUR_WEEK_REDUCTION,) if four_week else (),
    )


def area_reduction_since_baseline(*, points: Sequence[AreaPoint]) -> AreaReduction:
    """The reduction from the first measured day to the last."""
    baseline, later = _baseline_and_days(points)
    return _reduction(baseline, later[-1], "since baseline", four_week=False)


def four_week_area_reduction(*, points: Sequence[AreaPoint]) -> AreaReduction:
    """The reduction at 4 weeks: the day closest to day 28 within ±7 days (ties: earlier)."""
    baseline, later = _baseline_and_days(points)
    low, high = FOUR_WEEK_DAY - FOUR_WEEK_TOLERANCE_DAYS, FOUR_WEEK_DAY + FOUR_WEEK_TOLERANCE_DAYS
    candidates = [p for p in later if low <= (p.measured_on - baseline.measured_on).days <= high]
    if not candidates:
        raise CannotClassify(
            SYSTEM_NAME,
            missing=[f"a measurement {low}–{high} days after baseline"],
            detail=f"the 4-week area is the measurement closest to day {FOUR_WEEK_DAY}",
        )
    chosen = min(
        candidates, key=lambda p: abs((p.measured_on - baseline.measured_on).days - FOUR_WEEK_DAY)
    )
    return _reduction(
        baseline,
        chosen,
        f"4-week reduction (closest to day {FOUR_WEEK_DAY}, within ±{FOUR_WEEK_TOLERANCE_DAYS})",
        four_week=True,
    )
