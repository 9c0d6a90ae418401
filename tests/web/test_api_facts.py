"""`/api/v1/episodes/{episode_id}/facts` through HTTP: record with who and when, read in force
and history, clear, the one error shape, audit, and the recompute that reuses them."""

from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.db.audit import AuditEntry
from tests.support.web import Seeded, client_as
from tests.web.test_care_pages import measure_4_weeks, new_episode

FACTS = {"usable_gsv": True, "perioperative_mortality_pct": 3, "two_year_survival_pct": 70}


def test_record_read_and_clear_facts(db_app: FastAPI, seeded: Seeded) -> None:
    _, episode_id = new_episode(db_app, seeded)
    path = f"/api/v1/episodes/{episode_id}/facts"
    with client_as(db_app, "clinician") as (client, csrf):
        headers = {"x-csrf-token": csrf}
        saved = client.post(path, json={"facts": FACTS, "note": "clinic 2 March"}, headers=headers)
        again = client.post(path, json={"facts": FACTS}, headers=headers)
        cleared = client.post(path, json={"facts": {"usable_gsv": None}}, headers=headers)
        in_force = client.get(path)
        history = client.get(f"{path}/history", params={"page_size": 2})
        recompute = client.post(
            f"/api/v1/episodes/{episode_id}/recommendations/refresh", json={}, headers=headers
        )
    assert saved.status_code == 200, saved.text
    body = saved.json()
    assert [e["name"] for e in body["recorded"]] == list(FACTS)
    assert body["recorded"][0]["recorded_by_id"] == seeded.users["clinician"]
    assert body["recorded"][0]["note"] == "clinic 2 March"
    assert body["in_force"]["facts"]["two_year_survival_pct"]["value"] == 70
    assert body["not_refreshed"] == ""
    added = body["recommendations"]["added"]
    assert added
    assert {f["name"] for f in added[0]["clinician_facts"]} == set(FACTS)
    assert again.json()["recorded"] == []  # nothing changed, nothing recorded
    assert again.json()["recommendations"]["added"] == []
    assert [e["value"] for e in cleared.json()["recorded"]] == [None]
    assert set(in_force.json()["facts"]) == {"perioperative_mortality_pct", "two_year_survival_pct"}
    assert history.json()["total"] == 4
    assert history.json()["items"][0]["name"] == "usable_gsv"
    assert history.json()["items"][0]["value"] is None
    # The recompute without facts reuses those in force: nothing is asked again.
    assert recompute.status_code == 200
    assert recompute.json()["added"] == []
    assert recompute.json()["changed"] == []


def test_wrong_values_are_refused_in_the_one_error_shape(db_app: FastAPI, seeded: Seeded) -> None:
    _, episode_id = new_episode(db_app, seeded)
    path = f"/api/v1/episodes/{episode_id}/facts"
    with client_as(db_app, "clinician") as (client, csrf):
        headers = {"x-csrf-token": csrf}
        wrong = client.post(
            path,
            json={"facts": {"usable_gsv": "perhaps", "two_year_survival_pct": 101, "abi": 0.5}},
            headers=headers,
        )
        extra = client.post(path, json={"facts": {}, "when": "now"}, headers=headers)
        nothing = client.get(path)
    assert wrong.status_code == 422
    fields = {f["field"]: f["message"] for f in wrong.json()["error"]["fields"]}
    assert fields == {
        "usable_gsv": "must be true or false (yes/no, 1/0)",
        "two_year_survival_pct": "must be a number from 0 to 100 %",
        "abi": "comes from the registry (findings, staging, the patient record or medications); "
        "change it there",
    }
    assert extra.status_code == 422
    assert nothing.json()["facts"] == {}  # nothing half-written


def test_coordinators_read_other_sites_do_not_and_reads_are_audited(
    db_app: FastAPI, seeded: Seeded
) -> None:
    _, episode_id = new_episode(db_app, seeded)
    path = f"/api/v1/episodes/{episode_id}/facts"
    with client_as(db_app, "coordinator") as (client, csrf):
        read = client.get(path)
        write = client.post(path, json={"facts": FACTS}, headers={"x-csrf-token": csrf})
    with client_as(db_app, "other_site") as (client, _):
        elsewhere = client.get(path)
    assert read.status_code == 200
    assert write.status_code == 403
    assert elsewhere.status_code == 404
    with Session(db_app.state.engine) as db:
        details = set(db.scalars(select(AuditEntry.detail).where(AuditEntry.action == "read")))
    assert f"api clinician facts of episode {episode_id}" in details


def test_the_4_week_reduction_the_measurements_give_is_refused(
    db_app: FastAPI, seeded: Seeded
) -> None:
    _, episode_id = new_episode(db_app, seeded)
    measure_4_weeks(db_app, episode_id)
    path = f"/api/v1/episodes/{episode_id}/facts"
    with client_as(db_app, "clinician") as (client, csrf):
        refused = client.post(
            path,
            json={"facts": {"wound_area_reduction_4wk_pct": 60, "usable_gsv": True}},
            headers={"x-csrf-token": csrf},
        )
        nothing = client.get(path)
    assert refused.status_code == 422
    (problem,) = refused.json()["error"]["fields"]
    assert problem["field"] == "wound_area_reduction_4wk_pct"
    assert problem["message"] == (
        "comes from the wound measurements (wound 'hallux ulcer': 4-week area reduction); "
        "change it there"
    )
    assert nothing.json()["facts"] == {}  # usable_gsv not half-written
