"""The `summary` table every curve estimator returns: one row per time on its timeline."""

from dataclasses import dataclass

import numpy as np

from limbsalvage.core.outcomes.data import FloatArray, IntArray


@dataclass(frozen=True)
class CurveTable:
    """A fitted curve, column by column (numpy arrays of equal length, ascending time).

    `estimate` is survival for Kaplan–Meier and cumulative incidence for Aalen–Johansen;
    `estimate_name` says which. `at_risk` is the number still under observation just before
    `time`; `events` counts the endpoint at `time`, `competing_events` the competing events
    (always zero for Kaplan–Meier), `censored` the subjects leaving without an event.
    """

    label: str
    estimate_name: str
    time: FloatArray
    at_risk: IntArray
    events: IntArray
    competing_events: IntArray
    censored: IntArray
    estimate: FloatArray
    std_error: FloatArray
    ci_lower: FloatArray
    ci_upper: FloatArray

    def columns(self) -> dict[str, list[float] | list[int]]:
        """Plain lists by column name, e.g. for JSON or CSV."""
        return {
            "time": self.time.tolist(),
            "at_risk": self.at_risk.tolist(),
            "events": self.events.tolist(),
            "competing_events": self.competing_events.tolist(),
            "censored": self.censored.tolist(),
            self.estimate_name: self.estimate.tolist(),
            "std_error": self.std_error.tolist(),
            "ci_lower": self.ci_lower.tolist(),
            "ci_upper": self.ci_upper.tolist(),
        }

    def __len__(self) -> int:
        return int(np.size(self.time))
