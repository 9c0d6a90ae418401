"""Perfusion: ABI and TBI with their bands, and the SVS WIfI ischaemia grade (I0–I3)."""

from dataclasses import dataclass
from enum import StrEnum
from itertools import product
from typing import Any

import numpy as np
import numpy.typing as npt

from limbsalvage.core.errors import CannotClassify
from limbsalvage.core.fields import InputField, Kind, System
from limbsalvage.core.result import Classification
from limbsalvage.core.sources import Table
from limbsalvage.core.tables.perfusion import (
    ABI_ABNORMAL_AT_OR_BELOW,
    ABI_AGREEMENT_TOLERANCE,
    ABI_BANDS,
    ABI_NON_COMPRESSIBLE_ABOVE,
    ABI_NORMAL_FROM,
    ABI_RANGE,
    ABI_WIFI,
    ANKLE_PRESSURE_AGREEMENT_TOLERANCE_MMHG,
    ANKLE_PRESSURE_RANGE_MMHG,
    ANKLE_PRESSURE_WIFI,
    BRACHIAL_PRESSURE_RANGE_MMHG,
    TBI_AHA_ABNORMAL_AT_OR_BELOW,
    TBI_BANDS,
    TBI_NORMAL_FROM,
    TCPO2_RANGE_MMHG,
    TCPO2_WIFI,
    TOE_PRESSURE_RANGE_MMHG,
    TOE_PRESSURE_WIFI,
    WIFI_ABI_INCOMPRESSIBLE_ABOVE,
    WIFI_ISCHEMIA,
    IschemiaBands,
)
from limbsalvage.core.validate import flag, number_in

FloatArray = npt.NDArray[np.float64]
Int8Array = npt.NDArray[np.int8]


class Measure(StrEnum):
    """A perfusion measurement the SVS ischaemia table grades."""

    ABI = "abi"
    ANKLE_PRESSURE = "ankle_pressure"
    TOE_PRESSURE = "toe_pressure"
    TCPO2 = "tcpo2"


class Basis(StrEnum):
    """Why the governing measurement governs (the SVS rule that applied)."""

    TOE_PRIMARY = "toe_primary"
    TCPO2_NON_COMPRESSIBLE = "tcpo2_non_compressible"
    TCPO2_DIABETES = "tcpo2_diabetes"
    TCPO2_ONLY = "tcpo2_only"
    ANKLE = "ankle"
    ANKLE_DIABETES = "ankle_diabetes"


class Agreement(StrEnum):
    """How the other usable measurements compare with the governing one."""

    ALONE = "alone"
    AGREE = "agree"
    OTHER_WORSE = "other_worse"
    OTHER_BETTER = "other_better"


class AbiBand(StrEnum):
    """AHA ABI interpretation bands."""

    ABNORMAL = "abnormal"
    BORDERLINE = "borderline"
    NORMAL = "normal"
    NON_COMPRESSIBLE = "non_compressible"


class TbiBand(StrEnum):
    """TBI interpretation bands."""

    ABNORMAL = "abnormal"
    NORMAL = "normal"


MEASURES: tuple[Measure, ...] = tuple(Measure)
GOVERNING_MEASURES: tuple[str, ...] = tuple(m.value for m in Measure)
_BANDS: dict[Measure, IschemiaBands] = {
    Measure.ABI: ABI_WIFI,
    Measure.ANKLE_PRESSURE: ANKLE_PRESSURE_WIFI,
    Measure.TOE_PRESSURE: TOE_PRESSURE_WIFI,
    Measure.TCPO2: TCPO2_WIFI,
}
_ANKLE = (Measure.ABI, Measure.ANKLE_PRESSURE)

# ---------------------------------------------------------------- explanation texts
# Every text below depends only on discrete categories, never on a measured value, so a
# registry can look the text up per case (see ISCHEMIA_CASES).

