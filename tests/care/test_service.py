"""Care team, tasks (due times, overdue detection) and appointments, on SQLite and PostgreSQL."""

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy.orm import Session

from limbsalvage.care import service
from limbsalvage.care.schemas import (
    AppointmentIn,
    AppointmentUpdate,
    TaskCancel,
    TaskIn,
    TaskUpdate,
    TeamMemberIn,
)
from limbsalvage.core.vocabulary import AppointmentStatus, CareRole, Role, TaskStatus, Urgency
from limbsalvage.db.session import set_actor
from limbsalvage.errors import Conflict, Forbidden, Invalid, NotFound, StaleUpdate
from tests.conftest import FIXED_NOW
from tests.support.factories import make_episode, make_patient, make_site, make_user


@pytest.fixture
def world(db: Session) -> dict:
    site = make_site(db)
    other = make_site(db, code="south", name="South")
    episode = make_episode(db, make_patient(db, site))
    return {"site": site, "other": other, "episode": episode, "ids": [site.id]}


def test_team_members_in_role_order(db: Session, world: dict) -> None:
    surgeon = make_user(db, world["site"], Role.CLINICIAN)
    episode, ids = world["episode"], world["ids"]
    nurse = service.add_team_member(
        db=db,
        episode_id=episode.id,
        member_in=TeamMemberIn(role=CareRole.WOUND_NURSE, person_name="Mary Seacole"),
        site_ids=ids,
    )
    lead = service.add_team_member(
        db=db,
        episode_id=episode.id,
        member_in=TeamMemberIn(role=CareRole.VASCULAR_SURGEON, user_id=surgeon.id),
        site_ids=ids,
    )
    assert nurse.patient_id == episode.patient_id
    team = service.list_team_members(db=db, episode_id=episode.id, site_ids=ids)
    assert [m.id for m in team] == [lead.id, nurse.id]
    with pytest.raises(Conflict, match="user_id: already on this team as vascular_surgeon"):
        service.add_team_member(
            db=db,
            episode_id=episode.id,
            member_in=TeamMemberIn(role=CareRole.VASCULAR_SURGEON, user_id=surgeon.id),
            site_ids=ids,
        )
    service.remove_team_member(db=db, member_id=nurse.id, site_ids=ids)
    assert [
        m.id for m in service.list_team_members(db=db, episode_id=episode.id, site_ids=ids)
    ] == [lead.id]
    with pytest.raises(NotFound, match=f"team member {nurse.id} not found"):
        service.remove_team_member(db=db, member_id=nurse.id, site_ids=ids)


def test_team_members_are_checked(db: Session, world: dict) -> None:
    stranger = make_user(db, world["other"], Role.CLINICIAN)
    with pytest.raises(ValidationError, match="person_name: required when the member is not"):
        TeamMemberIn(role=CareRole.COORDINATOR)
    with pytest.raises(ValidationError, match="role"):
        TeamMemberIn(role="surgeon", person_name="X")
    with pytest.raises(Invalid, match="user_id: is not a user of this patient's site"):
        service.add_team_member(
            db=db,
            episode_id=world["episode"].id,
            member_in=TeamMemberIn(role=CareRole.COORDINATOR, user_id=stranger.id),
            site_ids=world["ids"],
        )
    with pytest.raises(NotFound, match=f"episode {world['episode'].id} not found"):
        service.list_team_members(
            db=db, episode_id=world["episode"].id, site_ids=[world["other"].id]
        )


def test_manual_task_due_from_urgency_or_given(db: Session, world: dict) -> None:
    episode, ids = world["episode"], world["ids"]
    from_urgency = service.create_task(
        db=db,
        episode_id=episode.id,
        task_in=TaskIn(
            title="Book duplex", owner_role=CareRole.COORDINATOR, urgency=Urgency.URGENT
        ),
        site_ids=ids,
    )
    assert from_urgency.due_at == FIXED_NOW + timedelta(hours=48)
    given = service.create_task(
        db=db,
        episode_id=episode.id,
        task_in=TaskIn(
            title="Call patient",
            owner_role=CareRole.COORDINATOR,
            due_at=datetime(2026, 3, 3, 12, tzinfo=UTC),
        ),
        site_ids=ids,
    )
    assert (given.due_at, given.urgency, given.status) == (
        datetime(2026, 3, 3, 12, tzinfo=UTC),
        None,
        TaskStatus.OPEN,
    )
    with pytest.raises(ValidationError, match="due_at: give a due time or an urgency"):
        TaskIn(title="x", owner_role=CareRole.COORDINATOR)


