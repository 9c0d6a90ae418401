"""The chart's findings forms in a browser without scripts: refused with what was typed, then
stored, and back on the chart. (With scripts, live restaging is part of test_flow_browser.)"""

import re
from datetime import date

import pytest
from fastapi import FastAPI
from playwright.sync_api import Page, expect

from tests.support.web import Seeded
from tests.web.conftest import LiveServer
from tests.web.test_findings_pages import new_episode
from tests.web.test_flow_browser import sign_in

pytestmark = pytest.mark.browser


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
