"""CSV import validation: every bad row is reported with row, column and reason; nothing is
written unless the whole set is valid, or only the valid rows with --skip-invalid."""

import csv
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from limbsalvage.accounts.models import Site
from limbsalvage.exchange.importer import ImportRejected, Problem, count_data_rows, import_csv
from limbsalvage.patients.models import Episode, Limb, Patient
from tests.support.factories import make_patient, make_site

SITE = {"id": 1, "code": "north", "name": "North", "settings": "{}"}
PATIENT = {
    "id": 1,
    "site_id": 1,
    "mrn": "M1",
    "given_name": "Ada",
    "family_name": "Lovelace",
    "birth_date": "1950-05-17",
    "sex": "female",
    "death_date": "",
    "hba1c_pct": "7.5",
    "diabetes": "true",
    "is_synthetic": "false",
}
LIMB = {"id": 1, "patient_id": 1, "side": "left"}
EPISODE = {
    "id": 1,
    "patient_id": 1,
    "limb_id": 1,
    "cause": "clti",
    "presented_on": "2026-01-05",
    "setting": "outpatient",
    "status": "open",
    "closed_on": "",
}


def write(directory: Path, table: str, rows: list[dict[str, Any]]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / f"{table}.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def valid_set(directory: Path, **changes: list[dict[str, Any]]) -> Path:
    tables = {"sites": [SITE], "patients": [PATIENT], "limbs": [LIMB], "episodes": [EPISODE]}
    tables.update(changes)
    for table, rows in tables.items():
        write(directory, table, rows)
    return directory


def problems(db: Session, directory: Path) -> list[Problem]:
    with pytest.raises(ImportRejected) as rejected:
        import_csv(db=db, directory=directory)
    assert rejected.value.code == "invalid"
    assert f"{len(rejected.value.problems)} problem(s) found; nothing was imported" in str(
        rejected.value
    )
    for model in (Site, Patient, Limb, Episode):
        assert db.scalar(select(func.count()).select_from(model)) == 0, model
    return rejected.value.problems


def test_a_valid_set_is_imported_with_stamps_filled(db: Session, tmp_path: Path) -> None:
    report = import_csv(db=db, directory=valid_set(tmp_path))
    assert report.problems == []
    assert report.written == {"sites": 1, "patients": 1, "limbs": 1, "episodes": 1}
    patient = db.scalars(select(Patient)).one()
    assert (patient.mrn, patient.birth_date, patient.hba1c_pct) == ("M1", date(1950, 5, 17), 7.5)
    assert patient.version == 1
    assert patient.created_at is not None
    assert db.scalars(select(Episode)).one().cause.value == "clti"
    assert count_data_rows(tmp_path) == 4


def _one(found: list[Problem]) -> tuple[str, int, str, str]:
    assert len(found) == 1, found
    p = found[0]
    return p.file, p.row, p.column, p.reason


@pytest.mark.parametrize(
    ("table", "change", "column", "reason"),
    [
        ("patients", {"hba1c_pct": "35"}, "hba1c_pct", "less than or equal to 20"),
        ("patients", {"hba1c_pct": "high"}, "hba1c_pct", "not a number"),
        (
            "patients",
            {"birth_date": "2030-01-01"},
            "birth_date",
            "must not be in the future (after 2026-03-02)",
        ),
        ("patients", {"death_date": "1940-01-01"}, "death_date", "must not be before birth_date"),
        (
            "patients",
            {"sex": "f"},
            "sex",
            "not allowed; expected one of female, male, other, unknown",
        ),
        ("patients", {"mrn": ""}, "mrn", "required; the cell is empty"),
        ("patients", {"diabetes": "maybe"}, "diabetes", "expected true or false"),
        ("patients", {"birth_date": "05/17/1950"}, "birth_date", "not an ISO 8601 date"),
        ("limbs", {"side": "both"}, "side", "not allowed; expected one of left, right"),
        ("episodes", {"presented_on": "2026-04-01"}, "presented_on", "must not be in the future"),
        (
            "episodes",
            {"presented_on": "1949-01-01"},
            "presented_on",
            "must not be before the patient's birth_date",
        ),
        ("episodes", {"closed_on": "2025-12-01"}, "closed_on", "must not be before presented_on"),
        (
            "episodes",
            {"limb_id": 9},
            "limb_id",
            "refers to limbs id 9, which is neither stored nor a valid row here",
        ),
        ("episodes", {"cause": "gout"}, "cause", "not allowed; expected one of clti"),
        ("sites", {"settings": "{bad"}, "settings", "not valid JSON"),
        ("sites", {"settings": '{"time_zone": "Mars/Olympus"}'}, "settings", "time_zone: not a"),
        ("sites", {"settings": "[1]"}, "settings", "settings: Input should be a valid dict"),
    ],
)
def test_each_bad_value_is_reported_with_file_row_column_and_reason(
    db: Session, *, tmp_path: Path, table: str, change: dict[str, Any], column: str, reason: str
) -> None:
    base = {"sites": SITE, "patients": PATIENT, "limbs": LIMB, "episodes": EPISODE}[table]
    found = problems(db, valid_set(tmp_path, **{table: [{**base, **change}]}))
    # A bad parent also invalidates its children (reported as references), so look at the first.
    file, row, col, why = found[0].file, found[0].row, found[0].column, found[0].reason
    assert (file, row, col) == (f"{table}.csv", 2, column)
    assert reason in why


def test_death_before_the_episode_is_refused(db: Session, tmp_path: Path) -> None:
    dead = {**PATIENT, "death_date": "2025-12-31"}
    found = problems(db, valid_set(tmp_path, patients=[dead]))
    assert _one(found) == (
        "episodes.csv",
        2,
        "presented_on",
        "must not be after the patient's death_date",
    )


def test_every_bad_row_is_reported_not_only_the_first(db: Session, tmp_path: Path) -> None:
    rows = [
        {**PATIENT, "id": 1, "mrn": "A", "hba1c_pct": "99"},
        {**PATIENT, "id": 2, "mrn": "B"},
        {**PATIENT, "id": 3, "mrn": "C", "sex": "x", "birth_date": "tomorrow"},
    ]
    found = problems(
        db,
        valid_set(
            tmp_path,
            patients=rows,
            limbs=[{**LIMB, "patient_id": 2}],
            episodes=[{**EPISODE, "patient_id": 2}],
        ),
    )
    assert [(p.row, p.column) for p in found] == [(2, "hba1c_pct"), (4, "birth_date"), (4, "sex")]


def test_references_between_files_and_to_the_patient_of_the_parent(
    db: Session, tmp_path: Path
) -> None:
    patients = [PATIENT, {**PATIENT, "id": 2, "mrn": "M2"}]
    limbs = [LIMB, {"id": 2, "patient_id": 7, "side": "right"}]
    episodes = [{**EPISODE, "patient_id": 2}]
    found = problems(db, valid_set(tmp_path, patients=patients, limbs=limbs, episodes=episodes))
    assert [(p.file, p.row, p.column) for p in found] == [
        ("limbs.csv", 3, "patient_id"),
        ("episodes.csv", 2, "patient_id"),
    ]
    assert found[1].reason == "is not the patient of limbs id 1 (patient 1)"


def test_ids_and_unique_keys_must_be_new(db: Session, tmp_path: Path) -> None:
    site = make_site(db, code="stored")
    make_patient(db, site, mrn="TAKEN")
    patients = [
        {**PATIENT, "id": 1, "site_id": site.id, "mrn": "TAKEN"},
        {**PATIENT, "id": 2, "site_id": site.id, "mrn": "NEW"},
        {**PATIENT, "id": 2, "site_id": site.id, "mrn": "NEW"},
    ]
    write(tmp_path, "patients", patients)
    with pytest.raises(ImportRejected) as rejected:
        import_csv(db=db, directory=tmp_path)
    found = [(p.row, p.column, p.reason) for p in rejected.value.problems]
    stored_id = db.scalars(select(Patient.id)).one()
    assert (2, "site_id, mrn", "the same (site_id, mrn) is already used") in found
    assert (4, "id", "patients id 2 is already used") in found
    assert (4, "site_id, mrn", "the same (site_id, mrn) is already used") in found
    if stored_id == 1:
        assert (2, "id", "patients id 1 is already used") in found


def test_references_to_rows_already_stored_are_accepted(db: Session, tmp_path: Path) -> None:
    site = make_site(db)
    patient = make_patient(db, site)
    limb_id = patient.id + 1000
    write(tmp_path, "limbs", [{"id": limb_id, "patient_id": patient.id, "side": "right"}])
    report = import_csv(db=db, directory=tmp_path)
    assert report.written == {"limbs": 1}
    assert db.get(Limb, limb_id) is not None


@pytest.mark.parametrize(
    ("header", "column", "reason"),
    [
        (
            ["id", "patient_id", "side", "colour"],
            "colour",
            "not a column of limbs; allowed: id, patient_id, side",
        ),
        (["id", "side"], "patient_id", "required column is missing"),
        (["id", "patient_id", "side", "side"], "", "a column is named twice"),
    ],
)
def test_header_problems_are_row_one(
    db: Session, tmp_path: Path, header: list[str], column: str, reason: str
) -> None:
    (tmp_path / "limbs.csv").write_text(",".join(header) + "\n")
    found = problems(db, tmp_path)
    assert (found[0].file, found[0].row, found[0].column) == ("limbs.csv", 1, column)
    assert found[0].reason.startswith(reason)


def test_a_row_with_the_wrong_number_of_cells(db: Session, tmp_path: Path) -> None:
    (tmp_path / "sites.csv").write_text("id,code,name,settings\n1,north,North\n")
    assert _one(problems(db, tmp_path)) == ("sites.csv", 2, "", "has 3 cells; the header has 4")


def test_an_unknown_file_is_reported(db: Session, tmp_path: Path) -> None:
    valid_set(tmp_path)
    (tmp_path / "notes.csv").write_text("x\n1\n")
    found = problems(db, tmp_path)
    assert found[0].file == "notes.csv"
    assert "not a registry table" in found[0].reason
    assert str(found[0]).startswith("notes.csv row 0: not a registry table")


def test_skip_invalid_writes_the_valid_rows_and_reports_the_rest(
    db: Session, tmp_path: Path
) -> None:
    patients = [PATIENT, {**PATIENT, "id": 2, "mrn": "M2", "hba1c_pct": "99"}]
    limbs = [LIMB, {"id": 2, "patient_id": 2, "side": "left"}]
    episodes = [EPISODE, {**EPISODE, "id": 2, "patient_id": 2, "limb_id": 2}]
    directory = valid_set(tmp_path, patients=patients, limbs=limbs, episodes=episodes)
    report = import_csv(db=db, directory=directory, skip_invalid=True)
    assert report.written == {"sites": 1, "patients": 1, "limbs": 1, "episodes": 1}
    assert [(p.file, p.row, p.column) for p in report.problems] == [
        ("patients.csv", 3, "hba1c_pct"),
        ("limbs.csv", 3, "patient_id"),
        ("episodes.csv", 3, "patient_id"),
        ("episodes.csv", 3, "limb_id"),
    ]
    assert db.scalars(select(Patient.mrn)).all() == ["M1"]


def test_a_missing_directory_is_an_os_error(db: Session, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        import_csv(db=db, directory=tmp_path / "nowhere")


def test_instants_in_the_future_are_refused(db: Session, tmp_path: Path) -> None:
    site = {**SITE, "created_at": "2027-01-01T00:00:00+00:00"}
    found = problems(db, valid_set(tmp_path, sites=[site]))
    assert (found[0].column, found[0].reason) == (
        "created_at",
        "must not be in the future (after 2026-03-02T09:30:00+00:00)",
    )


PROCEDURE = {
    "id": 1,
    "patient_id": 1,
    "limb_id": 1,
    "episode_id": 1,
    "performed_on": "2026-01-10",
    "kind": "angioplasty",
}


def test_the_index_procedure_is_checked_once_every_file_is_read(
    db: Session, tmp_path: Path
) -> None:
    episode = {**EPISODE, "index_procedure_id": 1}
    report = import_csv(
        db=db, directory=valid_set(tmp_path, episodes=[episode], procedures=[PROCEDURE])
    )
    assert report.problems == []
    assert db.scalars(select(Episode.index_procedure_id)).one() == 1


def test_a_missing_index_procedure_is_reported(db: Session, tmp_path: Path) -> None:
    episode = {**EPISODE, "index_procedure_id": 99}
    assert _one(problems(db, valid_set(tmp_path, episodes=[episode]))) == (
        "episodes.csv",
        2,
        "index_procedure_id",
        "refers to procedures id 99, which is neither stored nor a valid row here",
    )


def test_an_index_procedure_of_another_patient_is_cleared_with_skip_invalid(
    db: Session, tmp_path: Path
) -> None:
    patients = [PATIENT, {**PATIENT, "id": 2, "mrn": "M2"}]
    limbs = [LIMB, {"id": 2, "patient_id": 2, "side": "left"}]
    episodes = [
        {**EPISODE, "index_procedure_id": 1},
        {**EPISODE, "id": 2, "patient_id": 2, "limb_id": 2, "index_procedure_id": 1},
    ]
    directory = valid_set(
        tmp_path, patients=patients, limbs=limbs, episodes=episodes, procedures=[PROCEDURE]
    )
    report = import_csv(db=db, directory=directory, skip_invalid=True)
    assert [str(p) for p in report.problems] == [
        "episodes.csv row 3, index_procedure_id: refers to procedures id 1, which belongs to "
        "another patient; cleared"
    ]
    stored = dict(db.execute(select(Episode.id, Episode.index_procedure_id)).all())
    assert stored == {1: 1, 2: None}


def test_every_schema_reads_columns_of_its_table() -> None:
    from limbsalvage.db.models import Base  # noqa: PLC0415
    from limbsalvage.exchange.tables import SCHEMAS  # noqa: PLC0415

    for table, schema in SCHEMAS.items():
        columns = set(Base.metadata.tables[table].c.keys())
        fields = set(schema.model.model_fields)
        assert fields - columns <= set(schema.placeholders({"limb_id": 1})), table


@pytest.mark.parametrize(
    ("table", "row", "column", "reason"),
    [
        ("procedures", {**PROCEDURE, "kind": "bypass"}, "conduit", "required for a bypass"),
        (
            "procedures",
            {**PROCEDURE, "amputation_level": "toe"},
            "amputation_level",
            "only for kind amputation",
        ),
    ],
)
def test_the_domain_schemas_check_their_tables(
    db: Session, tmp_path: Path, *, table: str, row: dict[str, Any], column: str, reason: str
) -> None:
    found = problems(db, valid_set(tmp_path, **{table: [row]}))
    assert (found[0].file, found[0].row, found[0].column) == (f"{table}.csv", 2, column)
    assert reason in found[0].reason


def test_a_limb_event_without_a_limb_is_refused(db: Session, tmp_path: Path) -> None:
    event = {
        "id": 1,
        "patient_id": 1,
        "limb_id": "",
        "episode_id": 1,
        "kind": "wound_healed",
        "occurred_on": "2026-02-01",
    }
    found = problems(db, valid_set(tmp_path, outcome_events=[event]))
    assert (found[0].column, found[0].reason) == ("limb_id", "required for a wound_healed event")
