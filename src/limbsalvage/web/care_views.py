"""Read models of an episode's decision support and coordination, as the chart draws them.

Per open episode: the current recommendations (most urgent first) with their basis, answer and
earlier versions; the tasks with their due times and how overdue; the tracked appointments; the
care team; and the forms to act on them, a refused form keeping what was typed.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.accounts.models import Site, User
from limbsalvage.care import service as care
from limbsalvage.care.models import Appointment, CareTask, CareTeamMember
from limbsalvage.core.coordination.tasks import overdue_by
from limbsalvage.core.vocabulary import CareRole, EpisodeStatus, TaskStatus, Urgency
from limbsalvage.db.clock import now
from limbsalvage.errors import FieldProblem
from limbsalvage.patients.models import Patient
from limbsalvage.recommendations import service as recommendations
from limbsalvage.recommendations.models import StoredRecommendation
from limbsalvage.web.forms import FormField
from limbsalvage.web.patient_views import EpisodeOut

ALL_STATUSES = tuple(TaskStatus)
UTC_ZONE = ZoneInfo("UTC")


@dataclass(frozen=True)
class Refusal:
    """A form the server refused: which one (`target`), what was typed, each field's message."""

    target: str
    typed: Mapping[str, str]
    problems: Sequence[FieldProblem]
    message: str = ""

    def errors(self) -> dict[str, str]:
        """Messages by field name (several joined)."""
        found: dict[str, list[str]] = {}
        for problem in self.problems:
            found.setdefault(problem.field, []).append(problem.message)
        return {name: "; ".join(messages) for name, messages in found.items()}


@dataclass(frozen=True)
class RecommendationView:
    """A current recommendation, who answered it, and the rule's earlier rows for the episode."""

    row: StoredRecommendation
    decided_by: str
    history: list[StoredRecommendation]


@dataclass(frozen=True)
class TaskView:
    """A task and, when open and past due, by how much."""

    task: CareTask
    overdue: timedelta | None

    @property
    def overdue_text(self) -> str:
        """'3 d 4 h' style, empty when not overdue."""
        if self.overdue is None:
            return ""
        days, seconds = self.overdue.days, self.overdue.seconds
        return (
            f"{days} d {seconds // 3600} h"
            if days
            else f"{seconds // 3600} h {seconds // 60 % 60} min"
        )


@dataclass
class CareSection:
    """Everything the chart shows for one episode's decision support and coordination."""

    episode: EpisodeOut
    recommendations: list[RecommendationView]
    withdrawn: list[StoredRecommendation]
    tasks: list[TaskView]
    appointments: list[Appointment]
    team: list[CareTeamMember]
    names: dict[int, str] = field(default_factory=dict)
    zone: str = "UTC"
    forms: dict[str, list[FormField]] = field(default_factory=dict)
    refusal: Refusal | None = None
    notice: str = ""

    @property
    def zone_info(self) -> ZoneInfo:
        """The zone appointment times are shown in."""
        return ZoneInfo(self.zone)

    def problems_for(self, target: str) -> Sequence[FieldProblem]:
        """The refused form's messages when `target` is the refused form."""
        if self.refusal is not None and self.refusal.target == target:
            return self.refusal.problems
        return ()

    def typed_for(self, target: str, name: str) -> str:
        """What was typed in `target`'s field `name` when it was refused."""
        if self.refusal is not None and self.refusal.target == target:
            return self.refusal.typed.get(name, "")
        return ""


def _choices(enum: type[CareRole] | type[Urgency]) -> tuple[tuple[str, str], ...]:
    return tuple((m.value, m.value.replace("_", " ")) for m in enum)


# Each coordination form: (name, label, widget, required, choices).
TASK_FORM = (
    ("title", "Task", "text", True, ()),
    ("detail", "Detail", "text", False, ()),
    ("owner_role", "Owner role", "select", True, _choices(CareRole)),
    (
        "urgency",
        "Urgency (sets the due time when no date is given)",
        "select",
        False,
        _choices(Urgency),
    ),
    ("due_on", "Due on (end of that day)", "date", False, ()),
)
APPOINTMENT_FORM = (
    ("clinic", "Clinic", "text", True, ()),
    ("starts_on", "Date", "date", True, ()),
    ("starts_time", "Time (24 h, HH:MM)", "text", True, ()),
    ("purpose", "Purpose", "text", True, ()),
    ("note", "Note", "text", False, ()),
)
TEAM_FORM = (
    ("role", "Role", "select", True, _choices(CareRole)),
    ("person_name", "Name", "text", True, ()),
    ("contact", "Contact (phone, pager)", "text", False, ()),
)
YES_NO = (("yes", "yes"), ("no", "no"))
# Pathway inputs the registry does not hold (docs/pathway/input.md): given with a recompute, and
# not stored, so a later recompute without them lists them as missing again.
FACT_FLAGS = (
    ("usable_gsv", "usable great saphenous vein for bypass"),
    ("inflow_disease", "significant inflow (aorto-iliac / CFA) disease"),
    ("failed_endovascular", "prior failed endovascular attempt"),
    ("deep_space_infection", "deep-space foot infection"),
    ("wet_gangrene", "wet (infected) gangrene"),
    ("limited_life_expectancy", "very limited life expectancy"),
    ("proposed_major_amputation", "a major amputation has been proposed"),
)
FACT_NUMBERS = (
    ("perioperative_mortality_pct", "anticipated peri-procedural mortality (%)"),
    ("two_year_survival_pct", "estimated 2-year survival (%)"),
)
FACT_FORM = (
    *((name, label, "select", False, YES_NO) for name, label in FACT_FLAGS),
    *((name, label, "number", False, ()) for name, label in FACT_NUMBERS),
)
FORMS = {
    "task": TASK_FORM,
    "appointment": APPOINTMENT_FORM,
    "team": TEAM_FORM,
    "refresh": FACT_FORM,
}


