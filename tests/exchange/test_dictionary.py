"""Every column the CSV exchange writes is documented in docs/registry/data-dictionary.md."""

import re
from pathlib import Path

from limbsalvage.exchange.tables import STAMP_COLUMNS, exchanged_columns, exchanged_tables

DICTIONARY = Path(__file__).resolve().parents[2] / "docs" / "registry" / "data-dictionary.md"
# Listed once in the dictionary's introduction rather than in every section.
COMMON = frozenset({"id", "patient_id", *STAMP_COLUMNS})


def documented_columns() -> dict[str, set[str]]:
    """Table name → the columns named in the rows of its `## … (`table`)` section."""
    sections: dict[str, set[str]] = {}
    current: set[str] | None = None
    for line in DICTIONARY.read_text().splitlines():
        if match := re.fullmatch(r"## .*\(`([a-z0-9_]+)`\)\s*", line):
            current = sections.setdefault(match.group(1), set())
        elif line.startswith("## "):
            current = None
        elif current is not None and line.startswith("| `"):
            # A column counts as documented when a row of its table names it (rows may
            # document a run such as `pain_points` … `gait_points` in their meaning cell).
            current.update(re.findall(r"`([a-z0-9_]+)`", line))
            first = line.split("|")[1]
            run = re.fullmatch(r"\s*`([a-z0-9_]+?)(\d+)` … `\1(\d+)`\s*", first)
            if run:
                prefix, low, high = run.group(1), int(run.group(2)), int(run.group(3))
                current.update(f"{prefix}{n}" for n in range(low, high + 1))
    return sections


def test_every_exported_column_is_documented() -> None:
    sections = documented_columns()
    missing = {
        table.name: sorted(
            c.name
            for c in exchanged_columns(table)
            if c.name not in COMMON and c.name not in sections.get(table.name, set())
        )
        for table in exchanged_tables()
    }
    assert {t: cols for t, cols in missing.items() if cols} == {}


def test_the_introduction_names_the_common_columns() -> None:
    introduction = DICTIONARY.read_text().split("<!-- section:")[0]
    for name in sorted(COMMON):
        assert f"`{name}`" in introduction


def test_the_csv_conventions_are_documented() -> None:
    text = DICTIONARY.read_text()
    assert "<!-- section: csv-conventions -->" in text
    for kind in ("integer", "float", "boolean", "date", "instant", "code", "JSON", "null"):
        assert f"| {kind}" in text
