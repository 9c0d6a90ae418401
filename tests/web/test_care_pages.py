"""The chart's recommendations, tasks, appointments and team through HTTP (issues 4 and 6).

Recommendations are stored through the registry's own recompute with the factory's GVG row
(Conte MS et al. J Vasc Surg 2019;69:3S–125S, recommendation 6.9, as `tests/support/factories`
cites it); the pages must show that basis and act through the services.
"""

import itertools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.accounts.models import Site
from limbsalvage.care.models import Appointment, CareTask, CareTeamMember
from limbsalvage.core.vocabulary import (
    CareSetting,
    EpisodeCause,
    RecommendationState,
    Sex,
    Side,
    TaskStatus,
    Urgency,
)
from limbsalvage.db.audit import AuditEntry
from limbsalvage.db.session import unit_of_work
from limbsalvage.patients import service
from limbsalvage.patients.models import Episode, Patient
from limbsalvage.patients.schemas import EpisodeCreate, PatientCreate
from limbsalvage.recommendations import service as recommendations
from limbsalvage.recommendations.models import StoredRecommendation
from tests.support.factories import make_measurement, make_wound, recommendation
from tests.support.web import Seeded, client_as

HTMX = {"hx-request": "true"}
MRNS = itertools.count(1)
DISCUSSION = recommendation(
    "gvg.amputation.discussion",
    category="amputation_discussion",
    urgency=Urgency.SOON,
    strategy=None,
    text="Discuss primary amputation or palliation with the patient and family.",
    rationale="Non-ambulatory patient with very limited life expectancy.",
    citation="Conte MS et al. Global Vascular Guidelines 2019, recommendation 1.4",
    missing=(),
    discussion=True,
)


def new_episode(app: FastAPI, seeded: Seeded, *, with_discussion: bool = False) -> tuple[int, int]:
    """A north patient with an open CLTI episode and its stored recommendations."""
    with unit_of_work(app.state.sessionmaker) as db:
        patient = service.create_patient(
            db=db,
            site_id=seeded.sites["north"],
            patient_in=PatientCreate(
                mrn=f"CARE-{next(MRNS)}",
                given_name="Mary",
                family_name="Seacole",
                birth_date=date(1945, 11, 23),
                sex=Sex.FEMALE,
            ),
        )
        episode = service.open_episode(
            db=db,
            patient_id=patient.id,
            episode_in=EpisodeCreate(
                side=Side.RIGHT,
                cause=EpisodeCause.CLTI,
                presented_on=date(2026, 1, 5),
                setting=CareSetting.OUTPATIENT,
            ),
        )
        computed = [recommendation(), *([DISCUSSION] if with_discussion else [])]
        recommendations.recompute_recommendations(
            db=db, episode_id=episode.id, computed=computed, engine_version="test"
        )
        return patient.id, episode.id


def post(
    client: TestClient, csrf: str, path: str, data: dict[str, str], htmx: bool = True
) -> httpx.Response:
    """A form post as htmx sends it (or as a browser without scripts does)."""
    headers = {"x-csrf-token": csrf, "accept": "text/html", **(HTMX if htmx else {})}
    response: httpx.Response = client.post(path, data=data, headers=headers, follow_redirects=False)
    return response


def current(app: FastAPI, episode_id: int, rule_id: str = "gvg.revasc.avg") -> StoredRecommendation:
    with Session(app.state.engine) as db:
        row = db.scalar(
            select(StoredRecommendation).where(
                StoredRecommendation.episode_id == episode_id,
                StoredRecommendation.rule_id == rule_id,
                StoredRecommendation.superseded_at.is_(None),
            )
        )
        assert row is not None
        return row


def tasks_of(app: FastAPI, episode_id: int) -> list[CareTask]:
    with Session(app.state.engine) as db:
        return list(db.scalars(select(CareTask).where(CareTask.episode_id == episode_id)))


