"""`limbsalvage demo load`: the synthetic demonstration cohort."""

from datetime import datetime

import click

from limbsalvage.cli.progress import progress_bar
from limbsalvage.core.vocabulary import Role
from limbsalvage.db import configured_engine
from limbsalvage.db.migrate import current_revision, is_up_to_date, upgrade_database
from limbsalvage.db.session import make_sessionmaker, unit_of_work
from limbsalvage.demo.accounts import demo_email, demo_password
from limbsalvage.demo.load import DEFAULT_PATIENTS, DEFAULT_SEED, MAX_PATIENTS, load_demo
from limbsalvage.settings import Environment, get_settings


@click.group(name="demo")
def demo_group() -> None:
    """Synthetic demonstration data (clearly labelled; never for clinical use)."""


@demo_group.command()
@click.option(
    "--patients",
    type=click.IntRange(1, MAX_PATIENTS),
    default=DEFAULT_PATIENTS,
    show_default=True,
    help="Number of synthetic patients (about 1.08 limbs each).",
)
@click.option(
    "--seed",
    type=click.IntRange(0),
    default=DEFAULT_SEED,
    show_default=True,
    help="The same seed, size and as-of date give the same cohort.",
)
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Date the cohort's follow-up runs to (YYYY-MM-DD; default today).",
)
@click.option(
    "--append", is_flag=True, help="Add to a database that already holds data (default: refuse)."
)
def load(patients: int, seed: int, as_of: object, append: bool) -> None:
    """Load the synthetic cohort, the demo sites and one demo account per role."""
    settings = get_settings()
    if settings.env is Environment.PRODUCTION:
        raise click.UsageError(
            "demo data is refused when LIMBSALVAGE_ENV is production; use a demo database"
        )
    with configured_engine(settings) as engine:
        if current_revision(engine) is None:
            upgrade_database(engine)
        elif not is_up_to_date(engine):
            raise click.UsageError(
                "the database schema is out of date: run `limbsalvage db upgrade`"
            )
        factory = make_sessionmaker(engine)
        with (
            progress_bar("synthetic patients", total=patients) as advance,
            unit_of_work(factory) as db,
        ):
            summary = load_demo(
                db=db,
                patients=patients,
                seed=seed,
                as_of=as_of.date() if isinstance(as_of, datetime) else None,
                append=append,
                progress=advance,
            )
    counts = ", ".join(f"{count:,} {table}" for table, count in summary.counts.items())
    click.echo(f"synthetic cohort loaded (seed {summary.seed}, as of {summary.as_of}): {counts}")
    click.echo(f"demo sites: {', '.join(summary.site_codes)}")
    for role in Role:
        click.echo(f"demo account {demo_email(role)} password {demo_password(role)}")
