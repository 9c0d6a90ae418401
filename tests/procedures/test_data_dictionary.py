"""docs/registry/data-dictionary.md documents every column of the treatment and timeline tables."""

import re
from pathlib import Path

import pytest

from limbsalvage.db.models import Base

DICTIONARY = Path(__file__).resolve().parents[2] / "docs" / "registry" / "data-dictionary.md"
RECORD_COLUMNS = {"id", "created_at", "updated_at", "created_by_id", "updated_by_id", "version"}
TABLES = (
    "procedures",
    "grafts",
    "treated_segments",
    "surveillance_studies",
    "outcome_events",
    "follow_ups",
    "medications",
)


def _sections() -> dict[str, str]:
    parts = re.split(r"^<!-- section: ([a-z_-]+) -->$", DICTIONARY.read_text(), flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


@pytest.mark.parametrize("table", TABLES)
def test_every_column_is_documented(table: str) -> None:
    section = _sections()[table]
    columns = set(Base.metadata.tables[table].c.keys()) - RECORD_COLUMNS
    missing = sorted(c for c in columns if f"`{c}`" not in section)
    assert not missing, f"{table}: {missing}"
