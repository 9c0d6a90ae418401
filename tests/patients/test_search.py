"""Name/MRN search on the search-term index: what matches, and the terms kept current on every
write path (service create and edit, delete, purge, bulk writes, the migration's backfill)."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session

from limbsalvage.accounts.models import Site
from limbsalvage.db.bulk import BulkWriter
from limbsalvage.db.migrate import upgrade_database
from limbsalvage.db.models import Base
from limbsalvage.patients import service
from limbsalvage.patients.models import PatientSearchTerm
from limbsalvage.settings import Settings
from tests.support.factories import make_patient, make_site


def _found(db: Session, site: Site, search: str) -> list[str]:
    rows, total = service.list_patients(db=db, site_ids=[site.id], search=search)
    assert total == len(rows)
    return sorted(patient.mrn for patient in rows)


def _terms(db: Session, patient_id: int) -> set[str]:
    query = select(PatientSearchTerm.term).where(PatientSearchTerm.patient_id == patient_id)
    return set(db.scalars(query))


@pytest.fixture
def site(db: Session) -> Site:
    site = make_site(db)
    make_patient(db, site, mrn="SYN-00012345", given_name="Mary Ann", family_name="Smith-Jones")
    make_patient(db, site, mrn="SYN-00012399", given_name="Grace", family_name="Hopper")
    make_patient(db, site, mrn="X-77", given_name="Jörg", family_name="MÜLLER")
    make_patient(db, site, mrn="Q-1", given_name="Seán", family_name="O\u2019Brien")
    return site


def test_names_match_from_the_start_of_a_word_or_a_part_any_case(db: Session, site: Site) -> None:
    assert _found(db, site, "smith") == ["SYN-00012345"]
    assert _found(db, site, "JON") == ["SYN-00012345"]  # a part of a hyphenated name
    assert _found(db, site, "smith-jones") == ["SYN-00012345"]
    assert _found(db, site, "ann") == ["SYN-00012345"]  # the second given name
    assert _found(db, site, "müll") == ["X-77"]
    assert _found(db, site, "o'brien") == ["Q-1"]  # typographic apostrophe stored
    assert _found(db, site, "brien") == ["Q-1"]


def test_every_word_of_a_search_must_match(db: Session, site: Site) -> None:
    assert _found(db, site, "mary smith") == ["SYN-00012345"]
    assert _found(db, site, "Smith, Mary") == ["SYN-00012345"]
    assert _found(db, site, "mary hopper") == []


def test_what_does_not_match(db: Session, site: Site) -> None:
    assert _found(db, site, "ith") == []  # inside a word
    assert _found(db, site, "muller") == []  # accents are significant
    assert _found(db, site, "12345") == []  # inside an MRN
    assert _found(db, site, "%") == []  # no wildcards
    assert _found(db, site, "_") == []


def test_mrn_matches_whole_or_by_its_start(db: Session, site: Site) -> None:
    assert _found(db, site, "syn-000123") == ["SYN-00012345", "SYN-00012399"]
    assert _found(db, site, "SYN-00012345") == ["SYN-00012345"]
    assert _found(db, site, "x-77") == ["X-77"]


def test_an_empty_search_lists_everyone_of_the_site(db: Session, site: Site) -> None:
    assert len(_found(db, site, "  ")) == 4
    other = make_site(db, code="south", name="South")
    make_patient(db, other, mrn="SYN-00012300", given_name="Mary", family_name="Smith")
    assert _found(db, site, "mary smith") == ["SYN-00012345"]


def test_an_edit_of_a_name_or_mrn_moves_the_terms(db: Session, site: Site) -> None:
    (hopper,) = service.list_patients(db=db, site_ids=[site.id], search="hopper")[0]
    service.update_patient(
        db=db,
        patient_id=hopper.id,
        expected_version=hopper.version,
        changes={"family_name": "Hopper-Murray", "mrn": "GH-1"},
    )
    db.flush()
    assert _terms(db, hopper.id) == {"grace", "hopper-murray", "hopper", "murray", "gh-1"}
    assert _found(db, site, "murray") == ["GH-1"]
    assert _found(db, site, "syn-00012399") == []
    service.update_patient(
        db=db, patient_id=hopper.id, expected_version=hopper.version, changes={"diabetes": False}
    )
    db.flush()
    assert _found(db, site, "murray") == ["GH-1"]


def test_delete_and_purge_take_the_terms(db: Session, site: Site, tmp_path: Path) -> None:
    (hopper,) = service.list_patients(db=db, site_ids=[site.id], search="hopper")[0]
    service.delete_patient(db=db, patient_id=hopper.id)
    db.flush()
    assert _terms(db, hopper.id) == set()
    (muller,) = service.list_patients(db=db, site_ids=[site.id], search="müller")[0]
    counts = service.purge_patient(
        db=db, patient_id=muller.id, reason="registered twice", settings=Settings(data_dir=tmp_path)
    )
    db.flush()
    assert "patient_search_terms" not in counts
    assert _terms(db, muller.id) == set()


def test_bulk_writes_derive_the_terms(db: Session) -> None:
    site = make_site(db)
    writer = BulkWriter(db)
    patients = Base.metadata.tables["patients"]
    (patient_id,) = writer.reserve_ids(patients, 1)
    row = {"id": patient_id, "site_id": site.id, "mrn": "B-9", "given_name": "Ada", "sex": "female"}
    writer.insert(patients, [{**row, "family_name": "Byron", "birth_date": date(1950, 1, 1)}])
    writer.insert(patients, [])
    writer.finish()
    assert writer.counts == {"patients": 1}
    assert _terms(db, patient_id) == {"ada", "byron", "b-9"}
    assert _found(db, site, "byr") == ["B-9"]


def test_the_migration_derives_the_terms_of_stored_patients(fresh_engine: Engine) -> None:
    upgrade_database(fresh_engine, revision="sign_in_failures")
    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    with fresh_engine.begin() as connection:
        connection.execute(
            insert(Base.metadata.tables["sites"]),
            {
                "id": 1,
                "code": "n",
                "name": "North",
                "settings": {},
                "created_at": stamp,
                "updated_at": stamp,
                "version": 1,
            },
        )
        connection.execute(
            insert(Base.metadata.tables["patients"]),
            [
                {
                    "id": i,
                    "site_id": 1,
                    "mrn": f"M-{i}",
                    "given_name": "Ada",
                    "family_name": f"Lovelace-{i}",
                    "birth_date": date(1950, 1, 1),
                    "sex": "female",
                    "is_synthetic": False,
                    "created_at": stamp,
                    "updated_at": stamp,
                    "version": 1,
                }
                for i in (1, 2)
            ],
        )
    upgrade_database(fresh_engine)
    with fresh_engine.connect() as connection:
        terms = connection.execute(
            select(PatientSearchTerm.patient_id, PatientSearchTerm.term).order_by(
                PatientSearchTerm.patient_id, PatientSearchTerm.term
            )
        ).all()
    assert [tuple(t) for t in terms] == [
        (1, "1"),
        (1, "ada"),
        (1, "lovelace"),
        (1, "lovelace-1"),
        (1, "m-1"),
        (2, "2"),
        (2, "ada"),
        (2, "lovelace"),
        (2, "lovelace-2"),
        (2, "m-2"),
    ]
