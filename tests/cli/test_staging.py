"""`limbsalvage staging`: propose, restage and index stage; errors in one line, exit 2."""

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from limbsalvage.cli.main import main
from limbsalvage.db.engine import make_engine
from limbsalvage.db.migrate import upgrade_database
from limbsalvage.db.session import make_sessionmaker, unit_of_work
from limbsalvage.settings import get_settings
from limbsalvage.staging import service
from tests.support.databases import fresh_database
from tests.support.factories import make_episode, make_patient, make_site, make_worked_clti


@pytest.fixture
def episode_id(backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    with fresh_database(backend, tmp_path) as url:
        monkeypatch.setenv("LIMBSALVAGE_DATABASE_URL", url)
        get_settings.cache_clear()
        engine = make_engine(url)
        upgrade_database(engine)
        with unit_of_work(make_sessionmaker(engine)) as db:
            db.info["defer_staging"] = True
            episode = make_episode(db, make_patient(db, make_site(db)))
            make_worked_clti(db, episode)
            identifier = episode.id
        engine.dispose()
        yield identifier
    get_settings.cache_clear()


def test_propose_restage_and_index(episode_id: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["staging", "propose", str(episode_id), "--as-of", "2026-01-06", "--json"]) == 0
    proposed = json.loads(capsys.readouterr().out)
    assert proposed["stages"]["wifi_stage"] == 4
    assert (proposed["status"], proposed["stale"], proposed["missing"]) == ("proposed", [], [])

    assert main(["staging", "restage", str(episode_id)]) == 0
    text = capsys.readouterr().out
    assert "created          False" in text
    assert "wifi_stage             4" in text

    assert main(["staging", "index", str(episode_id), "--json"]) == 0
    index = json.loads(capsys.readouterr().out)
    assert index["index_stage"] is None
    assert "no confirmed or overridden staging" in index["reason"]


def test_index_stage_once_confirmed(episode_id: int, capsys: pytest.CaptureFixture[str]) -> None:
    engine = make_engine(get_settings().resolved_database_url)
    with unit_of_work(make_sessionmaker(engine)) as db:
        proposal = service.propose_staging(db=db, episode_id=episode_id, as_of=date(2026, 1, 6))
        service.confirm_staging(db=db, snapshot_id=proposal.snapshot.id, expected_version=1)
    engine.dispose()
    assert main(["staging", "index", str(episode_id)]) == 0
    out = capsys.readouterr().out
    assert "status           confirmed" in out
    assert "window           2026-01-05 to 2026-01-19" in out


def test_errors_are_one_line(episode_id: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["staging", "propose", "999999"]) == 2
    assert capsys.readouterr().err == "limbsalvage: error: episode 999999 not found\n"
    assert main(["staging", "propose", str(episode_id), "--as-of", "2025-01-01"]) == 2
    assert "as_of: must not be before the episode's presented_on" in capsys.readouterr().err
    assert main(["staging", "propose", str(episode_id), "--as-of", "6 Jan"]) == 2
    assert "--as-of" in capsys.readouterr().err
