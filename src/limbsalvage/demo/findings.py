"""Raw findings that reproduce each synthetic limb's WIfI grades when the engine stages them.

Perfusion values are drawn inside the SVS ischaemia band of the limb's grade and checked with
the engine's own vectorised grading (`limbsalvage.core.perfusion.wifi_ischemia_grade_array`);
any value that lands on the wrong side of a band edge after rounding is drawn again. Wound
words (ulcer, gangrene) come from the SVS wound table for the limb's W grade, and infection
signs follow the IWGDF/IDSA 2023 definitions behind the fI grade. Tests stage a cohort with
`classify_wifi` from these stored findings and compare every stage.
"""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from limbsalvage.core.perfusion import wifi_ischemia_grade_array
from limbsalvage.core.tables.wifi import GANGRENE_GRADES, ULCER_GRADES
from limbsalvage.demo.generator import BoolArray, FloatArray, IntArray

# Band of each ischaemia grade (I0…I3) for each measure, as drawn (inside the SVS cut-offs).
TOE_BANDS_MMHG = ((60, 100), (40, 59), (30, 39), (5, 29))
ABI_BANDS = ((0.80, 1.20), (0.60, 0.79), (0.40, 0.59), (0.12, 0.39))
NON_COMPRESSIBLE_ABI = (1.35, 1.80)
_DRAW_LIMIT = 50


@dataclass
class Perfusion:
    """One perfusion study per limb (whole mmHg; indices to two decimals)."""

    brachial_right_mmhg: FloatArray
    brachial_left_mmhg: FloatArray
    dorsalis_pedis_mmhg: FloatArray
    posterior_tibial_mmhg: FloatArray
    toe_pressure_mmhg: FloatArray  # NaN when not measured
    tcpo2_mmhg: FloatArray  # NaN when not measured
    abi: FloatArray
    tbi: FloatArray  # NaN without a toe pressure
    non_compressible: BoolArray

    def ankle_pressure_mmhg(self) -> FloatArray:
        """The higher of the two pedal pressures (AHA 2012), as the ABI uses it."""
        return np.maximum(self.dorsalis_pedis_mmhg, self.posterior_tibial_mmhg)

    def ischemia_grades(self, diabetes: BoolArray) -> npt.NDArray[np.int8]:
        """The engine's WIfI ischaemia grade of each study."""
        return wifi_ischemia_grade_array(
            abi=self.abi,
            ankle_pressure_mmhg=self.ankle_pressure_mmhg(),
            toe_pressure_mmhg=self.toe_pressure_mmhg,
            tcpo2_mmhg=self.tcpo2_mmhg,
            diabetes=diabetes.astype(np.float64),
            non_compressible=self.non_compressible.astype(np.float64),
        ).grade


def _uniform_in(
    rng: np.random.Generator, bands: tuple[tuple[float, float], ...], grade: IntArray
) -> FloatArray:
    low = np.array([b[0] for b in bands])[grade]
    high = np.array([b[1] for b in bands])[grade]
    return np.asarray(rng.uniform(low, high), dtype=np.float64)


def perfusion(rng: np.random.Generator, *, grade: IntArray, diabetes: BoolArray) -> Perfusion:
    """Studies whose engine grade equals `grade` (0–3) for every limb."""
    n = grade.shape[0]
    result = _draw(rng, grade, diabetes, np.ones(n, dtype=bool), None)
    for _ in range(_DRAW_LIMIT):
        wrong = result.ischemia_grades(diabetes) != grade
        if not wrong.any():
            return result
        result = _draw(rng, grade, diabetes, wrong, result)
    raise RuntimeError("perfusion values did not settle in their bands")  # pragma: no cover


def _draw(
    rng: np.random.Generator,
    grade: IntArray,
    diabetes: BoolArray,
    redo: BoolArray,
    previous: Perfusion | None,
) -> Perfusion:
    n = grade.shape[0]
    right = np.round(np.clip(rng.normal(138, 18, n), 95, 200))
    left = np.round(np.clip(right + rng.normal(0, 6, n), 90, 205))
    brachial = np.maximum(right, left)
    non_compressible = diabetes & (rng.random(n) < 0.12)
    has_toe = non_compressible | (rng.random(n) < np.where(diabetes, 0.9, 0.6))
    toe = np.where(has_toe, np.round(_uniform_in(rng, TOE_BANDS_MMHG, grade)), np.nan)
    has_tcpo2 = rng.random(n) < 0.3
    tcpo2 = np.where(has_tcpo2, np.round(_uniform_in(rng, TOE_BANDS_MMHG, grade)), np.nan)
    # With a toe pressure governing, the ankle often reads a band milder (calcified vessels).
    ankle_grade = np.where(has_toe & (rng.random(n) < 0.25), np.maximum(grade - 1, 0), grade)
    abi_drawn = np.where(
        non_compressible,
        rng.uniform(*NON_COMPRESSIBLE_ABI, n),
        _uniform_in(rng, ABI_BANDS, ankle_grade),
    )
    higher = np.round(abi_drawn * brachial)
    lower = np.maximum(higher - np.round(rng.uniform(0, 25, n)), 0)
    dp_higher = rng.random(n) < 0.5
    dp = np.where(dp_higher, higher, lower)
    pt = np.where(dp_higher, lower, higher)
    abi = np.round(higher / brachial, 2)
    tbi = np.round(toe / brachial, 2)
    fresh = Perfusion(right, left, dp, pt, toe, tcpo2, abi, tbi, non_compressible)
    if previous is None:
        return fresh
    merged = {
        name: np.where(redo, getattr(fresh, name), getattr(previous, name))
        for name in Perfusion.__dataclass_fields__
    }
    return Perfusion(**merged)


