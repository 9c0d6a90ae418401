"""The chart's findings entry and staging review, per episode.

Each form posts to `/episodes/{id}/{form}`. With htmx the episode's clinical section comes back
in place (the staging panel restaged, what changed, the recommendations recomputed); without
scripts a stored entry redirects to the chart and a refused one re-renders the whole chart with
what was typed and a message beside each field (422; 409 when it conflicts with stored data).
"""

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from limbsalvage.accounts.permissions import Permission, Principal
from limbsalvage.assessments.entry import EntryOutcome, finish_entry
from limbsalvage.db.clock import now
from limbsalvage.errors import Conflict, FieldProblem, Invalid, invalid
from limbsalvage.patients.models import Episode
from limbsalvage.patients.service import get_episode, get_patient
from limbsalvage.recommendations.after_restaging import refresh_after_findings
from limbsalvage.staging import service as staging
from limbsalvage.staging.current import current_snapshot
from limbsalvage.staging.models import StagingSnapshot
from limbsalvage.web.auth import Database, PostedForm, require
from limbsalvage.web.care_views import recomputed_notice
from limbsalvage.web.findings_forms import FORMS, EntryForm, Refused, read_post, store
from limbsalvage.web.findings_views import OVERRIDE_NAMES, Notice, Refusal, episode_clinical
from limbsalvage.web.patient_views import audit_read, patient_episodes
from limbsalvage.web.patients_pages import render_chart
from limbsalvage.wounds.service import list_wounds

router = APIRouter(include_in_schema=False)

Writer = Annotated[Principal, Depends(require(Permission.CLINICAL_WRITE))]
EpisodeId = Annotated[int, Path(ge=1, le=2**31 - 1)]
# htmx listens for this event name: other chart sections (recommendations, tasks) reload on it.
RESTAGED_EVENT = "limb-restaged"


def _htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def _section(
    request: Request,
    db: Session,
    episode: Episode,
    *,
    refusal: Refusal | None = None,
    notice: Notice | None = None,
    status: int = 200,
) -> Response:
    """The episode's clinical section alone (htmx), its read audited."""
    patient = get_patient(db=db, patient_id=episode.patient_id)
    audit_read(db, patient, "chart findings")
    shown = next(e for e in patient_episodes(db, patient.id) if e.id == episode.id)
    clinical = episode_clinical(
        db, shown, can_write=True, today=now(db).date(), refusal=refusal, notice=notice
    )
    context = {"patient": patient, "c": clinical, "can_write": True, "oob_stage": True}
    response: Response = request.app.state.templates.TemplateResponse(
        request, "patients/_episode_clinical.html", context, status_code=status
    )
    if notice is not None:
        response.headers["hx-trigger"] = json.dumps({RESTAGED_EVENT: {"episode_id": episode.id}})
    return response


def _answer(
    request: Request,
    db: Session,
    principal: Principal,
    episode: Episode,
    *,
    refusal: Refusal | None = None,
    notice: Notice | None = None,
    status: int = 200,
) -> Response:
    if _htmx(request):
        return _section(request, db, episode, refusal=refusal, notice=notice, status=status)
    if refusal is None:
        return RedirectResponse(
            f"/patients/{episode.patient_id}#clinical-{episode.id}", status_code=303
        )
    return render_chart(
        request,
        db,
        principal,
        episode.patient_id,
        clinical_refusal=(episode.id, refusal),
        status=status,
    )


def _notice(text: str, outcome: EntryOutcome) -> Notice:
    refreshed = outcome.recommendations
    if refreshed.summary is None:
        recommendations = f"Recommendations not recomputed: {refreshed.not_refreshed}"
    else:
        recommendations = recomputed_notice(refreshed.summary)
    return Notice(text, outcome.changes, recommendations)


def _problems(error: Invalid | Conflict) -> list[FieldProblem]:
    if isinstance(error, Invalid) and error.fields:
        return list(error.fields)
    field, _, message = error.message.partition(": ")
    if message and field.isidentifier():
        return [FieldProblem(field, message)]
    return [FieldProblem("form", error.message)]