def test_the_chart_shows_each_recommendation_with_its_basis(
    db_app: FastAPI, seeded: Seeded
) -> None:
    patient_id, episode_id = new_episode(db_app, seeded, with_discussion=True)
    with client_as(db_app, "clinician") as (client, _):
        html = client.get(f"/patients/{patient_id}").text
    section = html[html.index(f'id="care-{episode_id}"') :]
    assert "revascularization" in section
    assert "urgent" in section
    assert "strategy: endovascular" in section
    assert "WIfI stage 3 with GLASS stage I in an average-risk patient." in section
    assert "Global Vascular Guidelines 2019, recommendation 6.9" in section
    assert "toe pressure mmhg" in section  # missing data, named
    assert "gvg.revasc.avg" in section  # the rule that fired
    # Amputation is a topic for a shared decision, never an order.
    assert "for discussion: shared decision, never automatic" in section
    assert "Accept: plan the discussion" in section
    assert 'hx-trigger="limb-restaged from:body"' in section


def test_accepting_creates_the_task_shown_in_the_section(db_app: FastAPI, seeded: Seeded) -> None:
    _, episode_id = new_episode(db_app, seeded)
    row = current(db_app, episode_id)
    with client_as(db_app, "clinician") as (client, csrf):
        response = post(client, csrf, f"/recommendations/{row.id}/accept", {"version": "1"})
    assert response.status_code == 200, response.text
    assert "<h1>" not in response.text  # the section alone
    assert "Recommendation accepted." in response.text
    (task,) = tasks_of(db_app, episode_id)
    assert task.recommendation_id == row.id
    assert task.status is TaskStatus.OPEN
    assert f'id="task-{task.id}"' in response.text
    assert "vascular surgeon" in response.text  # the owner role of a revascularization task
    assert current(db_app, episode_id).state is RecommendationState.ACCEPTED


def test_accepting_without_scripts_redirects_to_the_chart(db_app: FastAPI, seeded: Seeded) -> None:
    patient_id, episode_id = new_episode(db_app, seeded)
    row = current(db_app, episode_id)
    with client_as(db_app, "clinician") as (client, csrf):
        response = post(
            client, csrf, f"/recommendations/{row.id}/accept", {"version": "1"}, htmx=False
        )
        assert response.status_code == 303
        assert response.headers["location"] == f"/patients/{patient_id}#care-{episode_id}"
        chart = client.get(f"/patients/{patient_id}").text
    assert "Accepted by clinician" in chart


def test_an_override_without_a_reason_is_refused_beside_the_field(
    db_app: FastAPI, seeded: Seeded
) -> None:
    _, episode_id = new_episode(db_app, seeded)
    row = current(db_app, episode_id)
    path = f"/recommendations/{row.id}/override"
    with client_as(db_app, "clinician") as (client, csrf):
        partial = post(client, csrf, path, {"version": "1", "reason": "   "})
        page = post(client, csrf, path, {"version": "1"}, htmx=False)
    for response in (partial, page):
        assert response.status_code == 422, response.text
        assert re.search(rf'id="override-{row.id}-err">required: say why', response.text)
        assert '<details class="override" open>' in response.text
    assert "<h1>" in page.text
    assert current(db_app, episode_id).state is RecommendationState.PENDING


def test_an_override_records_the_reason_and_cancels_the_task(
    db_app: FastAPI, seeded: Seeded
) -> None:
    _, episode_id = new_episode(db_app, seeded)
    row = current(db_app, episode_id)
    with client_as(db_app, "clinician") as (client, csrf):
        post(client, csrf, f"/recommendations/{row.id}/accept", {"version": "1"})
        response = post(
            client,
            csrf,
            f"/recommendations/{row.id}/override",
            {"version": "2", "reason": "Patient declines any intervention"},
        )
    assert response.status_code == 200, response.text
    assert "“Patient declines any intervention”" in response.text
    stored = current(db_app, episode_id)
    assert stored.state is RecommendationState.OVERRIDDEN
    assert stored.override_reason == "Patient declines any intervention"
    (task,) = tasks_of(db_app, episode_id)
    assert task.status is TaskStatus.CANCELLED


def test_a_stale_version_is_409_and_the_typed_reason_is_kept(
    db_app: FastAPI, seeded: Seeded
) -> None:
    _, episode_id = new_episode(db_app, seeded)
    row = current(db_app, episode_id)
    with client_as(db_app, "clinician") as (client, csrf):
        post(client, csrf, f"/recommendations/{row.id}/accept", {"version": "1"})
        stale = post(
            client, csrf, f"/recommendations/{row.id}/override", {"version": "1", "reason": "no"}
        )
        again = post(client, csrf, f"/recommendations/{row.id}/accept", {"version": "1"})
    assert stale.status_code == 409
    assert ">no</textarea>" in stale.text
    assert "reload" in stale.text or "changed" in stale.text
    assert again.status_code == 409
    assert current(db_app, episode_id).state is RecommendationState.ACCEPTED


