"""Read units of work: no write lock while reading, the access audit written after the read."""

import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select

from limbsalvage.accounts.models import UserSession
from limbsalvage.accounts.service import resume_session, start_session
from limbsalvage.core.vocabulary import Role
from limbsalvage.db import audit
from limbsalvage.db.audit import AuditEntry
from limbsalvage.db.engine import make_engine
from limbsalvage.db.migrate import upgrade_database
from limbsalvage.db.session import (
    WriteInReadTransaction,
    make_sessionmaker,
    read_unit_of_work,
    unit_of_work,
)
from limbsalvage.patients.models import Patient
from tests.conftest import FIXED_NOW
from tests.support.factories import make_patient, make_site, make_user


@pytest.fixture
def engine(fresh_engine: Engine) -> Iterator[Engine]:
    # A short busy timeout: were the read to wait for the writer, the test fails in seconds.
    url = fresh_engine.url.render_as_string(hide_password=False)
    quick = make_engine(url, sqlite_busy_timeout_ms=3000)
    upgrade_database(quick)
    yield quick
    quick.dispose()


def _accesses(engine: Engine) -> list[str | None]:
    with engine.connect() as connection:
        return list(
            connection.scalars(
                select(AuditEntry.detail)
                .where(AuditEntry.action == "read")
                .order_by(AuditEntry.seq)
            )
        )


def test_a_read_proceeds_while_a_writer_holds_the_lock(engine: Engine) -> None:
    factory = make_sessionmaker(engine)
    with unit_of_work(factory) as db:
        make_patient(db, make_site(db))
    writer_holds_lock, read_done = threading.Event(), threading.Event()

    def writer() -> None:
        with unit_of_work(factory) as db:
            db.add(
                Patient(
                    site_id=1,
                    mrn="W-1",
                    given_name="Wr",
                    family_name="Iter",
                    birth_date=FIXED_NOW.date(),
                    sex="female",
                )
            )
            db.flush()
            writer_holds_lock.set()
            read_done.wait(timeout=20)

    thread = threading.Thread(target=writer)
    thread.start()
    assert writer_holds_lock.wait(timeout=20)
    with read_unit_of_work(factory) as db:
        # The reader sees the snapshot before the writer's uncommitted patient.
        assert db.scalar(select(func.count()).select_from(Patient)) == 1
        audit.record_access(db, action="read", entity="patients", entity_id="1", detail="seen")
        read_done.set()
    thread.join()
    assert _accesses(engine) == ["seen"]
    with engine.connect() as connection:
        result = audit.verify(connection)
    assert result.ok, result


def test_a_failed_read_records_no_access(engine: Engine) -> None:
    factory = make_sessionmaker(engine)

    def failing_page() -> None:
        with read_unit_of_work(factory) as db:
            audit.record_access(db, action="read", entity="patients", entity_id="1", detail="lost")
            raise LookupError("the page failed before it was shown")

    with pytest.raises(LookupError):
        failing_page()
    assert _accesses(engine) == []


def test_a_read_may_not_write(engine: Engine) -> None:
    factory = make_sessionmaker(engine)
    with unit_of_work(factory) as db:
        make_site(db)

    def writing_read() -> None:
        with read_unit_of_work(factory) as db:
            db.add(
                Patient(
                    site_id=1,
                    mrn="R-1",
                    given_name="Re",
                    family_name="Ader",
                    birth_date=FIXED_NOW.date(),
                    sex="female",
                )
            )
            db.flush()

    with pytest.raises(WriteInReadTransaction, match="Patient"):
        writing_read()
    with unit_of_work(factory) as db:
        assert db.scalar(select(func.count()).select_from(Patient)) == 0


def test_a_session_is_touched_after_the_read(engine: Engine) -> None:
    factory = make_sessionmaker(engine)
    with unit_of_work(factory) as db:
        db.info["now"] = FIXED_NOW
        user = make_user(db, make_site(db), Role.CLINICIAN)
        token, _ = start_session(db=db, user_id=user.id, lifetime=timedelta(hours=12))
    later = FIXED_NOW + timedelta(minutes=5)
    with read_unit_of_work(factory, actor_id=user.id) as db:
        db.info["now"] = later
        assert resume_session(db=db, token=token, idle=timedelta(minutes=30)) is not None
    with unit_of_work(factory) as db:
        stored = db.scalars(select(UserSession)).one()
        assert stored.last_seen_at == later
    # An idle session is removed after the read that found it idle.
    with read_unit_of_work(factory) as db:
        db.info["now"] = later + timedelta(hours=1)
        assert resume_session(db=db, token=token, idle=timedelta(minutes=30)) is None
    with unit_of_work(factory) as db:
        assert db.scalars(select(UserSession)).all() == []
