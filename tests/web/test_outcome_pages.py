"""Procedures, outcome events and follow-up on the chart through HTTP (issue 6).

The rules checked are the registry's (`limbsalvage.core.timeline`): nothing dated after a death,
a bypass needs its conduit, VascuQoL-6 all six answers or none (de Vries M et al. J Vasc Surg
2005 via the registry's table `VASCUQOL6_TABLE`), one death per patient.
"""

import itertools
import re
from datetime import date

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from limbsalvage.core.vocabulary import CareSetting, EpisodeCause, Sex, Side
from limbsalvage.db.session import unit_of_work
from limbsalvage.events.models import FollowUp, OutcomeEvent
from limbsalvage.patients import service
from limbsalvage.patients.models import Episode, Patient
from limbsalvage.patients.schemas import EpisodeCreate, PatientCreate
from limbsalvage.procedures.models import Graft, Procedure, TreatedSegment
from tests.support.web import Seeded, client_as

MRNS = itertools.count(1)
BYPASS = {
    "side": "left",
    "performed_on": "2026-01-20",
    "kind": "bypass",
    "conduit": "great_saphenous_vein",
    "technical_success": "yes",
    "segment": "superficial_femoral",
    "lesion_length_cm": "12",
    "inflow_segment": "common_femoral",
    "outflow_segment": "popliteal",
    "index_procedure": "yes",
}


def new_patient(app: FastAPI, seeded: Seeded) -> tuple[int, int]:
    """A north patient with an open CLTI episode of the left limb: (patient, episode)."""
    with unit_of_work(app.state.sessionmaker) as db:
        patient = service.create_patient(
            db=db,
            site_id=seeded.sites["north"],
            patient_in=PatientCreate(
                mrn=f"OUT-{next(MRNS)}",
                given_name="Elizabeth",
                family_name="Blackwell",
                birth_date=date(1941, 2, 3),
                sex=Sex.FEMALE,
            ),
        )
        episode = service.open_episode(
            db=db,
            patient_id=patient.id,
            episode_in=EpisodeCreate(
                side=Side.LEFT,
                cause=EpisodeCause.CLTI,
                presented_on=date(2026, 1, 5),
                setting=CareSetting.INPATIENT,
            ),
        )
        return patient.id, episode.id


def post(client: TestClient, csrf: str, path: str, data: dict[str, str]) -> httpx.Response:
    """A plain form post (the outcome forms do not use htmx)."""
    headers = {"x-csrf-token": csrf, "accept": "text/html"}
    response: httpx.Response = client.post(path, data=data, headers=headers, follow_redirects=False)
    return response


def limb_timeline(html: str, side: str = "left") -> str:
    found = re.search(
        rf'<ol class="timeline limb-timeline" id="limb-timeline-{side}">(.*?)</ol>', html, re.S
    )
    assert found is not None
    return re.sub(r"\s+", " ", found.group(1))


def count(app: FastAPI, model: type, patient_id: int) -> int:
    with Session(app.state.engine) as db:
        return (
            db.scalar(select(func.count()).select_from(model).where(model.patient_id == patient_id))
            or 0
        )


def test_a_procedure_with_segment_and_graft_joins_the_limb_timeline(
    db_app: FastAPI, seeded: Seeded
) -> None:
    patient_id, episode_id = new_patient(db_app, seeded)
    with client_as(db_app, "clinician") as (client, csrf):
        stored = post(
            client,
            csrf,
            f"/patients/{patient_id}/procedures",
            {**BYPASS, "episode_id": str(episode_id)},
        )
        assert stored.status_code == 303, stored.text
        assert stored.headers["location"] == f"/patients/{patient_id}#outcomes"
        amputation = post(
            client,
            csrf,
            f"/patients/{patient_id}/procedures",
            {
                "side": "left",
                "performed_on": "2026-02-10",
                "kind": "amputation",
                "amputation_level": "below_knee",
            },
        )
        assert amputation.status_code == 303, amputation.text
        html = client.get(f"/patients/{patient_id}").text
    timeline = limb_timeline(html)
    assert "2026-01-20" in timeline
    assert "bypass; conduit great saphenous vein; segment superficial femoral" in timeline
    assert "graft common femoral to popliteal; technical success; index procedure" in timeline
    # The amputation procedure owns its event (major: below knee, by the registry's table).
    assert "amputation; at below knee level; counts as major amputation" in timeline
    with Session(db_app.state.engine) as db:
        episode = db.get_one(Episode, episode_id)
        assert episode.index_procedure_id is not None


def test_a_refused_procedure_keeps_what_was_typed(db_app: FastAPI, seeded: Seeded) -> None:
    patient_id, _ = new_patient(db_app, seeded)
    typed = {**BYPASS, "conduit": "", "lesion_length_cm": "two hundred"}
    with client_as(db_app, "clinician") as (client, csrf):
        response = post(client, csrf, f"/patients/{patient_id}/procedures", typed)
    assert response.status_code == 422, response.text
    html = response.text
    assert 'id="out-procedure" open' in html
    assert 'id="out-procedure-err-conduit">required for a bypass' in html
    assert re.search(r'id="out-procedure-err-lesion_length_cm">[^<]*valid number', html)
    assert re.search(r'id="out-procedure-err-episode_id">choose the episode', html)
    assert 'value="two hundred"' in html
    assert 'value="2026-01-20"' in html
    assert re.search(r'<option value="superficial_femoral" selected>', html)
    assert count(db_app, Procedure, patient_id) == 0  # nothing half-written


