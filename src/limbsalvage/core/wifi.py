"""SVS WIfI: wound grade from the clinical description, and the clinical stage of a limb."""

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol, cast

from limbsalvage.core.errors import CannotClassify, InvalidInput
from limbsalvage.core.fields import InputField, Kind, System
from limbsalvage.core.infection import SYSTEM as IWGDF_SYSTEM
from limbsalvage.core.infection import classify_foot_infection
from limbsalvage.core.result import Classification, explanation_field
from limbsalvage.core.sources import Table
from limbsalvage.core.tables.wifi import (
    ALTERNATIVE_READINGS,
    AMPUTATION_RISK_BY_STAGE,
    GANGRENE_GRADES,
    INFECTION_GRADES,
    STAGE,
    STAGE_TABLE,
    ULCER_GRADES,
    UNSALVAGEABLE_STAGE,
    WOUND_GRADES,
)
from limbsalvage.core.validate import choice, flag, integer_in

GRADE_GIVEN = "grade_given"
IWGDF_SIGNS = "iwgdf_signs"
# The IWGDF/IDSA findings that set fI, by the names core/infection.py gives them.
INFECTION_SIGNS = (
    "erythema_extent_cm",
    "osteomyelitis",
    "suspected_active_charcot",
    "swelling_or_induration",
    "local_tenderness_or_pain",
    "local_warmth",
    "purulent_discharge",
    "deep_tissue_involvement",
    "temperature_c",
    "heart_rate_bpm",
    "respiratory_rate_per_min",
    "paco2_mmhg",
    "white_cell_count_per_mm3",
    "band_forms_percent",
    "sirs_criteria_count",
    "infection_confirmed_despite_charcot",
)
_PERFUSION_ARGS = (
    "abi",
    "ankle_pressure_mmhg",
    "toe_pressure_mmhg",
    "tcpo2_mmhg",
    "diabetes",
    "non_compressible",
)


class Ulcer(StrEnum):
    """The ulcer of one wound, in the words of the WIfI wound table."""

    NONE = "none"
    SHALLOW = "shallow"
    EXPOSED_DISTAL_PHALANX = "exposed_distal_phalanx"
    DEEP = "deep"
    HEEL_SHALLOW = "heel_shallow"
    EXTENSIVE_FOREFOOT_MIDFOOT = "extensive_forefoot_midfoot"
    HEEL_DEEP = "heel_deep"


class Gangrene(StrEnum):
    """The gangrene of one wound, in the words of the WIfI wound table."""

    NONE = "none"
    DIGITS = "digits"
    FOREFOOT_MIDFOOT = "forefoot_midfoot"
    HEEL = "heel"


class AmputationRisk(StrEnum):
    """Estimated 1-year amputation risk of a WIfI clinical stage."""

    VERY_LOW = "very_low"
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"


@dataclass(frozen=True, kw_only=True)
class WoundDescription:
    """One wound of the limb: a label to name it, its ulcer and its gangrene."""

    label: str
    ulcer: Ulcer
    gangrene: Gangrene


@dataclass(frozen=True, kw_only=True)
class WoundGrading(Classification):
    """The limb's W grade: the worst of its wounds, named."""

    system = "wifi_wound"
    wound_grade: int
    worst_wound: str
    wound_grades: tuple[tuple[str, int], ...]


@dataclass(frozen=True, kw_only=True)
class WifiResult(Classification):
    """A WIfI clinical stage with its three grades."""

    system = "wifi"
    wound_grade: int
    ischemia_grade: int
    infection_grade: int
    clinical_stage: int
    table_stage: int
    amputation_risk: AmputationRisk | None
    code: str
    ischemia_measure: str
    ischemia_rationale: str = explanation_field()
    infection_measure: str
    infection_rationale: str = explanation_field()
    worst_wound: str | None


class IschemiaGrading(Protocol):
    """What core.perfusion.wifi_ischemia_grade returns (the part used here)."""

    @property
    def ischemia_grade(self) -> int: ...
    @property
    def governing_measure(self) -> str: ...
    @property
    def rationale(self) -> str: ...
    @property
    def provenance(self) -> str: ...
    @property
    def tables(self) -> tuple[Table, ...]: ...


def wound_description(*, ulcer: str, gangrene: str, label: str) -> WoundDescription:
    """A checked wound description (ulcer and gangrene from the WIfI wound table)."""
    if not label.strip():
        raise InvalidInput("wound_label", label, "a non-empty label")
    return WoundDescription(
        label=label.strip(),
        ulcer=choice("ulcer", ulcer, list(Ulcer)),
        gangrene=choice("gangrene", gangrene, list(Gangrene)),
    )


