"""Read models of procedures, outcome events and follow-up on the chart, limb by limb.

Each limb's timeline lists its assessments, procedures (with treated segments, grafts and the
event a procedure owns), limb events and the follow-up visits of its episodes in date order;
patient events (death, myocardial infarction, stroke, readmission) are listed apart. The forms
are built from the registry's input schemas; a refused one keeps what was typed.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.assessments.models import Assessment
from limbsalvage.events import service as events
from limbsalvage.events.models import FollowUp, OutcomeEvent
from limbsalvage.events.schemas import FollowUpCreate, OutcomeEventCreate
from limbsalvage.patients.models import Limb
from limbsalvage.procedures.models import Graft, Procedure, TreatedSegment
from limbsalvage.procedures.schemas import GraftCreate, ProcedureCreate, TreatedSegmentCreate
from limbsalvage.web.care_views import Refusal
from limbsalvage.web.chart_views import ChartRows
from limbsalvage.web.findings_views import words
from limbsalvage.web.forms import FLAG_CHOICES, FormField, form_fields
from limbsalvage.web.patient_views import EpisodeOut

PROCEDURE_NAMES = (
    "side",
    "episode_id",
    "performed_on",
    "kind",
    "amputation_level",
    "conduit",
    "drug_eluting",
    "technical_success",
    "complications",
)
SEGMENT_NAMES = ("segment", "lesion", "lesion_length_cm", "residual_stenosis_pct")
GRAFT_NAMES = ("inflow_segment", "outflow_segment")
EVENT_NAMES = (
    "kind",
    "occurred_on",
    "side",
    "episode_id",
    "amputation_level",
    "death_cause",
    "description",
    "graft_id",
    "treated_segment_id",
)
FOLLOW_UP_NAMES = ("episode_id", *FollowUpCreate.model_fields)
ANSWERS = tuple((str(n), str(n)) for n in range(1, 5))


class FollowUpForm(FollowUpCreate):
    """The follow-up form: which episode, then the visit."""

    episode_id: int


@dataclass(frozen=True)
class Entry:
    """One dated line of a limb's timeline."""

    on: date
    kind: str
    text: str


@dataclass(frozen=True)
class LimbTimeline:
    """A limb's entries, oldest first."""

    side: str
    entries: list[Entry]


@dataclass
class OutcomeSection:
    """The chart's procedures and outcomes: timelines per limb, patient events, the forms."""

    limbs: list[LimbTimeline]
    patient_events: list[Entry]
    forms: dict[str, list[FormField]] = field(default_factory=dict)
    refusal: Refusal | None = None

    def problems_for(self, target: str) -> Sequence[object]:
        """The refused form's messages when `target` is the refused form."""
        if self.refusal is not None and self.refusal.target == target:
            return self.refusal.problems
        return ()


def _procedure_text(procedure: Procedure, index_ids: set[int], owned: OutcomeEvent | None) -> str:
    parts = [words(procedure.kind)]
    if procedure.amputation_level is not None:
        parts.append(f"at {words(procedure.amputation_level)} level")
    if procedure.conduit is not None:
        parts.append(f"conduit {words(procedure.conduit)}")
    parts += [f"segment {words(s.segment)}" for s in procedure.segments]
    parts += [
        f"graft {words(g.inflow_segment)} to {words(g.outflow_segment)}" for g in procedure.grafts
    ]
    if procedure.technical_success is not None:
        parts.append("technical success" if procedure.technical_success else "technical failure")
    if procedure.id in index_ids:
        parts.append("index procedure")
    if owned is not None:
        parts.append(f"counts as {words(owned.kind)}")
    return "; ".join(parts)


def _event_text(event: OutcomeEvent, targets: "PatencyTargets | None" = None) -> str:
    text = words(event.kind)
    if targets is not None and event.graft_id is not None:
        text += f" of graft {dict(targets.grafts).get(str(event.graft_id), event.graft_id)}"
    if targets is not None and event.treated_segment_id is not None:
        segment = event.treated_segment_id
        text += f" of segment {dict(targets.segments).get(str(segment), segment)}"
    if event.amputation_level is not None:
        text += f" at {words(event.amputation_level)} level"
    if event.death_cause is not None:
        text += f" ({words(event.death_cause)})"
    return text + (f": {event.description}" if event.description else "")


def _follow_up_text(visit: FollowUp) -> str:
    score = events.vascuqol6_score(visit)
    text = f"follow-up ({words(visit.contact)})"
    if visit.ambulatory_status is not None:
        text += f", {words(visit.ambulatory_status)}"
    if score.value is not None:
        text += f", VascuQoL-6 total {score.value} of 24"
    return text


def _assessment_text(assessment: Assessment) -> str:
    parts = ["assessment"]
    if assessment.presentation is not None:
        parts.append(words(assessment.presentation))
    if assessment.discipline is not None:
        parts.append(f"by {words(assessment.discipline)}")
    return ", ".join(parts)


def limb_timeline(limb: Limb, rows: ChartRows, patency: "PatencyTargets") -> LimbTimeline:
    """Assessments, procedures, limb events and follow-up of one limb, in date order."""
    episodes = [e for e in rows.episodes if e.limb_id == limb.id]
    episode_ids = {e.id for e in episodes}
    index_ids = {e.index_procedure_id for e in episodes if e.index_procedure_id is not None}
    limb_events = [e for e in rows.events if e.limb_id == limb.id]
    owned = {e.procedure_id: e for e in limb_events if e.procedure_id is not None}
    entries = [
        Entry(a.assessed_on, "assessment", _assessment_text(a))
        for a in rows.assessments
        if a.episode_id in episode_ids
    ]
    entries += [
        Entry(p.performed_on, "procedure", _procedure_text(p, index_ids, owned.get(p.id)))
        for p in rows.procedures
        if p.limb_id == limb.id
    ]
    entries += [
        Entry(e.occurred_on, "event", _event_text(e, patency))
        for e in limb_events
        if e.procedure_id is None
    ]
    entries += [
        Entry(v.seen_on, "follow-up", _follow_up_text(v))
        for v in rows.follow_ups
        if v.episode_id in episode_ids
    ]
    return LimbTimeline(words(limb.side), sorted(entries, key=lambda e: (e.on, e.kind)))


