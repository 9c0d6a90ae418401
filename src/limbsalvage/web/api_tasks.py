"""`/api/v1/tasks` and `/api/v1/appointments`: the care team's work and tracked appointments.

Anyone with clinical read sees them; coordinators (coordination_write) create and change them.
Clinicians complete the care team's clinical tasks (docs/web/api.md, "Who completes a task").
A task from an accepted recommendation is made by `POST /recommendations/{id}/accept`.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from limbsalvage.accounts.permissions import Principal
from limbsalvage.care import service
from limbsalvage.care.models import Appointment, CareTask
from limbsalvage.care.schemas import (
    AppointmentIn,
    AppointmentUpdate,
    TaskCancel,
    TaskIn,
    TaskUpdate,
)
from limbsalvage.care.scope import visible_episode
from limbsalvage.core.vocabulary import CareRole, TaskStatus
from limbsalvage.web.api_support import (
    RANGE_CHECKED,
    Coordinator,
    Id,
    OptionalId,
    PageNumber,
    PageSize,
    Reader,
    VersionIn,
    audit_patient,
    coordinating,
    offset,
    page_model,
    page_of,
    paged,
    reading,
    row_model,
    writing,
)
from limbsalvage.web.auth import COMPLETE_TASK, Database
from limbsalvage.web.errors import ERROR_RESPONSES

router = APIRouter(
    prefix="/api/v1", tags=["tasks"], responses=ERROR_RESPONSES, dependencies=RANGE_CHECKED
)

TaskOut = row_model(CareTask, name="TaskOut")
AppointmentOut = row_model(Appointment, name="AppointmentOut")
TaskCompleter = Annotated[Principal, Depends(COMPLETE_TASK)]
Statuses = Annotated[list[TaskStatus], Query(description="task states to list (repeatable)")]


@router.get("/tasks", summary="Tasks, with filters", response_model=page_model(TaskOut))
def list_tasks(
    *,
    db: Database,
    principal: Reader,
    episode_id: OptionalId = None,
    status: Statuses = [TaskStatus.OPEN],  # noqa: B006 - FastAPI copies the default
    owner_role: CareRole | None = None,
    assignee_id: OptionalId = None,
    overdue: Annotated[bool, Query(description="only open tasks past due")] = False,
    page: PageNumber = 1,
    page_size: PageSize = 50,
) -> Any:
    """Tasks of the user's sites, soonest due first (overdue: most overdue first); audited."""
    sites = reading(principal)
    if episode_id is not None:
        visible_episode(db, episode_id, sites)
    shown, total = service.page_tasks(
        db=db,
        site_ids=sites,
        episode_id=episode_id,
        statuses=status,
        owner_role=owner_role,
        assignee_id=assignee_id,
        overdue=overdue,
        limit=page_size,
        offset=offset(page, page_size),
    )
    return page_of(
        db,
        "api tasks",
        shown,
        total=total,
        page=page,
        page_size=page_size,
        shape=TaskOut.model_validate,
    )


@router.post(
    "/episodes/{episode_id}/tasks", status_code=201, summary="Create a task", response_model=TaskOut
)
def create_task(db: Database, principal: Coordinator, episode_id: Id, task_in: TaskIn) -> Any:
    """A manual task, due at `due_at` or after the site's interval for its urgency."""
    row = service.create_task(
        db=db, episode_id=episode_id, task_in=task_in, site_ids=coordinating(principal)
    )
    return TaskOut.model_validate(row)


@router.get("/tasks/{task_id}", summary="One task", response_model=TaskOut)
def get_task(db: Database, principal: Reader, task_id: Id) -> Any:
    """The task; the read is audited."""
    row = service.get_task(db=db, task_id=task_id, site_ids=reading(principal))
    audit_patient(db, row.patient_id, f"api task {row.id}")
    return TaskOut.model_validate(row)


@router.patch("/tasks/{task_id}", summary="Change an open task", response_model=TaskOut)
def update_task(db: Database, principal: Coordinator, task_id: Id, update_in: TaskUpdate) -> Any:
    """Change the fields given of the open task read at `version`; 409 if stale or closed."""
    row = service.update_task(
        db=db, task_id=task_id, update_in=update_in, site_ids=coordinating(principal)
    )
    return TaskOut.model_validate(row)


@router.post("/tasks/{task_id}/complete", summary="Complete a task", response_model=TaskOut)
def complete_task(db: Database, principal: TaskCompleter, task_id: Id, done_in: VersionIn) -> Any:
    """Mark the open task read at `version` done now, by the user (audited).

    Coordinators complete any task of their sites; clinicians a task owned by a clinical role
    of the care team or assigned to them (403 for the coordinator's own).
    """
    row = service.complete_task(
        db=db,
        task_id=task_id,
        expected_version=done_in.version,
        site_ids=coordinating(principal),
        clinical_site_ids=writing(principal),
    )
    return TaskOut.model_validate(row)


@router.post("/tasks/{task_id}/cancel", summary="Cancel a task", response_model=TaskOut)
def cancel_task(db: Database, principal: Coordinator, task_id: Id, cancel_in: TaskCancel) -> Any:
    """Cancel the open task read at `version`, with the reason."""
    row = service.cancel_task(
        db=db, task_id=task_id, cancel_in=cancel_in, site_ids=coordinating(principal)
    )
    return TaskOut.model_validate(row)


@router.get(
    "/episodes/{episode_id}/appointments",
    summary="An episode's appointments",
    response_model=page_model(AppointmentOut),
)
def list_appointments(
    db: Database, principal: Reader, episode_id: Id, page: PageNumber = 1, page_size: PageSize = 50
) -> Any:
    """The episode's appointments in time order; the read is audited."""
    rows = service.list_appointments(db=db, episode_id=episode_id, site_ids=reading(principal))
    return paged(
        db,
        "api appointments",
        rows,
        page=page,
        page_size=page_size,
        shape=AppointmentOut.model_validate,
    )


@router.post(
    "/episodes/{episode_id}/appointments",
    status_code=201,
    summary="Track an appointment",
    response_model=AppointmentOut,
)
def create_appointment(
    db: Database, principal: Coordinator, episode_id: Id, appointment_in: AppointmentIn
) -> Any:
    """An appointment of the episode (clinic, time, purpose)."""
    row = service.create_appointment(
        db=db,
        episode_id=episode_id,
        appointment_in=appointment_in,
        site_ids=coordinating(principal),
    )
    return AppointmentOut.model_validate(row)


@router.get(
    "/appointments/{appointment_id}", summary="One appointment", response_model=AppointmentOut
)
def get_appointment(db: Database, principal: Reader, appointment_id: Id) -> Any:
    """The appointment; the read is audited."""
    row = service.get_appointment(db=db, appointment_id=appointment_id, site_ids=reading(principal))
    audit_patient(db, row.patient_id, f"api appointment {row.id}")
    return AppointmentOut.model_validate(row)


@router.patch(
    "/appointments/{appointment_id}",
    summary="Change an appointment or record attendance",
    response_model=AppointmentOut,
)
def update_appointment(
    db: Database, principal: Coordinator, appointment_id: Id, update_in: AppointmentUpdate
) -> Any:
    """Change the fields given of the appointment read at `version`; attendance once begun."""
    row = service.update_appointment(
        db=db,
        appointment_id=appointment_id,
        update_in=update_in,
        site_ids=coordinating(principal),
    )
    return AppointmentOut.model_validate(row)