def _grade_one(wound: WoundDescription) -> tuple[int, str]:
    ulcer_grade, ulcer_words = ULCER_GRADES[wound.ulcer]
    gangrene_grade, gangrene_words = GANGRENE_GRADES[wound.gangrene]
    # Ulcer and gangrene are read separately; the wound takes the worse of the two rows.
    if gangrene_grade > ulcer_grade:
        return gangrene_grade, gangrene_words
    return ulcer_grade, ulcer_words


def grade_wound(*, wounds: Sequence[WoundDescription]) -> WoundGrading:
    """The limb's W grade from its wounds: the worst wound's grade, naming that wound."""
    if not wounds:
        raise CannotClassify("wifi", missing=["wounds"], detail="describe at least one wound")
    labels = [w.label for w in wounds]
    if len(set(labels)) != len(labels):
        raise InvalidInput("wound_label", labels, "a different label for each wound")
    graded = [(wound, *_grade_one(wound)) for wound in wounds]
    worst, grade, words = max(graded, key=lambda item: item[1])
    return WoundGrading(
        wound_grade=grade,
        worst_wound=worst.label,
        wound_grades=tuple((wound.label, g) for wound, g, _ in graded),
        inputs={
            "wound_label": labels,
            "ulcer": [w.ulcer.value for w in wounds],
            "gangrene": [w.gangrene.value for w in wounds],
        },
        rationale=f"worst wound '{worst.label}': {words} → W{grade}",
        source=WOUND_GRADES.cite(),
        tables=(WOUND_GRADES,),
    )


def stage_cell_provenance(*, ischemia_grade: int, wound_grade: int, infection_grade: int) -> str:
    """Where public readings of this stage-table cell disagree with ours; empty when none do."""
    ours = STAGE[ischemia_grade][wound_grade][infection_grade]
    others = [
        f"{name} gives stage {grid[ischemia_grade][wound_grade][infection_grade]}"
        for name, grid in ALTERNATIVE_READINGS.items()
        if grid[ischemia_grade][wound_grade][infection_grade] != ours
    ]
    if not others:
        return ""
    cell = f"W{wound_grade} I{ischemia_grade} fI{infection_grade}"
    return (
        f"Stage table cell {cell}: we use stage {ours} as read in Mills 2014; "
        + "; ".join(others)
        + "."
    )


def _joined(*notes: str) -> str:
    return " ".join(note for note in notes if note)


def _measure_words(ischemia_measure: str, infection_measure: str) -> str:
    words = "ischemia grade given"
    if ischemia_measure != GRADE_GIVEN:
        words = "ischemia grade from " + ischemia_measure.replace("_", " ")
    if infection_measure == IWGDF_SIGNS:
        words += "; infection grade from the IWGDF/IDSA signs"
    return words


def wifi_rationale(
    *,
    wound_grade: int,
    ischemia_grade: int,
    infection_grade: int,
    ischemia_measure: str,
    unsalvageable: bool,
    infection_measure: str = GRADE_GIVEN,
) -> str:
    """The rule that fired, from the discrete grades only (no raw measurement in the text)."""
    table_stage = STAGE[ischemia_grade][wound_grade][infection_grade]
    risk = AMPUTATION_RISK_BY_STAGE[table_stage].replace("_", " ")
    code = wifi_code(wound_grade, ischemia_grade, infection_grade)
    head = f"{code} ({_measure_words(ischemia_measure, infection_measure)})"
    if unsalvageable:
        return (
            f"{head}: clinician judged the foot unsalvageable → clinical stage 5 "
            f"(the stage table alone gives stage {table_stage}, {risk} 1-year amputation risk)"
        )
    return f"{head}: stage table gives {risk} 1-year amputation risk → clinical stage {table_stage}"


def wifi_code(wound_grade: int, ischemia_grade: int, infection_grade: int) -> str:
    """The WIfI code, e.g. W2I1fI0."""
    return f"W{wound_grade}I{ischemia_grade}fI{infection_grade}"


def _perfusion_grader() -> Callable[..., IschemiaGrading]:
    # core/perfusion.py is written alongside this module; imported late so WIfI by grades
    # works on its own.
    module = importlib.import_module("limbsalvage.core.perfusion")
    return cast(Callable[..., IschemiaGrading], module.wifi_ischemia_grade)


