"""Every route × every role, a user of another site, and anonymous access (issue 6).

The matrix is generated from the application's route table: each route must declare exactly one
access policy, so a new route cannot be added without being covered here.
"""

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from starlette.routing import Mount, Route

from limbsalvage.accounts.permissions import ROLE_PERMISSIONS, Permission
from limbsalvage.core.vocabulary import Role
from limbsalvage.settings import Settings
from limbsalvage.web.app import OPENAPI_URL, create_app
from limbsalvage.web.auth import Policy, Public
from tests.support.web import USERS, Seeded, sign_in

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# Unsafe routes that change nothing on the server, or protect themselves without a session.
NOT_STATE_CHANGING = {"/api/v1/classify/{system}", "/staging/{system}"}
SELF_PROTECTED = {"/signin", "/referral"}  # anonymous double-submit token, tested in test_signin


def policy_of(route: RouteContext) -> str:
    """The one access policy the route depends on."""
    found: list[str] = []

    def walk(dependant: Dependant) -> None:
        for sub in dependant.dependencies:
            if isinstance(sub.call, Policy | Public):
                found.append(sub.call.describe)
            walk(sub)

    walk(route.dependant)
    assert len(set(found)) == 1, f"{route.path} declares policies {found or 'none'}"
    return found[0]


def routes(app: FastAPI) -> list[tuple[str, str, str]]:
    """(method, path, policy) for every API route."""
    table = []
    for route in iter_route_contexts(app.routes):
        if isinstance(route.original_route, APIRoute):
            assert route.path is not None
            assert route.methods is not None
            table.extend((method, route.path, policy_of(route)) for method in sorted(route.methods))
        else:
            assert isinstance(route.original_route, Mount | Route)
            assert route.path in {OPENAPI_URL, "/static"}, f"{route.path} is not an API route"
    return table


APP = create_app(Settings(env="demo"))
TABLE = routes(APP)


def test_every_route_declares_a_policy() -> None:
    policies = {policy for _, _, policy in TABLE}
    permissions = {p.value for p in Permission}
    for policy in policies - {"public", "signed_in"}:
        assert set(policy.removeprefix("permission:").split("|")) <= permissions, policy
    assert ("GET", "/api/v1/patients", "permission:clinical_read") in TABLE
    assert ("GET", "/healthz", "public") in TABLE


def concrete(path: str, seeded: Seeded, *, site: str = "north") -> str:
    """The path with its parameters filled with ids of `site`'s seeded records."""
    for name, value in seeded.ids[site].items():
        path = path.replace(f"{{{name}}}", str(int(value)))
    # The seeded finding is a perfusion study.
    return (
        path.replace("{system}", "fontaine")
        .replace("{kind}", "perfusion_study")
        .replace("{figure}", "limb-salvage")
    )


