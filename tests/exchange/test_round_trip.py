"""Export → import into an empty database gives back every table exactly (both backends)."""

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from limbsalvage.db import audit
from limbsalvage.db.audit import AuditEntry
from limbsalvage.db.models import Base
from limbsalvage.db.session import unit_of_work
from limbsalvage.demo.load import load_demo
from limbsalvage.exchange.export import export_csv
from limbsalvage.exchange.importer import import_csv
from limbsalvage.exchange.tables import (
    EXCLUDED_TABLES,
    exchanged_columns,
    exchanged_tables,
    file_name,
)

pytestmark = pytest.mark.usefixtures("fast_password_hashing")
Factories = tuple[sessionmaker[Session], sessionmaker[Session]]


def _tables(factory: sessionmaker[Session]) -> dict[str, list[tuple[object, ...]]]:
    with factory() as db:
        return {
            table.name: [
                tuple(row)
                for row in db.execute(
                    select(*exchanged_columns(table)).order_by(*table.primary_key.columns)
                )
            ]
            for table in exchanged_tables()
        }


def test_every_table_round_trips_exactly(source_and_target: Factories, tmp_path: Path) -> None:
    source, target = source_and_target
    with unit_of_work(source) as db:
        load_demo(db=db, patients=150, seed=21)
    with unit_of_work(source) as db:
        exported = export_csv(db=db, directory=tmp_path / "one")
    with unit_of_work(target) as db:
        # skip_invalid only so that a failure lists the problems instead of raising.
        report = import_csv(db=db, directory=tmp_path / "one", skip_invalid=True)
    assert [str(p) for p in report.problems] == []
    assert report.written == exported.rows
    assert exported.rows["patients"] == 150
    before, after = _tables(source), _tables(target)
    assert set(before) == {t.name for t in Base.metadata.sorted_tables} - EXCLUDED_TABLES
    for name, rows in before.items():
        assert after[name] == rows, name
    # Exporting the copy writes byte-identical files.
    with unit_of_work(target) as db:
        export_csv(db=db, directory=tmp_path / "two")
    for table in exchanged_tables():
        one = (tmp_path / "one" / file_name(table)).read_bytes()
        assert (tmp_path / "two" / file_name(table)).read_bytes() == one, table.name


def test_import_and_export_are_audited_and_the_chain_holds(
    source_and_target: Factories, tmp_path: Path
) -> None:
    source, target = source_and_target
    with unit_of_work(source) as db:
        load_demo(db=db, patients=20, seed=2)
        export_csv(db=db, directory=tmp_path)
    with unit_of_work(target) as db:
        import_csv(db=db, directory=tmp_path)
    with source() as db:
        exports = db.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all()
        assert len(exports) == 1
        assert '"deidentified": false' in (exports[0].detail or "")
    with target() as db:
        imports = db.scalars(select(AuditEntry).where(AuditEntry.action == "import")).all()
        assert {e.entity for e in imports} == {t.name for t in exchanged_tables()}
        assert all('"sha256": "' in (e.detail or "") for e in imports)
        assert audit.verify(db.connection()).ok
        # Ids continue after the imported ones: the next ORM insert does not collide.
        from limbsalvage.accounts.models import Site  # noqa: PLC0415

        db.add(Site(code="after-import", name="After", settings={}))
        db.flush()
        db.rollback()


def test_an_export_never_overwrites(source_and_target: Factories, tmp_path: Path) -> None:
    source, _ = source_and_target
    (tmp_path / "patients.csv").write_text("old")
    with unit_of_work(source) as db, pytest.raises(FileExistsError, match="already holds CSV"):
        export_csv(db=db, directory=tmp_path)
    assert (tmp_path / "patients.csv").read_text() == "old"
