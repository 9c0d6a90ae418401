"""Recordable facts the registry may hold itself for an episode; when it does, its value wins.

A clinician records a fact only while the registry cannot supply it: the patient record's
ambulatory status gives `ambulatory`, and the episode's wound measurements give
`wound_area_reduction_4wk_pct` (`core.wound_area.four_week_area_reduction`). While the registry
holds one, the pathway uses the registry's value, the stored fact is shown "not used", and
recording a new value is refused naming where the value comes from.
"""

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.core.errors import CannotClassify, InvalidInput
from limbsalvage.core.pathway.state import parse_value
from limbsalvage.core.vocabulary import AmbulatoryStatus
from limbsalvage.core.wound_area import AreaPoint, AreaReduction, four_week_area_reduction
from limbsalvage.patients.models import Episode, Patient
from limbsalvage.wounds.models import Wound, WoundMeasurement

WALKING = frozenset({AmbulatoryStatus.INDEPENDENT, AmbulatoryStatus.WITH_ASSISTANCE})
WOUND_REDUCTION = "wound_area_reduction_4wk_pct"
# The engine's field stops here (core/pathway/state.py); a wound grown more than elevenfold is
# given at this floor, which is still a failure to shrink for any cut-off the engine reads.
REDUCTION_FLOOR_PCT = -1000.0


@dataclass(frozen=True)
class Held:
    """A fact's value as the registry holds it: `source` says where (a refusal's words),
    `basis` how it was obtained (added to the rationale of each recommendation using it)."""

    value: object
    source: str
    basis: str


def _ambulatory(db: Session, episode: Episode) -> Held | None:
    status = db.get_one(Patient, episode.patient_id).ambulatory_status
    if status is None:
        return None
    return Held(
        value=status in WALKING,
        source="the patient's ambulatory status in the patient record",
        basis=f"the patient record's ambulatory status ({str(status).replace('_', ' ')})",
    )


def _four_week_reductions(db: Session, episode: Episode) -> list[tuple[Wound, AreaReduction]]:
    """Each wound of the episode with its 4-week reduction; empty when any wound has none."""
    query = select(Wound).where(Wound.episode_id == episode.id).order_by(Wound.id)
    wounds = list(db.scalars(query))
    rows = db.scalars(
        select(WoundMeasurement)
        .where(
            WoundMeasurement.wound_id.in_([w.id for w in wounds]),
            WoundMeasurement.area_cm2.is_not(None),
        )
        .order_by(WoundMeasurement.measured_on, WoundMeasurement.id)
    )
    points: dict[int, list[AreaPoint]] = {w.id: [] for w in wounds}
    for row in rows:
        assert row.area_cm2 is not None  # selected so
        points[row.wound_id].append(AreaPoint(row.measured_on, row.area_cm2))
    reductions = []
    for wound in wounds:
        try:
            reductions.append((wound, four_week_area_reduction(points=points[wound.id])))
        except CannotClassify:
            # A wound without a 4-week reduction (fewer than two measured days, none near day
            # 28, a zero baseline): the limb's worst trajectory is unknown, so the registry
            # gives nothing and the clinician's fact, if any, is used.
            return []
    return reductions


def _wound_reduction(db: Session, episode: Episode) -> Held | None:
    reductions = _four_week_reductions(db, episode)
    if not reductions:
        return None
    # Several wounds: the least reduction. GVG 2019 (rec. 6.9, 6.10) asks whether *the* wound
    # failed to shrink ≥50% in 4 weeks; on a limb with several wounds one that is not healing
    # is the one that threatens it, as WIfI grades the limb by its worst wound (Mills 2014).
    # Taking a better-healing wound would hide a failing one and withhold revascularization.
    wound, worst = min(reductions, key=lambda item: (item[1].percent_reduction, item[0].id))
    value, floor = worst.percent_reduction, ""
    try:
        parse_value(WOUND_REDUCTION, value)
    except InvalidInput:
        value = REDUCTION_FLOOR_PCT
        floor = f", given as {REDUCTION_FLOOR_PCT:g}% (the field's floor)"
    change = (
        f"{worst.percent_reduction:.1f}% smaller"
        if worst.percent_reduction >= 0
        else f"{-worst.percent_reduction:.1f}% larger"
    )
    others = f"; the least of {len(reductions)} wounds" if len(reductions) > 1 else ""
    return Held(
        value=value,
        source=f"the wound measurements (wound '{wound.label}': 4-week area reduction)",
        basis=(
            f"the wound measurements: wound '{wound.label}' {worst.baseline_area_cm2:.2f} cm² on "
            f"{worst.baseline_on.isoformat()} → {worst.area_cm2:.2f} cm² on "
            f"{worst.measured_on.isoformat()} (day {worst.days}), {change}{floor}{others}"
        ),
    )


# Each recordable fact the registry may hold → how to read it for an episode.
SUPPLIERS: Mapping[str, Callable[[Session, Episode], Held | None]] = MappingProxyType(
    {"ambulatory": _ambulatory, WOUND_REDUCTION: _wound_reduction}
)


def registry_held(
    db: Session, episode: Episode, names: Collection[str] | None = None
) -> dict[str, Held]:
    """The recordable facts (among `names`, else all) the registry holds for the episode now."""
    held = {
        name: supply(db, episode)
        for name, supply in SUPPLIERS.items()
        if names is None or name in names
    }
    return {name: value for name, value in held.items() if value is not None}


__all__ = ["SUPPLIERS", "WALKING", "Held", "registry_held"]
