"""Use cases for wounds and their measurements. Services flush but never commit.

The area is stored as given, or computed by the ellipse formula from length and width
(`area_method` records which); percentage reductions are derived on read by
`limbsalvage.core.wound_area`. A measurement change proposes a new staging snapshot when the
WIfI wound inputs change.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from limbsalvage.assessments.checks import apply, check_finding_date, check_visible, merged
from limbsalvage.assessments.models import Assessment, Offloading, Photo
from limbsalvage.core.errors import CannotClassify
from limbsalvage.core.vocabulary import AreaMethod
from limbsalvage.core.wound_area import (
    AreaPoint,
    AreaReduction,
    area_reduction_since_baseline,
    ellipse_area_cm2,
    four_week_area_reduction,
)
from limbsalvage.db.guard import check_version, guarded
from limbsalvage.errors import Conflict, NotFound, invalid
from limbsalvage.patients.service import get_episode, get_patient
from limbsalvage.staging import service as staging
from limbsalvage.wounds.models import Wound, WoundMeasurement
from limbsalvage.wounds.schemas import MeasurementFields, WoundFields


def _label_taken(db: Session, episode_id: int, label: str, wound_id: int | None) -> bool:
    query = select(Wound.id).where(Wound.episode_id == episode_id, Wound.label == label)
    if wound_id is not None:
        query = query.where(Wound.id != wound_id)
    return db.scalar(query) is not None


def _check_onset(db: Session, wound: Wound | None, episode_id: int, onset_on: date | None) -> None:
    if onset_on is None:
        return
    episode = get_episode(db=db, episode_id=episode_id)
    patient = get_patient(db=db, patient_id=episode.patient_id)
    # A wound often began before the episode that brought it to the program.
    check_finding_date(
        db,
        episode=episode,
        patient=patient,
        field="onset_on",
        value=onset_on,
        may_precede_episode=True,
    )
    if wound is not None:
        first = db.scalar(
            select(func.min(WoundMeasurement.measured_on)).where(
                WoundMeasurement.wound_id == wound.id
            )
        )
        if first is not None and onset_on > first:
            raise invalid("onset_on", "must not be after the wound's first measurement")


LABEL_TAKEN = "label: the episode already has a wound with this label"


def create_wound(
    *,
    db: Session,
    episode_id: int,
    wound_in: WoundFields,
    site_ids: Collection[int] | None = None,
) -> Wound:
    """Record a wound of the episode's limb; labels are unique within the episode."""
    episode = get_episode(db=db, episode_id=episode_id, site_ids=site_ids)
    _check_onset(db, None, episode.id, wound_in.onset_on)
    if _label_taken(db, episode.id, wound_in.label, None):
        raise Conflict(message=LABEL_TAKEN)
    wound = Wound(
        patient_id=episode.patient_id,
        limb_id=episode.limb_id,
        episode_id=episode.id,
        **wound_in.model_dump(),
    )
    with guarded(db, conflict_message=LABEL_TAKEN):
        db.add(wound)
    return wound


def get_wound(*, db: Session, wound_id: int, site_ids: Collection[int] | None = None) -> Wound:
    """The wound, if its patient is at one of `site_ids`."""
    wound = db.get(Wound, wound_id)
    if wound is None:
        raise NotFound(message=f"wound {wound_id} not found")
    check_visible(db, patient_id=wound.patient_id, site_ids=site_ids, what=f"wound {wound_id}")
    return wound


def list_wounds(
    *, db: Session, episode_id: int, site_ids: Collection[int] | None = None
) -> list[Wound]:
    """The episode's wounds in the order they were recorded."""
    get_episode(db=db, episode_id=episode_id, site_ids=site_ids)
    return list(db.scalars(select(Wound).where(Wound.episode_id == episode_id).order_by(Wound.id)))


