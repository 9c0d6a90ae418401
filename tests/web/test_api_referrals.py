"""Referrals through the JSON API for staff, on SQLite and PostgreSQL: the queue, intake,
triage, decline and conversion, with stale versions (409), refusals naming their fields (422)
and another site's referrals (404).
"""

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from tests.support.api import Api, api_clients, created, error, fields_of, last_audit, ok
from tests.support.web import Seeded

REFERRAL = {
    "source": "referring_clinician",
    "referrer_name": "Dr Jenner",
    "referrer_contact": "555-0101",
    "given_name": "Ann",
    "family_name": "Referred",
    "reason": "toe ulcer for 6 weeks",
    "side": "right",
    "urgency_requested": "urgent",
    "received_at": "2026-02-01T10:00:00Z",
}


@pytest.fixture(scope="module")
def api(seeded_engine: tuple[Engine, Seeded]) -> Iterator[dict[str, Api]]:
    names = ["clinician", "coordinator", "other_coordinator"]
    with api_clients(seeded_engine[0], names) as clients:
        yield clients


def test_queue_is_the_users_sites_paged_and_audited(
    api: dict[str, Api], seeded: Seeded, seeded_engine: tuple[Engine, Seeded]
) -> None:
    made = created(api["coordinator"].post("/api/v1/referrals", REFERRAL))
    queue = ok(api["clinician"].get("/api/v1/referrals", page_size=200))
    ids = {r["id"] for r in queue["items"]}
    assert {made["id"], seeded.ids["north"]["referral_id"]} <= ids
    assert seeded.ids["south"]["referral_id"] not in ids
    assert queue["items"][0]["urgency_requested"] == "urgent"
    listed = last_audit(seeded_engine[0], "list")
    assert listed.entity == "referrals"
    assert "Referred" not in (listed.detail or "")
    first = ok(api["clinician"].get("/api/v1/referrals", page_size=1))
    assert (first["total"], len(first["items"])) == (queue["total"], 1)
    declined = ok(api["clinician"].get("/api/v1/referrals", status="declined"))
    assert all(r["status"] == "declined" for r in declined["items"])
    south = ok(api["other_coordinator"].get("/api/v1/referrals"))
    assert made["id"] not in {r["id"] for r in south["items"]}
    error(api["other_coordinator"].get(f"/api/v1/referrals/{made['id']}"), 404, "not_found")


def test_queue_pages_are_cut_and_counted_by_the_database(api: dict[str, Api]) -> None:
    for urgency in ("routine", "emergent", "urgent"):
        created(
            api["coordinator"].post("/api/v1/referrals", {**REFERRAL, "urgency_requested": urgency})
        )
    whole = ok(api["clinician"].get("/api/v1/referrals", page_size=200))
    walked: list[int] = []
    for page in range(1, whole["total"] // 2 + 2):
        body = ok(api["clinician"].get("/api/v1/referrals", page=page, page_size=2))
        assert body["total"] == whole["total"]
        walked += [item["id"] for item in body["items"]]
    assert walked == [item["id"] for item in whole["items"]]  # most urgent first, each once
    assert whole["total"] == len(walked) >= 3
    beyond = ok(api["clinician"].get("/api/v1/referrals", page=1000, page_size=2))
    assert (beyond["items"], beyond["total"]) == ([], whole["total"])


def test_intake_refusals_name_the_fields(api: dict[str, Api]) -> None:
    coordinator = api["coordinator"]
    no_referrer = {**REFERRAL, "referrer_name": None}
    assert "referrer_name" in fields_of(coordinator.post("/api/v1/referrals", no_referrer))
    future = {**REFERRAL, "received_at": "2999-01-01T00:00:00Z"}
    assert "future" in fields_of(coordinator.post("/api/v1/referrals", future))["received_at"]
    naive = {**REFERRAL, "received_at": "2026-02-01T10:00:00"}
    assert "received_at" in fields_of(coordinator.post("/api/v1/referrals", naive))
    error(api["clinician"].post("/api/v1/referrals", REFERRAL), 403, "forbidden")


def test_triage_then_decline_then_no_more_decisions(
    api: dict[str, Api], seeded_engine: tuple[Engine, Seeded]
) -> None:
    coordinator = api["coordinator"]
    referral = created(coordinator.post("/api/v1/referrals", REFERRAL))
    path = f"/api/v1/referrals/{referral['id']}"
    triaged = ok(
        coordinator.post(f"{path}/triage", {"version": referral["version"], "priority": "emergent"})
    )
    assert (triaged["status"], triaged["triage_priority"]) == ("triaged", "emergent")
    stale = coordinator.post(f"{path}/triage", {"version": referral["version"], "priority": "soon"})
    error(stale, 409, "stale_update")
    assert "reason" in fields_of(
        coordinator.post(f"{path}/decline", {"version": triaged["version"]})
    )
    declined = ok(
        coordinator.post(
            f"{path}/decline", {"version": triaged["version"], "reason": "venous, refer on"}
        )
    )
    assert declined["status"] == "declined"
    again = coordinator.post(f"{path}/triage", {"version": declined["version"], "priority": "soon"})
    assert "already declined" in error(again, 409, "conflict")["message"]
    assert ok(api["clinician"].get(path))["decline_reason"] == "venous, refer on"
    read = last_audit(seeded_engine[0], "read")
    assert (read.entity, read.entity_id) == ("referrals", str(referral["id"]))


def test_conversion_registers_the_patient_and_opens_the_episode(api: dict[str, Api]) -> None:
    coordinator = api["coordinator"]
    referral = created(
        coordinator.post("/api/v1/referrals", {**REFERRAL, "family_name": "Convert"})
    )
    path = f"/api/v1/referrals/{referral['id']}/convert"
    body = {
        "version": referral["version"],
        "mrn": "API-CONV-9",
        "sex": "female",
        "birth_date": "1948-03-02",
        "cause": "diabetic_foot",
        "setting": "outpatient",
        "presented_on": "2026-02-02",
    }
    missing = coordinator.post(path, {k: v for k, v in body.items() if k != "sex"})
    assert "sex" in fields_of(missing)
    error(api["other_coordinator"].post(path, body), 404, "not_found")
    converted = ok(coordinator.post(path, body))
    assert converted["status"] == "converted"
    patient = ok(api["clinician"].get(f"/api/v1/patients/{converted['patient_id']}"))
    assert (patient["mrn"], patient["family_name"]) == ("API-CONV-9", "Convert")
    assert patient["episodes"][0]["id"] == converted["episode_id"]
    assert patient["episodes"][0]["side"] == "right"
    error(coordinator.post(path, {**body, "version": converted["version"]}), 409, "conflict")