def test_site_due_hours_apply(db: Session, world: dict) -> None:
    world["site"].settings = {"coordination": {"task_due_hours": {"urgent": 24}}}
    db.flush()
    task = service.create_task(
        db=db,
        episode_id=world["episode"].id,
        task_in=TaskIn(title="Review", owner_role=CareRole.VASCULAR_SURGEON, urgency="urgent"),
        site_ids=world["ids"],
    )
    assert task.due_at == FIXED_NOW + timedelta(hours=24)


def test_overdue_detection_at_a_given_instant(db: Session, world: dict) -> None:
    episode, ids = world["episode"], world["ids"]

    def task(title: str, due: datetime, role: CareRole = CareRole.COORDINATOR) -> object:
        return service.create_task(
            db=db,
            episode_id=episode.id,
            task_in=TaskIn(title=title, owner_role=role, due_at=due),
            site_ids=ids,
        )

    late = task("late", FIXED_NOW - timedelta(hours=3))
    later = task("very late", FIXED_NOW - timedelta(days=2), CareRole.WOUND_NURSE)
    on_time = task("on time", FIXED_NOW)
    done = task("done", FIXED_NOW - timedelta(days=5))
    service.complete_task(db=db, task_id=done.id, expected_version=1, site_ids=ids)
    overdue = service.overdue_tasks(db=db, site_ids=ids)
    assert [(o.task.id, o.overdue_by) for o in overdue] == [
        (later.id, timedelta(days=2)),
        (late.id, timedelta(hours=3)),
    ]
    assert on_time.id not in [o.task.id for o in overdue]
    tomorrow = FIXED_NOW + timedelta(days=1)
    assert {o.task.id for o in service.overdue_tasks(db=db, site_ids=ids, at=tomorrow)} == {
        later.id,
        late.id,
        on_time.id,
    }
    nurse_only = service.overdue_tasks(db=db, site_ids=ids, owner_role=CareRole.WOUND_NURSE)
    assert [o.task.id for o in nurse_only] == [later.id]
    assert service.overdue_tasks(db=db, site_ids=[world["other"].id]) == []


def test_task_lifecycle(db: Session, world: dict) -> None:
    site, episode, ids = world["site"], world["episode"], world["ids"]
    coordinator = make_user(db, site, Role.COORDINATOR)
    db.info["actor_id"] = coordinator.id
    task = service.create_task(
        db=db,
        episode_id=episode.id,
        task_in=TaskIn(
            title="Arrange vein mapping",
            owner_role=CareRole.COORDINATOR,
            urgency="soon",
            assignee_id=coordinator.id,
        ),
        site_ids=ids,
    )
    moved = service.update_task(
        db=db,
        task_id=task.id,
        update_in=TaskUpdate(version=1, due_at=datetime(2026, 3, 10, tzinfo=UTC), detail=None),
        site_ids=ids,
    )
    assert (moved.due_at, moved.detail, moved.title) == (
        datetime(2026, 3, 10, tzinfo=UTC),
        None,
        "Arrange vein mapping",
    )
    with pytest.raises(Invalid, match="title: cannot be emptied"):
        service.update_task(
            db=db, task_id=task.id, update_in=TaskUpdate(version=2, title=None), site_ids=ids
        )
    with pytest.raises(StaleUpdate):
        service.complete_task(db=db, task_id=task.id, expected_version=1, site_ids=ids)
    completed = service.complete_task(db=db, task_id=task.id, expected_version=2, site_ids=ids)
    assert (completed.status, completed.completed_at, completed.completed_by_id) == (
        TaskStatus.DONE,
        FIXED_NOW,
        coordinator.id,
    )
    with pytest.raises(Conflict, match=f"task {task.id} is done; only open tasks change"):
        service.cancel_task(
            db=db, task_id=task.id, cancel_in=TaskCancel(version=3, reason="x"), site_ids=ids
        )
    listed = service.list_tasks(
        db=db, site_ids=ids, statuses=[TaskStatus.DONE], assignee_id=coordinator.id
    )
    assert [t.id for t in listed] == [task.id]
    with pytest.raises(NotFound, match=f"task {task.id} not found"):
        service.get_task(db=db, task_id=task.id, site_ids=[world["other"].id])


