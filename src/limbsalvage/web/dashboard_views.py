"""The program dashboard's computation for a user, shared by its pages and `/api/v1/outcomes`.

Which sites it covers (one of the user's, or all of them), which time-to-treatment targets
apply, the cached computation itself, and the audit entry of each view or export: aggregate
data, but a read of patient data all the same, recorded with the filters that were used.
"""

from fastapi import Request
from sqlalchemy.orm import Session

from limbsalvage.accounts.models import Site
from limbsalvage.accounts.permissions import Permission, Principal
from limbsalvage.care.settings import coordination
from limbsalvage.core.coordination.time_to_treatment import DEFAULT_TARGETS, Target
from limbsalvage.core.outcomes.endpoints import TimeZero
from limbsalvage.db.audit import record_access
from limbsalvage.db.clock import now
from limbsalvage.errors import Invalid, NotFound
from limbsalvage.outcomes.dashboard import Dashboard, DashboardKey, load_dashboard
from limbsalvage.outcomes.service import Stratify
from limbsalvage.settings import Environment


def dashboard_sites(db: Session, principal: Principal, requested: int | None) -> tuple[int, ...]:
    """The sites the dashboard covers: the one asked for (404 if not the user's), or all."""
    sites = principal.sites_with(Permission.AGGREGATE_READ)
    if requested is None:
        return tuple(sorted(sites))
    if requested not in sites or db.get(Site, requested) is None:
        raise NotFound(message=f"site {requested} not found")
    return (requested,)


def site_targets(db: Session, site_ids: tuple[int, ...]) -> tuple[Target, ...]:
    """One site's own time-to-treatment targets; the cited defaults for several sites."""
    if len(site_ids) != 1:
        return DEFAULT_TARGETS
    try:
        return coordination(db.get_one(Site, site_ids[0])).targets
    except Invalid:
        return DEFAULT_TARGETS  # settings the site must fix; the numbers still show


def program_dashboard(
    request: Request,
    db: Session,
    principal: Principal,
    *,
    site_id: int | None,
    time_zero: TimeZero,
    stratify: Stratify,
) -> Dashboard:
    """The dashboard of the user's sites (or one of them) for these filters, from the cache."""
    site_ids = dashboard_sites(db, principal, site_id)
    key = DashboardKey(
        site_ids=site_ids,
        time_zero=time_zero,
        stratify=stratify,
        include_synthetic=request.app.state.settings.env is not Environment.PRODUCTION,
        closing_date=now(db).date(),
    )
    cache = request.app.state.dashboard_cache
    return load_dashboard(db=db, key=key, cache=cache, targets=site_targets(db, site_ids))


def audit_dashboard(
    db: Session, board: Dashboard, *, what: str, action: str, entity: str = "outcomes_report"
) -> None:
    """Record a view (`read`) or an `export` of the dashboard with its filters and size."""
    key = board.key
    record_access(
        db,
        action=action,
        entity=entity,
        detail=(
            f"{what}: sites {','.join(map(str, key.site_ids))}, time zero {key.time_zero.value}, "
            f"by {key.stratify.value}, {board.data.limbs} limbs"
        ),
    )
