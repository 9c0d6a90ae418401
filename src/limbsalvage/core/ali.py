"""Acute limb ischaemia category (I, IIa, IIb, III) from sensory, motor and Doppler findings."""

from dataclasses import dataclass
from enum import StrEnum

from limbsalvage.core.errors import CannotClassify
from limbsalvage.core.fields import InputField, Kind, System
from limbsalvage.core.result import Classification, explanation_field
from limbsalvage.core.tables.ali import (
    ALI_BY_CATEGORY,
    ALI_CATEGORIES_TABLE,
    CATEGORY_BY_RANK,
    FULL_PICTURE_RULE,
    MOTOR_RANK,
    SENSORY_RANK,
    WORST_FINDING_RULE,
    AliRow,
)
from limbsalvage.core.validate import choice, flag


class SensoryLoss(StrEnum):
    """Ischaemic sensory loss of the limb, from none to anaesthetic."""

    NONE = "none"
    TOES_ONLY = "toes_only"
    BEYOND_TOES_WITH_REST_PAIN = "beyond_toes_with_rest_pain"
    PROFOUND_ANAESTHETIC = "profound_anaesthetic"


class MuscleWeakness(StrEnum):
    """Ischaemic muscle weakness of the limb, from none to paralysis or rigor."""

    NONE = "none"
    MILD_MODERATE = "mild_moderate"
    PROFOUND_PARALYSIS_RIGOR = "profound_paralysis_rigor"


class AliCategory(StrEnum):
    """Clinical categories of acute limb ischaemia."""

    I = "I"  # noqa: E741 — the category is called I in the source
    IIA = "IIa"
    IIB = "IIb"
    III = "III"


@dataclass(frozen=True, kw_only=True)
class AliResult(Classification):
    """An acute limb ischaemia category with its label and prognosis."""

    system = "ali"
    category: AliCategory
    label: str
    prognosis: str = explanation_field()


_SYSTEM = "ali"
_FIELDS = ("sensory_loss", "muscle_weakness", "arterial_doppler_audible", "venous_doppler_audible")


def classify_ali(
    *,
    sensory_loss: str | None = None,
    muscle_weakness: str | None = None,
    arterial_doppler_audible: bool | None = None,
    venous_doppler_audible: bool | None = None,
) -> AliResult:
    """Categorise acute limb ischaemia; contradictory findings raise CannotClassify."""
    sensory = (
        None if sensory_loss is None else choice("sensory_loss", sensory_loss, list(SensoryLoss))
    )
    motor = (
        None
        if muscle_weakness is None
        else choice("muscle_weakness", muscle_weakness, list(MuscleWeakness))
    )
    arterial = (
        None
        if arterial_doppler_audible is None
        else flag("arterial_doppler_audible", arterial_doppler_audible)
    )
    venous = (
        None
        if venous_doppler_audible is None
        else flag("venous_doppler_audible", venous_doppler_audible)
    )
    if sensory is None or motor is None or arterial is None or venous is None:
        given = (sensory, motor, arterial, venous)
        missing = [name for name, value in zip(_FIELDS, given, strict=True) if value is None]
        raise CannotClassify(_SYSTEM, missing=missing, detail="the table needs all four findings")
    row, rule = _row(sensory, motor, arterial=arterial)
    _check_doppler(row, arterial=arterial, venous=venous)
    return AliResult(
        category=AliCategory(row.category),
        label=row.label,
        prognosis=row.prognosis,
        inputs={
            "sensory_loss": sensory.value,
            "muscle_weakness": motor.value,
            "arterial_doppler_audible": arterial,
            "venous_doppler_audible": venous,
        },
        rationale=f"{rule} → category {row.category} ({row.label}: {row.prognosis})",
        source=ALI_CATEGORIES_TABLE.cite(),
        provenance=row.provenance,
        tables=(ALI_CATEGORIES_TABLE,),
    )


def _row(sensory: SensoryLoss, motor: MuscleWeakness, *, arterial: bool) -> tuple[AliRow, str]:
    """The row the sensory and motor findings place the limb in, and the rule that placed it."""
    sensory_rank = SENSORY_RANK[sensory]
    motor_rank = MOTOR_RANK[motor]
    words = f"sensory loss {_words(sensory)}, muscle weakness {_words(motor)}"
    if 3 in (sensory_rank, motor_rank):
        if sensory_rank != motor_rank:
            raise CannotClassify(
                _SYSTEM,
                conflicts=[f"{words}: only one of the two findings of category III"],
                detail=FULL_PICTURE_RULE + "; re-examine the limb",
            )
        return ALI_BY_CATEGORY["III"], words
    if sensory_rank == motor_rank == 0:
        if arterial:
            return ALI_BY_CATEGORY["I"], "no sensory loss or weakness, audible arterial signal"
        return ALI_BY_CATEGORY["IIa"], "no sensory loss or weakness, inaudible arterial signal"
    rank = max(sensory_rank, motor_rank)
    if sensory_rank != motor_rank and not (sensory_rank == 1 and motor_rank == 0):
        words += f" ({WORST_FINDING_RULE})"
    return ALI_BY_CATEGORY[CATEGORY_BY_RANK[rank]], words


def _check_doppler(row: AliRow, *, arterial: bool, venous: bool) -> None:
    """Refuse Doppler findings that the placed row does not allow."""
    conflicts = []
    if arterial not in row.arterial_audible_allowed:
        conflicts.append(
            f"arterial Doppler {_audible(arterial)} but category {row.category} has "
            f"'{row.arterial_doppler}'"
        )
    if venous not in row.venous_audible_allowed:
        conflicts.append(
            f"venous Doppler {_audible(venous)} but the sensory and motor findings are those of "
            f"category {row.category} ('{row.venous_doppler}')"
        )
    if conflicts:
        raise CannotClassify(_SYSTEM, conflicts=conflicts, detail="re-examine the limb and Doppler")


_WORDS = {
    SensoryLoss.NONE: "none",
    SensoryLoss.TOES_ONLY: "of the toes only",
    SensoryLoss.BEYOND_TOES_WITH_REST_PAIN: "beyond the toes with rest pain",
    SensoryLoss.PROFOUND_ANAESTHETIC: "profound (anaesthetic)",
    MuscleWeakness.NONE: "none",
    MuscleWeakness.MILD_MODERATE: "mild to moderate",
    MuscleWeakness.PROFOUND_PARALYSIS_RIGOR: "profound (paralysis, rigor)",
}


def _words(value: SensoryLoss | MuscleWeakness) -> str:
    return _WORDS[value]


def _audible(audible: bool) -> str:
    return "audible" if audible else "inaudible"


SYSTEM = System(
    name="ali",
    title="Rutherford clinical category of acute limb ischaemia",
    fields=(
        InputField(
            "sensory_loss",
            Kind.CHOICE,
            "ischaemic sensory loss",
            choices=tuple(s.value for s in SensoryLoss),
        ),
        InputField(
            "muscle_weakness",
            Kind.CHOICE,
            "ischaemic muscle weakness",
            choices=tuple(m.value for m in MuscleWeakness),
        ),
        InputField(
            "arterial_doppler_audible",
            Kind.FLAG,
            "arterial Doppler signal audible in a pedal artery",
        ),
        InputField(
            "venous_doppler_audible",
            Kind.FLAG,
            "venous Doppler signal audible",
        ),
    ),
    classify=classify_ali,
    example=(
        "--sensory-loss toes_only --muscle-weakness none --no-arterial-doppler-audible "
        "--venous-doppler-audible"
    ),
)
