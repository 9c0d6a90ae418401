"""`/api/v1/…/staging`: an episode's staging snapshots, proposals, review and restaging.

A snapshot is never rewritten: proposing or restaging adds one and answers how it differs from
the one before it; a clinician confirms a proposal or overrides it with a reason (the proposal
stays in `results`, the stage in force in the result columns). Rules: docs/registry/staging.md.
"""

from datetime import date
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from limbsalvage.patients.schemas import Strict
from limbsalvage.staging import service
from limbsalvage.staging.models import StagingSnapshot
from limbsalvage.staging.service import Difference, StagingOverride, StagingProposal
from limbsalvage.web.api_support import (
    RANGE_CHECKED,
    Id,
    PageNumber,
    PageSize,
    Reader,
    Version,
    VersionIn,
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
    prefix="/api/v1", tags=["staging"], responses=ERROR_RESPONSES, dependencies=RANGE_CHECKED
)

SnapshotOut = row_model(StagingSnapshot, name="StagingSnapshotOut")


class DifferenceOut(BaseModel):
    """One result that differs from the snapshot before."""

    system: str
    field: str
    old: Any
    new: Any


class ProposalOut(BaseModel):
    """A snapshot, the one before it (when there was one) and what differs between them."""

    snapshot: SnapshotOut  # type: ignore[valid-type]
    previous_id: int | None
    differences: list[DifferenceOut]
    created: bool


class ProposeIn(Strict):
    """Stage as of a date (default: today, or the closing date of a closed episode)."""

    as_of: date | None = None


class OverrideIn(StagingOverride):
    """The results to put in force instead of the proposal read at `version`, with the reason."""

    version: Version


def _differences(found: list[Difference]) -> list[DifferenceOut]:
    return [DifferenceOut(system=d.system, field=d.field, old=d.old, new=d.new) for d in found]


def _proposal(proposal: StagingProposal) -> ProposalOut:
    previous = proposal.previous
    return ProposalOut(
        snapshot=SnapshotOut.model_validate(proposal.snapshot),
        previous_id=previous.id if previous is not None else None,
        differences=_differences(proposal.differences),
        created=proposal.created,
    )


@router.get(
    "/episodes/{episode_id}/staging",
    summary="An episode's staging snapshots",
    response_model=page_model(SnapshotOut),
)
def list_snapshots(
    db: Database, principal: Reader, episode_id: Id, page: PageNumber = 1, page_size: PageSize = 50
) -> Any:
    """The snapshots in the order they were computed; the read is audited."""
    rows = service.list_snapshots(db=db, episode_id=episode_id, site_ids=reading(principal))
    return paged(
        db, "api staging", rows, page=page, page_size=page_size, shape=SnapshotOut.model_validate
    )


@router.post(
    "/episodes/{episode_id}/staging", status_code=201, summary="Propose a staging (a new snapshot)"
)
def propose(db: Database, principal: Writer, episode_id: Id, propose_in: ProposeIn) -> ProposalOut:
    """Stage the limb from the latest fresh findings as of a date; the differences follow."""
    proposal = service.propose_staging(
        db=db, episode_id=episode_id, as_of=propose_in.as_of, site_ids=writing(principal)
    )
    return _proposal(proposal)


@router.post("/episodes/{episode_id}/restage", summary="Rerun the current engine")
def restage(db: Database, principal: Writer, episode_id: Id) -> ProposalOut:
    """A new snapshot when anything differs under the current engine (`created` says whether)."""
    return _proposal(service.restage(db=db, episode_id=episode_id, site_ids=writing(principal)))


@router.get("/staging/{snapshot_id}", summary="One staging snapshot", response_model=SnapshotOut)
def get_snapshot(db: Database, principal: Reader, snapshot_id: Id) -> Any:
    """The snapshot with its inputs, results, rules, sources, stale and missing inputs; audited."""
    row = service.get_snapshot(db=db, snapshot_id=snapshot_id, site_ids=reading(principal))
    audit_patient(db, row.patient_id, f"api staging snapshot {row.id}")
    return SnapshotOut.model_validate(row)


@router.get("/staging/{snapshot_id}/differences", summary="What changed since the snapshot before")
def snapshot_differences(db: Database, principal: Reader, snapshot_id: Id) -> ProposalOut:
    """The snapshot beside the one it followed, with each result that differs; audited."""
    row = service.get_snapshot(db=db, snapshot_id=snapshot_id, site_ids=reading(principal))
    previous = (
        service.get_snapshot(db=db, snapshot_id=row.previous_id)
        if row.previous_id is not None
        else None
    )
    audit_patient(db, row.patient_id, f"api staging snapshot {row.id} differences")
    found = service.differences(previous, row)
    return _proposal(StagingProposal(row, previous, found, created=False))


@router.post(
    "/staging/{snapshot_id}/confirm", summary="Confirm a proposal", response_model=SnapshotOut
)
def confirm(db: Database, principal: Writer, snapshot_id: Id, confirm_in: VersionIn) -> Any:
    """Confirm the proposal read at `version`; 409 if it changed or was already reviewed."""
    row = service.confirm_staging(
        db=db,
        snapshot_id=snapshot_id,
        expected_version=confirm_in.version,
        site_ids=writing(principal),
    )
    return SnapshotOut.model_validate(row)


@router.post(
    "/staging/{snapshot_id}/override",
    summary="Override a proposal, with a reason",
    response_model=SnapshotOut,
)
def override(db: Database, principal: Writer, snapshot_id: Id, override_in: OverrideIn) -> Any:
    """Put other results in force with the reason; WIfI grades alone give the table's stage."""
    row = service.override_staging(
        db=db,
        snapshot_id=snapshot_id,
        expected_version=override_in.version,
        override=override_in.model_dump(exclude={"version"}, exclude_none=True),
        site_ids=writing(principal),
    )
    return SnapshotOut.model_validate(row)
