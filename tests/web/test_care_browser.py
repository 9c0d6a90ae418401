"""The care plan in a browser: a recommendation overridden without reason (refused), then
accepted, its task appearing without a page load; a procedure joining the limb's timeline."""

import re

import pytest
from fastapi import FastAPI
from playwright.sync_api import Page, expect

from tests.support.web import Seeded
from tests.web.conftest import LiveServer, screenshot
from tests.web.test_care_pages import current, new_episode
from tests.web.test_clinic_browser import sign_in
from tests.web.test_findings_browser import watched

pytestmark = pytest.mark.browser
__all__ = ["watched"]  # the fixture, used by name


def test_accepting_a_recommendation_shows_its_task(
    watched: tuple[Page, list[str]], db_app: FastAPI, seeded: Seeded
) -> None:
    page, errors = watched
    patient_id, episode_id = new_episode(db_app, seeded, with_discussion=True)
    row = current(db_app, episode_id)
    section = page.locator(f"#care-{episode_id}")
    recommendation = section.locator(f"#rec-{row.id}")
    with LiveServer(db_app) as base:
        sign_in(page, base, "clinician")
        page.goto(f"{base}/patients/{patient_id}#care-{episode_id}")
        expect(recommendation).to_contain_text("Global Vascular Guidelines 2019")
        expect(recommendation).to_contain_text("strategy: endovascular")
        expect(section).to_contain_text("for discussion: shared decision, never automatic")
        expect(section.locator("table.tasks")).to_contain_text("No task yet.")
        page.evaluate("window.notReloaded = true")
        screenshot(page, "chart-care-recommendations")

        recommendation.get_by_text("Override…").click()
        recommendation.get_by_role("button", name="Override").click()
        expect(section.locator(f"#override-{row.id}-err")).to_contain_text("required")
        screenshot(page, "chart-care-override-refused")

        recommendation = section.locator(f"#rec-{row.id}")
        recommendation.get_by_role("button", name="Accept", exact=True).click()
        expect(section).to_contain_text("Recommendation accepted.")
        tasks = section.locator("table.tasks")
        expect(tasks).to_contain_text("Offer revascularization")
        expect(tasks).to_contain_text("vascular surgeon")
        expect(section.locator(f"#rec-{row.id}")).to_contain_text("Accepted by clinician")
        assert page.evaluate("window.notReloaded") is True
        screenshot(page, "chart-care-accepted")

        outcomes = page.locator("#outcomes")
        outcomes.get_by_text("Record a procedure").click()
        form = outcomes.locator("#out-procedure")
        form.get_by_label(re.compile("^side")).select_option("right")
        form.get_by_label("episode", exact=True).select_option(str(episode_id))
        form.get_by_label("performed on").fill("2026-01-20")
        form.get_by_label(re.compile("^kind")).select_option("angioplasty")
        form.get_by_label(re.compile("^segment")).select_option("popliteal")
        form.get_by_role("button", name="Record procedure").click()
        expect(page).to_have_url(re.compile(rf"/patients/{patient_id}#outcomes$"))
        expect(page.locator("#limb-timeline-right")).to_contain_text(
            "angioplasty; segment popliteal"
        )
        screenshot(page, "chart-care-procedure")
    refused = f"422 POST {base}/recommendations/{row.id}/override"
    expected = {
        refused,
        "Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)",
    }
    assert [e for e in errors if e not in expected] == []
    assert refused in errors