_GRADE_WORDS = ("no ischaemia", "mild ischaemia", "moderate ischaemia", "severe ischaemia")
_MEASURE_WORDS = {
    Measure.ABI: "ABI",
    Measure.ANKLE_PRESSURE: "ankle systolic pressure",
    Measure.TOE_PRESSURE: "toe pressure",
    Measure.TCPO2: "TcPO2",
}
_BASIS_WORDS = {
    Basis.TOE_PRIMARY: (
        "toe pressure measured: SVS WIfI makes toe pressure the primary determinant of the "
        "ischaemia grade"
    ),
    Basis.TCPO2_NON_COMPRESSIBLE: (
        "ankle vessels non-compressible and no toe pressure: SVS WIfI documents ischaemia by TcPO2"
    ),
    Basis.TCPO2_DIABETES: (
        "diabetes without a toe pressure: SVS WIfI prefers toe pressure, then TcPO2, to the "
        "ankle measures, which calcification often falsely elevates"
    ),
    Basis.TCPO2_ONLY: "TcPO2 is the only usable perfusion measure given",
    Basis.ANKLE: (
        "no toe pressure and compressible ankle vessels: graded on the ankle measures "
        "(the worse of ABI and ankle pressure when both are given)"
    ),
    Basis.ANKLE_DIABETES: (
        "diabetes with neither toe pressure nor TcPO2: graded on the ankle measures "
        "(the worse of ABI and ankle pressure when both are given)"
    ),
}
_EDGE_NOTES = {
    Measure.ABI: (
        "SVS prints ABI bands to two decimals (≥0.80, 0.60–0.79, 0.40–0.59, below 0.40); an "
        "unrounded ABI between printed bands is read with each band running from its lower "
        "cut-off up to, not including, the next (0.795 is I1)."
    ),
    Measure.ANKLE_PRESSURE: (
        "SVS prints 70 mmHg in both I1 (70–100) and I2 (50–70); we read 70 as I1, as every "
        "other band includes its lower bound and TASC II/PARC put tissue-loss CLI below 70 "
        "mmHg; 100 mmHg is I1 (I0 is above 100)."
    ),
    Measure.TOE_PRESSURE: (
        "SVS prints toe pressure bands in whole mmHg (≥60, 40–59, 30–39, <30); a value between "
        "printed bands is read with each band running from its lower cut-off up to, not "
        "including, the next (59.5 is I1)."
    ),
    Measure.TCPO2: (
        "SVS prints TcPO2 bands in whole mmHg (≥60, 40–59, 30–39, <30); a value between "
        "printed bands is read with each band running from its lower cut-off up to, not "
        "including, the next (59.5 is I1)."
    ),
}
_SET_ASIDE_NOTE = (
    "ABI/ankle pressure given but not used: non-compressible ankle vessels (reported, or ABI "
    "above 1.30, the SVS WIfI cut-off; the AHA calls an ABI non-compressible only above 1.40)."
)
_DIABETES_ANKLE_NOTE = (
    "SVS WIfI asks for a toe pressure in diabetes because the ABI is often falsely elevated; "
    "graded on the ankle measures only because no toe pressure or TcPO2 was given, so this "
    "grade may understate ischaemia."
)
_AGREEMENT_NOTES = {
    Agreement.ALONE: "",
    Agreement.AGREE: "The other measures given agree with this grade.",
    Agreement.OTHER_WORSE: (
        "At least one other measure given suggests a worse grade; the governing measure "
        "follows the SVS rule above (our reading when the table gives no precedence): review."
    ),
    Agreement.OTHER_BETTER: (
        "Other measures given suggest a better grade, none a worse one; the governing measure "
        "follows the SVS rule above (our reading when the table gives no precedence)."
    ),
}


@dataclass(frozen=True)
class IschemiaCase:
    """The explanation of one category of ischaemia grading."""

    rationale: str
    provenance: str


CaseKey = tuple[Basis, Measure, int, Agreement, bool]


def ischemia_rationale(basis: Basis, measure: Measure, grade: int) -> str:
    """The rule that fired, in clinical words, for one category."""
    printed = _BANDS[measure].printed[grade]
    return (
        f"{_BASIS_WORDS[basis]}; {_MEASURE_WORDS[measure]} {printed} → "
        f"I{grade} ({_GRADE_WORDS[grade]})"
    )


def ischemia_provenance(
    basis: Basis, measure: Measure, agreement: Agreement, set_aside: bool
) -> str:
    """The cell-level note for one category: band edges, set-aside and disagreeing measures."""
    notes = [_EDGE_NOTES[measure]]
    if set_aside:
        notes.append(_SET_ASIDE_NOTE)
    if basis is Basis.ANKLE_DIABETES:
        notes.append(_DIABETES_ANKLE_NOTE)
    notes.append(_AGREEMENT_NOTES[agreement])
    return " ".join(note for note in notes if note)


def _possible_keys() -> tuple[CaseKey, ...]:
    every = tuple(Agreement)
    no_worse = (Agreement.ALONE, Agreement.AGREE, Agreement.OTHER_BETTER)
    plans: tuple[tuple[Basis, tuple[Measure, ...], tuple[Agreement, ...], tuple[bool, ...]], ...]
    plans = (
        (Basis.TOE_PRIMARY, (Measure.TOE_PRESSURE,), every, (False, True)),
        (Basis.TCPO2_NON_COMPRESSIBLE, (Measure.TCPO2,), (Agreement.ALONE,), (False, True)),
        (Basis.TCPO2_DIABETES, (Measure.TCPO2,), every, (False,)),
        (Basis.TCPO2_ONLY, (Measure.TCPO2,), (Agreement.ALONE,), (False,)),
        (Basis.ANKLE, _ANKLE, every, (False,)),
        # Only the other ankle measure can be present, and the worse of the two governs.
        (Basis.ANKLE_DIABETES, _ANKLE, no_worse, (False,)),
    )
    keys: list[CaseKey] = []
    for basis, measures, agreements, set_asides in plans:
        for measure, grade, agreement, set_aside in product(
            measures, range(4), agreements, set_asides
        ):
            keys.append((basis, measure, grade, agreement, set_aside))
    return tuple(keys)


