"""The chart's decision support and coordination, per open episode (issue 6, issue 4).

Clinicians record the facts only they can give (kept per episode with who and when; saving them
recomputes), recompute, accept (its task follows) or override with a reason each recommendation;
coordinators create, complete and cancel tasks, track appointments and keep the care team. With
htmx the episode's care section comes back in place; without scripts a stored change redirects
to the chart and a refused one re-renders the chart with what was typed and a message beside
each field (422; 409 when the record changed since it was read).
"""

from collections.abc import Callable, Mapping
from datetime import datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from limbsalvage.accounts.permissions import Permission, Principal
from limbsalvage.care import service as care
from limbsalvage.care.models import CareTeamMember
from limbsalvage.care.schemas import AppointmentIn, TaskCancel, TaskIn, TeamMemberIn
from limbsalvage.errors import Conflict, FieldProblem, Invalid, NotFound, invalid
from limbsalvage.patients.service import get_episode, get_patient
from limbsalvage.recommendations import refresh, service
from limbsalvage.recommendations.after_restaging import record_facts_and_refresh
from limbsalvage.recommendations.schemas import AcceptIn, OverrideIn
from limbsalvage.web.auth import COMPLETE_TASK, Database, PostedForm, require
from limbsalvage.web.care_views import (
    FACT_FORM,
    Refusal,
    care_section,
    patient_zone,
    recomputed_notice,
)
from limbsalvage.web.forms import validated
from limbsalvage.web.patient_views import audit_read, patient_episodes
from limbsalvage.web.patients_pages import render_chart

router = APIRouter(include_in_schema=False)

Reader = Annotated[Principal, Depends(require(Permission.CLINICAL_READ))]
Writer = Annotated[Principal, Depends(require(Permission.CLINICAL_WRITE))]
Coordinator = Annotated[Principal, Depends(require(Permission.COORDINATION_WRITE))]
TaskCompleter = Annotated[Principal, Depends(COMPLETE_TASK)]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
END_OF_DAY = time(23, 59)


def _htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def _section(
    request: Request,
    db: Session,
    principal: Principal,
    episode_id: int,
    *,
    refusal: Refusal | None = None,
    notice: str = "",
    status: int = 200,
) -> Response:
    """The episode's care section alone (htmx), its read audited."""
    sites = principal.sites_with(Permission.CLINICAL_READ)
    episode = get_episode(db=db, episode_id=episode_id, site_ids=sites)
    patient = get_patient(db=db, patient_id=episode.patient_id)
    audit_read(db, patient, "chart care")
    shown = next(e for e in patient_episodes(db, patient.id) if e.id == episode.id)
    context = {
        "patient": patient,
        "s": care_section(db, shown, sites, refusal=refusal, notice=notice),
        "can_write": principal.can(Permission.CLINICAL_WRITE, patient.site_id),
        "can_coordinate": principal.can(Permission.COORDINATION_WRITE, patient.site_id),
    }
    response: Response = request.app.state.templates.TemplateResponse(
        request, "patients/_episode_care.html", context, status_code=status
    )
    return response


def _answer(
    request: Request,
    db: Session,
    principal: Principal,
    episode_id: int,
    *,
    refusal: Refusal | None = None,
    notice: str = "",
    status: int = 200,
) -> Response:
    if _htmx(request):
        return _section(
            request, db, principal, episode_id, refusal=refusal, notice=notice, status=status
        )
    if refusal is None:
        episode = get_episode(db=db, episode_id=episode_id)
        return RedirectResponse(
            f"/patients/{episode.patient_id}#care-{episode_id}", status_code=303
        )
    episode = get_episode(db=db, episode_id=episode_id)
    return render_chart(
        request,
        db,
        principal,
        episode.patient_id,
        care_refusal=(episode_id, refusal),
        status=status,
    )


def _problems(error: Invalid | Conflict) -> list[FieldProblem]:
    if isinstance(error, Invalid) and error.fields:
        return list(error.fields)
    return [FieldProblem("form", error.message)]


def _typed(form: FormData, names: tuple[str, ...]) -> dict[str, str]:
    """What was typed in the named boxes (empty ones left out)."""
    return {n: v for n in names if isinstance(v := form.get(n), str) and v.strip()}


def _version(typed: Mapping[str, str]) -> int:
    raw = typed.get("version", "")
    if raw.isdigit() and len(raw) < 10:
        return int(raw)
    raise invalid("version", "missing or not a number; reload the chart")


