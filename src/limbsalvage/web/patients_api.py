"""`/api/v1/patients` and `/api/v1/episodes`: the registry's patients, limbs and episodes.

Users see only the patients of the sites where their role allows clinical reads; another site's
patient is 404, as if it did not exist. Every read is audited.
"""

from collections.abc import Collection
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel

from limbsalvage.accounts.permissions import Permission, Principal
from limbsalvage.errors import FieldProblem, Forbidden, Invalid
from limbsalvage.patients import service
from limbsalvage.patients.schemas import EpisodeClose, EpisodeCreate, PatientCreate
from limbsalvage.web.auth import Database, require, signed_in
from limbsalvage.web.errors import ERROR_RESPONSES
from limbsalvage.web.patient_views import (
    EpisodeOut,
    Page,
    PatientOut,
    audit_list,
    audit_read,
    episode_out,
    latest_wifi_stages,
    patient_episodes,
)

router = APIRouter(prefix="/api/v1", tags=["patients"], responses=ERROR_RESPONSES)

Reader = Annotated[Principal, Depends(require(Permission.CLINICAL_READ))]
Writer = Annotated[Principal, Depends(require(Permission.CLINICAL_WRITE))]
PatientId = Annotated[int, Path(ge=1, le=2**31 - 1)]
EpisodeId = Annotated[int, Path(ge=1, le=2**31 - 1)]
PageNumber = Annotated[int, Query(ge=1, le=1_000_000, description="1-based page number")]
PageSize = Annotated[int, Query(ge=1, le=200, description="rows per page")]


class Me(BaseModel):
    """The signed-in user with their roles by site."""

    user_id: int
    email: str
    display_name: str
    roles_by_site: dict[int, list[str]]
    is_demo: bool


class PatientIn(PatientCreate):
    """A new patient; `site_id` may be left out when the user writes at one site only."""

    site_id: int | None = None


class PatientChange(BaseModel):
    """A partial change to a patient read at `version`."""

    version: int
    changes: dict[str, Any]


class PatientDetail(PatientOut):
    """A patient with every episode (newest first)."""

    episodes: list[EpisodeOut]


@router.get("/me", summary="Who is signed in", dependencies=[Depends(signed_in)])
def me(principal: Annotated[Principal, Depends(signed_in)]) -> Me:
    """The user and their roles by site."""
    return Me(
        user_id=principal.user_id,
        email=principal.email,
        display_name=principal.display_name,
        roles_by_site={
            s: sorted(r.value for r in roles) for s, roles in principal.roles_by_site.items()
        },
        is_demo=principal.is_demo,
    )


@router.get("/patients", summary="Patients, paged, with name/MRN search")
def list_patients(
    db: Database,
    principal: Reader,
    search: Annotated[str | None, Query(max_length=100)] = None,
    page: PageNumber = 1,
    page_size: PageSize = 50,
) -> Page[PatientOut]:
    """The patients of the user's sites by family then given name; the list shown is audited."""
    rows, total = service.list_patients(
        db=db,
        site_ids=principal.sites_with(Permission.CLINICAL_READ),
        search=search,
        limit=page_size,
        offset=(page - 1) * page_size,
    )
    audit_list(db, "api patients", [p.id for p in rows])
    items = [PatientOut.model_validate(p) for p in rows]
    return Page[PatientOut](items=items, page=page, page_size=page_size, total=total)


def write_site(principal: Principal, requested: int | None) -> int:
    """The site a new patient goes to: the requested one if the user writes there."""
    sites: Collection[int] = principal.sites_with(Permission.CLINICAL_WRITE)
    if requested is None:
        if len(sites) == 1:
            return next(iter(sites))
        allowed = ", ".join(str(s) for s in sorted(sites))
        raise Invalid(
            message=f"site_id: required; you write at sites {allowed}",
            fields=[FieldProblem("site_id", f"required; one of {allowed}")],
        )
    if requested not in sites:
        raise Forbidden(message="site_id: your role at this site does not allow clinical writes")
    return requested


@router.post("/patients", status_code=201, summary="Register a patient")
def create_patient(db: Database, principal: Writer, patient_in: PatientIn) -> PatientOut:
    """A new patient at one of the user's sites (the MRN must be new there)."""
    site_id = write_site(principal, patient_in.site_id)
    values = patient_in.model_dump(exclude={"site_id"})
    patient = service.create_patient(
        db=db, site_id=site_id, patient_in=PatientCreate.model_validate(values)
    )
    return PatientOut.model_validate(patient)


@router.get("/patients/{patient_id}", summary="One patient with their episodes")
def get_patient(db: Database, principal: Reader, patient_id: PatientId) -> PatientDetail:
    """The patient and every episode; the read is audited."""
    patient = service.get_patient(
        db=db, patient_id=patient_id, site_ids=principal.sites_with(Permission.CLINICAL_READ)
    )
    audit_read(db, patient, "api patient")
    detail = PatientOut.model_validate(patient).model_dump()
    return PatientDetail(**detail, episodes=patient_episodes(db, patient.id))


@router.patch("/patients/{patient_id}", summary="Change a patient (optimistic concurrency)")
def update_patient(
    db: Database, principal: Writer, patient_id: PatientId, change: PatientChange
) -> PatientOut:
    """Apply `changes` to the patient read at `version`; 409 if it changed since."""
    patient = service.update_patient(
        db=db,
        patient_id=patient_id,
        expected_version=change.version,
        changes=change.changes,
        site_ids=principal.sites_with(Permission.CLINICAL_WRITE),
    )
    return PatientOut.model_validate(patient)


@router.post(
    "/patients/{patient_id}/episodes", status_code=201, summary="Open a threatened-limb episode"
)
def open_episode(
    db: Database, principal: Writer, patient_id: PatientId, episode_in: EpisodeCreate
) -> EpisodeOut:
    """A new episode on one limb (one open episode per limb)."""
    episode = service.open_episode(
        db=db,
        patient_id=patient_id,
        episode_in=episode_in,
        site_ids=principal.sites_with(Permission.CLINICAL_WRITE),
    )
    return episode_out(episode, episode_in.side, None)


@router.get("/episodes/{episode_id}", summary="One episode")
def get_episode(db: Database, principal: Reader, episode_id: EpisodeId) -> EpisodeOut:
    """The episode with its side and latest WIfI stage; the read is audited."""
    episode = service.get_episode(
        db=db, episode_id=episode_id, site_ids=principal.sites_with(Permission.CLINICAL_READ)
    )
    patient = service.get_patient(db=db, patient_id=episode.patient_id)
    audit_read(db, patient, f"api episode {episode.id}")
    stage = latest_wifi_stages(db, [episode.id]).get(episode.id)
    return episode_out(episode, episode.limb.side, stage)


@router.post("/episodes/{episode_id}/close", summary="Close an episode")
def close_episode(
    db: Database, principal: Writer, episode_id: EpisodeId, close_in: EpisodeClose
) -> EpisodeOut:
    """Close the episode read at `version` on a date not before its presentation."""
    episode = service.close_episode(
        db=db,
        episode_id=episode_id,
        close_in=close_in,
        site_ids=principal.sites_with(Permission.CLINICAL_WRITE),
    )
    stage = latest_wifi_stages(db, [episode.id]).get(episode.id)
    return episode_out(episode, episode.limb.side, stage)
