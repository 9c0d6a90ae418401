"""Measure the cohort against its calibration targets (docs/registry/demo-cohort.md).

`measure_generated` reads the generator's arrays; `measure_stored` reads what was written to
the database (confirmed staging snapshots, major-amputation events, dates of death), so the
test suite checks the figures a user of the registry would compute, not only the generator's
intent.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from limbsalvage.demo import model
from limbsalvage.demo.generator import CAUSES, YEAR, generate
from limbsalvage.events.models import OutcomeEvent
from limbsalvage.patients.models import Episode, Patient
from limbsalvage.staging.models import StagingSnapshot


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


def measure_amputation_stored(*, db: Session, as_of: date) -> list[Measured]:
    """1-year major amputation by the confirmed WIfI stage of stored episodes a year old."""
    rows = db.execute(
        select(Episode.id, Episode.limb_id, Episode.presented_on, StagingSnapshot.wifi_stage)
        .join(StagingSnapshot, StagingSnapshot.episode_id == Episode.id)
        .where(
            StagingSnapshot.status == "confirmed",
            StagingSnapshot.wifi_stage.is_not(None),
            Episode.presented_on <= as_of - timedelta(days=YEAR),
        )
    ).all()
    amputations: dict[int, list[date]] = {}
    for limb_id, occurred_on in db.execute(
        select(OutcomeEvent.limb_id, OutcomeEvent.occurred_on).where(
            OutcomeEvent.kind == "major_amputation"
        )
    ):
        if limb_id is not None:
            amputations.setdefault(limb_id, []).append(occurred_on)
    measured = []
    for stage, target in model.AMPUTATION_1Y_BY_STAGE.items():
        episodes = [r for r in rows if r.wifi_stage == stage]
        amputated = sum(
            1
            for r in episodes
            if any(
                r.presented_on <= day <= r.presented_on + timedelta(days=YEAR)
                for day in amputations.get(r.limb_id, [])
            )
        )
        measured.append(Measured(target, amputated, len(episodes)))
    return measured


def measure_stored(*, db: Session, as_of: date) -> list[Measured]:
    """Every calibration target, measured on the stored registry."""
    return [
        *measure_amputation_stored(db=db, as_of=as_of),
        measure_survival_stored(db=db, as_of=as_of),
    ]
