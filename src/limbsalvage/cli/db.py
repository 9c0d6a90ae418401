"""`limbsalvage db …` and `limbsalvage audit …`: migrations and the audit chain."""

import click

from limbsalvage.db import audit, configured_engine
from limbsalvage.db.migrate import check_database, current_revision, head_revision, upgrade_database
from limbsalvage.settings import get_settings


@click.group(name="db")
def db_group() -> None:
    """The database named by LIMBSALVAGE_DATABASE_URL (the embedded SQLite file by default)."""


@db_group.command()
def upgrade() -> None:
    """Migrate the database to the newest schema (creating it when empty)."""
    with configured_engine(get_settings()) as engine:
        before = current_revision(engine)
        upgrade_database(engine)
        click.echo(f"database at {head_revision(engine)} (was {before or 'empty'})")


@db_group.command()
def check() -> None:
    """Fail unless the database is migrated and agrees with the models."""
    with configured_engine(get_settings()) as engine:
        current, head = current_revision(engine), head_revision(engine)
        if current != head:
            raise click.UsageError(
                f"database at {current or 'empty'}, code at {head}: run `limbsalvage db upgrade`"
            )
        check_database(engine)
        click.echo(f"database at {head}; models and migrations agree")


@db_group.command()
def current() -> None:
    """Print the database's migration revision."""
    with configured_engine(get_settings()) as engine:
        click.echo(current_revision(engine) or "empty")


@click.group(name="audit")
def audit_group() -> None:
    """The hash-chained audit log."""


@audit_group.command()
def verify() -> None:
    """Recompute the chain; exit 2 naming the first entry that was altered or removed."""
    with configured_engine(get_settings()) as engine, engine.connect() as connection:
        result = audit.verify(connection)
    if not result.ok:
        raise click.UsageError(
            f"audit chain broken at entry {result.first_bad_seq}: {result.reason} "
            f"({result.entries_checked} entries before it are intact)"
        )
    click.echo(f"audit chain intact: {result.entries_checked} entries")
