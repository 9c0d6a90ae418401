"""The chart in a browser: findings entered, the limb restaged live without a page load."""

import re
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, expect

from tests.support.web import Seeded
from tests.web.conftest import LiveServer, screenshot
from tests.web.test_clinic_browser import sign_in
from tests.web.test_findings_pages import new_episode

pytestmark = pytest.mark.browser


@pytest.fixture
def watched(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A tablet-sized page and its console errors and failed responses, for the test to judge."""
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda e: errors.append(str(e)))
    opened.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.request.method} {r.url}") if r.status >= 400 else None
        ),
    )
    yield opened, errors
    context.close()


def test_findings_restage_the_limb_live(
    watched: tuple[Page, list[str]], db_app: FastAPI, seeded: Seeded
) -> None:
    page, errors = watched
    patient_id, episode_id = new_episode(db_app, seeded, presented_on=date(2026, 2, 1))
    section = page.locator(f"#clinical-{episode_id}")
    with LiveServer(db_app) as base:
        sign_in(page, base, "clinician")
        page.goto(f"{base}/patients/{patient_id}")
        expect(section).to_contain_text("Not staged yet")
        # A marker on the window: a page load would remove it.
        page.evaluate("window.notReloaded = true")

        section.get_by_text("Wound measurement", exact=True).click()
        form = section.locator(f"#e{episode_id}-wound-measurement")
        form.get_by_label(re.compile("^wound")).select_option("new")
        form.get_by_label("new wound: label").fill("hallux ulcer")
        form.get_by_label("new wound: location on the foot").select_option("hallux")
        form.get_by_label("measurement date").fill("2026-02-03")
        form.get_by_label("length (cm)").fill("2")
        form.get_by_label("width (cm)").fill("1.5")
        form.get_by_label("ulcer (WIfI wound words)").select_option("shallow")
        form.get_by_label("gangrene (WIfI wound words)").select_option("none")
        form.get_by_role("button", name="Record wound measurement").click()
        expect(section).to_contain_text("Wound measurement recorded.")

        section.get_by_text("Infection assessment", exact=True).click()
        form = section.locator(f"#e{episode_id}-infection-assessment")
        form.get_by_label("assessment date").fill("2026-02-03")
        for sign in (
            "swelling or induration",
            "local tenderness or pain",
            "local warmth",
            "purulent discharge",
            "deep tissue involvement",
            "osteomyelitis",
            "suspected active Charcot foot",
        ):
            form.get_by_label(sign, exact=True).select_option("no")
        form.get_by_label("erythema extent (cm)").fill("0")
        form.get_by_label("SIRS criteria met (0–4)").fill("0")
        form.get_by_role("button", name="Record infection assessment").click()
        expect(section).to_contain_text("Infection assessment recorded.")
        expect(section.locator(".staging-panel")).to_contain_text("perfusion study")

        section.get_by_text("Perfusion study", exact=True).click()
        form = section.locator(f"#e{episode_id}-perfusion-study")
        form.get_by_label("assessment date").fill("2026-02-03")
        form.get_by_label("toe pressure (mmHg)").fill("zero")
        form.get_by_role("button", name="Record perfusion study").click()
        expect(
            form.locator(f"#e{episode_id}-perfusion-study-err-toe_pressure_mmhg")
        ).to_contain_text("valid number")
        expect(form.get_by_label("toe pressure (mmHg)")).to_have_value("zero")
        screenshot(page, "chart-findings-invalid")

        form.get_by_label("toe pressure (mmHg)").fill("25")
        form.get_by_label("brachial right (mmHg)").fill("140")
        form.get_by_label("dorsalis pedis (mmHg)").fill("60")
        form.get_by_label("posterior tibial (mmHg)").fill("55")
        form.get_by_role("button", name="Record perfusion study").click()

        panel = section.locator(".staging-panel")
        stage = panel.locator("dt", has_text=re.compile("^WIfI clinical stage$")).locator(
            "xpath=.."
        )
        expect(stage).to_contain_text(re.compile(r"\d"))
        expect(
            panel.locator("dt", has_text="WIfI ischaemia grade (I)").locator("xpath=..")
        ).to_contain_text("3")
        expect(panel).to_contain_text("Mills JL Sr")
        expect(section).to_contain_text("Staging changed:")
        expect(page.locator(f"#episode-{episode_id}-stage")).not_to_have_text("not staged")
        assert page.evaluate("window.notReloaded") is True
        expect(section.locator("svg")).to_be_visible()
        screenshot(page, "chart-findings-staged")

        section.get_by_role("button", name="Confirm the proposed staging").click()
        expect(section).to_contain_text("Staging confirmed.")
        expect(panel).to_contain_text("confirmed")
        assert page.evaluate("window.notReloaded") is True
        screenshot(page, "chart-findings-confirmed")
    # The refused entry answered 422 (and the browser says so); nothing else failed.
    refused = f"422 POST {base}/episodes/{episode_id}/perfusion-study"
    expected = {
        refused,
        "Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)",
    }
    assert [e for e in errors if e not in expected] == []
    assert refused in errors


def test_without_scripts_findings_post_and_come_back(
    browser_without_js: Page, db_app: FastAPI, seeded: Seeded
) -> None:
    patient_id, episode_id = new_episode(db_app, seeded, presented_on=date(2026, 2, 1))
    page = browser_without_js
    with LiveServer(db_app) as base:
        sign_in(page, base, "clinician")
        page.goto(f"{base}/patients/{patient_id}")
        section = page.locator(f"#clinical-{episode_id}")
        section.get_by_text("Perfusion study", exact=True).click()
        form = section.locator(f"#e{episode_id}-perfusion-study")
        form.get_by_label("assessment date").fill("2026-02-03")
        form.get_by_label("TcPO2 (mmHg)").fill("400")
        form.get_by_role("button", name="Record perfusion study").click()
        form = page.locator(f"#e{episode_id}-perfusion-study")
        expect(form.get_by_label("TcPO2 (mmHg)")).to_have_value("400")
        expect(form).to_contain_text("less than or equal to 150")
        form.get_by_label("TcPO2 (mmHg)").fill("25")
        form.get_by_role("button", name="Record perfusion study").click()
        expect(page).to_have_url(re.compile(rf"/patients/{patient_id}#clinical-{episode_id}$"))
        expect(page.locator(f"#clinical-{episode_id} .staging-panel")).to_contain_text(
            "perfusion study of 2026-02-03"
        )
