"""Measure the cohort against its calibration targets (docs/registry/demo-cohort.md).

`measure_generated` reads the generator's arrays; `measure_survival_stored` reads what was
written to the database, so the test suite checks the figures a user of the registry would
compute, not only the generator's intent.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from limbsalvage.demo import model
from limbsalvage.demo.generator import CAUSES, YEAR, generate
from limbsalvage.patients.models import Episode, Patient


@dataclass(frozen=True)
class Measured:
    """A measured proportion beside its target."""

    target: model.Target
    numerator: int
    denominator: int

    @property
    def value(self) -> float:
        """The measured proportion (NaN without a denominator)."""
        return self.numerator / self.denominator if self.denominator else float("nan")

    @property
    def within_tolerance(self) -> bool:
        """Whether the measured value lies within the target's tolerance."""
        return abs(self.value - self.target.value) <= self.target.tolerance


def measure_generated(*, patients: int, seed: int) -> list[Measured]:
    """1-year major amputation by WIfI stage and 1-year survival, from the generator."""
    amputated = dict.fromkeys(model.AMPUTATION_1Y_BY_STAGE, 0)
    staged = dict.fromkeys(model.AMPUTATION_1Y_BY_STAGE, 0)
    deaths = survivors_at_risk = 0
    wifi_codes = [CAUSES.index(c) for c in model.WIFI_CAUSES]
    for cohort in generate(patients=patients, seed=seed):
        mature = cohort.mature()
        in_year = (cohort.amputation_day >= 0) & (cohort.amputation_day <= YEAR)
        for stage in staged:
            rows = mature & (cohort.stage == stage)
            staged[stage] += int(rows.sum())
            amputated[stage] += int((rows & in_year).sum())
        index_cause = cohort.cause[: cohort.patients]
        at_risk = np.isin(index_cause, wifi_codes) & (cohort.days_before_as_of >= YEAR)
        died = (cohort.death_day >= 0) & (cohort.death_day <= YEAR)
        survivors_at_risk += int(at_risk.sum())
        deaths += int((at_risk & died).sum())
    measured = [Measured(model.AMPUTATION_1Y_BY_STAGE[s], amputated[s], staged[s]) for s in staged]
    survivors = survivors_at_risk - deaths
    return [*measured, Measured(model.SURVIVAL_1Y, survivors, survivors_at_risk)]


def measure_survival_stored(*, db: Session, as_of: date) -> Measured:
    """1-year survival from stored patients whose first episode is WIfI-staged and a year old."""
    first = (
        select(Episode.patient_id, func.min(Episode.presented_on).label("index_date"))
        .group_by(Episode.patient_id)
        .subquery()
    )
    rows = db.execute(
        select(Patient.death_date, first.c.index_date, Episode.cause)
        .join(first, first.c.patient_id == Patient.id)
        .join(
            Episode,
            (Episode.patient_id == Patient.id) & (Episode.presented_on == first.c.index_date),
        )
        .where(first.c.index_date <= as_of - timedelta(days=YEAR))
    ).all()
    at_risk = [r for r in rows if r.cause in model.WIFI_CAUSES]
    died = sum(
        1
        for r in at_risk
        if r.death_date is not None and r.death_date <= r.index_date + timedelta(days=YEAR)
    )
    return Measured(model.SURVIVAL_1Y, len(at_risk) - died, len(at_risk))