@dataclass(frozen=True)
class _Ischemia:
    grade: int
    measure: str
    rationale: str
    provenance: str
    tables: tuple[Table, ...]
    inputs: dict[str, object]


def _resolve_ischemia(grade: object, perfusion: dict[str, object]) -> _Ischemia:
    given = None if grade is None else integer_in("ischemia_grade", grade, 0, 3)
    measured = {k: v for k, v in perfusion.items() if v is not None}
    if not any(k not in ("diabetes", "non_compressible") for k in measured):
        if given is None:
            raise CannotClassify(
                "wifi",
                missing=["ischemia_grade"],
                detail="give the ischemia grade or a perfusion measurement",
            )
        return _Ischemia(given, GRADE_GIVEN, "", "", (), {"ischemia_grade": given})
    grading = _perfusion_grader()(**{k: perfusion[k] for k in _PERFUSION_ARGS})
    derived = grading.ischemia_grade
    if given is not None and given != derived:
        raise CannotClassify(
            "wifi",
            conflicts=[f"ischemia_grade {given} given, perfusion measurements give {derived}"],
        )
    inputs: dict[str, object] = dict(measured)
    if given is not None:
        inputs["ischemia_grade"] = given
    return _Ischemia(
        derived,
        str(grading.governing_measure),
        grading.rationale,
        grading.provenance,
        tuple(grading.tables),
        inputs,
    )


@dataclass(frozen=True)
class _Infection:
    grade: int
    measure: str
    rationale: str
    provenance: str
    tables: tuple[Table, ...]
    inputs: dict[str, object]


def _resolve_infection(grade: object, signs: dict[str, Any]) -> _Infection:
    given = None if grade is None else integer_in("infection_grade", grade, 0, 3)
    recorded = {k: v for k, v in signs.items() if v is not None}
    if not recorded:
        if given is None:
            raise CannotClassify(
                "wifi",
                missing=["infection_grade"],
                detail="give the foot infection grade or the IWGDF/IDSA infection signs",
            )
        return _Infection(given, GRADE_GIVEN, "", "", (), {"infection_grade": given})
    missing = [name for name in IWGDF_SYSTEM.required_fields if name not in recorded]
    if missing:
        raise CannotClassify(
            "wifi",
            missing=missing,
            detail="the foot infection grade from the IWGDF/IDSA signs needs them",
        )
    graded = classify_foot_infection(**recorded)
    derived = graded.wifi_infection_grade
    if derived is None:
        # Active Charcot mimics infection: IWGDF/IDSA grades inflammation only when no other
        # cause explains it, so WIfI gets no fI until a clinician attributes it to infection.
        confirmation = "infection_confirmed_despite_charcot"
        raise CannotClassify(
            "wifi",
            missing=[] if confirmation in graded.inputs else [confirmation],
            detail=(
                "suspected active Charcot foot with local signs of inflammation: not graded "
                "as infection (Charcot mimics infection) until a clinician confirms infection, "
                "so there is no foot infection grade"
            ),
        )
    if given is not None and given != derived:
        raise CannotClassify(
            "wifi",
            conflicts=[f"infection_grade {given} given, IWGDF/IDSA signs give {derived}"],
        )
    inputs = dict(graded.inputs)
    if given is not None:
        inputs["infection_grade"] = given
    return _Infection(
        derived,
        IWGDF_SIGNS,
        graded.rationale,
        _joined(graded.provenance, graded.caution),
        graded.tables,
        inputs,
    )


def described_wounds(
    ulcer: str | Sequence[str] | None,
    gangrene: str | Sequence[str] | None,
    wound_label: str | Sequence[str] | None,
) -> WoundGrading | None:
    """The W grade of wounds described by ulcer and gangrene (one per wound); None if none."""
    if ulcer is None and gangrene is None:
        if wound_label is not None:
            raise CannotClassify("wifi", missing=["ulcer", "gangrene"])
        return None
    if ulcer is None or gangrene is None:
        raise CannotClassify("wifi", missing=["gangrene" if ulcer is not None else "ulcer"])
    ulcers, gangrenes = _as_list("ulcer", ulcer), _as_list("gangrene", gangrene)
    labels = _as_list("wound_label", wound_label) if wound_label is not None else None
    if labels is None:
        labels = [f"wound {n}" for n in range(1, len(ulcers) + 1)]
    if not len(ulcers) == len(gangrenes) == len(labels):
        raise CannotClassify(
            "wifi",
            conflicts=["ulcer, gangrene and wound_label must describe the same number of wounds"],
        )
    return grade_wound(
        wounds=[
            wound_description(ulcer=u, gangrene=g, label=label)
            for u, g, label in zip(ulcers, gangrenes, labels, strict=True)
        ]
    )


