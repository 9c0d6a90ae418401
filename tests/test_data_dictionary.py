"""The data dictionary documents every column of the findings and staging tables."""

import re
from pathlib import Path

import pytest

from limbsalvage.db.models import Base

DICTIONARY = Path(__file__).resolve().parents[1] / "docs" / "registry" / "data-dictionary.md"
RECORD_COLUMNS = {"id", "created_at", "updated_at", "created_by_id", "updated_by_id", "version"}
DOCUMENTED_PACKAGES = ("limbsalvage.wounds", "limbsalvage.assessments", "limbsalvage.staging")


def _sections() -> dict[str, str]:
    text = DICTIONARY.read_text()
    parts = re.split(r"^<!-- section: ([a-z_-]+) -->$", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def _tables_of(package: str) -> list[str]:
    return sorted(
        mapper.local_table.name  # type: ignore[union-attr]
        for mapper in Base.registry.mappers
        if mapper.class_.__module__.startswith(package)
    )


@pytest.mark.parametrize("package", DOCUMENTED_PACKAGES)
def test_every_table_of_the_package_has_a_section(package: str) -> None:
    assert set(_tables_of(package)) <= set(_sections())


@pytest.mark.parametrize(
    "table", sorted(t for package in DOCUMENTED_PACKAGES for t in _tables_of(package))
)
def test_every_column_is_documented(table: str) -> None:
    section = _sections()[table]
    columns = set(Base.metadata.tables[table].c.keys()) - RECORD_COLUMNS - {"patient_id"}
    missing = sorted(c for c in columns if f"`{c}`" not in section)
    assert not missing, f"{table}: {missing}"
