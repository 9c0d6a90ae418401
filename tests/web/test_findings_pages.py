"""Findings entry on the chart: the limb restaged at once, refusals keep what was typed (issue 6).

Expected grades come from the classification engine itself (`core.wifi.classify_wifi`, Mills JL
et al. J Vasc Surg 2014;59:220–34): the page must show what the engine staged from the findings
entered, with its rule and source. Validity windows: staging/windows.py (perfusion 90 days).
"""

import itertools
import re
from datetime import UTC, date
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from limbsalvage.assessments.models import Assessment, PerfusionStudy
from limbsalvage.core.vocabulary import (
    CareSetting,
    EpisodeCause,
    RecommendationState,
    Sex,
    Side,
    StagingStatus,
)
from limbsalvage.core.wifi import classify_wifi
from limbsalvage.db.audit import AuditEntry
from limbsalvage.db.session import unit_of_work
from limbsalvage.patients import service
from limbsalvage.patients.schemas import EpisodeCreate, PatientCreate
from limbsalvage.recommendations.models import StoredRecommendation
from limbsalvage.staging.models import StagingSnapshot
from limbsalvage.web.findings_forms import FORMS
from limbsalvage.wounds.models import WoundMeasurement
from tests.support.web import Seeded, client_as
from tests.web.test_accessibility import parsed
from tests.web.test_care_pages import site_zone

HTMX = {"hx-request": "true"}
MRNS = itertools.count(1)


def new_episode(
    app: FastAPI, seeded: Seeded, presented_on: date = date(2026, 1, 5)
) -> tuple[int, int]:
    """A new north patient with an open CLTI episode of the left limb: (patient, episode)."""
    with unit_of_work(app.state.sessionmaker) as db:
        patient = service.create_patient(
            db=db,
            site_id=seeded.sites["north"],
            patient_in=PatientCreate(
                mrn=f"FIND-{next(MRNS)}",
                given_name="Florence",
                family_name="Findings",
                birth_date=date(1948, 3, 9),
                sex=Sex.FEMALE,
                diabetes=True,
            ),
        )
        episode = service.open_episode(
            db=db,
            patient_id=patient.id,
            episode_in=EpisodeCreate(
                side=Side.LEFT,
                cause=EpisodeCause.CLTI,
                presented_on=presented_on,
                setting=CareSetting.OUTPATIENT,
            ),
        )
        return patient.id, episode.id


def post(
    client: TestClient, csrf: str, path: str, data: dict[str, str], htmx: bool = True
) -> httpx.Response:
    """A form post of the signed-in client (as htmx sends it, or as a plain browser does)."""
    headers = {"x-csrf-token": csrf, "accept": "text/html", **(HTMX if htmx else {})}
    response: httpx.Response = client.post(path, data=data, headers=headers, follow_redirects=False)
    return response


def grade(html: str, label: str) -> str:
    """The value shown in the staging panel's in-force grades for `label`."""
    found = re.search(rf"<dt>{re.escape(label)}</dt><dd>([^<]*)</dd>", html)
    assert found is not None, f"{label} not shown"
    return found.group(1)


WOUND = {
    "wound_id": "new",
    "label": "hallux ulcer",
    "location": "hallux",
    "measured_on": "2026-02-02",
    "length_cm": "2",
    "width_cm": "1.5",
    "ulcer": "shallow",
    "gangrene": "none",
}
NO_INFECTION = {
    "assessed_on": "2026-02-02",
    "erythema_extent_cm": "0",
    "swelling_or_induration": "no",
    "local_tenderness_or_pain": "no",
    "local_warmth": "no",
    "purulent_discharge": "no",
    "deep_tissue_involvement": "no",
    "sirs_criteria_count": "0",
    "osteomyelitis": "no",
    "suspected_active_charcot": "no",
}


