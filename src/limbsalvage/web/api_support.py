"""Shared pieces of the JSON API resources: ids, paging, change bodies, row shapes, auditing.

Every list answers one envelope, `{"items", "page", "page_size", "total"}`; every update carries
the `version` the caller read (409 `stale_update` when it moved); every read or list of patient
data is written to the audit log, naming the patients shown.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Annotated, Any, get_args, get_type_hints

from fastapi import Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field, create_model
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from limbsalvage.accounts.permissions import Permission, Principal
from limbsalvage.core.treatment import Derived
from limbsalvage.db.audit import record_access
from limbsalvage.errors import FieldProblem, Invalid
from limbsalvage.patients.models import Patient
from limbsalvage.patients.schemas import Strict
from limbsalvage.referrals.schemas import Text2000
from limbsalvage.web.auth import UNSAFE_METHODS, require
from limbsalvage.web.patient_views import Page, audit_list

# Ids are 32-bit in PostgreSQL; a larger one is refused before it reaches a query.
MAX_ID = 2**31 - 1
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
OptionalId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
PageNumber = Annotated[int, Query(ge=1, le=1_000_000, description="1-based page number")]
PageSize = Annotated[int, Query(ge=1, le=200, description="rows per page")]
Version = Annotated[int, Field(ge=1, le=MAX_ID, description="the version you read")]

Reader = Annotated[Principal, Depends(require(Permission.CLINICAL_READ))]
Writer = Annotated[Principal, Depends(require(Permission.CLINICAL_WRITE))]
Coordinator = Annotated[Principal, Depends(require(Permission.COORDINATION_WRITE))]
Analyst = Annotated[Principal, Depends(require(Permission.AGGREGATE_READ))]


def _too_large(value: Any, where: str) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _too_large(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _too_large(item, f"{where}.{index}")
    elif isinstance(value, int | float) and not isinstance(value, bool) and abs(value) > MAX_ID:
        yield where.removeprefix("changes.") or "body"


async def numbers_in_range(request: Request) -> None:
    """Refuse a JSON body holding a number too large for a database integer, naming its field."""
    if request.method not in UNSAFE_METHODS:
        return
    try:
        body = await request.json()
    except ValueError:
        return  # not JSON: the body's own validation answers
    names = list(dict.fromkeys(_too_large(body, "")))
    if names:
        message = f"must be between -{MAX_ID} and {MAX_ID}"
        raise Invalid(
            message="; ".join(f"{name}: {message}" for name in names),
            fields=[FieldProblem(name, message) for name in names],
        )


# Every resource router depends on this: no body number overflows a database integer.
RANGE_CHECKED = [Depends(numbers_in_range)]


def reading(principal: Principal) -> frozenset[int]:
    """The sites whose patients the user may read."""
    return principal.sites_with(Permission.CLINICAL_READ)


def writing(principal: Principal) -> frozenset[int]:
    """The sites whose clinical records the user may change."""
    return principal.sites_with(Permission.CLINICAL_WRITE)


def coordinating(principal: Principal) -> frozenset[int]:
    """The sites where the user handles referrals, tasks and appointments."""
    return principal.sites_with(Permission.COORDINATION_WRITE)


class Change(Strict):
    """A partial change to a record read at `version`: `changes` holds only what changes."""

    version: Version
    changes: dict[str, Any]


class VersionIn(Strict):
    """An action on a record read at `version`."""

    version: Version


class ReasonIn(Strict):
    """An action on a record read at `version`, with the reason (required)."""

    version: Version
    reason: Text2000


class DerivedOut(BaseModel):
    """A value derived on read, with the rule that gave it and its cited table."""

    value: Any
    rule: str
    table: str
    citation: str


def derived_out(derived: Derived[Any]) -> DerivedOut:
    """The API shape of a derived value."""
    return DerivedOut(
        value=derived.value, rule=derived.rule, table=derived.table.ref, citation=derived.citation
    )


# Bookkeeping columns a client never needs (who changed a row is in the audit log).
HIDDEN = frozenset({"created_by_id", "updated_by_id"})


def row_model(
    table: type[Any], *, name: str, hide: Iterable[str] = (), **extra: Any
) -> type[BaseModel]:
    """The API shape of a table's rows: every column with its type (less `hide`), plus `extra`."""
    hints = get_type_hints(table)
    hidden = HIDDEN | set(hide)
    fields: dict[str, Any] = {
        attr.key: (_python_type(hints, attr), ...)
        for attr in inspect(table).column_attrs
        if attr.key not in hidden
    }
    fields.update(extra)
    model: type[BaseModel] = create_model(
        name, __config__=ConfigDict(from_attributes=True), **fields
    )
    model.__doc__ = f"A row of {table.__tablename__}."
    return model


def _python_type(hints: dict[str, Any], attr: Any) -> Any:
    """The column's annotated type; for columns declared by a mixin, its SQL type's."""
    if attr.key in hints:
        return get_args(hints[attr.key])[0]
    column = attr.columns[0]
    kind: Any = column.type.python_type
    return kind | None if column.nullable else kind


def page_model(item: type[BaseModel]) -> type[BaseModel]:
    """`Page[item]`: the list envelope of a row shape."""
    page: type[BaseModel] = Page[item]  # type: ignore[valid-type]
    return page


def paged(
    db: Session,
    what: str,
    rows: Sequence[Any],
    *,
    page: int,
    page_size: int,
    shape: Callable[[Any], BaseModel],
) -> dict[str, Any]:
    """One page of `rows` in the list envelope; the patients on the page are audited.

    For lists that may grow without bound, page in SQL instead and answer with `page_of`.
    """
    start = (page - 1) * page_size
    shown = rows[start : start + page_size]
    return page_of(db, what, shown, total=len(rows), page=page, page_size=page_size, shape=shape)


def offset(page: int, page_size: int) -> int:
    """The rows before `page` (for a query's OFFSET)."""
    return (page - 1) * page_size


def page_of(
    db: Session,
    what: str,
    shown: Sequence[Any],
    *,
    total: int,
    page: int,
    page_size: int,
    shape: Callable[[Any], BaseModel],
) -> dict[str, Any]:
    """The list envelope of a page the database already cut, and its patients audited."""
    audit_rows(db, what, shown)
    items = [shape(row) for row in shown]
    return {"items": items, "page": page, "page_size": page_size, "total": total}


def audit_rows(db: Session, what: str, rows: Iterable[Any]) -> None:
    """Record which patients a list showed (rows carry `patient_id`)."""
    audit_list(db, what, [row.patient_id for row in rows if row.patient_id is not None])


def audit_patient(db: Session, patient_id: int, what: str) -> None:
    """Record that one patient's data was read."""
    patient = db.get(Patient, patient_id)
    record_access(
        db,
        action="read",
        entity="patients",
        entity_id=str(patient_id),
        patient_id=patient_id,
        site_id=patient.site_id if patient is not None else None,
        detail=what,
    )
