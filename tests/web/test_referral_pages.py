"""The public referral form and the triage queue: intake to patient, limb and episode."""

import re
from datetime import UTC
from pathlib import Path
from zoneinfo import ZoneInfo

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from limbsalvage.accounts.models import ThrottleEvent
from limbsalvage.referrals.models import Referral
from limbsalvage.settings import Settings
from limbsalvage.web.app import create_app
from tests.support.web import Seeded, client_as
from tests.web.test_care_pages import site_zone

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
REFERENCE = re.compile(r'class="reference">([A-Z0-9]+)<')


def referral(client: TestClient, **changes: str) -> object:
    form = client.get("/referral")
    token = CSRF.search(form.text)
    assert token is not None
    data = {
        "csrf_token": token.group(1),
        "site": "north",
        "source": "self_referral",
        "given_name": "Edith",
        "family_name": "Cavell",
        "patient_contact": "555-0100",
        "reason": "ulcer on the left heel for 6 weeks",
        "urgency_requested": "soon",
        "side": "left",
        **changes,
    }
    return client.post("/referral", data=data)


def test_public_referral_needs_no_sign_in_and_gives_a_reference(db_app: FastAPI) -> None:
    with TestClient(db_app) as client:
        response = referral(client)
        assert response.status_code == 200  # type: ignore[attr-defined]
        assert REFERENCE.search(response.text)  # type: ignore[attr-defined]
        # The same receipt whatever the MRN: nothing about other patients is revealed.
        known = referral(client, mrn="NORTH-1")
        unknown = referral(client, mrn="NOBODY-9")
        for answer in (known, unknown):
            text = REFERENCE.sub("", answer.text)  # type: ignore[attr-defined]
            assert "LovelaceNorth" not in text
        assert (
            REFERENCE.sub("", known.text).replace("\n", "")[:200]
            == REFERENCE.sub(  # type: ignore[attr-defined]
                "",
                unknown.text,  # type: ignore[attr-defined]
            ).replace("\n", "")[:200]
        )


def test_a_refused_referral_keeps_what_was_typed(db_app: FastAPI) -> None:
    with TestClient(db_app) as client:
        response = referral(client, reason="", patient_contact="", given_name="Edith")
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert 'value="Edith"' in response.text  # type: ignore[attr-defined]
    assert re.search(r'id="err-reason">Field required', response.text)  # type: ignore[attr-defined]


def test_referrals_are_rate_limited(db_app: FastAPI) -> None:
    db_app.state.referrals_per_hour = 2
    with TestClient(db_app) as client:
        assert referral(client).status_code == 200  # type: ignore[attr-defined]
        assert referral(client).status_code == 200  # type: ignore[attr-defined]
        limited = referral(client)
    assert limited.status_code == 429  # type: ignore[attr-defined]
    assert limited.json()["error"] == {  # type: ignore[attr-defined]
        "status": 429,
        "code": "too_many_requests",
        "message": "too many referrals from here; try again later or telephone the program",
        "fields": [],
    }
    assert 0 < int(limited.headers["retry-after"]) <= 3601  # type: ignore[attr-defined]


def test_the_rate_limit_survives_a_new_application_on_the_same_database(
    db_app: FastAPI, seeded_engine: tuple[Engine, Seeded], tmp_path: Path
) -> None:
    db_app.state.referrals_per_hour = 2
    with TestClient(db_app, client=("10.0.3.1", 50000)) as client:
        referral(client)
        # A refused form counts too, as does a program that is not one of the form's.
        refused = referral(client, site="nowhere")
        assert refused.status_code == 422  # type: ignore[attr-defined]
        assert re.search(r'id="err-site">choose the program', refused.text)  # type: ignore[attr-defined]
    # A restart, or a second worker process: a new application on the same database.
    restarted = create_app(Settings(env="demo", data_dir=tmp_path), engine=seeded_engine[0])
    restarted.state.referrals_per_hour = 2
    with TestClient(restarted, client=("10.0.3.1", 50000)) as same:
        assert referral(same).status_code == 429  # type: ignore[attr-defined]
    with TestClient(restarted, client=("10.0.3.2", 50000)) as other:
        assert referral(other).status_code == 200  # type: ignore[attr-defined]
    with Session(seeded_engine[0]) as db:
        stored = db.scalars(select(ThrottleEvent.key_hash)).all()
    assert len(stored) == 3  # digests only: no address in clear
    assert not any("10.0.3" in key_hash for key_hash in stored)


def test_triage_then_convert_into_a_patient(db_app: FastAPI, seeded: Seeded) -> None:
    with TestClient(db_app) as public:
        referral(public, family_name="Triaged", mrn="REF-77")
    with client_as(db_app, "coordinator") as (client, csrf):
        queue = client.get("/triage").text
        assert "Triaged, Edith" in queue
        match = re.search(r'id="referral-(\d+)">\s*<h2>Triaged, Edith', queue)
        assert match is not None
        referral_id = match.group(1)
        version = re.search(
            rf'action="/triage/{referral_id}".*?name="version" value="(\d+)"', queue, re.S
        )
        assert version is not None
        done = client.post(
            f"/triage/{referral_id}",
            data={"csrf_token": csrf, "version": version.group(1), "priority": "urgent"},
            follow_redirects=False,
        )
        assert done.status_code == 303
        queue = client.get("/triage").text
        version = re.search(
            rf'action="/triage/{referral_id}/convert".*?name="version" value="(\d+)"', queue, re.S
        )
        assert version is not None
        converted = client.post(
            f"/triage/{referral_id}/convert",
            data={
                "csrf_token": csrf,
                "version": version.group(1),
                "sex": "female",
                "birth_date": "1948-03-02",
                "cause": "diabetic_foot",
                "setting": "outpatient",
                "presented_on": "2026-02-01",
            },
            follow_redirects=False,
        )
        assert converted.status_code == 303, converted.text
        chart = client.get(converted.headers["location"]).text
        assert "REF-77" in chart
        assert "diabetic foot" in chart
        assert "Triaged, Edith" not in client.get("/triage").text