ISCHEMIA_CASE_KEYS: tuple[CaseKey, ...] = _possible_keys()
ISCHEMIA_CASES: tuple[IschemiaCase, ...] = tuple(
    IschemiaCase(
        rationale=ischemia_rationale(basis, measure, grade),
        provenance=ischemia_provenance(basis, measure, agreement, set_aside),
    )
    for basis, measure, grade, agreement, set_aside in ISCHEMIA_CASE_KEYS
)
_CASE_INDEX: dict[CaseKey, int] = {key: i for i, key in enumerate(ISCHEMIA_CASE_KEYS)}

# ---------------------------------------------------------------- input checks and errors


def _allowed_number(low: float, high: float, unit: str) -> str:
    # Same wording as validate.number_in, so scalar and array errors read alike.
    suffix = f" {unit}" if unit else ""
    return f"a number from {low:g} to {high:g}{suffix}"


_NUMBER_FIELDS: tuple[tuple[str, tuple[float, float], str], ...] = (
    ("abi", ABI_RANGE, ""),
    ("ankle_pressure_mmhg", ANKLE_PRESSURE_RANGE_MMHG, "mmHg"),
    ("toe_pressure_mmhg", TOE_PRESSURE_RANGE_MMHG, "mmHg"),
    ("tcpo2_mmhg", TCPO2_RANGE_MMHG, "mmHg"),
)
_FLAG_FIELDS = ("diabetes", "non_compressible")
_FLAG_ALLOWED = "true or false"
_SYSTEM = "wifi_ischemia"
_MEASURE_FIELDS = tuple(name for name, _, _ in _NUMBER_FIELDS)


@dataclass(frozen=True)
class IschemiaError:
    """Why a row could not be graded: an invalid field, or missing measurements."""

    kind: str
    field: str
    allowed: str
    message: str


def _no_measurement() -> CannotClassify:
    return CannotClassify(
        _SYSTEM,
        missing=["one of " + ", ".join(_MEASURE_FIELDS)],
        detail="the ischaemia grade needs at least one perfusion measurement",
    )


def _ankle_unreliable() -> CannotClassify:
    return CannotClassify(
        _SYSTEM,
        missing=["toe_pressure_mmhg or tcpo2_mmhg"],
        detail=(
            "the ankle vessels are non-compressible (reported, or ABI above 1.30), so the "
            "ankle measures cannot grade ischaemia"
        ),
    )


ISCHEMIA_ERRORS: tuple[IschemiaError, ...] = (
    IschemiaError("none", "", "", ""),
    *(
        IschemiaError(
            "invalid",
            name,
            _allowed_number(*limits, unit),
            f"{name}: not allowed; expected {_allowed_number(*limits, unit)}",
        )
        for name, limits, unit in _NUMBER_FIELDS
    ),
    *(
        IschemiaError(
            "invalid", name, _FLAG_ALLOWED, f"{name}: not allowed; expected true or false"
        )
        for name in _FLAG_FIELDS
    ),
    IschemiaError("cannot_classify", ", ".join(_MEASURE_FIELDS), "", str(_no_measurement())),
    IschemiaError("cannot_classify", "toe_pressure_mmhg, tcpo2_mmhg", "", str(_ankle_unreliable())),
)
_ERROR_NO_MEASUREMENT = len(ISCHEMIA_ERRORS) - 2
_ERROR_ANKLE_UNRELIABLE = len(ISCHEMIA_ERRORS) - 1

# ---------------------------------------------------------------- scalar ischaemia grade


@dataclass(frozen=True, kw_only=True)
class IschemiaGrading(Classification):
    """The SVS WIfI ischaemia grade with the measurement that set it."""

    system = "wifi_ischemia"
    ischemia_grade: int
    governing_measure: str


def _agreement(grade: int, others: list[int]) -> Agreement:
    if not others:
        return Agreement.ALONE
    if max(others) > grade:
        return Agreement.OTHER_WORSE
    if min(others) < grade:
        return Agreement.OTHER_BETTER
    return Agreement.AGREE


