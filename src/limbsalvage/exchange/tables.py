"""Which tables and columns the CSV exchange carries, and the schemas that validate them.

Generic over the models: every table of `Base.metadata` is exchanged, parents before children,
one file `<table>.csv` each, with every column under its model name — except the audit log
(it belongs to the database it was written in) and password hashes (never leave the server).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Column, ForeignKey, Table

from limbsalvage.accounts.schemas import parse_site_settings
from limbsalvage.assessments import schemas as findings
from limbsalvage.assessments.schemas import AssessmentFields
from limbsalvage.db.models import Base
from limbsalvage.errors import Invalid
from limbsalvage.events.schemas import FollowUpCreate, OutcomeEventCreate
from limbsalvage.medications.schemas import MedicationCreate
from limbsalvage.patients.schemas import PatientCreate
from limbsalvage.procedures.schemas import (
    GraftCreate,
    ProcedureCreate,
    SurveillanceStudyCreate,
    TreatedSegmentCreate,
)
from limbsalvage.wounds.schemas import MeasurementFields, WoundFields

# Sign-in sessions and throttle counts belong to the running server, not to the registry;
# patients' search terms are derived from the patient rows, and the import derives them again.
EXCLUDED_TABLES = frozenset(
    {"audit_entries", "audit_head", "user_sessions", "throttle_events", "patient_search_terms"}
)
EXCLUDED_COLUMNS: dict[str, frozenset[str]] = {"users": frozenset({"password_hash"})}
STAMP_COLUMNS = frozenset({"created_at", "updated_at", "created_by_id", "updated_by_id", "version"})


@dataclass(frozen=True)
class Schema:
    """The input schema that validates a table's rows on import (ranges, codes, cross-field
    rules: the same as the API and forms). Fields that are columns are read from the row;
    `placeholders` stand in for required fields that are not columns (a procedure's `side`
    comes from its limb, which the reference checks already)."""

    model: type[BaseModel]
    placeholders: Callable[[dict[str, Any]], dict[str, Any]] = lambda _row: {}
    # A problem found in a placeholder is reported against the column it stands for.
    reported_as: tuple[tuple[str, str], ...] = ()


def _limb_side(row: dict[str, Any]) -> dict[str, Any]:
    return {"side": "left" if row.get("limb_id") is not None else None}


SCHEMAS: dict[str, Schema] = {
    "patients": Schema(PatientCreate),
    "procedures": Schema(ProcedureCreate, _limb_side, (("side", "limb_id"),)),
    "grafts": Schema(GraftCreate),
    "treated_segments": Schema(TreatedSegmentCreate),
    "surveillance_studies": Schema(SurveillanceStudyCreate),
    "outcome_events": Schema(OutcomeEventCreate, _limb_side, (("side", "limb_id"),)),
    "follow_ups": Schema(FollowUpCreate),
    "medications": Schema(MedicationCreate),
    "wounds": Schema(WoundFields),
    "wound_measurements": Schema(MeasurementFields),
    "assessments": Schema(AssessmentFields),
    "perfusion_studies": Schema(findings.PerfusionStudyIn),
    "infection_assessments": Schema(findings.InfectionAssessmentIn),
    "cultures": Schema(findings.CultureIn),
    "antibiotic_courses": Schema(findings.AntibioticCourseIn),
    "imaging_studies": Schema(findings.ImagingIn),
    "vein_mappings": Schema(findings.VeinMappingIn),
    "venous_studies": Schema(findings.VenousStudyIn),
    "trauma_assessments": Schema(findings.TraumaAssessmentIn),
    "tumour_assessments": Schema(findings.TumourAssessmentIn),
    "acute_ischemia_assessments": Schema(findings.AcuteIschemiaAssessmentIn),
    "offloadings": Schema(findings.OffloadingIn),
    "photos": Schema(findings.PhotoIn),
}

# References kept without a foreign key (to avoid a cycle between tables): checked by the
# import after every file is read, and pseudonymised like any reference in extracts.
LOGICAL_REFERENCES: dict[tuple[str, str], str] = {("episodes", "index_procedure_id"): "procedures"}

Row = dict[str, Any]
RowRule = Callable[[Row], list[tuple[str, str]]]


def _closed_after_presented(row: Row) -> list[tuple[str, str]]:
    closed, presented = row.get("closed_on"), row.get("presented_on")
    if isinstance(closed, date) and isinstance(presented, date) and closed < presented:
        return [("closed_on", "must not be before presented_on")]
    return []


def _site_settings(row: Row) -> list[tuple[str, str]]:
    # The one SiteSettings schema, as on every other write of a site's settings.
    try:
        parse_site_settings(row.get("settings"))
    except Invalid as error:
        return [("settings", f"{p.field}: {p.message}") for p in error.fields]
    return []


# Cross-field rules of tables without an input schema that covers them (the CHECK constraints).
ROW_RULES: dict[str, tuple[RowRule, ...]] = {
    "episodes": (_closed_after_presented,),
    "sites": (_site_settings,),
}


def exchanged_tables() -> list[Table]:
    """Every exchanged table, parents before children."""
    return [t for t in Base.metadata.sorted_tables if t.name not in EXCLUDED_TABLES]


def exchanged_columns(table: Table) -> list[Column[Any]]:
    """The columns of `table` in file order: `id`, the table's own columns, then the stamps."""
    excluded = EXCLUDED_COLUMNS.get(table.name, frozenset())
    columns = [c for c in table.columns if c.name not in excluded]
    rank = {"id": 0, **dict.fromkeys(STAMP_COLUMNS, 2)}
    return sorted(columns, key=lambda c: rank.get(c.name, 1))


def file_name(table: Table) -> str:
    """The table's file in an export directory."""
    return f"{table.name}.csv"


def foreign_key(column: Column[Any]) -> ForeignKey | None:
    """The column's single foreign key, if any."""
    keys = list(column.foreign_keys)
    return keys[0] if keys else None


def referenced_table(column: Column[Any]) -> str | None:
    """The table a column refers to, by foreign key or as a declared logical reference."""
    key = foreign_key(column)
    if key is not None:
        return str(key.column.table.name)
    return LOGICAL_REFERENCES.get((column.table.name, column.name))