def update_wound(
    *,
    db: Session,
    wound_id: int,
    expected_version: int,
    changes: dict[str, Any],
    site_ids: Collection[int] | None = None,
) -> Wound:
    """Change a wound read at `expected_version`."""
    wound = get_wound(db=db, wound_id=wound_id, site_ids=site_ids)
    check_version(wound, expected_version=expected_version, entity="wound")
    values = merged(WoundFields, wound, changes, entity="a wound")
    if "onset_on" in changes:
        _check_onset(db, wound, wound.episode_id, values.onset_on)
    if values.label != wound.label and _label_taken(db, wound.episode_id, values.label, wound.id):
        raise Conflict(message=LABEL_TAKEN)
    relabelled = values.label != wound.label
    with guarded(db, conflict_message=LABEL_TAKEN):
        apply(wound, values.model_dump())
    if relabelled:
        # Staging names the worst wound by its label.
        _restage(db, wound, staging_date(db, wound), f"wound {wound.id} relabelled")
    return wound


def staging_date(db: Session, wound: Wound) -> date:
    """The latest measurement date of the wound (today when it has none)."""
    latest = db.scalar(
        select(func.max(WoundMeasurement.measured_on)).where(WoundMeasurement.wound_id == wound.id)
    )
    return latest if latest is not None else staging.today(db)


def delete_wound(
    *, db: Session, wound_id: int, expected_version: int, site_ids: Collection[int] | None = None
) -> None:
    """Delete a wound recorded in error; refused while measurements or findings refer to it."""
    wound = get_wound(db=db, wound_id=wound_id, site_ids=site_ids)
    check_version(wound, expected_version=expected_version, entity="wound")
    for model, words in (
        (WoundMeasurement, "measurement(s)"),
        (Offloading, "offloading(s)"),
        (Photo, "photo(s)"),
    ):
        count = db.scalar(select(func.count()).select_from(model).where(model.wound_id == wound.id))
        if count:
            raise Conflict(message=f"wound {wound.id} has {count} {words}; delete them first")
    with guarded(db, conflict_message=f"wound {wound_id} is still referenced"):
        db.delete(wound)


# Measurements


def _measurement_values(
    db: Session, wound: Wound, measurement_in: MeasurementFields
) -> dict[str, Any]:
    episode = get_episode(db=db, episode_id=wound.episode_id)
    patient = get_patient(db=db, patient_id=wound.patient_id)
    values = measurement_in.model_dump()
    check_finding_date(
        db, episode=episode, patient=patient, field="measured_on", value=values["measured_on"]
    )
    if wound.onset_on is not None and values["measured_on"] < wound.onset_on:
        raise invalid("measured_on", "must not be before the wound's onset_on")
    if values["assessment_id"] is not None:
        assessment = db.get(Assessment, values["assessment_id"])
        if assessment is None or assessment.episode_id != wound.episode_id:
            raise invalid("assessment_id", "must be an assessment of the wound's episode")
        if assessment.assessed_on != values["measured_on"]:
            raise invalid("measured_on", "must be the date of the assessment it was made at")
    if values["area_cm2"] is not None:
        values["area_method"] = AreaMethod.MEASURED
    elif values["length_cm"] is not None and values["width_cm"] is not None:
        values["area_cm2"] = ellipse_area_cm2(
            length_cm=values["length_cm"], width_cm=values["width_cm"]
        )
        values["area_method"] = AreaMethod.ELLIPSE
    else:
        values["area_method"] = None
    return values


def create_measurement(
    *,
    db: Session,
    wound_id: int,
    measurement_in: MeasurementFields,
    site_ids: Collection[int] | None = None,
) -> WoundMeasurement:
    """Record a measurement of the wound on a date."""
    wound = get_wound(db=db, wound_id=wound_id, site_ids=site_ids)
    values = _measurement_values(db, wound, measurement_in)
    measurement = WoundMeasurement(patient_id=wound.patient_id, wound_id=wound.id, **values)
    with guarded(db, conflict_message="the wound measurement could not be stored"):
        db.add(measurement)
    _restage(db, wound, measurement.measured_on, f"wound measurement {measurement.id} recorded")
    return measurement


def get_measurement(
    *, db: Session, measurement_id: int, site_ids: Collection[int] | None = None
) -> WoundMeasurement:
    """The measurement, if its patient is at one of `site_ids`."""
    measurement = db.get(WoundMeasurement, measurement_id)
    if measurement is None:
        raise NotFound(message=f"wound measurement {measurement_id} not found")
    check_visible(
        db,
        patient_id=measurement.patient_id,
        site_ids=site_ids,
        what=f"wound measurement {measurement_id}",
    )
    return measurement


