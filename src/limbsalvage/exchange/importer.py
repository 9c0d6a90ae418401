"""`limbsalvage import csv DIR`: validate every row, report every problem, write in bulk.

Files are read table by table, parents before children, in chunks; each chunk is validated
(cells, the table's input schema, dates not in the future, references, uniqueness, the
patient's life span) and its valid rows written at once with their own ids. The whole import
runs inside a savepoint: unless `skip_invalid`, any problem rolls everything back and
`ImportRejected` lists every problem, so nothing is written unless the whole set is valid.
With `skip_invalid` the valid rows are kept, and rows that depend on a skipped row are
skipped and reported too.
"""

import csv
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Column, Table, UniqueConstraint, select, tuple_, update
from sqlalchemy.orm import Session

from limbsalvage.db import audit
from limbsalvage.db.bulk import BulkWriter
from limbsalvage.db.clock import now
from limbsalvage.errors import FieldProblem, Invalid
from limbsalvage.exchange.columns import EMPTY_REQUIRED, CellError, Codec, codec_for
from limbsalvage.exchange.tables import (
    LOGICAL_REFERENCES,
    ROW_RULES,
    SCHEMAS,
    STAMP_COLUMNS,
    exchanged_columns,
    exchanged_tables,
    file_name,
    foreign_key,
)

CHUNK_ROWS = 5000
LOOKUP_BATCH = 900  # ids per IN (…) query; below SQLite's default variable limit


@dataclass(frozen=True)
class Problem:
    """One bad cell or row: file, row number (the header is row 1), column and reason."""

    file: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file} row {self.row}"
        return (
            f"{where}, {self.column}: {self.reason}" if self.column else f"{where}: {self.reason}"
        )


@dataclass
class ImportReport:
    """Rows written per table and every problem found."""

    written: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


class ImportRejected(Invalid):
    """The set has problems and nothing was written; `problems` lists each one."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(
            message=(
                f"{len(problems)} problem(s) found; nothing was imported (fix them, or use "
                "--skip-invalid to import the valid rows)"
            ),
            fields=[FieldProblem(f"{p.file}:{p.row}:{p.column}", p.reason) for p in problems],
        )
        self.problems = problems


def count_data_rows(directory: Path) -> int:
    """Data rows over every table file present (for a progress bar)."""
    total = 0
    for table in exchanged_tables():
        path = directory / file_name(table)
        if path.is_file():
            with path.open(encoding="utf-8", newline="") as handle:
                total += max(sum(1 for _ in csv.reader(handle)) - 1, 0)
    return total


def import_csv(
    *,
    db: Session,
    directory: Path,
    skip_invalid: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Validate and import every `<table>.csv` in `directory` (tables without a file: none)."""
    if not directory.is_dir():
        raise FileNotFoundError(2, "no such directory", str(directory))
    known = {file_name(t) for t in exchanged_tables()}
    report = ImportReport()
    for path in sorted(directory.glob("*.csv")):
        if path.name not in known:
            report.problems.append(
                Problem(
                    path.name,
                    0,
                    "",
                    f"not a registry table; expected one of {', '.join(sorted(known))}",
                )
            )
    savepoint = db.begin_nested()
    try:
        state = _State(db=db, writer=BulkWriter(db), report=report, progress=progress)
        for table in exchanged_tables():
            path = directory / file_name(table)
            if path.is_file():
                _import_table(state, table, path)
        _check_logical_references(state, skip_invalid=skip_invalid)
        state.writer.finish()
        rank = {file_name(t): i for i, t in enumerate(exchanged_tables())}
        report.problems.sort(key=lambda p: (rank.get(p.file, -1), p.row))
    except BaseException:
        savepoint.rollback()
        raise
    if report.problems and not skip_invalid:
        savepoint.rollback()
        raise ImportRejected(report.problems)
    savepoint.commit()
    return report


@dataclass
class _State:
    db: Session
    writer: BulkWriter
    report: ImportReport
    progress: Callable[[int], None] | None
    # Per table: ids imported so far (valid rows) or found stored, and their patient_id.
    known_ids: dict[str, dict[int, int | None]] = field(default_factory=dict)
    # Patient id → (birth_date, death_date), for the life-span rule.
    life: dict[int, tuple[date, date | None]] = field(default_factory=dict)
    # Logical references to check once every file is read: (table, file, row, id, column,
    # value, patient_id).
    deferred: list[tuple[str, str, int, int, str, int, int | None]] = field(default_factory=list)

    @property
    def today(self) -> date:
        return now(self.db).date()


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle), [])


