"""`limbsalvage admin`: purge a patient (rows, audit entry, then photo files) and sweep photos."""

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from limbsalvage.assessments import service as assessments
from limbsalvage.assessments.schemas import PhotoIn
from limbsalvage.cli.main import main
from limbsalvage.db.audit import AuditEntry
from limbsalvage.db.engine import make_engine
from limbsalvage.db.migrate import upgrade_database
from limbsalvage.db.session import make_sessionmaker, unit_of_work
from limbsalvage.patients.models import Patient
from limbsalvage.settings import get_settings
from tests.support.databases import fresh_database
from tests.support.factories import make_assessment, make_episode, make_patient, make_site

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def patient_id(backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    with fresh_database(backend, tmp_path) as url:
        monkeypatch.setenv("LIMBSALVAGE_DATABASE_URL", url)
        monkeypatch.setenv("LIMBSALVAGE_DATA_DIR", str(tmp_path / "data"))
        get_settings.cache_clear()
        engine = make_engine(url)
        upgrade_database(engine)
        with unit_of_work(make_sessionmaker(engine)) as db:
            assessment = make_assessment(db, make_episode(db, make_patient(db, make_site(db))))
            assessments.create_photo(
                db=db,
                assessment_id=assessment.id,
                photo_in=PhotoIn(taken_on=date(2026, 1, 6)),
                content=PNG,
                content_type="image/png",
                settings=get_settings(),
            )
            identifier = assessment.patient_id
        engine.dispose()
        yield identifier
    get_settings.cache_clear()


def test_purge_removes_rows_then_files(patient_id: int, capsys: pytest.CaptureFixture[str]) -> None:
    folder = get_settings().data_dir / "photos" / str(patient_id)
    assert folder.is_dir()
    assert main(["admin", "purge-patient", str(patient_id), "--reason", "registered twice"]) == 0
    assert f"patient {patient_id} purged" in capsys.readouterr().out
    assert not folder.exists()
    engine = make_engine(get_settings().resolved_database_url)
    with unit_of_work(make_sessionmaker(engine)) as db:
        assert db.get(Patient, patient_id) is None
        purges = db.scalar(select(func.count()).where(AuditEntry.action == "purge"))
        assert purges == 1
    engine.dispose()


def test_purge_errors_are_one_line(patient_id: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["admin", "purge-patient", str(patient_id), "--reason", " "]) == 2
    assert "reason: a reason is required" in capsys.readouterr().err
    assert main(["admin", "purge-patient", "999999", "--reason", "x"]) == 2
    assert capsys.readouterr().err == "limbsalvage: error: patient 999999 not found\n"
    assert (get_settings().data_dir / "photos" / str(patient_id)).is_dir()  # nothing removed


def test_sweep_keeps_named_files(patient_id: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["admin", "sweep-photos"]) == 0
    assert capsys.readouterr().out == "0 photo file(s) removed\n"
    assert (get_settings().data_dir / "photos" / str(patient_id)).is_dir()
