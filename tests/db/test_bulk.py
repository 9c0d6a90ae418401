"""Bulk writes: ids reserved up front, stamps filled, sequences moved past the new ids."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.accounts.models import Site
from limbsalvage.db.bulk import BulkWriter
from limbsalvage.db.models import Base
from tests.conftest import FIXED_NOW

SITES = Base.metadata.tables["sites"]


def test_reserved_ids_follow_the_stored_ones_and_never_overlap(db: Session) -> None:
    db.add(Site(code="orm", name="ORM", settings={}))
    db.flush()
    stored = db.scalar(select(Site.id))
    writer = BulkWriter(db, chunk_rows=2)
    first, second = writer.reserve_ids(SITES, 3), writer.reserve_ids(SITES, 2)
    assert first == range(stored + 1, stored + 4)
    assert second == range(stored + 4, stored + 6)


def test_rows_are_written_in_chunks_with_stamps(db: Session) -> None:
    db.info["actor_id"] = None
    writer = BulkWriter(db, chunk_rows=2)
    ids = writer.reserve_ids(SITES, 5)
    rows = [{"id": i, "code": f"s{i}", "name": "S", "settings": {}} for i in ids]
    assert writer.insert(SITES, iter(rows)) == 5
    writer.finish()
    assert writer.counts == {"sites": 5}
    sites = db.scalars(select(Site).order_by(Site.id)).all()
    assert [s.code for s in sites] == [f"s{i}" for i in ids]
    assert all(s.created_at == FIXED_NOW and s.version == 1 for s in sites)
    # The database's own id generator continues after the bulk-written ids.
    db.add(Site(code="next", name="Next", settings={}))
    db.flush()
    assert db.scalar(select(Site.id).where(Site.code == "next")) == ids[-1] + 1


def test_stamps_of_tables_without_them_are_left_alone(db: Session) -> None:
    head = Base.metadata.tables["audit_head"]
    rows = [{"id": 2, "seq": 0, "hash": "x"}]
    BulkWriter(db).stamp(head, rows)
    assert rows == [{"id": 2, "seq": 0, "hash": "x"}]
