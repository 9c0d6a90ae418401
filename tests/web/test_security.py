"""Production mode refuses demo accounts, default secrets and insecure cookies."""

import pytest
from sqlalchemy import Engine

from limbsalvage.accounts.models import User
from limbsalvage.db.session import make_sessionmaker, unit_of_work
from limbsalvage.settings import ConfigurationError, Settings
from limbsalvage.web.app import create_app
from limbsalvage.web.security import (
    anonymous_csrf_valid,
    new_anonymous_csrf,
    production_problems,
)
from tests.support.web import Seeded

GOOD_SECRET = "k" * 16 + "Zq8v-41mX0pLr2Tn"


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({}, "LIMBSALVAGE_SECRET_KEY: required in production"),
        ({"secret_key": "changeme"}, "at least 32 random characters"),
        ({"secret_key": "short-but-random"}, "at least 32 random characters"),
        ({"secret_key": GOOD_SECRET, "cookie_secure": False}, "LIMBSALVAGE_COOKIE_SECURE"),
    ],
)
def test_production_refuses_insecure_settings(
    changes: dict[str, object], problem: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LIMBSALVAGE_SECRET_KEY", raising=False)  # only `changes` configure it
    settings = Settings(env="production", **changes)
    with pytest.raises(ConfigurationError, match=problem):
        create_app(settings)


def test_production_starts_with_a_secret_and_secure_cookies() -> None:
    settings = Settings(env="production", secret_key=GOOD_SECRET)
    assert settings.secure_cookies
    assert production_problems(settings, demo_accounts=False) == []
    create_app(settings)


def test_other_modes_start_without_a_secret() -> None:
    assert production_problems(Settings(env="demo"), demo_accounts=True) == []
    assert not Settings(env="demo").secure_cookies


def test_production_refuses_a_database_with_demo_accounts(
    seeded_engine: tuple[Engine, Seeded],
) -> None:
    engine = seeded_engine[0]
    settings = Settings(env="production", secret_key=GOOD_SECRET)
    create_app(settings, engine=engine)  # no demo account yet
    with unit_of_work(make_sessionmaker(engine)) as db:
        demo = User(email="demo-admin@web.test", display_name="demo", is_demo=True)
        db.add(demo)
    try:
        with pytest.raises(ConfigurationError, match="demo accounts exist"):
            create_app(settings, engine=engine)
    finally:
        with unit_of_work(make_sessionmaker(engine)) as db:
            db.delete(db.get(User, demo.id))


def test_anonymous_csrf_token_is_signed() -> None:
    key = b"k" * 32
    token = new_anonymous_csrf(key)
    assert anonymous_csrf_valid(key, cookie=token, submitted=token)
    assert not anonymous_csrf_valid(b"x" * 32, cookie=token, submitted=token)
    assert not anonymous_csrf_valid(key, cookie=token, submitted=token + "x")
    assert not anonymous_csrf_valid(key, cookie="abc.def", submitted="abc.def")
    assert not anonymous_csrf_valid(key, cookie=None, submitted=token)