def test_entering_a_perfusion_study_restages_the_limb_in_the_response(
    db_app: FastAPI, seeded: Seeded
) -> None:
    _patient_id, episode_id = new_episode(db_app, seeded)
    with client_as(db_app, "clinician") as (client, csrf):
        wound = post(client, csrf, f"/episodes/{episode_id}/wound-measurement", WOUND)
        assert wound.status_code == 200, wound.text
        infection = post(client, csrf, f"/episodes/{episode_id}/infection-assessment", NO_INFECTION)
        assert infection.status_code == 200, infection.text
        assert "Not staged" in infection.text  # WIfI lacks the ischaemia grade
        assert "perfusion study" in infection.text  # listed as missing for a CLTI episode

        response = post(
            client,
            csrf,
            f"/episodes/{episode_id}/perfusion-study",
            {
                "assessed_on": "2026-02-02",
                "brachial_right_mmhg": "140",
                "dorsalis_pedis_mmhg": "60",
                "posterior_tibial_mmhg": "55",
                "toe_pressure_mmhg": "25",
            },
        )
    assert response.status_code == 200, response.text
    html = response.text
    assert grade(html, "WIfI ischaemia grade (I)") == "3"
    assert grade(html, "WIfI wound grade (W)") == "1"
    assert grade(html, "WIfI foot infection grade (fI)") == "0"
    # Mills 2014 Table II: toe pressure <30 mmHg is I3; the stage is the engine's table cell.
    stage = classify_wifi(wound_grade=1, ischemia_grade=3, infection_grade=0).clinical_stage
    assert grade(html, "WIfI clinical stage") == str(stage)
    assert re.search(rf'id="episode-{episode_id}-stage" hx-swap-oob="true">{stage}<', html)
    assert "Perfusion study recorded." in html
    assert "Staging changed:" in html
    assert "Mills" in html  # the source of the WIfI result
    assert "limb-restaged" in response.headers["hx-trigger"]


def perfusion_count(app: FastAPI, episode_id: int) -> int:
    with Session(app.state.engine) as db:
        return (
            db.scalar(
                select(func.count())
                .select_from(PerfusionStudy)
                .join(Assessment, Assessment.id == PerfusionStudy.assessment_id)
                .where(Assessment.episode_id == episode_id)
            )
            or 0
        )


BAD_PERFUSION = {
    "assessed_on": "2026-02-03",
    "toe_pressure_mmhg": "25",
    "abi": "zero point five",
    "tcpo2_mmhg": "400",
}


def test_a_bad_value_is_422_with_field_messages_and_the_typed_values_kept(
    db_app: FastAPI, seeded: Seeded
) -> None:
    patient_id, episode_id = new_episode(db_app, seeded)
    path = f"/episodes/{episode_id}/perfusion-study"
    with client_as(db_app, "clinician") as (client, csrf):
        partial = post(client, csrf, path, BAD_PERFUSION)
        page = post(client, csrf, path, BAD_PERFUSION, htmx=False)
    for response in (partial, page):
        assert response.status_code == 422
        html = response.text
        prefix = f"e{episode_id}-perfusion-study"
        assert f'id="{prefix}" open' in html  # the refused form is shown open
        assert 'value="zero point five"' in html
        assert 'value="25"' in html
        assert 'value="400"' in html
        assert re.search(rf'id="{prefix}-err-abi">[^<]*valid number', html)
        assert re.search(rf'id="{prefix}-err-tcpo2_mmhg">[^<]*less than or equal to 150', html)
        assert f'id="{prefix}-err-toe_pressure_mmhg"></p>' in html
    assert "<h1>" in page.text
    assert "<h1>" not in partial.text
    assert perfusion_count(db_app, episode_id) == 0  # nothing stored
    del patient_id


def test_a_date_the_registry_refuses_comes_back_beside_its_field(
    db_app: FastAPI, seeded: Seeded
) -> None:
    _, episode_id = new_episode(db_app, seeded)
    with client_as(db_app, "clinician") as (client, csrf):
        response = post(
            client,
            csrf,
            f"/episodes/{episode_id}/infection-assessment",
            {**NO_INFECTION, "assessed_on": "2025-12-01"},
        )
    assert response.status_code == 422
    assert re.search(
        rf'id="e{episode_id}-infection-assessment-err-assessed_on">[^<]+<', response.text
    )
    assert 'value="2025-12-01"' in response.text


def test_without_scripts_a_stored_entry_redirects_to_the_chart(
    db_app: FastAPI, seeded: Seeded
) -> None:
    patient_id, episode_id = new_episode(db_app, seeded)
    with client_as(db_app, "clinician") as (client, csrf):
        response = post(
            client,
            csrf,
            f"/episodes/{episode_id}/perfusion-study",
            {"assessed_on": "2026-02-03", "toe_pressure_mmhg": "45"},
            htmx=False,
        )
        assert response.status_code == 303
        assert response.headers["location"] == f"/patients/{patient_id}#clinical-{episode_id}"
        chart = client.get(f"/patients/{patient_id}").text
    assert "Perfusion studies" in chart
    assert "perfusion study of 2026-02-03" in chart  # the finding staging used
    assert perfusion_count(db_app, episode_id) == 1


