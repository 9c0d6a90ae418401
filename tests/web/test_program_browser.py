"""The conference in a browser (Debian chromium), with screenshots. (The dashboard is part of
test_flow_browser: one patient from referral to the program figures.)"""

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, expect

from tests.support.web import CONFERENCE_DAY, PASSWORD, Seeded, email_of
from tests.web.conftest import LiveServer, screenshot

pytestmark = pytest.mark.browser
# A refused form answers 422 with the form again: expected here, and nothing else may fail.
REFUSED_FORMS = re.compile(r"422 POST http://127\.0\.0\.1:\d+/conference/cases(/\d+/outcome)?$")


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """Like the shared fixture, but a refused conference form (422) is part of the story."""
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    opened = context.new_page()
    errors: list[str] = []
    refused: list[str] = []
    opened.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda e: errors.append(str(e)))

    def answered(response: object) -> None:
        status, method, url = response.status, response.request.method, response.url  # type: ignore[attr-defined]
        if status >= 400:
            line = f"{status} {method} {url}"
            (refused if REFUSED_FORMS.match(line) else errors).append(line)

    opened.on("response", answered)
    yield opened
    context.close()
    # The browser logs each refused form as a failed load; one per refusal is expected.
    failed_loads = [e for e in errors if "status of 422" in e]
    assert len(failed_loads) <= len(refused)
    assert [e for e in errors if "status of 422" not in e] == []


def sign_in(page: Page, base: str, name: str) -> None:
    page.goto(f"{base}/signin")
    page.get_by_label("Email").fill(email_of(name))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_conference_decision_and_agenda(page: Page, db_app: FastAPI, seeded: Seeded) -> None:
    day = CONFERENCE_DAY.isoformat()
    with LiveServer(db_app) as base:
        sign_in(page, base, "coordinator")
        page.goto(f"{base}/conference?on={day}")
        expect(page.locator("h1")).to_have_text("Multidisciplinary conference")
        case = page.locator(f"#case-{seeded.case_north}")
        expect(case).to_contain_text("rest pain, no target")
        page.get_by_label(re.compile("^MRN")).fill("NOBODY-7")
        page.get_by_label(re.compile("^Reason")).fill("second look")
        page.get_by_role("button", name="Add to this conference").click()
        expect(page.locator("#err-add-mrn")).to_contain_text("no open episode")
        expect(page.get_by_label(re.compile("^Reason"))).to_have_value("second look")
        screenshot(page, "conference-coordinator")
        page.get_by_role("link", name="Printable agenda").click()
        expect(page.locator("h1")).to_contain_text("Conference agenda")
        page.emulate_media(media="print")
        expect(page.locator("nav[aria-label='Main']")).to_be_hidden()
        expect(page.locator(".write-in").first).to_be_visible()
        screenshot(page, "conference-agenda-print")
        page.emulate_media(media="screen")
        page.get_by_role("button", name="Sign out").click()

        sign_in(page, base, "clinician")
        page.goto(f"{base}/conference?on={day}")
        case = page.locator(f"#case-{seeded.case_north}")
        case.get_by_label("Decision").select_option("amputation")
        case.get_by_label("Reasons").fill("foot unsalvageable, no target vessel")
        case.get_by_label("Name 1").fill("Dr Vascular")
        case.get_by_label("Role 1").select_option("vascular_surgeon")
        case.get_by_role("button", name="Record the decision").click()
        case = page.locator(f"#case-{seeded.case_north}")
        expect(case.locator(f"#err-l-{seeded.case_north}")).to_contain_text("required")
        expect(case.get_by_label("Reasons")).to_have_value("foot unsalvageable, no target vessel")
        case.get_by_label(re.compile("^Amputation level")).select_option("below_knee")
        case.get_by_role("button", name="Record the decision").click()
        expect(page.locator(f"#case-{seeded.case_north}")).to_contain_text(
            "amputation, level below knee"
        )
        screenshot(page, "conference-decided")
