"""Table rows (dicts for a Core bulk insert) from one chunk of the synthetic cohort.

The clinical timeline comes from `limbsalvage.demo.generator`; demographic and laboratory
details are drawn here from a second generator of the same chunk, so they never disturb the
calibrated timeline. All mixes and ranges below are assumptions (see `limbsalvage.demo.model`).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np

from limbsalvage.core.vocabulary import (
    AmbulatoryStatus,
    CareSetting,
    DiabetesType,
    EpisodeStatus,
    Ethnicity,
    LivingSituation,
    Payer,
    Race,
    Sex,
    Side,
    SmokingStatus,
)
from limbsalvage.demo.generator import CAUSES, Cohort, IntArray

Row = dict[str, Any]

# Obviously invented given names (trees); family names are "Synthetic-<patient id>".
GIVEN_NAMES = (
    "Alder", "Aspen", "Birch", "Cedar", "Elm", "Hazel", "Holly", "Juniper", "Larch", "Linden",
    "Maple", "Myrtle", "Oak", "Olive", "Pine", "Rowan", "Sorrel", "Spruce", "Willow", "Yew",
)  # fmt: skip
FAMILY_NAME_PREFIX = "Synthetic-"
MRN_PREFIX = "SYN-"

_RACE_MIX = {
    Race.WHITE: 0.62,
    Race.BLACK: 0.22,
    Race.ASIAN: 0.04,
    Race.AMERICAN_INDIAN_ALASKA_NATIVE: 0.01,
    Race.NATIVE_HAWAIIAN_PACIFIC_ISLANDER: 0.005,
    Race.MULTIPLE: 0.02,
    Race.NOT_REPORTED: 0.085,
}
_ETHNICITY_MIX = {
    Ethnicity.HISPANIC_LATINO: 0.14,
    Ethnicity.NOT_HISPANIC_LATINO: 0.80,
    Ethnicity.NOT_REPORTED: 0.06,
}
_PAYER_UNDER_65 = {
    Payer.MEDICARE: 0.15,
    Payer.MEDICAID: 0.30,
    Payer.PRIVATE: 0.40,
    Payer.MILITARY: 0.04,
    Payer.UNINSURED: 0.08,
    Payer.OTHER: 0.02,
    Payer.UNKNOWN: 0.01,
}
_PAYER_65_AND_OVER = {
    Payer.MEDICARE: 0.84,
    Payer.MEDICAID: 0.05,
    Payer.PRIVATE: 0.07,
    Payer.MILITARY: 0.02,
    Payer.UNINSURED: 0.0,
    Payer.OTHER: 0.01,
    Payer.UNKNOWN: 0.01,
}
_SMOKING_MIX = {SmokingStatus.NEVER: 0.25, SmokingStatus.FORMER: 0.45, SmokingStatus.CURRENT: 0.30}
_AMBULATORY_MIX = {
    AmbulatoryStatus.INDEPENDENT: 0.65,
    AmbulatoryStatus.WITH_ASSISTANCE: 0.25,
    AmbulatoryStatus.WHEELCHAIR: 0.08,
    AmbulatoryStatus.BEDRIDDEN: 0.02,
}
_LIVING_MIX = {
    LivingSituation.HOME_INDEPENDENT: 0.62,
    LivingSituation.HOME_WITH_SUPPORT: 0.25,
    LivingSituation.ASSISTED_LIVING: 0.05,
    LivingSituation.NURSING_HOME: 0.07,
    LivingSituation.HOMELESS: 0.01,
}
CAUSES_OF_DEATH = ("cardiovascular", "infection", "renal failure", "malignancy", "other")
_CAUSE_OF_DEATH_MIX = (0.50, 0.20, 0.10, 0.08, 0.12)


@dataclass(frozen=True)
class ChunkIds:
    """Database ids reserved for one chunk."""

    patients: range
    limbs: range
    episodes: range


def _pick(rng: np.random.Generator, mix: dict[Any, float], n: int) -> list[Any]:
    members = list(mix)
    p = np.array(list(mix.values()))
    return [members[i] for i in rng.choice(len(members), size=n, p=p / p.sum())]


def _day(anchor: date, offset: int) -> date:
    return anchor + timedelta(days=offset)


def index_dates(cohort: Cohort, as_of: date) -> list[date]:
    """Each patient's index presentation date."""
    return [_day(as_of, -int(d)) for d in cohort.days_before_as_of]