def test_recomputing_keeps_answers_and_lists_history(db_app: FastAPI, seeded: Seeded) -> None:
    _, episode_id = new_episode(db_app, seeded)
    row = current(db_app, episode_id)
    with client_as(db_app, "clinician") as (client, csrf):
        post(client, csrf, f"/recommendations/{row.id}/accept", {"version": "1"})
        with unit_of_work(db_app.state.sessionmaker) as db:
            recommendations.recompute_recommendations(
                db=db,
                episode_id=episode_id,
                computed=[recommendation(urgency=Urgency.EMERGENT)],
                engine_version="test",
            )
        html = client.get(f"/episodes/{episode_id}/care", headers=HTMX).text
    assert "Earlier versions and answers (1)" in html
    assert "changed" in html
    new = current(db_app, episode_id)
    assert new.state is RecommendationState.PENDING
    assert f'id="rec-{new.id}"' in html


def test_the_recompute_button_runs_the_pathway_engine(db_app: FastAPI, seeded: Seeded) -> None:
    _, episode_id = new_episode(db_app, seeded)
    with client_as(db_app, "clinician") as (client, csrf):
        response = post(client, csrf, f"/episodes/{episode_id}/recommendations/refresh", {})
    assert response.status_code == 200, response.text
    # The engine's CLTI rules replace the factory's row, which is kept as withdrawn.
    assert "Recommendations recomputed:" in response.text
    assert "Withdrawn: their rule no longer applies (1)" in response.text
    assert "Global Vascular Guidelines" in response.text


def test_coordinators_manage_tasks_with_overdue_marking(db_app: FastAPI, seeded: Seeded) -> None:
    _, episode_id = new_episode(db_app, seeded)
    path = f"/episodes/{episode_id}/tasks"
    with client_as(db_app, "coordinator") as (client, csrf):
        refused = post(client, csrf, path, {"title": "Book duplex", "detail": "left leg"})
        overdue = post(
            client,
            csrf,
            path,
            {"title": "Book duplex", "owner_role": "coordinator", "due_on": "2026-01-10"},
        )
        (task,) = tasks_of(db_app, episode_id)
        done = post(client, csrf, f"/tasks/{task.id}/complete", {"version": "1"})
        cancel = post(client, csrf, f"/tasks/{task.id}/cancel", {"version": "2", "reason": "x"})
    assert refused.status_code == 422
    assert 'value="Book duplex"' in refused.text
    assert 'value="left leg"' in refused.text
    assert re.search(rf'id="c{episode_id}-task-err-owner_role">[^<]+', refused.text)
    assert overdue.status_code == 200, overdue.text
    assert re.search(rf'<tr id="task-{task.id}" class="overdue">', overdue.text)
    assert "overdue" in overdue.text
    assert done.status_code == 200
    assert cancel.status_code == 409  # only open tasks change
    assert tasks_of(db_app, episode_id)[0].status is TaskStatus.DONE


def test_cancelling_a_task_needs_a_reason(db_app: FastAPI, seeded: Seeded) -> None:
    _, episode_id = new_episode(db_app, seeded)
    with client_as(db_app, "coordinator") as (client, csrf):
        post(
            client,
            csrf,
            f"/episodes/{episode_id}/tasks",
            {"title": "Call", "owner_role": "coordinator", "urgency": "soon"},
        )
        (task,) = tasks_of(db_app, episode_id)
        refused = post(client, csrf, f"/tasks/{task.id}/cancel", {"version": "1"})
        cancelled = post(
            client, csrf, f"/tasks/{task.id}/cancel", {"version": "1", "reason": "done by GP"}
        )
    assert refused.status_code == 422
    assert "reason: required" in refused.text
    assert cancelled.status_code == 200
    assert "cancelled: done by GP" in cancelled.text


