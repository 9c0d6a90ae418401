"""The chart's procedures, outcome events and follow-up visits (clinicians; issue 6).

Each form posts to `/patients/{id}/…` and, once stored, redirects to the chart's procedures and
outcomes section (the timelines, the death date and the chart's own timeline all change). A
refusal — a schema problem or a rule of the registry such as nothing after death or nothing
below a major amputation — answers the whole chart again with the form open, what was typed and
each message beside its field (422; 409 when the record conflicts with one already stored).
"""

from collections.abc import Callable, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from limbsalvage.accounts.permissions import Permission, Principal
from limbsalvage.errors import Conflict, FieldProblem, Invalid, invalid
from limbsalvage.events import service as events
from limbsalvage.events.schemas import FollowUpCreate, OutcomeEventCreate
from limbsalvage.patients.models import Episode
from limbsalvage.patients.service import get_patient
from limbsalvage.procedures import service as procedures
from limbsalvage.procedures.schemas import GraftCreate, ProcedureCreate, TreatedSegmentCreate
from limbsalvage.web.auth import Database, PostedForm, require
from limbsalvage.web.care_views import Refusal
from limbsalvage.web.forms import typed_form, validated
from limbsalvage.web.outcome_views import FollowUpForm
from limbsalvage.web.patients_pages import render_chart

router = APIRouter(include_in_schema=False)

Writer = Annotated[Principal, Depends(require(Permission.CLINICAL_WRITE))]
PatientId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _problems(error: Invalid | Conflict) -> list[FieldProblem]:
    if isinstance(error, Invalid) and error.fields:
        return list(error.fields)
    field, _, message = error.message.partition(": ")
    if message and field.isidentifier():
        return [FieldProblem(field, message)]
    return [FieldProblem("form", error.message)]


def _typed(model: type[BaseModel], form: FormData) -> tuple[dict[str, str], dict[str, Any]]:
    return typed_form(model, form)


def _store(
    request: Request,
    db: Session,
    principal: Principal,
    patient_id: int,
    *,
    form: FormData,
    target: str,
    action: Callable[[FormData, dict[str, str]], None],
) -> Response:
    """Run `action` on the posted form; redirect to the chart, or answer it with the refusal."""
    sites = principal.sites_with(Permission.CLINICAL_WRITE)
    get_patient(db=db, patient_id=patient_id, site_ids=sites)  # 404 elsewhere
    typed: dict[str, str] = {
        k: v for k, v in form.items() if isinstance(v, str) and v.strip() and k != "csrf_token"
    }
    try:
        action(form, typed)
    except (Invalid, Conflict) as refused:
        db.rollback()
        status = 409 if isinstance(refused, Conflict) else 422
        refusal = Refusal(target, typed, _problems(refused), refused.message)
        return render_chart(
            request, db, principal, patient_id, outcome_refusal=refusal, status=status
        )
    return RedirectResponse(f"/patients/{patient_id}#outcomes", status_code=303)


def _check_episode(db: Session, patient_id: int, data: Mapping[str, Any]) -> None:
    raw = data.get("episode_id")
    if raw is None:
        return
    episode = db.get(Episode, int(raw)) if str(raw).isdigit() and len(str(raw)) < 10 else None
    if episode is None or episode.patient_id != patient_id:
        raise Invalid(
            message="episode_id: choose one of this patient's episodes",
            fields=[FieldProblem("episode_id", "choose one of this patient's episodes")],
        )


def _merged(*parts: Callable[[], object]) -> list[object]:
    """Run every validation; one refusal names every field at fault across the parts."""
    done, problems = [], []
    for part in parts:
        try:
            done.append(part())
        except Invalid as refused:
            problems += list(refused.fields)
    if problems:
        summary = "; ".join(f"{p.field}: {p.message}" for p in problems)
        raise Invalid(message=summary, fields=problems)
    return done


@router.post("/patients/{patient_id}/procedures", response_class=HTMLResponse)
def record_procedure(
    request: Request, db: Database, principal: Writer, patient_id: PatientId, posted: PostedForm
) -> Response:
    """Record a procedure (with a treated segment and a graft when given; index if asked)."""
    sites = principal.sites_with(Permission.CLINICAL_WRITE)

    def act(form: FormData, typed: dict[str, str]) -> None:
        _, data = _typed(ProcedureCreate, form)
        _check_episode(db, patient_id, data)
        _, segment = _typed(TreatedSegmentCreate, form)
        _, graft = _typed(GraftCreate, form)
        index = typed.get("index_procedure") == "yes"

        def episode_for_index() -> None:
            if index and "episode_id" not in data:
                raise invalid("episode_id", "choose the episode it is the index procedure of")

        procedure_in, segment_in, graft_in, _ = _merged(
            lambda: validated(ProcedureCreate, data),
            lambda: validated(TreatedSegmentCreate, segment) if segment else None,
            lambda: validated(GraftCreate, graft) if graft else None,
            episode_for_index,
        )
        assert isinstance(procedure_in, ProcedureCreate)
        procedure = procedures.create_procedure(
            db=db, patient_id=patient_id, procedure_in=procedure_in, site_ids=sites
        )
        if isinstance(graft_in, GraftCreate):
            procedures.add_graft(
                db=db, procedure_id=procedure.id, graft_in=graft_in, site_ids=sites
            )
        if isinstance(segment_in, TreatedSegmentCreate):
            procedures.add_treated_segment(
                db=db, procedure_id=procedure.id, segment_in=segment_in, site_ids=sites
            )
        if index and procedure.episode_id is not None:
            episode = db.get_one(Episode, procedure.episode_id)
            procedures.set_index_procedure(
                db=db,
                episode_id=episode.id,
                procedure_id=procedure.id,
                expected_version=episode.version,
                site_ids=sites,
            )

    return _store(request, db, principal, patient_id, form=posted, target="procedure", action=act)


@router.post("/patients/{patient_id}/events", response_class=HTMLResponse)
def record_event(
    request: Request, db: Database, principal: Writer, patient_id: PatientId, posted: PostedForm
) -> Response:
    """Record an outcome event (amputation, death, reintervention, wound healed…)."""
    sites = principal.sites_with(Permission.CLINICAL_WRITE)

    def act(form: FormData, _: dict[str, str]) -> None:
        _, data = _typed(OutcomeEventCreate, form)
        _check_episode(db, patient_id, data)
        events.record_event(
            db=db,
            patient_id=patient_id,
            event_in=validated(OutcomeEventCreate, data),
            site_ids=sites,
        )

    return _store(request, db, principal, patient_id, form=posted, target="event", action=act)


@router.post("/patients/{patient_id}/follow-ups", response_class=HTMLResponse)
def record_follow_up(
    request: Request, db: Database, principal: Writer, patient_id: PatientId, posted: PostedForm
) -> Response:
    """Record a follow-up visit of an episode (ambulation, VascuQoL-6: all six answers or none)."""
    sites = principal.sites_with(Permission.CLINICAL_WRITE)

    def act(form: FormData, _: dict[str, str]) -> None:
        _, data = _typed(FollowUpForm, form)
        _check_episode(db, patient_id, data)
        visit = validated(FollowUpForm, data)
        events.record_follow_up(
            db=db,
            episode_id=visit.episode_id,
            follow_up_in=FollowUpCreate(**visit.model_dump(exclude={"episode_id"})),
            site_ids=sites,
        )

    return _store(request, db, principal, patient_id, form=posted, target="follow-up", action=act)
