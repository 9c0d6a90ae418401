"""Migrations build the schema from empty and agree with the models, on both backends."""

from sqlalchemy import Engine, inspect

from limbsalvage.db.migrate import (
    check_database,
    current_revision,
    head_revision,
    is_up_to_date,
    upgrade_database,
)
from limbsalvage.db.models import Base


def test_upgrade_from_empty_reaches_head_and_matches_the_models(fresh_engine: Engine) -> None:
    assert current_revision(fresh_engine) is None
    assert not is_up_to_date(fresh_engine)
    upgrade_database(fresh_engine)
    assert current_revision(fresh_engine) == head_revision(fresh_engine)
    assert is_up_to_date(fresh_engine)
    check_database(fresh_engine)  # raises when autogenerate would find a difference
    tables = set(inspect(fresh_engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_upgrade_twice_is_harmless(fresh_engine: Engine) -> None:
    upgrade_database(fresh_engine)
    upgrade_database(fresh_engine)
    assert is_up_to_date(fresh_engine)


def test_migration_files_are_date_prefixed() -> None:
    from limbsalvage.db.migrate import MIGRATIONS  # noqa: PLC0415 - the constant under test

    names = [p.name for p in (MIGRATIONS / "versions").glob("*.py")]
    assert names
    assert all(name[:8].isdigit() and name[8] == "_" for name in names)