def _act(
    request: Request,
    db: Session,
    principal: Principal,
    form: FormData,
    *,
    episode_id: int,
    target: str,
    names: tuple[str, ...],
    action: Callable[[dict[str, str]], str],
) -> Response:
    """Run `action` on what was typed; answer the section, or the refusal with what was typed."""
    typed = _typed(form, names)
    try:
        notice = action(typed)
    except (Invalid, Conflict) as refused:
        db.rollback()
        status = 409 if isinstance(refused, Conflict) else 422
        refusal = Refusal(target, typed, _problems(refused), refused.message)
        return _answer(request, db, principal, episode_id, refusal=refusal, status=status)
    return _answer(request, db, principal, episode_id, notice=notice)


def _model(model: type[BaseModel], data: Mapping[str, Any]) -> Any:
    return validated(model, {k: v.strip() if isinstance(v, str) else v for k, v in data.items()})


@router.get("/episodes/{episode_id}/care", response_class=HTMLResponse)
def care_fragment(request: Request, db: Database, principal: Reader, episode_id: Id) -> Response:
    """The episode's care section for htmx (reloaded when the limb is restaged); audited.

    A browser opening the address itself is sent to the chart, at the section.
    """
    if not _htmx(request):
        sites = principal.sites_with(Permission.CLINICAL_READ)
        episode = get_episode(db=db, episode_id=episode_id, site_ids=sites)  # 404 elsewhere
        return RedirectResponse(
            f"/patients/{episode.patient_id}#care-{episode_id}", status_code=303
        )
    return _section(request, db, principal, episode_id)


# Recommendations (clinicians)


@router.post("/episodes/{episode_id}/recommendations/refresh", response_class=HTMLResponse)
def refresh_recommendations(
    request: Request, db: Database, principal: Writer, episode_id: Id, form: PostedForm
) -> Response:
    """Recompute the episode's recommendations from the registry and the facts in force
    (facts posted here are recorded first); unchanged ones are kept."""
    sites = principal.sites_with(Permission.CLINICAL_WRITE)
    get_episode(db=db, episode_id=episode_id, site_ids=sites)  # 404 elsewhere

    def act(typed: dict[str, str]) -> str:
        done = refresh.refresh_for_episode(
            db=db, episode_id=episode_id, site_ids=sites, facts=typed
        )
        return recomputed_notice(done)

    return _act(
        request,
        db,
        principal,
        form,
        episode_id=episode_id,
        target="refresh",
        names=FACTS,
        action=act,
    )


FACTS = tuple(spec[0] for spec in FACT_FORM)


@router.post("/episodes/{episode_id}/facts", response_class=HTMLResponse)
def record_facts(
    request: Request, db: Database, principal: Writer, episode_id: Id, form: PostedForm
) -> Response:
    """Record the clinician facts of the form (an emptied box clears its fact), then recompute."""
    sites = principal.sites_with(Permission.CLINICAL_WRITE)
    get_episode(db=db, episode_id=episode_id, site_ids=sites)  # 404 elsewhere
    # A box sent empty clears its fact; a box not sent at all leaves it as it is.
    sent = {name: None for name in FACTS if name in form}

    def act(typed: dict[str, str]) -> str:
        note = typed.get("note")
        given = {**sent, **{k: v for k, v in typed.items() if k != "note"}}
        entries, refreshed = record_facts_and_refresh(
            db=db, episode_id=episode_id, facts=given, site_ids=sites, note=note
        )
        saved = f"Facts recorded: {len(entries)} changed." if entries else "No fact changed."
        if refreshed.summary is None:
            return f"{saved} Recommendations not recomputed: {refreshed.not_refreshed}"
        return f"{saved} {recomputed_notice(refreshed.summary)}"

    return _act(
        request,
        db,
        principal,
        form,
        episode_id=episode_id,
        target="facts",
        names=(*FACTS, "note"),
        action=act,
    )


def _recommendation_episode(db: Session, principal: Principal, recommendation_id: int) -> int:
    sites = principal.sites_with(Permission.CLINICAL_WRITE)
    row = service.get_recommendation(db=db, recommendation_id=recommendation_id, site_ids=sites)
    return row.episode_id


