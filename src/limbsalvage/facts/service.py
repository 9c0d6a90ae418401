"""Record the facts only a clinician can give about an episode; read those in force and history.

The record is append-only: each change is a new entry with who and when (and an optional note);
the latest entry per fact is the one in force, and an entry without a value clears the fact
(unknown again, never a default). Re-giving the value in force records nothing, so saving an
unchanged form adds no entry. Each value is checked against the pathway engine's field.
"""

from collections.abc import Collection, Mapping
from types import MappingProxyType
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.care.scope import visible_episode
from limbsalvage.core.errors import ClassificationError, InvalidInput
from limbsalvage.core.fields import InputField
from limbsalvage.core.pathway import build_state
from limbsalvage.core.pathway.state import FIELDS_BY_NAME, parse_value
from limbsalvage.db.clock import now
from limbsalvage.db.guard import guarded
from limbsalvage.errors import FieldProblem, Invalid
from limbsalvage.facts.models import ClinicianFact
from limbsalvage.facts.registry import registry_held
from limbsalvage.patients.models import Episode
from limbsalvage.referrals.service import actor_id

# The pathway inputs a clinician records per episode: judgements and findings the registry
# does not hold (docs/pathway/input.md). Grades, measurements, patient data and medications
# come from the registry and are changed at their source; `ambulatory` and the 4-week wound
# reduction are recorded only while the registry cannot give them (facts.registry).
RECORDABLE: tuple[str, ...] = (
    "usable_gsv",
    "inflow_disease",
    "failed_endovascular",
    "isolated_perfusion_deficit",
    "deep_space_infection",
    "wet_gangrene",
    "wound_area_reduction_4wk_pct",
    "appropriate_care_4wk",
    "ulcer_not_healed_4_6_weeks",
    "perioperative_mortality_pct",
    "two_year_survival_pct",
    "patient_risk",
    "patient_risk_override_reason",
    "ambulatory",
    "limited_life_expectancy",
    "proposed_major_amputation",
    "anticoagulation_contraindicated",
    "superficial_reflux",
    "suspected_iliofemoral_obstruction",
    "mixed_arterial_venous",
)
FIELDS: Mapping[str, InputField] = MappingProxyType({n: FIELDS_BY_NAME[n] for n in RECORDABLE})
MAX_TEXT = 2000
MAX_NAME = 40


def _latest(db: Session, episode_id: int) -> dict[str, ClinicianFact]:
    """The latest entry per fact, clearing entries included."""
    rows = db.scalars(
        select(ClinicianFact)
        .where(ClinicianFact.episode_id == episode_id)
        .order_by(ClinicianFact.id)
    )
    return {row.name: row for row in rows}


def facts_in_force(
    *, db: Session, episode_id: int, site_ids: Collection[int] | None
) -> dict[str, ClinicianFact]:
    """The facts in force by name (cleared ones left out), in the order of `RECORDABLE`."""
    episode = visible_episode(db, episode_id, site_ids)
    latest = _latest(db, episode.id)
    return {n: latest[n] for n in RECORDABLE if n in latest and latest[n].value is not None}


def fact_history(
    *, db: Session, episode_id: int, site_ids: Collection[int] | None
) -> list[ClinicianFact]:
    """Every entry of the episode, newest first."""
    episode = visible_episode(db, episode_id, site_ids)
    return list(
        db.scalars(
            select(ClinicianFact)
            .where(ClinicianFact.episode_id == episode.id)
            .order_by(ClinicianFact.id.desc())
        )
    )


def shadowed(db: Session, episode: Episode, names: Collection[str]) -> dict[str, str]:
    """Facts among `names` the registry now holds itself (facts.registry): name → where from;
    the registry's value wins."""
    return {name: held.source for name, held in registry_held(db, episode, names).items()}


