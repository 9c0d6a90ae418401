"""The staging page in a real browser: the stage updates live as findings are typed."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import screenshot

pytestmark = pytest.mark.browser


def test_stage_updates_live_as_findings_are_typed(page: Page, live_url: str) -> None:
    page.goto(f"{live_url}/staging/wifi")
    result = page.locator("#result")
    expect(result).to_contain_text("Enter findings to stage the limb.")

    page.get_by_label("WIfI wound grade W 0–3").fill("2")
    expect(result).to_contain_text("missing", timeout=5000)
    expect(page.locator("#err-ischemia_grade")).to_have_text("missing")

    page.get_by_label("toe systolic pressure in mmHg").fill("35")
    page.get_by_label(re.compile(r"^WIfI foot infection grade")).fill("1")
    expect(result.locator("dt", has_text="clinical stage").locator("xpath=..")).to_contain_text("4")
    expect(result).to_contain_text("toe pressure measured")
    expect(result).to_contain_text("Mills JL Sr")
    expect(page.locator("#err-ischemia_grade")).to_have_text("")
    # No page load happened: what was typed and the focus stay where they were.
    expect(page.get_by_label(re.compile(r"^WIfI foot infection grade"))).to_be_focused()
    screenshot(page, "staging-wifi")

    page.get_by_label("ankle-brachial index").fill("zero")
    expect(page.locator("#err-abi")).to_have_text("expected a finite number")
    expect(page.get_by_label("ankle-brachial index")).to_have_value("zero")
    screenshot(page, "staging-wifi-invalid")


def test_form_is_keyboard_usable(page: Page, live_url: str) -> None:
    page.goto(f"{live_url}/staging/fontaine")
    page.keyboard.press("Tab")
    expect(page.get_by_text("Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    symptom = page.get_by_label(re.compile("^worst symptom or sign"))
    symptom.focus()
    symptom.select_option("ulcer")
    expect(page.locator("#result")).to_contain_text("IV")
    screenshot(page, "staging-fontaine")


def test_without_scripts_the_form_still_stages(browser_without_js: Page, live_url: str) -> None:
    browser_without_js.goto(f"{live_url}/staging/fontaine")
    browser_without_js.get_by_label(re.compile("^worst symptom or sign")).select_option("ulcer")
    browser_without_js.get_by_role("button", name="Stage").click()
    expect(browser_without_js.locator("#result")).to_contain_text("IV")
    expect(browser_without_js.get_by_label(re.compile("^worst symptom or sign"))).to_have_value(
        "ulcer"
    )