def _governing(
    grades: dict[Measure, int], *, diabetes: bool, ankle_unreliable: bool
) -> tuple[Basis, Measure]:
    if Measure.TOE_PRESSURE in grades:
        return Basis.TOE_PRIMARY, Measure.TOE_PRESSURE
    has_tcpo2 = Measure.TCPO2 in grades
    if ankle_unreliable:
        if not has_tcpo2:
            raise _ankle_unreliable()
        return Basis.TCPO2_NON_COMPRESSIBLE, Measure.TCPO2
    if diabetes and has_tcpo2:
        return Basis.TCPO2_DIABETES, Measure.TCPO2
    ankle = [m for m in _ANKLE if m in grades]
    if ankle:
        # The table gives ABI and ankle pressure side by side with no precedence: the worse
        # governs (ABI on a tie, as the table's first column).
        worst = max(ankle, key=lambda m: grades[m])
        return (Basis.ANKLE_DIABETES if diabetes else Basis.ANKLE), worst
    return Basis.TCPO2_ONLY, Measure.TCPO2


def wifi_ischemia_grade(
    *,
    abi: float | None = None,
    ankle_pressure_mmhg: float | None = None,
    toe_pressure_mmhg: float | None = None,
    tcpo2_mmhg: float | None = None,
    diabetes: bool | None = None,
    non_compressible: bool | None = None,
) -> IschemiaGrading:
    """Grade ischaemia I0–I3 by SVS WIfI from any of ABI, ankle, toe pressure and TcPO2."""
    raw = (abi, ankle_pressure_mmhg, toe_pressure_mmhg, tcpo2_mmhg)
    inputs: dict[str, object] = {}
    values: dict[Measure, float] = {}
    for measure, (name, (low, high), unit), value in zip(
        MEASURES, _NUMBER_FIELDS, raw, strict=True
    ):
        if value is not None:
            values[measure] = inputs[name] = number_in(name, value, low, high, unit)
    for name, value in zip(_FLAG_FIELDS, (diabetes, non_compressible), strict=True):
        if value is not None:
            inputs[name] = flag(name, value)
    if not values:
        raise _no_measurement()
    abi_value = values.get(Measure.ABI)
    ankle_unreliable = non_compressible is True or (
        abi_value is not None and abi_value > WIFI_ABI_INCOMPRESSIBLE_ABOVE
    )
    grades = {
        m: _BANDS[m].grade(v) for m, v in values.items() if not (ankle_unreliable and m in _ANKLE)
    }
    set_aside = ankle_unreliable and any(m in values for m in _ANKLE)
    basis, measure = _governing(
        grades, diabetes=diabetes is True, ankle_unreliable=ankle_unreliable
    )
    grade = grades[measure]
    agreement = _agreement(grade, [g for m, g in grades.items() if m is not measure])
    case = ISCHEMIA_CASES[_CASE_INDEX[(basis, measure, grade, agreement, set_aside)]]
    return IschemiaGrading(
        ischemia_grade=grade,
        governing_measure=measure.value,
        inputs=inputs,
        rationale=case.rationale,
        source=WIFI_ISCHEMIA.cite(),
        provenance=case.provenance,
        tables=(WIFI_ISCHEMIA,),
    )


# ---------------------------------------------------------------- vectorised twin


@dataclass(frozen=True)
class IschemiaGradeArrays:
    """Per-row results: grade (−1 if none), governing (index into GOVERNING_MEASURES, −1),
    case (index into ISCHEMIA_CASES, −1) and error (index into ISCHEMIA_ERRORS, 0 = none)."""

    grade: Int8Array
    governing: Int8Array
    case: Int8Array
    error: Int8Array


_N_AGREEMENTS = len(Agreement)


def _encode(basis: Any, measure: Any, grade: Any, agreement: Any, set_aside: Any) -> Any:
    # Works on ints and on integer arrays alike: one index per case key.
    return (((basis * 4 + measure) * 4 + grade) * _N_AGREEMENTS + agreement) * 2 + set_aside


def _case_lookup() -> Int8Array:
    lookup = np.full(len(Basis) * 4 * 4 * _N_AGREEMENTS * 2, -1, dtype=np.int8)
    bases, measures, agreements = list(Basis), list(Measure), list(Agreement)
    for index, (basis, measure, grade, agreement, set_aside) in enumerate(ISCHEMIA_CASE_KEYS):
        code = _encode(
            bases.index(basis),
            measures.index(measure),
            grade,
            agreements.index(agreement),
            int(set_aside),
        )
        lookup[code] = index
    return lookup


_CASE_LOOKUP = _case_lookup()


def _band_grades(values: FloatArray, bands: IschemiaBands) -> Int8Array:
    met = sum(
        (values >= cut.value) if cut.inclusive else (values > cut.value) for cut in bands.cuts
    )
    return np.where(np.isnan(values), -1, 3 - np.asarray(met, dtype=np.int8)).astype(np.int8)


