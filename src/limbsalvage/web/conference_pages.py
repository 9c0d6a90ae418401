"""The multidisciplinary conference: this week's cases, their triggers and decisions, the agenda.

Coordinators manage the list (flag the cases the rules raise, add or remove a case); clinicians
record the decision per case. Analysts and administrators see no names: the page needs clinical
read access. Every list shown is audited by `conference_agenda`.
"""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from limbsalvage.accounts.models import Site
from limbsalvage.accounts.permissions import Permission, Principal
from limbsalvage.care.settings import site_zone
from limbsalvage.conference import service
from limbsalvage.conference.schemas import ManualCaseIn, OutcomeIn
from limbsalvage.core.vocabulary import AmputationLevel, CareRole, ConferenceDecision, Side
from limbsalvage.db.clock import now
from limbsalvage.errors import Conflict, FieldProblem, Invalid, NotFound
from limbsalvage.patients.models import Patient
from limbsalvage.web.auth import Database, PostedForm, require
from limbsalvage.web.forms import typed_form, validated

router = APIRouter(include_in_schema=False)

Reader = Annotated[Principal, Depends(require(Permission.CLINICAL_READ))]
Coordinator = Annotated[Principal, Depends(require(Permission.COORDINATION_WRITE))]
Clinician = Annotated[Principal, Depends(require(Permission.CLINICAL_WRITE))]
CaseId = Annotated[int, Path(ge=1, le=2**31 - 1)]
SiteQuery = Annotated[int | None, Query(ge=1, le=2**31 - 1)]
DateQuery = Annotated[date | None, Query()]
ATTENDEE_ROWS = 6
ADD_FIELDS = ("mrn", "side", "reason")


def _site_id(principal: Principal, permission: Permission, requested: int | None) -> int:
    """The site asked for, or the user's first site where they hold `permission`."""
    sites = principal.sites_with(permission)
    if requested is not None:
        if requested not in sites:
            raise NotFound(message=f"site {requested} not found")
        return requested
    return min(sites)


def _default_day(db: Session, site_id: int, site_ids: frozenset[int]) -> date:
    """The site's next conference; today (site-local when it can be) when no weekday is set."""
    try:
        return service.next_conference(db=db, site_id=site_id, site_ids=site_ids)
    except Invalid:
        site = db.get_one(Site, site_id)
        try:
            return now(db).astimezone(site_zone(site)).date()
        except Invalid:
            return now(db).date()


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _problems_by_field(problems: list[FieldProblem]) -> dict[str, str]:
    messages: dict[str, list[str]] = {}
    for problem in problems:
        key = "attendees" if problem.field.startswith("attendees") else problem.field
        messages.setdefault(key, []).append(problem.message)
    return {field: "; ".join(found) for field, found in messages.items()}