def list_measurements(
    *, db: Session, wound_id: int, site_ids: Collection[int] | None = None
) -> list[WoundMeasurement]:
    """The wound's measurements, oldest first (same day: in the order recorded)."""
    get_wound(db=db, wound_id=wound_id, site_ids=site_ids)
    query = select(WoundMeasurement).where(WoundMeasurement.wound_id == wound_id)
    return list(db.scalars(query.order_by(WoundMeasurement.measured_on, WoundMeasurement.id)))


def update_measurement(
    *,
    db: Session,
    measurement_id: int,
    expected_version: int,
    changes: dict[str, Any],
    site_ids: Collection[int] | None = None,
) -> WoundMeasurement:
    """Change a measurement read at `expected_version`; the area is recomputed if it was."""
    measurement = get_measurement(db=db, measurement_id=measurement_id, site_ids=site_ids)
    check_version(measurement, expected_version=expected_version, entity="wound measurement")
    if measurement.area_method is AreaMethod.ELLIPSE and "area_cm2" not in changes:
        # The stored area was computed: recompute it from the new length and width.
        changes = {**changes, "area_cm2": None}
    fields = merged(MeasurementFields, measurement, changes, entity="a wound measurement")
    wound = get_wound(db=db, wound_id=measurement.wound_id)
    before = measurement.measured_on
    with guarded(db, conflict_message="the wound measurement could not be changed"):
        apply(measurement, _measurement_values(db, wound, fields))
    as_of = max(before, measurement.measured_on)
    _restage(db, wound, as_of, f"wound measurement {measurement.id} changed")
    return measurement


def delete_measurement(
    *,
    db: Session,
    measurement_id: int,
    expected_version: int,
    site_ids: Collection[int] | None = None,
) -> None:
    """Delete a measurement recorded in error (audited)."""
    measurement = get_measurement(db=db, measurement_id=measurement_id, site_ids=site_ids)
    check_version(measurement, expected_version=expected_version, entity="wound measurement")
    wound = get_wound(db=db, wound_id=measurement.wound_id)
    as_of = measurement.measured_on
    with guarded(db, conflict_message=f"wound measurement {measurement_id} is still referenced"):
        db.delete(measurement)
    _restage(db, wound, as_of, f"wound measurement {measurement_id} deleted")


def _restage(db: Session, wound: Wound, as_of: date, trigger: str) -> None:
    staging.restage_after_change(db=db, episode_id=wound.episode_id, as_of=as_of, trigger=trigger)


# Derived: area reduction (never stored)


@dataclass(frozen=True)
class AreaProgress:
    """A wound's area reduction since baseline and at 4 weeks, or why there is none."""

    since_baseline: AreaReduction | None
    since_baseline_reason: str
    four_week: AreaReduction | None
    four_week_reason: str


def wound_area_progress(
    *, db: Session, wound_id: int, site_ids: Collection[int] | None = None
) -> AreaProgress:
    """Percentage area reduction of the wound since its first measurement and at 4 weeks."""
    points = [
        AreaPoint(m.measured_on, m.area_cm2)
        for m in list_measurements(db=db, wound_id=wound_id, site_ids=site_ids)
        if m.area_cm2 is not None
    ]
    since, since_reason = _derived(area_reduction_since_baseline, points)
    four, four_reason = _derived(four_week_area_reduction, points)
    return AreaProgress(since, since_reason, four, four_reason)


def _derived(compute: Any, points: list[AreaPoint]) -> tuple[AreaReduction | None, str]:
    try:
        result: AreaReduction = compute(points=points)
    except CannotClassify as reason:
        return None, str(reason)
    return result, ""


__all__ = [
    "AreaProgress",
    "create_measurement",
    "create_wound",
    "delete_measurement",
    "delete_wound",
    "get_measurement",
    "get_wound",
    "list_measurements",
    "list_wounds",
    "update_measurement",
    "update_wound",
    "wound_area_progress",
]