MRNS = itertools.count(1)
CHANGE_NOTHING = {"version": 1, "changes": {}}
# Valid bodies of the resource routes (tests/web/test_api_*.py test what they do).
API_BODIES: dict[str, dict[str, Any]] = {
    "/api/v1/episodes/{episode_id}/assessments": {"assessed_on": "2026-01-07"},
    "/api/v1/assessments/{assessment_id}": {"version": 1, "changes": {"notes": "seen"}},
    "/api/v1/assessments/{assessment_id}/findings/{kind}": {"toe_pressure_mmhg": 42},
    "/api/v1/findings/{kind}/{finding_id}": {"version": 1, "changes": {"toe_pressure_mmhg": 40}},
    "/api/v1/episodes/{episode_id}/wounds": {"label": "B", "location": "heel"},
    "/api/v1/wounds/{wound_id}": {"version": 1, "changes": {"aetiology": "ischemic"}},
    "/api/v1/wounds/{wound_id}/measurements": {
        "measured_on": "2026-01-08",
        "length_cm": 1.5,
        "width_cm": 1,
    },
    "/api/v1/wound-measurements/{measurement_id}": {"version": 1, "changes": {"depth_cm": 0.3}},
    "/api/v1/episodes/{episode_id}/staging": {"as_of": "2026-01-07"},
    "/api/v1/staging/{snapshot_id}/confirm": {"version": 1},
    "/api/v1/staging/{snapshot_id}/override": {
        "version": 1,
        "reason": "clinical judgement",
        "wifi_stage": 4,
    },
    "/api/v1/episodes/{episode_id}/recommendations/refresh": {"facts": {}},
    "/api/v1/episodes/{episode_id}/facts": {"facts": {"usable_gsv": True}},
    "/api/v1/recommendations/{recommendation_id}/accept": {"version": 1},
    "/api/v1/recommendations/{recommendation_id}/override": {"version": 1, "reason": "declined"},
    "/api/v1/episodes/{episode_id}/tasks": {
        "title": "Call the patient",
        "owner_role": "coordinator",
        "urgency": "soon",
    },
    "/api/v1/tasks/{task_id}": {"version": 1, "title": "Call the patient today"},
    "/api/v1/tasks/{task_id}/complete": {"version": 1},
    "/api/v1/tasks/{task_id}/cancel": {"version": 1, "reason": "done elsewhere"},
    "/api/v1/episodes/{episode_id}/appointments": {
        "clinic": "Wound clinic",
        "starts_at": "2026-03-01T09:00:00Z",
        "purpose": "dressing",
    },
    "/api/v1/appointments/{appointment_id}": {"version": 1, "note": "bring shoes"},
    "/api/v1/referrals": {
        "source": "referring_clinician",
        "referrer_name": "Dr Jenner",
        "referrer_contact": "555-0101",
        "given_name": "Ann",
        "family_name": "Other",
        "reason": "toe ulcer",
        "urgency_requested": "soon",
        "received_at": "2026-02-01T10:00:00Z",
    },
    "/api/v1/referrals/{referral_id}/triage": {"version": 1, "priority": "urgent"},
    "/api/v1/referrals/{referral_id}/decline": {"version": 1, "reason": "not for this program"},
    "/api/v1/referrals/{referral_id}/convert": {
        "version": 1,
        "mrn": "CONV-API-1",
        "sex": "female",
        "birth_date": "1950-01-01",
        "side": "right",
        "cause": "clti",
        "setting": "outpatient",
        "presented_on": "2026-02-01",
    },
    "/api/v1/patients/{patient_id}/procedures": {
        "side": "left",
        "performed_on": "2026-02-10",
        "kind": "angioplasty",
    },
    "/api/v1/procedures/{procedure_id}": {"version": 1, "changes": {"technical_success": True}},
    "/api/v1/procedures/{procedure_id}/grafts": {
        "inflow_segment": "common_femoral",
        "outflow_segment": "popliteal",
    },
    "/api/v1/procedures/{procedure_id}/segments": {"segment": "popliteal"},
    "/api/v1/patients/{patient_id}/surveillance": {
        "graft_id": 1,
        "studied_on": "2026-03-01",
        "patency": "patent",
    },
    "/api/v1/episodes/{episode_id}/index-procedure": {"version": 1, "procedure_id": None},
    "/api/v1/patients/{patient_id}/events": {
        "kind": "myocardial_infarction",
        "occurred_on": "2026-03-05",
    },
    "/api/v1/events/{event_id}": {"version": 1, "changes": {"description": "NSTEMI"}},
    "/api/v1/episodes/{episode_id}/follow-ups": {
        "seen_on": "2026-03-03",
        "contact": "clinic_visit",
    },
    "/api/v1/follow-ups/{follow_up_id}": {
        "version": 1,
        "changes": {"ambulatory_status": "independent"},
    },
}


def body_for(method: str, path: str) -> dict[str, Any] | None:
    """A valid body, so that what answers is the access check or the service, not validation."""
    if method not in UNSAFE:
        return None
    episode = {
        "side": "right",
        "cause": "clti",
        "presented_on": "2026-02-01",
        "setting": "inpatient",
    }
    bodies: dict[str, dict[str, Any]] = {
        "/api/v1/classify/{system}": {"symptom": "ulcer"},
        "/api/v1/patients": {
            "mrn": f"MATRIX-{next(MRNS)}",
            "given_name": "Grace",
            "family_name": "Hopper",
            "birth_date": "1940-12-09",
            "sex": "female",
        },
        "/api/v1/patients/{patient_id}": {"version": 1, "changes": {"bmi_kg_m2": 24.5}},
        "/api/v1/patients/{patient_id}/episodes": episode,
        "/patients/{patient_id}/episodes": episode,
        "/api/v1/episodes/{episode_id}/close": {"version": 1, "closed_on": "2026-02-02"},
        **API_BODIES,
        "/triage/{referral_id}": {"version": 1, "priority": "urgent"},
        **finding_bodies(),
        **care_bodies(),
        "/triage/{referral_id}/decline": {"version": 1, "reason": "not for this program"},
        "/conference/flag": {"conference_on": "2026-01-08"},
        "/conference/cases": {
            "mrn": "NORTH-1",
            "conference_on": "2026-01-15",
            "reason": "second opinion on the strategy",
        },
        # A stale version: the access check and the service answer, the case is kept.
        "/conference/cases/{case_id}/remove": {"version": 999},
        "/conference/cases/{case_id}/outcome": {
            "version": 1,
            "decision": "open_bypass",
            "reasons": "usable vein, GLASS III",
            "attendee_name_0": "Dr Vascular",
            "attendee_role_0": "vascular_surgeon",
        },
        "/triage/{referral_id}/convert": {
            "version": 1,
            "mrn": "CONV-1",
            "sex": "female",
            "birth_date": "1950-01-01",
            "cause": "clti",
            "setting": "outpatient",
            "presented_on": "2026-02-01",
        },
    }
    return bodies.get(path)


