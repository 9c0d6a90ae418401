"""Use cases for assessments and their findings. Services flush but never commit.

Findings of every kind share one set of verbs (`create_finding`, `get_finding`, `list_findings`,
`update_finding`, `delete_finding`), the kind given by the input schema or a `FindingKind`.
A change to a finding that staging reads proposes a new staging snapshot when the staging
inputs change (limbsalvage.staging.service.restage_after_change).
"""

import hashlib
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from limbsalvage.accounts.models import User
from limbsalvage.assessments.checks import apply, check_finding_date, check_visible, merged
from limbsalvage.assessments.models import (
    AcuteIschemiaAssessment,
    AntibioticCourse,
    Assessment,
    Culture,
    Finding,
    Imaging,
    InfectionAssessment,
    Offloading,
    PerfusionStudy,
    Photo,
    TraumaAssessment,
    TumourAssessment,
    VeinMapping,
    VenousStudy,
)
from limbsalvage.assessments.photo_files import remove_after_commit
from limbsalvage.assessments.schemas import (
    AcuteIschemiaAssessmentIn,
    AntibioticCourseIn,
    AssessmentFields,
    CultureIn,
    FindingIn,
    ImagingIn,
    InfectionAssessmentIn,
    OffloadingIn,
    PerfusionStudyIn,
    PhotoIn,
    TraumaAssessmentIn,
    TumourAssessmentIn,
    VeinMappingIn,
    VenousStudyIn,
)
from limbsalvage.core.vocabulary import FindingKind
from limbsalvage.db import audit
from limbsalvage.db.guard import check_version, guarded
from limbsalvage.errors import Conflict, Invalid, NotFound, invalid
from limbsalvage.patients.models import Episode, Patient
from limbsalvage.patients.service import get_episode, get_patient
from limbsalvage.settings import Settings
from limbsalvage.staging import service as staging
from limbsalvage.wounds.models import Wound, WoundMeasurement


@dataclass(frozen=True)
class KindSpec:
    """How a finding kind is stored and dated."""

    model: type[Finding]
    schema: type[FindingIn]
    # The finding's own date column; None: the assessment's date.
    date_field: str | None = None
    # Studies and courses done before referral may precede the episode's presentation.
    may_precede_episode: bool = False


KINDS: dict[FindingKind, KindSpec] = {
    FindingKind.PERFUSION_STUDY: KindSpec(PerfusionStudy, PerfusionStudyIn),
    FindingKind.INFECTION_ASSESSMENT: KindSpec(InfectionAssessment, InfectionAssessmentIn),
    FindingKind.CULTURE: KindSpec(Culture, CultureIn, "collected_on"),
    FindingKind.ANTIBIOTIC_COURSE: KindSpec(
        AntibioticCourse, AntibioticCourseIn, "started_on", may_precede_episode=True
    ),
    FindingKind.IMAGING: KindSpec(Imaging, ImagingIn, "performed_on", may_precede_episode=True),
    FindingKind.VEIN_MAPPING: KindSpec(VeinMapping, VeinMappingIn),
    FindingKind.VENOUS_STUDY: KindSpec(VenousStudy, VenousStudyIn),
    FindingKind.TRAUMA_ASSESSMENT: KindSpec(TraumaAssessment, TraumaAssessmentIn),
    FindingKind.TUMOUR_ASSESSMENT: KindSpec(TumourAssessment, TumourAssessmentIn),
    FindingKind.ACUTE_ISCHEMIA_ASSESSMENT: KindSpec(
        AcuteIschemiaAssessment, AcuteIschemiaAssessmentIn
    ),
    FindingKind.OFFLOADING: KindSpec(Offloading, OffloadingIn, "started_on"),
    FindingKind.PHOTO: KindSpec(Photo, PhotoIn, "taken_on"),
}
_KIND_OF_SCHEMA = {spec.schema: kind for kind, spec in KINDS.items()}

