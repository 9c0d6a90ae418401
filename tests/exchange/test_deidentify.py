"""The research extract follows HIPAA Safe Harbor (45 CFR 164.514(b)(2)): no direct identifiers,
no free text or photos, dates as days from the index date, ages 90+ grouped, random study ids."""

import csv
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table
from sqlalchemy.orm import Session

from limbsalvage.core.vocabulary import EpisodeCause, Side
from limbsalvage.exchange.deidentify import (
    AGE_COLUMN,
    NOT_EXPORTED_TABLES,
    STUDY_ID_COLUMN,
    Rule,
    age_in_years,
    age_text,
    column_rule,
    export_deidentified,
    extract_tables,
    is_photo_table,
)
from limbsalvage.exchange.tables import exchanged_columns, exchanged_tables
from tests.support.factories import make_episode, make_patient, make_site


def read(directory: Path, table: str) -> list[dict[str, str]]:
    with (directory / f"{table}.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def extract(db: Session, tmp_path: Path) -> Path:
    site = make_site(db)
    old = make_patient(
        db,
        site,
        mrn="OLD-1",
        given_name="Very",
        family_name="Old",
        birth_date=date(1930, 1, 1),
        death_date=date(2026, 2, 1),
        cause_of_death="fell at home in Springfield",
    )
    make_episode(db, old, presented_on=date(2026, 1, 5))
    young = make_patient(db, site, mrn="Y-2", birth_date=date(1950, 5, 17))
    make_episode(db, young, side=Side.RIGHT, presented_on=date(2026, 1, 5))
    episode = make_episode(
        db, young, side=Side.LEFT, cause=EpisodeCause.DIABETIC_FOOT, presented_on=date(2025, 6, 1)
    )
    episode.index_procedure_id = 12345
    db.flush()
    make_patient(db, site, mrn="NO-EPISODE", birth_date=date(1960, 1, 1))
    directory = tmp_path / "extract"
    export_deidentified(db=db, directory=directory)
    return directory


def test_no_direct_identifiers_free_text_accounts_or_instants(extract: Path) -> None:
    files = sorted(p.stem for p in extract.glob("*.csv"))
    assert files == sorted(t.name for t in extract_tables())
    assert not set(files) & NOT_EXPORTED_TABLES
    text = "".join(p.read_text() for p in extract.glob("*.csv"))
    for identifier in ("OLD-1", "Y-2", "Very", "Old", "Lovelace", "Springfield", "1930", "2026-"):
        assert identifier not in text
    patients = read(extract, "patients")
    for banned in (
        "mrn",
        "given_name",
        "family_name",
        "birth_date",
        "cause_of_death",
        "created_at",
        "updated_at",
        "created_by_id",
        "version",
        "id",
    ):
        assert banned not in patients[0]
    # A dangling logical reference has no pseudonym: written empty, never the stored id.
    assert {e["index_procedure_id"] for e in read(extract, "episodes")} == {""}


def test_ages_and_dates_are_relative_to_the_index_episode(extract: Path) -> None:
    patients = {p["study_id"]: p for p in read(extract, "patients")}
    ages = sorted(p[AGE_COLUMN] for p in patients.values())
    assert ages == ["", "75", "90+"]  # no episode: no index date, so no age either
    old = next(p for p in patients.values() if p[AGE_COLUMN] == "90+")
    assert old["death_date_day"] == str((date(2026, 2, 1) - date(2026, 1, 5)).days)
    young_id = next(s for s, p in patients.items() if p[AGE_COLUMN] == "75")
    days = sorted(
        int(e["presented_on_day"])
        for e in read(extract, "episodes")
        if e[STUDY_ID_COLUMN] == young_id
    )
    assert days == [0, (date(2026, 1, 5) - date(2025, 6, 1)).days]


def test_study_ids_link_the_files_and_ids_are_replaced(extract: Path) -> None:
    patients = read(extract, "patients")
    study_ids = {p[STUDY_ID_COLUMN] for p in patients}
    assert len(study_ids) == 3
    assert all(s.startswith("S") and len(s) == 11 for s in study_ids)
    episodes, limbs = read(extract, "episodes"), read(extract, "limbs")
    assert {e[STUDY_ID_COLUMN] for e in episodes} <= study_ids
    assert sorted(int(e["id"]) for e in episodes) == [1, 2, 3]
    assert {e["limb_id"] for e in episodes} == {limb["id"] for limb in limbs}
    assert {p["site_id"] for p in patients} == {"1"}


def test_every_export_draws_new_study_ids(db: Session, extract: Path, tmp_path: Path) -> None:
    export_deidentified(db=db, directory=tmp_path / "again")
    first = {p[STUDY_ID_COLUMN] for p in read(extract, "patients")}
    second = {p[STUDY_ID_COLUMN] for p in read(tmp_path / "again", "patients")}
    assert first.isdisjoint(second)


def test_every_column_has_a_reviewed_rule() -> None:
    # Review this table when a column is added: text is dropped unless listed as safe.
    rules = {
        f"{t.name}.{c.name}": column_rule(t, c)
        for t in extract_tables()
        for c in exchanged_columns(t)
    }
    assert rules["patients.id"] is Rule.STUDY_ID
    assert rules["episodes.patient_id"] is Rule.STUDY_ID
    assert rules["patients.birth_date"] is Rule.AGE
    assert rules["episodes.presented_on"] is Rule.DAYS
    assert rules["patients.site_id"] is Rule.PSEUDONYM
    assert rules["episodes.limb_id"] is Rule.PSEUDONYM
    assert rules["episodes.index_procedure_id"] is Rule.PSEUDONYM  # a logical reference
    for name in (
        "patients.mrn",
        "patients.given_name",
        "patients.family_name",
        "patients.cause_of_death",
        "patients.created_at",
        "patients.created_by_id",
        "patients.version",
    ):
        assert rules[name] is Rule.DROP, name
    kept_text = [n for n, r in rules.items() if r is Rule.KEEP and _is_free_text(n)]
    assert kept_text == []


def _is_free_text(qualified: str) -> bool:
    from limbsalvage.exchange.columns import codec_for  # noqa: PLC0415

    table, column = qualified.split(".")
    found = next(t for t in exchanged_tables() if t.name == table)
    return codec_for(found.c[column]).kind in ("text", "json")


def test_photo_tables_are_never_in_an_extract() -> None:
    photos = Table("wound_photos", MetaData(), Column("id", Integer), Column("path", String(200)))
    assert is_photo_table(photos)
    assert not any(is_photo_table(t) for t in extract_tables())


@pytest.mark.parametrize(
    ("birth", "on", "age", "text"),
    [
        (date(1936, 3, 3), date(2026, 3, 2), 89, "89"),
        (date(1936, 3, 2), date(2026, 3, 2), 90, "90+"),
        (date(1920, 1, 1), date(2026, 3, 2), 106, "90+"),
        (date(2000, 2, 29), date(2001, 2, 28), 0, "0"),
    ],
)
def test_ages_from_90_are_grouped(birth: date, on: date, age: int, text: str) -> None:
    assert age_in_years(birth, on) == age
    assert age_text(age) == text
