"""`limbsalvage outcomes km|cif|logrank`: survival curves and tests from a CSV file."""

import json
from pathlib import Path

import click

from limbsalvage.core.outcomes import AalenJohansen, CifVariance, KaplanMeier, logrank_test
from limbsalvage.core.outcomes.summary import CurveTable
from limbsalvage.outcomes.survival_file import SurvivalColumns, read_survival_csv

_INPUT = click.option(
    "--input",
    "input_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV file with a header row",
)
_TIME = click.option("--time-col", required=True, help="column of times (≥ 0, e.g. days)")
_EVENT = click.option(
    "--event-col", required=True, help="column of event codes (0 censored, 1… event)"
)
_JSON = click.option("--json", "as_json", is_flag=True, help="print one JSON object")
_ALPHA = click.option(
    "--alpha",
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    default=0.05,
    show_default=True,
    help="1 − confidence level of the intervals",
)


@click.group(name="outcomes")
def outcomes_group() -> None:
    """Kaplan–Meier, cumulative incidence and log-rank from a CSV file."""


def _curve_json(table: CurveTable) -> dict[str, list[float] | list[int]]:
    return {
        "time": table.time.tolist(),
        table.estimate_name: table.estimate.tolist(),
        "ci_lower": table.ci_lower.tolist(),
        "ci_upper": table.ci_upper.tolist(),
        "at_risk": table.at_risk.tolist(),
    }


def _echo_curves(tables: list[CurveTable], as_json: bool) -> None:
    if as_json:
        groups = {table.label: _curve_json(table) for table in tables}
        click.echo(json.dumps({"groups": groups}, allow_nan=False))
        return
    for table in tables:
        click.echo(f"group {table.label}")
        click.echo(f"{'time':>10} {'at risk':>8} {'events':>7} {table.estimate_name:>10}  95% CI")
        for row in range(len(table)):
            click.echo(
                f"{table.time[row]:>10g} {table.at_risk[row]:>8d} {table.events[row]:>7d} "
                f"{table.estimate[row]:>10.4f}  "
                f"{table.ci_lower[row]:.4f}–{table.ci_upper[row]:.4f}"
            )


@outcomes_group.command(name="km")
@_INPUT
@_TIME
@_EVENT
@click.option("--group-col", help="column of group labels (default: one group named 'all')")
@_ALPHA
@_JSON
def km_command(
    *,
    input_path: Path,
    time_col: str,
    event_col: str,
    group_col: str | None,
    alpha: float,
    as_json: bool,
) -> None:
    """Kaplan–Meier survival with log-log intervals and numbers at risk, per group."""
    data = read_survival_csv(
        input_path, time_col=time_col, event_col=event_col, group_col=group_col, largest_code=1
    )
    tables = [
        KaplanMeier(alpha=alpha).fit(times, codes, label=name).summary
        for name, times, codes in data.by_group()
    ]
    _echo_curves(tables, as_json)


@outcomes_group.command(name="cif")
@_INPUT
@_TIME
@_EVENT
@click.option(
    "--event-of-interest",
    required=True,
    type=click.IntRange(min=1),
    help="the event code whose cumulative incidence is wanted; other codes compete",
)
@click.option("--group-col", help="column of group labels (default: one group named 'all')")
@click.option(
    "--variance",
    type=click.Choice([v.value for v in CifVariance]),
    default=CifVariance.AALEN.value,
    show_default=True,
    help="variance estimator: Aalen 1978 or the delta method (Dinse & Larson 1986)",
)
@_ALPHA
@_JSON
def cif_command(
    *,
    input_path: Path,
    time_col: str,
    event_col: str,
    event_of_interest: int,
    group_col: str | None,
    variance: str,
    alpha: float,
    as_json: bool,
) -> None:
    """Aalen–Johansen cumulative incidence of one event kind with the others competing."""
    data = read_survival_csv(
        input_path, time_col=time_col, event_col=event_col, group_col=group_col
    )
    tables = [
        AalenJohansen(alpha=alpha, variance=CifVariance(variance))
        .fit(times, codes, event_of_interest=event_of_interest, label=name)
        .summary
        for name, times, codes in data.by_group()
    ]
    _echo_curves(tables, as_json)


@outcomes_group.command(name="logrank")
@_INPUT
@_TIME
@_EVENT
@click.option("--group-col", required=True, help="column of group labels (two or more)")
@click.option("--strata-col", help="column of strata labels (stratified test)")
@_JSON
def logrank_command(
    *,
    input_path: Path,
    time_col: str,
    event_col: str,
    group_col: str,
    strata_col: str | None,
    as_json: bool,
) -> None:
    """Log-rank test of equal survival across groups, optionally stratified."""
    data: SurvivalColumns = read_survival_csv(
        input_path,
        time_col=time_col,
        event_col=event_col,
        group_col=group_col,
        strata_col=strata_col,
        largest_code=1,
    )
    result = logrank_test(data.durations, data.codes, data.groups, strata=data.strata)
    if as_json:
        groups = {
            name: {"observed": o, "expected": e}
            for name, o, e in zip(result.groups, result.observed, result.expected, strict=True)
        }
        payload = {
            "statistic": result.statistic,
            "degrees_of_freedom": result.degrees_of_freedom,
            "p_value": result.p_value,
            "groups": groups,
        }
        click.echo(json.dumps(payload, allow_nan=False))
        return
    click.echo(
        f"log-rank chi-square {result.statistic:.4f} on {result.degrees_of_freedom} degrees of "
        f"freedom, p = {result.p_value:.4g}"
        + (f" ({result.strata} strata)" if data.strata is not None else "")
    )
    for name, o, e in zip(result.groups, result.observed, result.expected, strict=True):
        click.echo(f"  {name}: observed {o:g}, expected {e:.2f}")
