"""Enneking surgical stage (IA–IIIB) of a sarcoma from grade, site and metastasis."""

from dataclasses import dataclass
from enum import StrEnum

from limbsalvage.core.fields import InputField, Kind, System
from limbsalvage.core.result import Classification
from limbsalvage.core.tables.enneking import (
    ENNEKING_STAGES,
    STAGE_III_NOTE,
    STAGE_WITH_METASTASIS,
    STAGE_WITHOUT_METASTASIS,
)
from limbsalvage.core.validate import choice, flag


class SurgicalGrade(StrEnum):
    """Surgical grade: G1 low, G2 high."""

    LOW = "low"
    HIGH = "high"


class Site(StrEnum):
    """Anatomic site: T1 intracompartmental, T2 extracompartmental."""

    INTRACOMPARTMENTAL = "intracompartmental"
    EXTRACOMPARTMENTAL = "extracompartmental"


class EnnekingStage(StrEnum):
    """Enneking stages of malignant lesions."""

    IA = "IA"
    IB = "IB"
    IIA = "IIA"
    IIB = "IIB"
    IIIA = "IIIA"
    IIIB = "IIIB"


@dataclass(frozen=True, kw_only=True)
class EnnekingResult(Classification):
    """An Enneking stage with its stage group (I–III) and G/T/M code."""

    system = "enneking"
    stage: EnnekingStage
    stage_group: str
    code: str


def classify_enneking(*, grade: str, site: str, metastasis: bool) -> EnnekingResult:
    """Stage a sarcoma by Enneking; metastasis includes regional nodes and skip lesions."""
    surgical_grade = choice("grade", grade, list(SurgicalGrade))
    anatomic_site = choice("site", site, list(Site))
    metastatic = flag("metastasis", metastasis)
    high = surgical_grade is SurgicalGrade.HIGH
    outside = anatomic_site is Site.EXTRACOMPARTMENTAL
    code = f"G{2 if high else 1}T{2 if outside else 1}M{1 if metastatic else 0}"
    if metastatic:
        stage = EnnekingStage(STAGE_WITH_METASTASIS[outside])
        rule = f"metastasis (any grade), {anatomic_site.value} → stage {stage.value}"
        provenance = STAGE_III_NOTE
    else:
        stage = EnnekingStage(STAGE_WITHOUT_METASTASIS[(high, outside)])
        rule = (
            f"{surgical_grade.value}-grade, {anatomic_site.value}, no metastasis "
            f"→ stage {stage.value}"
        )
        provenance = ""
    return EnnekingResult(
        stage=stage,
        stage_group=stage.value.rstrip("AB"),
        code=code,
        inputs={
            "grade": surgical_grade.value,
            "site": anatomic_site.value,
            "metastasis": metastatic,
        },
        rationale=f"{code}: {rule}",
        source=ENNEKING_STAGES.cite(),
        provenance=provenance,
        tables=(ENNEKING_STAGES,),
    )


SYSTEM = System(
    name="enneking",
    title="Enneking surgical stage of musculoskeletal sarcoma",
    fields=(
        InputField(
            "grade",
            Kind.CHOICE,
            "surgical grade: low (G1) or high (G2)",
            choices=tuple(g.value for g in SurgicalGrade),
        ),
        InputField(
            "site",
            Kind.CHOICE,
            "intracompartmental (T1) or extracompartmental (T2)",
            choices=tuple(s.value for s in Site),
        ),
        InputField(
            "metastasis",
            Kind.FLAG,
            "any metastasis: regional lymph nodes, skip lesions or distant (M1)",
        ),
    ),
    classify=classify_enneking,
    example="--grade high --site extracompartmental --no-metastasis",
)
