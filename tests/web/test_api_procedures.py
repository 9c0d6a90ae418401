"""Procedures, grafts, segments, surveillance, outcome events and follow-ups through the API.

On SQLite and PostgreSQL: the happy path with what each record counts as (derived with its rule
and cited table), another site's records answering 404, stale versions answering 409, refusals
answering 422 with the fields named, and pagination.
"""

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from tests.support.api import Api, api_clients, created, error, fields_of, last_audit, ok
from tests.support.web import Seeded


@pytest.fixture(scope="module")
def api(seeded_engine: tuple[Engine, Seeded]) -> Iterator[dict[str, Api]]:
    names = ["clinician", "coordinator", "other_site"]
    with api_clients(seeded_engine[0], names) as clients:
        yield clients


@pytest.fixture
def north(seeded: Seeded) -> dict[str, int]:
    return seeded.ids["north"]


def test_bypass_with_graft_segment_and_graded_surveillance(
    api: dict[str, Api], north: dict[str, int], seeded_engine: tuple[Engine, Seeded]
) -> None:
    clinician = api["clinician"]
    patient = f"/api/v1/patients/{north['patient_id']}"
    detail = created(
        clinician.post(
            f"{patient}/procedures",
            {
                "side": "left",
                "episode_id": north["episode_id"],
                "performed_on": "2026-02-02",
                "kind": "bypass",
                "conduit": "great_saphenous_vein",
            },
        )
    )
    procedure = detail["procedure"]
    assert detail["reintervention_class"]["citation"]
    assert detail["major_amputation"] is None
    path = f"/api/v1/procedures/{procedure['id']}"
    graft = created(
        clinician.post(
            f"{path}/grafts", {"inflow_segment": "common_femoral", "outflow_segment": "popliteal"}
        )
    )
    segment = created(
        clinician.post(f"{path}/segments", {"segment": "popliteal", "graft_id": graft["id"]})
    )
    assert segment["graft_id"] == graft["id"]
    study = created(
        clinician.post(
            f"{patient}/surveillance",
            {
                "graft_id": graft["id"],
                "studied_on": "2026-03-02",
                "patency": "patent",
                "peak_systolic_velocity_cm_s": 350,
                "velocity_ratio": 4.0,
            },
        )
    )
    assert study["grade"]["value"] == "high_grade_stenosis"
    assert "intervention" in study["grade"]["rule"]
    studies = ok(api["coordinator"].get(f"/api/v1/grafts/{graft['id']}/surveillance"))
    assert [s["study"]["id"] for s in studies["items"]] == [study["study"]["id"]]
    plain = ok(clinician.get(f"/api/v1/segments/{north['segment_id']}/surveillance"))
    assert plain["total"] == 0
    read = ok(api["coordinator"].get(path))
    assert [g["id"] for g in read["grafts"]] == [graft["id"]]
    assert [s["id"] for s in read["segments"]] == [segment["id"]]
    assert last_audit(seeded_engine[0], "read").detail == f"api procedure {procedure['id']}"
    changed = ok(
        clinician.patch(
            path, {"version": procedure["version"], "changes": {"technical_success": True}}
        )
    )
    assert changed["procedure"]["technical_success"] is True
    stale = clinician.patch(
        path, {"version": procedure["version"], "changes": {"complications": "x"}}
    )
    error(stale, 409, "stale_update")
    error(api["other_site"].get(path), 404, "not_found")
    error(api["other_site"].get(f"/api/v1/grafts/{graft['id']}/surveillance"), 404, "not_found")
    error(api["coordinator"].post(f"{path}/grafts", {}), 403, "forbidden")


def test_procedure_refusals_name_the_fields(api: dict[str, Api], north: dict[str, int]) -> None:
    path = f"/api/v1/patients/{north['patient_id']}/procedures"
    no_conduit = {"side": "left", "performed_on": "2026-02-03", "kind": "bypass"}
    assert "required for a bypass" in fields_of(api["clinician"].post(path, no_conduit))["conduit"]
    future = {"side": "left", "performed_on": "2999-02-03", "kind": "angioplasty"}
    assert "performed_on" in fields_of(api["clinician"].post(path, future))
    graft_on_stent = api["clinician"].post(
        f"/api/v1/patients/{north['patient_id']}/surveillance",
        {"studied_on": "2026-03-01", "patency": "patent"},
    )
    assert "graft_id" in fields_of(graft_on_stent)


