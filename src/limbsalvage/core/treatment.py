"""Values derived from coded treatment data by cited tables, never typed by a user.

Each function returns a `Derived` naming the value, the rule that fired and the table used.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from limbsalvage.core.errors import InvalidInput
from limbsalvage.core.sources import Table
from limbsalvage.core.tables import medications as meds
from limbsalvage.core.tables import vascuqol as vq
from limbsalvage.core.tables.outcomes import (
    DEFAULT_MAJOR_AMPUTATION,
    MAJOR_AMPUTATION_LEVELS,
    MAJOR_AMPUTATION_TABLE,
    MAJOR_REINTERVENTION_PROCEDURES,
    MAJOR_REINTERVENTION_TABLE,
    REVASCULARIZATION_PROCEDURES,
    MajorAmputationDefinition,
)
from limbsalvage.core.vocabulary import (
    AMPUTATION_LEVELS_DISTAL_TO_PROXIMAL,
    AmputationLevel,
    Drug,
    OutcomeEventKind,
    ProcedureKind,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Derived(Generic[T]):
    """A derived value with the rule that produced it and the table it came from."""

    value: T
    rule: str
    table: Table

    @property
    def citation(self) -> str:
        """The full citation of the table used."""
        return self.table.cite()


def level_rank(level: AmputationLevel) -> int:
    """Position from distal (0, toe) to proximal (hemipelvectomy)."""
    return AMPUTATION_LEVELS_DISTAL_TO_PROXIMAL.index(level)


def is_more_proximal(level: AmputationLevel, than: AmputationLevel) -> bool:
    """Whether `level` is higher up the limb than `than`."""
    return level_rank(level) > level_rank(than)


def is_major_amputation(
    level: AmputationLevel,
    definition: MajorAmputationDefinition = DEFAULT_MAJOR_AMPUTATION,
) -> Derived[bool]:
    """Whether an amputation at `level` is major under `definition` (the outcomes default).

    The table is the one outcomes derive endpoints from (`core.tables.outcomes`), so the
    registry's amputation events and the endpoints always agree.
    """
    major = level in MAJOR_AMPUTATION_LEVELS[definition]
    rule = f"{level.value} is {'major' if major else 'minor'} under the {definition.value} reading"
    if level is AmputationLevel.SYME:
        rule += (
            " (Syme, an ankle disarticulation, is major only when amputations at the level of "
            "the ankle count: PARC 2015)"
        )
    return Derived(major, rule, MAJOR_AMPUTATION_TABLE)


def amputation_event_kind(
    level: AmputationLevel,
    definition: MajorAmputationDefinition = DEFAULT_MAJOR_AMPUTATION,
) -> OutcomeEventKind:
    """The outcome event an amputation at `level` stands for."""
    major = is_major_amputation(level, definition).value
    return OutcomeEventKind.MAJOR_AMPUTATION if major else OutcomeEventKind.MINOR_AMPUTATION


class ReinterventionClass(StrEnum):
    """How a revascularisation after the index procedure counts for MALE."""

    MAJOR = "major"
    MINOR = "minor"


def reintervention_class(kind: ProcedureKind) -> Derived[ReinterventionClass | None]:
    """Major or minor reintervention for a revascularisation kind; None for other kinds."""
    if kind not in REVASCULARIZATION_PROCEDURES:
        rule = f"{kind.value} is not an arterial revascularisation: never a reintervention"
        return Derived(None, rule, MAJOR_REINTERVENTION_TABLE)
    found = (
        ReinterventionClass.MAJOR
        if kind in MAJOR_REINTERVENTION_PROCEDURES
        else ReinterventionClass.MINOR
    )
    rule = f"{kind.value} after the index procedure is a {found.value} reintervention"
    if kind is ProcedureKind.GRAFT_REVISION:
        rule += " (a jump or interposition graft; a patch revision is coded patch_angioplasty)"
    if kind is ProcedureKind.PATCH_ANGIOPLASTY:
        rule += " (a minor surgical revision: no new or jump/interposition graft)"
    return Derived(found, rule, MAJOR_REINTERVENTION_TABLE)


def drug_class(drug: Drug) -> meds.DrugClass:
    """The therapeutic class of a drug."""
    return meds.DRUG_CLASS[drug]


def statin_intensity(
    drug: Drug, daily_dose_mg: float | None
) -> Derived[meds.StatinIntensity | None]:
    """ACC/AHA intensity of a statin at a daily dose; None when the dose is not in the table."""
    if meds.DRUG_CLASS[drug] is not meds.DrugClass.STATIN:
        raise InvalidInput("drug", drug.value, "a statin")
    if daily_dose_mg is None:
        return Derived(
            None,
            f"{drug.value}: no daily dose recorded, so the intensity is unknown",
            meds.STATIN_INTENSITY_TABLE,
        )
    for band_drug, low, high, intensity in meds.STATIN_DOSE_BANDS:
        if band_drug is drug and low <= daily_dose_mg <= high:
            rule = f"{drug.value} {daily_dose_mg:g} mg/day is within {low:g}–{high:g} mg/day"
            return Derived(
                intensity, f"{rule}: {intensity.value} intensity", meds.STATIN_INTENSITY_TABLE
            )
    return Derived(
        None,
        f"{drug.value} {daily_dose_mg:g} mg/day is not a dose listed in the table; not classified",
        meds.STATIN_INTENSITY_TABLE,
    )


def vascuqol6_score(answers: Sequence[int | None]) -> Derived[int | None]:
    """The VascuQoL-6 total (6–24, higher is better); None unless all six items are answered."""
    if len(answers) != vq.ITEM_COUNT:
        raise InvalidInput("answers", len(answers), f"{vq.ITEM_COUNT} answers")
    for number, answer in enumerate(answers, start=1):
        if answer is not None and not vq.ANSWER_MIN <= answer <= vq.ANSWER_MAX:
            raise InvalidInput(f"vascuqol6_q{number}", answer, f"{vq.ANSWER_MIN}–{vq.ANSWER_MAX}")
    missing = [f"vascuqol6_q{n}" for n, a in enumerate(answers, start=1) if a is None]
    if missing:
        return Derived(None, f"no score: {', '.join(missing)} not answered", vq.VASCUQOL6_TABLE)
    total = sum(a for a in answers if a is not None)
    return Derived(
        total,
        f"sum of six answers = {total} (range {vq.TOTAL_MIN}–{vq.TOTAL_MAX}, higher is better)",
        vq.VASCUQOL6_TABLE,
    )
