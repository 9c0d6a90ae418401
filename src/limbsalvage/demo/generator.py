"""The synthetic cohort as numpy arrays: who presents, with what limb, and what happens after.

Deterministic for (seed, number of patients): patients are drawn in fixed-size chunks, chunk k
from `numpy.random.default_rng([seed, k])`. Times are whole days; patient arrays count from
the index presentation (day 0), episode arrays from the episode's own presentation, and
`days_before_as_of` anchors day 0 to the calendar, so the same cohort can be dated to any
as-of date.

Calibration (see `limbsalvage.demo.model`) is by exact allocation within strata: among the
WIfI-staged episodes of one stage whose first year lies before the as-of date, exactly
round(target × n) have a major amputation within 365 days, and likewise for deaths within a
year among patients with a WIfI-staged index episode. The realised rates therefore match the
published figures up to rounding, at any cohort size, instead of drifting by sampling noise.
"""

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from limbsalvage.core.tables.wifi import STAGE
from limbsalvage.core.vocabulary import EpisodeCause
from limbsalvage.demo import model

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

CHUNK_PATIENTS = 10_000
NONE = -1  # "no such day" in the integer day arrays
CAUSES: tuple[EpisodeCause, ...] = tuple(model.CAUSE_MIX)
_WIFI_CAUSE_CODES = np.array([c in model.WIFI_CAUSES for c in CAUSES])
_STAGE = np.array(STAGE, dtype=np.int64)  # [ischemia, wound, infection]
YEAR = 365


@dataclass
class Cohort:
    """One chunk of the cohort. Patient arrays have n rows, episode arrays m ≥ n rows."""

    # Patients.
    age_years: FloatArray
    female: BoolArray
    dialysis: BoolArray
    diabetes: BoolArray
    days_before_as_of: IntArray  # of the index presentation
    death_day: IntArray  # NONE when alive at the as-of date (or lost before dying)
    lost_day: IntArray  # NONE unless lost to follow-up on that day
    last_known_alive_day: IntArray
    # Episodes (the first n are the index episodes, in patient order).
    patient: IntArray
    contralateral: BoolArray
    cause: IntArray  # index into CAUSES
    start_day: IntArray  # presentation, days from the patient's index presentation
    wound_grade: IntArray  # NONE outside WIfI causes
    ischemia_grade: IntArray
    infection_grade: IntArray
    stage: IntArray  # WIfI clinical stage 1–4, NONE outside WIfI causes
    amputation_day: IntArray  # major amputation, days from the episode's presentation
    healed_day: IntArray
    closed_day: IntArray
    inpatient: BoolArray

    @property
    def patients(self) -> int:
        """Number of patients in the chunk."""
        return int(self.age_years.shape[0])

    @property
    def episodes(self) -> int:
        """Number of episodes in the chunk."""
        return int(self.patient.shape[0])

    def follow_up_days(self) -> IntArray:
        """Per episode: days from its presentation to the as-of date."""
        return self.days_before_as_of[self.patient] - self.start_day

    def mature(self) -> BoolArray:
        """Per episode: whether its whole first year lies before the as-of date."""
        return self.follow_up_days() >= YEAR


def chunk_sizes(patients: int) -> list[int]:
    """The fixed chunking that makes the cohort a function of (seed, patients)."""
    full, rest = divmod(patients, CHUNK_PATIENTS)
    return [CHUNK_PATIENTS] * full + ([rest] if rest else [])


def generate(*, patients: int, seed: int) -> Iterator[Cohort]:
    """The cohort, chunk by chunk."""
    for index, size in enumerate(chunk_sizes(patients)):
        yield _chunk(np.random.default_rng([seed, index]), size)


def _choice(
    rng: np.random.Generator, weights: Mapping[Any, float] | Sequence[float], n: int
) -> IntArray:
    p = np.array(list(weights.values()) if isinstance(weights, Mapping) else weights, dtype=float)
    return rng.choice(len(p), size=n, p=p / p.sum()).astype(np.int64)


