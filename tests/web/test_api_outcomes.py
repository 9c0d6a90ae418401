"""The outcomes report as JSON through the API, on SQLite and PostgreSQL: aggregate numbers for
the user's sites, for analysts too, with no names, MRNs or record ids, and no NaN.
"""

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from tests.support.api import Api, api_clients, error, fields_of, last_audit, ok
from tests.support.web import Seeded


@pytest.fixture(scope="module")
def api(seeded_engine: tuple[Engine, Seeded]) -> Iterator[dict[str, Api]]:
    with api_clients(seeded_engine[0], ["analyst", "admin", "coordinator"]) as clients:
        yield clients


def test_analyst_reads_the_aggregate_report_of_their_site(
    api: dict[str, Api], seeded: Seeded, seeded_engine: tuple[Engine, Seeded]
) -> None:
    response = api["analyst"].get("/api/v1/outcomes", stratify="cause")
    report = ok(response)
    assert report["site_ids"] == [seeded.sites["north"]]
    assert report["limbs"] == report["patients"] == 1
    assert report["strata"] == ["clti"]
    assert {g["goal_id"] for g in report["goals_all"]}
    assert all(
        g["verdict"] in {None, "meets", "fails", "not enough data"} for g in report["goals_all"]
    )
    assert report["survival"]
    horizon = report["survival"][0]["at_horizons"][0]
    assert {"estimate", "ci_lower", "ci_upper", "at_risk"} <= set(horizon)
    text = response.text
    for identifier in ("Lovelace", "NORTH-1", "Ada", "1950-05-01", "NaN", "Infinity"):
        assert identifier not in text
    json.loads(text)  # strict JSON
    entry = last_audit(seeded_engine[0], "read")
    assert (entry.entity, entry.patient_id) == ("outcomes", None)


def test_another_site_or_no_permission_is_refused(api: dict[str, Api], seeded: Seeded) -> None:
    error(api["analyst"].get("/api/v1/outcomes", site_id=seeded.sites["south"]), 404, "not_found")
    error(api["admin"].get("/api/v1/outcomes"), 403, "forbidden")
    assert "time_zero" in fields_of(api["coordinator"].get("/api/v1/outcomes", time_zero="birth"))
    one = ok(api["coordinator"].get("/api/v1/outcomes", site_id=seeded.sites["north"]))
    assert one["site_ids"] == [seeded.sites["north"]]