def doppler_waveform(grade: int, draw: float) -> str:
    """A pedal Doppler waveform plausible for the ischaemia grade (assumption)."""
    choices = (
        ("triphasic", "biphasic"),
        ("biphasic", "monophasic"),
        ("monophasic",),
        ("monophasic", "absent"),
    )
    options = choices[grade]
    return options[int(draw * len(options))]


# Wound words per W grade: (ulcer, gangrene, share) from the SVS wound table (core/tables/wifi).
WOUND_WORDS: dict[int, tuple[tuple[str, str, float], ...]] = {
    1: (("shallow", "none", 0.85), ("exposed_distal_phalanx", "none", 0.15)),
    2: (("deep", "none", 0.6), ("heel_shallow", "none", 0.1), ("shallow", "digits", 0.3)),
    3: (
        ("extensive_forefoot_midfoot", "none", 0.4),
        ("heel_deep", "none", 0.2),
        ("deep", "forefoot_midfoot", 0.3),
        ("shallow", "heel", 0.1),
    ),
}
# Where each ulcer or gangrene word puts the wound (assumption within the word's meaning).
_LOCATIONS = {
    "heel_shallow": ("heel",),
    "heel_deep": ("heel",),
    "heel": ("heel",),
    "digits": ("hallux", "lesser_toes"),
    "exposed_distal_phalanx": ("hallux", "lesser_toes"),
    "extensive_forefoot_midfoot": ("forefoot_plantar", "midfoot_plantar"),
    "forefoot_midfoot": ("forefoot_dorsal", "forefoot_plantar"),
    "deep": ("forefoot_plantar", "hallux", "midfoot_plantar", "lesser_toes"),
    "shallow": ("hallux", "lesser_toes", "forefoot_plantar", "forefoot_dorsal", "midfoot_medial"),
}


def wound_grade_of(ulcer: str, gangrene: str) -> int:
    """W grade of one wound by the SVS table: the worse of its ulcer and gangrene grades."""
    return max(ULCER_GRADES[ulcer][0], GANGRENE_GRADES[gangrene][0])


def wound_words(grade: int, draw: float) -> tuple[str, str]:
    """Ulcer and gangrene words for a W grade (1–3)."""
    cumulative = 0.0
    options = WOUND_WORDS[grade]
    for ulcer, gangrene, share in options:
        cumulative += share
        if draw < cumulative:
            return ulcer, gangrene
    return options[-1][0], options[-1][1]


def wound_location(ulcer: str, gangrene: str, draw: float) -> str:
    """A foot location consistent with the words."""
    word = gangrene if gangrene != "none" else ulcer
    options = _LOCATIONS[word]
    return options[int(draw * len(options))]


# Starting wound area by W grade, cm² (assumption; cf. Hicks 2018: 2.6 cm² at stage 1 and
# 15.3 cm² at stage 4 on average).
AREA_RANGE_CM2 = {1: (0.5, 4.0), 2: (2.0, 12.0), 3: (8.0, 40.0)}
DEPTH_RANGE_CM = {1: (0.1, 0.3), 2: (0.4, 1.2), 3: (0.8, 2.5)}


@dataclass(frozen=True)
class InfectionSigns:
    """IWGDF/IDSA findings of one foot (names as `classify iwgdf` reads them)."""

    erythema_extent_cm: float
    swelling_or_induration: bool
    local_tenderness_or_pain: bool
    local_warmth: bool
    purulent_discharge: bool
    deep_tissue_involvement: bool
    sirs_criteria_count: int
    osteomyelitis: bool
    osteomyelitis_basis: str | None
    temperature_c: float | None
    heart_rate_bpm: float | None


def infection_signs(grade: int, draws: FloatArray) -> InfectionSigns:
    """Signs that IWGDF/IDSA 2023 grade as the WIfI fI `grade` (0–3); `draws` are 6 uniforms."""
    if grade == 0:
        return InfectionSigns(0.0, False, False, False, False, False, 0, False, None, None, None)
    purulent = bool(draws[0] < 0.5)
    if grade == 1:
        erythema = round(0.5 + 1.5 * float(draws[1]), 1)
        warm = bool(draws[2] < 0.7)
        sirs = int(draws[3] < 0.3)
        return InfectionSigns(
            erythema, True, True, warm, purulent, False, sirs, False, None, None, None
        )
    deep = bool(draws[2] < 0.5)
    erythema = round(2.1 + 5.9 * float(draws[1]), 1) if not deep or draws[4] < 0.5 else 1.5
    osteomyelitis = bool(deep and draws[5] < 0.3)
    basis = "probe_to_bone" if osteomyelitis else None
    if grade == 2:
        sirs = int(draws[3] < 0.3)
        return InfectionSigns(
            erythema, True, True, True, purulent, deep, sirs, osteomyelitis, basis, None, None
        )
    sirs = 2 + int(draws[3] * 3)
    temperature = round(38.3 + float(draws[4]), 1)
    heart_rate = float(round(95 + 30 * draws[5]))
    return InfectionSigns(
        erythema,
        True,
        True,
        True,
        purulent,
        deep,
        sirs,
        osteomyelitis,
        basis,
        temperature,
        heart_rate,
    )