def _with_episodes(fields: list[FormField], episodes: Sequence[EpisodeOut]) -> list[FormField]:
    """The episode box as a choice among the patient's episodes."""
    choices = tuple(
        (str(e.id), f"{words(e.side)} {words(e.cause)}, presented {e.presented_on.isoformat()}")
        for e in episodes
    )
    return [
        replace(f, widget="select", choices=choices, label="episode")
        if f.name == "episode_id"
        else f
        for f in fields
    ]


@dataclass(frozen=True)
class PatencyTargets:
    """The patient's grafts and treated segments a loss of patency may name, as choices."""

    grafts: tuple[tuple[str, str], ...] = ()
    segments: tuple[tuple[str, str], ...] = ()


def patency_targets(db: Session, patient_id: int) -> PatencyTargets:
    """Each graft and treated segment of the patient, labelled by limb, procedure and date."""
    grafts = db.execute(
        select(Graft, Procedure, Limb)
        .join(Procedure, Procedure.id == Graft.procedure_id)
        .join(Limb, Limb.id == Procedure.limb_id)
        .where(Graft.patient_id == patient_id)
        .order_by(Procedure.performed_on, Graft.id)
    ).all()
    segments = db.execute(
        select(TreatedSegment, Procedure, Limb)
        .join(Procedure, Procedure.id == TreatedSegment.procedure_id)
        .join(Limb, Limb.id == Procedure.limb_id)
        .where(TreatedSegment.patient_id == patient_id)
        .order_by(Procedure.performed_on, TreatedSegment.id)
    ).all()

    def made_by(procedure: Procedure, limb: Limb) -> str:
        kind, side = words(procedure.kind), words(limb.side)
        return f"{side} {kind} {procedure.performed_on.isoformat()}"

    return PatencyTargets(
        grafts=tuple(
            (
                str(graft.id),
                f"{made_by(procedure, limb)}: {words(graft.inflow_segment)} to "
                f"{words(graft.outflow_segment)}",
            )
            for graft, procedure, limb in grafts
        ),
        segments=tuple(
            (str(segment.id), f"{made_by(procedure, limb)}: {words(segment.segment)}")
            for segment, procedure, limb in segments
        ),
    )


def _with_patency_targets(fields: list[FormField], targets: PatencyTargets) -> list[FormField]:
    """The graft and segment boxes as choices among the patient's own (loss of patency only)."""
    boxes = {
        "graft_id": ("graft (loss of patency)", targets.grafts),
        "treated_segment_id": ("treated segment (loss of patency)", targets.segments),
    }
    return [
        replace(f, widget="select", label=boxes[f.name][0], choices=boxes[f.name][1])
        if f.name in boxes
        else f
        for f in fields
    ]


def outcome_forms(
    episodes: Sequence[EpisodeOut],
    refusal: Refusal | None,
    targets: PatencyTargets = PatencyTargets(),
) -> dict[str, list[FormField]]:
    """The procedure, event and follow-up forms (the refused one with what was typed)."""

    def fields(target: str, model: type, names: Sequence[str]) -> list[FormField]:
        mine = refusal is not None and refusal.target == target
        typed = dict(refusal.typed) if mine and refusal is not None else {}
        problems = list(refusal.problems) if mine and refusal is not None else []
        return form_fields(model, values=typed, problems=problems, names=names)

    follow_up = [
        replace(f, widget="select", choices=ANSWERS) if f.name.startswith("vascuqol6_") else f
        for f in fields("follow-up", FollowUpForm, FOLLOW_UP_NAMES)
    ]
    return {
        "procedure": [
            *_with_episodes(fields("procedure", ProcedureCreate, PROCEDURE_NAMES), episodes),
            FormField(
                name="index_procedure",
                label="index procedure of its episode",
                widget="select",
                required=False,
                value=refusal.typed.get("index_procedure", "")
                if refusal is not None and refusal.target == "procedure"
                else "",
                error=refusal.errors().get("index_procedure", "")
                if refusal is not None and refusal.target == "procedure"
                else "",
                choices=FLAG_CHOICES,
            ),
        ],
        "segment": fields("procedure", TreatedSegmentCreate, SEGMENT_NAMES),
        "graft": fields("procedure", GraftCreate, GRAFT_NAMES),
        "event": _with_patency_targets(
            _with_episodes(fields("event", OutcomeEventCreate, EVENT_NAMES), episodes), targets
        ),
        "follow-up": _with_episodes(follow_up, episodes),
    }


def outcome_section(
    db: Session,
    patient_id: int,
    episodes: Sequence[EpisodeOut],
    rows: ChartRows,
    *,
    refusal: Refusal | None = None,
) -> OutcomeSection:
    """The patient's limb timelines, patient events and the forms."""
    patency = patency_targets(db, patient_id)
    patient_events = sorted(
        (e for e in rows.events if e.limb_id is None), key=lambda e: (e.occurred_on, e.id)
    )
    return OutcomeSection(
        limbs=[
            limb_timeline(limb, rows, patency)
            for limb in sorted(rows.limbs, key=lambda limb: limb.side)
        ],
        patient_events=[Entry(e.occurred_on, "event", _event_text(e)) for e in patient_events],
        forms=outcome_forms(episodes, refusal, patency),
        refusal=refusal,
    )