def test_clinicians_complete_the_care_teams_clinical_tasks(db_app: FastAPI, seeded: Seeded) -> None:
    _, episode_id = new_episode(db_app, seeded)
    with client_as(db_app, "coordinator") as (client, csrf):
        for title, role in (("Debride", "wound_nurse"), ("Call GP", "coordinator")):
            path = f"/episodes/{episode_id}/tasks"
            post(client, csrf, path, {"title": title, "owner_role": role, "urgency": "soon"})
    by_title = {task.title: task for task in tasks_of(db_app, episode_id)}
    clinical, coordination = by_title["Debride"], by_title["Call GP"]
    with client_as(db_app, "clinician") as (client, csrf):
        chart = client.get(f"/episodes/{episode_id}/care", headers=HTMX)
        refused = post(client, csrf, f"/tasks/{coordination.id}/complete", {"version": "1"})
        done = post(client, csrf, f"/tasks/{clinical.id}/complete", {"version": "1"})
    assert f'action="/tasks/{clinical.id}/complete"' in chart.text
    assert f'action="/tasks/{coordination.id}/complete"' not in chart.text
    assert "/cancel" not in chart.text  # cancelling stays with the coordinator
    assert refused.status_code == 403
    assert done.status_code == 200
    assert "Task done." in done.text
    after = {task.title: task for task in tasks_of(db_app, episode_id)}
    assert after["Debride"].status is TaskStatus.DONE
    assert after["Debride"].completed_by_id == seeded.users["clinician"]
    assert after["Call GP"].status is TaskStatus.OPEN


def test_appointments_and_team(db_app: FastAPI, seeded: Seeded) -> None:
    _, episode_id = new_episode(db_app, seeded)
    with client_as(db_app, "coordinator") as (client, csrf):
        bad = post(
            client,
            csrf,
            f"/episodes/{episode_id}/appointments",
            {"clinic": "Foot clinic", "starts_on": "2026-03-01", "starts_time": "9 o'clock"},
        )
        good = post(
            client,
            csrf,
            f"/episodes/{episode_id}/appointments",
            {
                "clinic": "Foot clinic",
                "starts_on": "2026-03-01",
                "starts_time": "09:30",
                "purpose": "offloading",
            },
        )
        added = post(
            client,
            csrf,
            f"/episodes/{episode_id}/team",
            {"role": "wound_nurse", "person_name": "Nurse Nightingale"},
        )
        with Session(db_app.state.engine) as db:
            member = db.scalar(
                select(CareTeamMember).where(CareTeamMember.episode_id == episode_id)
            )
            appointment = db.scalar(select(Appointment).where(Appointment.episode_id == episode_id))
        assert member is not None
        assert appointment is not None
        removed = post(client, csrf, f"/team-members/{member.id}/remove", {})
    assert bad.status_code == 422
    assert 'value="9 o&#39;clock"' in bad.text or "9 o&#x27;clock" in bad.text
    assert "purpose: required" in bad.text
    assert good.status_code == 200
    assert "Foot clinic" in good.text
    assert "2026-03-01 09:30" in good.text  # shown in the site's zone (UTC when none is set)
    assert appointment.purpose == "offloading"
    assert added.status_code == 200
    assert "Nurse Nightingale" in added.text
    assert removed.status_code == 200
    assert "Nurse Nightingale" not in removed.text


@contextmanager
def site_zone(app: FastAPI, seeded: Seeded, zone: str) -> Iterator[None]:
    """The north site keeps its clock in `zone` inside the block, in none again after."""

    def set_zone(name: str | None) -> None:
        with unit_of_work(app.state.sessionmaker) as db:
            site = db.get_one(Site, seeded.sites["north"])
            kept = {k: v for k, v in (site.settings or {}).items() if k != "time_zone"}
            site.settings = {**kept, "time_zone": name} if name else kept

    set_zone(zone)
    try:
        yield
    finally:
        set_zone(None)


