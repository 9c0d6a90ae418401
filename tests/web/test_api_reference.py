"""docs/web/api.md lists every JSON API route with the permission it declares (issue 6)."""

import re
from pathlib import Path

from limbsalvage.core.registry import SYSTEMS
from tests.web.test_authorization import TABLE

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "web" / "api.md"
# A route open to either of two permissions names both, `a\|b` (the pipe escaped in the table).
ROW = re.compile(r"^\| `(GET|POST|PATCH|PUT|DELETE) (/api/v1/\S*)` \| `([a-z_\\|]+)` \|", re.M)
# Each system's own classify path is documented once, as `/api/v1/classify/{system}`.
PER_SYSTEM = {f"/api/v1/classify/{name}" for name in SYSTEMS}


def api_routes() -> dict[tuple[str, str], str]:
    """(method, path) → permission of every route under /api/v1 but the OpenAPI document."""
    return {
        (method, path): policy.removeprefix("permission:")
        for method, path, policy in TABLE
        if path.startswith("/api/v1/") and path not in PER_SYSTEM
    }


def documented() -> dict[tuple[str, str], str]:
    """(method, path) → permission of every row of the reference."""
    rows = ROW.findall(REFERENCE.read_text())
    table = {(method, path): permission.replace("\\|", "|") for method, path, permission in rows}
    assert len(table) == len(rows), "a route is documented twice"
    return table


def test_every_route_is_documented_with_its_permission() -> None:
    routes, rows = api_routes(), documented()
    assert sorted(set(routes) - set(rows)) == [], "undocumented routes"
    assert sorted(set(rows) - set(routes)) == [], "documented routes that do not exist"
    wrong = {key: (rows[key], routes[key]) for key in routes if rows[key] != routes[key]}
    assert wrong == {}, "documented permission differs from the route's"


def test_each_row_names_its_body_and_answer() -> None:
    for line in REFERENCE.read_text().splitlines():
        if ROW.match(line):
            cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip("|"))]
            assert len(cells) == 4, line
            assert all(cells), line
