"""A site's coordination settings: time zone, task due times and owners, targets, conference day.

Stored in `Site.settings` (`time_zone` at the top level, the rest under `coordination`); absent
values fall back to the cited program defaults of `limbsalvage.core.coordination`, except the
time zone and the conference weekday, which a site must set before they are used.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session

from limbsalvage.accounts.models import Site
from limbsalvage.core.coordination.conference import WEEKDAYS
from limbsalvage.core.coordination.tasks import DEFAULT_OWNER_ROLES, due_hours
from limbsalvage.core.coordination.time_to_treatment import (
    DEFAULT_TARGETS,
    Target,
    targets_from_config,
)
from limbsalvage.core.errors import InvalidInput
from limbsalvage.core.vocabulary import CareRole, Urgency
from limbsalvage.db.guard import check_version, flush
from limbsalvage.errors import FieldProblem, Invalid, NotFound, invalid

KEYS = frozenset(
    {"task_due_hours", "task_owner_roles", "time_to_treatment_targets", "conference_weekday"}
)


@dataclass(frozen=True)
class Coordination:
    """A site's coordination settings, checked, with the defaults filled in."""

    due_hours: Mapping[Urgency, float]
    owner_roles: Mapping[str, CareRole | None]
    targets: tuple[Target, ...]
    conference_weekday: str | None


def from_core(error: InvalidInput) -> Invalid:
    """A core `InvalidInput` as the registry's `Invalid`, naming the field and what is allowed."""
    message = f"must be {error.allowed}"
    return Invalid(message=f"{error.field}: {message}", fields=[FieldProblem(error.field, message)])


def site_zone(site: Site) -> ZoneInfo:
    """The site's IANA time zone; a clear error when it is not set or not known."""
    name = (site.settings or {}).get("time_zone")
    if not name:
        raise invalid(
            "time_zone",
            f"site {site.code} has no time zone in its settings; set an IANA name such as "
            "Europe/London",
        )
    return _zone(str(name))


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise invalid(
            "time_zone", "not a known IANA time zone name (such as Europe/London)"
        ) from None


def coordination(site: Site) -> Coordination:
    """The site's coordination settings with the program defaults where it sets none."""
    return parse_coordination((site.settings or {}).get("coordination") or {})


def parse_coordination(raw: Mapping[str, Any]) -> Coordination:
    """Check a `coordination` settings object; unknown keys and bad values are named."""
    unknown = sorted(set(raw) - KEYS)
    if unknown:
        raise invalid(
            f"coordination.{unknown[0]}", f"not a setting; allowed: {', '.join(sorted(KEYS))}"
        )
    try:
        hours = due_hours(raw.get("task_due_hours"))
        targets = (
            DEFAULT_TARGETS
            if raw.get("time_to_treatment_targets") is None
            else targets_from_config(raw["time_to_treatment_targets"])
        )
    except InvalidInput as error:
        raise from_core(error) from error
    roles: dict[str, CareRole | None] = dict(DEFAULT_OWNER_ROLES)
    for category, role in (raw.get("task_owner_roles") or {}).items():
        try:
            roles[str(category)] = None if role is None else CareRole(role)
        except ValueError:
            allowed = ", ".join(r.value for r in CareRole)
            raise invalid(
                f"task_owner_roles.{category}", f"must be empty (no task) or one of {allowed}"
            ) from None
    weekday = raw.get("conference_weekday")
    if weekday is not None and weekday not in WEEKDAYS:
        raise invalid("conference_weekday", f"must be one of {', '.join(WEEKDAYS)}")
    return Coordination(hours, roles, targets, weekday)


def update_site_coordination(
    *,
    db: Session,
    site_id: int,
    expected_version: int,
    time_zone: str | None = None,
    coordination_settings: Mapping[str, Any] | None = None,
) -> Site:
    """Set a site's time zone and/or coordination settings (administrators), checked first."""
    site = db.get(Site, site_id)
    if site is None:
        raise NotFound(message=f"site {site_id} not found")
    check_version(site, expected_version=expected_version, entity="site")
    settings = dict(site.settings or {})
    if time_zone is not None:
        _zone(time_zone)
        settings["time_zone"] = time_zone
    if coordination_settings is not None:
        parse_coordination(coordination_settings)
        settings["coordination"] = dict(coordination_settings)
    site.settings = settings
    flush(db, conflict_message="the site's settings could not be stored")
    return site