def finding_bodies() -> dict[str, dict[str, Any]]:
    """Valid chart findings forms of the seeded episode (presented 2026-01-05)."""
    on = "2026-02-02"
    return {
        "/episodes/{episode_id}/perfusion-study": {"assessed_on": on, "toe_pressure_mmhg": "35"},
        "/episodes/{episode_id}/infection-assessment": {
            "assessed_on": on,
            "purulent_discharge": "no",
            "osteomyelitis": "no",
        },
        "/episodes/{episode_id}/imaging": {
            "assessed_on": on,
            "modality": "duplex_ultrasound",
            "performed_on": on,
            "fp_grade": "2",
            "ip_grade": "1",
        },
        "/episodes/{episode_id}/wound-measurement": {
            "wound_id": "new",
            "label": f"matrix wound {next(MRNS)}",
            "location": "hallux",
            "measured_on": on,
            "length_cm": "1",
            "width_cm": "1",
        },
        "/episodes/{episode_id}/assessment": {"assessed_on": on, "presentation": "rest_pain"},
        # No such snapshot: refused as a form problem (422), never another episode's staging.
        "/episodes/{episode_id}/staging/confirm": {"snapshot_id": "999999", "version": "1"},
        "/episodes/{episode_id}/staging/override": {
            "snapshot_id": "999999",
            "version": "1",
            "reason": "matrix",
            "wifi_stage": "2",
        },
    }


def care_bodies() -> dict[str, dict[str, Any]]:
    """Chart care and outcome forms (recommendations, tasks, appointments, team, procedures,
    events, follow-up) of the seeded records."""
    return {
        "/episodes/{episode_id}/recommendations/refresh": {},
        "/recommendations/{recommendation_id}/accept": {"version": "1"},
        "/recommendations/{recommendation_id}/override": {"version": "1", "reason": "declined"},
        "/episodes/{episode_id}/tasks": {
            "title": "Call the patient",
            "owner_role": "coordinator",
            "urgency": "soon",
        },
        # A stale version: the access check and the service answer, the task stays open.
        "/tasks/{task_id}/complete": {"version": "999"},
        "/tasks/{task_id}/cancel": {"version": "999", "reason": "matrix"},
        "/episodes/{episode_id}/appointments": {
            "clinic": "Wound clinic",
            "starts_on": "2026-03-01",
            "starts_time": "09:00",
            "purpose": "dressing",
        },
        "/episodes/{episode_id}/team": {
            "role": "podiatrist_foot_surgeon",
            "person_name": "Dr Foot",
        },
        "/team-members/{member_id}/remove": {},
        "/patients/{patient_id}/procedures": {
            "side": "left",
            "performed_on": "2026-02-03",
            "kind": "debridement",
        },
        "/patients/{patient_id}/events": {"kind": "readmission", "occurred_on": "2026-02-04"},
        # No episode chosen: refused by the form (422) once access is granted.
        "/patients/{patient_id}/follow-ups": {"seen_on": "2026-02-05", "contact": "telephone"},
    }


def call(client: TestClient, method: str, path: str, csrf: str, raw: str) -> Any:
    api = path.startswith("/api/")
    headers = {"accept": "application/json" if api else "text/html"}
    if csrf:
        headers["x-csrf-token"] = csrf
    body = body_for(method, raw)
    return client.request(
        method,
        path,
        headers=headers,
        json=body if api else None,
        data=body if not api else None,
        follow_redirects=False,
    )


