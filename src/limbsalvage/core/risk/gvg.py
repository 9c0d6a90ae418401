"""GVG patient risk (the P of PLAN): average or high, from the clinician's two estimates.

Conte 2019 GVG recommendations 6.4 and 6.5: average risk when anticipated peri-procedural
mortality is <5% and estimated 2-year survival >50%; high risk when mortality is ≥5% or 2-year
survival ≤50%. The Guideline Central summary prints 6.5 as "2-year survival is >50%", which
cannot be right beside 6.4 (a patient would be both); we read ≤50% and say so in `provenance`.
"""

from dataclasses import dataclass
from enum import StrEnum

from limbsalvage.core.sources import Table
from limbsalvage.core.tables.glass import GVG_2019
from limbsalvage.core.validate import number_in

GVG_PATIENT_RISK = Table(
    table_id="gvg-patient-risk",
    version="2019.1",
    source=GVG_2019,
    locator="recommendations 6.3–6.5 (patient risk: average vs high)",
    checked=(
        "6.3–6.5 read in the Guideline Central summary of recommendations (page 17); 6.5 there "
        "says '>50%' for high risk, read as ≤50% (the complement of 6.4)."
    ),
)
MORTALITY_LIMIT_PCT = 5.0  # average below, high at or above
SURVIVAL_LIMIT_PCT = 50.0  # average above, high at or below
PROVENANCE = (
    "GVG 6.5 as printed in one summary gives high risk for 2-year survival '>50%'; read as ≤50%, "
    "the complement of 6.4"
)


class PatientRisk(StrEnum):
    """GVG patient-risk groups."""

    AVERAGE = "average"
    HIGH = "high"


@dataclass(frozen=True)
class GvgRisk:
    """The risk group when the estimates decide it, else None with what is missing."""

    risk: PatientRisk | None
    missing: tuple[str, ...]
    rationale: str


def gvg_patient_risk(
    *, perioperative_mortality_pct: float | None, two_year_survival_pct: float | None
) -> GvgRisk:
    """Average or high risk; one estimate that already means high risk suffices."""
    mortality = (
        None
        if perioperative_mortality_pct is None
        else number_in("perioperative_mortality_pct", perioperative_mortality_pct, 0, 100, "%")
    )
    survival = (
        None
        if two_year_survival_pct is None
        else number_in("two_year_survival_pct", two_year_survival_pct, 0, 100, "%")
    )
    reasons = []
    if mortality is not None and mortality >= MORTALITY_LIMIT_PCT:
        reasons.append(f"peri-procedural mortality {mortality:g}% ≥{MORTALITY_LIMIT_PCT:g}%")
    if survival is not None and survival <= SURVIVAL_LIMIT_PCT:
        reasons.append(f"2-year survival {survival:g}% ≤{SURVIVAL_LIMIT_PCT:g}%")
    if reasons:
        return GvgRisk(PatientRisk.HIGH, (), "high risk: " + " and ".join(reasons))
    if mortality is None or survival is None:
        missing = tuple(
            name
            for name, value in (
                ("perioperative_mortality_pct", mortality),
                ("two_year_survival_pct", survival),
            )
            if value is None
        )
        return GvgRisk(None, missing, "patient risk undecided: missing " + ", ".join(missing))
    return GvgRisk(
        PatientRisk.AVERAGE,
        (),
        f"average risk: peri-procedural mortality {mortality:g}% <{MORTALITY_LIMIT_PCT:g}% and "
        f"2-year survival {survival:g}% >{SURVIVAL_LIMIT_PCT:g}%",
    )