def _value(name: str, raw: object) -> object:
    """The typed value of one fact (None clears it); refused naming the field and what fits."""
    if isinstance(raw, str) and len(raw) > MAX_TEXT:
        raise InvalidInput(name, "…", f"at most {MAX_TEXT} characters")
    if isinstance(raw, dict | list):
        raise InvalidInput(name, "…", "a single value")
    if isinstance(raw, str) and any(ord(c) < 32 for c in raw):
        raise InvalidInput(name, "…", "text without control characters (one line)")
    return parse_value(name, raw)


def _not_recordable(name: str) -> FieldProblem | None:
    if name in FIELDS:
        return None
    if name in FIELDS_BY_NAME:
        return FieldProblem(
            name,
            "comes from the registry (findings, staging, the patient record or medications); "
            "change it there",
        )
    shown = name if len(name) <= MAX_NAME else name[:MAX_NAME] + "…"
    return FieldProblem(shown, "is not an input of the pathway engine (docs/pathway/input.md)")


def _parsed(facts: Mapping[str, Any]) -> dict[str, object]:
    values: dict[str, object] = {}
    problems: list[FieldProblem] = []
    for name, raw in facts.items():
        refused = _not_recordable(name)
        if refused is not None:
            problems.append(refused)
            continue
        try:
            values[name] = _value(name, raw)
        except InvalidInput as error:
            problems.append(FieldProblem(error.field, f"must be {error.allowed}"))
    if problems:
        raise Invalid(
            message="; ".join(f"{p.field}: {p.message}" for p in problems), fields=problems
        )
    return values


def _consistent(episode: Episode, in_force: Mapping[str, object]) -> None:
    """The facts together must make sense to the engine (a risk group against the estimates)."""
    try:
        build_state({"cause": episode.cause.value, **in_force})
    except InvalidInput as error:
        message = f"must be {error.allowed}"
        raise Invalid(
            message=f"{error.field}: {message}", fields=[FieldProblem(error.field, message)]
        ) from error
    except ClassificationError as error:  # ContradictoryInput: the risk group vs the estimates
        field = getattr(error, "field", "facts")
        message = "contradicts the other facts given (a different patient_risk needs a reason)"
        raise Invalid(
            message=f"{field}: {message}", fields=[FieldProblem(field, message)]
        ) from error


def record_facts(
    *,
    db: Session,
    episode_id: int,
    facts: Mapping[str, Any],
    site_ids: Collection[int] | None,
    note: str | None = None,
) -> list[ClinicianFact]:
    """Record the facts that change (None or '' clears one); returns the new entries."""
    episode = visible_episode(db, episode_id, site_ids)
    values = _parsed(facts)
    latest = _latest(db, episode.id)
    changed = {
        name: value
        for name, value in values.items()
        if (latest[name].value if name in latest else None) != value
    }
    # Only a change is refused: a form re-sending a value now shadowed still saves.
    taken = shadowed(db, episode, [n for n, v in changed.items() if v is not None])
    if taken:
        problems = [
            FieldProblem(n, f"comes from {where}; change it there") for n, where in taken.items()
        ]
        raise Invalid(
            message="; ".join(f"{p.field}: {p.message}" for p in problems), fields=problems
        )
    in_force = {n: row.value for n, row in latest.items() if row.value is not None}
    in_force.update(changed)
    _consistent(episode, {n: v for n, v in in_force.items() if v is not None})
    instant, actor = now(db), actor_id(db)
    entries = [
        ClinicianFact(
            patient_id=episode.patient_id,
            episode_id=episode.id,
            name=name,
            value=value,
            note=note,
            recorded_by_id=actor,
            recorded_at=instant,
        )
        for name, value in sorted(changed.items(), key=lambda item: RECORDABLE.index(item[0]))
    ]
    with guarded(db, conflict_message="the facts could not be stored"):
        db.add_all(entries)
    return entries


__all__ = [
    "FIELDS",
    "RECORDABLE",
    "fact_history",
    "facts_in_force",
    "record_facts",
    "shadowed",
]