PHOTO_TYPES = {"image/jpeg": (b"\xff\xd8\xff", "jpg"), "image/png": (b"\x89PNG\r\n\x1a\n", "png")}
PHOTO_MAX_BYTES = 20 * 1024 * 1024


def _words(kind: FindingKind) -> str:
    return kind.value.replace("_", " ")


# Assessments


def _check_assessor(db: Session, assessor_id: int | None) -> None:
    if assessor_id is not None and db.get(User, assessor_id) is None:
        raise invalid("assessor_id", "no such user")


def _context(db: Session, episode: Episode) -> Patient:
    return get_patient(db=db, patient_id=episode.patient_id)


def create_assessment(
    *,
    db: Session,
    episode_id: int,
    assessment_in: AssessmentFields,
    site_ids: Collection[int] | None = None,
) -> Assessment:
    """Record an encounter on a date within the episode."""
    episode = get_episode(db=db, episode_id=episode_id, site_ids=site_ids)
    patient = _context(db, episode)
    check_finding_date(
        db, episode=episode, patient=patient, field="assessed_on", value=assessment_in.assessed_on
    )
    _check_assessor(db, assessment_in.assessor_id)
    assessment = Assessment(
        patient_id=episode.patient_id, episode_id=episode.id, **assessment_in.model_dump()
    )
    with guarded(db, conflict_message="the assessment could not be stored"):
        db.add(assessment)
    if assessment.presentation is not None or assessment.unsalvageable is not None:
        _restage(db, assessment, assessment.assessed_on, f"assessment {assessment.id} recorded")
    return assessment


def get_assessment(
    *, db: Session, assessment_id: int, site_ids: Collection[int] | None = None
) -> Assessment:
    """The assessment, if its patient is at one of `site_ids`."""
    assessment = db.get(Assessment, assessment_id)
    if assessment is None:
        raise NotFound(message=f"assessment {assessment_id} not found")
    check_visible(
        db, patient_id=assessment.patient_id, site_ids=site_ids, what=f"assessment {assessment_id}"
    )
    return assessment


def list_assessments(
    *, db: Session, episode_id: int, site_ids: Collection[int] | None = None
) -> list[Assessment]:
    """The episode's assessments, oldest first."""
    get_episode(db=db, episode_id=episode_id, site_ids=site_ids)
    query = select(Assessment).where(Assessment.episode_id == episode_id)
    return list(db.scalars(query.order_by(Assessment.assessed_on, Assessment.id)))


def update_assessment(
    *,
    db: Session,
    assessment_id: int,
    expected_version: int,
    changes: dict[str, Any],
    site_ids: Collection[int] | None = None,
) -> Assessment:
    """Change an assessment read at `expected_version`; its findings keep their own dates."""
    assessment = get_assessment(db=db, assessment_id=assessment_id, site_ids=site_ids)
    check_version(assessment, expected_version=expected_version, entity="assessment")
    values = merged(AssessmentFields, assessment, changes, entity="an assessment")
    episode = get_episode(db=db, episode_id=assessment.episode_id)
    if "assessed_on" in changes:
        check_finding_date(
            db,
            episode=episode,
            patient=_context(db, episode),
            field="assessed_on",
            value=values.assessed_on,
        )
        _check_measurements_follow(db, assessment, values.assessed_on)
    _check_assessor(db, values.assessor_id)
    before = assessment.assessed_on
    with guarded(db, conflict_message="the assessment could not be changed"):
        apply(assessment, values.model_dump())
    _restage(
        db, assessment, max(before, assessment.assessed_on), f"assessment {assessment.id} changed"
    )
    return assessment


def _check_measurements_follow(db: Session, assessment: Assessment, new_date: date) -> None:
    dated = db.scalar(
        select(func.count())
        .select_from(WoundMeasurement)
        .where(
            WoundMeasurement.assessment_id == assessment.id,
            WoundMeasurement.measured_on != new_date,
        )
    )
    if dated:
        raise invalid(
            "assessed_on",
            "wound measurements made at this assessment carry its date; change them first",
        )


