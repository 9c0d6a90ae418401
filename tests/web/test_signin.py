"""Sign-in: argon2 passwords, server-side sessions, cookies, CSRF, throttling, sign-out."""

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from limbsalvage.accounts.models import UserSession
from limbsalvage.accounts.service import token_digest
from limbsalvage.db.audit import AuditEntry
from limbsalvage.settings import Settings
from limbsalvage.web.app import create_app
from tests.support.web import PASSWORD, email_of, sign_in

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def signin_form(client: TestClient) -> str:
    match = CSRF.search(client.get("/signin").text)
    assert match is not None
    return match.group(1)


def test_sign_in_sets_a_session_cookie_stored_as_a_hash(db_app: FastAPI) -> None:
    with TestClient(db_app) as client:
        token = signin_form(client)
        response = client.post(
            "/signin",
            data={
                "email": email_of("clinician"),
                "password": PASSWORD,
                "csrf_token": token,
                "next": "/patients",
            },
            follow_redirects=False,
        )
        assert response.status_code == 303
        assert response.headers["location"] == "/patients"
        cookie = response.headers["set-cookie"]
        assert "limbsalvage_session=" in cookie
        assert "HttpOnly" in cookie
        assert "SameSite=lax" in cookie
        session_token = client.cookies["limbsalvage_session"]
    with Session(db_app.state.engine) as db:
        stored = db.scalar(
            select(UserSession).where(UserSession.token_hash == token_digest(session_token))
        )
        assert stored is not None
        assert (
            db.scalar(select(UserSession.id).where(UserSession.token_hash == session_token)) is None
        )
        entry = db.scalar(
            select(AuditEntry)
            .where(AuditEntry.entity == "user_sessions", AuditEntry.action == "create")
            .order_by(AuditEntry.seq.desc())
        )
        assert entry is not None
        assert session_token not in (entry.after or "")
        assert stored.csrf_token not in (entry.after or "")


