"""Tasks and appointments through the JSON API, on SQLite and PostgreSQL.

Coordinators create and change them, clinicians read them; filters (episode, state, owner role,
overdue), paging, stale versions (409), closed tasks (409), refusals naming their fields (422)
and another site's records (404).
"""

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from tests.support.api import Api, api_clients, created, error, fields_of, last_audit, ok
from tests.support.web import Seeded


@pytest.fixture(scope="module")
def api(seeded_engine: tuple[Engine, Seeded]) -> Iterator[dict[str, Api]]:
    names = ["clinician", "coordinator", "other_coordinator", "analyst", "admin", "other_site"]
    with api_clients(seeded_engine[0], names) as clients:
        yield clients


@pytest.fixture
def north(seeded: Seeded) -> dict[str, int]:
    return seeded.ids["north"]


def new_task(api: dict[str, Api], episode_id: int, **values: object) -> dict[str, object]:
    body = {"title": "Book angiogram", "owner_role": "interventionalist", "urgency": "urgent"}
    return created(
        api["coordinator"].post(f"/api/v1/episodes/{episode_id}/tasks", {**body, **values})
    )


def test_tasks_filtered_overdue_and_paged(api: dict[str, Api], north: dict[str, int]) -> None:
    late = new_task(api, north["episode_id"], due_at="2026-01-02T09:00:00Z", title="Late")
    later = new_task(api, north["episode_id"], due_at="2099-01-02T09:00:00Z", title="Later")
    tasks = api["clinician"]
    mine = ok(tasks.get("/api/v1/tasks", episode_id=north["episode_id"], page_size=200))
    ids = {t["id"] for t in mine["items"]}
    assert {late["id"], later["id"]} <= ids
    overdue = ok(tasks.get("/api/v1/tasks", overdue="true", page_size=200))
    assert late["id"] in {t["id"] for t in overdue["items"]}
    assert later["id"] not in {t["id"] for t in overdue["items"]}
    by_role = ok(tasks.get("/api/v1/tasks", owner_role="interventionalist", page_size=200))
    assert {t["owner_role"] for t in by_role["items"]} == {"interventionalist"}
    page = ok(tasks.get("/api/v1/tasks", page_size=1, page=2))
    assert page["total"] >= 3
    assert len(page["items"]) == 1
    done = ok(tasks.get("/api/v1/tasks", status="done"))
    assert all(t["status"] == "done" for t in done["items"])
    assert "status.0" in fields_of(tasks.get("/api/v1/tasks", status="finished"))
    error(
        api["other_coordinator"].get("/api/v1/tasks", episode_id=north["episode_id"]),
        404,
        "not_found",
    )
    south = ok(api["other_coordinator"].get("/api/v1/tasks", page_size=200))
    assert late["id"] not in {t["id"] for t in south["items"]}


def _walk(client: Api, path: str, **params: object) -> tuple[list[int], set[int]]:
    """Every id over pages of two, and the totals each page reported."""
    ids: list[int] = []
    totals: set[int] = set()
    page = 1
    while True:
        body = ok(client.get(path, page=page, page_size=2, **params))
        totals.add(body["total"])
        if not body["items"]:
            return ids, totals
        assert (body["page"], body["page_size"]) == (page, 2)
        ids += [item["id"] for item in body["items"]]
        page += 1


@pytest.mark.parametrize("params", [{}, {"overdue": "true"}, {"status": ["open", "done"]}])
def test_task_pages_are_cut_and_counted_by_the_database(
    api: dict[str, Api], north: dict[str, int], params: dict[str, object]
) -> None:
    for due in ("2026-01-03T09:00:00Z", "2026-01-04T09:00:00Z", "2099-01-05T09:00:00Z"):
        new_task(api, north["episode_id"], due_at=due)
    whole = ok(api["clinician"].get("/api/v1/tasks", page_size=200, **params))
    ids, totals = _walk(api["clinician"], "/api/v1/tasks", **params)
    assert ids == [item["id"] for item in whole["items"]]  # same order, nothing twice
    assert totals == {whole["total"]}
    assert whole["total"] == len(ids) >= 2
    if params.get("overdue"):
        assert all(item["status"] == "open" for item in whole["items"])
        dues = [item["due_at"] for item in whole["items"]]
        assert dues == sorted(dues)  # most overdue first


def test_task_changed_completed_and_stale(api: dict[str, Api], north: dict[str, int]) -> None:
    task = new_task(api, north["episode_id"])
    assert task["due_at"]
    path = f"/api/v1/tasks/{task['id']}"
    coordinator = api["coordinator"]
    changed = ok(coordinator.patch(path, {"version": task["version"], "title": "Book CTA"}))
    assert changed["title"] == "Book CTA"
    error(coordinator.patch(path, {"version": task["version"], "title": "x"}), 409, "stale_update")
    assert "title" in fields_of(
        coordinator.patch(path, {"version": changed["version"], "title": None})
    )
    done = ok(coordinator.post(f"{path}/complete", {"version": changed["version"]}))
    assert done["status"] == "done"
    assert done["completed_at"]
    closed = coordinator.post(f"{path}/cancel", {"version": done["version"], "reason": "dup"})
    assert "only open tasks" in error(closed, 409, "conflict")["message"]
    again = api["clinician"].post(f"{path}/complete", {"version": done["version"]})
    assert "only open tasks" in error(again, 409, "conflict")["message"]
    error(api["other_coordinator"].get(path), 404, "not_found")


