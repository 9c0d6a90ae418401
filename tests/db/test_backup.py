"""Backup while in use, restore into an empty database, and compare every table."""

import gzip
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from limbsalvage.accounts.models import Site
from limbsalvage.db import audit, backup
from limbsalvage.db.engine import make_engine
from limbsalvage.db.migrate import is_up_to_date, upgrade_database
from limbsalvage.db.models import Base
from limbsalvage.db.session import make_sessionmaker, unit_of_work
from limbsalvage.errors import Conflict, Invalid
from limbsalvage.patients import service
from tests.support.databases import fresh_database
from tests.support.factories import make_episode, make_patient, make_site


def snapshot(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    with engine.connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in Base.metadata.sorted_tables
        }


def populate(engine: Engine) -> None:
    upgrade_database(engine)
    factory = make_sessionmaker(engine)
    with unit_of_work(factory) as db:
        site = make_site(db)
        patient = make_patient(db, site, hba1c_pct=7.25, bmi_kg_m2=1 / 3 * 90)
        make_episode(db, patient)
        service.update_patient(
            db=db, patient_id=patient.id, expected_version=1, changes={"dialysis": True}
        )


def test_restore_reproduces_every_row_and_the_audit_chain(
    fresh_engine: Engine, backend: str, tmp_path: Path
) -> None:
    populate(fresh_engine)
    archive = tmp_path / "program.backup.gz"
    counts = backup.backup(fresh_engine, archive)
    assert counts["patients"] == 1
    assert not archive.with_name(archive.name + ".partial").exists()
    with fresh_database(backend, tmp_path) as url:
        target = make_engine(url)
        try:
            restored = backup.restore(target, archive)
            assert restored == {k: v for k, v in counts.items() if v}
            assert snapshot(target) == snapshot(fresh_engine)
            assert is_up_to_date(target)
            with target.connect() as connection:
                assert audit.verify(connection).ok
            # New rows after a restore get fresh ids (sequences moved past the restored ones).
            with unit_of_work(make_sessionmaker(target)) as db:
                second = make_patient(db, db.scalars(select(Site)).one(), mrn="NEW")
                assert second.id == 2
        finally:
            target.dispose()


def test_restore_refuses_a_database_with_data(fresh_engine: Engine, tmp_path: Path) -> None:
    populate(fresh_engine)
    archive = tmp_path / "b.gz"
    backup.backup(fresh_engine, archive)
    with pytest.raises(Conflict, match="restore needs an empty database"):
        backup.restore(fresh_engine, archive)


def test_restore_refuses_a_file_that_is_not_a_backup(fresh_engine: Engine, tmp_path: Path) -> None:
    bogus = tmp_path / "notes.gz"
    with gzip.open(bogus, "wt") as out:
        out.write("hello\n")
    with pytest.raises(Invalid, match="not a limbsalvage backup"):
        backup.restore(fresh_engine, bogus)


def test_backup_of_a_never_migrated_database_is_refused(
    fresh_engine: Engine, tmp_path: Path
) -> None:
    with pytest.raises(Invalid, match="never migrated"):
        backup.backup(fresh_engine, tmp_path / "x.gz")