def _enter(
    request: Request,
    db: Session,
    principal: Principal,
    episode_id: int,
    *,
    form: EntryForm,
    posted_form: FormData,
) -> Response:
    sites = principal.sites_with(Permission.CLINICAL_WRITE)
    episode = get_episode(db=db, episode_id=episode_id, site_ids=sites)  # 404 elsewhere
    wound_ids = {w.id for w in list_wounds(db=db, episode_id=episode.id)}
    before = current_snapshot(db, episode.id)
    try:
        posted = read_post(form, posted_form, wound_ids)
    except Refused as refused:
        refusal = Refusal(form.slug, refused.typed, list(refused.error.fields))
        return _answer(request, db, principal, episode, refusal=refusal, status=422)
    try:
        stored = store(db, form, episode.id, posted, sites)
    except (Invalid, Conflict) as refused_by_registry:
        db.rollback()
        status = 409 if isinstance(refused_by_registry, Conflict) else 422
        refusal = Refusal(form.slug, posted.typed, _problems(refused_by_registry))
        episode = get_episode(db=db, episode_id=episode_id, site_ids=sites)
        return _answer(request, db, principal, episode, refusal=refusal, status=status)
    outcome = finish_entry(
        db=db,
        episode_id=episode.id,
        changed_on=stored.on,
        trigger=stored.trigger,
        before=before,
        site_ids=sites,
    )
    notice = _notice(f"{form.title} recorded.", outcome)
    return _answer(request, db, principal, episode, notice=notice)


def _entry_route(form: EntryForm) -> None:
    def enter(
        request: Request,
        db: Database,
        principal: Writer,
        episode_id: EpisodeId,
        posted_form: PostedForm,
    ) -> Response:
        return _enter(request, db, principal, episode_id, form=form, posted_form=posted_form)

    enter.__doc__ = f"Record a {form.title.lower()} on the episode; restage and show the result."
    router.add_api_route(
        f"/episodes/{{episode_id}}/{form.slug}",
        enter,
        methods=["POST"],
        response_class=HTMLResponse,
        name=f"enter_{form.slug.replace('-', '_')}",
    )


for _form in FORMS.values():
    _entry_route(_form)


# Review of the proposed staging


def _number(raw: object, name: str) -> int:
    if isinstance(raw, str) and raw.isdigit() and len(raw) < 10:
        return int(raw)
    raise invalid(name, "missing or not a number; reload the chart")


def _snapshot_of(
    db: Session, episode: Episode, raw_id: object, raw_version: object
) -> tuple[int, int]:
    """The snapshot the form was shown (it must be this episode's) and the version read."""
    snapshot_id, version = _number(raw_id, "snapshot_id"), _number(raw_version, "version")
    snapshot = db.get(StagingSnapshot, snapshot_id)
    if snapshot is None or snapshot.episode_id != episode.id:
        raise invalid("snapshot_id", "not a staging of this episode; reload the chart")
    return snapshot.id, version


def _review(
    request: Request,
    db: Session,
    principal: Principal,
    episode_id: int,
    posted: FormData,
    *,
    override: bool,
) -> Response:
    sites = principal.sites_with(Permission.CLINICAL_WRITE)
    episode = get_episode(db=db, episode_id=episode_id, site_ids=sites)  # 404 elsewhere
    slug = "override" if override else "confirm"
    typed = {
        name: value
        for name in OVERRIDE_NAMES
        if isinstance(value := posted.get(name), str) and value.strip()
    }
    try:
        snapshot_id, version = _snapshot_of(
            db, episode, posted.get("snapshot_id"), posted.get("version")
        )
        if override:
            staging.override_staging(
                db=db,
                snapshot_id=snapshot_id,
                expected_version=version,
                override={k: v.strip() for k, v in typed.items()},
                site_ids=sites,
            )
        else:
            staging.confirm_staging(
                db=db, snapshot_id=snapshot_id, expected_version=version, site_ids=sites
            )
    except (Invalid, Conflict) as refused:
        db.rollback()
        status = 409 if isinstance(refused, Conflict) else 422
        refusal = Refusal(slug, typed if override else {}, _problems(refused), refused.message)
        episode = get_episode(db=db, episode_id=episode_id, site_ids=sites)
        return _answer(request, db, principal, episode, refusal=refusal, status=status)
    refreshed = refresh_after_findings(db=db, episode_id=episode.id, site_ids=sites)
    snapshot = current_snapshot(db, episode.id)
    outcome = EntryOutcome(snapshot, snapshot, [], refreshed)
    text = "Staging overridden (reason recorded)." if override else "Staging confirmed."
    return _answer(request, db, principal, episode, notice=_notice(text, outcome))


@router.post("/episodes/{episode_id}/staging/confirm", response_class=HTMLResponse)
def confirm_staging(
    request: Request, db: Database, principal: Writer, episode_id: EpisodeId, posted: PostedForm
) -> Response:
    """Confirm the proposed staging shown on the chart (409 when it changed meanwhile)."""
    return _review(request, db, principal, episode_id, posted, override=False)


@router.post("/episodes/{episode_id}/staging/override", response_class=HTMLResponse)
def override_staging(
    request: Request, db: Database, principal: Writer, episode_id: EpisodeId, posted: PostedForm
) -> Response:
    """Put other results in force instead of the proposal; a reason is required."""
    return _review(request, db, principal, episode_id, posted, override=True)