def _as_list(field: str, value: object) -> list[str]:
    # Batch cells and the command line carry several wounds as one ';'-separated text.
    items = value.split(";") if isinstance(value, str) else value
    allowed = "one text per wound, as a list or separated by ';'"
    if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
        raise InvalidInput(field, value, allowed)
    texts = [item.strip() for item in items]
    if not texts or not all(texts):
        raise InvalidInput(field, value, allowed)
    return texts


def _resolve_wound(
    grade: object, described: WoundGrading | None
) -> tuple[int, str | None, tuple[Table, ...], dict[str, object]]:
    given = None if grade is None else integer_in("wound_grade", grade, 0, 3)
    if described is None:
        if given is None:
            raise CannotClassify(
                "wifi",
                missing=["wound_grade"],
                detail="give the wound grade or describe the wounds",
            )
        return given, None, (), {"wound_grade": given}
    if given is not None and given != described.wound_grade:
        raise CannotClassify(
            "wifi",
            conflicts=[
                f"wound_grade {given} given, wound descriptions give {described.wound_grade}"
            ],
        )
    inputs = dict(described.inputs)
    if given is not None:
        inputs["wound_grade"] = given
    return described.wound_grade, described.worst_wound, described.tables, inputs


def classify_wifi(
    *,
    wound_grade: int | None = None,
    ischemia_grade: int | None = None,
    infection_grade: int | None = None,
    abi: float | None = None,
    ankle_pressure_mmhg: float | None = None,
    toe_pressure_mmhg: float | None = None,
    tcpo2_mmhg: float | None = None,
    diabetes: bool | None = None,
    non_compressible: bool | None = None,
    unsalvageable: bool | None = None,
    ulcer: str | Sequence[str] | None = None,
    gangrene: str | Sequence[str] | None = None,
    wound_label: str | Sequence[str] | None = None,
    erythema_extent_cm: float | None = None,
    osteomyelitis: bool | None = None,
    suspected_active_charcot: bool | None = None,
    swelling_or_induration: bool | None = None,
    local_tenderness_or_pain: bool | None = None,
    local_warmth: bool | None = None,
    purulent_discharge: bool | None = None,
    deep_tissue_involvement: bool | None = None,
    temperature_c: float | None = None,
    heart_rate_bpm: float | None = None,
    respiratory_rate_per_min: float | None = None,
    paco2_mmhg: float | None = None,
    white_cell_count_per_mm3: float | None = None,
    band_forms_percent: float | None = None,
    sirs_criteria_count: int | None = None,
    infection_confirmed_despite_charcot: bool | None = None,
) -> WifiResult:
    """Stage a limb by SVS WIfI from grades, wound descriptions, perfusion or infection signs."""
    described = described_wounds(ulcer, gangrene, wound_label)
    wound, worst_wound, wound_tables, inputs = _resolve_wound(wound_grade, described)
    perfusion: dict[str, object] = {
        "abi": abi,
        "ankle_pressure_mmhg": ankle_pressure_mmhg,
        "toe_pressure_mmhg": toe_pressure_mmhg,
        "tcpo2_mmhg": tcpo2_mmhg,
        "diabetes": diabetes,
        "non_compressible": non_compressible,
    }
    resolved = _resolve_ischemia(ischemia_grade, perfusion)
    ischemia, measure = resolved.grade, resolved.measure
    signs: dict[str, Any] = {
        "erythema_extent_cm": erythema_extent_cm,
        "osteomyelitis": osteomyelitis,
        "suspected_active_charcot": suspected_active_charcot,
        "swelling_or_induration": swelling_or_induration,
        "local_tenderness_or_pain": local_tenderness_or_pain,
        "local_warmth": local_warmth,
        "purulent_discharge": purulent_discharge,
        "deep_tissue_involvement": deep_tissue_involvement,
        "temperature_c": temperature_c,
        "heart_rate_bpm": heart_rate_bpm,
        "respiratory_rate_per_min": respiratory_rate_per_min,
        "paco2_mmhg": paco2_mmhg,
        "white_cell_count_per_mm3": white_cell_count_per_mm3,
        "band_forms_percent": band_forms_percent,
        "sirs_criteria_count": sirs_criteria_count,
        "infection_confirmed_despite_charcot": infection_confirmed_despite_charcot,
    }
    foot_infection = _resolve_infection(infection_grade, signs)
    infection = foot_infection.grade
    declared_unsalvageable = False
    if unsalvageable is not None:
        declared_unsalvageable = flag("unsalvageable", unsalvageable)
    inputs.update(resolved.inputs)
    inputs.update(foot_infection.inputs)
    if unsalvageable is not None:
        inputs["unsalvageable"] = declared_unsalvageable
    table_stage = STAGE[ischemia][wound][infection]
    stage = UNSALVAGEABLE_STAGE if declared_unsalvageable else table_stage
    risk = None if declared_unsalvageable else AmputationRisk(AMPUTATION_RISK_BY_STAGE[stage])
    return WifiResult(
        wound_grade=wound,
        ischemia_grade=ischemia,
        infection_grade=infection,
        clinical_stage=stage,
        table_stage=table_stage,
        amputation_risk=risk,
        code=wifi_code(wound, ischemia, infection),
        ischemia_measure=measure,
        ischemia_rationale=resolved.rationale,
        infection_measure=foot_infection.measure,
        infection_rationale=foot_infection.rationale,
        worst_wound=worst_wound,
        inputs=inputs,
        rationale=wifi_rationale(
            wound_grade=wound,
            ischemia_grade=ischemia,
            infection_grade=infection,
            ischemia_measure=measure,
            unsalvageable=declared_unsalvageable,
            infection_measure=foot_infection.measure,
        ),
        source=STAGE_TABLE.cite(),
        provenance=_joined(
            stage_cell_provenance(
                ischemia_grade=ischemia, wound_grade=wound, infection_grade=infection
            ),
            resolved.provenance,
            foot_infection.provenance,
        ),
        tables=(
            STAGE_TABLE,
            *wound_tables,
            *resolved.tables,
            INFECTION_GRADES,
            *foot_infection.tables,
        ),
    )


