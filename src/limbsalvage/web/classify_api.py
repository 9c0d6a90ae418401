"""`POST /api/v1/classify/{system}` and `GET /api/v1/systems`: the CLI `classify` contract."""

import json
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from limbsalvage.core.fields import InputField, Kind, System
from limbsalvage.core.registry import SYSTEMS
from limbsalvage.errors import invalid
from limbsalvage.web.auth import public
from limbsalvage.web.classification import classify, unknown_system
from limbsalvage.web.errors import ERROR_RESPONSES

router = APIRouter(
    prefix="/api/v1",
    tags=["classification"],
    responses=ERROR_RESPONSES,
    dependencies=[Depends(public)],
)

MAX_BODY_BYTES = 64 * 1024

_JSON_TYPES = {
    Kind.INTEGER: ["integer", "string"],
    Kind.NUMBER: ["number", "string"],
    Kind.FLAG: ["boolean", "string"],
    Kind.CHOICE: ["string"],
    Kind.TEXT: ["string"],
}


class TableRef(BaseModel):
    """A versioned table used by the result, with its citation and how it was checked."""

    ref: str
    source: str
    checked: str


class ClassificationOut(BaseModel):
    """`Classification.as_dict()`: the system's own result values, then the explanation."""

    model_config = ConfigDict(extra="allow")

    system: str
    inputs: dict[str, Any]
    rationale: str
    source: str
    provenance: str
    tables: list[TableRef]
    rule: str


class FieldOut(BaseModel):
    """One declared input: its JSON name, how it is read and the CLI option that sets it."""

    name: str
    kind: str
    help: str
    option: str
    choices: list[str]
    multiple: bool
    required: bool


class SystemOut(BaseModel):
    """A classification system and its inputs."""

    name: str
    title: str
    example: str
    fields: list[FieldOut]
    results: list[str]


def _field_schema(spec: InputField) -> dict[str, Any]:
    one: dict[str, Any] = {"type": _JSON_TYPES[spec.kind]}
    if spec.choices:
        one["enum"] = list(spec.choices)
    if spec.multiple:
        one = {"anyOf": [one, {"type": "array", "items": one}]}
    return {"anyOf": [one, {"type": "null"}], "description": spec.help}


def body_schema(system: System) -> dict[str, Any]:
    """The JSON Schema of a request body: the system's inputs by field name, nothing else."""
    return {
        "type": "object",
        "title": f"{system.name} inputs",
        "properties": {spec.name: _field_schema(spec) for spec in system.fields},
        "required": list(system.required_fields),
        "additionalProperties": False,
    }


def describe(system: System) -> SystemOut:
    """A system as the API lists it."""
    required = set(system.required_fields)
    return SystemOut(
        name=system.name,
        title=system.title,
        example=system.example,
        fields=[
            FieldOut(
                name=spec.name,
                kind=spec.kind.value,
                help=spec.help,
                option=spec.cli_option,
                choices=list(spec.choices),
                multiple=spec.multiple,
                required=spec.name in required,
            )
            for spec in system.fields
        ],
        results=list(system.result_fields),
    )


@router.get("/systems", summary="The classification systems and their inputs")
def list_systems() -> list[SystemOut]:
    """Every system `classify` offers, with its inputs (the JSON field names)."""
    return [describe(system) for system in SYSTEMS.values()]


async def _record(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise HTTPException(413, f"body larger than {MAX_BODY_BYTES // 1024} KiB")
    try:
        record = json.loads(raw) if raw.strip() else None
    except (ValueError, RecursionError):
        # ValueError covers bad JSON, bad UTF-8 and integers longer than Python converts.
        raise invalid("body", "not valid JSON; expected a JSON object") from None
    if not isinstance(record, dict):
        raise invalid("body", "expected a JSON object of inputs by field name")
    return record


def _classify_route(system: System) -> Any:
    async def classify_system(request: Request) -> JSONResponse:
        result = classify(system, await _record(request))
        return JSONResponse(result.as_dict())

    classify_system.__doc__ = (
        f"{system.title}. The body holds the inputs by field name (as `limbsalvage classify "
        f"{system.name} --json` takes them as options); the answer is the result with the "
        "inputs used, the rule that fired and its source."
    )
    return classify_system


for _system in SYSTEMS.values():
    router.add_api_route(
        f"/classify/{_system.name}",
        _classify_route(_system),
        methods=["POST"],
        name=f"classify_{_system.name}",
        summary=f"Classify by {_system.title}",
        response_model=None,
        responses={200: {"model": ClassificationOut}},
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": body_schema(_system)}},
            }
        },
    )


@router.post("/classify/{system}", include_in_schema=False)
async def classify_unknown(system: str) -> None:
    """Any other name: 404 listing the known systems."""
    del system  # declared so the route matches any name; the answer does not depend on it
    raise unknown_system()