def test_a_finding_older_than_its_window_is_flagged_stale(db_app: FastAPI, seeded: Seeded) -> None:
    _, episode_id = new_episode(db_app, seeded)
    with client_as(db_app, "clinician") as (client, csrf):
        post(
            client,
            csrf,
            f"/episodes/{episode_id}/perfusion-study",
            {"assessed_on": "2026-01-10", "toe_pressure_mmhg": "45"},
        )
        response = post(
            client,
            csrf,
            f"/episodes/{episode_id}/infection-assessment",
            {**NO_INFECTION, "assessed_on": "2026-05-01"},
        )
    assert response.status_code == 200
    html = response.text
    # Default perfusion window: 90 days (staging/windows.py); 2026-01-10 → 2026-05-01 is 111.
    assert "Stale, not used" in html
    assert "perfusion study of 2026-01-10: 111 days old, window 90 days" in html
    missing = html.split("Missing for this episode's cause:")[1].split("</div>")[0]
    assert "perfusion study" in missing


def test_an_older_finding_brings_the_current_staging_up_to_date(
    db_app: FastAPI, seeded: Seeded
) -> None:
    _, episode_id = new_episode(db_app, seeded)
    with client_as(db_app, "clinician") as (client, csrf):
        post(client, csrf, f"/episodes/{episode_id}/wound-measurement", WOUND)
        response = post(
            client,
            csrf,
            f"/episodes/{episode_id}/perfusion-study",
            {"assessed_on": "2026-01-20", "toe_pressure_mmhg": "45"},
        )
    html = response.text
    # The staging in force is still the one of the wound's date, now with the older study.
    assert "As of 2026-02-02" in html
    assert "perfusion study of 2026-01-20 (13 of 90 days)" in html
    perfusion = html.split(f'id="staging-{episode_id}-perfusion"')[1].split("</article>")[0]
    assert "<dt>ischemia grade</dt><dd>1</dd>" in perfusion  # Mills 2014: toe 40–59 mmHg is I1


def test_wound_measurements_plot_the_area_and_give_the_four_week_verdict(
    db_app: FastAPI, seeded: Seeded
) -> None:
    patient_id, episode_id = new_episode(db_app, seeded)
    with client_as(db_app, "clinician") as (client, csrf):
        first = post(
            client,
            csrf,
            f"/episodes/{episode_id}/wound-measurement",
            {
                "wound_id": "new",
                "label": "heel",
                "location": "heel",
                "measured_on": "2026-02-01",
                "area_cm2": "4",
                "ulcer": "heel_shallow",
                "gangrene": "none",
            },
        )
        assert first.status_code == 200, first.text
        with Session(db_app.state.engine) as db:
            wound_id = db.scalar(
                select(WoundMeasurement.wound_id).order_by(WoundMeasurement.id.desc())
            )
        second = post(
            client,
            csrf,
            f"/episodes/{episode_id}/wound-measurement",
            {
                "wound_id": str(wound_id),
                "measured_on": "2026-03-01",
                "area_cm2": "1.5",
                "ulcer": "heel_shallow",
                "gangrene": "none",
            },
        )
        assert second.status_code == 200, second.text
        chart = client.get(f"/patients/{patient_id}").text
    for html in (second.text, chart):
        assert "<svg" in html
        assert "<polyline" in html
        # 4 → 1.5 cm² at day 28 is 62.5% smaller: more than the 50% of Hingorani 2016 (SVS).
        assert "62% (meets the 50% criterion)" in html or "63% (meets the 50% criterion)" in html
        assert "Hingorani" in html
    assert 'style="' not in second.text  # the content security policy allows no inline style


