"""`/api/v1/episodes/{episode_id}/facts`: the facts only a clinician can give, per episode.

Each change is an entry with who and when (and an optional note); the latest entry per fact is
in force and `null` clears a fact. Recording facts recomputes the episode's recommendations
with them (docs/coordination/recommendations.md); every read and write is audited.
"""

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from limbsalvage.facts import service
from limbsalvage.facts.models import ClinicianFact
from limbsalvage.facts.schemas import FactsIn
from limbsalvage.patients.service import get_episode
from limbsalvage.recommendations.after_restaging import record_facts_and_refresh
from limbsalvage.web.api_recommendations import RefreshOut, refresh_out
from limbsalvage.web.api_support import (
    RANGE_CHECKED,
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
    prefix="/api/v1",
    tags=["clinician facts"],
    responses=ERROR_RESPONSES,
    dependencies=RANGE_CHECKED,
)

FactOut = row_model(ClinicianFact, name="FactOut")


class FactsOut(BaseModel):
    """The facts in force by name, each with who gave it and when."""

    episode_id: int
    facts: dict[str, FactOut]  # type: ignore[valid-type]


class FactsRecordedOut(BaseModel):
    """The new entries, the facts now in force, and the recompute (or why it did not run)."""

    recorded: list[FactOut]  # type: ignore[valid-type]
    in_force: FactsOut
    recommendations: RefreshOut | None
    not_refreshed: str


def _in_force(db: Database, episode_id: int, sites: frozenset[int]) -> FactsOut:
    rows = service.facts_in_force(db=db, episode_id=episode_id, site_ids=sites)
    return FactsOut(
        episode_id=episode_id,
        facts={name: FactOut.model_validate(row) for name, row in rows.items()},
    )


@router.get(
    "/episodes/{episode_id}/facts", summary="The clinician facts in force", response_model=FactsOut
)
def facts_in_force(db: Database, principal: Reader, episode_id: Id) -> Any:
    """The latest value of each fact (cleared ones left out), with who and when; audited."""
    sites = reading(principal)
    episode = get_episode(db=db, episode_id=episode_id, site_ids=sites)
    out = _in_force(db, episode_id, sites)
    audit_patient(db, episode.patient_id, f"api clinician facts of episode {episode_id}")
    return out


@router.get(
    "/episodes/{episode_id}/facts/history",
    summary="Every clinician fact entry of the episode",
    response_model=page_model(FactOut),
)
def fact_history(
    db: Database,
    principal: Reader,
    episode_id: Id,
    page: PageNumber = 1,
    page_size: PageSize = 50,
) -> Any:
    """Every entry, newest first (a `null` value cleared the fact); audited."""
    rows = service.fact_history(db=db, episode_id=episode_id, site_ids=reading(principal))
    return paged(
        db,
        "api clinician fact history",
        rows,
        page=page,
        page_size=page_size,
        shape=FactOut.model_validate,
    )


@router.post("/episodes/{episode_id}/facts", summary="Record clinician facts and recompute")
def record_facts(
    db: Database, principal: Writer, episode_id: Id, facts_in: FactsIn
) -> FactsRecordedOut:
    """Record the facts that change (`null` clears one), then recompute the recommendations.

    A wrong value refuses the whole body (422 naming each field and what is allowed). When the
    engine refuses the registry's input the facts stay recorded and `not_refreshed` says why.
    """
    sites = writing(principal)
    entries, refreshed = record_facts_and_refresh(
        db=db, episode_id=episode_id, facts=facts_in.facts, site_ids=sites, note=facts_in.note
    )
    summary = refreshed.summary
    return FactsRecordedOut(
        recorded=[FactOut.model_validate(row) for row in entries],
        in_force=_in_force(db, episode_id, sites),
        recommendations=None if summary is None else refresh_out(summary),
        not_refreshed=refreshed.not_refreshed,
    )