def test_who_completes_a_task(
    api: dict[str, Api], north: dict[str, int], seeded: Seeded, seeded_engine: tuple[Engine, Seeded]
) -> None:
    # Coordinators complete any task of their sites; clinicians the care team's clinical tasks
    # or one assigned to them; nobody else (docs/web/api.md, "Who completes a task").
    clinician_id = seeded.users["clinician"]
    clinical = new_task(api, north["episode_id"], owner_role="wound_nurse")
    theirs = new_task(api, north["episode_id"], owner_role="coordinator")
    assigned = new_task(
        api, north["episode_id"], owner_role="coordinator", assignee_id=clinician_id
    )
    for name, task, status in [
        ("analyst", clinical, 403),
        ("admin", clinical, 403),
        ("other_site", clinical, 404),
        ("other_coordinator", clinical, 404),
        ("clinician", theirs, 403),
    ]:
        refused = api[name].post(f"/api/v1/tasks/{task['id']}/complete", {"version": 1})
        assert refused.status_code == status, (name, refused.text)
    done = ok(api["clinician"].post(f"/api/v1/tasks/{clinical['id']}/complete", {"version": 1}))
    assert (done["status"], done["completed_by_id"]) == ("done", clinician_id)
    entry = last_audit(seeded_engine[0], "update")
    assert (entry.entity, entry.entity_id, entry.actor_id) == (
        "care_tasks",
        str(clinical["id"]),
        clinician_id,
    )
    mine = ok(api["clinician"].post(f"/api/v1/tasks/{assigned['id']}/complete", {"version": 1}))
    assert mine["completed_by_id"] == clinician_id
    ok(api["coordinator"].post(f"/api/v1/tasks/{theirs['id']}/complete", {"version": 1}))
    # Completing is all a clinician does to a task: changing and cancelling stay coordination.
    other = new_task(api, north["episode_id"], owner_role="wound_nurse")
    path = f"/api/v1/tasks/{other['id']}"
    error(api["clinician"].patch(path, {"version": 1, "title": "x"}), 403, "forbidden")
    error(api["clinician"].post(f"{path}/cancel", {"version": 1, "reason": "x"}), 403, "forbidden")


def test_task_refusals_name_the_fields(api: dict[str, Api], north: dict[str, int]) -> None:
    path = f"/api/v1/episodes/{north['episode_id']}/tasks"
    no_due = api["coordinator"].post(path, {"title": "x", "owner_role": "coordinator"})
    assert "due_at" in fields_of(no_due)
    stranger = api["coordinator"].post(
        path, {"title": "x", "owner_role": "coordinator", "urgency": "soon", "assignee_id": 99999}
    )
    assert "not a user of this patient's site" in fields_of(stranger)["assignee_id"]
    task = new_task(api, north["episode_id"])
    cancel = api["coordinator"].post(f"/api/v1/tasks/{task['id']}/cancel", {"version": 1})
    assert "reason" in fields_of(cancel)


def test_appointments(
    api: dict[str, Api], north: dict[str, int], seeded_engine: tuple[Engine, Seeded]
) -> None:
    coordinator = api["coordinator"]
    made = created(
        coordinator.post(
            f"/api/v1/episodes/{north['episode_id']}/appointments",
            {
                "clinic": "Foot clinic",
                "starts_at": "2099-05-01T10:00:00+01:00",
                "purpose": "review",
            },
        )
    )
    assert made["status"] == "scheduled"
    path = f"/api/v1/appointments/{made['id']}"
    assert ok(api["clinician"].get(path))["clinic"] == "Foot clinic"
    assert last_audit(seeded_engine[0], "read").detail == f"api appointment {made['id']}"
    early = coordinator.patch(path, {"version": made["version"], "status": "attended"})
    assert "once the appointment began" in fields_of(early)["status"]
    moved = ok(coordinator.patch(path, {"version": made["version"], "clinic": "Wound clinic"}))
    assert moved["version"] == made["version"] + 1
    error(coordinator.patch(path, {"version": made["version"], "note": "x"}), 409, "stale_update")
    listed = ok(api["clinician"].get(f"/api/v1/episodes/{north['episode_id']}/appointments"))
    assert made["id"] in {a["id"] for a in listed["items"]}
    naive = coordinator.post(
        f"/api/v1/episodes/{north['episode_id']}/appointments",
        {"clinic": "x", "starts_at": "2099-05-01T10:00:00", "purpose": "y"},
    )
    assert "starts_at" in fields_of(naive)
    error(api["other_coordinator"].get(path), 404, "not_found")
    error(api["clinician"].patch(path, {"version": 2, "note": "x"}), 403, "forbidden")