def patient_rows(
    cohort: Cohort, rng: np.random.Generator, *, ids: range, site_ids: list[int], as_of: date
) -> list[Row]:
    """One row per patient of the chunk."""
    n = cohort.patients
    index = index_dates(cohort, as_of)
    birth_offset = np.round(cohort.age_years * 365.25 + rng.random(n) * 365).astype(np.int64)
    over_65 = cohort.age_years >= 65
    payer_young = _pick(rng, _PAYER_UNDER_65, n)
    payer_old = _pick(rng, _PAYER_65_AND_OVER, n)
    races, ethnicities = _pick(rng, _RACE_MIX, n), _pick(rng, _ETHNICITY_MIX, n)
    smoking, ambulatory = _pick(rng, _SMOKING_MIX, n), _pick(rng, _AMBULATORY_MIX, n)
    living = _pick(rng, _LIVING_MIX, n)
    given = rng.integers(0, len(GIVEN_NAMES), n)
    site = rng.choice(len(site_ids), size=n, p=_site_shares(len(site_ids)))
    type_1 = rng.random(n) < 0.08
    hba1c = np.where(
        cohort.diabetes,
        rng.normal(8.1, 1.6, n).clip(5.5, 14.0),
        rng.normal(5.6, 0.4, n).clip(4.5, 6.4),
    )
    egfr = np.where(
        cohort.dialysis,
        rng.uniform(5, 14, n),
        np.exp(rng.normal(np.log(62), 0.35, n)).clip(15, 120),
    )
    creatinine = np.where(cohort.dialysis, rng.uniform(4.5, 10.0, n), (80.0 / egfr) ** 0.9)
    albumin = rng.normal(3.5, 0.5, n).clip(1.6, 5.0)
    haemoglobin = rng.normal(12.0, 1.8, n).clip(6.5, 17.0)
    bmi = rng.normal(28.0, 5.5, n).clip(16.0, 52.0)
    coronary = rng.random(n) < 0.45
    heart_failure = rng.random(n) < 0.2
    prior_amputation = rng.random(n) < 0.06
    has_labs = rng.random(n) < 0.9
    sex_female = cohort.female
    death_cause = rng.choice(len(CAUSES_OF_DEATH), size=n, p=_CAUSE_OF_DEATH_MIX)
    rows = []
    for i in range(n):
        patient_id = ids[i]
        dead = bool(cohort.death_day[i] >= 0)
        diabetic = bool(cohort.diabetes[i])
        labs = bool(has_labs[i])
        rows.append(
            {
                "id": patient_id,
                "site_id": site_ids[int(site[i])],
                "mrn": f"{MRN_PREFIX}{patient_id:08d}",
                "given_name": GIVEN_NAMES[int(given[i])],
                "family_name": f"{FAMILY_NAME_PREFIX}{patient_id}",
                "birth_date": _day(index[i], -int(birth_offset[i])),
                "sex": Sex.FEMALE if sex_female[i] else Sex.MALE,
                "race": races[i],
                "ethnicity": ethnicities[i],
                "payer": payer_old[i] if over_65[i] else payer_young[i],
                "death_date": _day(index[i], int(cohort.death_day[i])) if dead else None,
                "cause_of_death": CAUSES_OF_DEATH[int(death_cause[i])] if dead else None,
                "last_known_alive_date": _day(index[i], int(cohort.last_known_alive_day[i])),
                "diabetes": diabetic,
                "diabetes_type": (
                    (DiabetesType.TYPE_1 if type_1[i] else DiabetesType.TYPE_2)
                    if diabetic
                    else None
                ),
                "hba1c_pct": round(float(hba1c[i]), 1) if labs else None,
                "dialysis": bool(cohort.dialysis[i]),
                "egfr_ml_min_1_73m2": round(float(egfr[i])) if labs else None,
                "creatinine_mg_dl": round(float(creatinine[i]), 2) if labs else None,
                "albumin_g_dl": round(float(albumin[i]), 1) if labs else None,
                "haemoglobin_g_dl": round(float(haemoglobin[i]), 1) if labs else None,
                "haematocrit_pct": round(float(haemoglobin[i]) * 3.0, 1) if labs else None,
                "bmi_kg_m2": round(float(bmi[i]), 1),
                "coronary_disease": bool(coronary[i]),
                "heart_failure": bool(heart_failure[i]),
                "smoking_status": smoking[i],
                "ambulatory_status": ambulatory[i],
                "living_situation": living[i],
                "prior_contralateral_major_amputation": bool(prior_amputation[i]),
                "is_synthetic": True,
            }
        )
    return rows


def _site_shares(count: int) -> list[float]:
    # The first demo site is the larger program (assumption), the rest share the remainder.
    if count == 1:
        return [1.0]
    return [0.6] + [0.4 / (count - 1)] * (count - 1)


def episode_sides(cohort: Cohort, rng: np.random.Generator) -> IntArray:
    """Per episode: 0 for left, 1 for right; a contralateral episode takes the other side."""
    first = rng.integers(0, 2, cohort.patients)
    sides = first[cohort.patient].copy()
    sides[cohort.contralateral] = 1 - sides[cohort.contralateral]
    return sides


def limb_rows(
    cohort: Cohort, sides: IntArray, *, ids: range, patient_ids: range
) -> tuple[list[Row], list[int]]:
    """One limb per episode (each episode is on a different limb); the limb id per episode."""
    rows = [
        {"id": ids[e], "patient_id": patient_ids[int(p)], "side": _SIDES[int(sides[e])]}
        for e, p in enumerate(cohort.patient)
    ]
    return rows, list(ids)


_SIDES = (Side.LEFT, Side.RIGHT)


def episode_rows(
    cohort: Cohort, *, ids: range, patient_ids: range, limb_ids: list[int], as_of: date
) -> list[Row]:
    """One row per episode of the chunk."""
    index = index_dates(cohort, as_of)
    rows = []
    for e in range(cohort.episodes):
        p = int(cohort.patient[e])
        presented = _day(index[p], int(cohort.start_day[e]))
        closed = int(cohort.closed_day[e])
        rows.append(
            {
                "id": ids[e],
                "patient_id": patient_ids[p],
                "limb_id": limb_ids[e],
                "cause": CAUSES[int(cohort.cause[e])],
                "presented_on": presented,
                "setting": CareSetting.INPATIENT if cohort.inpatient[e] else CareSetting.OUTPATIENT,
                "status": EpisodeStatus.CLOSED if closed >= 0 else EpisodeStatus.OPEN,
                "closed_on": _day(presented, closed) if closed >= 0 else None,
                "index_procedure_id": None,
            }
        )
    return rows
