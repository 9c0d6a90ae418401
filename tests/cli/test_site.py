"""`limbsalvage site settings`: the settings in force; changes checked; errors in one line."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from limbsalvage.cli.main import main
from limbsalvage.db.engine import make_engine
from limbsalvage.db.migrate import upgrade_database
from limbsalvage.db.session import make_sessionmaker, unit_of_work
from limbsalvage.settings import get_settings
from tests.support.databases import fresh_database
from tests.support.factories import make_site


@pytest.fixture
def site_code(backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with fresh_database(backend, tmp_path) as url:
        monkeypatch.setenv("LIMBSALVAGE_DATABASE_URL", url)
        get_settings.cache_clear()
        engine = make_engine(url)
        upgrade_database(engine)
        with unit_of_work(make_sessionmaker(engine)) as db:
            code = make_site(db).code
        engine.dispose()
        yield code
    get_settings.cache_clear()


def test_show_then_set(site_code: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["site", "settings", site_code]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["staging_windows"]["perfusion_study"] == 90
    assert shown["time_zone"] is None
    changes = tmp_path / "changes.json"
    changes.write_text(
        json.dumps({"time_zone": "Europe/London", "staging_windows": {"imaging": 60}})
    )
    assert main(["site", "settings", site_code, "--set", str(changes)]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["time_zone"], shown["staging_windows"]["imaging"]) == ("Europe/London", 60)
    assert main(["site", "settings", site_code]) == 0  # stored
    assert json.loads(capsys.readouterr().out)["staging_windows"]["imaging"] == 60


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"staging_windows": {"imaging": 0}}', "staging_windows.imaging: Input should be"),
        ("[1]", "--set: a JSON object of settings sections"),
        ("{oops", "--set: a JSON object of settings sections"),
    ],
)
def test_bad_changes_are_one_line(
    site_code: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    changes = tmp_path / "changes.json"
    changes.write_text(text)
    assert main(["site", "settings", site_code, "--set", str(changes)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("limbsalvage: error: ")
    assert message in err
    assert err.count("\n") == 1


def test_unknown_site(site_code: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["site", "settings", "nowhere"]) == 2
    assert capsys.readouterr().err == "limbsalvage: error: site 'nowhere' not found\n"