def delete_assessment(
    *,
    db: Session,
    assessment_id: int,
    expected_version: int,
    site_ids: Collection[int] | None = None,
    settings: Settings | None,
) -> None:
    """Delete an assessment recorded in error, with its findings (each deletion is audited);
    with `settings`, its photos' files leave the data folder once this is committed.

    `settings` has no default so that no caller forgets it: None is a deliberate choice to
    leave the files to `sweep_orphan_photo_files`."""
    assessment = get_assessment(db=db, assessment_id=assessment_id, site_ids=site_ids)
    check_version(assessment, expected_version=expected_version, entity="assessment")
    measured = db.scalar(
        select(func.count())
        .select_from(WoundMeasurement)
        .where(WoundMeasurement.assessment_id == assessment.id)
    )
    if measured:
        raise Conflict(
            message=(
                f"assessment {assessment.id} has {measured} wound measurement(s); delete them "
                "or detach them from the assessment first"
            )
        )
    as_of = assessment.assessed_on
    with guarded(db, conflict_message=f"assessment {assessment_id} is still referenced"):
        db.delete(assessment)
    if settings is not None:
        remove_after_commit(db, data_dir=settings.data_dir, patient_ids=[assessment.patient_id])
    staging.restage_after_change(
        db=db,
        episode_id=assessment.episode_id,
        as_of=as_of,
        trigger=f"assessment {assessment_id} deleted",
    )


def _restage(db: Session, assessment: Assessment, as_of: date, trigger: str) -> None:
    staging.restage_after_change(
        db=db, episode_id=assessment.episode_id, as_of=as_of, trigger=trigger
    )


# Findings


def _kind_of(finding_in: FindingIn) -> FindingKind:
    return _KIND_OF_SCHEMA[type(finding_in)]


def finding_date(kind: FindingKind, finding: Finding, assessment: Assessment) -> date:
    """The date a finding describes: its own date column, else its assessment's date."""
    field = KINDS[kind].date_field
    value = getattr(finding, field) if field else assessment.assessed_on
    assert isinstance(value, date)
    return value


def _check_finding(
    db: Session, kind: FindingKind, assessment: Assessment, values: dict[str, Any]
) -> None:
    spec = KINDS[kind]
    episode = get_episode(db=db, episode_id=assessment.episode_id)
    if spec.date_field is not None:
        check_finding_date(
            db,
            episode=episode,
            patient=_context(db, episode),
            field=spec.date_field,
            value=values[spec.date_field],
            may_precede_episode=spec.may_precede_episode,
        )
        if kind is FindingKind.IMAGING and values["performed_on"] > assessment.assessed_on:
            raise invalid("performed_on", "must not be after the assessment's assessed_on")
    wound_id = values.get("wound_id")
    if wound_id is not None:
        wound = db.get(Wound, wound_id)
        if wound is None or wound.episode_id != assessment.episode_id:
            raise invalid("wound_id", "must be a wound of the same episode")


def _stored(kind: FindingKind, values: dict[str, Any]) -> dict[str, Any]:
    if kind is FindingKind.VENOUS_STUDY and values.get("clinical_signs") is not None:
        values = {**values, "clinical_signs": ";".join(values["clinical_signs"])}
    return values


def create_finding(
    *,
    db: Session,
    assessment_id: int,
    finding_in: FindingIn,
    site_ids: Collection[int] | None = None,
) -> Finding:
    """Record a finding of the kind `finding_in` describes at an assessment."""
    kind = _kind_of(finding_in)
    if kind is FindingKind.PHOTO:
        raise invalid("photo", "store photos with create_photo (the file is needed)")
    assessment = get_assessment(db=db, assessment_id=assessment_id, site_ids=site_ids)
    values = finding_in.model_dump()
    _check_finding(db, kind, assessment, values)
    model: Any = KINDS[kind].model
    finding: Finding = model(
        patient_id=assessment.patient_id, assessment_id=assessment.id, **_stored(kind, values)
    )
    with guarded(db, conflict_message=f"the {_words(kind)} could not be stored"):
        db.add(finding)
    _restage_finding(db, kind, finding, assessment, verb="recorded")
    return finding


