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

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    Table,
    delete,
    event,
    exists,
    func,
    insert,
    inspect,
    select,
)
from sqlalchemy.orm import Mapper, Session

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


def _begins_a_term(terms: Any, token: str) -> list[ColumnElement[bool]]:
    """`token` begins the term: one range of the term index."""
    in_range = [terms.c.term >= token]
    bound = upper_bound(token)
    if bound is not None:
        in_range.append(terms.c.term < bound)
    return in_range


def matching(patient_id: Any, search: str | None) -> list[ColumnElement[bool]]:
    """Conditions on a patient id column: every token of `search` begins a term of the patient
    (no conditions for an empty search)."""
    return [
        patient_id.in_(select(TERMS.c.patient_id).where(*_begins_a_term(TERMS, token)))
        for token in query_tokens(search)
    ]


def matching_patients(*, db: Session, search: str | None, most_terms: int) -> Select[int] | None:
    """The ids of the patients `search` matches, as a query on the term index alone, when its
    rarest token begins at most `most_terms` terms; None when every token is more common (a
    broad search, or none: then testing the rows one by one with `matching` reads less).

    The rarest token's range drives; every other token is checked on the same patient's terms
    (the primary key: patient, then term). Counting a token's terms stops at `most_terms` + 1."""
    tokens = query_tokens(search)
    terms_in_range = {
        token: db.scalar(
            select(func.count()).select_from(
                select(TERMS.c.term)
                .where(*_begins_a_term(TERMS, token))
                .limit(most_terms + 1)
                .subquery()
            )
        )
        or 0
        for token in tokens
    }
    if not tokens or min(terms_in_range.values()) > most_terms:
        return None
    rarest = min(tokens, key=terms_in_range.__getitem__)
    other = TERMS.alias("other_terms")
    also = [
        exists(
            select(other.c.term).where(
                other.c.patient_id == TERMS.c.patient_id, *_begins_a_term(other, token)
            )
        )
        for token in tokens
        if token != rarest
    ]
    return select(TERMS.c.patient_id).where(*_begins_a_term(TERMS, rarest), *also)


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
