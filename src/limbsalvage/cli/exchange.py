"""`limbsalvage export csv DIR` and `limbsalvage import csv DIR`: the registry as CSV files."""

from pathlib import Path

import click
from sqlalchemy import Engine

from limbsalvage.cli.progress import progress_bar
from limbsalvage.db import configured_engine
from limbsalvage.db.migrate import is_up_to_date
from limbsalvage.db.session import make_sessionmaker, unit_of_work
from limbsalvage.exchange.deidentify import export_deidentified
from limbsalvage.exchange.export import count_rows, export_csv
from limbsalvage.exchange.importer import ImportRejected, count_data_rows, import_csv
from limbsalvage.exchange.tables import exchanged_tables
from limbsalvage.settings import get_settings

_DIRECTORY = click.Path(file_okay=False, path_type=Path)


@click.group(name="export")
def export_group() -> None:
    """Write the registry out (LIMBSALVAGE_DATABASE_URL names the database)."""


@export_group.command(name="csv")
@click.argument("directory", type=_DIRECTORY)
@click.option(
    "--deidentified",
    is_flag=True,
    help="A research extract per HIPAA Safe Harbor: no identifiers, free text or photos; "
    "dates as days from the index date; ages 90+ grouped; random study ids.",
)
def export_csv_command(directory: Path, deidentified: bool) -> None:
    """One CSV file per table in DIRECTORY (created; must hold no CSV files yet)."""
    with configured_engine(get_settings()) as engine:
        _require_schema(engine)
        factory = make_sessionmaker(engine)
        with unit_of_work(factory) as db:
            total = sum(count_rows(db, t) for t in exchanged_tables())
            with progress_bar("rows exported", total=total) as advance:
                write = export_deidentified if deidentified else export_csv
                summary = write(db=db, directory=directory, progress=advance)
    kind = "de-identified extract" if summary.deidentified else "export"
    click.echo(f"{kind} written to {directory}: {_counts(summary.rows)}")


@click.group(name="import")
def import_group() -> None:
    """Read registry data in (LIMBSALVAGE_DATABASE_URL names the database)."""


@import_group.command(name="csv")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Import the valid rows and report the others "
    "(default: import nothing unless every row is valid).",
)
def import_csv_command(directory: Path, skip_invalid: bool) -> None:
    """Validate every row of DIRECTORY's `<table>.csv` files, then import them in bulk."""
    with configured_engine(get_settings()) as engine:
        _require_schema(engine)
        factory = make_sessionmaker(engine)
        try:
            with (
                progress_bar("rows checked", total=count_data_rows(directory)) as advance,
                unit_of_work(factory) as db,
            ):
                report = import_csv(
                    db=db, directory=directory, skip_invalid=skip_invalid, progress=advance
                )
        except ImportRejected as rejected:
            for problem in rejected.problems:
                click.echo(str(problem), err=True)
            raise
    for problem in report.problems:
        click.echo(f"skipped: {problem}", err=True)
    click.echo(f"imported from {directory}: {_counts(report.written)}")
    if report.problems:
        click.echo(f"{len(report.problems)} problem(s) reported; those rows were skipped")


def _require_schema(engine: Engine) -> None:
    if not is_up_to_date(engine):
        raise click.UsageError("the database schema is not current: run `limbsalvage db upgrade`")


def _counts(rows: dict[str, int]) -> str:
    return ", ".join(f"{count:,} {table}" for table, count in rows.items() if count) or "no rows"
