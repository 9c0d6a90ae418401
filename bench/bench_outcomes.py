"""The outcomes report's computation set at registry scale: ours vs lifelines in one process.

1,000,000 synthetic limbs with a WIfI stage (1–4) and competing times to death, major amputation,
major reintervention and wound healing, under uniform censoring over five years. The set, each
stratified by WIfI stage:
  - Kaplan–Meier for four endpoints (survival, limb salvage, amputation-free survival, MALE-free
    survival), 16 curves, and a log-rank test across stages for each (4 tests);
  - Aalen–Johansen cumulative incidence of major amputation (death competing) and of wound
    healing (death or amputation competing), 8 curves.
Timed on continuous times (no ties, so lifelines' AalenJohansenFitter needs no jitter and every
result can be checked for equality) and, for ours, on the same times rounded up to whole days (the
registry's resolution, where ours takes its counting path). Prints both times, the ratio, the
largest differences and the peak memory.

    .venv/bin/python bench/bench_outcomes.py [--limbs 1000000] [--repeat 3]
"""

import argparse
import resource
import time
import tracemalloc
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from lifelines import AalenJohansenFitter, KaplanMeierFitter
from lifelines.statistics import multivariate_logrank_test

from limbsalvage.core.outcomes import AalenJohansen, KaplanMeier, logrank_test

KM_ENDPOINTS = ("survival", "limb salvage", "amputation-free survival", "MALE-free survival")
CIF_ENDPOINTS = ("major amputation", "wound healing")


@dataclass(frozen=True)
class Cohort:
    """Endpoint arrays for the synthetic registry."""

    stage: np.ndarray
    km: dict[str, tuple[np.ndarray, np.ndarray]]
    cif: dict[str, tuple[np.ndarray, np.ndarray]]

    def in_days(self) -> "Cohort":
        """The same limbs with every time rounded up to a whole day."""
        return Cohort(
            stage=self.stage,
            km={k: (np.ceil(t), e) for k, (t, e) in self.km.items()},
            cif={k: (np.ceil(t), c) for k, (t, c) in self.cif.items()},
        )


def make_cohort(limbs: int, seed: int = 2014) -> Cohort:
    """Exponential times with stage-dependent yearly hazards; uniform censoring over 5 years."""
    rng = np.random.default_rng(seed)
    stage = rng.choice([1, 2, 3, 4], size=limbs, p=[0.2, 0.3, 0.3, 0.2])
    per_day = 1 / 365.25

    def draw(yearly: list[float]) -> np.ndarray:
        rate = np.asarray(yearly)[stage - 1] * per_day
        return rng.exponential(1 / rate)

    death = draw([0.08, 0.12, 0.18, 0.28])
    amputation = draw([0.03, 0.08, 0.15, 0.35])
    reintervention = draw([0.15, 0.15, 0.15, 0.15])
    healing = draw([2.5, 1.8, 1.2, 0.7])
    censor = rng.uniform(0, 5 * 365.25, limbs)
    male = np.minimum(amputation, reintervention)

    def first(*times: np.ndarray) -> np.ndarray:
        return np.minimum.reduce(times)

    limb_end = first(amputation, death, censor)
    km = {
        "survival": (first(death, censor), (death <= censor).astype(np.int64)),
        "limb salvage": (
            limb_end,
            ((amputation <= death) & (amputation <= censor)).astype(np.int64),
        ),
        "amputation-free survival": (
            limb_end,
            (first(amputation, death) <= censor).astype(np.int64),
        ),
        "MALE-free survival": (
            first(male, death, censor),
            (first(male, death) <= censor).astype(np.int64),
        ),
    }
    amputation_code = np.where(limb_end == amputation, 1, np.where(limb_end == death, 2, 0))
    heal_end = first(healing, amputation, death, censor)
    healing_code = np.where(heal_end == healing, 1, np.where(heal_end == censor, 0, 2))
    cif = {
        "major amputation": (limb_end, amputation_code),
        "wound healing": (heal_end, healing_code),
    }
    return Cohort(stage=stage, km=km, cif=cif)


def ours(cohort: Cohort) -> dict[str, object]:
    """Our estimators over the report's computation set."""
    results: dict[str, object] = {}
    stages = [cohort.stage == s for s in (1, 2, 3, 4)]
    for name, (times, events) in cohort.km.items():
        for s, rows in enumerate(stages, start=1):
            results[f"km {name} {s}"] = KaplanMeier().fit(times[rows], events[rows])
        results[f"logrank {name}"] = logrank_test(times, events, cohort.stage)
    for name, (times, codes) in cohort.cif.items():
        for s, rows in enumerate(stages, start=1):
            results[f"cif {name} {s}"] = AalenJohansen().fit(
                times[rows], codes[rows], event_of_interest=1
            )
    return results


