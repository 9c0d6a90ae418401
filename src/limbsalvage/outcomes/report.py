"""The program report: a self-contained printable HTML page and its numbers as CSV beside it.

`build_report(timelines, strata=…, options=…, out_html=…)` takes limb timelines (from the
registry, or any other source) and stratum labels by limb id, and writes `FILE.html` (figures
embedded as SVG, tables, definitions and citations) and `FILE.csv`.
"""

import csv
import io
import math
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup

from limbsalvage.core.outcomes.angiography import AngiographyBeforeAmputation
from limbsalvage.core.outcomes.completeness import CLARK_2002
from limbsalvage.core.outcomes.endpoints import DEFINITIONS, TimeZero
from limbsalvage.core.outcomes.performance_goals import GoalComparison
from limbsalvage.core.outcomes.timeline import LimbTimeline
from limbsalvage.core.sources import Table
from limbsalvage.core.tables.outcomes import (
    ANGIOGRAPHY_TABLE,
    MAJOR_AMPUTATION_TABLE,
    MAJOR_REINTERVENTION_TABLE,
    MajorAmputationDefinition,
)
from limbsalvage.core.tables.performance_goals import (
    OPG_TABLE,
    WIFI_AMPUTATION_CULL_2014,
    WIFI_AMPUTATION_VAN_REIJEN_2019,
    Direction,
    PerformanceGoal,
    StageAmputationRate,
)
from limbsalvage.outcomes.plots import plot_curves, to_svg
from limbsalvage.outcomes.report_data import (
    ALL,
    CurveSet,
    ReportData,
    ReportOptions,
    compute_report,
)
from limbsalvage.outcomes.report_template import CURVE_SECTION, GOALS_TABLE, TEMPLATE

TABLES: tuple[Table, ...] = (
    MAJOR_AMPUTATION_TABLE,
    MAJOR_REINTERVENTION_TABLE,
    OPG_TABLE,
    WIFI_AMPUTATION_CULL_2014,
    WIFI_AMPUTATION_VAN_REIJEN_2019,
    ANGIOGRAPHY_TABLE,
)
CSV_COLUMNS = (
    "section",
    "endpoint",
    "stratum",
    "day",
    "estimate",
    "ci_lower",
    "ci_upper",
    "at_risk",
    "events",
    "limbs",
    "note",
)
_READINGS = {
    MajorAmputationDefinition.ABOVE_ANKLE: "above the ankle (SVS OPG / GVG; Syme is minor)",
    MajorAmputationDefinition.ANKLE_OR_ABOVE: "at the ankle or above (PARC; Syme is major)",
}


@dataclass(frozen=True)
class ReportFiles:
    """Where the report was written."""

    html: Path
    csv: Path


def _pct(value: float | None) -> str:
    if value is None or math.isnan(value):
        return "—"
    return f"{100 * value:.1f}%"


def _interval(lower: float, upper: float) -> str:
    if math.isnan(lower) or math.isnan(upper):
        return "—"
    return f"{100 * lower:.1f}–{100 * upper:.1f}%"


def _threshold(goal: PerformanceGoal) -> str:
    sign = "<" if goal.direction is Direction.AT_MOST else ">"
    return f"{sign} {100 * goal.threshold:g}%"


def _published(rate: StageAmputationRate) -> str:
    if rate.ci_lower is None or rate.ci_upper is None:
        return _pct(rate.rate)
    return f"{_pct(rate.rate)} ({_interval(rate.ci_lower, rate.ci_upper)})"


def angiography_text(metric: AngiographyBeforeAmputation | None) -> str:
    """The angiography-before-major-amputation metric in one phrase."""
    if metric is None or not metric.amputations:
        return "no major amputation in the period"
    return (
        f"{metric.with_angiography} of {metric.amputations} limbs ({_pct(metric.share)}) had "
        f"DSA, CT or MR angiography of the limb in the {metric.lookback_days} days before their "
        f"first major amputation; {metric.duplex_only} had duplex ultrasound only"
    )


