"""Rutherford category (0–6) and grade (0–III) of chronic limb ischaemia, with objective checks."""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from limbsalvage.core.errors import CannotClassify
from limbsalvage.core.fields import InputField, Kind, System
from limbsalvage.core.result import Classification
from limbsalvage.core.tables.rutherford import (
    BETWEEN_NOTE,
    CHRONIC_CATEGORIES,
    CLAUDICATION_DROP_MMHG,
    CLAUDICATION_DROP_NOTE,
    COMBINATION_NOTE,
    NORMAL_TEST_NOTE,
    POST_EXERCISE_ANKLE_MMHG,
    PRESSURE_RANGE_MMHG,
    REST_PAIN_ANKLE_MMHG,
    REST_PAIN_TOE_MMHG,
    RUTHERFORD_CHRONIC,
    TISSUE_LOSS_ANKLE_MMHG,
    TISSUE_LOSS_TOE_MMHG,
)
from limbsalvage.core.validate import choice, flag, number_in


class Presentation(StrEnum):
    """The clinical picture of the limb; its order is the order of the categories 0–6."""

    ASYMPTOMATIC = "asymptomatic"
    MILD_CLAUDICATION = "mild_claudication"
    MODERATE_CLAUDICATION = "moderate_claudication"
    SEVERE_CLAUDICATION = "severe_claudication"
    REST_PAIN = "rest_pain"
    MINOR_TISSUE_LOSS = "minor_tissue_loss"
    MAJOR_TISSUE_LOSS = "major_tissue_loss"


class RutherfordGrade(StrEnum):
    """Rutherford grades 0–III."""

    ZERO = "0"
    I = "I"  # noqa: E741 — the grade is called I in the source
    II = "II"
    III = "III"


class ObjectiveSupport(StrEnum):
    """How far the measured objective criteria of the category are met."""

    MET = "met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"
    NOT_ASSESSED = "not_assessed"


@dataclass(frozen=True, kw_only=True)
class RutherfordResult(Classification):
    """A Rutherford category with its grade and how its objective criteria were met."""

    system = "rutherford"
    category: int
    grade: RutherfordGrade
    objective_criteria: ObjectiveSupport
    objective_findings: tuple[str, ...]


@dataclass(frozen=True)
class _Measures:
    treadmill_completed: bool | None
    post_exercise_ankle_pressure_mmhg: float | None
    resting_ankle_pressure_mmhg: float | None
    toe_pressure_mmhg: float | None
    pvr_flat_or_barely_pulsatile: bool | None

    def given(self) -> dict[str, object]:
        return {k: v for k, v in vars(self).items() if v is not None}

    @property
    def drop_mmhg(self) -> float | None:
        if self.resting_ankle_pressure_mmhg is None:
            return None
        if self.post_exercise_ankle_pressure_mmhg is None:
            return None
        return self.resting_ankle_pressure_mmhg - self.post_exercise_ankle_pressure_mmhg


@dataclass(frozen=True)
class _Check:
    met: bool
    finding: str
    uses: tuple[str, ...]
    note: str = ""


_TREADMILL = "treadmill_completed"
_POST = "post_exercise_ankle_pressure_mmhg"
_REST = "resting_ankle_pressure_mmhg"
_TOE = "toe_pressure_mmhg"
_PVR = "pvr_flat_or_barely_pulsatile"


