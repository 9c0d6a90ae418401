"""When a task from a recommendation is due, and which care role owns it.

The due times turn the pathway's urgency scale into deadlines. The scale itself (emergent:
hours; urgent: within 24–48 h; soon: within 14 days; routine) is the engine's, set out in
issue 4 and docs/pathway/; the numbers below are the program's reading of it — the end of each
window, and for `emergent` and `routine`, which the scale leaves open, a documented program
default. Every value is per-site configurable data (docs/coordination/care.md).
"""

from collections.abc import Mapping
from datetime import datetime, timedelta
from types import MappingProxyType

from limbsalvage.core.errors import InvalidInput
from limbsalvage.core.sources import Source, Table
from limbsalvage.core.vocabulary import CareRole, Urgency

PROGRAM_DEFAULTS = Source(
    citation=(
        "limbsalvage program defaults for care coordination (issue 4, 'Decision support and "
        "care coordination'; docs/coordination/care.md)"
    ),
)

TASK_DUE_TIMES = Table(
    table_id="task-due-times",
    version="2026.1",
    source=PROGRAM_DEFAULTS,
    locator="urgency scale: emergent hours, urgent 24–48 h, soon 14 days, routine open",
    checked=(
        "Urgent and soon take the end of the scale's window (48 h, 14 days). Emergent ('hours') "
        "is set to 6 h and routine (no window) to 28 days as program defaults, not published "
        "figures; a site sets its own in its coordination settings."
    ),
)

DEFAULT_DUE_HOURS: Mapping[Urgency, float] = MappingProxyType(
    {
        Urgency.EMERGENT: 6.0,
        Urgency.URGENT: 48.0,
        Urgency.SOON: 14 * 24.0,
        Urgency.ROUTINE: 28 * 24.0,
    }
)

TASK_OWNERS = Table(
    table_id="task-owner-roles",
    version="2026.1",
    source=PROGRAM_DEFAULTS,
    locator="recommendation category → care role owning the task",
    checked=(
        "Program defaults following the team described in DESIGN.md ('toe and flow'); "
        "categories the table does not name go to the coordinator, who routes them. "
        "`information` and `conference_review` give no task: the first asks for nothing, the "
        "second is carried by the conference list."
    ),
)

DEFAULT_OWNER_ROLES: Mapping[str, CareRole | None] = MappingProxyType(
    {
        "revascularization": CareRole.VASCULAR_SURGEON,
        "infection_control": CareRole.PODIATRIST_FOOT_SURGEON,
        "wound_care": CareRole.WOUND_NURSE,
        "offloading": CareRole.PODIATRIST_FOOT_SURGEON,
        "compression": CareRole.WOUND_NURSE,
        "medical_therapy": CareRole.INTERNAL_MEDICINE,
        "imaging": CareRole.COORDINATOR,
        "referral": CareRole.COORDINATOR,
        "monitoring": CareRole.VASCULAR_SURGEON,
        "assessment": CareRole.VASCULAR_SURGEON,
        "amputation_discussion": CareRole.VASCULAR_SURGEON,
        "conference_review": None,
        "information": None,
    }
)


def due_hours(overrides: Mapping[str, float] | None = None) -> Mapping[Urgency, float]:
    """The program defaults with a site's overrides, checked positive and in urgency order."""
    hours = dict(DEFAULT_DUE_HOURS)
    for name, value in (overrides or {}).items():
        try:
            urgency = Urgency(name)
        except ValueError:
            allowed = ", ".join(u.value for u in Urgency)
            raise InvalidInput("task_due_hours", name, f"one of {allowed}") from None
        if not value > 0:
            raise InvalidInput(f"task_due_hours.{name}", value, "a number of hours above 0")
        hours[urgency] = float(value)
    ordered = [hours[u] for u in Urgency]
    if ordered != sorted(ordered):
        raise InvalidInput(
            "task_due_hours",
            {u.value: hours[u] for u in Urgency},
            "hours that do not decrease from emergent to routine",
        )
    return MappingProxyType(hours)


def due_at(
    *, raised_at: datetime, urgency: Urgency, hours: Mapping[Urgency, float] = DEFAULT_DUE_HOURS
) -> datetime:
    """The deadline of a task whose clock started at `raised_at` (a timezone-aware instant)."""
    _aware("raised_at", raised_at)
    return raised_at + timedelta(hours=hours[urgency])


def overdue_by(*, due: datetime, is_open: bool, at: datetime) -> timedelta | None:
    """How long an open task is past its deadline at `at`; None when it is not overdue."""
    _aware("due_at", due)
    _aware("at", at)
    if not is_open or at <= due:
        return None
    return at - due


def owner_role(
    category: str, overrides: Mapping[str, CareRole | None] | None = None
) -> CareRole | None:
    """The role owning a task from a recommendation of `category`; None when none is made."""
    roles = {**DEFAULT_OWNER_ROLES, **(overrides or {})}
    return roles.get(category, CareRole.COORDINATOR)


def _aware(name: str, value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(name, value.isoformat(), "a timezone-aware instant")
