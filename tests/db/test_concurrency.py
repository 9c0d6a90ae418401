"""Optimistic concurrency across two real sessions: the second writer gets a conflict."""

import pytest
from sqlalchemy import Engine

from limbsalvage.db.migrate import upgrade_database
from limbsalvage.db.session import make_sessionmaker, unit_of_work
from limbsalvage.errors import StaleUpdate
from limbsalvage.patients import service
from tests.support.factories import make_patient, make_site


def test_two_clinicians_editing_the_same_patient(fresh_engine: Engine) -> None:
    upgrade_database(fresh_engine)
    factory = make_sessionmaker(fresh_engine)
    with unit_of_work(factory) as db:
        patient_id = make_patient(db, make_site(db)).id
    # Both read version 1; the first save wins, the second is refused, not silently applied.
    with unit_of_work(factory, actor_id=None) as db:
        service.update_patient(
            db=db, patient_id=patient_id, expected_version=1, changes={"bmi_kg_m2": 30}
        )
    with pytest.raises(StaleUpdate), unit_of_work(factory) as db:
        service.update_patient(
            db=db, patient_id=patient_id, expected_version=1, changes={"bmi_kg_m2": 22}
        )
    with unit_of_work(factory) as db:
        stored = service.get_patient(db=db, patient_id=patient_id)
        assert (stored.bmi_kg_m2, stored.version) == (30, 2)
