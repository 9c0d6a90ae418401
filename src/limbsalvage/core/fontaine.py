"""Fontaine stage (I, IIa, IIb, III, IV) from the leading symptom and walking distance."""

from dataclasses import dataclass
from enum import StrEnum

from limbsalvage.core.errors import CannotClassify
from limbsalvage.core.fields import InputField, Kind, System
from limbsalvage.core.result import Classification
from limbsalvage.core.tables.fontaine import (
    CLAUDICATION_SPLIT_M,
    CLAUDICATION_SPLIT_NOTE,
    FONTAINE_STAGES,
)
from limbsalvage.core.validate import choice, number_in


class Symptom(StrEnum):
    """The worst symptom or sign of the limb."""

    ASYMPTOMATIC = "asymptomatic"
    CLAUDICATION = "claudication"
    REST_PAIN = "rest_pain"
    ULCER = "ulcer"
    GANGRENE = "gangrene"


class FontaineStage(StrEnum):
    """Fontaine stages."""

    I = "I"  # noqa: E741 — the stage is called I in the source
    IIA = "IIa"
    IIB = "IIb"
    III = "III"
    IV = "IV"


@dataclass(frozen=True, kw_only=True)
class FontaineResult(Classification):
    """A Fontaine stage."""

    system = "fontaine"
    stage: FontaineStage


_FIXED = {
    Symptom.ASYMPTOMATIC: (FontaineStage.I, "no symptoms → stage I"),
    Symptom.REST_PAIN: (FontaineStage.III, "ischaemic rest pain → stage III"),
    Symptom.ULCER: (FontaineStage.IV, "ulceration → stage IV"),
    Symptom.GANGRENE: (FontaineStage.IV, "gangrene → stage IV"),
}


def classify_fontaine(
    *, symptom: str, pain_free_walking_distance_m: float | None = None
) -> FontaineResult:
    """Stage a limb by Fontaine; claudication needs the pain-free walking distance."""
    leading = choice("symptom", symptom, list(Symptom))
    distance = None
    inputs: dict[str, object] = {"symptom": leading.value}
    if pain_free_walking_distance_m is not None:
        distance = number_in(
            "pain_free_walking_distance_m", pain_free_walking_distance_m, 0, 100_000, "m"
        )
        inputs["pain_free_walking_distance_m"] = distance
    provenance = ""
    if leading in _FIXED:
        stage, rule = _FIXED[leading]
    else:
        if distance is None:
            raise CannotClassify(
                "fontaine",
                missing=["pain_free_walking_distance_m"],
                detail="claudication is IIa or IIb by the pain-free walking distance",
            )
        split = f"{CLAUDICATION_SPLIT_M:g} m"
        if distance > CLAUDICATION_SPLIT_M:
            stage, rule = FontaineStage.IIA, f"claudication after more than {split} → stage IIa"
        else:
            stage, rule = FontaineStage.IIB, f"claudication within {split} → stage IIb"
        provenance = CLAUDICATION_SPLIT_NOTE
    return FontaineResult(
        stage=stage,
        inputs=inputs,
        rationale=rule,
        source=FONTAINE_STAGES.cite(),
        provenance=provenance,
        tables=(FONTAINE_STAGES,),
    )


SYSTEM = System(
    name="fontaine",
    title="Fontaine stage of chronic limb ischaemia",
    fields=(
        InputField(
            "symptom",
            Kind.CHOICE,
            "worst symptom or sign of the limb",
            choices=tuple(s.value for s in Symptom),
        ),
        InputField(
            "pain_free_walking_distance_m",
            Kind.NUMBER,
            "pain-free walking distance in metres (needed for claudication)",
            aliases=("--walking-distance",),
        ),
    ),
    classify=classify_fontaine,
    example="--symptom claudication --pain-free-walking-distance-m 150",
)