def test_a_label_already_used_is_refused_beside_the_label(db_app: FastAPI, seeded: Seeded) -> None:
    _, episode_id = new_episode(db_app, seeded)
    with client_as(db_app, "clinician") as (client, csrf):
        post(client, csrf, f"/episodes/{episode_id}/wound-measurement", WOUND)
        again = post(client, csrf, f"/episodes/{episode_id}/wound-measurement", WOUND)
        no_choice = post(
            client, csrf, f"/episodes/{episode_id}/wound-measurement", {**WOUND, "wound_id": ""}
        )
    assert again.status_code == 409
    assert re.search(rf'id="e{episode_id}-wound-measurement-err-label">[^<]*already', again.text)
    assert no_choice.status_code == 422
    assert "choose a wound of this episode or a new wound" in no_choice.text


def latest_snapshot(app: FastAPI, episode_id: int) -> StagingSnapshot:
    with Session(app.state.engine) as db:
        snapshot = db.scalar(
            select(StagingSnapshot)
            .where(StagingSnapshot.episode_id == episode_id)
            .order_by(StagingSnapshot.as_of.desc(), StagingSnapshot.id.desc())
        )
        assert snapshot is not None
        return snapshot


def test_confirm_and_override_the_proposed_staging(db_app: FastAPI, seeded: Seeded) -> None:
    _, episode_id = new_episode(db_app, seeded)
    second_episode = new_episode(db_app, seeded)[1]
    with client_as(db_app, "clinician") as (client, csrf):
        for episode in (episode_id, second_episode):
            post(client, csrf, f"/episodes/{episode}/wound-measurement", WOUND)
            post(client, csrf, f"/episodes/{episode}/infection-assessment", NO_INFECTION)
            post(
                client,
                csrf,
                f"/episodes/{episode}/perfusion-study",
                {"assessed_on": "2026-02-02", "toe_pressure_mmhg": "25"},
            )
        shown = latest_snapshot(db_app, episode_id)
        review = {"snapshot_id": str(shown.id), "version": str(shown.version)}
        no_reason = post(
            client, csrf, f"/episodes/{episode_id}/staging/override", {**review, "wifi_stage": "3"}
        )
        assert no_reason.status_code == 422
        assert re.search(rf'id="e{episode_id}-override-err-reason">[^<]+<', no_reason.text)
        assert 'value="3"' in no_reason.text

        other = latest_snapshot(db_app, second_episode)
        elsewhere = post(
            client,
            csrf,
            f"/episodes/{episode_id}/staging/confirm",
            {"snapshot_id": str(other.id), "version": str(other.version)},
        )
        assert elsewhere.status_code == 422
        assert "not a staging of this episode" in elsewhere.text

        confirmed = post(client, csrf, f"/episodes/{episode_id}/staging/confirm", review)
        assert confirmed.status_code == 200
        assert "Staging confirmed." in confirmed.text
        assert latest_snapshot(db_app, episode_id).status is StagingStatus.CONFIRMED
        twice = post(client, csrf, f"/episodes/{episode_id}/staging/confirm", review)
        assert twice.status_code == 409  # the version read is stale now
        assert "The staging was not confirmed" in twice.text

        shown = latest_snapshot(db_app, second_episode)
        overridden = post(
            client,
            csrf,
            f"/episodes/{second_episode}/staging/override",
            {
                "snapshot_id": str(shown.id),
                "version": str(shown.version),
                "reason": "toe pressure taken through a dressing",
                "wifi_ischemia_grade": "2",
            },
        )
    assert overridden.status_code == 200, overridden.text
    after = latest_snapshot(db_app, second_episode)
    assert after.status is StagingStatus.OVERRIDDEN
    assert after.override_reason == "toe pressure taken through a dressing"
    assert after.wifi_ischemia_grade == 2
    assert "proposed 3, in force 2" in overridden.text


def test_coordinators_read_the_staging_but_do_not_write(db_app: FastAPI, seeded: Seeded) -> None:
    patient_id, episode_id = new_episode(db_app, seeded)
    with client_as(db_app, "clinician") as (client, csrf):
        post(
            client,
            csrf,
            f"/episodes/{episode_id}/perfusion-study",
            {"assessed_on": "2026-02-02", "toe_pressure_mmhg": "25"},
        )
    with client_as(db_app, "coordinator") as (client, csrf):
        chart = client.get(f"/patients/{patient_id}").text
        refused = post(
            client,
            csrf,
            f"/episodes/{episode_id}/perfusion-study",
            {"assessed_on": "2026-02-02", "toe_pressure_mmhg": "30"},
        )
    assert "Perfusion: ABI, TBI, toe pressure" in chart
    assert "Enter findings" not in chart
    assert "Confirm the proposed staging" not in chart
    assert refused.status_code == 403
    assert perfusion_count(db_app, episode_id) == 1