@router.post("/recommendations/{recommendation_id}/accept", response_class=HTMLResponse)
def accept_recommendation(
    request: Request, db: Database, principal: Writer, recommendation_id: Id, form: PostedForm
) -> Response:
    """Accept the recommendation read at `version`; the task it implies appears."""
    episode_id = _recommendation_episode(db, principal, recommendation_id)
    sites = principal.sites_with(Permission.CLINICAL_WRITE)

    def act(typed: dict[str, str]) -> str:
        _, task = service.accept_recommendation(
            db=db,
            recommendation_id=recommendation_id,
            accept_in=AcceptIn(version=_version(typed)),
            site_ids=sites,
        )
        made = f" Task: {task.title} ({task.owner_role.value.replace('_', ' ')})." if task else ""
        return f"Recommendation accepted.{made}"

    return _act(
        request,
        db,
        principal,
        form,
        episode_id=episode_id,
        target=f"accept-{recommendation_id}",
        names=("version",),
        action=act,
    )


@router.post("/recommendations/{recommendation_id}/override", response_class=HTMLResponse)
def override_recommendation(
    request: Request, db: Database, principal: Writer, recommendation_id: Id, form: PostedForm
) -> Response:
    """Override the recommendation read at `version` with a reason (required)."""
    episode_id = _recommendation_episode(db, principal, recommendation_id)
    sites = principal.sites_with(Permission.CLINICAL_WRITE)

    def act(typed: dict[str, str]) -> str:
        if not typed.get("reason", "").strip():
            raise invalid("reason", "required: say why the recommendation is not followed")
        override_in = _model(OverrideIn, {"version": _version(typed), "reason": typed["reason"]})
        service.override_recommendation(
            db=db, recommendation_id=recommendation_id, override_in=override_in, site_ids=sites
        )
        return "Recommendation overridden; the reason is recorded."

    return _act(
        request,
        db,
        principal,
        form,
        episode_id=episode_id,
        target=f"override-{recommendation_id}",
        names=("version", "reason"),
        action=act,
    )


# Tasks, appointments and the care team (coordinators)


def _coordinating(principal: Principal) -> frozenset[int]:
    return principal.sites_with(Permission.COORDINATION_WRITE)


def _at(db: Session, episode_id: int, on: str, clock: str, field: str) -> datetime:
    """A date and a time of day typed on the form, in the site's zone."""
    zone = patient_zone(db, get_episode(db=db, episode_id=episode_id).patient_id)
    try:
        day = datetime.fromisoformat(on).date()
    except ValueError:
        raise invalid(field, "a date such as 2026-03-01") from None
    try:
        hour = time.fromisoformat(clock)
    except ValueError:
        raise invalid("starts_time", "a time such as 09:30 (24 h)") from None
    return datetime.combine(day, hour, tzinfo=zone)


TASK_NAMES = ("title", "detail", "owner_role", "urgency", "due_on")


@router.post("/episodes/{episode_id}/tasks", response_class=HTMLResponse)
def create_task(
    request: Request, db: Database, principal: Coordinator, episode_id: Id, form: PostedForm
) -> Response:
    """A manual task: due at the end of the day given, or after the urgency's interval."""
    sites = _coordinating(principal)
    get_episode(db=db, episode_id=episode_id, site_ids=sites)  # 404 elsewhere

    def act(typed: dict[str, str]) -> str:
        data: dict[str, Any] = {k: v for k, v in typed.items() if k != "due_on"}
        if "due_on" in typed:
            data["due_at"] = _at(db, episode_id, typed["due_on"], END_OF_DAY.isoformat(), "due_on")
        try:
            task_in = _model(TaskIn, data)
        except Invalid as refused:
            fields = [
                FieldProblem("due_on" if p.field == "due_at" else p.field, p.message)
                for p in refused.fields
            ]
            raise Invalid(message=refused.message, fields=fields) from None
        task = care.create_task(db=db, episode_id=episode_id, task_in=task_in, site_ids=sites)
        return f"Task created, due {task.due_at:%Y-%m-%d %H:%M %Z}."

    return _act(
        request,
        db,
        principal,
        form,
        episode_id=episode_id,
        target="task",
        names=TASK_NAMES,
        action=act,
    )


def _task_episode(db: Session, principal: Principal, task_id: int) -> int:
    return care.get_task(db=db, task_id=task_id, site_ids=_coordinating(principal)).episode_id