def allocate(
    rng: np.random.Generator, members: IntArray, share: float, weights: FloatArray | None = None
) -> IntArray:
    """Exactly round(share × len(members)) of `members`, drawn with optional weights."""
    count = round(share * members.shape[0])
    if count == 0:
        return members[:0]
    if weights is None:
        return np.sort(rng.choice(members, size=count, replace=False))
    # Gumbel top-k: weighted sampling without replacement in one vectorised step.
    keys = np.log(weights) + rng.gumbel(size=members.shape[0])
    return np.sort(members[np.argsort(-keys)[:count]])


def _chunk(rng: np.random.Generator, n: int) -> Cohort:
    cause = _choice(rng, model.CAUSE_MIX, n)
    age = np.empty(n)
    for code, c in enumerate(CAUSES):
        mean, sd, low, high = model.AGE_AT_PRESENTATION[c]
        rows = cause == code
        age[rows] = np.clip(rng.normal(mean, sd, rows.sum()), low, high)
    female = rng.random(n) < 0.38
    diabetes = np.where(
        cause == CAUSES.index(EpisodeCause.DIABETIC_FOOT),
        True,
        rng.random(n) < np.where(cause == CAUSES.index(EpisodeCause.CLTI), 0.6, 0.2),
    )
    dialysis = rng.random(n) < np.where(_WIFI_CAUSE_CODES[cause], 0.11, 0.02)
    days_before = rng.integers(7, model.PRESENTATION_WINDOW_DAYS + 1, n).astype(np.int64)

    # Contralateral episodes are decided after deaths (they need a living patient), so the
    # index episodes' grades come first.
    grades = _grades(rng, cause)
    death_day = _deaths(rng, cause, grades[3], dialysis, days_before)
    contra = _contralateral(rng, cause, death_day, days_before)
    m = n + contra.shape[0]
    patient = np.concatenate([np.arange(n), contra])
    start_day = np.zeros(m, dtype=np.int64)
    start_day[n:] = rng.integers(30, YEAR + 1, contra.shape[0])
    start_day[n:] = np.minimum(start_day[n:], days_before[contra])
    episode_cause = cause[patient]
    contra_grades = _grades(rng, cause[contra])
    wound, ischemia, infection, stage = (
        np.concatenate([a, b]) for a, b in zip(grades, contra_grades, strict=True)
    )
    follow_up = days_before[patient] - start_day
    amputation_day = _amputations(
        rng,
        cause=episode_cause,
        stage=stage,
        follow_up=follow_up,
        death_day=death_day[patient],
        start_day=start_day,
    )
    healed_day = _healing(
        rng,
        cause=episode_cause,
        wound=wound,
        stage=stage,
        amputation_day=amputation_day,
        lived=death_day[patient] - start_day,
    )
    lost_day = _losses(rng, death_day, days_before, contra)
    # What happens after a loss to follow-up, or after the as-of date, is not known.
    known_until = np.where(lost_day >= 0, lost_day, days_before)
    death_day = np.where((death_day >= 0) & (death_day <= known_until), death_day, NONE)
    limit = known_until[patient] - start_day
    amputation_day = np.where(amputation_day <= limit, amputation_day, NONE)
    healed_day = np.where(healed_day <= limit, healed_day, NONE)
    closed_day = _closures(
        rng,
        cause=episode_cause,
        wound=wound,
        amputation_day=amputation_day,
        healed_day=healed_day,
        death_day=death_day[patient] - start_day,
        dead=death_day[patient] >= 0,
        limit=limit,
    )
    severe = (stage == 4) & (infection >= 2)
    inpatient = np.where(
        np.isin(
            episode_cause,
            [CAUSES.index(EpisodeCause.ACUTE_LIMB_ISCHEMIA), CAUSES.index(EpisodeCause.TRAUMA)],
        ),
        True,
        rng.random(m) < np.where(severe, 0.8, 0.25),
    )
    last_event = np.zeros(n, dtype=np.int64)
    for days in (amputation_day, healed_day, closed_day):
        absolute = np.where(days >= 0, days + start_day, 0)
        np.maximum.at(last_event, patient, absolute)
    np.maximum.at(last_event, patient, start_day)
    last_known = np.where(
        death_day >= 0,
        death_day,
        np.where(lost_day >= 0, lost_day, days_before - rng.integers(0, 91, n)),
    )
    last_known = np.maximum(last_known, last_event)
    return Cohort(
        age_years=age,
        female=female,
        dialysis=dialysis,
        diabetes=diabetes,
        days_before_as_of=days_before,
        death_day=death_day,
        lost_day=lost_day,
        last_known_alive_day=last_known,
        patient=patient,
        contralateral=np.arange(m) >= n,
        cause=episode_cause,
        start_day=start_day,
        wound_grade=wound,
        ischemia_grade=ischemia,
        infection_grade=infection,
        stage=stage,
        amputation_day=amputation_day,
        healed_day=healed_day,
        closed_day=closed_day,
        inpatient=inpatient,
    )


