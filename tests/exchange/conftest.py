"""Exchange tests: two throw-away databases per test where a round trip needs them."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from limbsalvage.db.engine import make_engine
from limbsalvage.db.migrate import upgrade_database
from limbsalvage.db.session import make_sessionmaker
from tests.conftest import FIXED_NOW
from tests.support.databases import fresh_database
from tests.support.passwords import fast_password_hashing

__all__ = ["fast_password_hashing", "source_and_target"]


@pytest.fixture
def source_and_target(
    backend: str, tmp_path: Path
) -> Iterator[tuple[sessionmaker[Session], sessionmaker[Session]]]:
    """Two empty migrated databases on the backend under test, with the fixed test clock."""
    with (
        fresh_database(backend, tmp_path / "a") as first,
        fresh_database(backend, tmp_path / "b") as second,
    ):
        engines = [make_engine(url) for url in (first, second)]
        try:
            factories = []
            for engine in engines:
                upgrade_database(engine)
                factory = make_sessionmaker(engine)
                factory.configure(info={"now": FIXED_NOW})
                factories.append(factory)
            yield factories[0], factories[1]
        finally:
            for engine in engines:
                engine.dispose()
