"""Photo files leave the data folder only after the commit that removed their rows: purge,
photo and assessment deletion, the sweep of orphans. SQLite and PostgreSQL."""

import logging
import os
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.assessments import service
from limbsalvage.assessments.models import Assessment, Photo
from limbsalvage.assessments.photo_files import remove_after_commit, sweep_orphan_photo_files
from limbsalvage.assessments.schemas import PhotoIn
from limbsalvage.core.vocabulary import FindingKind
from limbsalvage.patients import service as patients
from limbsalvage.settings import Settings
from tests.support.factories import make_assessment, make_episode, make_patient, make_site

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x01" * 32


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path)


@pytest.fixture
def assessment(db: Session) -> Assessment:
    return make_assessment(db, make_episode(db, make_patient(db, make_site(db))))


def _photo(db: Session, assessment: Assessment, settings: Settings, content: bytes = PNG) -> Photo:
    return service.create_photo(
        db=db,
        assessment_id=assessment.id,
        photo_in=PhotoIn(taken_on=date(2026, 1, 6), caption="plantar view"),
        content=content,
        content_type="image/png" if content == PNG else "image/jpeg",
        settings=settings,
    )


def _folder(settings: Settings, assessment: Assessment) -> Path:
    return settings.data_dir / "photos" / str(assessment.patient_id)


def test_a_purge_removes_the_files_once_committed(
    db: Session, assessment: Assessment, settings: Settings
) -> None:
    _photo(db, assessment, settings)
    _photo(db, assessment, settings, JPEG)
    db.commit()
    patients.purge_patient(
        db=db, patient_id=assessment.patient_id, reason="registered in error", settings=settings
    )
    assert len(list(_folder(settings, assessment).iterdir())) == 2  # not before the commit
    db.commit()
    assert not _folder(settings, assessment).exists()


def test_a_purge_rolled_back_keeps_the_files(
    db: Session, assessment: Assessment, settings: Settings
) -> None:
    photo = _photo(db, assessment, settings)
    db.commit()
    patients.purge_patient(
        db=db, patient_id=assessment.patient_id, reason="registered in error", settings=settings
    )
    db.rollback()
    assert (settings.data_dir / photo.file_path).is_file()
    db.commit()  # a later commit does not act on the rolled-back purge
    assert (settings.data_dir / photo.file_path).is_file()
    assert db.scalars(select(Photo)).all()


def test_a_failed_savepoint_keeps_the_pending_removal(
    db: Session, assessment: Assessment, settings: Settings
) -> None:
    _photo(db, assessment, settings)
    db.commit()
    patients.purge_patient(db=db, patient_id=assessment.patient_id, reason="x", settings=settings)
    nested = db.begin_nested()
    nested.rollback()
    db.commit()
    assert not _folder(settings, assessment).exists()


def test_deleting_a_photo_keeps_a_file_another_row_still_names(
    db: Session, assessment: Assessment, settings: Settings
) -> None:
    first, second = _photo(db, assessment, settings), _photo(db, assessment, settings)
    other = _photo(db, assessment, settings, JPEG)
    db.commit()
    assert first.file_path == second.file_path  # content addressed: one file, two rows
    for photo in (first, second):
        service.delete_finding(
            db=db,
            kind=FindingKind.PHOTO,
            finding_id=photo.id,
            expected_version=photo.version,
            settings=settings,
        )
        db.commit()
        assert (settings.data_dir / first.file_path).is_file() is (photo is first)
    assert (settings.data_dir / other.file_path).is_file()


def test_deleting_an_assessment_removes_its_photos_files(
    db: Session, assessment: Assessment, settings: Settings
) -> None:
    photo = _photo(db, assessment, settings)
    db.commit()
    service.delete_assessment(
        db=db, assessment_id=assessment.id, expected_version=assessment.version, settings=settings
    )
    db.commit()
    assert not (settings.data_dir / photo.file_path).exists()
    assert not _folder(settings, assessment).exists()


def test_a_file_that_cannot_be_removed_is_logged_never_raised(
    db: Session, assessment: Assessment, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    _photo(db, assessment, settings)
    db.commit()
    (_folder(settings, assessment) / "stuck.png").mkdir()  # unlink refuses a directory
    remove_after_commit(db, data_dir=settings.data_dir, patient_ids=[assessment.patient_id])
    patients.purge_patient(db=db, patient_id=assessment.patient_id, reason="x", settings=settings)
    with caplog.at_level(logging.WARNING):
        db.commit()
    assert "1 photo file(s) could not be removed" in caplog.text
    assert [p.name for p in _folder(settings, assessment).iterdir()] == ["stuck.png"]


def test_the_sweep_removes_only_old_unnamed_files(
    db: Session, assessment: Assessment, settings: Settings
) -> None:
    assert sweep_orphan_photo_files(db=db, data_dir=settings.data_dir) == 0  # no photos yet
    named = _photo(db, assessment, settings)
    folder = _folder(settings, assessment)
    old, young, partial = folder / "old.png", folder / "young.png", folder / "p.png.partial"
    stray = settings.data_dir / "photos" / "999999" / "gone.png"
    stray.parent.mkdir()
    for path in (old, young, partial, stray):
        path.write_bytes(PNG)
    hours_ago = time.time() - 2 * 3600
    for path in (old, partial, stray, settings.data_dir / named.file_path):
        os.utime(path, (hours_ago, hours_ago))
    assert sweep_orphan_photo_files(db=db, data_dir=settings.data_dir) == 2
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [Path(named.file_path).name, "young.png", "p.png.partial"]
    )
    assert not stray.parent.exists()


def test_remove_photo_files_removes_a_purged_patient_s_folder(
    db: Session, assessment: Assessment, settings: Settings
) -> None:
    _photo(db, assessment, settings)
    _photo(db, assessment, settings, JPEG)
    assert service.remove_photo_files(settings=settings, patient_id=assessment.patient_id) == 2
    assert not _folder(settings, assessment).exists()
    assert service.remove_photo_files(settings=settings, patient_id=assessment.patient_id) == 0