def _column(values: FloatArray) -> FloatArray:
    return np.atleast_1d(np.asarray(values, dtype=np.float64)).reshape(-1)


def _first_errors(numbers: list[FloatArray], flags: list[FloatArray]) -> Int8Array:
    error = np.zeros(numbers[0].shape, dtype=np.int8)
    bad_masks = [
        ~np.isnan(values) & ~((values >= low) & (values <= high))
        for values, (_, (low, high), _) in zip(numbers, _NUMBER_FIELDS, strict=True)
    ]
    bad_masks += [~np.isnan(values) & (values != 0.0) & (values != 1.0) for values in flags]
    for code, bad in enumerate(bad_masks, start=1):
        error = np.where((error == 0) & bad, np.int8(code), error)
    return error


def wifi_ischemia_grade_array(
    *,
    abi: FloatArray,
    ankle_pressure_mmhg: FloatArray,
    toe_pressure_mmhg: FloatArray,
    tcpo2_mmhg: FloatArray,
    diabetes: FloatArray,
    non_compressible: FloatArray,
) -> IschemiaGradeArrays:
    """Vectorised `wifi_ischemia_grade`: NaN marks an absent value, flags are 1.0/0.0/NaN."""
    numbers = [_column(a) for a in (abi, ankle_pressure_mmhg, toe_pressure_mmhg, tcpo2_mmhg)]
    flags = [_column(a) for a in (diabetes, non_compressible)]
    if len({v.shape for v in numbers + flags}) != 1:
        raise ValueError("all input arrays must have the same length")
    error = _first_errors(numbers, flags)
    present = np.stack([~np.isnan(v) for v in numbers])
    has_diabetes = flags[0] == 1.0
    abi_values = numbers[0]
    ankle_unreliable = (flags[1] == 1.0) | (abi_values > WIFI_ABI_INCOMPRESSIBLE_ABOVE)
    grades = np.stack([_band_grades(v, _BANDS[m]) for v, m in zip(numbers, MEASURES, strict=True)])
    grades[0:2] = np.where(ankle_unreliable, np.int8(-1), grades[0:2])
    usable = grades >= 0
    set_aside = ankle_unreliable & (present[0] | present[1])
    has_ankle = usable[0] | usable[1]
    has_toe, has_tcpo2 = usable[2], usable[3]

    no_measurement = ~present.any(axis=0)
    unreliable_only = ~no_measurement & ~has_toe & ankle_unreliable & ~has_tcpo2
    error = np.where((error == 0) & no_measurement, np.int8(_ERROR_NO_MEASUREMENT), error)
    error = np.where((error == 0) & unreliable_only, np.int8(_ERROR_ANKLE_UNRELIABLE), error)

    bases = list(Basis)
    ankle_basis = np.where(
        has_diabetes, bases.index(Basis.ANKLE_DIABETES), bases.index(Basis.ANKLE)
    )
    basis = np.select(
        [has_toe, ankle_unreliable, has_diabetes & has_tcpo2, has_ankle],
        [
            bases.index(Basis.TOE_PRIMARY),
            bases.index(Basis.TCPO2_NON_COMPRESSIBLE),
            bases.index(Basis.TCPO2_DIABETES),
            ankle_basis,
        ],
        default=bases.index(Basis.TCPO2_ONLY),
    )
    ankle_measure = np.where(usable[0] & (grades[0] >= grades[1]), 0, 1)
    governing = np.select(
        [has_toe, ankle_unreliable | (has_diabetes & has_tcpo2), has_ankle],
        [2, 3, ankle_measure],
        default=3,
    )
    rows = np.arange(governing.shape[0])
    grade = grades[governing, rows]
    others = usable & (np.arange(4)[:, None] != governing[None, :])
    worse = (others & (grades > grade)).any(axis=0)
    better = (others & (grades < grade)).any(axis=0)
    agreements = list(Agreement)
    agreement = np.select(
        [worse, better, others.any(axis=0)],
        [
            agreements.index(Agreement.OTHER_WORSE),
            agreements.index(Agreement.OTHER_BETTER),
            agreements.index(Agreement.AGREE),
        ],
        default=agreements.index(Agreement.ALONE),
    )
    # set_aside can only hold where the ankle is unreliable, i.e. for the first two bases.
    code = _encode(basis, governing, grade, agreement, set_aside.astype(np.int64))
    ok = error == 0
    case = np.where(ok, _CASE_LOOKUP[np.where(ok, code, 0)], -1)
    return IschemiaGradeArrays(
        grade=np.where(ok, grade, -1).astype(np.int8),
        governing=np.where(ok, governing, -1).astype(np.int8),
        case=case.astype(np.int8),
        error=error,
    )