def test_secure_cookies_in_production_style_settings(
    seeded_engine: object, tmp_path: object
) -> None:
    engine = seeded_engine[0]  # type: ignore[index]
    app = create_app(Settings(env="development", cookie_secure=True), engine=engine)
    with TestClient(app, base_url="https://testserver") as client:
        token = signin_form(client)
        response = client.post(
            "/signin",
            data={"email": email_of("clinician"), "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
        cookie = response.headers["set-cookie"]
        assert cookie.startswith("__Host-limbsalvage_session=")
        assert "Secure" in cookie
        assert "Path=/" in cookie


@pytest.mark.parametrize(
    ("email", "password"),
    [
        (email_of("clinician"), "wrong"),
        ("nobody@web.test", PASSWORD),
        (email_of("inactive"), PASSWORD),
    ],
)
def test_a_refused_sign_in_says_the_same_and_keeps_the_email(
    db_app: FastAPI, email: str, password: str
) -> None:
    with TestClient(db_app) as client:
        token = signin_form(client)
        response = client.post(
            "/signin", data={"email": email, "password": password, "csrf_token": token}
        )
    assert response.status_code == 401
    assert "email or password not recognised" in response.text
    assert f'value="{email}"' in response.text
    assert "limbsalvage_session" not in response.headers.get("set-cookie", "")


def test_sign_in_needs_the_form_token(db_app: FastAPI) -> None:
    with TestClient(db_app) as client:
        signin_form(client)
        response = client.post(
            "/signin",
            data={"email": email_of("clinician"), "password": PASSWORD, "csrf_token": "forged"},
        )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def _refuse_five_times(client: TestClient, email: str) -> str:
    token = signin_form(client)
    for _ in range(5):
        refused = client.post(
            "/signin", data={"email": email, "password": "guess", "csrf_token": token}
        )
        assert refused.status_code == 401
    return token


def test_sign_in_is_throttled_after_repeated_failures(db_app: FastAPI) -> None:
    with TestClient(db_app) as client:
        token = _refuse_five_times(client, email_of("admin"))
        response = client.post(
            "/signin",
            data={"email": email_of("admin"), "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0
    assert response.json()["error"]["code"] == "too_many_requests"


def test_the_throttle_survives_a_new_application_on_the_same_database(
    db_app: FastAPI, seeded_engine: tuple[Engine, object]
) -> None:
    with TestClient(db_app, client=("10.0.0.7", 50000)) as client:
        _refuse_five_times(client, email_of("clinician"))
    # A restart, or a second worker process: a new application on the same database.
    restarted = create_app(Settings(env="demo"), engine=seeded_engine[0])
    with TestClient(restarted, client=("10.0.0.8", 50000)) as other:
        token = signin_form(other)
        response = other.post(
            "/signin",
            data={"email": email_of("clinician"), "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
    assert response.status_code == 429


def test_an_unknown_account_is_throttled_like_a_known_one(db_app: FastAPI) -> None:
    answers = {}
    for number, email in enumerate((email_of("coordinator"), "nobody@web.test")):
        with TestClient(db_app, client=(f"10.0.1.{number}", 50000)) as client:
            token = _refuse_five_times(client, email)
            response = client.post(
                "/signin", data={"email": email, "password": "guess", "csrf_token": token}
            )
        answers[email] = (response.status_code, response.json()["error"]["message"])
    assert answers[email_of("coordinator")] == answers["nobody@web.test"]
    assert answers["nobody@web.test"][0] == 429


def test_a_successful_sign_in_clears_the_account_count(db_app: FastAPI) -> None:
    def attempts(host: str, passwords: list[str]) -> list[int]:
        with TestClient(db_app, client=(host, 50000)) as client:
            token = signin_form(client)
            return [
                client.post(
                    "/signin",
                    data={"email": email_of("analyst"), "password": word, "csrf_token": token},
                    follow_redirects=False,
                ).status_code
                for word in passwords
            ]

    assert attempts("10.0.2.1", ["guess"] * 4 + [PASSWORD]) == [401] * 4 + [303]
    # The four refusals before the success no longer count against the account.
    assert attempts("10.0.2.2", ["guess"] * 4 + [PASSWORD]) == [401] * 4 + [303]


def test_next_is_only_a_local_path(db_app: FastAPI) -> None:
    with TestClient(db_app) as client:
        token = signin_form(client)
        response = client.post(
            "/signin",
            data={
                "email": email_of("coordinator"),
                "password": PASSWORD,
                "csrf_token": token,
                "next": "//evil.example/",
            },
            follow_redirects=False,
        )
    assert response.headers["location"] == "/worklist"


def test_each_role_lands_on_a_page_it_may_open(db_app: FastAPI) -> None:
    expected = {"clinician": "/worklist", "analyst": "/dashboard", "admin": "/admin/users"}
    for name, home in expected.items():
        with TestClient(db_app) as client:
            token = signin_form(client)
            response = client.post(
                "/signin",
                data={"email": email_of(name), "password": PASSWORD, "csrf_token": token},
                follow_redirects=False,
            )
            assert response.headers["location"] == home, name
            assert client.get(home).status_code == 200, name


def test_pages_send_anonymous_users_to_sign_in(db_app: FastAPI) -> None:
    with TestClient(db_app) as client:
        response = client.get("/worklist", headers={"accept": "text/html"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?next=/worklist"


def test_sign_out_ends_the_session(db_app: FastAPI) -> None:
    with TestClient(db_app) as client:
        csrf = sign_in(client, "clinician")
        assert client.get("/api/v1/me").status_code == 200
        token = client.cookies["limbsalvage_session"]
        refused = client.post("/signout", follow_redirects=False)
        assert refused.status_code == 403
        done = client.post("/signout", data={"csrf_token": csrf}, follow_redirects=False)
        assert done.status_code == 303
        client.cookies.set("limbsalvage_session", token)
        assert client.get("/api/v1/me").status_code == 401
