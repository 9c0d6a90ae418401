"""Validated input for the care team, tasks and appointments."""

from typing import Self

from pydantic import AwareDatetime, model_validator

from limbsalvage.core.vocabulary import AppointmentStatus, CareRole, Urgency
from limbsalvage.patients.schemas import Strict
from limbsalvage.referrals.schemas import Text200, Text2000


class TeamMemberIn(Strict):
    """A member of an episode's care team: a user of the site, or a named outsider."""

    role: CareRole
    user_id: int | None = None
    person_name: Text200 | None = None
    contact: Text200 | None = None
    note: Text2000 | None = None

    @model_validator(mode="after")
    def _someone(self) -> Self:
        if self.user_id is None and self.person_name is None:
            raise ValueError("person_name: required when the member is not a user (user_id)")
        return self


class TaskIn(Strict):
    """A manual task: due at a given time, or after the site's interval for an urgency."""

    title: Text200
    detail: Text2000 | None = None
    owner_role: CareRole
    assignee_id: int | None = None
    urgency: Urgency | None = None
    due_at: AwareDatetime | None = None

    @model_validator(mode="after")
    def _due(self) -> Self:
        if self.due_at is None and self.urgency is None:
            raise ValueError("due_at: give a due time or an urgency")
        return self


class TaskUpdate(Strict):
    """Change a task read at `version`; only the fields given change."""

    version: int
    title: Text200 | None = None
    detail: Text2000 | None = None
    owner_role: CareRole | None = None
    assignee_id: int | None = None
    due_at: AwareDatetime | None = None


class TaskCancel(Strict):
    """Cancel a task read at `version`, with the reason."""

    version: int
    reason: Text2000


class AppointmentIn(Strict):
    """A tracked appointment."""

    clinic: Text200
    starts_at: AwareDatetime
    purpose: Text200
    note: Text2000 | None = None


class AppointmentUpdate(Strict):
    """Change an appointment read at `version` (attendance, time, place); only given fields."""

    version: int
    clinic: Text200 | None = None
    starts_at: AwareDatetime | None = None
    purpose: Text200 | None = None
    status: AppointmentStatus | None = None
    note: Text2000 | None = None