def _grades(
    rng: np.random.Generator, cause: IntArray
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    n = cause.shape[0]
    wound, ischemia, infection = (np.full(n, NONE, dtype=np.int64) for _ in range(3))
    # In CAUSES' fixed order: a set's order follows string hashing, which differs per process.
    for c in (c for c in CAUSES if c in model.WIFI_CAUSES):
        rows = cause == CAUSES.index(c)
        k = int(rows.sum())
        wound[rows] = _choice(rng, model.WOUND_GRADE_MIX[c], k)
        ischemia[rows] = _choice(rng, model.ISCHEMIA_GRADE_MIX[c], k)
        infection[rows] = _choice(rng, model.INFECTION_GRADE_MIX[c], k)
    staged = wound >= 0
    stage = np.full(n, NONE, dtype=np.int64)
    stage[staged] = _STAGE[ischemia[staged], wound[staged], infection[staged]]
    return wound, ischemia, infection, stage


def _day_within_year(rng: np.random.Generator, n: int, early: float) -> IntArray:
    # Events cluster early after presentation: a Beta(1, early) share of the year.
    return (1 + np.floor(rng.beta(1.0, early, n) * (YEAR - 1))).astype(np.int64)


def _after_first_year(rng: np.random.Generator, n: int, yearly: float) -> IntArray:
    rate = -np.log(1.0 - yearly) / YEAR
    return (YEAR + 1 + np.floor(rng.exponential(1.0 / rate, n))).astype(np.int64)


def _deaths(
    rng: np.random.Generator,
    cause: IntArray,
    stage: IntArray,
    dialysis: BoolArray,
    days_before: IntArray,
) -> IntArray:
    n = cause.shape[0]
    dies_in_year = np.zeros(n, dtype=bool)
    wifi = _WIFI_CAUSE_CODES[cause]
    weight = np.array([0.0, *model.DEATH_WEIGHT_BY_STAGE.values()])[np.maximum(stage, 0)]
    weight = weight * np.where(dialysis, model.DEATH_WEIGHT_DIALYSIS, 1.0)
    for mature in (True, False):
        members = np.flatnonzero(wifi & ((days_before >= YEAR) == mature))
        chosen = allocate(rng, members, 1.0 - model.SURVIVAL_1Y.value, weight[members])
        dies_in_year[chosen] = True
    for c, share in model.MORTALITY_1Y_OTHER_CAUSES.items():
        rows = cause == CAUSES.index(c)
        dies_in_year[rows] = rng.random(int(rows.sum())) < share
    return np.where(
        dies_in_year,
        _day_within_year(rng, n, 1.6),
        _after_first_year(rng, n, model.YEARLY_MORTALITY_AFTER_1Y),
    )


def _contralateral(
    rng: np.random.Generator, cause: IntArray, death_day: IntArray, days_before: IntArray
) -> IntArray:
    # A second limb presents 30–365 days later; only patients alive a year after that.
    eligible = np.flatnonzero(
        _WIFI_CAUSE_CODES[cause] & (death_day > 2 * YEAR + 1) & (days_before >= 30)
    )
    count = round(model.CONTRALATERAL_SHARE * cause.shape[0])
    count = min(count, eligible.shape[0])
    return np.sort(rng.choice(eligible, size=count, replace=False)).astype(np.int64)


def _amputations(
    rng: np.random.Generator,
    *,
    cause: IntArray,
    stage: IntArray,
    follow_up: IntArray,
    death_day: IntArray,
    start_day: IntArray,
) -> IntArray:
    m = cause.shape[0]
    in_year = np.zeros(m, dtype=bool)
    mature = follow_up >= YEAR
    for s, target in model.AMPUTATION_1Y_BY_STAGE.items():
        for flag in (True, False):
            members = np.flatnonzero((stage == s) & (mature == flag))
            in_year[allocate(rng, members, target.value)] = True
    for c, share in model.AMPUTATION_1Y_OTHER_CAUSES.items():
        rows = cause == CAUSES.index(c)
        in_year[rows] = rng.random(int(rows.sum())) < share
    day = np.where(
        in_year,
        _day_within_year(rng, m, 2.2),
        _after_first_year(rng, m, model.YEARLY_AMPUTATION_AFTER_1Y),
    )
    # A major amputation always comes before death: move it into the time the patient lived.
    lived = np.where(death_day >= 0, death_day - start_day, np.iinfo(np.int64).max)
    early = in_year & (day >= lived)
    day[early] = np.floor(rng.random(int(early.sum())) * np.maximum(lived[early], 1)).astype(
        np.int64
    )
    return np.where(in_year | (day < lived), day, NONE)


def _healing(
    rng: np.random.Generator,
    *,
    cause: IntArray,
    wound: IntArray,
    stage: IntArray,
    amputation_day: IntArray,
    lived: IntArray,
) -> IntArray:
    m = cause.shape[0]
    day = np.clip(
        np.round(model.MEDIAN_DAYS_TO_HEALING * np.exp(rng.normal(0.0, 0.6, m))), 14, YEAR - 1
    ).astype(np.int64)
    alive_then = (lived < 0) | (day < lived)
    not_amputated = (amputation_day < 0) | (amputation_day > YEAR)
    heals = np.zeros(m, dtype=bool)
    for s, non_healing in model.NON_HEALING_1Y_BY_STAGE.items():
        stratum = np.flatnonzero((stage == s) & (wound >= 1))
        candidates = stratum[not_amputated[stratum] & alive_then[stratum]]
        count = min(round((1.0 - non_healing) * stratum.shape[0]), candidates.shape[0])
        heals[np.sort(rng.choice(candidates, size=count, replace=False))] = True
    venous = np.flatnonzero(cause == CAUSES.index(EpisodeCause.VENOUS))
    heals[venous] = (rng.random(venous.shape[0]) < 0.8) & alive_then[venous]
    # A healed wound that is later amputated is not healed at the amputation: keep order.
    heals &= (amputation_day < 0) | (day < amputation_day)
    return np.where(heals, day, NONE)


def _losses(
    rng: np.random.Generator, death_day: IntArray, days_before: IntArray, contra: IntArray
) -> IntArray:
    n = death_day.shape[0]
    # Patients with a second limb stay in follow-up through its first year (calibration).
    eligible = (days_before > YEAR + 30) & (death_day > YEAR) & ~np.isin(np.arange(n), contra)
    lost = eligible & (rng.random(n) < model.LOST_TO_FOLLOW_UP_SHARE)
    day = YEAR + np.floor(rng.random(n) * np.maximum(days_before - YEAR, 1)).astype(np.int64)
    day = np.where(death_day >= 0, np.minimum(day, death_day - 1), day)
    return np.where(lost & (day > YEAR), day, NONE)


def _closures(
    rng: np.random.Generator,
    *,
    cause: IntArray,
    wound: IntArray,
    amputation_day: IntArray,
    healed_day: IntArray,
    death_day: IntArray,
    dead: BoolArray,
    limit: IntArray,
) -> IntArray:
    m = cause.shape[0]
    big = np.iinfo(np.int64).max
    candidates = [
        np.where(amputation_day >= 0, amputation_day, big),
        np.where(healed_day >= 0, healed_day, big),
        np.where(dead, death_day, big),
    ]
    # Episodes without a wound to heal close once treatment is over (assumption: 30–180 days).
    no_wound = (wound <= 0) & (cause != CAUSES.index(EpisodeCause.VENOUS))
    candidates.append(np.where(no_wound, rng.integers(30, 181, m), big))
    day = np.minimum.reduce(candidates)
    return np.where((day != big) & (day <= limit), day, NONE)
