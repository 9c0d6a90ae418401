"""The conference page through HTTP: cases with their triggers, decisions per case, add/remove,
the printable agenda; coordinators manage, clinicians decide, analysts see no names, another
site's cases are not found; every list is audited. SQLite and PostgreSQL."""

import re
from datetime import date

from fastapi import FastAPI
from sqlalchemy import Engine, select

from limbsalvage.db.audit import AuditEntry
from limbsalvage.db.session import make_sessionmaker, unit_of_work
from limbsalvage.patients.models import Episode
from limbsalvage.recommendations import service as recommendations
from tests.support.factories import recommendation
from tests.support.web import CONFERENCE_DAY, Seeded, client_as

DAY = CONFERENCE_DAY.isoformat()


def page_of(client: object, seeded: Seeded, site: str = "north", on: str = DAY) -> object:
    return client.get(f"/conference?site={seeded.sites[site]}&on={on}")  # type: ignore[attr-defined]


def version_of(text: str, case_id: int, action: str) -> str:
    found = re.search(
        rf'action="/conference/cases/{case_id}/{action}">.*?name="version" value="(\d+)"',
        text,
        re.S,
    )
    assert found is not None
    return found.group(1)


def test_clinician_sees_the_cases_with_why_they_are_listed_and_it_is_audited(
    db_app: FastAPI, seeded: Seeded, seeded_engine: tuple[Engine, Seeded]
) -> None:
    with client_as(db_app, "clinician") as (client, _):
        response = page_of(client, seeded)
    assert response.status_code == 200  # type: ignore[attr-defined]
    text = response.text  # type: ignore[attr-defined]
    assert "LovelaceNorth, Ada" in text
    assert "rest pain, no target" in text  # the reason it was added by hand
    assert "LovelaceSouth" not in text
    assert f'action="/conference/cases/{seeded.case_north}/outcome"' in text
    assert "Add a case by hand" not in text  # managing the list is the coordinator's
    with make_sessionmaker(seeded_engine[0])() as db:
        entries = db.scalars(
            select(AuditEntry.detail).where(AuditEntry.entity == "conference_cases")
        ).all()
    assert any(f"agenda {DAY}" in (e or "") for e in entries)


def test_the_flagged_trigger_is_shown(
    db_app: FastAPI, seeded: Seeded, seeded_engine: tuple[Engine, Seeded]
) -> None:
    with unit_of_work(make_sessionmaker(seeded_engine[0])) as db:
        episode = db.get_one(Episode, seeded.episode_north)
        recommendations.recompute_recommendations(
            db=db,
            episode_id=episode.id,
            computed=[
                recommendation(
                    "conference.wifi4",
                    category="conference_review",
                    strategy=None,
                    text="Discuss at the multidisciplinary conference: WIfI clinical stage 4.",
                )
            ],
            engine_version="t",
        )
    with client_as(db_app, "coordinator") as (client, csrf):
        flagged = client.post(
            "/conference/flag",
            data={"csrf_token": csrf, "site": seeded.sites["north"], "conference_on": "2026-02-05"},
            follow_redirects=False,
        )
        assert flagged.status_code == 303
        text = client.get(flagged.headers["location"]).text
    assert "rule conference.wifi4" in text
    assert "WIfI clinical stage 4" in text


def test_coordinator_adds_and_removes_a_case_and_refusals_keep_what_was_typed(
    db_app: FastAPI, seeded: Seeded
) -> None:
    on = "2026-01-22"
    with client_as(db_app, "coordinator") as (client, csrf):
        form = {"csrf_token": csrf, "site": str(seeded.sites["north"]), "conference_on": on}
        refused = client.post(
            "/conference/cases", data={**form, "mrn": "NOBODY-1", "reason": "second look"}
        )
        assert refused.status_code == 422
        assert 'value="NOBODY-1"' in refused.text
        assert 'value="second look"' in refused.text
        assert re.search(r'id="err-add-mrn">no open episode', refused.text)
        missing = client.post("/conference/cases", data={**form, "mrn": "NORTH-1"})
        assert missing.status_code == 422
        assert re.search(r'id="err-add-reason">required', missing.text)
        assert 'value="NORTH-1"' in missing.text
        added = client.post(
            "/conference/cases",
            data={**form, "mrn": "NORTH-1", "reason": "second look"},
            follow_redirects=False,
        )
        assert added.status_code == 303
        again = client.post("/conference/cases", data={**form, "mrn": "NORTH-1", "reason": "x"})
        assert again.status_code == 409
        assert "already added" in again.text
        text = client.get(added.headers["location"]).text
        assert "second look" in text
        case_id = int(re.findall(r'id="case-(\d+)"', text)[0])
        stale = client.post(
            f"/conference/cases/{case_id}/remove", data={"csrf_token": csrf, "version": "99"}
        )
        assert stale.status_code == 409
        removed = client.post(
            f"/conference/cases/{case_id}/remove",
            data={"csrf_token": csrf, "version": version_of(text, case_id, "remove")},
            follow_redirects=False,
        )
        assert removed.status_code == 303
        assert "second look" not in client.get(removed.headers["location"]).text