def _rows(path: Path, width: int) -> Iterator[tuple[int, list[str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        for number, cells in enumerate(reader, start=2):
            if cells or width == 0:
                yield number, cells


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as raw:
        for block in iter(lambda: raw.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _import_table(state: _State, table: Table, path: Path) -> None:
    columns = {c.name: c for c in exchanged_columns(table)}
    codecs = {name: codec_for(column) for name, column in columns.items()}
    header = _header(path)
    if not _header_ok(state, table, path.name, header, codecs):
        return
    state.known_ids.setdefault(table.name, {})
    checker = _TableChecker(state, table, path.name, header, codecs)
    chunk: list[tuple[int, list[str]]] = []
    first_id: int | None = None
    last_id: int | None = None
    written = 0
    for item in _rows(path, len(header)):
        chunk.append(item)
        if len(chunk) >= CHUNK_ROWS:
            valid = checker.check(chunk)
            written += _write(state, table, valid)
            chunk = []
    if chunk:
        written += _write(state, table, checker.check(chunk))
    ids = list(checker.imported_ids)
    if ids:
        first_id, last_id = min(ids), max(ids)
    state.report.written[table.name] = written
    audit.record_access(
        state.db,
        action="import",
        entity=table.name,
        detail=json.dumps(
            {
                "file": path.name,
                "sha256": _sha256(path),
                "rows_written": written,
                "first_id": first_id,
                "last_id": last_id,
            },
            sort_keys=True,
        ),
    )


def _write(state: _State, table: Table, rows: list[dict[str, Any]]) -> int:
    if rows:
        state.writer.insert(table, rows)
    return len(rows)


def _header_ok(
    state: _State, table: Table, name: str, header: list[str], codecs: dict[str, Codec]
) -> bool:
    problems = state.report.problems
    before = len(problems)
    for column in header:
        if column not in codecs:
            problems.append(
                Problem(
                    name, 1, column, f"not a column of {table.name}; allowed: {', '.join(codecs)}"
                )
            )
    if len(set(header)) != len(header):
        problems.append(Problem(name, 1, "", "a column is named twice"))
    for column, codec in codecs.items():
        needed = not codec.nullable and not codec.has_default and column not in STAMP_COLUMNS
        if needed and column not in header:
            problems.append(Problem(name, 1, column, "required column is missing"))
    return len(problems) == before


class _TableChecker:
    """Validates the rows of one table, chunk by chunk, against everything seen so far."""

    def __init__(
        self, state: _State, table: Table, file: str, present: list[str], codecs: dict[str, Codec]
    ) -> None:
        self.state, self.table, self.file = state, table, file
        self.present = present
        self.codecs = {name: codecs[name] for name in present}
        self.decoders = [(n, c.decode_text, c.required) for n, c in self.codecs.items()]
        self.references = {
            name: key.column.table.name
            for name in present
            if (key := foreign_key(self.table.c[name])) is not None
        }
        self.logical = {
            name: target
            for (table_name, name), target in LOGICAL_REFERENCES.items()
            if table_name == table.name and name in present
        }
        self.schema = SCHEMAS.get(table.name)
        self.schema_fields = (
            [f for f in self.schema.model.model_fields if f in present] if self.schema else []
        )
        self.rules = ROW_RULES.get(table.name, ())
        self.uniques = [
            tuple(c.name for c in constraint.columns)
            for constraint in table.constraints
            if isinstance(constraint, UniqueConstraint)
        ]
        self.seen_unique: dict[tuple[str, ...], set[tuple[Any, ...]]] = {
            u: set() for u in self.uniques
        }
        self.imported_ids: list[int] = []
        self.has_patient = "patient_id" in present and table.name != "patients"
        # The life-span rule binds clinical rows; a row whose patient is optional (a referral
        # before conversion) records what someone stated, not the patient's own timeline.
        self.dated_by_patient = self.has_patient and not table.c.patient_id.nullable
        self.dates = [n for n in present if self.codecs[n].kind == "date"]
        self.today = state.today
        self.instant = now(state.db)
        self.instants = [n for n in present if self.codecs[n].kind == "datetime"]

    def problem(self, row: int, column: str, reason: str) -> None:
        self.state.report.problems.append(Problem(self.file, row, column, reason))

    def check(self, chunk: list[tuple[int, list[str]]]) -> list[dict[str, Any]]:
        parsed: list[tuple[int, dict[str, Any]]] = []
        for number, cells in chunk:
            values = self._cells(number, cells)
            if values is not None:
                parsed.append((number, values))
        self._load_references(parsed)
        valid = []
        for number, values in parsed:
            if self._row_ok(number, values):
                valid.append(values)
                self._remember(values, number)
        if self.state.progress is not None:
            self.state.progress(len(chunk))
        return valid

    def _cells(self, number: int, cells: list[str]) -> dict[str, Any] | None:
        if len(cells) != len(self.present):
            self.problem(number, "", f"has {len(cells)} cells; the header has {len(self.present)}")
            return None
        values: dict[str, Any] = {}
        ok = True
        # The hot loop of an import: one plain function call per non-empty cell.
        for (name, decode, required), text in zip(self.decoders, cells, strict=True):
            if text == "":
                values[name] = None
                if required:
                    self.problem(number, name, EMPTY_REQUIRED)
                    ok = False
                continue
            try:
                values[name] = decode(text)
            except CellError as error:
                self.problem(number, name, str(error))
                ok = False
        return values if ok else None

    def _row_ok(self, number: int, values: dict[str, Any]) -> bool:
        count = len(self.state.report.problems)
        self._schema(number, values)
        for rule in self.rules:
            for column, reason in rule(values):
                self.problem(number, column, reason)
        self._not_in_future(number, values)
        self._identity(number, values)
        self._references(number, values)
        self._unique(number, values)
        if self.dated_by_patient:
            self._life_span(number, values)
        return len(self.state.report.problems) == count

    def _schema(self, number: int, values: dict[str, Any]) -> None:
        if self.schema is None:
            return
        given = {f: values[f] for f in self.schema_fields if values.get(f) is not None}
        placeholders = {k: v for k, v in self.schema.placeholders(values).items() if v is not None}
        try:
            self.schema.model.model_validate({**placeholders, **given})
        except ValidationError as error:
            for item in error.errors():
                message = str(item["msg"]).removeprefix("Value error, ")
                column = ".".join(str(p) for p in item["loc"])
                if not column and ": " in message:
                    column, message = message.split(": ", 1)
                column = dict(self.schema.reported_as).get(column, column)
                self.problem(number, column, message)

    def _not_in_future(self, number: int, values: dict[str, Any]) -> None:
        today = self.today
        for name in self.dates:
            value = values.get(name)
            if isinstance(value, date) and value > today:
                self.problem(number, name, f"must not be in the future (after {today.isoformat()})")
        instant = self.instant
        for name in self.instants:
            value = values.get(name)
            if isinstance(value, datetime) and value > instant:
                self.problem(
                    number, name, f"must not be in the future (after {instant.isoformat()})"
                )

    def _identity(self, number: int, values: dict[str, Any]) -> None:
        row_id = values.get("id")
        if row_id is not None and row_id in self.state.known_ids[self.table.name]:
            self.problem(number, "id", f"{self.table.name} id {row_id} is already used")

    def _references(self, number: int, values: dict[str, Any]) -> None:
        for name, target in self.references.items():
            value = values.get(name)
            if value is None:
                continue
            known = self.state.known_ids.get(target, {})
            if value not in known:
                self.problem(
                    number,
                    name,
                    f"refers to {target} id {value}, which is neither stored nor a valid row here",
                )
                continue
            parent_patient = known[value]
            if (
                self.has_patient
                and name != "patient_id"
                and parent_patient is not None
                and values.get("patient_id") is not None
                and parent_patient != values["patient_id"]
            ):
                self.problem(
                    number,
                    "patient_id",
                    f"is not the patient of {target} id {value} (patient {parent_patient})",
                )

    def _unique(self, number: int, values: dict[str, Any]) -> None:
        for columns in self.uniques:
            key = tuple(values.get(c) for c in columns)
            if None in key:
                continue
            if key in self.seen_unique[columns]:
                self.problem(
                    number, ", ".join(columns), f"the same ({', '.join(columns)}) is already used"
                )

    def _life_span(self, number: int, values: dict[str, Any]) -> None:
        life = self.state.life.get(values.get("patient_id", -1))
        if life is None:
            return
        birth, death = life
        for name in self.dates:
            value = values.get(name)
            if not isinstance(value, date):
                continue
            if value < birth:
                self.problem(number, name, "must not be before the patient's birth_date")
            elif death is not None and value > death:
                self.problem(number, name, "must not be after the patient's death_date")

    def _remember(self, values: dict[str, Any], number: int) -> None:
        row_id = values.get("id")
        for name in self.logical:
            if values.get(name) is not None and row_id is not None:
                deferred = (self.file, number, row_id, name, values[name], values.get("patient_id"))
                self.state.deferred.append((self.table.name, *deferred))
        if row_id is not None:
            patient = values.get("patient_id") if self.table.name != "patients" else row_id
            self.state.known_ids[self.table.name][row_id] = patient
            self.imported_ids.append(row_id)
        if self.table.name == "patients" and row_id is not None:
            self.state.life[row_id] = (values["birth_date"], values.get("death_date"))
        for columns in self.uniques:
            key = tuple(values.get(c) for c in columns)
            if None not in key:
                self.seen_unique[columns].add(key)

    def _load_references(self, parsed: list[tuple[int, dict[str, Any]]]) -> None:
        """Look up, in batches, referenced ids and unique keys already stored in the database."""
        connection = self.state.db.connection()
        wanted: dict[str, set[int]] = {}
        for _, values in parsed:
            for name, target in self.references.items():
                value = values.get(name)
                if value is not None and value not in self.state.known_ids.get(target, {}):
                    wanted.setdefault(target, set()).add(value)
        own = {v["id"] for _, v in parsed if v.get("id") is not None}
        wanted.setdefault(self.table.name, set()).update(
            i for i in own if i not in self.state.known_ids[self.table.name]
        )
        tables = {t.name: t for t in exchanged_tables()}
        for target, ids in wanted.items():
            table = tables[target]
            has_patient = "patient_id" in table.c
            selected: list[Column[Any]] = [table.c.id]
            if has_patient:
                selected.append(table.c.patient_id)
            for batch in _batches(sorted(ids)):
                for row in connection.execute(select(*selected).where(table.c.id.in_(batch))):
                    patient = row[1] if has_patient else (row[0] if target == "patients" else None)
                    self.state.known_ids.setdefault(target, {})[row[0]] = patient
        if self.has_patient:
            missing = sorted(
                {v["patient_id"] for _, v in parsed if v.get("patient_id") is not None}
                - set(self.state.life)
            )
            patients = tables["patients"]
            for batch in _batches(missing):
                query = select(patients.c.id, patients.c.birth_date, patients.c.death_date).where(
                    patients.c.id.in_(batch)
                )
                for row in connection.execute(query):
                    self.state.life[row[0]] = (row[1], row[2])
        for columns in self.uniques:
            keys = [k for _, v in parsed if None not in (k := tuple(v.get(c) for c in columns))]
            for batch in _batches(keys):
                query = select(*(self.table.c[c] for c in columns)).where(
                    tuple_(*(self.table.c[c] for c in columns)).in_(batch)
                )
                self.seen_unique[columns].update(tuple(row) for row in connection.execute(query))


def _batches(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), LOOKUP_BATCH):
        yield items[start : start + LOOKUP_BATCH]


def _check_logical_references(state: _State, *, skip_invalid: bool) -> None:
    """Check references without a foreign key once every file is read; with `skip_invalid`,
    a bad one is cleared (set to null) on the row already written, and reported."""
    tables = {t.name: t for t in exchanged_tables()}
    connection = state.db.connection()
    cleared: dict[tuple[str, str], list[int]] = {}
    for table_name, file, row, row_id, column, value, patient_id in state.deferred:
        target = LOGICAL_REFERENCES[(table_name, column)]
        known = state.known_ids.setdefault(target, {})
        if value not in known:
            target_table = tables[target]
            found = connection.execute(
                select(target_table.c.id, target_table.c.patient_id).where(
                    target_table.c.id == value
                )
            ).first()
            if found is not None:
                known[found[0]] = found[1]
        if value not in known:
            reason = f"refers to {target} id {value}, which is neither stored nor a valid row here"
        elif patient_id is not None and known[value] != patient_id:
            reason = f"refers to {target} id {value}, which belongs to another patient"
        else:
            continue
        if skip_invalid:
            reason += "; cleared"
            cleared.setdefault((table_name, column), []).append(row_id)
        state.report.problems.append(Problem(file, row, column, reason))
    for (table_name, column), ids in cleared.items():
        table = tables[table_name]
        for batch in _batches(ids):
            connection.execute(update(table).where(table.c.id.in_(batch)).values({column: None}))