def test_entries_are_audited_and_recommendations_recomputed(
    db_app: FastAPI, seeded: Seeded
) -> None:
    patient_id, episode_id = new_episode(db_app, seeded)
    with client_as(db_app, "clinician") as (client, csrf):
        response = post(
            client,
            csrf,
            f"/episodes/{episode_id}/perfusion-study",
            {"assessed_on": "2026-02-02", "toe_pressure_mmhg": "25"},
        )
    assert "Recommendations recomputed" in response.text or (
        "Recommendations not recomputed" in response.text
    )
    with Session(db_app.state.engine) as db:
        entries = list(db.scalars(select(AuditEntry).where(AuditEntry.patient_id == patient_id)))
        recommended = db.scalar(
            select(func.count())
            .select_from(StoredRecommendation)
            .where(StoredRecommendation.episode_id == episode_id)
        )
    assert {"perfusion_studies", "staging_snapshots"} <= {e.entity for e in entries}
    assert any(e.action == "read" and e.detail == "chart findings" for e in entries)
    assert recommended  # the pathway ran on the new staging


def test_the_clinical_picture_stages_rutherford_and_joins_the_timeline(
    db_app: FastAPI, seeded: Seeded
) -> None:
    patient_id, episode_id = new_episode(db_app, seeded)
    with client_as(db_app, "clinician") as (client, csrf):
        post(
            client,
            csrf,
            f"/episodes/{episode_id}/perfusion-study",
            {"assessed_on": "2026-02-02", "toe_pressure_mmhg": "25"},
        )
        response = post(
            client,
            csrf,
            f"/episodes/{episode_id}/assessment",
            {
                "assessed_on": "2026-02-02",
                "discipline": "podiatry",
                "presentation": "rest_pain",
            },
        )
        chart = client.get(f"/patients/{patient_id}").text
    assert response.status_code == 200, response.text
    # Rutherford 1997: ischaemic rest pain is category 4.
    assert grade(response.text, "Rutherford category") == "4"
    assert f'id="staging-{episode_id}-rutherford"' in response.text
    assert "assessment (podiatry): presentation rest pain" in chart
    assert "assessment: perfusion study" in chart


# Text a person (or a script) might type into any box of the perfusion form.
TYPED = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["nan", "inf", "-1", "1e400", "0x10", "9" * 40, "2026-02-30", "yes", " "]),
)


@pytest.mark.parametrize("slug", sorted(FORMS))
def test_anything_typed_into_a_form_is_stored_or_refused_never_an_error(
    db_app: FastAPI, seeded: Seeded, slug: str
) -> None:
    _, episode_id = new_episode(db_app, seeded)
    names = sorted({"wound_id", *(n for part in FORMS[slug].parts for n in part.names)})
    with client_as(db_app, "clinician") as (client, csrf):

        @settings(max_examples=30, deadline=None)
        @given(values=st.dictionaries(st.sampled_from(names), TYPED))
        def check(values: dict[str, str]) -> None:
            response = post(client, csrf, f"/episodes/{episode_id}/{slug}", values)
            assert response.status_code in {200, 409, 422}, response.text
            if response.status_code != 200:
                assert 'role="alert"' in response.text

        check()


def test_a_chart_with_two_staged_limbs_keeps_ids_unique_and_controls_named(
    db_app: FastAPI, seeded: Seeded
) -> None:
    patient_id, left = new_episode(db_app, seeded)
    with unit_of_work(db_app.state.sessionmaker) as db:
        right = service.open_episode(
            db=db,
            patient_id=patient_id,
            episode_in=EpisodeCreate(
                side=Side.RIGHT,
                cause=EpisodeCause.DIABETIC_FOOT,
                presented_on=date(2026, 1, 5),
                setting=CareSetting.OUTPATIENT,
            ),
        ).id
    with client_as(db_app, "clinician") as (client, csrf):
        for episode in (left, right):
            post(client, csrf, f"/episodes/{episode}/wound-measurement", WOUND)
            post(client, csrf, f"/episodes/{episode}/infection-assessment", NO_INFECTION)
            post(
                client,
                csrf,
                f"/episodes/{episode}/perfusion-study",
                {"assessed_on": "2026-02-02", "toe_pressure_mmhg": "25"},
            )
        chart = client.get(f"/patients/{patient_id}").text
    page = parsed(chart)
    assert [i for i, n in page.ids.items() if n > 1] == []
    assert page.unnamed_controls() == []
    assert page.h1 == 1
    assert chart.count("<svg") == 2


