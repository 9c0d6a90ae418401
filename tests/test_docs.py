"""The documentation stays complete: every system has a row in docs/README.md and its own page."""

import re
from pathlib import Path

import pytest

from limbsalvage.core.registry import SYSTEMS

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_docs_index_lists_every_system_with_an_existing_page() -> None:
    index = (DOCS / "README.md").read_text()
    listed = dict(re.findall(r"^\| `([a-z_]+)` \|[^|]+\| \[[^]]+\]\(([^)]+)\) \|$", index, re.M))
    assert set(listed) == set(SYSTEMS)
    for page in listed.values():
        assert (DOCS / page).is_file(), page


@pytest.mark.parametrize("name", sorted(SYSTEMS))
def test_each_page_names_its_inputs(name: str) -> None:
    index = (DOCS / "README.md").read_text()
    page = re.search(rf"^\| `{name}` \|[^|]+\| \[[^]]+\]\(([^)]+)\) \|$", index, re.M)
    assert page is not None
    text = (DOCS / page.group(1)).read_text()
    missing = [
        f.name for f in SYSTEMS[name].fields if f.name not in text and f.cli_option not in text
    ]
    assert not missing, f"{page.group(1)} does not mention {missing}"
