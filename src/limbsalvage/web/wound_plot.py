"""A wound's area over time as inline SVG geometry (no script, no inline style: CSP-safe).

Days since the first measurement run along x, the area in cm² up y. The dashed line is half the
baseline area and the band is the 4-week window, both from the cited table the 4-week verdict
uses (`core.tables.wound_area`), so the picture shows the same rule as the words beside it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from limbsalvage.core.tables.wound_area import (
    FOUR_WEEK_DAY,
    FOUR_WEEK_TOLERANCE_DAYS,
    REDUCTION_TARGET_PERCENT,
)

WIDTH = 480
HEIGHT = 220
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 36
TICKS = 4


@dataclass(frozen=True)
class Dot:
    """One measured day: where it is drawn and what it says."""

    x: float
    y: float
    on: date
    area_cm2: float


@dataclass(frozen=True)
class Plot:
    """Everything the template draws."""

    width: int
    height: int
    dots: list[Dot]
    line: str
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    half_baseline_y: float
    window: tuple[float, float]
    window_text: str
    description: str


def _nice_top(value: float) -> float:
    """A round upper bound of the y axis at or above `value`."""
    if value <= 0:
        return 1.0
    step = 10.0 ** (len(str(int(value))) - 1)
    for factor in (1, 2, 2.5, 5, 10):
        if value <= step * factor:
            return step * factor
    return step * 10  # pragma: no cover - the loop's last factor always fits


def _by_day(points: Sequence[tuple[date, float]]) -> list[tuple[date, float]]:
    # The last measurement of a day stands for it, as in the area reduction (core.wound_area).
    days: dict[date, float] = {}
    for on, area in points:
        days[on] = area
    return sorted(days.items())


def area_plot(points: Sequence[tuple[date, float]]) -> Plot | None:
    """The plot of a wound's measured areas (None without any)."""
    days = _by_day(points)
    if not days:
        return None
    baseline_on, baseline_area = days[0]
    span = max((days[-1][0] - baseline_on).days, FOUR_WEEK_DAY + FOUR_WEEK_TOLERANCE_DAYS)
    top = _nice_top(max(area for _, area in days))
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(day: float) -> float:
        return round(LEFT + inner_w * day / span, 1)

    def y_of(area: float) -> float:
        return round(TOP + inner_h * (1 - area / top), 1)

    dots = [Dot(x_of((on - baseline_on).days), y_of(area), on, area) for on, area in days]
    window = (
        x_of(FOUR_WEEK_DAY - FOUR_WEEK_TOLERANCE_DAYS),
        x_of(FOUR_WEEK_DAY + FOUR_WEEK_TOLERANCE_DAYS),
    )
    last_on, last_area = days[-1]
    return Plot(
        width=WIDTH,
        height=HEIGHT,
        dots=dots,
        line=" ".join(f"{d.x},{d.y}" for d in dots),
        x_ticks=[(x_of(span * i / TICKS), f"{round(span * i / TICKS)}") for i in range(TICKS + 1)],
        y_ticks=[(y_of(top * i / TICKS), f"{top * i / TICKS:g}") for i in range(TICKS + 1)],
        half_baseline_y=y_of(baseline_area * (100 - REDUCTION_TARGET_PERCENT) / 100),
        window=window,
        window_text=(
            f"days {FOUR_WEEK_DAY - FOUR_WEEK_TOLERANCE_DAYS} to "
            f"{FOUR_WEEK_DAY + FOUR_WEEK_TOLERANCE_DAYS} after baseline"
        ),
        description=(
            f"{len(dots)} measured day(s): {baseline_area:.2f} cm² on {baseline_on.isoformat()}, "
            f"{last_area:.2f} cm² on {last_on.isoformat()}"
        ),
    )


__all__ = ["Plot", "area_plot"]
