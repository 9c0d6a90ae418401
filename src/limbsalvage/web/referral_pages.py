"""The public referral form (no sign-in, rate-limited, reveals nothing) and the triage queue."""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, TypeVar
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy import select
from starlette.datastructures import FormData

from limbsalvage.accounts.models import Site, ThrottlePurpose
from limbsalvage.accounts.permissions import Permission, Principal
from limbsalvage.accounts.service import record_throttle_event, site_settings, throttle_wait
from limbsalvage.core.vocabulary import Urgency
from limbsalvage.db.audit import record_access
from limbsalvage.errors import FieldProblem, Invalid, NotFound, invalid
from limbsalvage.referrals import service
from limbsalvage.referrals.schemas import (
    ConversionIn,
    DeclineIn,
    ReferralIn,
    ReferralReceipt,
    TriageIn,
)
from limbsalvage.web.auth import (
    ANONYMOUS_CSRF_COOKIE,
    Database,
    PostedForm,
    anonymous_csrf_token,
    check_anonymous_csrf,
    public,
    require,
)
from limbsalvage.web.errors import error_response
from limbsalvage.web.forms import form_fields, typed_form, validated

router = APIRouter(include_in_schema=False)

Reader = Annotated[Principal, Depends(require(Permission.CLINICAL_READ))]
Coordinator = Annotated[Principal, Depends(require(Permission.COORDINATION_WRITE))]
ReferralId = Annotated[int, Path(ge=1, le=2**31 - 1)]
M = TypeVar("M", bound=BaseModel)
# The public form: a few referrals per client and hour is plenty for a person, not for a script.
REFERRALS_PER_HOUR = 10
REFERRAL_WINDOW = timedelta(hours=1)
CONVERSION_FORM = ("mrn", "sex", "birth_date", "side", "cause", "setting", "presented_on")


def _form_page(
    request: Request,
    db: Database,
    *,
    typed: dict[str, str],
    problems: list[FieldProblem],
    status: int = 200,
) -> Response:
    token = anonymous_csrf_token(request)
    sites = db.execute(select(Site.code, Site.name).order_by(Site.name)).all()
    context = {
        "fields": form_fields(ReferralIn, values=typed, problems=problems),
        "sites": sites,
        "site": typed.get("site", ""),
        "site_error": "; ".join(p.message for p in problems if p.field == "site"),
        "problems": problems,
        "csrf": token,
    }
    response: Response = request.app.state.templates.TemplateResponse(
        request, "referrals/form.html", context, status_code=status
    )
    response.set_cookie(
        ANONYMOUS_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.app.state.settings.secure_cookies,
        path="/",
    )
    return response


@router.get("/referral", response_class=HTMLResponse, dependencies=[Depends(public)])
def referral_form(request: Request, db: Database) -> Response:
    """The referral form for referring clinicians and patients (no sign-in)."""
    return _form_page(request, db, typed={}, problems=[])


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


@router.post("/referral", response_class=HTMLResponse, dependencies=[Depends(public)])
def submit_referral(request: Request, db: Database, form: PostedForm) -> Response:
    """Store the referral and show its reference; the answer is the same for anyone."""
    check_anonymous_csrf(request, _text(form, "csrf_token"))
    client = "client:" + (request.client.host if request.client else "?")
    wait = throttle_wait(
        db=db,
        purpose=ThrottlePurpose.REFERRAL,
        keys=[client],
        limit=request.app.state.referrals_per_hour,
        window=REFERRAL_WINDOW,
    )
    if wait > timedelta(0):
        return error_response(
            request,
            429,
            "too_many_requests",
            "too many referrals from here; try again later or telephone the program",
            headers={"retry-after": str(int(wait.total_seconds()) + 1)},
        )
    # Every sending counts, refused or not, as it did when the count was in memory.
    record_throttle_event(
        db=db, purpose=ThrottlePurpose.REFERRAL, keys=[client], window=REFERRAL_WINDOW
    )
    typed, data = typed_form(ReferralIn, form)
    typed["site"] = _text(form, "site")
    try:
        # A refused form undoes only its own writes: the count above is kept.
        with db.begin_nested():
            receipt = _submit(db, site_code=typed["site"], data=data)
    except Invalid as refused:
        return _form_page(request, db, typed=typed, problems=list(refused.fields), status=422)
    response: Response = request.app.state.templates.TemplateResponse(
        request, "referrals/receipt.html", {"receipt": receipt}
    )
    return response


def _submit(db: Database, *, site_code: str, data: dict[str, object]) -> ReferralReceipt:
    if not site_code:
        raise invalid("site", "choose the program")
    referral_in = validated(ReferralIn, data)
    try:
        return service.submit_referral(db=db, site_code=site_code, referral_in=referral_in)
    except NotFound:
        # The programs are the form's own choices; another code is a wrong choice, not a 404.
        raise invalid("site", "choose the program") from None