# ---------------------------------------------------------------- ABI, TBI and their bands


def _higher(values: tuple[float | None, float | None]) -> float | None:
    # AHA 2012: the higher of the two pressures (DP/PT per leg; right/left arm).
    checked = [v for v in values if v is not None]
    return max(checked) if checked else None


def _pressures(
    names: tuple[str, str], values: tuple[float | None, float | None], limits: tuple[float, float]
) -> tuple[float | None, float | None]:
    low, high = limits
    first, second = (
        None if v is None else number_in(n, v, low, high, "mmHg")
        for n, v in zip(names, values, strict=True)
    )
    return first, second


_ANKLE_NAMES = ("dorsalis_pedis_mmhg", "posterior_tibial_mmhg")
_BRACHIAL_NAMES = ("brachial_right_mmhg", "brachial_left_mmhg")


def ankle_brachial_index(
    *,
    dorsalis_pedis_mmhg: float | None,
    posterior_tibial_mmhg: float | None,
    brachial_right_mmhg: float | None,
    brachial_left_mmhg: float | None,
) -> float:
    """ABI of one leg: the higher of its DP and PT pressures over the higher brachial pressure."""
    ankle = _higher(
        _pressures(
            _ANKLE_NAMES, (dorsalis_pedis_mmhg, posterior_tibial_mmhg), ANKLE_PRESSURE_RANGE_MMHG
        ),
    )
    brachial = _higher(
        _pressures(
            _BRACHIAL_NAMES,
            (brachial_right_mmhg, brachial_left_mmhg),
            BRACHIAL_PRESSURE_RANGE_MMHG,
        ),
    )
    missing = []
    if ankle is None:
        missing.append("dorsalis_pedis_mmhg or posterior_tibial_mmhg")
    if brachial is None:
        missing.append("brachial_right_mmhg or brachial_left_mmhg")
    if ankle is None or brachial is None:
        raise CannotClassify("abi", missing=missing)
    return ankle / brachial


def toe_brachial_index(
    *,
    toe_pressure_mmhg: float,
    brachial_right_mmhg: float | None,
    brachial_left_mmhg: float | None,
) -> float:
    """TBI: the toe pressure over the higher brachial pressure."""
    toe = number_in("toe_pressure_mmhg", toe_pressure_mmhg, *TOE_PRESSURE_RANGE_MMHG, "mmHg")
    brachial = _higher(
        _pressures(
            _BRACHIAL_NAMES,
            (brachial_right_mmhg, brachial_left_mmhg),
            BRACHIAL_PRESSURE_RANGE_MMHG,
        ),
    )
    if brachial is None:
        raise CannotClassify("tbi", missing=["brachial_right_mmhg or brachial_left_mmhg"])
    return toe / brachial


def abi_band(abi: float) -> AbiBand:
    """AHA band of an ABI (≤0.90 abnormal, to 1.00 borderline, to 1.40 normal, above that
    non-compressible)."""
    value = number_in("abi", abi, *ABI_RANGE)
    if value > ABI_NON_COMPRESSIBLE_ABOVE:
        return AbiBand.NON_COMPRESSIBLE
    if value >= ABI_NORMAL_FROM:
        return AbiBand.NORMAL
    if value > ABI_ABNORMAL_AT_OR_BELOW:
        return AbiBand.BORDERLINE
    return AbiBand.ABNORMAL


def tbi_band(tbi: float) -> TbiBand:
    """TBI band: abnormal below 0.70 (IWGDF 2023)."""
    value = number_in("tbi", tbi, *ABI_RANGE)
    return TbiBand.NORMAL if value >= TBI_NORMAL_FROM else TbiBand.ABNORMAL


_ABI_BAND_WORDS = {
    AbiBand.ABNORMAL: "ABI ≤0.90: abnormal, PAD",
    AbiBand.BORDERLINE: "ABI above 0.90 and below 1.00: borderline",
    AbiBand.NORMAL: "ABI 1.00–1.40: normal",
    AbiBand.NON_COMPRESSIBLE: "ABI above 1.40: non-compressible vessels, ABI unreliable",
}
_TBI_BAND_WORDS = {
    TbiBand.ABNORMAL: "TBI below 0.70: abnormal, PAD likely",
    TbiBand.NORMAL: "TBI ≥0.70: PAD less likely",
}
_ABI_BAND_EDGE_NOTE = (
    "AHA prints ABI bands to two decimals (≤0.90, 0.91–0.99, 1.00–1.40, >1.40); an unrounded "
    "ABI above 0.90 and below 1.00 is read as borderline."
)
_ABI_IWGDF_NOTE = (
    "ABI above 1.30: normal for the AHA (up to 1.40) but above the upper limit IWGDF 2023 and "
    "SVS WIfI use for compressible vessels in diabetes; WIfI grading sets it aside."
)
_TBI_EDGE_NOTE = (
    "TBI 0.70: normal by IWGDF 2023 (abnormal below 0.70, our choice) but abnormal by the "
    "2016 AHA/ACC guideline (≤0.70)."
)