def test_cancel_needs_a_reason_and_assignees_are_checked(db: Session, world: dict) -> None:
    episode, ids = world["episode"], world["ids"]
    stranger = make_user(db, world["other"], Role.CLINICIAN)
    task = service.create_task(
        db=db,
        episode_id=episode.id,
        task_in=TaskIn(title="x", owner_role=CareRole.COORDINATOR, urgency="routine"),
        site_ids=ids,
    )
    with pytest.raises(Invalid, match="assignee_id: is not a user of this patient's site"):
        service.update_task(
            db=db,
            task_id=task.id,
            update_in=TaskUpdate(version=1, assignee_id=stranger.id),
            site_ids=ids,
        )
    with pytest.raises(Invalid, match="assignee_id: is not a user"):
        service.create_task(
            db=db,
            episode_id=episode.id,
            task_in=TaskIn(
                title="x", owner_role=CareRole.COORDINATOR, urgency="soon", assignee_id=stranger.id
            ),
            site_ids=ids,
        )
    with pytest.raises(ValidationError, match="reason"):
        TaskCancel(version=1, reason="")
    cancelled = service.cancel_task(
        db=db,
        task_id=task.id,
        cancel_in=TaskCancel(version=1, reason="Done elsewhere"),
        site_ids=ids,
    )
    assert (cancelled.status, cancelled.cancel_reason) == (TaskStatus.CANCELLED, "Done elsewhere")


def test_appointments_and_attendance(db: Session, world: dict) -> None:
    episode, ids = world["episode"], world["ids"]
    past = service.create_appointment(
        db=db,
        episode_id=episode.id,
        appointment_in=AppointmentIn(
            clinic="Vascular hot clinic",
            starts_at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC),
            purpose="First visit",
        ),
        site_ids=ids,
    )
    future = service.create_appointment(
        db=db,
        episode_id=episode.id,
        appointment_in=AppointmentIn(
            clinic="Wound clinic",
            starts_at=datetime(2026, 3, 9, 8, 0, tzinfo=UTC),
            purpose="Dressing review",
        ),
        site_ids=ids,
    )
    assert [
        a.id for a in service.list_appointments(db=db, episode_id=episode.id, site_ids=ids)
    ] == [
        past.id,
        future.id,
    ]
    attended = service.update_appointment(
        db=db,
        appointment_id=past.id,
        update_in=AppointmentUpdate(version=1, status=AppointmentStatus.ATTENDED),
        site_ids=ids,
    )
    assert attended.status is AppointmentStatus.ATTENDED
    with pytest.raises(Invalid, match="status: did_not_attend is only possible once"):
        service.update_appointment(
            db=db,
            appointment_id=future.id,
            update_in=AppointmentUpdate(version=1, status="did_not_attend"),
            site_ids=ids,
        )
    with pytest.raises(Invalid, match="clinic: cannot be emptied"):
        service.update_appointment(
            db=db,
            appointment_id=future.id,
            update_in=AppointmentUpdate(version=1, clinic=None),
            site_ids=ids,
        )
    moved = service.update_appointment(
        db=db,
        appointment_id=future.id,
        update_in=AppointmentUpdate(version=1, status="cancelled", note="patient unwell"),
        site_ids=ids,
    )
    assert (moved.status, moved.note) == (AppointmentStatus.CANCELLED, "patient unwell")
    with pytest.raises(NotFound, match=f"appointment {past.id} not found"):
        service.get_appointment(db=db, appointment_id=past.id, site_ids=[world["other"].id])
    with pytest.raises(ValidationError, match="timezone"):
        AppointmentIn(clinic="x", starts_at=datetime(2026, 3, 1), purpose="y")


def test_a_clinician_completes_only_the_care_teams_clinical_tasks(db: Session, world: dict) -> None:
    clinician = make_user(db, world["site"], Role.CLINICIAN)
    episode, ids = world["episode"], world["ids"]

    def task(role: CareRole, assignee_id: int | None = None) -> int:
        task_in = TaskIn(title="T", owner_role=role, urgency="soon", assignee_id=assignee_id)
        made = service.create_task(db=db, episode_id=episode.id, task_in=task_in, site_ids=ids)
        return made.id

    clinical = task(CareRole.PODIATRIST_FOOT_SURGEON)
    coordination = task(CareRole.COORDINATOR)
    assigned = task(CareRole.COORDINATOR, assignee_id=clinician.id)
    set_actor(db, actor_id=clinician.id)
    as_clinician = {"expected_version": 1, "site_ids": [], "clinical_site_ids": ids}
    with pytest.raises(Forbidden, match="the coordinator's"):
        service.complete_task(db=db, task_id=coordination, **as_clinician)
    with pytest.raises(NotFound):
        service.complete_task(
            db=db, task_id=clinical, expected_version=1, site_ids=[], clinical_site_ids=[0]
        )
    for task_id in (clinical, assigned):
        done = service.complete_task(db=db, task_id=task_id, **as_clinician)
        assert (done.status, done.completed_by_id) == (TaskStatus.DONE, clinician.id)