def classify_rutherford(
    *,
    presentation: str | None = None,
    treadmill_completed: bool | None = None,
    post_exercise_ankle_pressure_mmhg: float | None = None,
    resting_ankle_pressure_mmhg: float | None = None,
    toe_pressure_mmhg: float | None = None,
    pvr_flat_or_barely_pulsatile: bool | None = None,
) -> RutherfordResult:
    """Categorise chronic limb ischaemia by the clinical picture; check its objective criteria."""
    measures = _Measures(
        treadmill_completed=_optional(flag, _TREADMILL, treadmill_completed),
        post_exercise_ankle_pressure_mmhg=_pressure(_POST, post_exercise_ankle_pressure_mmhg),
        resting_ankle_pressure_mmhg=_pressure(_REST, resting_ankle_pressure_mmhg),
        toe_pressure_mmhg=_pressure(_TOE, toe_pressure_mmhg),
        pvr_flat_or_barely_pulsatile=_optional(flag, _PVR, pvr_flat_or_barely_pulsatile),
    )
    if presentation is None:
        raise CannotClassify("rutherford", missing=["presentation"])
    picture = choice("presentation", presentation, list(Presentation))
    row = CHRONIC_CATEGORIES[list(Presentation).index(picture)]
    checks, unusable = _CHECKS[row.category](measures)
    support = _support(checks)
    used = {name for check in checks for name in check.uses}
    given = measures.given()
    findings = [check.finding for check in checks] + unusable
    findings += [
        f"{name} given but not a criterion of category {row.category}; not used"
        for name in given
        if name not in used and not _named(name, unusable)
    ]
    if support is ObjectiveSupport.PARTLY_MET and row.category >= 4:
        findings.append(COMBINATION_NOTE)
    notes = dict.fromkeys(check.note for check in checks if check.note)
    return RutherfordResult(
        category=row.category,
        grade=RutherfordGrade(row.grade),
        objective_criteria=support,
        objective_findings=tuple(findings),
        inputs={"presentation": picture.value} | {k: v for k, v in given.items() if k in used},
        rationale=(
            f"{row.description} → category {row.category}, grade {row.grade}; objective "
            f"criteria ({row.objective_criteria}): {support.value.replace('_', ' ')}"
        ),
        source=RUTHERFORD_CHRONIC.cite(),
        provenance="; ".join(notes),
        tables=(RUTHERFORD_CHRONIC,),
    )


def _optional(check: Callable[[str, object], bool], name: str, value: object) -> bool | None:
    return None if value is None else check(name, value)


def _pressure(name: str, value: object) -> float | None:
    if value is None:
        return None
    low, high = PRESSURE_RANGE_MMHG
    return number_in(name, value, low, high, "mmHg")


def _named(name: str, texts: list[str]) -> bool:
    return any(text.startswith(name) for text in texts)


def _support(checks: list[_Check]) -> ObjectiveSupport:
    if not checks:
        return ObjectiveSupport.NOT_ASSESSED
    met = sum(check.met for check in checks)
    if met == len(checks):
        return ObjectiveSupport.MET
    return ObjectiveSupport.NOT_MET if met == 0 else ObjectiveSupport.PARTLY_MET


def _mmhg(value: float) -> str:
    return f"{value:g} mmHg"


def _treadmill(m: _Measures, *, expect_completed: bool) -> list[_Check]:
    if m.treadmill_completed is None:
        return []
    done = "completed" if m.treadmill_completed else "did not complete"
    wanted = "completion" if expect_completed else "failure to complete"
    met = m.treadmill_completed is expect_completed
    return [_Check(met, f"{_TREADMILL}: {done} the test (criterion: {wanted})", (_TREADMILL,))]


def _below(name: str, value: float | None, limit: float, note: str = "") -> list[_Check]:
    if value is None:
        return []
    met = value < limit
    finding = f"{name}: {_mmhg(value)} (criterion: below {_mmhg(limit)})"
    return [_Check(met, finding, (name,), note)]


def _above(name: str, value: float | None, limit: float) -> list[_Check]:
    if value is None:
        return []
    finding = f"{name}: {_mmhg(value)} (criterion: above {_mmhg(limit)})"
    return [_Check(value > limit, finding, (name,))]


def _drop(m: _Measures, *, at_least: bool, note: str) -> list[_Check]:
    drop = m.drop_mmhg
    if drop is None:
        return []
    limit = _mmhg(CLAUDICATION_DROP_MMHG)
    met = drop >= CLAUDICATION_DROP_MMHG if at_least else drop < CLAUDICATION_DROP_MMHG
    wanted = f"at least {limit}" if at_least else f"less than {limit}"
    finding = f"fall in ankle pressure after exercise: {_mmhg(drop)} (criterion: {wanted})"
    return [_Check(met, finding, (_REST, _POST), note)]


