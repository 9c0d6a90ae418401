"""Name/MRN search on an index: each patient's normalised terms, kept current on every write.

What matches is documented in limbsalvage.core.search_terms (and docs/web/README.md, "Search").
The terms live in `patient_search_terms`, derived from the patient row:

- ORM writes (registration, edits, referral conversion, purge and delete) go through the
  mapper events below, inside the same flush;
- bulk writes (the demo cohort, CSV import) go through `BulkWriter`, which writes the terms of
  each chunk of patients it inserts (`DERIVED_ROWS`).
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, delete, event, insert, inspect, select
from sqlalchemy.orm import Mapper

from limbsalvage.core.search_terms import patient_terms, query_tokens, upper_bound
from limbsalvage.db.bulk import DERIVED_ROWS
from limbsalvage.patients.models import Patient, PatientSearchTerm

SEARCHED_FIELDS = ("given_name", "family_name", "mrn")
TERMS: Table = PatientSearchTerm.__table__  # type: ignore[assignment]


def term_rows(patients: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The search-term rows of patient rows (each with id, names and MRN)."""
    return [
        {"patient_id": row["id"], "term": term}
        for row in patients
        for term in sorted(
            patient_terms(
                given_name=row["given_name"], family_name=row["family_name"], mrn=row["mrn"]
            )
        )
    ]


def matching(patient_id: Any, search: str | None) -> list[ColumnElement[bool]]:
    """Conditions on a patient id column: every token of `search` begins a term of the patient
    (no conditions for an empty search)."""
    conditions = []
    for token in query_tokens(search):
        in_range = [TERMS.c.term >= token]
        bound = upper_bound(token)
        if bound is not None:
            in_range.append(TERMS.c.term < bound)
        conditions.append(patient_id.in_(select(TERMS.c.patient_id).where(*in_range)))
    return conditions


def _write_terms(connection: Connection, patient: Patient) -> None:
    rows = term_rows(
        [{"id": patient.id, **{name: getattr(patient, name) for name in SEARCHED_FIELDS}}]
    )
    if rows:
        connection.execute(insert(TERMS), rows)


def _forget_terms(connection: Connection, patient: Patient) -> None:
    connection.execute(delete(TERMS).where(TERMS.c.patient_id == patient.id))


@event.listens_for(Patient, "after_insert")
def _after_insert(_mapper: Mapper[Patient], connection: Connection, patient: Patient) -> None:
    _write_terms(connection, patient)


@event.listens_for(Patient, "after_update")
def _after_update(_mapper: Mapper[Patient], connection: Connection, patient: Patient) -> None:
    state = inspect(patient)
    if any(state.attrs[name].history.has_changes() for name in SEARCHED_FIELDS):
        _forget_terms(connection, patient)
        _write_terms(connection, patient)


@event.listens_for(Patient, "before_delete")
def _before_delete(_mapper: Mapper[Patient], connection: Connection, patient: Patient) -> None:
    _forget_terms(connection, patient)


DERIVED_ROWS["patients"] = (TERMS, term_rows)