@router.post("/tasks/{task_id}/complete", response_class=HTMLResponse)
def complete_task(
    request: Request, db: Database, principal: TaskCompleter, task_id: Id, form: PostedForm
) -> Response:
    """Mark the open task read at `version` done (clinicians: the care team's clinical tasks)."""
    sites = _coordinating(principal)
    clinical = principal.sites_with(Permission.CLINICAL_WRITE)
    episode_id = care.get_task(db=db, task_id=task_id, site_ids={*sites, *clinical}).episode_id

    def act(typed: dict[str, str]) -> str:
        care.complete_task(
            db=db,
            task_id=task_id,
            expected_version=_version(typed),
            site_ids=sites,
            clinical_site_ids=clinical,
        )
        return "Task done."

    return _act(
        request,
        db,
        principal,
        form,
        episode_id=episode_id,
        target=f"task-{task_id}",
        names=("version",),
        action=act,
    )


@router.post("/tasks/{task_id}/cancel", response_class=HTMLResponse)
def cancel_task(
    request: Request, db: Database, principal: Coordinator, task_id: Id, form: PostedForm
) -> Response:
    """Cancel the open task read at `version`, with the reason (required)."""
    episode_id = _task_episode(db, principal, task_id)

    def act(typed: dict[str, str]) -> str:
        if not typed.get("reason", "").strip():
            raise invalid("reason", "required: say why the task is cancelled")
        cancel_in = _model(TaskCancel, {"version": _version(typed), "reason": typed["reason"]})
        care.cancel_task(
            db=db, task_id=task_id, cancel_in=cancel_in, site_ids=_coordinating(principal)
        )
        return "Task cancelled; the reason is recorded."

    return _act(
        request,
        db,
        principal,
        form,
        episode_id=episode_id,
        target=f"task-{task_id}",
        names=("version", "reason"),
        action=act,
    )


APPOINTMENT_NAMES = ("clinic", "starts_on", "starts_time", "purpose", "note")


@router.post("/episodes/{episode_id}/appointments", response_class=HTMLResponse)
def create_appointment(
    request: Request, db: Database, principal: Coordinator, episode_id: Id, form: PostedForm
) -> Response:
    """Track an appointment of the episode (clinic, date and time in the site's zone, purpose)."""
    sites = _coordinating(principal)
    get_episode(db=db, episode_id=episode_id, site_ids=sites)  # 404 elsewhere

    def act(typed: dict[str, str]) -> str:
        missing = [
            FieldProblem(name, "required")
            for name in ("clinic", "starts_on", "starts_time", "purpose")
            if name not in typed
        ]
        if missing:
            raise Invalid(message="required fields are empty", fields=missing)
        data: dict[str, Any] = {k: typed[k] for k in ("clinic", "purpose", "note") if k in typed}
        data["starts_at"] = _at(
            db, episode_id, typed["starts_on"], typed["starts_time"], "starts_on"
        )
        care.create_appointment(
            db=db, episode_id=episode_id, appointment_in=_model(AppointmentIn, data), site_ids=sites
        )
        return "Appointment recorded."

    return _act(
        request,
        db,
        principal,
        form,
        episode_id=episode_id,
        target="appointment",
        names=APPOINTMENT_NAMES,
        action=act,
    )


@router.post("/episodes/{episode_id}/team", response_class=HTMLResponse)
def add_team_member(
    request: Request, db: Database, principal: Coordinator, episode_id: Id, form: PostedForm
) -> Response:
    """Put a named person on the episode's care team in a role."""
    sites = _coordinating(principal)
    get_episode(db=db, episode_id=episode_id, site_ids=sites)  # 404 elsewhere

    def act(typed: dict[str, str]) -> str:
        if "person_name" not in typed:
            raise invalid("person_name", "required")
        member_in = _model(TeamMemberIn, typed)
        care.add_team_member(db=db, episode_id=episode_id, member_in=member_in, site_ids=sites)
        return "Team member added."

    return _act(
        request,
        db,
        principal,
        form,
        episode_id=episode_id,
        target="team",
        names=("role", "person_name", "contact"),
        action=act,
    )


@router.post("/team-members/{member_id}/remove", response_class=HTMLResponse)
def remove_team_member(
    request: Request, db: Database, principal: Coordinator, member_id: Id, form: PostedForm
) -> Response:
    """Take a person off the episode's care team (the audit log keeps that they were on it)."""
    member = db.get(CareTeamMember, member_id)
    if member is None:
        raise NotFound(message=f"team member {member_id} not found")
    episode_id = member.episode_id

    def act(_: dict[str, str]) -> str:
        care.remove_team_member(db=db, member_id=member_id, site_ids=_coordinating(principal))
        return "Team member removed."

    return _act(
        request,
        db,
        principal,
        form,
        episode_id=episode_id,
        target=f"member-{member_id}",
        names=(),
        action=act,
    )