def _page(
    request: Request,
    db: Session,
    principal: Principal,
    *,
    site_id: int,
    on: date,
    template: str = "conference/page.html",
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    readable = principal.sites_with(Permission.CLINICAL_READ)
    agenda = service.conference_agenda(db=db, site_id=site_id, conference_on=on, site_ids=readable)
    sites = [db.get_one(Site, s) for s in sorted(readable)]
    context = {
        "agenda": agenda,
        "site_id": site_id,
        "sites": sites,
        "on": on,
        "can_manage": principal.can(Permission.COORDINATION_WRITE, site_id),
        "can_decide": principal.can(Permission.CLINICAL_WRITE, site_id),
        "decisions": [d.value for d in ConferenceDecision],
        "levels": [lv.value for lv in AmputationLevel],
        "roles": [r.value for r in CareRole],
        "sides": [s.value for s in Side],
        "attendee_rows": range(ATTENDEE_ROWS),
        "forms": forms or {},
    }
    response: Response = request.app.state.templates.TemplateResponse(
        request, template, context, status_code=status
    )
    return response


def _back(site_id: int, on: date, anchor: str = "") -> RedirectResponse:
    where = f"/conference?site={site_id}&on={on.isoformat()}"
    return RedirectResponse(where + (f"#{anchor}" if anchor else ""), status_code=303)


@router.get("/conference", response_class=HTMLResponse)
def conference_page(
    request: Request, db: Database, principal: Reader, site: SiteQuery = None, on: DateQuery = None
) -> Response:
    """One conference of one site: its cases, their triggers and the decisions recorded."""
    site_id = _site_id(principal, Permission.CLINICAL_READ, site)
    day = on or _default_day(db, site_id, principal.sites_with(Permission.CLINICAL_READ))
    return _page(request, db, principal, site_id=site_id, on=day)


@router.get("/conference/agenda", response_class=HTMLResponse)
def agenda_page(
    request: Request, db: Database, principal: Reader, site: SiteQuery = None, on: DateQuery = None
) -> Response:
    """The printable agenda: cases, triggers, current recommendations and waiting times."""
    site_id = _site_id(principal, Permission.CLINICAL_READ, site)
    day = on or _default_day(db, site_id, principal.sites_with(Permission.CLINICAL_READ))
    return _page(request, db, principal, site_id=site_id, on=day, template="conference/agenda.html")


def _form_site_day(
    principal: Principal, form: FormData
) -> tuple[int, date | None, list[FieldProblem]]:
    """The site and conference day a management form names (problems instead of raising)."""
    raw_site = _text(form, "site")
    requested = int(raw_site) if raw_site.isdigit() and len(raw_site) < 10 else None
    if raw_site and requested is None:
        raise NotFound(message="site not found")
    site_id = _site_id(principal, Permission.COORDINATION_WRITE, requested)
    raw_day = _text(form, "conference_on")
    try:
        return site_id, date.fromisoformat(raw_day), []
    except ValueError:
        message = "required: a date (YYYY-MM-DD)" if not raw_day else "a date (YYYY-MM-DD)"
        return site_id, None, [FieldProblem("conference_on", message)]


@router.post("/conference/flag")
def flag(request: Request, db: Database, principal: Coordinator, form: PostedForm) -> Response:
    """List the cases the pathway rules flag for review on that conference."""
    site_id, day, problems = _form_site_day(principal, form)
    sites = principal.sites_with(Permission.COORDINATION_WRITE)
    try:
        if day is None:
            raise Invalid(message="conference_on: a date", fields=problems)
        service.flag_cases(db=db, site_id=site_id, conference_on=day, site_ids=sites)
    except Invalid as refused:
        db.rollback()
        shown = day or _default_day(db, site_id, sites)
        forms = {"flag": {"errors": _problems_by_field(list(refused.fields))}}
        return _page(request, db, principal, site_id=site_id, on=shown, forms=forms, status=422)
    return _back(site_id, day)


@router.post("/conference/cases")
def add_case(request: Request, db: Database, principal: Coordinator, form: PostedForm) -> Response:
    """Add a patient's open episode to a conference by hand, with the reason."""
    site_id, day, problems = _form_site_day(principal, form)
    sites = principal.sites_with(Permission.COORDINATION_WRITE)
    typed = {name: _text(form, name) for name in ADD_FIELDS}
    status = 422
    try:
        if not typed["mrn"]:
            problems.append(FieldProblem("mrn", "required: the patient's MRN"))
        side = _side(typed["side"], problems)
        if not typed["reason"]:
            problems.append(FieldProblem("reason", "required: why the case is discussed"))
        if problems or day is None:
            raise Invalid(message="the case could not be added", fields=problems)
        case_in = validated(ManualCaseIn, {"conference_on": day, "reason": typed["reason"]})
        episode = service.find_open_episode(
            db=db, site_id=site_id, mrn=typed["mrn"], side=side, site_ids=sites
        )
        service.add_case(db=db, episode_id=episode.id, case_in=case_in, site_ids=sites)
    except (Invalid, Conflict) as refused:
        db.rollback()
        if isinstance(refused, Conflict):
            status = 409
            found = [FieldProblem("conference_on", refused.message.split(": ", 1)[-1])]
        else:
            found = list(refused.fields)
        shown = day or _default_day(db, site_id, sites)
        forms = {"add": {"typed": typed, "errors": _problems_by_field(found)}}
        return _page(request, db, principal, site_id=site_id, on=shown, forms=forms, status=status)
    return _back(site_id, day)


def _side(raw: str, problems: list[FieldProblem]) -> Side | None:
    if not raw:
        return None
    try:
        return Side(raw)
    except ValueError:
        problems.append(FieldProblem("side", "left, right or empty"))
        return None


def _case_site(db: Session, case_id: int, sites: frozenset[int]) -> tuple[int, date, int]:
    """(site id, conference day, version) of a case the user may see; else not found."""
    case = service.get_case(db=db, case_id=case_id, site_ids=sites)
    return db.get_one(Patient, case.patient_id).site_id, case.conference_on, case.version


@router.post("/conference/cases/{case_id}/remove")
def remove_case(
    db: Database, principal: Coordinator, case_id: CaseId, form: PostedForm
) -> Response:
    """Take an undecided case off its conference."""
    sites = principal.sites_with(Permission.COORDINATION_WRITE)
    site_id, day, _ = _case_site(db, case_id, sites)
    raw = _text(form, "version")
    if not raw.isdigit() or len(raw) > 9:
        raise Invalid(
            message="version: the case's version as shown on the page",
            fields=[FieldProblem("version", "the case's version as shown on the page")],
        )
    service.remove_case(db=db, case_id=case_id, expected_version=int(raw), site_ids=sites)
    return _back(site_id, day)


def _attendees(form: FormData) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The attendee rows typed (to show again) and those with a name or a role (to validate)."""
    typed: dict[str, str] = {}
    rows = []
    for index in range(ATTENDEE_ROWS):
        name, role = _text(form, f"attendee_name_{index}"), _text(form, f"attendee_role_{index}")
        typed[f"attendee_name_{index}"], typed[f"attendee_role_{index}"] = name, role
        if name or role:
            rows.append({"name": name, "role": role})
    return typed, rows


@router.post("/conference/cases/{case_id}/outcome")
def record_outcome(
    request: Request, db: Database, principal: Clinician, case_id: CaseId, form: PostedForm
) -> Response:
    """Record the decision, its reasons and who attended (after the conference has met)."""
    sites = principal.sites_with(Permission.CLINICAL_WRITE)
    site_id, day, _ = _case_site(db, case_id, sites)
    typed, data = typed_form(OutcomeIn, form)
    typed_attendees, rows = _attendees(form)
    try:
        outcome = validated(OutcomeIn, {**data, "attendees": rows})
        service.record_outcome(db=db, case_id=case_id, outcome_in=outcome, site_ids=sites)
    except Invalid as refused:
        db.rollback()
        entry = {
            "typed": {**typed, **typed_attendees},
            "errors": _problems_by_field(list(refused.fields)),
        }
        forms = {f"outcome-{case_id}": entry}
        return _page(request, db, principal, site_id=site_id, on=day, forms=forms, status=422)
    return _back(site_id, day, anchor=f"case-{case_id}")
