"""`limbsalvage db` and `limbsalvage audit`: exit 0 with a summary, or 2 with one line."""

from pathlib import Path

import pytest

from limbsalvage.cli.main import main
from limbsalvage.settings import get_settings
from tests.support.databases import fresh_database


@pytest.fixture
def database_url(backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    with fresh_database(backend, tmp_path) as url:
        monkeypatch.setenv("LIMBSALVAGE_DATABASE_URL", url)
        get_settings.cache_clear()
        yield url
    get_settings.cache_clear()


def test_upgrade_then_check_then_verify(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "current"]) == 0
    assert capsys.readouterr().out.strip() == "empty"
    assert main(["db", "check"]) == 2
    assert "run `limbsalvage db upgrade`" in capsys.readouterr().err
    assert main(["db", "upgrade"]) == 0
    assert "(was empty)" in capsys.readouterr().out
    assert main(["db", "check"]) == 0
    assert "models and migrations agree" in capsys.readouterr().out
    assert main(["audit", "verify"]) == 0
    assert "audit chain intact: 0 entries" in capsys.readouterr().out


def test_a_bad_database_url_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LIMBSALVAGE_DATABASE_URL", "mysql://somewhere/db")
    get_settings.cache_clear()
    try:
        assert main(["db", "current"]) == 2
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "LIMBSALVAGE_DATABASE_URL: must be a sqlite:/// or postgresql+psycopg://" in err


def test_an_unreachable_server_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LIMBSALVAGE_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:1/x")
    get_settings.cache_clear()
    try:
        assert main(["db", "current"]) == 2
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert err.startswith("limbsalvage: error: database: cannot use it")
    assert err.count("\n") == 1


def test_backup_and_restore_commands(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    archive = tmp_path / "copy.gz"
    assert main(["db", "backup", str(archive)]) == 0
    assert f"to {archive}" in capsys.readouterr().out
    assert main(["db", "restore", str(archive)]) == 0  # an empty program restores into itself
    assert capsys.readouterr().out.startswith("restored 1 rows into 1 tables")  # the audit head
    assert main(["db", "restore", str(tmp_path / "missing.gz")]) == 2
    err = capsys.readouterr().err
    assert "does not exist" in err