def get_finding(
    *,
    db: Session,
    kind: FindingKind,
    finding_id: int,
    site_ids: Collection[int] | None = None,
) -> Finding:
    """The finding, if its patient is at one of `site_ids`."""
    finding = db.get(KINDS[kind].model, finding_id)
    if finding is None:
        raise NotFound(message=f"{_words(kind)} {finding_id} not found")
    check_visible(
        db, patient_id=finding.patient_id, site_ids=site_ids, what=f"{_words(kind)} {finding_id}"
    )
    return finding


def list_findings(
    *,
    db: Session,
    kind: FindingKind,
    episode_id: int,
    site_ids: Collection[int] | None = None,
) -> list[Finding]:
    """The episode's findings of one kind, oldest first."""
    get_episode(db=db, episode_id=episode_id, site_ids=site_ids)
    model = KINDS[kind].model
    date_field = KINDS[kind].date_field
    order = getattr(model, date_field) if date_field else Assessment.assessed_on
    query = (
        select(model)
        .join(Assessment, Assessment.id == model.assessment_id)
        .where(Assessment.episode_id == episode_id)
        .order_by(order, model.id)
    )
    return list(db.scalars(query))


def update_finding(
    *,
    db: Session,
    kind: FindingKind,
    finding_id: int,
    expected_version: int,
    changes: dict[str, Any],
    site_ids: Collection[int] | None = None,
) -> Finding:
    """Change a finding read at `expected_version`, revalidating the whole finding."""
    finding = get_finding(db=db, kind=kind, finding_id=finding_id, site_ids=site_ids)
    check_version(finding, expected_version=expected_version, entity=_words(kind))
    assessment = get_assessment(db=db, assessment_id=finding.assessment_id)
    before = finding_date(kind, finding, assessment)
    values = merged(KINDS[kind].schema, finding, changes, entity=f"a {_words(kind)}").model_dump()
    _check_finding(db, kind, assessment, values)
    with guarded(db, conflict_message=f"the {_words(kind)} could not be changed"):
        apply(finding, _stored(kind, values))
    _restage_finding(db, kind, finding, assessment, verb="changed", also=before)
    return finding


def delete_finding(
    *,
    db: Session,
    kind: FindingKind,
    finding_id: int,
    expected_version: int,
    site_ids: Collection[int] | None = None,
    settings: Settings | None,
) -> None:
    """Delete a finding recorded in error (audited); a photo's file leaves the data folder once
    this is committed, when `settings` name it (None, chosen explicitly: the photo sweep
    removes it)."""
    finding = get_finding(db=db, kind=kind, finding_id=finding_id, site_ids=site_ids)
    check_version(finding, expected_version=expected_version, entity=_words(kind))
    assessment = get_assessment(db=db, assessment_id=finding.assessment_id)
    as_of = finding_date(kind, finding, assessment)
    with guarded(db, conflict_message=f"{_words(kind)} {finding_id} is still referenced"):
        db.delete(finding)
    if kind is FindingKind.PHOTO and settings is not None:
        remove_after_commit(db, data_dir=settings.data_dir, patient_ids=[finding.patient_id])
    if kind in staging.STAGED_KINDS:
        staging.restage_after_change(
            db=db,
            episode_id=assessment.episode_id,
            as_of=as_of,
            trigger=f"{_words(kind)} {finding_id} deleted",
        )


