"""Administration: users and their roles, and the audit log (admins; no clinical content)."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import func, or_, select

from limbsalvage.accounts.models import Membership, Site, User
from limbsalvage.accounts.permissions import Permission, Principal
from limbsalvage.db.audit import AuditEntry
from limbsalvage.web.auth import Database, require

router = APIRouter(include_in_schema=False)

UsersAdmin = Annotated[Principal, Depends(require(Permission.USERS_MANAGE))]
AuditReader = Annotated[Principal, Depends(require(Permission.AUDIT_READ))]
PAGE_SIZE = 100


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, db: Database, principal: UsersAdmin) -> Response:
    """The users holding a role at the admin's sites, with every role they hold there."""
    sites = principal.sites_with(Permission.USERS_MANAGE)
    rows = db.execute(
        select(User, Membership.role, Site.code)
        .join(Membership, Membership.user_id == User.id)
        .join(Site, Site.id == Membership.site_id)
        .where(Membership.site_id.in_(sites))
        .order_by(User.email, Site.code, Membership.role)
    ).all()
    users: dict[int, tuple[User, list[str]]] = {}
    for user, role, site in rows:
        users.setdefault(user.id, (user, []))[1].append(f"{role.value} at {site}")
    response: Response = request.app.state.templates.TemplateResponse(
        request, "admin/users.html", {"users": list(users.values())}
    )
    return response


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    db: Database,
    principal: AuditReader,
    *,
    user: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    patient: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    since: Annotated[date | None, Query()] = None,
    until: Annotated[date | None, Query()] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """Audit entries of the admin's sites (and site-less ones: sign-ins), newest first.

    Shows who did what to which entity and patient id, never the before/after content.
    """
    sites = principal.sites_with(Permission.AUDIT_READ)
    query = select(AuditEntry).where(
        or_(AuditEntry.site_id.in_(sites), AuditEntry.site_id.is_(None))
    )
    if user is not None:
        query = query.where(AuditEntry.actor_id == user)
    if patient is not None:
        query = query.where(AuditEntry.patient_id == patient)
    if since is not None:
        query = query.where(AuditEntry.at >= datetime.combine(since, time.min, tzinfo=UTC))
    if until is not None:
        end = datetime.combine(until, time.min, tzinfo=UTC) + timedelta(days=1)
        query = query.where(AuditEntry.at < end)
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    entries = db.scalars(
        query.order_by(AuditEntry.seq.desc()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    context = {
        "entries": entries,
        "total": total,
        "page": page,
        "pages": max(1, -(-total // PAGE_SIZE)),
        "filters": {
            "user": user or "",
            "patient": patient or "",
            "since": since or "",
            "until": until or "",
        },
    }
    response: Response = request.app.state.templates.TemplateResponse(
        request, "admin/audit.html", context
    )
    return response
