"""Every page is usable by keyboard and screen reader: labelled controls, landmarks, a title.

Walks the route table like the authorization matrix, so a new page is checked without being
listed here: each HTML page a role may open is fetched as that role and parsed. Checks (WCAG 2.2
success criteria 1.1.1, 1.3.1, 2.4.2, 3.1.1, 4.1.2): the document has a language, a title and a
main landmark with one h1; every form control a person fills has an accessible name (a
`<label for>`, a wrapping label, `aria-label` or `aria-labelledby`); ids are unique; images have
alternative text.
"""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from limbsalvage.settings import Settings
from limbsalvage.web.app import create_app
from tests.support.web import USERS, Seeded, sign_in
from tests.web.test_authorization import TABLE, allowed, concrete

UNNAMED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}
PAGES = sorted(
    {
        (path, policy)
        for method, path, policy in TABLE
        if method == "GET" and not path.startswith(("/api/", "/healthz", "/static"))
    }
)


@dataclass
class Page(HTMLParser):
    """What the checks need from one HTML document."""

    lang: str = ""
    title: str = ""
    h1: int = 0
    main: int = 0
    ids: Counter[str] = field(default_factory=Counter)
    labelled: set[str] = field(default_factory=set)
    controls: list[tuple[str, dict[str, str], bool]] = field(default_factory=list)
    images_without_alt: int = 0
    _in_title: bool = False
    _label_depth: int = 0

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {k: v or "" for k, v in attrs}
        if "id" in named:
            self.ids[named["id"]] += 1
        if tag == "html":
            self.lang = named.get("lang", "")
        elif tag == "title":
            self._in_title = True
        elif tag == "h1":
            self.h1 += 1
        elif tag == "main" or named.get("role") == "main":
            self.main += 1
        elif tag == "label":
            self._label_depth += 1
            if named.get("for"):
                self.labelled.add(named["for"])
        elif tag == "img" and "alt" not in named:
            self.images_without_alt += 1
        elif (
            tag in {"input", "select", "textarea"}
            and named.get("type", "text") not in UNNAMED_INPUT_TYPES
        ):
            self.controls.append((tag, named, self._label_depth > 0))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag == "label":
            self._label_depth = max(0, self._label_depth - 1)

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data.strip()

    def unnamed_controls(self) -> list[str]:
        """Controls a screen reader could not name."""
        return [
            f"<{tag} name={attrs.get('name', '?')}>"
            for tag, attrs, wrapped in self.controls
            if not wrapped
            and attrs.get("id", "") not in self.labelled
            and not attrs.get("aria-label")
            and not attrs.get("aria-labelledby")
        ]


def parsed(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


@pytest.fixture(scope="module")
def clients(seeded_engine: tuple[Engine, Seeded]) -> Iterator[dict[str, TestClient]]:
    """A signed-in client per role of the home site, and an anonymous one."""
    app = create_app(Settings(env="demo"), engine=seeded_engine[0])
    made: dict[str, TestClient] = {}
    for name in ["anonymous", *(n for n in USERS if not n.startswith("other_"))]:
        client = TestClient(app, raise_server_exceptions=True)
        client.__enter__()
        if name != "anonymous":
            sign_in(client, name)
        made[name] = client
    yield made
    for client in made.values():
        client.__exit__(None, None, None)


def test_the_walk_finds_the_clinic_pages() -> None:
    paths = {path for path, _ in PAGES}
    assert {"/worklist", "/patients/{patient_id}", "/triage", "/referral", "/signin"} <= paths


@pytest.mark.parametrize(("path", "policy"), PAGES)
def test_every_page_is_labelled_and_landmarked(
    clients: dict[str, TestClient], seeded: Seeded, path: str, policy: str
) -> None:
    checked = downloads = 0
    for name, client in clients.items():
        if name == "anonymous" and policy != "public":
            continue
        if name != "anonymous" and not allowed(policy, USERS[name][0]):
            continue
        response = client.get(concrete(path, seeded), headers={"accept": "text/html"})
        attachment = response.headers.get("content-disposition", "").startswith("attachment")
        if response.status_code == 200 and (
            attachment or "text/html" not in response.headers["content-type"]
        ):
            downloads += 1  # a file or an image, not a page
            continue
        if response.status_code != 200:
            continue  # a redirect (signed-in users sent on)
        page = parsed(response.text)
        where = f"{path} as {name}"
        assert page.lang == "en", where
        assert page.title, where
        assert page.main == 1, where
        assert page.h1 == 1, where
        assert page.unnamed_controls() == [], where
        assert [i for i, n in page.ids.items() if n > 1] == [], where
        assert page.images_without_alt == 0, where
        checked += 1
    assert checked > 0 or downloads > 0, f"no role could open {path}"


def test_the_checks_catch_what_they_look_for() -> None:
    page = parsed(
        "<html><head><title>t</title></head><body><main><h1>a</h1><h1>b</h1>"
        '<input name="mrn"><label for="x">X</label><input id="x" name="x">'
        '<label>Y <select name="y"></select></label><input type="hidden" name="csrf">'
        '<span id="d"></span><span id="d"></span><img src="a.png"></main></body></html>'
    )
    assert page.lang == ""
    assert page.h1 == 2
    assert page.unnamed_controls() == ["<input name=mrn>"]
    assert page.ids["d"] == 2
    assert page.images_without_alt == 1