def test_an_event_after_death_is_refused_beside_its_date(db_app: FastAPI, seeded: Seeded) -> None:
    patient_id, episode_id = new_patient(db_app, seeded)
    path = f"/patients/{patient_id}/events"
    with client_as(db_app, "clinician") as (client, csrf):
        death = post(
            client,
            csrf,
            path,
            {"kind": "death", "occurred_on": "2026-03-01", "death_cause": "cardiovascular"},
        )
        assert death.status_code == 303, death.text
        later = {
            "kind": "major_amputation",
            "occurred_on": "2026-03-05",
            "side": "left",
            "amputation_level": "above_knee",
            "episode_id": str(episode_id),
            "description": "done elsewhere",
        }
        refused = post(client, csrf, path, later)
        again = post(
            client,
            csrf,
            path,
            {"kind": "death", "occurred_on": "2026-03-01", "death_cause": "undetermined"},
        )
        chart = client.get(f"/patients/{patient_id}").text
    assert refused.status_code == 422, refused.text
    message = "must not be after the patient&#39;s death_date"
    assert f'id="out-event-err-occurred_on">{message}' in refused.text
    assert 'value="2026-03-05"' in refused.text
    assert 'value="done elsewhere"' in refused.text
    assert '<option value="above_knee" selected>' in refused.text
    assert again.status_code == 409
    assert re.search(r'id="out-event-err-kind">the patient already has a death event', again.text)
    assert "death (cardiovascular)" in chart
    with Session(db_app.state.engine) as db:
        assert db.get_one(Patient, patient_id).death_date == date(2026, 3, 1)
    assert count(db_app, OutcomeEvent, patient_id) == 1


def test_a_loss_of_patency_names_its_graft_or_segment(db_app: FastAPI, seeded: Seeded) -> None:
    patient_id, episode_id = new_patient(db_app, seeded)
    path = f"/patients/{patient_id}/events"
    with client_as(db_app, "clinician") as (client, csrf):
        bypass = {**BYPASS, "episode_id": str(episode_id)}
        assert post(client, csrf, f"/patients/{patient_id}/procedures", bypass).status_code == 303
        with Session(db_app.state.engine) as db:
            graft_id = db.scalar(select(Graft.id).where(Graft.patient_id == patient_id))
            segment_id = db.scalar(
                select(TreatedSegment.id).where(TreatedSegment.patient_id == patient_id)
            )
        form = client.get(f"/patients/{patient_id}").text
        occluded = {"kind": "loss_of_patency", "occurred_on": "2026-02-20", "side": "left"}
        wrong_side = post(
            client, csrf, path, {**occluded, "side": "right", "graft_id": f"{graft_id}"}
        )
        both = post(
            client,
            csrf,
            path,
            {**occluded, "graft_id": str(graft_id), "treated_segment_id": str(segment_id)},
        )
        stored = post(client, csrf, path, {**occluded, "graft_id": str(graft_id)})
        chart = client.get(f"/patients/{patient_id}").text
    label = "left bypass 2026-01-20: common femoral to popliteal"
    assert f'<option value="{graft_id}" >{label}</option>' in form
    assert re.search(rf'<option value="{segment_id}" >left bypass 2026-01-20: superficial', form)
    assert wrong_side.status_code == 422
    assert 'id="out-event-err-graft_id">is not on this limb' in wrong_side.text
    assert f'<option value="{graft_id}" selected>' in wrong_side.text  # what was chosen stays
    assert both.status_code == 422
    assert 'id="out-event-err-graft_id">give at most one of graft_id or treated_segment_id' in (
        both.text
    )
    assert stored.status_code == 303, stored.text
    assert f"loss of patency of graft {label}" in limb_timeline(chart)
    with Session(db_app.state.engine) as db:
        event = db.scalar(select(OutcomeEvent).where(OutcomeEvent.patient_id == patient_id))
        assert event is not None
        assert (event.graft_id, event.treated_segment_id) == (graft_id, None)


def test_follow_up_with_vascuqol6(db_app: FastAPI, seeded: Seeded) -> None:
    patient_id, episode_id = new_patient(db_app, seeded)
    path = f"/patients/{patient_id}/follow-ups"
    visit = {
        "episode_id": str(episode_id),
        "seen_on": "2026-04-01",
        "contact": "clinic_visit",
        "ambulatory_status": "independent",
        **{f"vascuqol6_q{n}": "3" for n in range(1, 7)},
    }
    with client_as(db_app, "clinician") as (client, csrf):
        partial = post(client, csrf, path, {**visit, "vascuqol6_q4": "", "vascuqol6_q6": ""})
        stored = post(client, csrf, path, visit)
        html = client.get(f"/patients/{patient_id}").text
    assert partial.status_code == 422
    assert re.search(
        r'id="out-follow-up-err-vascuqol6_q4">VascuQoL-6 needs all six answers or none',
        partial.text,
    )
    assert stored.status_code == 303
    assert "follow-up (clinic visit), independent, VascuQoL-6 total 18 of 24" in limb_timeline(html)
    assert count(db_app, FollowUp, patient_id) == 1


def test_roles_and_other_sites(db_app: FastAPI, seeded: Seeded) -> None:
    patient_id, episode_id = new_patient(db_app, seeded)
    with client_as(db_app, "coordinator") as (client, csrf):
        chart = client.get(f"/patients/{patient_id}").text
        refused = post(client, csrf, f"/patients/{patient_id}/procedures", BYPASS)
    assert "Record a procedure" not in chart  # reads the timelines, no forms
    assert "Procedures and outcomes" in chart
    assert refused.status_code == 403
    with client_as(db_app, "other_site") as (client, csrf):
        hidden = post(
            client,
            csrf,
            f"/patients/{patient_id}/events",
            {"kind": "stroke", "occurred_on": "2026-02-01"},
        )
    assert hidden.status_code == 404
    assert count(db_app, Procedure, patient_id) == 0
    assert count(db_app, OutcomeEvent, patient_id) == 0
    del episode_id
