"""Staging snapshots and recommendations through the JSON API, on SQLite and PostgreSQL.

Proposals add snapshots and say what differs; review confirms or overrides with a reason (409
on a stale version or a reviewed snapshot); recommendations are accepted (their task follows)
or overridden with a reason, with their history; another site's records are 404.
"""

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from tests.support.api import Api, api_clients, created, error, fields_of, last_audit, ok
from tests.support.web import Seeded


@pytest.fixture(scope="module")
def api(seeded_engine: tuple[Engine, Seeded]) -> Iterator[dict[str, Api]]:
    names = ["clinician", "coordinator", "other_site", "analyst"]
    with api_clients(seeded_engine[0], names) as clients:
        yield clients


@pytest.fixture
def north(seeded: Seeded) -> dict[str, int]:
    return seeded.ids["north"]


def propose(api: dict[str, Api], episode_id: int, as_of: str = "2026-01-07") -> dict[str, object]:
    return created(
        api["clinician"].post(f"/api/v1/episodes/{episode_id}/staging", {"as_of": as_of})
    )


def test_a_proposal_is_listed_read_and_confirmed_once(
    api: dict[str, Api], north: dict[str, int], seeded_engine: tuple[Engine, Seeded]
) -> None:
    proposal = propose(api, north["episode_id"])
    snapshot = proposal["snapshot"]
    assert isinstance(snapshot, dict)
    assert snapshot["status"] == "proposed"
    assert proposal["previous_id"] is not None
    assert isinstance(proposal["differences"], list)
    path = f"/api/v1/staging/{snapshot['id']}"
    read = ok(api["coordinator"].get(path))
    assert "wifi" in read["results"]
    assert read["table_refs"]
    assert last_audit(seeded_engine[0], "read").patient_id == north["patient_id"]
    listed = ok(
        api["clinician"].get(f"/api/v1/episodes/{north['episode_id']}/staging", page_size=1)
    )
    assert listed["total"] >= 2
    assert len(listed["items"]) == 1
    confirmed = ok(api["clinician"].post(f"{path}/confirm", {"version": snapshot["version"]}))
    assert confirmed["status"] == "confirmed"
    assert confirmed["reviewed_at"]
    again = api["clinician"].post(f"{path}/confirm", {"version": confirmed["version"]})
    assert "already confirmed" in error(again, 409, "conflict")["message"]
    stale = api["clinician"].post(f"{path}/confirm", {"version": snapshot["version"]})
    error(stale, 409, "stale_update")
    error(api["coordinator"].post(f"{path}/confirm", {"version": 9}), 403, "forbidden")
    error(api["other_site"].get(path), 404, "not_found")
    error(
        api["other_site"].get(f"/api/v1/episodes/{north['episode_id']}/staging"), 404, "not_found"
    )


def test_an_override_needs_a_reason_and_a_change(
    api: dict[str, Api], north: dict[str, int]
) -> None:
    snapshot = propose(api, north["episode_id"], "2026-01-08")["snapshot"]
    assert isinstance(snapshot, dict)
    path = f"/api/v1/staging/{snapshot['id']}/override"
    version = snapshot["version"]
    assert "reason" in fields_of(api["clinician"].post(path, {"version": version, "wifi_stage": 4}))
    nothing = api["clinician"].post(path, {"version": version, "reason": "judgement"})
    assert "overrides" in fields_of(nothing)
    assert "wifi_stage" in fields_of(
        api["clinician"].post(path, {"version": version, "reason": "x", "wifi_stage": 9})
    )
    chosen = 4 if snapshot["wifi_stage"] != 4 else 3
    done = ok(
        api["clinician"].post(
            path, {"version": version, "reason": "necrotic heel", "wifi_stage": chosen}
        )
    )
    assert done["status"] == "overridden"
    assert done["wifi_stage"] == chosen
    assert done["overrides"]["wifi_stage"] == {"proposed": snapshot["wifi_stage"], "chosen": chosen}
    assert done["override_reason"] == "necrotic heel"


def test_restage_and_differences(api: dict[str, Api], north: dict[str, int]) -> None:
    restaged = ok(api["clinician"].post(f"/api/v1/episodes/{north['episode_id']}/restage"))
    assert restaged["created"] is False
    assert restaged["differences"] == []
    snapshot = restaged["snapshot"]
    diff = ok(api["clinician"].get(f"/api/v1/staging/{snapshot['id']}/differences"))
    assert diff["snapshot"]["id"] == snapshot["id"]
    assert diff["previous_id"] == snapshot["previous_id"]
    future = api["clinician"].post(
        f"/api/v1/episodes/{north['episode_id']}/staging", {"as_of": "2999-01-01"}
    )
    assert "future" in fields_of(future)["as_of"]


def test_recommendation_accepted_then_overridden_with_history(
    api: dict[str, Api], north: dict[str, int]
) -> None:
    clinician = api["clinician"]
    listed = ok(clinician.get(f"/api/v1/episodes/{north['episode_id']}/recommendations"))
    row = next(r for r in listed["items"] if r["id"] == north["recommendation_id"])
    assert row["citation"]
    assert row["rationale"]
    path = f"/api/v1/recommendations/{row['id']}"
    accepted = ok(clinician.post(f"{path}/accept", {"version": row["version"]}))
    assert accepted["recommendation"]["state"] == "accepted"
    task = accepted["task"]
    assert task["recommendation_id"] == row["id"]
    tasks = ok(api["coordinator"].get("/api/v1/tasks", episode_id=north["episode_id"]))
    assert task["id"] in {t["id"] for t in tasks["items"]}
    version = accepted["recommendation"]["version"]
    error(clinician.post(f"{path}/accept", {"version": version}), 409, "conflict")
    error(clinician.post(f"{path}/accept", {"version": row["version"]}), 409, "stale_update")
    assert "reason" in fields_of(clinician.post(f"{path}/override", {"version": version}))
    overridden = ok(
        clinician.post(f"{path}/override", {"version": version, "reason": "patient declines"})
    )
    assert (overridden["state"], overridden["override_reason"]) == (
        "overridden",
        "patient declines",
    )
    cancelled = ok(api["coordinator"].get(f"/api/v1/tasks/{task['id']}"))
    assert cancelled["status"] == "cancelled"
    history = ok(clinician.get(f"{path}/history"))
    assert [r["id"] for r in history["items"]] == [row["id"]]
    assert ok(api["coordinator"].get(path))["state"] == "overridden"
    error(api["other_site"].get(path), 404, "not_found")
    error(api["coordinator"].post(f"{path}/accept", {"version": 1}), 403, "forbidden")


def test_refresh_runs_the_engine_or_names_what_is_wrong(
    api: dict[str, Api], north: dict[str, int]
) -> None:
    path = f"/api/v1/episodes/{north['episode_id']}/recommendations/refresh"
    unknown = fields_of(api["clinician"].post(path, {"facts": {"favourite_colour": "blue"}}))
    assert "pathway engine" in unknown["favourite_colour"]
    refreshed = api["clinician"].post(path, {"facts": {}})
    if refreshed.status_code == 200:
        summary = refreshed.json()
        assert set(summary) == {"kept", "added", "changed", "withdrawn"}
        current = ok(
            api["clinician"].get(f"/api/v1/episodes/{north['episode_id']}/recommendations")
        )
        assert current["total"] == len(summary["kept"]) + len(summary["added"]) + len(
            summary["changed"]
        )
    else:
        assert fields_of(refreshed)
    error(api["other_site"].post(path, {"facts": {}}), 404, "not_found")
