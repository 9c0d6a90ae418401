"""The care team of an episode, its tasks and its tracked appointments."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from limbsalvage.core.vocabulary import AppointmentStatus, CareRole, TaskStatus, Urgency
from limbsalvage.db.base import Base, Record, coded


class CareTeamMember(Record, Base):
    """A person in a role on an episode's team: a registered user or a named outsider."""

    __tablename__ = "care_team_members"
    __table_args__ = (
        CheckConstraint(
            "user_id IS NOT NULL OR person_name IS NOT NULL", name="user_or_person_named"
        ),
    )

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("episodes.id"), index=True)
    role: Mapped[CareRole] = mapped_column(coded(CareRole, "care_role"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    person_name: Mapped[str | None] = mapped_column(String(200))
    contact: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)


class CareTask(Record, Base):
    """Something a role must do by a due time: from an accepted recommendation, or manual."""

    __tablename__ = "care_tasks"
    __table_args__ = (
        CheckConstraint(
            "(status = 'done') = (completed_at IS NOT NULL)", name="done_has_completion"
        ),
        CheckConstraint(
            "status <> 'cancelled' OR cancel_reason IS NOT NULL", name="cancelled_has_reason"
        ),
        # The worklist's "overdue" filter: the open tasks past due, from the index alone.
        Index("ix_care_tasks_status_due_at", "status", "due_at", "episode_id"),
    )

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("episodes.id"), index=True)
    # At most one task per stored recommendation; manual tasks have none.
    recommendation_id: Mapped[int | None] = mapped_column(
        ForeignKey("recommendations.id"), unique=True
    )
    title: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str | None] = mapped_column(Text)
    owner_role: Mapped[CareRole] = mapped_column(coded(CareRole, "care_role"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    urgency: Mapped[Urgency | None] = mapped_column(coded(Urgency, "urgency"))
    due_at: Mapped[datetime]
    status: Mapped[TaskStatus] = mapped_column(
        coded(TaskStatus, "task_status"), default=TaskStatus.OPEN
    )
    completed_at: Mapped[datetime | None]
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cancel_reason: Mapped[str | None] = mapped_column(Text)

    def clinician_may_complete(self, user_id: int) -> bool:
        """Whether a clinician (not a coordinator) may mark this task done (docs/web/api.md).

        The care team's clinical work is theirs to close: a task owned by a clinical role, or
        assigned to them. The coordinator's own tasks stay the coordinator's (least privilege).
        """
        return self.owner_role is not CareRole.COORDINATOR or self.assignee_id == user_id


class Appointment(Record, Base):
    """A tracked appointment (not a scheduling system): clinic, time, purpose, attendance."""

    __tablename__ = "appointments"

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("episodes.id"), index=True)
    clinic: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime]
    purpose: Mapped[str] = mapped_column(String(200))
    status: Mapped[AppointmentStatus] = mapped_column(
        coded(AppointmentStatus, "appointment_status"), default=AppointmentStatus.SCHEDULED
    )
    note: Mapped[str | None] = mapped_column(Text)