def test_the_queue_shows_when_each_referral_arrived_on_its_sites_clock(
    db_app: FastAPI, seeded: Seeded
) -> None:
    with TestClient(db_app) as public:
        referral(public, family_name="Zoned")
        referral(public, family_name="Unzoned", site="south")
    with Session(db_app.state.engine) as db:
        arrived = dict(
            db.execute(
                select(Referral.family_name, Referral.received_at).where(
                    Referral.family_name.in_(["Zoned", "Unzoned"])
                )
            ).all()
        )
    with (
        site_zone(db_app, seeded, "America/Chicago"),
        client_as(db_app, "coordinator") as (
            client,
            _,
        ),
    ):
        north = client.get("/triage").text
    with client_as(db_app, "other_coordinator") as (client, _):
        south = client.get("/triage").text
    zoned, unzoned = arrived["Zoned"], arrived["Unzoned"]
    local = zoned.astimezone(ZoneInfo("America/Chicago")).strftime("%Y-%m-%d %H:%M")
    assert f'<time datetime="{zoned.isoformat()}">{local} America/Chicago</time>' in north
    utc = unzoned.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
    assert f'<time datetime="{unzoned.isoformat()}">{utc} UTC</time>' in south  # no zone set


def test_clinician_sees_the_queue_but_cannot_decide(db_app: FastAPI) -> None:
    with client_as(db_app, "clinician") as (client, _):
        queue = client.get("/triage")
        assert queue.status_code == 200
        assert "Register and open episode" not in queue.text


def _queued(client: TestClient, family_name: str) -> tuple[str, str]:
    """The referral id and version of `family_name`'s referral in the triage queue."""
    queue = client.get("/triage").text
    match = re.search(rf'id="referral-(\d+)">\s*<h2>{family_name}, Edith', queue)
    assert match is not None
    referral_id = match.group(1)
    version = re.search(
        rf'action="/triage/{referral_id}".*?name="version" value="(\d+)"', queue, re.S
    )
    assert version is not None
    return referral_id, version.group(1)


def test_a_refused_conversion_keeps_what_was_typed(db_app: FastAPI) -> None:
    with TestClient(db_app) as public:
        referral(public, family_name="Refilled", mrn="REF-88")
    with client_as(db_app, "coordinator") as (client, csrf):
        referral_id, version = _queued(client, "Refilled")
        refused = client.post(
            f"/triage/{referral_id}/convert",
            data={
                "csrf_token": csrf,
                "version": version,
                "sex": "female",
                "birth_date": "1948-13-45",  # no such date
                "cause": "diabetic_foot",
                "setting": "outpatient",
                "presented_on": "2026-02-01",
            },
            follow_redirects=False,
        )
    assert refused.status_code == 422
    page = refused.text
    section = page[page.index(f'id="referral-{referral_id}"') :]
    assert "<details open>" in section.split("Decline")[0]
    assert f'id="c{referral_id}-birth_date"' in section
    assert 'value="1948-13-45"' in section  # the typed value comes back
    assert re.search(rf'id="ce{referral_id}-birth_date">[^<]+<', section)  # with its message
    assert '<option value="diabetic_foot" selected>' in section
    assert 'value="2026-02-01"' in section
    assert 'role="alert"' in page


def test_a_decline_without_reason_is_refused_beside_the_field(db_app: FastAPI) -> None:
    with TestClient(db_app) as public:
        referral(public, family_name="Unreasoned")
    with client_as(db_app, "coordinator") as (client, csrf):
        referral_id, version = _queued(client, "Unreasoned")
        refused = client.post(
            f"/triage/{referral_id}/decline",
            data={"csrf_token": csrf, "version": version, "reason": "   "},
            follow_redirects=False,
        )
        assert refused.status_code == 422
        assert re.search(rf'id="de-{referral_id}">[^<]*required', refused.text, re.I)
        still = client.get("/triage").text
    assert "Unreasoned, Edith" in still  # nothing was decided


def test_a_triage_without_priority_keeps_the_note(db_app: FastAPI) -> None:
    with TestClient(db_app) as public:
        referral(public, family_name="Unprioritised")
    with client_as(db_app, "coordinator") as (client, csrf):
        referral_id, version = _queued(client, "Unprioritised")
        refused = client.post(
            f"/triage/{referral_id}",
            data={"csrf_token": csrf, "version": version, "note": "seen in ED, cold foot"},
            follow_redirects=False,
        )
    assert refused.status_code == 422
    assert 'value="seen in ED, cold foot"' in refused.text
    assert re.search(rf'id="pe-{referral_id}">[^<]+<', refused.text)