def allowed(policy: str, role: Role) -> bool:
    if policy in {"public", "signed_in"}:
        return True
    permissions = policy.removeprefix("permission:").split("|")  # "a|b": either will do
    return any(Permission(p) in ROLE_PERMISSIONS[role] for p in permissions)


@dataclass
class Signed:
    client: TestClient
    csrf: str


@pytest.fixture(scope="module")
def clients(seeded_engine: tuple[Engine, Seeded]) -> Iterator[dict[str | None, Signed]]:
    """One signed-in client per account for the whole module (sign-in hashes are slow)."""
    app = create_app(Settings(env="demo"), engine=seeded_engine[0])
    made: dict[str | None, Signed] = {}
    opened = []
    for name in [None, *USERS]:
        client = TestClient(app, raise_server_exceptions=True)
        client.__enter__()
        opened.append(client)
        made[name] = Signed(client, sign_in(client, name) if name else "")
    yield made
    for client in opened:
        client.__exit__(None, None, None)


def check_anonymous(client: TestClient, method: str, path: str, raw: str, policy: str) -> None:
    """Public routes answer, pages send to sign-in, the API says 401."""
    response = call(client, method, path, "", raw)
    if raw in SELF_PROTECTED and method in UNSAFE:
        assert response.status_code == 403  # no form token
    elif policy == "public":
        assert response.status_code not in {401, 403}, response.text
    elif raw.startswith("/api/"):
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthenticated"
    else:
        assert response.status_code == 303
        assert response.headers["location"].startswith("/signin?next=")


def needs_session_csrf(method: str, raw: str, policy: str) -> bool:
    """State-changing routes of signed-in users."""
    return (
        method in UNSAFE and policy != "public" and raw not in NOT_STATE_CHANGING | SELF_PROTECTED
    )


@pytest.mark.parametrize(("method", "path", "policy"), TABLE)
def test_matrix(
    clients: dict[str | None, Signed], seeded: Seeded, method: str, path: str, policy: str
) -> None:
    own = concrete(path, seeded)
    check_anonymous(clients[None].client, method, own, path, policy)
    for name, (role, _) in USERS.items():
        signed = clients[name]
        response = call(signed.client, method, own, signed.csrf, path)
        if path == "/signout":
            signed.csrf = sign_in(signed.client, name)  # signed out: sign in again for the rest
        if path in SELF_PROTECTED and method in UNSAFE:
            assert response.status_code == 403  # the session's token is not the form's
        elif not allowed(policy, role):
            assert response.status_code == 403, (name, response.text)
        elif name.startswith("other_"):
            # Another site's records are not found; routes without ids act on the user's own site.
            if any(f"{{{key}}}" in path for key in seeded.ids["north"]):
                assert response.status_code == 404, (name, response.text)
        else:
            assert response.status_code not in {401, 403, 404}, (name, response.text)
            assert response.status_code < 500
            if needs_session_csrf(method, path, policy):
                forged = call(signed.client, method, own, "", path)
                assert forged.status_code == 403, (name, forged.text)
                assert "csrf_token" in forged.text


def test_lists_show_only_the_users_sites(clients: dict[str | None, Signed], seeded: Seeded) -> None:
    north = clients["clinician"].client.get("/api/v1/patients").json()
    south = clients["other_site"].client.get("/api/v1/patients").json()
    north_ids = {p["id"] for p in north["items"]}
    assert seeded.patient_north in north_ids
    assert seeded.patient_south not in north_ids
    assert {p["site_id"] for p in north["items"]} == {seeded.sites["north"]}
    assert seeded.patient_south in {p["id"] for p in south["items"]}
    assert {p["site_id"] for p in south["items"]} == {seeded.sites["south"]}
    page = clients["other_site"].client.get("/worklist").text
    assert "LovelaceNorth" not in page
    assert "LovelaceSouth" in page


def test_analyst_and_admin_never_see_names(clients: dict[str | None, Signed]) -> None:
    for name in ("analyst", "admin"):
        client = clients[name].client
        for path in ("/worklist", "/patients", "/api/v1/patients"):
            response = client.get(path, headers={"accept": "text/html"})
            assert response.status_code == 403
            assert "Lovelace" not in response.text
