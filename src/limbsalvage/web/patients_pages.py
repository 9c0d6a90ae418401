"""Clinic pages: the worklist, the patient list, the chart, new patient and new episode forms."""

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from limbsalvage.accounts.permissions import Permission, Principal
from limbsalvage.care.worklist import WorklistFilter, WorklistQuery, worklist
from limbsalvage.core.vocabulary import EpisodeCause
from limbsalvage.db.clock import now
from limbsalvage.errors import FieldProblem, Invalid, invalid
from limbsalvage.patients import service
from limbsalvage.patients.schemas import EpisodeCreate, PatientCreate
from limbsalvage.web.auth import Database, PostedForm, require
from limbsalvage.web.care_views import Refusal as CareRefusal
from limbsalvage.web.care_views import care_sections
from limbsalvage.web.chart_views import chart_rows, timeline
from limbsalvage.web.findings_views import Refusal, clinical_sections
from limbsalvage.web.forms import form_fields, typed_form, validated
from limbsalvage.web.outcome_views import outcome_section
from limbsalvage.web.patient_views import audit_list, audit_read, patient_episodes

router = APIRouter(include_in_schema=False)

Reader = Annotated[Principal, Depends(require(Permission.CLINICAL_READ))]
Writer = Annotated[Principal, Depends(require(Permission.CLINICAL_WRITE))]
PatientId = Annotated[int, Path(ge=1, le=2**31 - 1)]
PAGE_SIZE = 50
FILTER_LABELS = {
    WorklistFilter.AWAITING_IMAGING: "awaiting imaging",
    WorklistFilter.AWAITING_REVASCULARIZATION: "awaiting revascularization",
    WorklistFilter.OVERDUE: "overdue tasks",
    WorklistFilter.CONFERENCE: "on this week's conference",
}
PATIENT_FORM = (
    "mrn",
    "given_name",
    "family_name",
    "birth_date",
    "sex",
    *(
        name
        for name in PatientCreate.model_fields
        if name not in {"mrn", "given_name", "family_name", "birth_date", "sex"}
    ),
)


def _render(request: Request, name: str, context: dict[str, object], status: int = 200) -> Response:
    response: Response = request.app.state.templates.TemplateResponse(
        request, name, context, status_code=status
    )
    return response


def _cause(raw: str | None) -> EpisodeCause | None:
    """The cause filter: the form's "any" choice sends it empty (no filter)."""
    if raw is None or not raw.strip():
        return None
    try:
        return EpisodeCause(raw.strip())
    except ValueError:
        raise invalid(
            "cause", f"one of {', '.join(c.value for c in EpisodeCause)}, or empty for any"
        ) from None