@dataclass(frozen=True, kw_only=True)
class PerfusionResult(Classification):
    """ABI and TBI with their bands and, when gradable, the WIfI ischaemia grade of one limb."""

    system = "perfusion"
    abi: float | None
    abi_band: str | None
    tbi: float | None
    tbi_band: str | None
    ankle_pressure_mmhg: float | None
    ischemia_grade: int | None
    governing_measure: str | None


@dataclass
class _Findings:
    inputs: dict[str, object]
    rationale: list[str]
    provenance: list[str]
    tables: list[Table]


def _checked_number(
    findings: _Findings, name: str, value: float | None, limits: tuple[float, float], unit: str
) -> float | None:
    if value is None:
        return None
    checked = number_in(name, value, *limits, unit)
    findings.inputs[name] = checked
    return checked


def _reconciled(
    name: str, given: float | None, computed: float | None, tolerance: float, what: str
) -> float | None:
    if given is None or computed is None:
        return computed if computed is not None else given
    # 1e-9 absorbs binary float noise (0.81 - 0.80 is 0.0100000000000000089).
    if abs(given - computed) > tolerance + 1e-9:
        raise CannotClassify(
            "perfusion", conflicts=[f"{name} differs from the {what} by more than {tolerance:g}"]
        )
    return computed


def _abi_findings(findings: _Findings, abi: float | None) -> str | None:
    if abi is None:
        return None
    band = abi_band(abi)
    findings.rationale.append(_ABI_BAND_WORDS[band])
    if ABI_ABNORMAL_AT_OR_BELOW < abi < ABI_NORMAL_FROM:
        findings.provenance.append(_ABI_BAND_EDGE_NOTE)
    if WIFI_ABI_INCOMPRESSIBLE_ABOVE < abi <= ABI_NON_COMPRESSIBLE_ABOVE:
        findings.provenance.append(_ABI_IWGDF_NOTE)
    findings.tables.append(ABI_BANDS)
    return band.value


def _tbi_findings(findings: _Findings, tbi: float | None) -> str | None:
    if tbi is None:
        return None
    band = tbi_band(tbi)
    findings.rationale.append(_TBI_BAND_WORDS[band])
    if round(tbi, 2) == TBI_AHA_ABNORMAL_AT_OR_BELOW:
        findings.provenance.append(_TBI_EDGE_NOTE)
    findings.tables.append(TBI_BANDS)
    return band.value


def _ischemia_findings(findings: _Findings, **measures: object) -> IschemiaGrading | None:
    given = {k: v for k, v in measures.items() if v is not None}
    if not set(given) & set(_MEASURE_FIELDS):
        return None
    try:
        grading = wifi_ischemia_grade(**given)  # type: ignore[arg-type]
    except CannotClassify as reason:
        findings.rationale.append(f"WIfI ischaemia not graded ({reason})")
        return None
    findings.rationale.append("WIfI " + grading.rationale)
    findings.provenance.append(grading.provenance)
    findings.tables.append(WIFI_ISCHEMIA)
    return grading


