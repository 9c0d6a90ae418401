"""Care team, tasks (manual and from accepted recommendations) and appointments. Flush only."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from limbsalvage.accounts.models import Membership, Site
from limbsalvage.care.models import Appointment, CareTask, CareTeamMember
from limbsalvage.care.schemas import (
    AppointmentIn,
    AppointmentUpdate,
    TaskCancel,
    TaskIn,
    TaskUpdate,
    TeamMemberIn,
)
from limbsalvage.care.scope import patient_visible, visible_episode
from limbsalvage.care.settings import coordination
from limbsalvage.core.coordination.tasks import due_at, overdue_by, owner_role
from limbsalvage.core.vocabulary import AppointmentStatus, CareRole, TaskStatus
from limbsalvage.db.clock import now
from limbsalvage.db.guard import check_version, guarded
from limbsalvage.errors import Conflict, Forbidden, NotFound, invalid
from limbsalvage.patients.models import Patient
from limbsalvage.recommendations.models import StoredRecommendation
from limbsalvage.referrals.service import actor_id

ROLE_ORDER = {role: rank for rank, role in enumerate(CareRole)}


def _site(db: Session, patient_id: int) -> Site:
    patient = db.get_one(Patient, patient_id)
    return db.get_one(Site, patient.site_id)


def _check_site_user(db: Session, *, user_id: int, patient_id: int, field: str) -> None:
    site_id = db.get_one(Patient, patient_id).site_id
    member = db.scalar(
        select(Membership.id).where(Membership.user_id == user_id, Membership.site_id == site_id)
    )
    if member is None:
        raise invalid(field, "is not a user of this patient's site")


# Care team


def add_team_member(
    *, db: Session, episode_id: int, member_in: TeamMemberIn, site_ids: Collection[int]
) -> CareTeamMember:
    """Put a person on the episode's team in a role."""
    episode = visible_episode(db, episode_id, site_ids)
    if member_in.user_id is not None:
        _check_site_user(
            db, user_id=member_in.user_id, patient_id=episode.patient_id, field="user_id"
        )
        duplicate = db.scalar(
            select(CareTeamMember.id).where(
                CareTeamMember.episode_id == episode.id,
                CareTeamMember.user_id == member_in.user_id,
                CareTeamMember.role == member_in.role,
            )
        )
        if duplicate is not None:
            raise Conflict(message=f"user_id: already on this team as {member_in.role.value}")
    member = CareTeamMember(
        patient_id=episode.patient_id, episode_id=episode.id, **member_in.model_dump()
    )
    with guarded(db, conflict_message="the team member could not be stored"):
        db.add(member)
    return member


def list_team_members(
    *, db: Session, episode_id: int, site_ids: Collection[int]
) -> list[CareTeamMember]:
    """The episode's team, in the order of the role vocabulary."""
    episode = visible_episode(db, episode_id, site_ids)
    members = db.scalars(
        select(CareTeamMember).where(CareTeamMember.episode_id == episode.id)
    ).all()
    return sorted(members, key=lambda m: (ROLE_ORDER[m.role], m.id))


def remove_team_member(*, db: Session, member_id: int, site_ids: Collection[int]) -> None:
    """Take a person off the team (the audit log keeps that they were on it)."""
    member = db.get(CareTeamMember, member_id)
    if member is None or not patient_visible(db, member.patient_id, site_ids):
        raise NotFound(message=f"team member {member_id} not found")
    with guarded(db, conflict_message="the team member could not be removed"):
        db.delete(member)


# Tasks


@dataclass(frozen=True)
class OverdueTask:
    """An open task past its due time, and by how much."""

    task: CareTask
    overdue_by: timedelta


def create_task(
    *, db: Session, episode_id: int, task_in: TaskIn, site_ids: Collection[int]
) -> CareTask:
    """A manual task; without `due_at` it is due after the site's interval for its urgency."""
    episode = visible_episode(db, episode_id, site_ids)
    if task_in.assignee_id is not None:
        _check_site_user(
            db, user_id=task_in.assignee_id, patient_id=episode.patient_id, field="assignee_id"
        )
    due = task_in.due_at
    if due is None:
        assert task_in.urgency is not None  # the schema requires one of the two
        hours = coordination(_site(db, episode.patient_id)).due_hours
        due = due_at(raised_at=now(db), urgency=task_in.urgency, hours=hours)
    task = CareTask(
        patient_id=episode.patient_id,
        episode_id=episode.id,
        **task_in.model_dump(exclude={"due_at"}),
        due_at=due,
        status=TaskStatus.OPEN,
    )
    with guarded(db, conflict_message="the task could not be stored"):
        db.add(task)
    return task


