"""Web test fixtures: an app, a client that raises on server errors, a live server, a browser."""

import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy import Engine, delete

from limbsalvage.accounts.models import ThrottleEvent
from limbsalvage.db.engine import make_engine
from limbsalvage.db.migrate import upgrade_database
from limbsalvage.settings import Settings
from limbsalvage.web.app import create_app
from tests.support.databases import fresh_database
from tests.support.web import Seeded, seed

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Demo settings with a data folder of the test's own."""
    return Settings(env="demo", data_dir=tmp_path)


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    """The application for classification and pages (no database)."""
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A client on `app`; an unhandled exception fails the test instead of becoming a 500."""
    with TestClient(app, raise_server_exceptions=True) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's chromium; missing it skips browser tests locally and fails them in CI."""
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).is_file():
        message = "chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


class LiveServer:
    """An application served by uvicorn on a free loopback port, in a thread."""

    def __init__(self, app: FastAPI) -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def live_url(app: FastAPI) -> Iterator[str]:
    """The base URL of `app` served on loopback."""
    with LiveServer(app) as url:
        yield url


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Browser]:
    """Headless Debian chromium driven by Playwright (never a downloaded browser)."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh tablet-sized page; any console error (a CSP refusal, a script error) fails."""
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
    yield opened
    context.close()
    assert errors == []


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot under test-output/screenshots (git-ignored)."""
    target = SCREENSHOTS / f"{name}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=True)
    return target


@pytest.fixture
def browser_without_js(browser: Browser) -> Iterator[Page]:
    """A page with scripts turned off: forms must still work."""
    context = browser.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def seeded_engine(
    backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Engine, Seeded]]:
    """A migrated database (SQLite, then PostgreSQL) with two sites, users and patients."""
    with fresh_database(backend, tmp_path_factory.mktemp("web")) as url:
        engine = make_engine(url)
        upgrade_database(engine)
        seeded = seed(engine)
        yield engine, seeded
        engine.dispose()


@pytest.fixture
def seeded(seeded_engine: tuple[Engine, Seeded]) -> Seeded:
    """The ids written by `seed`."""
    return seeded_engine[1]


@pytest.fixture
def db_app(seeded_engine: tuple[Engine, Seeded], tmp_path: Path) -> FastAPI:
    """The application on the seeded database (demo mode, plain-HTTP cookies).

    Throttle counts (refused sign-ins, referrals sent) are kept in the database; each test
    starts with none counted.
    """
    with seeded_engine[0].begin() as connection:
        connection.execute(delete(ThrottleEvent))
    return create_app(Settings(env="demo", data_dir=tmp_path), engine=seeded_engine[0])
