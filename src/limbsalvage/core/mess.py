"""Mangled Extremity Severity Score (MESS): a score shown as information, never a decision."""

from dataclasses import dataclass

from limbsalvage.core.errors import CannotClassify
from limbsalvage.core.fields import InputField, Kind, System
from limbsalvage.core.result import Classification
from limbsalvage.core.tables.mess import (
    AGE_BAND_HIGH_YEARS,
    AGE_BAND_LOW_YEARS,
    AGE_BOUNDARY_NOTE,
    BOSSE_2001,
    DOUBLING_NOTE,
    ISCHEMIA_DOUBLING_HOURS,
    ISCHEMIA_FACTOR_BEYOND,
    ISCHEMIA_ZERO_NOTE,
    LEAP_NOTE,
    LIMB_ISCHEMIA_POINTS,
    MESS_POINTS,
    PROPOSED_THRESHOLD,
    SHOCK_POINTS,
    SKELETAL_SOFT_TISSUE_POINTS,
)
from limbsalvage.core.validate import integer_in, number_in

MAX_AGE_YEARS = 120
MAX_ISCHEMIA_HOURS = 720.0


@dataclass(frozen=True, kw_only=True)
class MessResult(Classification):
    """A MESS with its component points; the proposed cut-off is information only."""

    system = "mess"
    score: int
    skeletal_soft_tissue_points: int
    limb_ischemia_points: int
    ischemia_points_counted: int
    ischemia_doubled: bool
    shock_points: int
    age_points: int
    proposed_threshold: int
    at_or_above_proposed_threshold: bool


def age_points_for(age_years: int) -> int:
    """Age points: under 30 → 0, 30 to 50 inclusive → 1, over 50 → 2."""
    if age_years < AGE_BAND_LOW_YEARS:
        return 0
    if age_years <= AGE_BAND_HIGH_YEARS:
        return 1
    return 2


def _ischemia_hours(limb_ischemia: int, ischemia_hours: float | None) -> float | None:
    if ischemia_hours is None:
        if limb_ischemia > 0:
            raise CannotClassify(
                "mess",
                missing=["ischemia_hours"],
                detail="ischaemia points are doubled beyond 6 hours of ischaemia",
            )
        return None
    return number_in("ischemia_hours", ischemia_hours, 0, MAX_ISCHEMIA_HOURS, "h")


def _rationale(
    *, score: int, energy: int, ischemia: int, counted: int, shock: int, age: int
) -> str:
    doubled = f" ×2 = {counted} (ischaemia beyond 6 h)" if counted != ischemia else ""
    side = "at or above" if score >= PROPOSED_THRESHOLD else "below"
    return (
        f"MESS {score} = energy {energy} + ischaemia {ischemia}{doubled} + shock {shock} "
        f"+ age {age}. Johansen 1990 proposed {PROPOSED_THRESHOLD} as an amputation cut-off; "
        f"this score is {side} it. That is information, not a recommendation: {LEAP_NOTE} "
        "Amputation versus reconstruction is a shared decision with the patient."
    )


def _provenance(ischemia: int, doubled: bool, age_years: int) -> str:
    notes = []
    if ischemia == 0:
        notes.append(ISCHEMIA_ZERO_NOTE)
    if doubled:
        notes.append(DOUBLING_NOTE)
    if age_years in (AGE_BAND_LOW_YEARS, AGE_BAND_HIGH_YEARS):
        notes.append(AGE_BOUNDARY_NOTE)
    return " ".join(notes)


def classify_mess(
    *,
    skeletal_soft_tissue_points: int,
    limb_ischemia_points: int,
    shock_points: int,
    age_years: int,
    ischemia_hours: float | None = None,
) -> MessResult:
    """Score a mangled lower extremity by MESS; the ischaemia time is needed when ischaemic."""
    energy = integer_in("skeletal_soft_tissue_points", skeletal_soft_tissue_points, 1, 4)
    ischemia = integer_in("limb_ischemia_points", limb_ischemia_points, 0, 3)
    shock = integer_in("shock_points", shock_points, 0, 2)
    age_years = integer_in("age_years", age_years, 0, MAX_AGE_YEARS)
    hours = _ischemia_hours(ischemia, ischemia_hours)
    doubled = ischemia > 0 and hours is not None and hours > ISCHEMIA_DOUBLING_HOURS
    counted = ischemia * ISCHEMIA_FACTOR_BEYOND if doubled else ischemia
    age = age_points_for(age_years)
    score = energy + counted + shock + age
    inputs: dict[str, object] = {
        "skeletal_soft_tissue_points": energy,
        "limb_ischemia_points": ischemia,
        "shock_points": shock,
        "age_years": age_years,
    }
    if hours is not None:
        inputs["ischemia_hours"] = hours
    return MessResult(
        score=score,
        skeletal_soft_tissue_points=energy,
        limb_ischemia_points=ischemia,
        ischemia_points_counted=counted,
        ischemia_doubled=doubled,
        shock_points=shock,
        age_points=age,
        proposed_threshold=PROPOSED_THRESHOLD,
        at_or_above_proposed_threshold=score >= PROPOSED_THRESHOLD,
        inputs=inputs,
        rationale=_rationale(
            score=score,
            energy=energy,
            ischemia=ischemia,
            counted=counted,
            shock=shock,
            age=age,
        ),
        source=f"{MESS_POINTS.cite()}; {BOSSE_2001.cite()}",
        provenance=_provenance(ischemia, doubled, age_years),
        tables=(MESS_POINTS,),
    )


def _describe(points: dict[int, str]) -> str:
    return "; ".join(f"{k} = {v}" for k, v in points.items())


SYSTEM = System(
    name="mess",
    title="Mangled Extremity Severity Score (information only; never decides amputation)",
    fields=(
        InputField(
            "skeletal_soft_tissue_points",
            Kind.INTEGER,
            "skeletal/soft-tissue injury 1–4: " + _describe(SKELETAL_SOFT_TISSUE_POINTS),
            option="--energy",
        ),
        InputField(
            "limb_ischemia_points",
            Kind.INTEGER,
            "limb ischaemia 0–3 before doubling: " + _describe(LIMB_ISCHEMIA_POINTS),
            option="--ischemia",
        ),
        InputField(
            "ischemia_hours",
            Kind.NUMBER,
            "hours of limb ischaemia (needed when ischaemia is 1–3; doubled beyond 6 h)",
            option="--ischemia-hours",
        ),
        InputField(
            "shock_points",
            Kind.INTEGER,
            "shock 0–2: " + _describe(SHOCK_POINTS),
            option="--shock",
        ),
        InputField(
            "age_years",
            Kind.INTEGER,
            "age in completed years (<30 → 0, 30–50 → 1, >50 → 2)",
            option="--age",
        ),
    ),
    classify=classify_mess,
    example="--energy 3 --ischemia 2 --ischemia-hours 7 --shock 1 --age 45",
)
