"""One patient through the whole clinic in a browser (issue 6), each role signing in for its part.

A referral sent from the public form (no login) → triaged and converted by a coordinator →
findings entered on the chart by a clinician, the stage updating without a page load → a
recommendation accepted and its task on the worklist with its due time in the site's zone → a
procedure and a follow-up visit on the limb's timeline → the analyst's dashboard counting the
new patient and the revascularization. One live server, one patient; screenshots
`flow-*.png` of each key page under test-output/screenshots.

Also here, to share the module's database: the chart's findings forms in a browser without
scripts (refused with what was typed, then stored, and back on the chart).
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Locator, Page, expect
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from limbsalvage.accounts.models import Site
from tests.support.web import PASSWORD, Seeded, email_of
from tests.web.conftest import LiveServer, screenshot
from tests.web.test_findings_pages import new_episode

pytestmark = pytest.mark.browser

SITE_ZONE = "Europe/Berlin"
MRN = "FLOW-1"
PATIENT = "Nightingale, Florence"


@dataclass
class Flow:
    """What the steps learn about the one patient as they go."""

    base: str
    today: date
    patient_id: int = 0
    episode_id: int = 0
    patients_before: int = 0
    waits_before: int = 0
    refused: list[str] = field(default_factory=list)  # forms refused on purpose (422)


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


@pytest.fixture(autouse=True)
def patient_expectations() -> Iterator[None]:
    """A restage, a recompute or the dashboard can take seconds on a loaded 2-core CI runner:
    wait up to 15 s for each expectation here (Playwright's default is 5 s)."""
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def zoned_site(seeded_engine: tuple[Engine, Seeded]) -> Iterator[ZoneInfo]:
    """The north site keeps its clock in Berlin for this module's test, then in none again."""
    engine, seeded = seeded_engine
    with Session(engine) as db:
        site = db.get_one(Site, seeded.sites["north"])
        site.settings = {**(site.settings or {}), "time_zone": SITE_ZONE}
        db.commit()
    yield ZoneInfo(SITE_ZONE)
    with Session(engine) as db:
        site = db.get_one(Site, seeded.sites["north"])
        site.settings = {k: v for k, v in (site.settings or {}).items() if k != "time_zone"}
        db.commit()


def sign_in(page: Page, base: str, name: str) -> None:
    page.goto(f"{base}/signin")
    page.get_by_label("Email").fill(email_of(name))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def settled(page: Page) -> None:
    """Wait until htmx has no request in flight (a live restage is debounced)."""
    page.wait_for_load_state("networkidle")


def dashboard_counts(page: Page) -> tuple[int, int]:
    """Patients counted, and outpatient limbs with a first revascularization (time to it)."""
    summary = page.locator("main p", has_text=re.compile(r"\d+ limbs of \d+ patients"))
    patients = re.search(r"\d+ limbs of (\d+) patients", summary.inner_text())
    waits = page.locator(".wait-grid caption", has_text=re.compile("^outpatient: "))
    limbs = re.search(r"^outpatient: (\d+) limbs", waits.inner_text())
    assert patients is not None
    assert limbs is not None
    return int(patients.group(1)), int(limbs.group(1))


def test_one_patient_from_referral_to_dashboard(
    watched: tuple[Page, list[str]], db_app: FastAPI, zoned_site: ZoneInfo
) -> None:
    page, errors = watched
    with LiveServer(db_app) as base:
        flow = Flow(base=base, today=datetime.now(UTC).date())
        dashboard_before(page, flow)
        refer(page, flow)
        triage_and_register(page, flow)
        enter_findings(page, flow)
        accept_recommendation(page, flow, zoned_site)
        procedure_and_follow_up(page, flow)
        dashboard_after(page, flow)
    # Each refused form answered 422 (and the browser logged it); nothing else failed.
    logged = "Failed to load resource: the server responded with a status of 422"
    assert [e for e in errors if not e.startswith(logged)] == flow.refused


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


def dashboard_before(page: Page, flow: Flow) -> None:
    """The analyst lands on the dashboard (no clinical pages); it is computed and cached."""
    sign_in(page, flow.base, "analyst")
    expect(page).to_have_url(f"{flow.base}/dashboard")
    expect(page.locator("h1")).to_have_text("Program dashboard")
    flow.patients_before, flow.waits_before = dashboard_counts(page)
    screenshot(page, "flow-01-dashboard-before")
    sign_out(page)


def refer(page: Page, flow: Flow) -> None:
    """Anyone can refer from the public form and gets a reference, nothing else."""
    page.goto(flow.base)
    page.get_by_role("link", name="Refer a patient").click()
    page.get_by_label(re.compile("^Program")).select_option("north")
    page.get_by_label(re.compile("^source")).select_option("referring_clinician")
    page.get_by_label(re.compile("^referrer name")).fill("Dr Jenner")
    page.get_by_label(re.compile("^referrer contact")).fill("555-0199")
    page.get_by_label(re.compile("^given name")).fill("Florence")
    page.get_by_label(re.compile("^family name")).fill("Nightingale")
    page.get_by_label(re.compile("^mrn")).fill(MRN)
    page.get_by_label(re.compile("^reason")).fill("rest pain and a hallux ulcer")
    page.get_by_label(re.compile("^side")).select_option("right")
    page.get_by_label(re.compile("^urgency requested")).select_option("urgent")
    screenshot(page, "flow-02-referral-form")
    page.get_by_role("button", name="Send referral").click()
    expect(page.locator(".reference")).to_have_text(re.compile("^[A-Z0-9]{10}$"))
    expect(page.locator("main")).not_to_contain_text("Lovelace")
    screenshot(page, "flow-03-referral-receipt")


def triage_and_register(page: Page, flow: Flow) -> None:
    """The coordinator triages the referral and registers the patient with an episode."""
    sign_in(page, flow.base, "coordinator")
    expect(page).to_have_url(f"{flow.base}/worklist")
    page.get_by_role("link", name="Triage").click()
    card = page.locator("section", has_text="Nightingale, Florence")
    card.get_by_label("Priority").select_option("urgent")
    card.get_by_role("button", name="Triage").click()
    card = page.locator("section", has_text="Nightingale, Florence")
    expect(card.locator("dt", has_text="Triage").locator("xpath=..")).to_contain_text("urgent")
    screenshot(page, "flow-04-triage")
    fits_tablets(page)
    card.get_by_text("Register the patient and open an episode").click()
    expect(card.get_by_label(re.compile("^mrn"))).to_have_value(MRN)
    card.get_by_label(re.compile("^sex")).select_option("female")
    card.get_by_label(re.compile("^birth date")).fill("1940-05-12")
    card.get_by_label(re.compile("^cause")).select_option("clti")
    card.get_by_label(re.compile("^setting")).select_option("outpatient")
    card.get_by_label(re.compile("^presented on")).fill(presented_on(flow).isoformat())
    card.get_by_role("button", name="Register and open episode").click()
    expect(page.locator("h1")).to_have_text(PATIENT)
    found = re.search(r"/patients/(\d+)$", page.url)
    assert found is not None
    flow.patient_id = int(found.group(1))
    row = page.locator("tr[id^='episode-']").first
    expect(row).to_contain_text("right")
    expect(row).to_contain_text("not staged")
    flow.episode_id = int((row.get_attribute("id") or "").removeprefix("episode-"))
    screenshot(page, "flow-05-chart-registered")
    sign_out(page)


def presented_on(flow: Flow) -> date:
    return flow.today - timedelta(days=10)


def seen_on(flow: Flow) -> str:
    return (flow.today - timedelta(days=8)).isoformat()


def enter_findings(page: Page, flow: Flow) -> None:
    """The clinician finds the patient on the worklist and enters findings; the limb restages."""
    sign_in(page, flow.base, "clinician")
    page.get_by_label("Name or MRN").fill(MRN)
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(rf"/worklist\?q={MRN}&cause=$"))
    rows = page.locator("table.worklist tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("not staged")
    screenshot(page, "flow-06-worklist-new")
    rows.get_by_role("link", name=PATIENT).click()
    expect(page.locator("h1")).to_have_text(PATIENT)
    eid = flow.episode_id
    section = page.locator(f"#clinical-{eid}")
    expect(section).to_contain_text("Not staged yet")
    page.evaluate("window.notReloaded = true")

    section.get_by_text("Wound measurement", exact=True).click()
    form = section.locator(f"#e{eid}-wound-measurement")
    form.get_by_label(re.compile("^wound")).select_option("new")
    form.get_by_label("new wound: label").fill("hallux ulcer")
    form.get_by_label("new wound: location on the foot").select_option("hallux")
    form.get_by_label("measurement date").fill(seen_on(flow))
    form.get_by_label("length (cm)").fill("2")
    form.get_by_label("width (cm)").fill("1.5")
    form.get_by_label("ulcer (WIfI wound words)").select_option("shallow")
    form.get_by_label("gangrene (WIfI wound words)").select_option("none")
    form.get_by_role("button", name="Record wound measurement").click()
    expect(section).to_contain_text("Wound measurement recorded.")

    section.get_by_text("Infection assessment", exact=True).click()
    form = section.locator(f"#e{eid}-infection-assessment")
    form.get_by_label("assessment date").fill(seen_on(flow))
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
    expect(page.locator(f"#episode-{eid}-stage")).to_have_text("not staged")

    section.get_by_text("Perfusion study", exact=True).click()
    form = section.locator(f"#e{eid}-perfusion-study")
    form.get_by_label("assessment date").fill(seen_on(flow))
    form.get_by_label("toe pressure (mmHg)").fill("zero")
    form.get_by_role("button", name="Record perfusion study").click()
    # Refused beside its box (422), what was typed kept, nothing restaged.
    expect(form.locator(f"#e{eid}-perfusion-study-err-toe_pressure_mmhg")).to_contain_text(
        "valid number"
    )
    expect(form.get_by_label("toe pressure (mmHg)")).to_have_value("zero")
    expect(form.get_by_label("assessment date")).to_have_value(seen_on(flow))
    flow.refused.append(f"422 POST {flow.base}/episodes/{eid}/perfusion-study")
    screenshot(page, "flow-07-chart-findings-refused")

    form.get_by_label("toe pressure (mmHg)").fill("25")
    form.get_by_label("brachial right (mmHg)").fill("140")
    form.get_by_label("dorsalis pedis (mmHg)").fill("60")
    form.get_by_label("posterior tibial (mmHg)").fill("55")
    form.get_by_role("button", name="Record perfusion study").click()

    panel = section.locator(".staging-panel")
    # W1 I3 fI0: clinical stage 3 (Mills JL Sr et al. J Vasc Surg 2014;59:220-234, table).
    expect(grade(panel, "WIfI wound grade (W)").locator("dd")).to_have_text(re.compile("^1"))
    expect(grade(panel, "WIfI ischaemia grade (I)").locator("dd")).to_have_text(re.compile("^3"))
    expect(grade(panel, re.compile("^WIfI clinical stage$")).locator("dd")).to_have_text("3")
    expect(panel).to_contain_text("Mills JL Sr")
    expect(section).to_contain_text("Staging changed:")
    expect(page.locator(f"#episode-{eid}-stage")).to_have_text("3")
    expect(section.locator("svg")).to_be_visible()  # the wound area plot
    assert page.evaluate("window.notReloaded") is True
    settled(page)
    screenshot(page, "flow-08-chart-staged")
    fits_tablets(page)

    section.get_by_role("button", name="Confirm the proposed staging").click()
    expect(section).to_contain_text("Staging confirmed.")
    expect(panel).to_contain_text("confirmed")
    assert page.evaluate("window.notReloaded") is True
    settled(page)


# The header's items and the page's widths, read in the page: on a tablet the header stays one
# row (every item's middle on one line) and nothing but a table's own box scrolls sideways.
LAYOUT = """() => {
  const header = document.querySelector('header.top');
  const items = [...header.querySelectorAll('.brand, nav li, .who')]
    .map(e => e.getBoundingClientRect()).filter(r => r.width > 0);
  const middles = items.map(r => r.top + r.height / 2);
  const link = header.querySelector('nav a').getBoundingClientRect().height;
  const clipped = e => e.parentElement !== document.body
    && (getComputedStyle(e.parentElement).overflowX !== 'visible' || clipped(e.parentElement));
  const wide = [...document.body.querySelectorAll('*')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5 && !clipped(e))
    .slice(0, 4).map(e => `${e.tagName}.${e.className}#${e.id}`);
  return {spread: Math.max(...middles) - Math.min(...middles), link: link, wide: wide,
          header: header.getBoundingClientRect().height,
          scroll: document.body.scrollWidth, inner: window.innerWidth};
}"""
TABLETS = ({"width": 1024, "height": 768}, {"width": 768, "height": 1024})


def fits_tablets(page: Page) -> None:
    """At 1024×768 the header is one row, at 768×1024 two (the links under the brand); the page
    body never scrolls sideways."""
    for rows, viewport in enumerate(TABLETS, start=1):
        page.set_viewport_size(viewport)
        layout = page.evaluate(LAYOUT)
        if rows == 1:
            assert layout["spread"] < layout["link"] / 2, (viewport, layout)
        assert layout["header"] < (rows + 1) * layout["link"], (viewport, layout)
        assert layout["scroll"] <= layout["inner"], (viewport, layout)
    page.set_viewport_size(TABLETS[0])


def grade(panel: Locator, name: str | re.Pattern[str]) -> Locator:
    return panel.locator("dt", has_text=name).locator("xpath=..")


def accept_recommendation(page: Page, flow: Flow, zone: ZoneInfo) -> None:
    """The recomputed recommendation, shown with its source, is not overridden without a reason
    but accepted; its task shows its due time in the site's zone on the chart and worklist."""
    care = page.locator(f"#care-{flow.episode_id}")
    recommendation = care.locator("li.recommendation").first
    expect(recommendation.locator(".source")).not_to_be_empty()
    expect(care.locator("table.tasks")).to_contain_text("No task yet.")
    rec_id = recommendation.get_attribute("id") or ""

    recommendation.get_by_text("Override…").click()
    recommendation.get_by_role("button", name="Override").click()
    expect(care.locator(f"#override-{rec_id.removeprefix('rec-')}-err")).to_contain_text("required")
    flow.refused.append(
        f"422 POST {flow.base}/recommendations/{rec_id.removeprefix('rec-')}/override"
    )

    recommendation = care.locator(f"#{rec_id}")
    recommendation.get_by_role("button", name="Accept", exact=True).click()
    expect(care).to_contain_text("Recommendation accepted.")
    answer = care.locator(f"#{rec_id} .answer")
    expect(answer).to_contain_text(re.compile(rf"^Accepted by clinician on .* {SITE_ZONE}$"))
    task = care.locator("table.tasks tbody tr").first
    due = task.locator("time")
    due_at = datetime.fromisoformat(due.get_attribute("datetime") or "")
    local = due_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    expect(due).to_have_text(f"{local} {SITE_ZONE}")
    title = task.locator("td").first.inner_text().split(" (from")[0]
    assert page.evaluate("window.notReloaded") is True
    screenshot(page, "flow-09-chart-task")

    page.get_by_role("link", name="Worklist").click()
    page.get_by_label("Name or MRN").fill(MRN)
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(rf"/worklist\?q={MRN}&cause=$"))
    row = page.locator("table.worklist tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(title)
    expect(row).to_contain_text(f"due {local} {SITE_ZONE}")
    expect(row.locator("td").nth(4)).to_contain_text("3 (confirmed")
    screenshot(page, "flow-10-worklist-task")
    fits_tablets(page)
    row.get_by_role("link", name=PATIENT).click()


def procedure_and_follow_up(page: Page, flow: Flow) -> None:
    """An angioplasty and a follow-up visit join the right limb's timeline."""
    outcomes = page.locator("#outcomes")
    outcomes.get_by_text("Record a procedure").click()
    form = outcomes.locator("#out-procedure")
    form.get_by_label(re.compile("^side")).select_option("right")
    form.get_by_label("episode", exact=True).select_option(str(flow.episode_id))
    form.get_by_label("performed on").fill((flow.today - timedelta(days=5)).isoformat())
    form.get_by_label(re.compile("^kind")).select_option("angioplasty")
    form.get_by_label(re.compile("^segment")).select_option("popliteal")
    form.get_by_role("button", name="Record procedure").click()
    expect(page).to_have_url(re.compile(rf"/patients/{flow.patient_id}#outcomes$"))
    timeline = page.locator("#limb-timeline-right")
    expect(timeline).to_contain_text("angioplasty; segment popliteal")

    outcomes = page.locator("#outcomes")
    outcomes.get_by_text("Record a follow-up visit").click()
    form = outcomes.locator("#out-follow-up")
    form.get_by_label(re.compile("^episode")).select_option(str(flow.episode_id))
    form.get_by_label(re.compile("^seen on")).fill((flow.today - timedelta(days=2)).isoformat())
    form.get_by_label(re.compile("^contact")).select_option("clinic_visit")
    form.get_by_role("button", name="Record follow-up").click()
    expect(page).to_have_url(re.compile(rf"/patients/{flow.patient_id}#outcomes$"))
    timeline = page.locator("#limb-timeline-right")
    expect(timeline).to_contain_text("angioplasty; segment popliteal")
    expect(timeline).to_contain_text("follow-up (clinic visit)")
    screenshot(page, "flow-11-chart-timeline")
    sign_out(page)


def dashboard_after(page: Page, flow: Flow) -> None:
    """The analyst's dashboard follows the registry past its cache: one patient more, one more
    outpatient limb revascularized; figures load, names never show, the filters work."""
    sign_in(page, flow.base, "analyst")
    expect(page.locator("h1")).to_have_text("Program dashboard")
    assert dashboard_counts(page) == (flow.patients_before + 1, flow.waits_before + 1)
    images = page.locator(".curve img")
    expect(images).to_have_count(3)
    for index in range(3):
        image = images.nth(index)
        image.scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
        )
    expect(page.locator("main")).not_to_contain_text("Nightingale")
    expect(page.locator("main")).not_to_contain_text(MRN)
    screenshot(page, "flow-12-dashboard-after")
    page.get_by_label("Curves by").select_option("cause")
    page.get_by_label("Time zero").select_option("index_procedure")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#curves")).to_contain_text("by cause")
    settled(page)