def task_from_recommendation(
    *, db: Session, recommendation: StoredRecommendation
) -> CareTask | None:
    """The task an accepted recommendation implies: owner from its category, due from urgency.

    The clock starts when the recommendation was raised, not when it was accepted, so a late
    acceptance does not move the deadline. None when the category implies no task; a task
    cancelled by an earlier override is reopened.
    """
    settings = coordination(_site(db, recommendation.patient_id))
    role = owner_role(recommendation.category, settings.owner_roles)
    if role is None:
        return None
    existing = db.scalar(select(CareTask).where(CareTask.recommendation_id == recommendation.id))
    if existing is not None:
        if existing.status is TaskStatus.CANCELLED:
            # Accepted again after an override: the same task reopens (the audit log keeps
            # its cancellation), still due from when the recommendation was raised.
            with guarded(db, conflict_message="the task could not be reopened"):
                existing.status = TaskStatus.OPEN
                existing.cancel_reason = None
        return existing
    task = CareTask(
        patient_id=recommendation.patient_id,
        episode_id=recommendation.episode_id,
        recommendation_id=recommendation.id,
        title=_title(recommendation.text),
        detail=f"{recommendation.text}\n\nBasis: {recommendation.rationale}\n"
        f"Source: {recommendation.citation}",
        owner_role=role,
        urgency=recommendation.urgency,
        due_at=due_at(
            raised_at=recommendation.raised_at,
            urgency=recommendation.urgency,
            hours=settings.due_hours,
        ),
        status=TaskStatus.OPEN,
    )
    with guarded(db, conflict_message="the task could not be stored"):
        db.add(task)
    return task