@router.get("/worklist", response_class=HTMLResponse)
def worklist_page(
    request: Request,
    *,
    db: Database,
    principal: Reader,
    q: Annotated[str | None, Query(max_length=100)] = None,
    cause: Annotated[str | None, Query(max_length=40)] = None,
    show: Annotated[list[WorklistFilter] | None, Query(max_length=4)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """Open episodes of the user's sites, longest waiting first; filters and search; audited."""
    filters = frozenset(show or ())
    cause_wanted = _cause(cause)
    query = WorklistQuery(
        site_ids=principal.sites_with(Permission.CLINICAL_READ),
        as_of=now(db),
        search=q,
        cause=cause_wanted,
        filters=filters,
    )
    rows, total = worklist(db=db, query=query, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    audit_list(db, "worklist", [row.patient.id for row in rows])
    context = {
        "rows": rows,
        "total": total,
        "page": page,
        "pages": max(1, -(-total // PAGE_SIZE)),
        "q": q or "",
        "cause": cause_wanted.value if cause_wanted else "",
        "causes": [c.value for c in EpisodeCause],
        "filters": [(f.value, FILTER_LABELS[f], f in filters) for f in WorklistFilter],
        "filtered": bool(q or cause_wanted or filters),
        "query": urlencode(
            [("q", q or ""), ("cause", cause_wanted.value if cause_wanted else "")]
            + [("show", f.value) for f in WorklistFilter if f in filters]
        ),
    }
    return _render(request, "patients/worklist.html", context)


@router.get("/patients", response_class=HTMLResponse)
def patients_page(
    request: Request,
    db: Database,
    principal: Reader,
    q: Annotated[str | None, Query(max_length=100)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """Patients of the user's sites, searchable by name or MRN."""
    rows, total = service.list_patients(
        db=db,
        site_ids=principal.sites_with(Permission.CLINICAL_READ),
        search=q,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )
    audit_list(db, "patient list", [p.id for p in rows])
    context = {
        "rows": rows,
        "total": total,
        "page": page,
        "pages": max(1, -(-total // PAGE_SIZE)),
        "q": q or "",
        "can_write": principal.can(Permission.CLINICAL_WRITE),
    }
    return _render(request, "patients/list.html", context)


def _new_patient_page(
    request: Request,
    principal: Principal,
    typed: dict[str, str],
    problems: list[FieldProblem],
    status: int = 200,
) -> Response:
    sites = sorted(principal.sites_with(Permission.CLINICAL_WRITE))
    context = {
        "fields": form_fields(PatientCreate, values=typed, problems=problems, names=PATIENT_FORM),
        "sites": sites,
        "site": typed.get("site_id", str(sites[0]) if sites else ""),
        "site_error": "; ".join(p.message for p in problems if p.field == "site_id"),
        "problems": problems,
    }
    return _render(request, "patients/new.html", context, status)


@router.get("/patients/new", response_class=HTMLResponse)
def new_patient_form(request: Request, principal: Writer) -> Response:
    """An empty form to register a patient."""
    return _new_patient_page(request, principal, {}, [])


@router.post("/patients/new", response_class=HTMLResponse)
def new_patient(request: Request, db: Database, principal: Writer, form: PostedForm) -> Response:
    """Register the patient, or show the form again with every value and message."""
    typed, data = typed_form(PatientCreate, form)
    site = form.get("site_id")
    typed["site_id"] = site if isinstance(site, str) else ""
    try:
        site_id = _site_choice(principal, typed["site_id"])
        patient = service.create_patient(
            db=db, site_id=site_id, patient_in=validated(PatientCreate, data)
        )
    except Invalid as refused:
        db.rollback()
        return _new_patient_page(request, principal, typed, list(refused.fields), 422)
    return RedirectResponse(f"/patients/{patient.id}", status_code=303)


def _site_choice(principal: Principal, raw: str) -> int:
    sites = principal.sites_with(Permission.CLINICAL_WRITE)
    if raw.isdigit() and int(raw) in sites:
        return int(raw)
    raise Invalid(
        message="site_id: choose one of your sites",
        fields=[FieldProblem("site_id", "choose one of your sites")],
    )


def render_chart(
    request: Request,
    db: Database,
    principal: Principal,
    patient_id: int,
    *,
    episode_typed: dict[str, str] | None = None,
    episode_problems: list[FieldProblem] | None = None,
    clinical_refusal: tuple[int, Refusal] | None = None,
    care_refusal: tuple[int, CareRefusal] | None = None,
    outcome_refusal: CareRefusal | None = None,
    status: int = 200,
) -> Response:
    """The chart page; a refused form comes back with what was typed and its messages."""
    patient = service.get_patient(
        db=db, patient_id=patient_id, site_ids=principal.sites_with(Permission.CLINICAL_READ)
    )
    audit_read(db, patient, "chart")
    problems = episode_problems or []
    episodes = patient_episodes(db, patient.id)
    rows = chart_rows(db, patient.id)  # shared by the timeline and the outcome section
    can_write = principal.can(Permission.CLINICAL_WRITE, patient.site_id)
    context = {
        "patient": patient,
        "episodes": episodes,
        "clinical": clinical_sections(db, episodes, can_write=can_write, refused=clinical_refusal),
        "risk": [
            (name.replace("_", " "), getattr(patient, name))
            for name in PatientCreate.model_fields
            if name not in {"mrn", "given_name", "family_name", "birth_date", "sex"}
        ],
        "can_write": can_write,
        "can_coordinate": principal.can(Permission.COORDINATION_WRITE, patient.site_id),
        "care": care_sections(
            db, episodes, principal.sites_with(Permission.CLINICAL_READ), refused=care_refusal
        ),
        "outcomes": outcome_section(db, patient.id, episodes, rows, refusal=outcome_refusal),
        "episode_fields": form_fields(EpisodeCreate, values=episode_typed or {}, problems=problems),
        "episode_problems": problems,
        "timeline": timeline(db, patient.id, rows),
    }
    return _render(request, "patients/chart.html", context, status)


@router.get("/patients/{patient_id}", response_class=HTMLResponse)
def chart(request: Request, db: Database, principal: Reader, patient_id: PatientId) -> Response:
    """The patient chart: demographics, risk factors, limbs and episodes; the read is audited."""
    return render_chart(request, db, principal, patient_id)


@router.post("/patients/{patient_id}/episodes", response_class=HTMLResponse)
def new_episode(
    request: Request, db: Database, principal: Writer, patient_id: PatientId, form: PostedForm
) -> Response:
    """Open an episode from the chart, or show the chart with the form's messages."""
    write_sites = principal.sites_with(Permission.CLINICAL_WRITE)
    service.get_patient(db=db, patient_id=patient_id, site_ids=write_sites)  # 404 elsewhere
    typed, data = typed_form(EpisodeCreate, form)
    try:
        service.open_episode(
            db=db,
            patient_id=patient_id,
            episode_in=validated(EpisodeCreate, data),
            site_ids=write_sites,
        )
    except Invalid as refused:
        db.rollback()
        return render_chart(
            request,
            db,
            principal,
            patient_id,
            episode_typed=typed,
            episode_problems=list(refused.fields),
            status=422,
        )
    return RedirectResponse(f"/patients/{patient_id}", status_code=303)
