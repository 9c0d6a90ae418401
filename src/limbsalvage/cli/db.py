"""`limbsalvage db …` and `limbsalvage audit …`: migrations and the audit chain."""

from pathlib import Path

import click

from limbsalvage.db import audit, backup, configured_engine
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


@db_group.command(name="backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Write a consistent copy of every table to PATH (safe while the app runs)."""
    with configured_engine(get_settings()) as engine:
        counts = backup.backup(engine, path)
    click.echo(f"backed up {sum(counts.values())} rows from {len(counts)} tables to {path}")


@db_group.command(name="restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(path: Path) -> None:
    """Load a backup from PATH into an empty database, then migrate it to the newest schema."""
    with configured_engine(get_settings()) as engine:
        counts = backup.restore(engine, path)
    click.echo(f"restored {sum(counts.values())} rows into {len(counts)} tables from {path}")


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