def theirs(cohort: Cohort) -> dict[str, object]:
    """lifelines over the same set."""
    results: dict[str, object] = {}
    stages = [cohort.stage == s for s in (1, 2, 3, 4)]
    for name, (times, events) in cohort.km.items():
        for s, rows in enumerate(stages, start=1):
            results[f"km {name} {s}"] = KaplanMeierFitter().fit(times[rows], events[rows])
        results[f"logrank {name}"] = multivariate_logrank_test(times, cohort.stage, events)
    for name, (times, codes) in cohort.cif.items():
        for s, rows in enumerate(stages, start=1):
            results[f"cif {name} {s}"] = AalenJohansenFitter(calculate_variance=False).fit(
                times[rows], codes[rows], event_of_interest=1
            )
    return results


def timed(run: Callable[[], dict[str, object]], repeat: int) -> tuple[float, dict[str, object]]:
    """Best wall time of `repeat` runs, and the last run's results."""
    best, results = float("inf"), {}
    for _ in range(repeat):
        start = time.perf_counter()
        results = run()
        best = min(best, time.perf_counter() - start)
    return best, results


def largest_differences(mine: dict[str, object], lifelines: dict[str, object]) -> dict[str, float]:
    """Max |ours − lifelines| over every curve point (estimate and interval), and log-rank."""
    worst = {"km estimate": 0.0, "km interval": 0.0, "cif estimate": 0.0, "logrank (relative)": 0.0}
    for key, fitted in mine.items():
        other = lifelines[key]
        if isinstance(fitted, KaplanMeier):
            assert isinstance(other, KaplanMeierFitter)
            survival = other.survival_function_.to_numpy()[:, 0]
            bounds = other.confidence_interval_.to_numpy()
            worst["km estimate"] = max(
                worst["km estimate"], float(np.abs(fitted.survival_function_ - survival).max())
            )
            spread = max(
                np.abs(fitted.ci_lower_ - bounds[:, 0]).max(),
                np.abs(fitted.ci_upper_ - bounds[:, 1]).max(),
            )
            worst["km interval"] = max(worst["km interval"], float(spread))
        elif isinstance(fitted, AalenJohansen):
            assert isinstance(other, AalenJohansenFitter)
            incidence = other.cumulative_density_.to_numpy()[:, 0]
            at = other.cumulative_density_.index.to_numpy()
            gap = float(np.abs(fitted.incidence_at(at) - incidence).max())
            worst["cif estimate"] = max(worst["cif estimate"], gap)
        else:
            statistic = fitted.statistic  # type: ignore[attr-defined]
            reference = other.test_statistic  # type: ignore[attr-defined]
            worst["logrank (relative)"] = max(
                worst["logrank (relative)"], abs(statistic - reference) / abs(reference)
            )
    return worst


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limbs", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    cohort = make_cohort(args.limbs)
    days = cohort.in_days()
    fits = len(KM_ENDPOINTS) * 4 + len(CIF_ENDPOINTS) * 4
    print(f"limbs: {args.limbs:,}; curves: {fits}; log-rank tests: {len(KM_ENDPOINTS)}")

    ours_continuous, mine = timed(lambda: ours(cohort), args.repeat)
    ours_days, _ = timed(lambda: ours(days), args.repeat)
    tracemalloc.start()
    ours(cohort)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after_ours = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lifelines' pandas deprecation chatter
        lifelines_time, reference = timed(lambda: theirs(cohort), 1)
    rss_after_all = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"ours, continuous times:        {ours_continuous:8.3f} s (best of {args.repeat})")
    print(f"ours, whole days:              {ours_days:8.3f} s (best of {args.repeat})")
    print(f"lifelines, continuous times:   {lifelines_time:8.3f} s (one run)")
    print(f"ratio lifelines / ours:        {lifelines_time / ours_continuous:8.1f}x")
    print(f"peak traced memory, ours:      {traced_peak / 2**20:8.0f} MiB")
    print(f"peak RSS after ours / all:     {rss_after_ours:8.0f} / {rss_after_all:.0f} MiB")
    for what, gap in largest_differences(mine, reference).items():
        print(f"largest difference, {what}: {gap:.2e}")


if __name__ == "__main__":
    main()
