"""CEAP 2020 clinical class of a limb from its venous findings, with the r and s/a modifiers."""

from collections.abc import Sequence
from dataclasses import dataclass

from limbsalvage.core.errors import CannotClassify, InvalidInput
from limbsalvage.core.fields import InputField, Kind, System
from limbsalvage.core.result import Classification
from limbsalvage.core.tables.ceap import (
    ASYMPTOMATIC,
    C4_SUBCLASS_NOTE,
    CEAP_CLINICAL,
    DESCRIPTIONS,
    EXCLUSIVE,
    SIGNS,
    SYMPTOMATIC,
)
from limbsalvage.core.validate import choice, flag


@dataclass(frozen=True, kw_only=True)
class CeapResult(Classification):
    """The limb's highest CEAP clinical class, every class present, and the symptom modifier."""

    system = "ceap"
    clinical_class: str
    classes: tuple[str, ...]
    symptoms: str
    code: str
    basic_code: str


def _signs(clinical_signs: Sequence[str]) -> list[str]:
    allowed = "a list of: " + ", ".join(SIGNS)
    if isinstance(clinical_signs, str) or not isinstance(clinical_signs, list | tuple):
        raise InvalidInput("clinical_signs", clinical_signs, allowed)
    found = [choice("clinical_signs", sign, list(SIGNS)) for sign in clinical_signs]
    if not found:
        raise CannotClassify(
            "ceap", missing=["clinical_signs"], detail="give 'none' for a limb without signs (C0)"
        )
    return [sign for sign in SIGNS if sign in found]


def _check_conflicts(signs: list[str]) -> None:
    conflicts = [f"{a} and {b}" for a, b in EXCLUSIVE if a in signs and b in signs]
    if "none" in signs and len(signs) > 1:
        conflicts.append("none (C0) with other signs")
    if conflicts:
        raise CannotClassify("ceap", conflicts=conflicts)


def _code(labels: list[str], modifier: str) -> str:
    return "C" + ",".join(label.removeprefix("C") for label in labels) + "," + modifier


def classify_ceap(*, clinical_signs: Sequence[str], symptomatic: bool) -> CeapResult:
    """Classify a limb by CEAP 2020 (C): the highest class present, every class, and s or a."""
    signs = _signs(clinical_signs)
    _check_conflicts(signs)
    has_symptoms = flag("symptomatic", symptomatic)
    modifier = SYMPTOMATIC if has_symptoms else ASYMPTOMATIC
    labels = [SIGNS[sign][1] for sign in signs]
    highest = max(SIGNS[sign][0] for sign in signs)
    top = [SIGNS[sign][1] for sign in signs if SIGNS[sign][0] == highest]
    clinical_class = top[-1]
    present = "; ".join(f"{label} {DESCRIPTIONS[label]}" for label in labels)
    symptoms = "symptomatic (s)" if has_symptoms else "asymptomatic (a)"
    return CeapResult(
        clinical_class=clinical_class,
        classes=tuple(labels),
        symptoms=modifier,
        code=_code(labels, modifier),
        basic_code=f"{clinical_class},{modifier}",
        inputs={"clinical_signs": tuple(signs), "symptomatic": has_symptoms},
        rationale=(
            f"classes present: {present}; the limb's class is the highest, {clinical_class}; "
            f"{symptoms}"
        ),
        source=CEAP_CLINICAL.cite(),
        provenance=C4_SUBCLASS_NOTE if len(top) > 1 else "",
        tables=(CEAP_CLINICAL,),
    )


SYSTEM = System(
    name="ceap",
    title="CEAP 2020 clinical class of chronic venous disease",
    fields=(
        InputField(
            "clinical_signs",
            Kind.CHOICE,
            "venous signs present on the limb ('none' for C0)",
            option="--sign",
            choices=tuple(SIGNS),
            multiple=True,
        ),
        InputField(
            "symptomatic",
            Kind.FLAG,
            "symptoms attributable to venous disease (ache, pain, heaviness, cramps…)",
        ),
    ),
    classify=classify_ceap,
    example="--sign varicose_veins --sign active_venous_ulcer --symptomatic",
)
