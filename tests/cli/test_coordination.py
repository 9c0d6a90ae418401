"""`limbsalvage tasks overdue` and `limbsalvage conference agenda`: printed, audited, one-line
errors. SQLite and PostgreSQL."""

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from limbsalvage.care import service as care
from limbsalvage.care.schemas import TaskIn
from limbsalvage.cli.main import main
from limbsalvage.conference import service as conference
from limbsalvage.conference.schemas import ManualCaseIn
from limbsalvage.core.vocabulary import CareRole
from limbsalvage.db.audit import AuditEntry
from limbsalvage.db.engine import make_engine
from limbsalvage.db.migrate import upgrade_database
from limbsalvage.db.session import make_sessionmaker, unit_of_work
from limbsalvage.settings import get_settings
from tests.support.databases import fresh_database
from tests.support.factories import make_episode, make_patient, make_site, set_time_zone

CONFERENCE = date(2026, 12, 3)


@pytest.fixture
def site_code(backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with fresh_database(backend, tmp_path) as url:
        monkeypatch.setenv("LIMBSALVAGE_DATABASE_URL", url)
        get_settings.cache_clear()
        engine = make_engine(url)
        upgrade_database(engine)
        with unit_of_work(make_sessionmaker(engine)) as db:
            site = set_time_zone(db, make_site(db))
            episode = make_episode(db, make_patient(db, site))
            for title, due in (("Book duplex", datetime(2026, 1, 2, tzinfo=UTC)),
                               ("Review in clinic", datetime(2099, 1, 1, tzinfo=UTC))):  # fmt: skip
                care.create_task(
                    db=db,
                    episode_id=episode.id,
                    task_in=TaskIn(title=title, owner_role=CareRole.COORDINATOR, due_at=due),
                    site_ids=[site.id],
                )
            conference.add_case(
                db=db,
                episode_id=episode.id,
                case_in=ManualCaseIn(conference_on=CONFERENCE, reason="wound not healing"),
                site_ids=[site.id],
            )
            code = site.code
        engine.dispose()
        yield code
    get_settings.cache_clear()


def _audited(entity: str) -> list[str]:
    engine = make_engine(get_settings().resolved_database_url)
    with unit_of_work(make_sessionmaker(engine)) as db:
        rows = db.scalars(select(AuditEntry).where(AuditEntry.entity == entity)).all()
        details = [row.detail or "" for row in rows if row.action == "list"]
    engine.dispose()
    return details


def test_overdue_tasks(site_code: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tasks", "overdue", "--site", site_code, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [row["title"] for row in data["overdue"]] == ["Book duplex"]
    assert data["overdue"][0]["overdue_hours"] > 24
    assert main(["tasks", "overdue", "--site", site_code]) == 0
    assert "h overdue, coordinator: Book duplex" in capsys.readouterr().out
    assert main(["tasks", "overdue", "--site", site_code, "--role", "wound_nurse"]) == 0
    assert capsys.readouterr().out == f"No overdue task at site {site_code}.\n"
    assert _audited("care_tasks") == ["overdue: 1", "overdue: 1", "overdue: 0"]


def test_conference_agenda(site_code: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["conference", "agenda", "--site", site_code, "--on", CONFERENCE.isoformat()]
    assert main([*argv, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["conference_on"] == "2026-12-03"
    (case,) = data["cases"]
    assert (case["side"], case["why"]) == ("left", ["added: wound not healing"])
    assert main(argv) == 0
    text = capsys.readouterr().out
    assert "multidisciplinary conference 2026-12-03" in text
    assert "why listed: added: wound not healing" in text
    assert main([*argv[:-1], "2026-12-10"]) == 0
    assert "No case listed." in capsys.readouterr().out
    assert len(_audited("conference_cases")) == 3


def test_errors_are_one_line(site_code: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["conference", "agenda", "--site", site_code]) == 2
    assert "conference_weekday: not set" in capsys.readouterr().err
    assert main(["tasks", "overdue", "--site", "nowhere"]) == 2
    assert capsys.readouterr().err == "limbsalvage: error: site 'nowhere' not found\n"