def test_amputation_counts_with_its_rule_and_owns_its_event(
    api: dict[str, Api], north: dict[str, int]
) -> None:
    clinician = api["clinician"]
    patient = f"/api/v1/patients/{north['patient_id']}"
    detail = created(
        clinician.post(
            f"{patient}/procedures",
            {
                "side": "right",
                "performed_on": "2026-04-01",
                "kind": "amputation",
                "amputation_level": "toe",
            },
        )
    )
    assert detail["major_amputation"]["value"] is False
    assert detail["major_amputation"]["table"]
    limbs = ok(clinician.get(f"{patient}/limbs"))
    right = next(limb for limb in limbs["items"] if limb["side"] == "right")
    events = ok(clinician.get(f"{patient}/events", limb_id=right["id"]))
    owned = [e for e in events["items"] if e["procedure_id"] == detail["procedure"]["id"]]
    assert [e["kind"] for e in owned] == ["minor_amputation"]
    refused = clinician.patch(
        f"/api/v1/events/{owned[0]['id']}", {"version": owned[0]["version"], "changes": {}}
    )
    assert "procedure" in error(refused, 409, "conflict")["message"]
    listed = ok(clinician.get(f"{patient}/procedures", limb_id=right["id"]))
    assert [p["id"] for p in listed["items"]] == [detail["procedure"]["id"]]


def test_index_procedure_of_an_episode(api: dict[str, Api], north: dict[str, int]) -> None:
    clinician = api["clinician"]
    episode = ok(clinician.get(f"/api/v1/episodes/{north['episode_id']}"))
    path = f"/api/v1/episodes/{north['episode_id']}/index-procedure"
    unknown = clinician.put(path, {"version": episode["version"], "procedure_id": 999999})
    assert "no such procedure" in fields_of(unknown)["procedure_id"]
    done = ok(
        clinician.put(path, {"version": episode["version"], "procedure_id": north["procedure_id"]})
    )
    assert done["index_procedure_id"] == north["procedure_id"]
    again = clinician.put(path, {"version": episode["version"], "procedure_id": None})
    error(again, 409, "stale_update")
    error(api["other_site"].put(path, {"version": 1, "procedure_id": None}), 404, "not_found")


def test_outcome_events_recorded_read_corrected(api: dict[str, Api], north: dict[str, int]) -> None:
    clinician = api["clinician"]
    patient = f"/api/v1/patients/{north['patient_id']}"
    event = created(
        clinician.post(
            f"{patient}/events", {"kind": "myocardial_infarction", "occurred_on": "2026-03-10"}
        )
    )
    path = f"/api/v1/events/{event['id']}"
    assert ok(api["coordinator"].get(path))["kind"] == "myocardial_infarction"
    changed = ok(clinician.patch(path, {"version": 1, "changes": {"description": "NSTEMI"}}))
    assert (changed["description"], changed["version"]) == ("NSTEMI", 2)
    error(
        clinician.patch(path, {"version": 1, "changes": {"description": "x"}}), 409, "stale_update"
    )
    no_side = clinician.post(
        f"{patient}/events", {"kind": "wound_healed", "occurred_on": "2026-03-10"}
    )
    assert "required" in fields_of(no_side)["side"]
    future = clinician.post(f"{patient}/events", {"kind": "stroke", "occurred_on": "2999-01-01"})
    assert "occurred_on" in fields_of(future)
    paged = ok(clinician.get(f"{patient}/events", page_size=1))
    assert paged["total"] >= 2
    assert len(paged["items"]) == 1
    error(api["other_site"].get(path), 404, "not_found")
    error(api["other_site"].get(f"{patient}/events"), 404, "not_found")


def test_follow_ups_with_vascuqol6(api: dict[str, Api], north: dict[str, int]) -> None:
    clinician = api["clinician"]
    path = f"/api/v1/episodes/{north['episode_id']}/follow-ups"
    answers = {f"vascuqol6_q{n}": 3 for n in range(1, 7)}
    follow_up = created(
        clinician.post(path, {"seen_on": "2026-03-15", "contact": "clinic_visit", **answers})
    )
    assert follow_up["vascuqol6"]["value"] == 18
    assert follow_up["vascuqol6"]["citation"]
    partial = clinician.post(
        path, {"seen_on": "2026-03-15", "contact": "telephone", "vascuqol6_q1": 2}
    )
    assert "all six" in fields_of(partial)["vascuqol6_q2"]
    one = f"/api/v1/follow-ups/{follow_up['follow_up']['id']}"
    seeded = ok(clinician.get(f"/api/v1/follow-ups/{north['follow_up_id']}"))
    assert seeded["vascuqol6"]["value"] is None
    changed = ok(
        clinician.patch(one, {"version": 1, "changes": {"ambulatory_status": "independent"}})
    )
    assert changed["follow_up"]["version"] == 2
    error(clinician.patch(one, {"version": 1, "changes": {}}), 409, "stale_update")
    listed = ok(api["coordinator"].get(path))
    assert follow_up["follow_up"]["id"] in {f["follow_up"]["id"] for f in listed["items"]}
    error(api["other_site"].get(one), 404, "not_found")