def test_task_due_times_show_in_the_sites_zone(db_app: FastAPI, seeded: Seeded) -> None:
    patient_id, episode_id = new_episode(db_app, seeded)
    row = current(db_app, episode_id)
    with Session(db_app.state.engine) as db:
        mrn = db.get_one(Patient, patient_id).mrn
    with site_zone(db_app, seeded, "America/Chicago"):
        with client_as(db_app, "clinician") as (client, csrf):
            post(client, csrf, f"/recommendations/{row.id}/accept", {"version": "1"})
        with client_as(db_app, "coordinator") as (client, csrf):
            added = post(
                client,
                csrf,
                f"/episodes/{episode_id}/tasks",
                {"title": "Book duplex", "owner_role": "coordinator", "due_on": "2026-01-10"},
            )
            assert added.status_code == 200, added.text
            chart = client.get(f"/patients/{patient_id}").text
            worklist = client.get("/worklist", params={"q": mrn}).text
    with client_as(db_app, "coordinator") as (client, _):
        without_zone = client.get(f"/patients/{patient_id}").text
    # Due at the end of the day typed, on the site's clock: 23:59 in Chicago is 05:59 UTC.
    due = '<time datetime="2026-01-11T05:59:00+00:00">'
    assert f"{due}2026-01-10 23:59 America/Chicago</time>" in chart
    assert f"due {due}2026-01-10 23:59 America/Chicago</time>" in worklist
    assert re.search(r"Accepted by clinician on [\d-]+ [\d:]+ America/Chicago", chart)
    assert f"{due}2026-01-11 05:59 UTC</time>" in without_zone  # a site without a zone: UTC
    assert re.search(r"Accepted by clinician on [\d-]+ [\d:]+ UTC", without_zone)
    care = chart[chart.index(f'id="care-{episode_id}"') :].split("<h3>Appointments")[0]
    assert " UTC" not in care


def test_roles_other_sites_and_audit(db_app: FastAPI, seeded: Seeded) -> None:
    _, episode_id = new_episode(db_app, seeded)
    row = current(db_app, episode_id)
    with client_as(db_app, "coordinator") as (client, csrf):
        html = client.get(f"/episodes/{episode_id}/care", headers=HTMX).text
        refused = post(client, csrf, f"/recommendations/{row.id}/accept", {"version": "1"})
    assert "/tasks/" not in html or "Create task" in html  # coordinators get the task forms
    assert "Create task" in html
    assert f"/recommendations/{row.id}/accept" not in html  # but no accept button
    assert refused.status_code == 403
    with client_as(db_app, "clinician") as (client, csrf):
        html = client.get(f"/episodes/{episode_id}/care", headers=HTMX).text
        refused = post(
            client,
            csrf,
            f"/episodes/{episode_id}/tasks",
            {"title": "x", "owner_role": "coordinator", "urgency": "soon"},
        )
        plain = client.get(f"/episodes/{episode_id}/care", follow_redirects=False)
    assert "Create task" not in html
    assert plain.status_code == 303
    assert plain.headers["location"].endswith(f"#care-{episode_id}")
    assert refused.status_code == 403
    with client_as(db_app, "other_site") as (client, csrf):
        assert client.get(f"/episodes/{episode_id}/care", headers=HTMX).status_code == 404
        assert client.get(f"/episodes/{episode_id}/care").status_code == 404
        hidden = post(client, csrf, f"/recommendations/{row.id}/accept", {"version": "1"})
        assert hidden.status_code == 404
    with Session(db_app.state.engine) as db:
        reads = db.scalars(
            select(AuditEntry).where(
                AuditEntry.patient_id == row.patient_id, AuditEntry.action == "read"
            )
        ).all()
    assert "chart care" in {entry.detail for entry in reads}


def client_get_care(app: FastAPI, episode_id: int, name: str = "clinician") -> str:
    with client_as(app, name) as (client, _):
        return client.get(f"/episodes/{episode_id}/care", headers=HTMX).text


def test_facts_form_refuses_field_by_field_keeping_what_was_typed(
    db_app: FastAPI, seeded: Seeded
) -> None:
    _, episode_id = new_episode(db_app, seeded)
    path = f"/episodes/{episode_id}/facts"
    with client_as(db_app, "clinician") as (client, csrf):
        refused = post(
            client,
            csrf,
            path,
            {"usable_gsv": "yes", "perioperative_mortality_pct": "lots"},
        )
        out_of_range = post(client, csrf, path, {"two_year_survival_pct": "150"})
        no_csrf = client.post(path, data={"usable_gsv": "yes"}, headers=HTMX)
    assert refused.status_code == 422
    assert f'id="c{episode_id}-facts" open' in refused.text
    assert re.search(
        rf'id="c{episode_id}-facts-err-perioperative_mortality_pct">must be a finite number',
        refused.text,
    )
    assert 'value="lots"' in refused.text
    assert '<option value="yes" selected>' in refused.text
    assert out_of_range.status_code == 422
    assert re.search(
        rf'id="c{episode_id}-facts-err-two_year_survival_pct">must be a number from 0 to 100',
        out_of_range.text,
    )
    assert no_csrf.status_code == 403
    assert "No fact recorded yet." in client_get_care(db_app, episode_id)


