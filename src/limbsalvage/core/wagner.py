"""Wagner grade 0–5 of a diabetic foot lesion from its depth, deep infection and gangrene."""

from dataclasses import dataclass
from enum import StrEnum

from limbsalvage.core.errors import CannotClassify
from limbsalvage.core.fields import InputField, Kind, System
from limbsalvage.core.result import Classification, explanation_field
from limbsalvage.core.tables.wagner import (
    DEEP_ULCER_NOTE,
    GRADE_DESCRIPTIONS,
    WAGNER_GRADES,
    WHOLE_FOOT_NOTE,
)
from limbsalvage.core.validate import choice, flag


class UlcerDepth(StrEnum):
    """How deep the open lesion goes."""

    NONE = "none"  # intact skin: pre-ulcerative lesion, healed ulcer, deformity
    SUPERFICIAL = "superficial"  # skin or subcutaneous tissue
    DEEP = "deep"  # tendon, ligament, joint capsule or bone


class Gangrene(StrEnum):
    """Extent of gangrene."""

    NONE = "none"
    LOCALIZED = "localized"  # toes, forefoot or heel
    WHOLE_FOOT = "whole_foot"


@dataclass(frozen=True, kw_only=True)
class WagnerResult(Classification):
    """A Wagner grade with its published description."""

    system = "wagner"
    grade: int
    description: str = explanation_field()


def classify_wagner(
    *, gangrene: str, ulcer_depth: str | None = None, deep_infection: bool | None = None
) -> WagnerResult:
    """Grade a diabetic foot lesion by Wagner (0–5); gangrene decides before depth."""
    extent = choice("gangrene", gangrene, list(Gangrene))
    inputs: dict[str, object] = {"gangrene": extent.value}
    if extent is Gangrene.WHOLE_FOOT:
        return _result(5, inputs, "gangrene of the whole foot → grade 5", WHOLE_FOOT_NOTE)
    if extent is Gangrene.LOCALIZED:
        return _result(4, inputs, "localized gangrene (toes, forefoot or heel) → grade 4")
    if ulcer_depth is None:
        raise CannotClassify("wagner", missing=["ulcer_depth"], detail="no gangrene recorded")
    depth = choice("ulcer_depth", ulcer_depth, list(UlcerDepth))
    inputs["ulcer_depth"] = depth.value
    if deep_infection is not None:
        inputs["deep_infection"] = flag("deep_infection", deep_infection)
    if depth is UlcerDepth.NONE:
        if deep_infection:
            raise CannotClassify(
                "wagner",
                conflicts=["deep_infection is true but ulcer_depth is none (intact skin)"],
            )
        return _result(0, inputs, "no open lesion → grade 0")
    if deep_infection is None:
        raise CannotClassify(
            "wagner", missing=["deep_infection"], detail="an open ulcer is grade 1–3 by it"
        )
    if deep_infection:
        # Grade 3 is defined by the deep infection; a superficial-looking ulcer over
        # osteomyelitis or an abscess is still grade 3.
        return _result(3, inputs, "ulcer with abscess, osteomyelitis or joint sepsis → grade 3")
    if depth is UlcerDepth.DEEP:
        return _result(
            2,
            inputs,
            "deep ulcer to tendon, ligament, capsule or bone, no deep infection → grade 2",
            DEEP_ULCER_NOTE,
        )
    return _result(1, inputs, "superficial ulcer, no deep infection → grade 1")


def _result(grade: int, inputs: dict[str, object], rule: str, note: str = "") -> WagnerResult:
    return WagnerResult(
        grade=grade,
        description=GRADE_DESCRIPTIONS[grade],
        inputs=inputs,
        rationale=rule,
        source=WAGNER_GRADES.cite(),
        provenance=note,
        tables=(WAGNER_GRADES,),
    )


SYSTEM = System(
    name="wagner",
    title="Wagner grade of a diabetic foot lesion",
    fields=(
        InputField(
            "gangrene",
            Kind.CHOICE,
            "gangrene: none, localized (toes, forefoot or heel) or whole_foot",
            choices=tuple(g.value for g in Gangrene),
        ),
        InputField(
            "ulcer_depth",
            Kind.CHOICE,
            "none (intact skin), superficial (skin/subcutis) or deep (tendon, capsule, bone)",
            choices=tuple(d.value for d in UlcerDepth),
        ),
        InputField(
            "deep_infection", Kind.FLAG, "abscess, osteomyelitis or joint sepsis in the lesion"
        ),
    ),
    classify=classify_wagner,
    example="--gangrene none --ulcer-depth deep --no-deep-infection",
)
