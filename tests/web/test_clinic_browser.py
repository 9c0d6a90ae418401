"""The clinic in a browser: referral → triage → patient and limb → worklist → live staging."""

import re

import pytest
from fastapi import FastAPI
from playwright.sync_api import Page, expect

from tests.support.web import PASSWORD, email_of
from tests.web.conftest import LiveServer, screenshot

pytestmark = pytest.mark.browser


def sign_in(page: Page, base: str, name: str) -> None:
    page.goto(f"{base}/signin")
    page.get_by_label("Email").fill(email_of(name))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_referral_to_staging(page: Page, db_app: FastAPI) -> None:
    with LiveServer(db_app) as base:
        page.goto(f"{base}/referral")
        page.get_by_label(re.compile("^Program")).select_option("north")
        page.get_by_label(re.compile("^source")).select_option("referring_clinician")
        page.get_by_label(re.compile("^referrer name")).fill("Dr Jenner")
        page.get_by_label(re.compile("^referrer contact")).fill("555-0199")
        page.get_by_label(re.compile("^given name")).fill("Walter")
        page.get_by_label(re.compile("^family name")).fill("Browser")
        page.get_by_label(re.compile("^mrn")).fill("WEB-501")
        page.get_by_label(re.compile("^reason")).fill("rest pain and a toe ulcer")
        page.get_by_label(re.compile("^side")).select_option("right")
        page.get_by_label(re.compile("^urgency requested")).select_option("urgent")
        screenshot(page, "referral-form")
        page.get_by_role("button", name="Send referral").click()
        expect(page.locator(".reference")).to_have_text(re.compile("^[A-Z0-9]{10}$"))
        screenshot(page, "referral-receipt")

        sign_in(page, base, "coordinator")
        page.goto(f"{base}/triage")
        card = page.locator("section", has_text="Browser, Walter")
        card.get_by_label("Priority").select_option("urgent")
        card.get_by_role("button", name="Triage").click()
        card = page.locator("section", has_text="Browser, Walter")
        expect(card).to_contain_text("urgent")
        screenshot(page, "triage")
        card.get_by_text("Register the patient and open an episode").click()
        card.get_by_label(re.compile("^sex")).select_option("male")
        card.get_by_label(re.compile("^birth date")).fill("1951-07-14")
        card.get_by_label(re.compile("^cause")).select_option("clti")
        card.get_by_label(re.compile("^setting")).select_option("outpatient")
        card.get_by_label(re.compile("^presented on")).fill("2026-02-01")
        card.get_by_role("button", name="Register and open episode").click()
        expect(page.locator("h1")).to_contain_text("Browser, Walter")
        screenshot(page, "chart")
        page.get_by_role("button", name="Sign out").click()

        sign_in(page, base, "clinician")
        page.goto(f"{base}/worklist?q=WEB-501")
        expect(page.locator("table")).to_contain_text("Browser, Walter")
        screenshot(page, "worklist")
        page.get_by_role("link", name="Browser, Walter").click()
        page.get_by_role("link", name="Stage a limb from findings").click()
        page.get_by_label("WIfI wound grade W 0–3").fill("1")
        page.get_by_label("toe systolic pressure in mmHg").fill("25")
        page.get_by_label(re.compile(r"^WIfI foot infection grade")).fill("0")
        expect(page.locator("#result")).to_contain_text("clinical stage")
        screenshot(page, "staging-signed-in")
        # The form restages 300 ms after the last keystroke: let the last request finish before
        # the server stops, or it fails as a refused connection.
        page.wait_for_timeout(400)
        page.wait_for_load_state("networkidle")
