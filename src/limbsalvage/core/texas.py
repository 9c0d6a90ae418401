"""University of Texas wound grade 0–3 (depth) × stage A–D (infection, ischaemia), e.g. "2B"."""

from dataclasses import dataclass
from enum import StrEnum

from limbsalvage.core.fields import InputField, Kind, System
from limbsalvage.core.result import Classification, explanation_field
from limbsalvage.core.tables.texas import (
    PROBES_TO_BONE_OUTCOME,
    STAGE_A_OUTCOME,
    STAGE_D_OUTCOME,
    TEXAS_MATRIX,
    TEXAS_OUTCOMES,
)
from limbsalvage.core.validate import choice, flag


class WoundDepth(StrEnum):
    """Deepest structure the wound reaches."""

    EPITHELIALIZED = "epithelialized"  # pre- or post-ulcerative, completely epithelialized
    SUPERFICIAL = "superficial"  # not involving tendon, capsule or bone
    TENDON_OR_CAPSULE = "tendon_or_capsule"
    BONE_OR_JOINT = "bone_or_joint"


class TexasStage(StrEnum):
    """Stage by infection and ischaemia."""

    A = "A"  # clean: neither
    B = "B"  # infected, not ischaemic
    C = "C"  # ischaemic, not infected
    D = "D"  # infected and ischaemic


_GRADE = {depth: grade for grade, depth in enumerate(WoundDepth)}
_STAGE = {
    (False, False): TexasStage.A,
    (True, False): TexasStage.B,
    (False, True): TexasStage.C,
    (True, True): TexasStage.D,
}
_STAGE_WORDS = {
    TexasStage.A: "neither infected nor ischaemic",
    TexasStage.B: "infected, not ischaemic",
    TexasStage.C: "ischaemic, not infected",
    TexasStage.D: "infected and ischaemic",
}
_DEPTH_WORDS = {
    WoundDepth.EPITHELIALIZED: "pre- or post-ulcerative lesion, completely epithelialized",
    WoundDepth.SUPERFICIAL: "superficial wound not involving tendon, capsule or bone",
    WoundDepth.TENDON_OR_CAPSULE: "wound penetrating to tendon or capsule",
    WoundDepth.BONE_OR_JOINT: "wound penetrating to bone or joint",
}


@dataclass(frozen=True, kw_only=True)
class TexasResult(Classification):
    """A University of Texas grade and stage, with published cohort figures where they apply."""

    system = "texas"
    grade: int
    stage: TexasStage
    code: str
    published_outcomes: tuple[str, ...] = explanation_field()


def classify_texas(*, wound_depth: str, infection: bool, ischemia: bool) -> TexasResult:
    """Grade (depth) and stage (infection, ischaemia) a diabetic foot wound."""
    depth = choice("wound_depth", wound_depth, list(WoundDepth))
    infected = flag("infection", infection)
    ischaemic = flag("ischemia", ischemia)
    grade = _GRADE[depth]
    stage = _STAGE[(infected, ischaemic)]
    outcomes = []
    tables = [TEXAS_MATRIX]
    if stage is TexasStage.A:
        outcomes.append(STAGE_A_OUTCOME)
    if stage is TexasStage.D:
        outcomes.append(STAGE_D_OUTCOME)
    if depth is WoundDepth.BONE_OR_JOINT:
        outcomes.append(PROBES_TO_BONE_OUTCOME)
    if outcomes:
        tables.append(TEXAS_OUTCOMES)
    code = f"{grade}{stage.value}"
    return TexasResult(
        grade=grade,
        stage=stage,
        code=code,
        published_outcomes=tuple(outcomes),
        inputs={"wound_depth": depth.value, "infection": infected, "ischemia": ischaemic},
        rationale=(
            f"{_DEPTH_WORDS[depth]} → grade {grade}; {_STAGE_WORDS[stage]} → stage "
            f"{stage.value}: {code}"
        ),
        source=TEXAS_MATRIX.cite(),
        tables=tuple(tables),
    )


SYSTEM = System(
    name="texas",
    title="University of Texas diabetic wound classification",
    fields=(
        InputField(
            "wound_depth",
            Kind.CHOICE,
            "epithelialized, superficial, tendon_or_capsule or bone_or_joint",
            choices=tuple(d.value for d in WoundDepth),
        ),
        InputField("infection", Kind.FLAG, "the wound is infected"),
        InputField("ischemia", Kind.FLAG, "the foot is ischaemic"),
    ),
    classify=classify_texas,
    example="--wound-depth tendon_or_capsule --infection --no-ischemia",
)
