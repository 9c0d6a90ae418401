"""`/api/v1/…/limbs`: a patient's limbs (the unit of the registry), each with its episodes."""

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import select

from limbsalvage.core.vocabulary import Side
from limbsalvage.errors import NotFound
from limbsalvage.patients import service
from limbsalvage.patients.models import Limb
from limbsalvage.web.api_support import (
    RANGE_CHECKED,
    Id,
    PageNumber,
    PageSize,
    Reader,
    audit_patient,
    paged,
    reading,
)
from limbsalvage.web.auth import Database
from limbsalvage.web.errors import ERROR_RESPONSES
from limbsalvage.web.patient_views import EpisodeOut, Page, patient_episodes

router = APIRouter(
    prefix="/api/v1", tags=["limbs"], responses=ERROR_RESPONSES, dependencies=RANGE_CHECKED
)


class LimbOut(BaseModel):
    """A limb with its episodes, newest first."""

    id: int
    patient_id: int
    side: Side
    version: int
    episodes: list[EpisodeOut]


def _limb_out(db: Database, limb: Limb) -> LimbOut:
    episodes = [e for e in patient_episodes(db, limb.patient_id) if e.limb_id == limb.id]
    return LimbOut(
        id=limb.id,
        patient_id=limb.patient_id,
        side=limb.side,
        version=limb.version,
        episodes=episodes,
    )


@router.get("/patients/{patient_id}/limbs", summary="A patient's limbs")
def list_limbs(
    db: Database, principal: Reader, patient_id: Id, page: PageNumber = 1, page_size: PageSize = 50
) -> Page[LimbOut]:
    """The patient's limbs (left, right) with their episodes; the read is audited."""
    service.get_patient(db=db, patient_id=patient_id, site_ids=reading(principal))
    limbs = list(db.scalars(select(Limb).where(Limb.patient_id == patient_id).order_by(Limb.side)))
    body: dict[str, Any] = paged(
        db,
        "api limbs",
        limbs,
        page=page,
        page_size=page_size,
        shape=lambda limb: _limb_out(db, limb),
    )
    return Page[LimbOut].model_validate(body)


@router.get("/limbs/{limb_id}", summary="One limb with its episodes")
def get_limb(db: Database, principal: Reader, limb_id: Id) -> LimbOut:
    """The limb, if its patient is at one of the user's sites; the read is audited."""
    limb = db.get(Limb, limb_id)
    try:
        if limb is None:
            raise NotFound(message=f"limb {limb_id} not found")
        service.get_patient(db=db, patient_id=limb.patient_id, site_ids=reading(principal))
    except NotFound as error:
        raise NotFound(message=f"limb {limb_id} not found") from error
    audit_patient(db, limb.patient_id, f"api limb {limb.id}")
    return _limb_out(db, limb)
