"""`limbsalvage report`: the program's outcomes report from the registry (HTML + CSV)."""

from datetime import date, datetime
from pathlib import Path

import click

from limbsalvage.core.outcomes.endpoints import TimeZero
from limbsalvage.db import configured_engine
from limbsalvage.db.session import make_sessionmaker
from limbsalvage.outcomes.report import build_report
from limbsalvage.outcomes.report_data import ReportOptions
from limbsalvage.outcomes.service import Stratify, load_report_cohort
from limbsalvage.settings import get_settings

_STRATUM_NAMES = {
    Stratify.WIFI: "WIfI stage",
    Stratify.CAUSE: "cause",
    Stratify.PROCEDURE: "index procedure",
    Stratify.NONE: "all limbs",
}
_DATE = click.DateTime(formats=["%Y-%m-%d"])


@click.command(name="report")
@click.option(
    "--out",
    "out_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="HTML file to write; the numbers go to the same name with .csv",
)
@click.option("--from", "period_from", type=_DATE, help="first presentation date (YYYY-MM-DD)")
@click.option(
    "--to",
    "period_to",
    type=_DATE,
    help="last presentation date and the closing date of follow-up (default: today)",
)
@click.option(
    "--stratify",
    type=click.Choice([s.value for s in Stratify]),
    default=Stratify.WIFI.value,
    show_default=True,
    help="group limbs by WIfI stage, cause, index procedure, or not at all",
)
@click.option(
    "--time-zero",
    type=click.Choice([t.value for t in TimeZero]),
    default=TimeZero.PRESENTATION.value,
    show_default=True,
    help="where follow-up starts",
)
@click.option("--site", "site_code", help="site code (default: every site)")
@click.option("--synthetic", is_flag=True, help="include synthetic (demonstration) patients")
def report_command(
    *,
    out_path: Path,
    period_from: datetime | None,
    period_to: datetime | None,
    stratify: str,
    time_zero: str,
    site_code: str | None,
    synthetic: bool,
) -> None:
    """Write the outcomes report: curves, performance goals, definitions and sources."""
    start = period_from.date() if period_from else None
    closing = period_to.date() if period_to else date.today()
    if start is not None and start > closing:
        raise click.UsageError(f"--from {start} is after --to {closing}")
    by = Stratify(stratify)
    with configured_engine(get_settings()) as engine, make_sessionmaker(engine)() as session:
        cohort = load_report_cohort(
            db=session,
            site_code=site_code,
            presented_from=start,
            presented_to=closing,
            include_synthetic=synthetic,
        )
    options = ReportOptions(
        closing_date=closing,
        period_start=start,
        stratum_name=_STRATUM_NAMES[by],
        time_zero=TimeZero(time_zero),
    )
    files = build_report(
        cohort.timelines, strata=cohort.strata(by), options=options, out_html=out_path
    )
    click.echo(f"wrote {files.html} and {files.csv} ({len(cohort.timelines)} limbs)")
