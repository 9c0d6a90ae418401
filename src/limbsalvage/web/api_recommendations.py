"""`/api/v1/recommendations`: decision support stored per episode, its answers and its history.

The pathway engine's recommendations are refreshed from what the registry holds (plus the facts
only a clinician can give); a clinician accepts one (its task follows) or overrides it with a
reason. A refresh keeps unchanged recommendations and their answers; a changed one is superseded
and stays in the history. Rules: docs/coordination/recommendations.md.
"""

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from limbsalvage.patients.schemas import Strict
from limbsalvage.recommendations import refresh, service
from limbsalvage.recommendations.models import StoredRecommendation
from limbsalvage.recommendations.schemas import AcceptIn, OverrideIn
from limbsalvage.recommendations.service import RecomputeSummary
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
from limbsalvage.web.api_tasks import TaskOut
from limbsalvage.web.auth import Database
from limbsalvage.web.errors import ERROR_RESPONSES

router = APIRouter(
    prefix="/api/v1",
    tags=["recommendations"],
    responses=ERROR_RESPONSES,
    dependencies=RANGE_CHECKED,
)

RecommendationOut = row_model(StoredRecommendation, name="RecommendationOut", hide={"fingerprint"})


class AcceptedOut(BaseModel):
    """The accepted recommendation and the task it implies (none for some categories)."""

    recommendation: RecommendationOut  # type: ignore[valid-type]
    task: TaskOut | None  # type: ignore[valid-type]


class RefreshIn(Strict):
    """Facts only a clinician can give, by pathway input name (docs/pathway/input.md); they are
    recorded for the episode (who, when) before the recompute, which uses every fact in force."""

    facts: dict[str, Any] = Field(default_factory=dict)


class RefreshOut(BaseModel):
    """What a refresh did: kept, added, changed (new rows in place of old) and withdrawn."""

    kept: list[RecommendationOut]  # type: ignore[valid-type]
    added: list[RecommendationOut]  # type: ignore[valid-type]
    changed: list[RecommendationOut]  # type: ignore[valid-type]
    withdrawn: list[RecommendationOut]  # type: ignore[valid-type]


def _out(rows: Sequence[StoredRecommendation]) -> list[Any]:
    return [RecommendationOut.model_validate(row) for row in rows]


@router.get(
    "/episodes/{episode_id}/recommendations",
    summary="An episode's recommendations",
    response_model=page_model(RecommendationOut),
)
def list_recommendations(
    *,
    db: Database,
    principal: Reader,
    episode_id: Id,
    history: bool = False,
    page: PageNumber = 1,
    page_size: PageSize = 50,
) -> Any:
    """Current recommendations, most urgent first (`history`: superseded ones too); audited."""
    rows = service.list_recommendations(
        db=db, episode_id=episode_id, site_ids=reading(principal), include_superseded=history
    )
    return paged(
        db,
        "api recommendations",
        rows,
        page=page,
        page_size=page_size,
        shape=RecommendationOut.model_validate,
    )


@router.post(
    "/episodes/{episode_id}/recommendations/refresh", summary="Recompute the recommendations"
)
def refresh_recommendations(
    db: Database, principal: Writer, episode_id: Id, refresh_in: RefreshIn
) -> RefreshOut:
    """Run the pathway engine on the registry and the facts given; store without churn."""
    summary = refresh.refresh_for_episode(
        db=db, episode_id=episode_id, site_ids=writing(principal), facts=refresh_in.facts
    )
    return refresh_out(summary)


def refresh_out(summary: RecomputeSummary) -> RefreshOut:
    """The API shape of what a recompute did."""
    return RefreshOut(
        kept=_out(summary.kept),
        added=_out(summary.added),
        changed=_out(summary.changed),
        withdrawn=_out(summary.withdrawn),
    )


@router.get(
    "/recommendations/{recommendation_id}",
    summary="One recommendation",
    response_model=RecommendationOut,
)
def get_recommendation(db: Database, principal: Reader, recommendation_id: Id) -> Any:
    """The recommendation with its rationale, citation and answer; audited."""
    row = service.get_recommendation(
        db=db, recommendation_id=recommendation_id, site_ids=reading(principal)
    )
    audit_patient(db, row.patient_id, f"api recommendation {row.id}")
    return RecommendationOut.model_validate(row)


@router.get(
    "/recommendations/{recommendation_id}/history",
    summary="Every row its rule gave for the episode",
    response_model=page_model(RecommendationOut),
)
def recommendation_history(
    db: Database,
    principal: Reader,
    recommendation_id: Id,
    page: PageNumber = 1,
    page_size: PageSize = 50,
) -> Any:
    """The rule's rows for the episode, oldest first (the last one current, if any); audited."""
    sites = reading(principal)
    row = service.get_recommendation(db=db, recommendation_id=recommendation_id, site_ids=sites)
    rows = service.recommendation_history(
        db=db, episode_id=row.episode_id, rule_id=row.rule_id, site_ids=sites
    )
    return paged(
        db,
        "api recommendation history",
        rows,
        page=page,
        page_size=page_size,
        shape=RecommendationOut.model_validate,
    )


@router.post("/recommendations/{recommendation_id}/accept", summary="Accept a recommendation")
def accept(
    db: Database, principal: Writer, recommendation_id: Id, accept_in: AcceptIn
) -> AcceptedOut:
    """Accept the current recommendation read at `version`; its task is created (or reopened)."""
    row, task = service.accept_recommendation(
        db=db, recommendation_id=recommendation_id, accept_in=accept_in, site_ids=writing(principal)
    )
    return AcceptedOut(
        recommendation=RecommendationOut.model_validate(row),
        task=TaskOut.model_validate(task) if task is not None else None,
    )


@router.post(
    "/recommendations/{recommendation_id}/override",
    summary="Override a recommendation, with a reason",
    response_model=RecommendationOut,
)
def override(
    db: Database, principal: Writer, recommendation_id: Id, override_in: OverrideIn
) -> Any:
    """Override the current recommendation read at `version`; an open task from it is cancelled."""
    row = service.override_recommendation(
        db=db,
        recommendation_id=recommendation_id,
        override_in=override_in,
        site_ids=writing(principal),
    )
    return RecommendationOut.model_validate(row)