def classify_perfusion(
    *,
    brachial_right_mmhg: float | None = None,
    brachial_left_mmhg: float | None = None,
    dorsalis_pedis_mmhg: float | None = None,
    posterior_tibial_mmhg: float | None = None,
    ankle_pressure_mmhg: float | None = None,
    toe_pressure_mmhg: float | None = None,
    tcpo2_mmhg: float | None = None,
    abi: float | None = None,
    non_compressible: bool | None = None,
    diabetes: bool | None = None,
) -> PerfusionResult:
    """Interpret one limb's pressures: ABI, TBI and their bands, and the WIfI ischaemia grade."""
    findings = _Findings(inputs={}, rationale=[], provenance=[], tables=[])
    mmhg = "mmHg"
    brachials = [
        _checked_number(findings, n, v, BRACHIAL_PRESSURE_RANGE_MMHG, mmhg)
        for n, v in zip(_BRACHIAL_NAMES, (brachial_right_mmhg, brachial_left_mmhg), strict=True)
    ]
    ankles = [
        _checked_number(findings, n, v, ANKLE_PRESSURE_RANGE_MMHG, mmhg)
        for n, v in zip(_ANKLE_NAMES, (dorsalis_pedis_mmhg, posterior_tibial_mmhg), strict=True)
    ]
    given_ankle = _checked_number(
        findings, "ankle_pressure_mmhg", ankle_pressure_mmhg, ANKLE_PRESSURE_RANGE_MMHG, mmhg
    )
    toe = _checked_number(
        findings, "toe_pressure_mmhg", toe_pressure_mmhg, TOE_PRESSURE_RANGE_MMHG, mmhg
    )
    tcpo2 = _checked_number(findings, "tcpo2_mmhg", tcpo2_mmhg, TCPO2_RANGE_MMHG, mmhg)
    measured_abi = _checked_number(findings, "abi", abi, ABI_RANGE, "")
    for name, value in (("non_compressible", non_compressible), ("diabetes", diabetes)):
        if value is not None:
            findings.inputs[name] = flag(name, value)
    brachial = _higher((brachials[0], brachials[1]))
    ankle = _reconciled(
        "ankle_pressure_mmhg",
        given_ankle,
        _higher((ankles[0], ankles[1])),
        ANKLE_PRESSURE_AGREEMENT_TOLERANCE_MMHG,
        "higher of dorsalis_pedis_mmhg and posterior_tibial_mmhg",
    )
    computed_abi = None if ankle is None or brachial is None else ankle / brachial
    limb_abi = _reconciled(
        "abi",
        measured_abi,
        computed_abi,
        ABI_AGREEMENT_TOLERANCE,
        "ABI computed from the pressures",
    )
    tbi = None if toe is None or brachial is None else toe / brachial
    band = _abi_findings(findings, limb_abi)
    if non_compressible is True:
        findings.rationale.append("non-compressible ankle vessels reported: ABI unreliable")
    tbi_text = _tbi_findings(findings, tbi)
    grading = _ischemia_findings(
        findings,
        abi=limb_abi,
        ankle_pressure_mmhg=ankle,
        toe_pressure_mmhg=toe,
        tcpo2_mmhg=tcpo2,
        diabetes=diabetes,
        non_compressible=non_compressible,
    )
    if limb_abi is None and tbi is None and grading is None:
        raise CannotClassify(
            "perfusion",
            missing=["brachial and ankle or toe pressures, a measured abi, or tcpo2_mmhg"],
            detail="; ".join(findings.rationale),
        )
    return PerfusionResult(
        abi=limb_abi,
        abi_band=band,
        tbi=tbi,
        tbi_band=tbi_text,
        ankle_pressure_mmhg=ankle,
        ischemia_grade=None if grading is None else grading.ischemia_grade,
        governing_measure=None if grading is None else grading.governing_measure,
        inputs=findings.inputs,
        rationale="; ".join(findings.rationale),
        source="; ".join(t.cite() for t in findings.tables),
        provenance=" ".join(p for p in findings.provenance if p),
        tables=tuple(findings.tables),
    )


def _number_field(name: str, help_text: str, alias: str) -> InputField:
    # The option is the column name, unit included; the shorter first spelling stays an alias.
    return InputField(name, Kind.NUMBER, help_text, aliases=(alias,))


SYSTEM = System(
    name="perfusion",
    title="Perfusion: ABI, TBI, toe pressure, TcPO2 and the SVS WIfI ischaemia grade",
    fields=(
        _number_field(
            "brachial_right_mmhg", "right brachial systolic pressure (mmHg)", "--brachial-right"
        ),
        _number_field(
            "brachial_left_mmhg", "left brachial systolic pressure (mmHg)", "--brachial-left"
        ),
        _number_field(
            "dorsalis_pedis_mmhg",
            "dorsalis pedis systolic pressure of this limb (mmHg)",
            "--dorsalis-pedis",
        ),
        _number_field(
            "posterior_tibial_mmhg",
            "posterior tibial systolic pressure of this limb (mmHg)",
            "--posterior-tibial",
        ),
        _number_field(
            "ankle_pressure_mmhg",
            "ankle systolic pressure when DP/PT are not recorded separately (mmHg)",
            "--ankle-pressure",
        ),
        _number_field("toe_pressure_mmhg", "toe systolic pressure (mmHg)", "--toe-pressure"),
        _number_field("tcpo2_mmhg", "transcutaneous oxygen pressure, forefoot (mmHg)", "--tcpo2"),
        _number_field("abi", "directly measured ankle-brachial index", "--abi"),
        InputField(
            "non_compressible",
            Kind.FLAG,
            "ankle vessels non-compressible (calcified)",
            option="--non-compressible",
        ),
        InputField("diabetes", Kind.FLAG, "the patient has diabetes", option="--diabetes"),
    ),
    classify=classify_perfusion,
    example=(
        "--brachial-right-mmhg 130 --brachial-left-mmhg 124 --dorsalis-pedis-mmhg 70 "
        "--posterior-tibial-mmhg 82 --toe-pressure-mmhg 35 --diabetes"
    ),
)