def _title(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= 200 else line[:199] + "…"


def get_task(*, db: Session, task_id: int, site_ids: Collection[int]) -> CareTask:
    """The task, if its patient is at one of `site_ids`."""
    task = db.get(CareTask, task_id)
    if task is None or not patient_visible(db, task.patient_id, site_ids):
        raise NotFound(message=f"task {task_id} not found")
    return task


def _tasks_query(
    *,
    site_ids: Collection[int],
    episode_id: int | None,
    statuses: Collection[TaskStatus],
    owner_role: CareRole | None,
    assignee_id: int | None,
) -> Select[CareTask]:
    query = (
        select(CareTask)
        .join(Patient, Patient.id == CareTask.patient_id)
        .where(Patient.site_id.in_(site_ids), CareTask.status.in_(statuses))
    )
    if episode_id is not None:
        query = query.where(CareTask.episode_id == episode_id)
    if owner_role is not None:
        query = query.where(CareTask.owner_role == owner_role)
    if assignee_id is not None:
        query = query.where(CareTask.assignee_id == assignee_id)
    return query


def list_tasks(
    *,
    db: Session,
    site_ids: Collection[int],
    episode_id: int | None = None,
    statuses: Collection[TaskStatus] = (TaskStatus.OPEN,),
    owner_role: CareRole | None = None,
    assignee_id: int | None = None,
) -> list[CareTask]:
    """Tasks at the caller's sites (optionally one episode, role or person), soonest due first."""
    query = _tasks_query(
        site_ids=site_ids,
        episode_id=episode_id,
        statuses=statuses,
        owner_role=owner_role,
        assignee_id=assignee_id,
    )
    return list(db.scalars(query.order_by(CareTask.due_at, CareTask.id)))


def page_tasks(
    *,
    db: Session,
    site_ids: Collection[int],
    episode_id: int | None = None,
    statuses: Collection[TaskStatus] = (TaskStatus.OPEN,),
    owner_role: CareRole | None = None,
    assignee_id: int | None = None,
    overdue: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[CareTask], int]:
    """One page of `list_tasks` and how many match in all, both counted by the database.

    `overdue` keeps the open tasks past due at the session clock (as `overdue_tasks` judges
    them); soonest due first is then most overdue first.
    """
    query = _tasks_query(
        site_ids=site_ids,
        episode_id=episode_id,
        statuses=statuses,
        owner_role=owner_role,
        assignee_id=assignee_id,
    )
    if overdue:
        query = query.where(CareTask.status == TaskStatus.OPEN, CareTask.due_at < now(db))
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    shown = db.scalars(query.order_by(CareTask.due_at, CareTask.id).limit(limit).offset(offset))
    return list(shown), total


def overdue_tasks(
    *,
    db: Session,
    site_ids: Collection[int],
    at: datetime | None = None,
    owner_role: CareRole | None = None,
) -> list[OverdueTask]:
    """Open tasks past due at `at` (default: the session clock), most overdue first."""
    instant = now(db) if at is None else at
    late = []
    for task in list_tasks(db=db, site_ids=site_ids, owner_role=owner_role):
        by = overdue_by(due=task.due_at, is_open=task.status is TaskStatus.OPEN, at=instant)
        if by is not None:
            late.append(OverdueTask(task, by))
    return late


def _open_task(db: Session, task_id: int, version: int, site_ids: Collection[int]) -> CareTask:
    task = get_task(db=db, task_id=task_id, site_ids=site_ids)
    _still_open(task, version)
    return task


def _still_open(task: CareTask, version: int) -> None:
    check_version(task, expected_version=version, entity="task")
    if task.status is not TaskStatus.OPEN:
        raise Conflict(message=f"task {task.id} is {task.status.value}; only open tasks change")


def complete_task(
    *,
    db: Session,
    task_id: int,
    expected_version: int,
    site_ids: Collection[int],
    clinical_site_ids: Collection[int] = (),
) -> CareTask:
    """Mark an open task done now, by the session's user.

    `site_ids`: where the user coordinates (any task there). `clinical_site_ids`: where the user
    writes clinical records; there a task is theirs to complete only when a clinical role of the
    care team owns it or it is assigned to them (`CareTask.clinician_may_complete`).
    """
    task = get_task(db=db, task_id=task_id, site_ids={*site_ids, *clinical_site_ids})
    coordinates = db.get_one(Patient, task.patient_id).site_id in site_ids
    user_id = actor_id(db)
    if not coordinates and (user_id is None or not task.clinician_may_complete(user_id)):
        raise Forbidden(
            message=(
                f"task {task.id} is the coordinator's; a clinician completes tasks of the care "
                "team's clinical roles or assigned to them"
            )
        )
    _still_open(task, expected_version)
    with guarded(db, conflict_message="the task could not be completed"):
        task.status = TaskStatus.DONE
        task.completed_at = now(db)
        task.completed_by_id = user_id
    return task


def cancel_task(
    *, db: Session, task_id: int, cancel_in: TaskCancel, site_ids: Collection[int]
) -> CareTask:
    """Cancel an open task, with the reason."""
    task = _open_task(db, task_id, cancel_in.version, site_ids)
    with guarded(db, conflict_message="the task could not be cancelled"):
        task.status = TaskStatus.CANCELLED
        task.cancel_reason = cancel_in.reason
    return task


def update_task(
    *, db: Session, task_id: int, update_in: TaskUpdate, site_ids: Collection[int]
) -> CareTask:
    """Change the title, detail, owner role, assignee or due time of an open task."""
    task = _open_task(db, task_id, update_in.version, site_ids)
    changes = update_in.model_dump(include=update_in.model_fields_set - {"version"})
    for name in ("title", "owner_role", "due_at"):
        if name in changes and changes[name] is None:
            raise invalid(name, "cannot be emptied")
    if changes.get("assignee_id") is not None:
        _check_site_user(
            db, user_id=changes["assignee_id"], patient_id=task.patient_id, field="assignee_id"
        )
    with guarded(db, conflict_message="the task could not be changed"):
        for name, value in changes.items():
            setattr(task, name, value)
    return task


def cancel_recommendation_task(*, db: Session, recommendation_id: int, reason: str) -> None:
    """Cancel the open task of a recommendation that was superseded or overridden."""
    task = db.scalar(select(CareTask).where(CareTask.recommendation_id == recommendation_id))
    if task is not None and task.status is TaskStatus.OPEN:
        with guarded(db, conflict_message="the task could not be cancelled"):
            task.status = TaskStatus.CANCELLED
            task.cancel_reason = reason


# Appointments


def create_appointment(
    *, db: Session, episode_id: int, appointment_in: AppointmentIn, site_ids: Collection[int]
) -> Appointment:
    """Track an appointment of the episode."""
    episode = visible_episode(db, episode_id, site_ids)
    appointment = Appointment(
        patient_id=episode.patient_id,
        episode_id=episode.id,
        status=AppointmentStatus.SCHEDULED,
        **appointment_in.model_dump(),
    )
    with guarded(db, conflict_message="the appointment could not be stored"):
        db.add(appointment)
    return appointment


def get_appointment(*, db: Session, appointment_id: int, site_ids: Collection[int]) -> Appointment:
    """The appointment, if its patient is at one of `site_ids`."""
    appointment = db.get(Appointment, appointment_id)
    if appointment is None or not patient_visible(db, appointment.patient_id, site_ids):
        raise NotFound(message=f"appointment {appointment_id} not found")
    return appointment


def list_appointments(
    *, db: Session, episode_id: int, site_ids: Collection[int]
) -> list[Appointment]:
    """The episode's appointments in time order."""
    episode = visible_episode(db, episode_id, site_ids)
    return list(
        db.scalars(
            select(Appointment)
            .where(Appointment.episode_id == episode.id)
            .order_by(Appointment.starts_at, Appointment.id)
        )
    )


def update_appointment(
    *,
    db: Session,
    appointment_id: int,
    update_in: AppointmentUpdate,
    site_ids: Collection[int],
) -> Appointment:
    """Record attendance or change the time, place or purpose; attendance only once it began."""
    appointment = get_appointment(db=db, appointment_id=appointment_id, site_ids=site_ids)
    check_version(appointment, expected_version=update_in.version, entity="appointment")
    changes = update_in.model_dump(include=update_in.model_fields_set - {"version"})
    for name in ("clinic", "starts_at", "purpose", "status"):
        if name in changes and changes[name] is None:
            raise invalid(name, "cannot be emptied")
    starts_at = changes.get("starts_at", appointment.starts_at)
    status = changes.get("status", appointment.status)
    attendance = (AppointmentStatus.ATTENDED, AppointmentStatus.DID_NOT_ATTEND)
    if status in attendance and starts_at > now(db):
        raise invalid("status", f"{status.value} is only possible once the appointment began")
    with guarded(db, conflict_message="the appointment could not be changed"):
        for name, value in changes.items():
            setattr(appointment, name, value)
    return appointment