def render_html(data: ReportData) -> str:
    """The report page."""
    env = Environment(autoescape=True, keep_trailing_newline=True)
    helpers = {"pct": _pct, "interval": _interval, "threshold": _threshold}
    curve_template = env.from_string(CURVE_SECTION)
    goals_template = env.from_string(GOALS_TABLE)
    options = data.options

    def curve_section(curve: CurveSet) -> Markup:
        ylabel = "cumulative incidence" if curve.estimate_name == "incidence" else "probability"
        figure = plot_curves(
            list(curve.tables),
            title=curve.title,
            ylabel=ylabel,
            at_risk_times=list(options.at_risk_days),
        )
        anchor = f"{curve.estimate_name}-{curve.endpoint.value}"
        return Markup(
            curve_template.render(
                curve=curve,
                anchor=anchor,
                svg=Markup(to_svg(figure, salt=anchor)),
                stratum_name=options.stratum_name,
                horizons=options.horizons_days,
                **helpers,
            )
        )

    def goals_table(rows: Sequence[GoalComparison], caption: str) -> Markup:
        return Markup(goals_template.render(rows=rows, caption=caption, **helpers))

    metrics = data.metrics
    quartiles = metrics.revascularization_quartiles()
    waits = "no index revascularization recorded"
    if quartiles is not None:
        waits = (
            f"median {quartiles[1]:g} (IQR {quartiles[0]:g}–{quartiles[2]:g}), "
            f"{len(metrics.days_to_revascularization)} limbs"
        )
        share = metrics.within_target()
        if share is not None:
            waits += f"; {_pct(share)} within {metrics.revascularization_target_days} days"
    ratio = f"{metrics.major_to_minor:.2f}" if metrics.major_to_minor is not None else "—"
    return env.from_string(TEMPLATE).render(
        data=data,
        time_zero=(
            "presentation" if options.time_zero is TimeZero.PRESENTATION else "index procedure"
        ),
        major_reading=_READINGS[options.major_amputation],
        curve_section=curve_section,
        goals_table=goals_table,
        published=_published,
        ratio=ratio,
        waits=waits,
        angiography=angiography_text(metrics.angiography),
        definitions=list(DEFINITIONS.values()),
        tables=TABLES,
        clark=CLARK_2002.cite(),
        **helpers,
    )


def _csv_rows(data: ReportData) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for row in data.completeness:
        result = row.result
        note = f"observed {result.observed_days} of {result.potential_days} days"
        index = "" if result.index is None else result.index
        rows.append(
            ("completeness", "", row.stratum, "", index, "", "", "", "", result.limbs, note)
        )
    for curves in (*data.survival, *data.incidence):
        section = "kaplan_meier" if curves.estimate_name == "survival" else "cumulative_incidence"
        for r in curves.rows:
            rows.append(
                (
                    section,
                    curves.endpoint.value,
                    r.stratum,
                    r.horizon_days,
                    r.estimate,
                    r.ci_lower,
                    r.ci_upper,
                    r.at_risk,
                    r.events,
                    r.limbs,
                    "",
                )
            )
        if curves.logrank is not None:
            test = curves.logrank
            note = f"chi-square {test.degrees_of_freedom} df, p = {test.p_value:.6g}"
            rows.append(
                ("logrank", curves.endpoint.value, "", "", test.statistic, "", "", "", "", "", note)
            )
    for comparisons in (data.goals_comparable, data.goals_all):
        for goal in comparisons:
            verdict = goal.verdict.value if goal.verdict else goal.label
            rows.append(
                (
                    "performance_goal",
                    goal.goal.goal_id,
                    goal.label,
                    goal.goal.horizon_days,
                    goal.estimate,
                    goal.ci_lower,
                    goal.ci_upper,
                    goal.at_risk,
                    "",
                    goal.limbs,
                    verdict,
                )
            )
    for wifi in data.wifi:
        published = "; ".join(f"{k} {_published(v)}" for k, v in wifi.published.items())
        rows.append(
            (
                "wifi_1y_major_amputation",
                "major_amputation",
                f"WIfI stage {wifi.stage}",
                365,
                wifi.estimate,
                wifi.ci_lower,
                wifi.ci_upper,
                wifi.at_risk,
                "",
                wifi.limbs,
                published,
            )
        )
    angiography = data.metrics.angiography
    if angiography is not None and angiography.amputations:
        note = f"{angiography.duplex_only} duplex only; look-back {angiography.lookback_days} days"
        rows.append(
            (
                "angiography_before_major_amputation",
                "major_amputation",
                ALL,
                "",
                angiography.share,
                "",
                "",
                "",
                angiography.with_angiography,
                angiography.amputations,
                note,
            )
        )
    for quarter, major, minor in data.metrics.amputations_by_quarter:
        rows.append(("amputations", "major", quarter, "", major, "", "", "", "", "", ""))
        rows.append(("amputations", "minor", quarter, "", minor, "", "", "", "", "", ""))
    return [tuple("" if isinstance(v, float) and math.isnan(v) else v for v in row) for row in rows]


def render_csv(data: ReportData) -> str:
    """The report's numbers, one row per value (long format)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_csv_rows(data))
    return buffer.getvalue()


def _write_atomically(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def build_report(
    timelines: Sequence[LimbTimeline],
    *,
    strata: Mapping[str, str] | None,
    options: ReportOptions,
    out_html: Path,
) -> ReportFiles:
    """Compute the report and write FILE.html and FILE.csv (each moved into place when complete)."""
    data = compute_report(timelines, strata=strata, options=options)
    csv_path = out_html.with_suffix(".csv")
    _write_atomically(out_html, render_html(data))
    _write_atomically(csv_path, render_csv(data))
    return ReportFiles(html=out_html, csv=csv_path)