def form_of(
    target: str,
    spec: Sequence[tuple[str, str, str, bool, tuple[tuple[str, str], ...]]],
    refusal: Refusal | None,
) -> list[FormField]:
    """The fields of one coordination form, with what was typed when it was refused."""
    mine = refusal is not None and refusal.target == target
    typed = refusal.typed if mine and refusal is not None else {}
    errors = refusal.errors() if mine and refusal is not None else {}
    return [
        FormField(
            name=name,
            label=label,
            widget=widget,
            required=required,
            value=typed.get(name, ""),
            error=errors.get(name, ""),
            choices=choices,
        )
        for name, label, widget, required, choices in spec
    ]


def patient_zone(db: Session, patient_id: int) -> ZoneInfo:
    """The time zone of the patient's site; UTC when the site sets none."""
    patient = db.get_one(Patient, patient_id)
    name = (db.get_one(Site, patient.site_id).settings or {}).get("time_zone")
    try:
        return ZoneInfo(str(name)) if name else UTC_ZONE
    except (ZoneInfoNotFoundError, ValueError):
        return UTC_ZONE


def _names(db: Session, user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    rows = db.execute(select(User.id, User.display_name).where(User.id.in_(user_ids)))
    return dict(rows.all())


def recommendation_views(
    db: Session, episode_id: int, site_ids: frozenset[int]
) -> tuple[list[RecommendationView], list[StoredRecommendation]]:
    """Current recommendations (most urgent first) with their rule's superseded rows; and the
    withdrawn ones (their rule no longer fires), newest first."""
    rows = recommendations.list_recommendations(
        db=db, episode_id=episode_id, site_ids=site_ids, include_superseded=True
    )
    names = _names(db, {r.decided_by_id for r in rows if r.decided_by_id is not None})
    earlier: dict[str, list[StoredRecommendation]] = {}
    for row in sorted(rows, key=lambda r: (r.raised_at, r.id), reverse=True):
        if row.superseded_at is not None:
            earlier.setdefault(row.rule_id, []).append(row)
    current = [
        RecommendationView(
            row=row,
            decided_by=names.get(row.decided_by_id, "") if row.decided_by_id else "",
            history=earlier.pop(row.rule_id, []),
        )
        for row in rows
        if row.superseded_at is None
    ]
    withdrawn = sorted(
        (row for gone in earlier.values() for row in gone),
        key=lambda r: (r.superseded_at, r.id),
        reverse=True,
    )
    return current, withdrawn


def task_views(
    db: Session, episode_id: int, site_ids: frozenset[int], at: datetime
) -> list[TaskView]:
    """The episode's tasks: open ones soonest due first, then done and cancelled ones."""
    rows = care.list_tasks(db=db, site_ids=site_ids, episode_id=episode_id, statuses=ALL_STATUSES)
    views = [
        TaskView(t, overdue_by(due=t.due_at, is_open=t.status is TaskStatus.OPEN, at=at))
        for t in rows
    ]
    return sorted(views, key=lambda v: v.task.status is not TaskStatus.OPEN)


def care_section(
    db: Session,
    episode: EpisodeOut,
    site_ids: frozenset[int],
    *,
    refusal: Refusal | None = None,
    notice: str = "",
) -> CareSection:
    """One episode's recommendations, tasks, appointments and team, with its forms."""
    at = now(db)
    team = care.list_team_members(db=db, episode_id=episode.id, site_ids=site_ids)
    current, withdrawn = recommendation_views(db, episode.id, site_ids)
    section = CareSection(
        episode=episode,
        recommendations=current,
        withdrawn=withdrawn,
        tasks=task_views(db, episode.id, site_ids, at),
        appointments=care.list_appointments(db=db, episode_id=episode.id, site_ids=site_ids),
        team=team,
        names=_names(db, {m.user_id for m in team if m.user_id is not None}),
        zone=patient_zone(db, episode.patient_id).key,
        refusal=refusal,
        notice=notice,
    )
    section.forms = {target: form_of(target, spec, refusal) for target, spec in FORMS.items()}
    return section


def care_sections(
    db: Session,
    episodes: Sequence[EpisodeOut],
    site_ids: frozenset[int],
    *,
    refused: tuple[int, Refusal] | None = None,
) -> list[CareSection]:
    """The sections of the open episodes (a refused form shown in its own episode)."""
    return [
        care_section(
            db,
            episode,
            site_ids,
            refusal=refused[1] if refused is not None and refused[0] == episode.id else None,
        )
        for episode in episodes
        if episode.status is EpisodeStatus.OPEN
    ]