def _category_0(m: _Measures) -> tuple[list[_Check], list[str]]:
    checks = _treadmill(m, expect_completed=True)
    return checks + _drop(m, at_least=False, note=NORMAL_TEST_NOTE), []


def _category_1(m: _Measures) -> tuple[list[_Check], list[str]]:
    checks = _treadmill(m, expect_completed=True)
    checks += _above(_POST, m.post_exercise_ankle_pressure_mmhg, POST_EXERCISE_ANKLE_MMHG)
    return checks + _drop(m, at_least=True, note=CLAUDICATION_DROP_NOTE), []


def _category_2(m: _Measures) -> tuple[list[_Check], list[str]]:
    completed, post = m.treadmill_completed, m.post_exercise_ankle_pressure_mmhg
    if completed is None or post is None:
        lone = [name for name, v in ((_TREADMILL, completed), (_POST, post)) if v is not None]
        return [], [f"{name} alone cannot place a limb between categories 1 and 3" for name in lone]
    limit = POST_EXERCISE_ANKLE_MMHG
    met = (completed and post <= limit) or (not completed and post >= limit)
    done = "completed" if completed else "did not complete"
    finding = (
        f"{done} the treadmill test with a post-exercise ankle pressure of {_mmhg(post)} "
        "(criterion: between categories 1 and 3)"
    )
    return [_Check(met, finding, (_TREADMILL, _POST), BETWEEN_NOTE)], []


def _category_3(m: _Measures) -> tuple[list[_Check], list[str]]:
    checks = _treadmill(m, expect_completed=False)
    return checks + _below(_POST, m.post_exercise_ankle_pressure_mmhg, POST_EXERCISE_ANKLE_MMHG), []


def _pvr(m: _Measures) -> list[_Check]:
    if m.pvr_flat_or_barely_pulsatile is None:
        return []
    seen = "flat or barely pulsatile" if m.pvr_flat_or_barely_pulsatile else "pulsatile"
    finding = f"{_PVR}: {seen} (criterion: flat or barely pulsatile)"
    return [_Check(m.pvr_flat_or_barely_pulsatile, finding, (_PVR,))]


def _critical(
    ankle_mmhg: float, toe_mmhg: float
) -> Callable[[_Measures], tuple[list[_Check], list[str]]]:
    def checks(m: _Measures) -> tuple[list[_Check], list[str]]:
        found = _below(_REST, m.resting_ankle_pressure_mmhg, ankle_mmhg) + _pvr(m)
        return found + _below(_TOE, m.toe_pressure_mmhg, toe_mmhg), []

    return checks


_CHECKS: dict[int, Callable[[_Measures], tuple[list[_Check], list[str]]]] = {
    0: _category_0,
    1: _category_1,
    2: _category_2,
    3: _category_3,
    4: _critical(REST_PAIN_ANKLE_MMHG, REST_PAIN_TOE_MMHG),
    5: _critical(TISSUE_LOSS_ANKLE_MMHG, TISSUE_LOSS_TOE_MMHG),
    6: _critical(TISSUE_LOSS_ANKLE_MMHG, TISSUE_LOSS_TOE_MMHG),
}


SYSTEM = System(
    name="rutherford",
    title="Rutherford category of chronic limb ischaemia",
    fields=(
        InputField(
            "presentation",
            Kind.CHOICE,
            "clinical picture of the limb (the category is taken from it)",
            choices=tuple(p.value for p in Presentation),
        ),
        InputField(
            _TREADMILL,
            Kind.FLAG,
            "completed the standard treadmill test",
        ),
        InputField(_POST, Kind.NUMBER, "ankle pressure after the treadmill test, mmHg"),
        InputField(_REST, Kind.NUMBER, "resting ankle systolic pressure, mmHg"),
        InputField(_TOE, Kind.NUMBER, "toe systolic pressure, mmHg"),
        InputField(
            _PVR,
            Kind.FLAG,
            "ankle or metatarsal pulse volume recording flat or barely pulsatile",
        ),
    ),
    classify=classify_rutherford,
    example="--presentation rest_pain --resting-ankle-pressure-mmhg 35 --toe-pressure-mmhg 20",
)
