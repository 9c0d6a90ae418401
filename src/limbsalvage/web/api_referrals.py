"""`/api/v1/referrals`: staff intake, the triage queue and its decisions.

The public submission is the `/referral` page (no sign-in, rate-limited, the same answer for
anyone). Staff with clinical read see the referrals of their sites; coordinators record them,
triage, decline with a reason, or convert one into a patient, limb and episode.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from limbsalvage.accounts.permissions import Principal
from limbsalvage.core.vocabulary import ReferralStatus
from limbsalvage.db.audit import record_access
from limbsalvage.errors import FieldProblem, Forbidden, Invalid
from limbsalvage.referrals import service
from limbsalvage.referrals.models import Referral
from limbsalvage.referrals.schemas import ConversionIn, DeclineIn, StaffReferralIn, TriageIn
from limbsalvage.web.api_support import (
    RANGE_CHECKED,
    Coordinator,
    Id,
    PageNumber,
    PageSize,
    Reader,
    coordinating,
    offset,
    page_model,
    reading,
    row_model,
)
from limbsalvage.web.auth import Database
from limbsalvage.web.errors import ERROR_RESPONSES

router = APIRouter(
    prefix="/api/v1", tags=["referrals"], responses=ERROR_RESPONSES, dependencies=RANGE_CHECKED
)

ReferralOut = row_model(Referral, name="ReferralOut")
Statuses = Annotated[list[ReferralStatus], Query(description="states to list (repeatable)")]


class StaffReferral(StaffReferralIn):
    """A referral staff record; `site_id` may be left out when they coordinate at one site."""

    site_id: int | None = None


def _audit_read(db: Database, referral: Referral, what: str) -> None:
    record_access(
        db,
        action="read",
        entity="referrals",
        entity_id=str(referral.id),
        patient_id=referral.patient_id,
        site_id=referral.site_id,
        detail=what,
    )


def _site(principal: Principal, requested: int | None) -> int:
    sites = coordinating(principal)
    if requested is None:
        if len(sites) == 1:
            return next(iter(sites))
        allowed = ", ".join(str(s) for s in sorted(sites))
        raise Invalid(
            message=f"site_id: required; you coordinate at sites {allowed}",
            fields=[FieldProblem("site_id", f"required; one of {allowed}")],
        )
    if requested not in sites:
        raise Forbidden(message="site_id: your role at this site does not allow coordination")
    return requested


@router.get("/referrals", summary="The triage queue", response_model=page_model(ReferralOut))
def list_referrals(
    db: Database,
    principal: Reader,
    status: Statuses = [ReferralStatus.NEW, ReferralStatus.TRIAGED],  # noqa: B006 - FastAPI copies it
    page: PageNumber = 1,
    page_size: PageSize = 50,
) -> Any:
    """Referrals of the user's sites, most urgent first, then oldest; the list is audited."""
    sites = reading(principal)
    shown = service.list_referrals(
        db=db, site_ids=sites, statuses=status, limit=page_size, offset=offset(page, page_size)
    )
    total = service.count_referrals(db=db, site_ids=sites, statuses=status)
    if shown:
        ids = ",".join(str(r.id) for r in shown)
        record_access(db, action="list", entity="referrals", detail=f"api referrals: {ids}")
    items = [ReferralOut.model_validate(r) for r in shown]
    return {"items": items, "page": page, "page_size": page_size, "total": total}


@router.post("/referrals", status_code=201, summary="Record a referral", response_model=ReferralOut)
def create_referral(db: Database, principal: Coordinator, referral_in: StaffReferral) -> Any:
    """A referral received by letter or telephone, with when it was received."""
    site_id = _site(principal, referral_in.site_id)
    values = referral_in.model_dump(exclude={"site_id"})
    row = service.create_referral(
        db=db,
        site_id=site_id,
        referral_in=StaffReferralIn.model_validate(values),
        site_ids=coordinating(principal),
    )
    return ReferralOut.model_validate(row)


@router.get("/referrals/{referral_id}", summary="One referral", response_model=ReferralOut)
def get_referral(db: Database, principal: Reader, referral_id: Id) -> Any:
    """The referral as stated, its triage and what it became; the read is audited."""
    row = service.get_referral(db=db, referral_id=referral_id, site_ids=reading(principal))
    _audit_read(db, row, "api referral")
    return ReferralOut.model_validate(row)


@router.post(
    "/referrals/{referral_id}/triage",
    summary="Record the triage priority",
    response_model=ReferralOut,
)
def triage(db: Database, principal: Coordinator, referral_id: Id, triage_in: TriageIn) -> Any:
    """Triage (or re-triage) the referral read at `version`; 409 if stale or decided."""
    row = service.triage_referral(
        db=db, referral_id=referral_id, triage_in=triage_in, site_ids=coordinating(principal)
    )
    return ReferralOut.model_validate(row)


@router.post(
    "/referrals/{referral_id}/decline", summary="Decline a referral", response_model=ReferralOut
)
def decline(db: Database, principal: Coordinator, referral_id: Id, decline_in: DeclineIn) -> Any:
    """Decline the referral read at `version`, with the reason; 409 if stale or decided."""
    row = service.decline_referral(
        db=db, referral_id=referral_id, decline_in=decline_in, site_ids=coordinating(principal)
    )
    return ReferralOut.model_validate(row)


@router.post(
    "/referrals/{referral_id}/convert",
    summary="Turn a referral into a patient, limb and episode",
    response_model=ReferralOut,
)
def convert(
    db: Database, principal: Coordinator, referral_id: Id, conversion_in: ConversionIn
) -> Any:
    """Register the patient (or find them by MRN) and open the episode; nothing half-written."""
    row = service.convert_referral(
        db=db,
        referral_id=referral_id,
        conversion_in=conversion_in,
        site_ids=coordinating(principal),
    )
    return ReferralOut.model_validate(row)
