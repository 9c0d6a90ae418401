"""The staging page: findings typed in, the grade with its rule, source and what is missing.

With htmx the result panel is replaced as the clinician types; without scripts the form posts
and the whole page comes back with the values kept.
"""

from dataclasses import dataclass, field, fields
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import FormData

from limbsalvage.core.fields import InputField, Kind, System
from limbsalvage.core.registry import SYSTEMS
from limbsalvage.core.result import Classification, is_explanation
from limbsalvage.errors import FieldProblem, Invalid
from limbsalvage.web.auth import optional_sign_in
from limbsalvage.web.classification import classify, system_named

router = APIRouter(include_in_schema=False, dependencies=[Depends(optional_sign_in)])

DEFAULT_SYSTEM = "wifi"


@dataclass(frozen=True)
class Outcome:
    """What the result panel shows: a result, or what stops one, by field."""

    result: Classification | None = None
    message: str = ""
    problems: list[FieldProblem] = field(default_factory=list)

    def problem_of(self, name: str) -> str:
        """The message for one input field ('' when it is fine)."""
        return "; ".join(p.message for p in self.problems if p.field == name)


def form_record(system: System, form: FormData) -> dict[str, Any]:
    """The inputs typed into the form: empty boxes are absent, checkboxes give lists."""
    record: dict[str, Any] = {}
    for spec in system.fields:
        if spec.multiple:
            values = [v for v in form.getlist(spec.name) if isinstance(v, str) and v.strip()]
            if values:
                record[spec.name] = values
            continue
        value = form.get(spec.name)
        if isinstance(value, str) and value.strip():
            record[spec.name] = value
    return record


def evaluate(system: System, record: dict[str, Any]) -> Outcome:
    """Classify, turning a refusal into what the panel shows."""
    if not record:
        return Outcome(message="Enter findings to stage the limb.")
    try:
        return Outcome(result=classify(system, record))
    except Invalid as error:
        return Outcome(message=error.message, problems=list(error.fields))


def grades(result: Classification) -> list[tuple[str, object]]:
    """The system's own result values, labelled in words."""
    system = SYSTEMS[result.system]
    return [(name.replace("_", " "), getattr(result, name)) for name in system.result_fields]


def reasons(result: Classification) -> list[tuple[str, str]]:
    """The per-grade explanations (`ischemia_rationale`…) that are not empty."""
    return [
        (f.name.removesuffix("_rationale").replace("_", " "), str(getattr(result, f.name)))
        for f in fields(result)
        if is_explanation(f) and getattr(result, f.name)
    ]


def _page(
    request: Request, system: System, record: dict[str, Any], outcome: Outcome
) -> HTMLResponse:
    context = {
        "system": system,
        "systems": list(SYSTEMS.values()),
        "record": record,
        "outcome": outcome,
        "required": set(system.required_fields),
        "Kind": Kind,
        "grades": grades,
        "reasons": reasons,
        "input_mode": _input_mode,
    }
    partial = request.headers.get("hx-request") == "true"
    name = "staging/_result.html" if partial else "staging/page.html"
    response: HTMLResponse = request.app.state.templates.TemplateResponse(request, name, context)
    return response


def _input_mode(spec: InputField) -> str:
    return {Kind.INTEGER: "numeric", Kind.NUMBER: "decimal"}.get(spec.kind, "text")


@router.get("/staging")
def staging_home() -> RedirectResponse:
    """The default system's staging page."""
    return RedirectResponse(f"/staging/{DEFAULT_SYSTEM}", status_code=303)


@router.get("/staging/{system}", response_class=HTMLResponse)
def staging_form(request: Request, system: str) -> HTMLResponse:
    """An empty staging form for one system."""
    chosen = system_named(system)
    return _page(request, chosen, {}, evaluate(chosen, {}))


@router.post("/staging/{system}", response_class=HTMLResponse)
async def staging_result(request: Request, system: str) -> HTMLResponse:
    """The result for the typed findings (the panel alone when htmx asks)."""
    chosen = system_named(system)
    record = form_record(chosen, await request.form())
    return _page(request, chosen, record, evaluate(chosen, record))
