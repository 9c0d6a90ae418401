"""Alembic, configured in code so `limbsalvage db upgrade` works from an installed package."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(engine: Engine) -> Config:
    """A Config that runs on `engine`'s connections (SQLite pragmas and all)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # Date-prefixed file names keep the history readable in a directory listing.
    config.set_main_option("file_template", "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s")
    config.attributes["engine"] = engine
    return config


def upgrade_database(engine: Engine, *, revision: str = "head") -> None:
    """Migrate the database to `revision` (the newest by default)."""
    command.upgrade(alembic_config(engine), revision)


def check_database(engine: Engine) -> None:
    """Raise if the models and the migrated database disagree (alembic check)."""
    command.check(alembic_config(engine))


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None when it was never migrated."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    """The newest revision the code knows."""
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def is_up_to_date(engine: Engine) -> bool:
    """Whether the database is at the code's head revision."""
    return current_revision(engine) == head_revision(engine)
