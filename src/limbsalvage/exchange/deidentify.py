"""`export csv --deidentified`: a research extract following the HIPAA Safe Harbor method.

45 CFR 164.514(b)(2)(i) lists eighteen identifiers that must be removed; here that means:

- (A) names, (H) medical record numbers, (R) other unique numbers or codes: no names, MRNs or
  database ids. Each patient gets a random study id drawn afresh for every export, and every
  other row a random number, neither derived from the record; the mapping is not kept, so
  two extracts cannot be linked to each other or back to the registry.
- (C) all elements of dates except the year, and ages over 89: every date becomes a whole
  number of days from the patient's index date — the presentation date of their first
  (index) episode — in a column `<name>_day`; the birth date becomes the age at the index
  date in whole years, written `90+` from 90 on; instants (record time-stamps) are dropped.
- Free text and photographs (and the (Q) full-face photographs they may be): text columns
  that are not coded values are dropped, tables of photos are not exported.
- Accounts and sites (staff names, e-mails, the program's name and place) are not exported;
  `site_id` becomes a random site number.

Which rule each column gets follows from its type, so a new column is safe by default (text is
dropped); `tests/exchange/test_deidentify.py` lists every column's rule for review.
"""

import csv
import json
import secrets
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Column, ColumnElement, Table, select
from sqlalchemy.orm import Session

from limbsalvage.db import audit
from limbsalvage.exchange.columns import codec_for
from limbsalvage.exchange.export import ExportSummary, prepare_directory
from limbsalvage.exchange.tables import (
    exchanged_columns,
    exchanged_tables,
    file_name,
    referenced_table,
)

NOT_EXPORTED_TABLES = frozenset({"sites", "users", "memberships"})
AGE_TOP_CODE = 90  # Safe Harbor: ages over 89 are aggregated into one category
STUDY_ID_COLUMN = "study_id"
AGE_COLUMN = "age_at_index_years"
# Text columns that are coded values in disguise and safe to keep (reviewed one by one).
KEPT_TEXT_COLUMNS: frozenset[tuple[str, str]] = frozenset()


class Rule(StrEnum):
    """What happens to one column in the extract."""

    STUDY_ID = "study_id"  # the patient: a random per-export study id
    PSEUDONYM = "pseudonym"  # another id or reference: a random per-export number
    DAYS = "days"  # a date: days from the patient's index date, column `<name>_day`
    AGE = "age"  # the birth date: age at index in years, 90+ grouped
    KEEP = "keep"  # coded values, numbers, flags
    DROP = "drop"  # identifiers, free text, instants, authorship, record keeping


def is_photo_table(table: Table) -> bool:
    """Tables of wound photographs are never part of a research extract."""
    return "photo" in table.name


def extract_tables() -> list[Table]:
    """The tables of a de-identified extract."""
    return [
        t for t in exchanged_tables() if t.name not in NOT_EXPORTED_TABLES and not is_photo_table(t)
    ]


def column_rule(table: Table, column: Column[Any]) -> Rule:
    """The de-identification rule of one column (by meaning, then by type)."""
    name = column.name
    target = referenced_table(column)
    if (table.name == "patients" and name == "id") or target == "patients":
        return Rule.STUDY_ID
    if name == "id" or target in {"sites", *(t.name for t in extract_tables())}:
        return Rule.PSEUDONYM
    if target is not None or name == "version" or name.endswith("_id"):
        # Authorship (users), record keeping, and ids of rows without a declared foreign key
        # (e.g. episodes.index_procedure_id): never written, as they could be linked back.
        return Rule.DROP
    kind = codec_for(column).kind
    if kind == "date":
        # Any birth date (a patient's, or one stated on a referral) becomes an age at index.
        return Rule.AGE if name == "birth_date" else Rule.DAYS
    reviewed_text = kind == "text" and (table.name, name) in KEPT_TEXT_COLUMNS
    kept = kind in ("code", "boolean", "number", "integer") or reviewed_text
    return Rule.KEEP if kept else Rule.DROP


def output_name(column: Column[Any], rule: Rule) -> str:
    """The column's name in the extract."""
    if rule is Rule.STUDY_ID:
        return STUDY_ID_COLUMN
    if rule is Rule.DAYS:
        return f"{column.name}_day"
    if rule is Rule.AGE:
        return AGE_COLUMN
    return column.name


@dataclass
class _Keys:
    """Per-export random keys, never stored."""

    rng: np.random.Generator
    study_ids: dict[int, str]
    pseudonyms: dict[str, dict[int, int]]

    def study_id(self, patient_id: int) -> str:
        return self.study_ids[patient_id]


def _new_keys(db: Session, tables: list[Table]) -> _Keys:
    rng = np.random.default_rng(secrets.randbits(128))
    connection = db.connection()
    pseudonyms: dict[str, dict[int, int]] = {}
    for table in [*tables, *(t for t in exchanged_tables() if t.name == "sites")]:
        ids = list(connection.scalars(select(table.c.id)))
        numbers = rng.permutation(len(ids)) + 1
        pseudonyms[table.name] = dict(zip(ids, numbers.tolist(), strict=True))
    study_ids: dict[int, str] = {}
    used: set[str] = set()
    for patient_id in pseudonyms.get("patients", {}):
        while (token := f"S{secrets.token_hex(5).upper()}") in used:
            continue  # pragma: no cover - a 40-bit collision
        used.add(token)
        study_ids[patient_id] = token
    return _Keys(rng=rng, study_ids=study_ids, pseudonyms=pseudonyms)