def _restage_finding(
    db: Session,
    kind: FindingKind,
    finding: Finding,
    assessment: Assessment,
    *,
    verb: str,
    also: date | None = None,
) -> None:
    if kind not in staging.STAGED_KINDS:
        return
    as_of = finding_date(kind, finding, assessment)
    if also is not None:
        as_of = max(as_of, also)
    staging.restage_after_change(
        db=db,
        episode_id=assessment.episode_id,
        as_of=as_of,
        trigger=f"{_words(kind)} {finding.id} {verb}",
    )


# Photos: stored and shown, never analysed.


def create_photo(
    *,
    db: Session,
    assessment_id: int,
    photo_in: PhotoIn,
    content: bytes,
    content_type: str,
    settings: Settings,
    site_ids: Collection[int] | None = None,
) -> Photo:
    """Store a wound photograph under the data folder and record it (never analysed)."""
    assessment = get_assessment(db=db, assessment_id=assessment_id, site_ids=site_ids)
    if content_type not in PHOTO_TYPES:
        raise invalid("content_type", f"must be one of {', '.join(PHOTO_TYPES)}")
    signature, extension = PHOTO_TYPES[content_type]
    if not content.startswith(signature):
        raise invalid("content", f"is not a {content_type} file")
    if len(content) > PHOTO_MAX_BYTES:
        raise invalid("content", f"must not exceed {PHOTO_MAX_BYTES // (1024 * 1024)} MB")
    values = photo_in.model_dump()
    _check_finding(db, FindingKind.PHOTO, assessment, values)
    digest = hashlib.sha256(content).hexdigest()
    relative = Path("photos") / str(assessment.patient_id) / f"{digest}.{extension}"
    _write_once(settings.data_dir / relative, content)
    photo = Photo(
        patient_id=assessment.patient_id,
        assessment_id=assessment.id,
        file_path=relative.as_posix(),
        content_type=content_type,
        size_bytes=len(content),
        sha256=digest,
        **values,
    )
    with guarded(db, conflict_message="the photo could not be stored"):
        db.add(photo)
    return photo


def _write_once(path: Path, content: bytes) -> None:
    # Content-addressed: the same image is stored once; written whole, then moved into place.
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(path.suffix + ".partial")
    partial.write_bytes(content)
    partial.replace(path)


def read_photo(
    *,
    db: Session,
    photo_id: int,
    settings: Settings,
    site_ids: Collection[int] | None = None,
) -> tuple[Photo, bytes]:
    """The photo and its bytes, checked against the stored hash; the read is audited."""
    photo = get_finding(db=db, kind=FindingKind.PHOTO, finding_id=photo_id, site_ids=site_ids)
    assert isinstance(photo, Photo)
    path = settings.data_dir / photo.file_path
    if not path.is_file():
        raise NotFound(message=f"the file of photo {photo_id} is missing from the data folder")
    content = path.read_bytes()
    if hashlib.sha256(content).hexdigest() != photo.sha256:
        raise Invalid(message=f"the file of photo {photo_id} does not match its stored hash")
    audit.record_access(
        db,
        action="read",
        entity="photos",
        entity_id=str(photo.id),
        patient_id=photo.patient_id,
    )
    return photo, content


def remove_photo_files(*, settings: Settings, patient_id: int) -> int:
    """Remove every photo file of a purged patient at once (`purge_patient` does it after its
    commit by itself); the count."""
    folder = settings.data_dir / "photos" / str(patient_id)
    if not folder.is_dir():
        return 0
    removed = 0
    for path in folder.iterdir():
        path.unlink()
        removed += 1
    folder.rmdir()
    return removed


__all__ = [
    "KINDS",
    "create_assessment",
    "create_finding",
    "create_photo",
    "delete_assessment",
    "delete_finding",
    "finding_date",
    "get_assessment",
    "get_finding",
    "list_assessments",
    "list_findings",
    "read_photo",
    "remove_photo_files",
    "update_assessment",
    "update_finding",
]