# The sign fields are core/infection.py's own, so the options match `classify iwgdf`.
_SIGN_FIELDS = tuple(
    spec for name in INFECTION_SIGNS for spec in IWGDF_SYSTEM.fields if spec.name == name
)

SYSTEM = System(
    name="wifi",
    title="SVS WIfI (Wound, Ischemia, foot Infection) clinical stage",
    fields=(
        InputField("wound_grade", Kind.INTEGER, "WIfI wound grade W 0–3", option="--wound"),
        InputField(
            "ischemia_grade", Kind.INTEGER, "WIfI ischemia grade I 0–3", option="--ischemia"
        ),
        InputField(
            "infection_grade",
            Kind.INTEGER,
            "WIfI foot infection grade fI 0–3 (or give the IWGDF/IDSA infection signs)",
            option="--infection",
        ),
        InputField("abi", Kind.NUMBER, "ankle-brachial index", option="--abi"),
        InputField(
            "ankle_pressure_mmhg",
            Kind.NUMBER,
            "ankle systolic pressure in mmHg",
            option="--ankle-pressure",
        ),
        InputField(
            "toe_pressure_mmhg",
            Kind.NUMBER,
            "toe systolic pressure in mmHg",
            option="--toe-pressure",
        ),
        InputField("tcpo2_mmhg", Kind.NUMBER, "transcutaneous oxygen in mmHg", option="--tcpo2"),
        InputField("diabetes", Kind.FLAG, "the patient has diabetes"),
        InputField("non_compressible", Kind.FLAG, "ankle vessels are non-compressible"),
        InputField("unsalvageable", Kind.FLAG, "clinician judges the foot unsalvageable (stage 5)"),
        InputField(
            "ulcer",
            Kind.TEXT,
            "ulcer of each wound, ';'-separated, instead of --wound: "
            + ", ".join(u.value for u in Ulcer),
        ),
        InputField(
            "gangrene",
            Kind.TEXT,
            "gangrene of each wound, ';'-separated, with --ulcer: "
            + ", ".join(g.value for g in Gangrene),
        ),
        InputField("wound_label", Kind.TEXT, "a name for each wound, ';'-separated, with --ulcer"),
        *_SIGN_FIELDS,
    ),
    classify=classify_wifi,
    example="--wound 2 --ischemia 1 --infection 0",
)
