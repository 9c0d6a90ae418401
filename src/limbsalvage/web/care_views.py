"""Read models of an episode's decision support and coordination, as the chart draws them.

Per open episode: the current recommendations (most urgent first) with their basis, answer and
earlier versions; the tasks with their due times and how overdue; the tracked appointments; the
care team; and the forms to act on them, a refused form keeping what was typed.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.accounts.models import Site, User
from limbsalvage.care import service as care
from limbsalvage.care.models import Appointment, CareTask, CareTeamMember
from limbsalvage.core.coordination.tasks import overdue_by
from limbsalvage.core.fields import Kind
from limbsalvage.core.vocabulary import CareRole, EpisodeStatus, TaskStatus, Urgency
from limbsalvage.db.clock import now
from limbsalvage.errors import FieldProblem
from limbsalvage.facts import service as facts
from limbsalvage.facts.models import ClinicianFact
from limbsalvage.facts.service import FIELDS as FACT_FIELDS
from limbsalvage.patients.models import Episode, Patient
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
    facts: list[str] | None = None  # the clinician facts it was computed with, who and when


def fact_text(value: object) -> str:
    """A fact's value as the chart writes it (yes/no, a number, a text; cleared when none)."""
    if value is None:
        return "cleared (unknown)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def fact_box(value: object) -> str:
    """A fact's value as its form box holds it."""
    return "" if value is None else fact_text(value)


@dataclass(frozen=True)
class FactLine:
    """One fact entry as the chart shows it: what, which value, who gave it and when."""

    name: str
    label: str
    value: str
    by: str
    at: str
    note: str = ""
    not_used: str = ""  # why the fact in force is not used (the registry holds it)


@dataclass
class FactsView:
    """The facts in force and every entry, newest first."""

    in_force: list[FactLine] = field(default_factory=list)
    history: list[FactLine] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)  # prefill of the form


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
    facts: FactsView = field(default_factory=FactsView)

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
# The facts only a clinician can give (limbsalvage.facts.service.RECORDABLE), labelled with the
# engine's own description (docs/pathway/input.md); stored per episode with who and when.
FACT_WIDGETS = {
    Kind.FLAG: "select",
    Kind.NUMBER: "number",
    Kind.CHOICE: "select",
    Kind.TEXT: "text",
}
FACT_FORM = tuple(
    (
        name,
        spec.help,
        FACT_WIDGETS[spec.kind],
        False,
        YES_NO if spec.kind is Kind.FLAG else tuple((c, c) for c in spec.choices),
    )
    for name, spec in FACT_FIELDS.items()
)
FACT_NOTE = (
    ("note", "Note on this change (source, e.g. vein mapping of 1 March)", "text", False, ()),
)
FORMS = {
    "task": TASK_FORM,
    "appointment": APPOINTMENT_FORM,
    "team": TEAM_FORM,
    "facts": (*FACT_FORM, *FACT_NOTE),
}


def form_of(
    target: str,
    spec: Sequence[tuple[str, str, str, bool, tuple[tuple[str, str], ...]]],
    refusal: Refusal | None,
    prefill: Mapping[str, str] | None = None,
) -> list[FormField]:
    """The fields of one coordination form, with what was typed when it was refused (else
    `prefill`: the values in force)."""
    mine = refusal is not None and refusal.target == target
    typed = refusal.typed if mine and refusal is not None else (prefill or {})
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


def recomputed_notice(done: recommendations.RecomputeSummary) -> str:
    """What a recompute did, in the words every notice uses: a changed recommendation is a new
    pending version, to be answered again even when the old one was answered."""
    return (
        f"Recommendations recomputed: {len(done.added)} new, {len(done.changed)} changed "
        f"(answer again), {len(done.withdrawn)} withdrawn, {len(done.kept)} unchanged."
    )


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


def _when(at: datetime, zone: ZoneInfo) -> str:
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")


