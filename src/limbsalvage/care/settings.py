"""A site's coordination settings as the services use them: time zone, due times, owners, targets.

The settings themselves are defined, checked and documented once, in
`limbsalvage.accounts.schemas.SiteSettings` (docs/registry/site-settings.md); this module turns
them into the core's types, with the cited program defaults where a site sets none.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from limbsalvage.accounts.models import Site
from limbsalvage.accounts.schemas import CoordinationSettings
from limbsalvage.accounts.service import site_settings
from limbsalvage.core.coordination.tasks import DEFAULT_OWNER_ROLES, due_hours
from limbsalvage.core.coordination.time_to_treatment import (
    DEFAULT_TARGETS,
    Target,
    targets_from_config,
)
from limbsalvage.core.errors import InvalidInput
from limbsalvage.core.vocabulary import CareRole, Urgency
from limbsalvage.errors import FieldProblem, Invalid, invalid


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
    """The site's IANA time zone; a clear error when it is not set."""
    name = site_settings(site).time_zone
    if not name:
        raise invalid(
            "time_zone",
            f"site {site.code} has no time zone in its settings; set an IANA name such as "
            "Europe/London",
        )
    return ZoneInfo(name)


def coordination(site: Site) -> Coordination:
    """The site's coordination settings with the program defaults where it sets none."""
    return from_settings(site_settings(site).coordination)


def from_settings(given: CoordinationSettings) -> Coordination:
    """Checked coordination settings in the core's types (already validated by the schema)."""
    targets = given.time_to_treatment_targets
    return Coordination(
        due_hours=due_hours({u.value: h for u, h in given.task_due_hours.items()}),
        owner_roles={**DEFAULT_OWNER_ROLES, **given.task_owner_roles},
        targets=DEFAULT_TARGETS
        if targets is None
        else targets_from_config([t.model_dump(mode="json") for t in targets]),
        conference_weekday=given.conference_weekday,
    )