def test_clinician_records_a_decision_and_a_refused_one_keeps_what_was_typed(
    db_app: FastAPI, seeded: Seeded
) -> None:
    case = seeded.case_north
    with client_as(db_app, "clinician") as (client, csrf):
        text = page_of(client, seeded).text  # type: ignore[attr-defined]
        base = {
            "csrf_token": csrf,
            "version": version_of(text, case, "outcome"),
            "reasons": "no usable vein; foot unsalvageable",
            "attendee_name_0": "Dr Vascular",
            "attendee_role_0": "vascular_surgeon",
        }
        refused = client.post(
            f"/conference/cases/{case}/outcome", data={**base, "decision": "amputation"}
        )
        assert refused.status_code == 422
        assert re.search(
            rf'id="err-l-{case}">required when the decision is amputation', refused.text
        )
        assert 'value="no usable vein; foot unsalvageable"' in refused.text
        assert 'value="Dr Vascular"' in refused.text
        assert re.search(r'<option value="amputation" selected>', refused.text)
        nobody = client.post(
            f"/conference/cases/{case}/outcome",
            data={**base, "decision": "palliation", "attendee_name_0": "", "attendee_role_0": ""},
        )
        assert nobody.status_code == 422
        assert re.search(rf'id="err-a-{case}">\S', nobody.text)
        recorded = client.post(
            f"/conference/cases/{case}/outcome",
            data={**base, "decision": "amputation", "amputation_level": "below_knee"},
            follow_redirects=False,
        )
        assert recorded.status_code == 303
        shown = client.get(recorded.headers["location"]).text
    assert "Decision recorded" in shown
    assert "amputation, level below knee" in shown
    assert "Dr Vascular (vascular surgeon)" in shown


def test_a_future_conference_cannot_be_decided_yet(db_app: FastAPI, seeded: Seeded) -> None:
    with client_as(db_app, "coordinator") as (client, csrf):
        future = date(2099, 1, 1).isoformat()
        client.post(
            "/conference/cases",
            data={
                "csrf_token": csrf,
                "conference_on": future,
                "mrn": "NORTH-1",
                "reason": "planned",
            },
        )
        text = page_of(client, seeded, on=future).text  # type: ignore[attr-defined]
        case_id = int(re.findall(r'id="case-(\d+)"', text)[0])
    with client_as(db_app, "clinician") as (client, csrf):
        refused = client.post(
            f"/conference/cases/{case_id}/outcome",
            data={
                "csrf_token": csrf,
                "version": "1",
                "decision": "reimage",
                "reasons": "needs angiography",
                "attendee_name_0": "Dr A",
                "attendee_role_0": "interventionalist",
            },
        )
    assert refused.status_code == 422
    assert "has not met yet" in refused.text
    assert 'value="needs angiography"' in refused.text


def test_the_printable_agenda(db_app: FastAPI, seeded: Seeded) -> None:
    with client_as(db_app, "coordinator") as (client, _):
        response = client.get(f"/conference/agenda?site={seeded.sites['north']}&on={DAY}")
    assert response.status_code == 200
    assert "Conference agenda: north program" in response.text
    assert "LovelaceNorth, Ada" in response.text
    assert 'class="write-in"' in response.text
    assert "<form" not in response.text.split("<main", 1)[1].split("</main>", 1)[0]


def test_other_site_analyst_and_bad_input(db_app: FastAPI, seeded: Seeded) -> None:
    with client_as(db_app, "other_site") as (client, csrf):
        assert page_of(client, seeded, site="north").status_code == 404  # type: ignore[attr-defined]
        own = client.get(f"/conference?on={DAY}").text
        assert "LovelaceSouth" in own
        assert "LovelaceNorth" not in own
        outcome = client.post(
            f"/conference/cases/{seeded.case_north}/outcome",
            data={"csrf_token": csrf, "version": "1", "decision": "reimage"},
        )
        assert outcome.status_code == 404
        assert "LovelaceNorth" not in outcome.text
    with client_as(db_app, "analyst") as (client, _):
        for path in ("/conference", "/conference/agenda"):
            response = client.get(path, headers={"accept": "text/html"})
            assert response.status_code == 403
            assert "Lovelace" not in response.text
    with client_as(db_app, "coordinator") as (client, csrf):
        bad_day = client.get("/conference?on=not-a-date", headers={"accept": "text/html"})
        assert bad_day.status_code == 422
        no_day = client.post(
            "/conference/flag", data={"csrf_token": csrf, "conference_on": "31/12/2026"}
        )
        assert no_day.status_code == 422
        assert "a date (YYYY-MM-DD)" in no_day.text
        no_site = client.post(
            "/conference/flag", data={"csrf_token": csrf, "site": "abc", "conference_on": DAY}
        )
        assert no_site.status_code == 404