def index_dates(db: Session) -> dict[int, date]:
    """Each patient's index date: the presentation date of their first episode."""
    episodes = {t.name: t for t in exchanged_tables()}["episodes"]
    connection = db.connection()
    query = select(episodes.c.patient_id, episodes.c.presented_on)
    index: dict[int, date] = {}
    for patient_id, presented_on in connection.execute(query):
        if patient_id not in index or presented_on < index[patient_id]:
            index[patient_id] = presented_on
    return index


def age_in_years(birth: date, on: date) -> int:
    """Completed years of age on a date."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def age_text(age: int) -> str:
    """The age as written in the extract: whole years, or `90+` from 90 on."""
    return f"{AGE_TOP_CODE}+" if age >= AGE_TOP_CODE else str(age)


def export_deidentified(
    *,
    db: Session,
    directory: Path,
    progress: Callable[[int], None] | None = None,
    site_ids: Collection[int] | None = None,
) -> ExportSummary:
    """Write the research extract to `directory` (only `site_ids`' patients when given)."""
    prepare_directory(directory)
    tables = extract_tables()
    keys = _new_keys(db, tables)
    index = index_dates(db)
    rows: dict[str, int] = {}
    for table in tables:
        rows[table.name] = _write_table(
            db,
            table=table,
            directory=directory,
            keys=keys,
            index=index,
            progress=progress,
            site_ids=site_ids,
        )
    detail: dict[str, object] = {"format": "csv", "deidentified": True, "rows": rows}
    if site_ids is not None:
        detail["site_ids"] = sorted(site_ids)
    audit.record_access(
        db, action="export", entity="registry", detail=json.dumps(detail, sort_keys=True)
    )
    return ExportSummary(directory=directory, rows=rows, deidentified=True)


def _write_table(
    db: Session,
    *,
    table: Table,
    directory: Path,
    keys: _Keys,
    index: dict[int, date],
    progress: Callable[[int], None] | None,
    site_ids: Collection[int] | None = None,
) -> int:
    plan = [(c, column_rule(table, c)) for c in exchanged_columns(table)]
    plan = [(c, r) for c, r in plan if r is not Rule.DROP]
    codecs = {c.name: codec_for(c) for c, _ in plan}
    patient_column = "id" if table.name == "patients" else "patient_id"
    has_patient = patient_column in table.c
    selected = [c for c, _ in plan]
    if has_patient and table.c[patient_column] not in selected:
        selected.append(table.c[patient_column])
    query = select(*selected)
    if site_ids is not None:
        query = query.where(_at_sites(table, site_ids))
    out: list[tuple[Any, list[str]]] = []
    for row in db.connection().execute(query).mappings():
        anchor = index.get(row[patient_column]) if has_patient else None
        cells = [
            _cell(table, column=column, rule=rule, row=row, keys=keys, anchor=anchor, codecs=codecs)
            for column, rule in plan
        ]
        # Rows go out in the order of their random number, so order reveals nothing either.
        order = keys.pseudonyms[table.name][row["id"]] if "id" in row else len(out)
        out.append((order, cells))
    out.sort(key=lambda item: item[0])
    with (directory / file_name(table)).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([output_name(c, r) for c, r in plan])
        writer.writerows(cells for _, cells in out)
    if progress is not None:
        progress(len(out))
    return len(out)


def _at_sites(table: Table, site_ids: Collection[int]) -> ColumnElement[bool]:
    """Rows of the sites' patients (referrals by their own site: some have no patient)."""
    wanted = sorted(site_ids)
    if "site_id" in table.c:
        return table.c.site_id.in_(wanted)
    patients = {t.name: t for t in exchanged_tables()}["patients"]
    at_sites = select(patients.c.id).where(patients.c.site_id.in_(wanted))
    return table.c.patient_id.in_(at_sites)


def _cell(
    table: Table,
    *,
    column: Column[Any],
    rule: Rule,
    row: Any,
    keys: _Keys,
    anchor: date | None,
    codecs: dict[str, Any],
) -> str:
    value = row[column.name]
    if value is None:
        return ""
    if rule is Rule.STUDY_ID:
        return keys.study_id(value)
    if rule is Rule.PSEUDONYM:
        target = referenced_table(column) or table.name
        # A logical reference (no foreign key) may dangle: it has no pseudonym, so it is empty.
        number = keys.pseudonyms[target].get(value)
        return "" if number is None else str(number)
    if rule is Rule.DAYS:
        return "" if anchor is None else str((value - anchor).days)
    if rule is Rule.AGE:
        return "" if anchor is None else age_text(age_in_years(value, anchor))
    return str(codecs[column.name].encode(value))