def test_review_times_show_on_the_sites_clock(db_app: FastAPI, seeded: Seeded) -> None:
    patient_id, episode_id = new_episode(db_app, seeded)
    chicago_clinician = client_as(db_app, "clinician")
    with site_zone(db_app, seeded, "America/Chicago"), chicago_clinician as (client, csrf):
        post(client, csrf, f"/episodes/{episode_id}/wound-measurement", WOUND)
        shown = latest_snapshot(db_app, episode_id)
        review = {"snapshot_id": str(shown.id), "version": str(shown.version)}
        confirmed = post(client, csrf, f"/episodes/{episode_id}/staging/confirm", review)
        chart = client.get(f"/patients/{patient_id}").text
    with client_as(db_app, "clinician") as (client, _):
        without_zone = client.get(f"/patients/{patient_id}").text
    reviewed_at = latest_snapshot(db_app, episode_id).reviewed_at
    assert reviewed_at is not None
    tag = f'Confirmed on <time datetime="{reviewed_at.isoformat()}">'
    chicago = reviewed_at.astimezone(ZoneInfo("America/Chicago")).strftime("%Y-%m-%d %H:%M")
    utc = reviewed_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
    assert f"{tag}{chicago} America/Chicago</time>" in confirmed.text
    assert f"{tag}{chicago} America/Chicago</time>" in chart
    assert f"{tag}{utc} UTC</time>" in without_zone  # a site without a zone: UTC, named
    staging = chart[chart.index(f'id="staging-{episode_id}"') :].split("</section>")[0]
    assert " UTC" not in staging


def recommendations_of(app: FastAPI, episode_id: int) -> list[StoredRecommendation]:
    """The episode's recommendations, history included, oldest first."""
    with Session(app.state.engine) as db:
        query = select(StoredRecommendation).where(StoredRecommendation.episode_id == episode_id)
        return list(db.scalars(query.order_by(StoredRecommendation.id)))


def test_a_changed_answered_recommendation_is_to_be_answered_again(
    db_app: FastAPI, seeded: Seeded
) -> None:
    """docs/coordination/recommendations.md: after findings, an answered recommendation whose
    content changed is superseded by a pending version; the notice says to answer again."""
    _, episode_id = new_episode(db_app, seeded)
    with client_as(db_app, "clinician") as (client, csrf):
        post(client, csrf, f"/episodes/{episode_id}/wound-measurement", WOUND)
        post(client, csrf, f"/episodes/{episode_id}/infection-assessment", NO_INFECTION)
        post(
            client,
            csrf,
            f"/episodes/{episode_id}/perfusion-study",
            {"assessed_on": "2026-02-02", "toe_pressure_mmhg": "25"},
        )
        answered = recommendations_of(db_app, episode_id)[0]
        accepted = post(client, csrf, f"/recommendations/{answered.id}/accept", {"version": "1"})
        assert accepted.status_code == 200, accepted.text
        # As if computed from other content before (a former engine's wording, say).
        with unit_of_work(db_app.state.sessionmaker) as db:
            row = db.get_one(StoredRecommendation, answered.id)
            row.fingerprint = "0" * 64
            row.clinician_facts = row.clinician_facts or []
        later = {**NO_INFECTION, "assessed_on": "2026-02-03"}
        entered = post(client, csrf, f"/episodes/{episode_id}/infection-assessment", later)
    assert entered.status_code == 200, entered.text
    notice = entered.text[entered.text.index('class="notice"') :].split("</div>")[0]
    assert "Recommendations recomputed: 0 new, 1 changed (answer again), 0 withdrawn" in notice
    rows = {r.id: r for r in recommendations_of(db_app, episode_id)}
    old = rows[answered.id]
    assert old.state is RecommendationState.ACCEPTED  # the answer stays in the history
    assert old.superseded_by_id is not None
    assert rows[old.superseded_by_id].state is RecommendationState.PENDING