def _fact_basis(
    basis: list[dict[str, Any]] | None, names: Mapping[int, str], zone: ZoneInfo
) -> list[str] | None:
    """'usable_gsv: yes (A. Surgeon, 2026-03-02 09:30 GMT)' per clinician fact a row used."""
    if basis is None:
        return None
    lines = []
    for item in basis:
        by = names.get(item.get("recorded_by_id") or 0, "the system")
        at = _when(datetime.fromisoformat(str(item["recorded_at"])), zone)
        lines.append(f"{item['name']}: {fact_text(item['value'])} ({by}, {at})")
    return lines


def _fact_users(rows: Sequence[StoredRecommendation]) -> set[int]:
    return {
        item["recorded_by_id"]
        for r in rows
        for item in r.clinician_facts or ()
        if item.get("recorded_by_id") is not None
    }


def recommendation_views(
    db: Session, episode_id: int, site_ids: frozenset[int], zone: ZoneInfo = UTC_ZONE
) -> tuple[list[RecommendationView], list[StoredRecommendation]]:
    """Current recommendations (most urgent first) with their rule's superseded rows and the
    clinician facts each used; and the withdrawn ones (their rule no longer fires), newest
    first."""
    rows = recommendations.list_recommendations(
        db=db, episode_id=episode_id, site_ids=site_ids, include_superseded=True
    )
    names = _names(
        db, {r.decided_by_id for r in rows if r.decided_by_id is not None} | _fact_users(rows)
    )
    earlier: dict[str, list[StoredRecommendation]] = {}
    for row in sorted(rows, key=lambda r: (r.raised_at, r.id), reverse=True):
        if row.superseded_at is not None:
            earlier.setdefault(row.rule_id, []).append(row)
    current = [
        RecommendationView(
            row=row,
            decided_by=names.get(row.decided_by_id, "") if row.decided_by_id else "",
            history=earlier.pop(row.rule_id, []),
            facts=_fact_basis(row.clinician_facts, names, zone),
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


def _line(row: ClinicianFact, names: Mapping[int, str], zone: ZoneInfo) -> FactLine:
    return FactLine(
        name=row.name,
        label=FACT_FIELDS[row.name].help if row.name in FACT_FIELDS else row.name,
        value=fact_text(row.value),
        by=names.get(row.recorded_by_id or 0, "the system"),
        at=_when(row.recorded_at, zone),
        note=row.note or "",
    )


def facts_view(db: Session, episode_id: int, site_ids: frozenset[int], zone: ZoneInfo) -> FactsView:
    """The clinician facts in force (who, when, whether the registry holds it now) and history."""
    history = facts.fact_history(db=db, episode_id=episode_id, site_ids=site_ids)
    names = _names(db, {r.recorded_by_id for r in history if r.recorded_by_id is not None})
    in_force = facts.facts_in_force(db=db, episode_id=episode_id, site_ids=site_ids)
    taken = facts.shadowed(db, db.get_one(Episode, episode_id), in_force)
    view = FactsView(history=[_line(row, names, zone) for row in history])
    for name, row in in_force.items():
        line = _line(row, names, zone)
        if name in taken:
            line = replace(line, not_used=f"not used: {taken[name]} is used instead")
        view.in_force.append(line)
        view.values[name] = fact_box(row.value)
    return view


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
    zone = patient_zone(db, episode.patient_id)
    current, withdrawn = recommendation_views(db, episode.id, site_ids, zone)
    section = CareSection(
        episode=episode,
        recommendations=current,
        withdrawn=withdrawn,
        tasks=task_views(db, episode.id, site_ids, at),
        appointments=care.list_appointments(db=db, episode_id=episode.id, site_ids=site_ids),
        team=team,
        names=_names(db, {m.user_id for m in team if m.user_id is not None}),
        zone=zone.key,
        refusal=refusal,
        notice=notice,
    )
    section.facts = facts_view(db, episode.id, site_ids, section.zone_info)
    section.forms = {
        target: form_of(target, spec, refusal, section.facts.values if target == "facts" else None)
        for target, spec in FORMS.items()
    }
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