def test_saved_facts_prefill_the_form_with_who_and_when_and_are_reused(
    db_app: FastAPI, seeded: Seeded
) -> None:
    _, episode_id = new_episode(db_app, seeded)
    path = f"/episodes/{episode_id}/facts"
    facts = {"usable_gsv": "yes", "perioperative_mortality_pct": "3", "two_year_survival_pct": "70"}
    with client_as(db_app, "clinician") as (client, csrf):
        stored = post(client, csrf, path, {**facts, "note": "vein mapping 1 March"})
        recompute = post(client, csrf, f"/episodes/{episode_id}/recommendations/refresh", {})
        cleared = post(client, csrf, path, {**facts, "usable_gsv": ""})
    assert stored.status_code == 200, stored.text
    assert "Facts recorded: 3 changed. Recommendations recomputed:" in stored.text
    section = stored.text
    assert re.search(r"<code>usable_gsv</code>.*?<td>yes</td>\s*<td>clinician</td>", section, re.S)
    assert "vein mapping 1 March" in section
    assert 'value="3"' in section  # the form holds the facts in force
    assert '<option value="yes" selected>' in section
    # Each recommendation names the clinician facts it was computed with, who and when.
    assert re.search(r"usable_gsv: yes \(clinician, 20\d\d-\d\d-\d\d \d\d:\d\d UTC\)", section)
    # A recompute without facts uses the stored ones: nothing changes.
    assert recompute.status_code == 200
    assert "0 new, 0 changed (answer again), 0 withdrawn" in recompute.text
    assert cleared.status_code == 200
    assert "Facts recorded: 1 changed." in cleared.text
    assert "Fact history (4 entries)" in cleared.text
    assert "cleared (unknown)" in cleared.text
    coordinator = client_get_care(db_app, episode_id, "coordinator")
    assert "<code>two_year_survival_pct</code>" in coordinator  # coordinators read the facts
    assert f'action="/episodes/{episode_id}/facts"' not in coordinator  # but never write them


def test_without_scripts_saving_facts_redirects_to_the_chart(
    db_app: FastAPI, seeded: Seeded
) -> None:
    patient_id, episode_id = new_episode(db_app, seeded)
    with client_as(db_app, "clinician") as (client, csrf):
        saved = post(client, csrf, f"/episodes/{episode_id}/facts", {"usable_gsv": "no"}, False)
        refused = post(client, csrf, f"/episodes/{episode_id}/facts", {"wet_gangrene": "?"}, False)
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/patients/{patient_id}#care-{episode_id}"
    assert refused.status_code == 422
    assert "wet gangrene: must be true or false" in refused.text  # on the whole chart


def measure_4_weeks(app: FastAPI, episode_id: int) -> None:
    """A hallux ulcer of 4 cm² on 6 January and 3 cm² on 3 February: 25% smaller at 4 weeks."""
    with unit_of_work(app.state.sessionmaker) as db:
        wound = make_wound(db, db.get_one(Episode, episode_id))
        for on, area in ((date(2026, 1, 6), 4.0), (date(2026, 2, 3), 3.0)):
            make_measurement(
                db, wound, measured_on=on, length_cm=None, width_cm=None, area_cm2=area
            )


def test_a_fact_the_wound_measurements_now_give_is_shown_not_used(
    db_app: FastAPI, seeded: Seeded
) -> None:
    _, episode_id = new_episode(db_app, seeded)
    path = f"/episodes/{episode_id}/facts"
    with client_as(db_app, "clinician") as (client, csrf):
        stored = post(client, csrf, path, {"wound_area_reduction_4wk_pct": "60"})
    assert stored.status_code == 200, stored.text
    measure_4_weeks(db_app, episode_id)
    with client_as(db_app, "clinician") as (client, csrf):
        resent = post(client, csrf, path, {"wound_area_reduction_4wk_pct": "60"})
        refused = post(client, csrf, path, {"wound_area_reduction_4wk_pct": "40"})
    assert resent.status_code == 200  # the form re-sending the value in force still saves
    assert (
        "not used: the wound measurements (wound &#39;hallux ulcer&#39;: 4-week area reduction) "
        "is used instead"
    ) in resent.text
    assert refused.status_code == 422
    assert re.search(
        rf'id="c{episode_id}-facts-err-wound_area_reduction_4wk_pct">comes from the wound '
        "measurements",
        refused.text,
    )
