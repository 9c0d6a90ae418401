"""`/api/v1/assessments` and `/api/v1/findings/{kind}`: encounters and the findings made at them.

One set of routes serves the twelve finding kinds (`FindingKind`); the body of a new finding is
validated by its kind's schema (limbsalvage.assessments.schemas). A change to a finding staging
reads proposes a new staging snapshot (the service does it). Photos are listed and read here as
their description; their files are stored through the chart, not this JSON API.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Body
from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import inspect

from limbsalvage.assessments import service
from limbsalvage.assessments.models import Assessment, Finding
from limbsalvage.assessments.schemas import AssessmentFields
from limbsalvage.core.vocabulary import FindingKind
from limbsalvage.patients.service import invalid_from_validation
from limbsalvage.web.api_support import (
    RANGE_CHECKED,
    Change,
    Id,
    PageNumber,
    PageSize,
    Reader,
    Writer,
    audit_patient,
    page_model,
    paged,
    reading,
    row_model,
    writing,
)
from limbsalvage.web.auth import Database
from limbsalvage.web.errors import ERROR_RESPONSES

router = APIRouter(
    prefix="/api/v1", tags=["findings"], responses=ERROR_RESPONSES, dependencies=RANGE_CHECKED
)

AssessmentOut = row_model(Assessment, name="AssessmentOut")
# Where a photo's file lies in the data folder is the server's business.
_HIDDEN_FINDING_COLUMNS = frozenset({"file_path", "created_by_id", "updated_by_id"})


class FindingOut(BaseModel):
    """A finding of any kind: its kind, identity and every value of its table."""

    model_config = ConfigDict(extra="allow")

    kind: FindingKind
    id: int
    patient_id: int
    assessment_id: int
    version: int


def finding_out(kind: FindingKind, finding: Finding) -> FindingOut:
    """The API shape of a finding."""
    values = {
        attr.key: getattr(finding, attr.key)
        for attr in inspect(type(finding)).column_attrs
        if attr.key not in _HIDDEN_FINDING_COLUMNS
    }
    return FindingOut(kind=kind, **values)


@router.get(
    "/episodes/{episode_id}/assessments",
    summary="An episode's assessments",
    response_model=page_model(AssessmentOut),
)
def list_assessments(
    db: Database, principal: Reader, episode_id: Id, page: PageNumber = 1, page_size: PageSize = 50
) -> Any:
    """The episode's assessments, oldest first; the read is audited."""
    rows = service.list_assessments(db=db, episode_id=episode_id, site_ids=reading(principal))
    return paged(
        db,
        "api assessments",
        rows,
        page=page,
        page_size=page_size,
        shape=AssessmentOut.model_validate,
    )


@router.post(
    "/episodes/{episode_id}/assessments",
    status_code=201,
    summary="Record an assessment",
    response_model=AssessmentOut,
)
def create_assessment(
    db: Database, principal: Writer, episode_id: Id, assessment_in: AssessmentFields
) -> Any:
    """An encounter on a date within the episode."""
    row = service.create_assessment(
        db=db, episode_id=episode_id, assessment_in=assessment_in, site_ids=writing(principal)
    )
    return AssessmentOut.model_validate(row)


@router.get("/assessments/{assessment_id}", summary="One assessment", response_model=AssessmentOut)
def get_assessment(db: Database, principal: Reader, assessment_id: Id) -> Any:
    """The assessment; the read is audited."""
    row = service.get_assessment(db=db, assessment_id=assessment_id, site_ids=reading(principal))
    audit_patient(db, row.patient_id, f"api assessment {row.id}")
    return AssessmentOut.model_validate(row)


@router.patch(
    "/assessments/{assessment_id}",
    summary="Change an assessment (optimistic concurrency)",
    response_model=AssessmentOut,
)
def update_assessment(db: Database, principal: Writer, assessment_id: Id, change: Change) -> Any:
    """Apply `changes` to the assessment read at `version`; 409 if it changed since."""
    row = service.update_assessment(
        db=db,
        assessment_id=assessment_id,
        expected_version=change.version,
        changes=change.changes,
        site_ids=writing(principal),
    )
    return AssessmentOut.model_validate(row)


@router.get(
    "/episodes/{episode_id}/findings/{kind}",
    summary="An episode's findings of one kind",
    response_model=page_model(FindingOut),
)
def list_findings(
    *,
    db: Database,
    principal: Reader,
    episode_id: Id,
    kind: FindingKind,
    page: PageNumber = 1,
    page_size: PageSize = 50,
) -> Any:
    """The episode's findings of `kind`, oldest first; the read is audited."""
    rows = service.list_findings(
        db=db, kind=kind, episode_id=episode_id, site_ids=reading(principal)
    )
    return paged(
        db,
        f"api {kind.value}",
        rows,
        page=page,
        page_size=page_size,
        shape=lambda row: finding_out(kind, row),
    )


@router.post(
    "/assessments/{assessment_id}/findings/{kind}",
    status_code=201,
    summary="Record a finding at an assessment",
)
def create_finding(
    db: Database,
    principal: Writer,
    assessment_id: Id,
    kind: FindingKind,
    values: Annotated[dict[str, Any], Body(description="the fields of the kind's schema")],
) -> FindingOut:
    """A finding of `kind`, validated by its schema (unknown fields refused)."""
    try:
        finding_in = service.KINDS[kind].schema.model_validate(values)
    except ValidationError as error:
        raise invalid_from_validation(error) from error
    row = service.create_finding(
        db=db, assessment_id=assessment_id, finding_in=finding_in, site_ids=writing(principal)
    )
    return finding_out(kind, row)


@router.get("/findings/{kind}/{finding_id}", summary="One finding")
def get_finding(db: Database, principal: Reader, kind: FindingKind, finding_id: Id) -> FindingOut:
    """The finding; the read is audited."""
    row = service.get_finding(db=db, kind=kind, finding_id=finding_id, site_ids=reading(principal))
    audit_patient(db, row.patient_id, f"api {kind.value} {row.id}")
    return finding_out(kind, row)


@router.patch("/findings/{kind}/{finding_id}", summary="Change a finding (optimistic concurrency)")
def update_finding(
    db: Database, principal: Writer, kind: FindingKind, finding_id: Id, change: Change
) -> FindingOut:
    """Apply `changes` to the finding read at `version`, revalidating it whole; 409 if stale."""
    row = service.update_finding(
        db=db,
        kind=kind,
        finding_id=finding_id,
        expected_version=change.version,
        changes=change.changes,
        site_ids=writing(principal),
    )
    return finding_out(kind, row)
