"""Patients through the API and the pages: pagination, audit of reads, forms, conflicts."""

import re

from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.db.audit import AuditEntry
from tests.support.web import Seeded, client_as


def audit_entries(app: FastAPI, action: str) -> list[AuditEntry]:
    with Session(app.state.engine) as db:
        return list(
            db.scalars(
                select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq)
            )
        )


def test_api_list_is_paged_and_audited(db_app: FastAPI, seeded: Seeded) -> None:
    before = len(audit_entries(db_app, "list"))
    with client_as(db_app, "clinician") as (client, _):
        response = client.get("/api/v1/patients", params={"page_size": 1, "page": 1})
        assert response.status_code == 200
        body = response.json()
        assert body["page"] == 1
        assert body["page_size"] == 1
        assert body["total"] >= 1
        assert len(body["items"]) == 1
        assert client.get("/api/v1/patients", params={"page_size": 500}).status_code == 422
        searched = client.get("/api/v1/patients", params={"search": "lovelacenorth"}).json()
        assert [p["mrn"] for p in searched["items"]] == ["NORTH-1"]
    listed = audit_entries(db_app, "list")
    assert len(listed) > before
    assert listed[-1].detail == f"api patients: {seeded.patient_north}"
    assert "Lovelace" not in (listed[-1].detail or "")


def test_api_read_is_audited_with_the_patient(db_app: FastAPI, seeded: Seeded) -> None:
    with client_as(db_app, "coordinator") as (client, _):
        detail = client.get(f"/api/v1/patients/{seeded.patient_north}").json()
    assert detail["mrn"] == "NORTH-1"
    assert detail["episodes"][0]["cause"] == "clti"
    assert detail["episodes"][0]["wifi_stage"] is None
    read = audit_entries(db_app, "read")[-1]
    assert read.patient_id == seeded.patient_north
    assert read.actor_id == seeded.users["coordinator"]
    assert read.detail == "api patient"


def test_create_then_a_stale_update_is_a_409(db_app: FastAPI) -> None:
    with client_as(db_app, "clinician") as (client, csrf):
        headers = {"x-csrf-token": csrf}
        created = client.post(
            "/api/v1/patients",
            json={
                "mrn": "T-409",
                "given_name": "Mary",
                "family_name": "Seacole",
                "birth_date": "1955-11-23",
                "sex": "female",
            },
            headers=headers,
        )
        assert created.status_code == 201, created.text
        patient = created.json()
        path = f"/api/v1/patients/{patient['id']}"
        first = client.patch(
            path,
            json={"version": patient["version"], "changes": {"bmi_kg_m2": 31}},
            headers=headers,
        )
        assert first.status_code == 200
        stale = client.patch(
            path,
            json={"version": patient["version"], "changes": {"bmi_kg_m2": 29}},
            headers=headers,
        )
        assert stale.status_code == 409
        assert stale.json()["error"]["code"] == "stale_update"
        duplicate = client.post(
            "/api/v1/patients",
            json={
                "mrn": "T-409",
                "given_name": "M",
                "family_name": "S",
                "birth_date": "1955-11-23",
                "sex": "female",
            },
            headers=headers,
        )
        assert duplicate.status_code == 409
        bad = client.post(
            "/api/v1/patients",
            json={
                "mrn": "T-410",
                "given_name": "",
                "family_name": "S",
                "birth_date": "2999-01-01",
                "sex": "robot",
            },
            headers=headers,
        )
        assert bad.status_code == 422
        assert {f["field"] for f in bad.json()["error"]["fields"]} >= {"given_name", "sex"}
        assert "robot" not in bad.text


def test_pages_worklist_chart_and_forms(db_app: FastAPI, seeded: Seeded) -> None:
    with client_as(db_app, "clinician") as (client, csrf):
        worklist = client.get("/worklist", params={"q": "north"}).text
        assert "LovelaceNorth" in worklist
        assert "LovelaceSouth" not in worklist
        assert "not staged" in worklist
        assert "Lovelace" not in client.get("/worklist", params={"cause": "tumour"}).text

        chart = client.get(f"/patients/{seeded.patient_north}")
        assert chart.status_code == 200
        assert "NORTH-1" in chart.text
        assert "Open an episode" in chart.text

        # A refused form keeps what was typed and names each field beside it.
        refused = client.post(
            "/patients/new",
            data={
                "csrf_token": csrf,
                "site_id": str(seeded.sites["north"]),
                "mrn": "F-1",
                "given_name": "Florence",
                "birth_date": "not a date",
                "bmi_kg_m2": "3",
            },
        )
        assert refused.status_code == 422
        assert 'value="Florence"' in refused.text
        assert 'value="not a date"' in refused.text
        assert re.search(r'id="err-family_name">Field required', refused.text)
        assert re.search(
            r'id="err-bmi_kg_m2">Input should be greater than or equal to 8', refused.text
        )
        saved = client.post(
            "/patients/new",
            data={
                "csrf_token": csrf,
                "site_id": str(seeded.sites["north"]),
                "mrn": "F-2",
                "given_name": "Florence",
                "family_name": "Nightingale",
                "birth_date": "1950-05-12",
                "sex": "female",
                "diabetes": "yes",
            },
            follow_redirects=False,
        )
        assert saved.status_code == 303
        chart_path = saved.headers["location"]
        page = client.get(chart_path).text
        assert "Nightingale" in page
        opened = client.post(
            f"{chart_path}/episodes",
            data={
                "csrf_token": csrf,
                "side": "right",
                "cause": "diabetic_foot",
                "presented_on": "2026-02-10",
                "setting": "outpatient",
            },
            follow_redirects=False,
        )
        assert opened.status_code == 303
        assert "diabetic foot" in client.get(chart_path).text
        missing = client.post(f"{chart_path}/episodes", data={"csrf_token": csrf, "side": "left"})
        assert missing.status_code == 422
        assert re.search(r'id="err-cause">Field required', missing.text)


def test_coordinator_reads_but_does_not_write(db_app: FastAPI, seeded: Seeded) -> None:
    with client_as(db_app, "coordinator") as (client, csrf):
        chart = client.get(f"/patients/{seeded.patient_north}").text
        assert "NORTH-1" in chart
        assert "Open an episode" not in chart
        refused = client.post(
            f"/patients/{seeded.patient_north}/episodes",
            data={"csrf_token": csrf, "side": "right"},
            headers={"accept": "text/html"},
        )
        assert refused.status_code == 403
