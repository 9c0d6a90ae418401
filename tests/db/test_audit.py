"""Every change is audited in its own transaction, and the chain detects tampering."""

import json

from sqlalchemy import Engine, select, text, update
from sqlalchemy.orm import Session

from limbsalvage.accounts.models import User
from limbsalvage.db import audit
from limbsalvage.db.audit import AuditEntry
from limbsalvage.db.migrate import upgrade_database
from limbsalvage.db.session import make_sessionmaker, unit_of_work
from limbsalvage.patients import service
from tests.conftest import FIXED_NOW
from tests.support.factories import make_episode, make_patient, make_site


def entries(db: Session) -> list[AuditEntry]:
    return list(db.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


def test_create_update_delete_each_leave_an_entry_with_before_and_after(db: Session) -> None:
    site = make_site(db)
    patient = make_patient(db, site)
    service.update_patient(
        db=db, patient_id=patient.id, expected_version=1, changes={"bmi_kg_m2": 27.5}
    )
    service.delete_patient(db=db, patient_id=patient.id)
    log = [e for e in entries(db) if e.entity == "patients"]
    assert [e.action for e in log] == ["create", "update", "delete"]
    created, updated, deleted = log
    assert json.loads(created.after or "")["mrn"] == "MRN-0001"
    assert created.before is None
    assert json.loads(updated.before or "")["bmi_kg_m2"] is None
    assert json.loads(updated.after or "")["bmi_kg_m2"] == 27.5
    assert deleted.after is None
    assert json.loads(deleted.before or "")["family_name"] == "Lovelace"
    assert {e.patient_id for e in log} == {patient.id}
    assert {e.site_id for e in log} == {site.id}
    assert all(e.at == FIXED_NOW for e in log)


def test_child_rows_carry_the_patient_for_filtering(db: Session) -> None:
    patient = make_patient(db, make_site(db))
    make_episode(db, patient)
    by_entity = {e.entity: e for e in entries(db)}
    assert by_entity["limbs"].patient_id == patient.id
    assert by_entity["episodes"].patient_id == patient.id


def test_password_hashes_never_reach_the_log(db: Session) -> None:
    db.add(User(email="a@b.test", display_name="A", password_hash="$argon2id$secret"))
    db.flush()
    assert all("argon2" not in (e.after or "") for e in entries(db))


def test_reads_are_recorded_with_the_actor(db: Session) -> None:
    db.info["actor_id"] = None
    audit.record_access(
        db, action="read", entity="patients", entity_id="7", patient_id=7, site_id=1
    )
    (entry,) = entries(db)
    assert (entry.action, entry.entity_id, entry.patient_id) == ("read", "7", 7)


def test_the_chain_verifies_and_reports_the_first_tampered_entry(db: Session) -> None:
    site = make_site(db)
    for number in range(3):
        make_patient(db, site, mrn=f"M{number}")
    connection = db.connection()
    result = audit.verify(connection, chunk_size=2)
    assert result.ok
    assert result.entries_checked == len(entries(db))
    connection.execute(update(AuditEntry).where(AuditEntry.seq == 2).values(detail="edited"))
    bad = audit.verify(connection)
    assert (bad.ok, bad.first_bad_seq) == (False, 2)
    assert bad.reason == "the entry's content does not match its hash"


def test_removing_the_last_entries_is_detected(db: Session) -> None:
    make_patient(db, make_site(db))
    connection = db.connection()
    last = max(e.seq for e in entries(db))
    connection.execute(text("DELETE FROM audit_entries WHERE seq = :seq"), {"seq": last})
    result = audit.verify(connection)
    assert not result.ok
    assert result.reason == "entries after the last one were removed"


def test_removing_an_entry_in_the_middle_is_detected(db: Session) -> None:
    site = make_site(db)
    make_patient(db, site)
    connection = db.connection()
    connection.execute(text("DELETE FROM audit_entries WHERE seq = 1"))
    result = audit.verify(connection)
    assert (result.ok, result.first_bad_seq, result.reason) == (False, 1, "entry 1 is missing")


def test_a_rolled_back_change_leaves_no_audit_entry(fresh_engine: Engine) -> None:
    upgrade_database(fresh_engine)
    factory = make_sessionmaker(fresh_engine)
    with unit_of_work(factory) as db:
        site = make_site(db)
    try:
        with unit_of_work(factory) as db:
            make_patient(db, site)
            raise RuntimeError("the request failed after the write")
    except RuntimeError:
        pass
    with unit_of_work(factory) as db:
        assert [e.entity for e in entries(db)] == ["sites"]
        assert audit.verify(db.connection()).ok