@dataclass(frozen=True)
class Refused:
    """A triage form refused on the server: which referral and form, what was typed, why."""

    referral_id: int
    form: str  # triage | decline | convert
    typed: dict[str, str]
    errors: dict[str, str]


def _zones(db: Database, site_ids: Collection[int]) -> dict[int, ZoneInfo | None]:
    """Each site's time zone (None: it sets none), to show when a referral arrived."""
    sites = db.scalars(select(Site).where(Site.id.in_(site_ids)))
    return {
        site.id: ZoneInfo(name) if (name := site_settings(site).time_zone) else None
        for site in sites
    }


def _queue_page(
    request: Request, db: Database, principal: Principal, refused: Refused | None = None
) -> Response:
    referrals = service.list_referrals(
        db=db, site_ids=principal.sites_with(Permission.CLINICAL_READ)
    )
    if referrals:
        ids = ",".join(str(r.id) for r in referrals)
        record_access(db, action="list", entity="referrals", detail=f"triage queue: {ids}")
    context = {
        "referrals": referrals,
        "zones": _zones(db, {r.site_id for r in referrals}),
        "can_decide": principal.can(Permission.COORDINATION_WRITE),
        "conversion_fields": form_fields(ConversionIn, values={}, names=CONVERSION_FORM),
        "priorities": [u.value for u in Urgency],
        "refused": refused,
    }
    response: Response = request.app.state.templates.TemplateResponse(
        request, "referrals/triage.html", context, status_code=422 if refused else 200
    )
    return response


@router.get("/triage", response_class=HTMLResponse)
def triage_queue(request: Request, db: Database, principal: Reader) -> Response:
    """New and triaged referrals of the user's sites, most urgent first; the list is audited."""
    return _queue_page(request, db, principal)


def _decided(referral_id: int) -> RedirectResponse:
    return RedirectResponse(f"/triage#referral-{referral_id}", status_code=303)


def _decide(
    request: Request,
    db: Database,
    principal: Principal,
    form_data: FormData,
    *,
    referral_id: int,
    form: str,
    model: type[M],
    act: Callable[[M, Collection[int]], Response],
) -> Response:
    """Validate the form and act; a refusal shows the queue again with what was typed."""
    sites = principal.sites_with(Permission.COORDINATION_WRITE)
    service.get_referral(db=db, referral_id=referral_id, site_ids=sites)  # 404 elsewhere
    typed, data = typed_form(model, form_data)
    try:
        return act(validated(model, data), sites)
    except Invalid as refusal:
        db.rollback()
        errors: dict[str, list[str]] = {}
        for problem in refusal.fields:
            errors.setdefault(problem.field, []).append(problem.message)
        joined = {field: "; ".join(messages) for field, messages in errors.items()}
        refused = Refused(referral_id=referral_id, form=form, typed=typed, errors=joined)
        return _queue_page(request, db, principal, refused)


@router.post("/triage/{referral_id}")
def triage(
    request: Request,
    db: Database,
    principal: Coordinator,
    referral_id: ReferralId,
    form_data: PostedForm,
) -> Response:
    """Record the triage priority."""

    def act(triage_in: TriageIn, sites: Collection[int]) -> Response:
        service.triage_referral(db=db, referral_id=referral_id, triage_in=triage_in, site_ids=sites)
        return _decided(referral_id)

    return _decide(
        request,
        db,
        principal,
        form_data,
        referral_id=referral_id,
        form="triage",
        model=TriageIn,
        act=act,
    )


@router.post("/triage/{referral_id}/decline")
def decline(
    request: Request,
    db: Database,
    principal: Coordinator,
    referral_id: ReferralId,
    form_data: PostedForm,
) -> Response:
    """Decline the referral with a reason."""

    def act(decline_in: DeclineIn, sites: Collection[int]) -> Response:
        service.decline_referral(
            db=db, referral_id=referral_id, decline_in=decline_in, site_ids=sites
        )
        return _decided(referral_id)

    return _decide(
        request,
        db,
        principal,
        form_data,
        referral_id=referral_id,
        form="decline",
        model=DeclineIn,
        act=act,
    )


@router.post("/triage/{referral_id}/convert")
def convert(
    request: Request,
    db: Database,
    principal: Coordinator,
    referral_id: ReferralId,
    form_data: PostedForm,
) -> Response:
    """Turn the referral into a patient, limb and episode; then open the chart."""

    def act(conversion_in: ConversionIn, sites: Collection[int]) -> Response:
        referral = service.convert_referral(
            db=db, referral_id=referral_id, conversion_in=conversion_in, site_ids=sites
        )
        return RedirectResponse(f"/patients/{referral.patient_id}", status_code=303)

    return _decide(
        request,
        db,
        principal,
        form_data,
        referral_id=referral_id,
        form="convert",
        model=ConversionIn,
        act=act,
    )
