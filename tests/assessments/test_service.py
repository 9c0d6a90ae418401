"""Assessments and their findings through the service layer, on SQLite and PostgreSQL."""

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.assessments import service
from limbsalvage.assessments.models import Assessment, Imaging, PerfusionStudy, Photo, VenousStudy
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
from limbsalvage.core.vocabulary import FindingKind, Role
from limbsalvage.db.audit import AuditEntry
from limbsalvage.db.guard import guarded
from limbsalvage.errors import Conflict, Invalid, NotFound, StaleUpdate
from limbsalvage.patients import service as patients
from limbsalvage.patients.models import Episode
from limbsalvage.patients.schemas import EpisodeClose
from limbsalvage.settings import Settings
from tests.support.factories import (
    make_assessment,
    make_episode,
    make_finding,
    make_measurement,
    make_patient,
    make_site,
    make_user,
    make_wound,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x01" * 32


@pytest.fixture
def episode(db: Session) -> Episode:
    return make_episode(db, make_patient(db, make_site(db)))


@pytest.fixture
def assessment(db: Session, episode: Episode) -> Assessment:
    return make_assessment(db, episode)


# One valid finding of every kind (photos need a file: tested apart).
EXAMPLES: dict[FindingKind, FindingIn] = {
    FindingKind.PERFUSION_STUDY: PerfusionStudyIn(
        brachial_right_mmhg=140,
        dorsalis_pedis_mmhg=70,
        posterior_tibial_mmhg=84,
        toe_pressure_mmhg=35,
    ),
    FindingKind.INFECTION_ASSESSMENT: InfectionAssessmentIn(
        erythema_extent_cm=1.5,
        osteomyelitis=False,
        suspected_active_charcot=False,
        local_warmth=True,
        purulent_discharge=True,
    ),
    FindingKind.CULTURE: CultureIn(
        collected_on=date(2026, 1, 6),
        specimen="bone",
        result="growth",
        organisms="Staphylococcus aureus",
        histology_osteomyelitis=True,
    ),
    FindingKind.ANTIBIOTIC_COURSE: AntibioticCourseIn(
        agent="amoxicillin-clavulanate",
        route="oral",
        indication="soft_tissue_infection",
        started_on=date(2026, 1, 6),
    ),
    FindingKind.IMAGING: ImagingIn(
        modality="ct_angiography",
        performed_on=date(2026, 1, 6),
        fp_grade=1,
        ip_grade=3,
        im_modifier="P1",
    ),
    FindingKind.VEIN_MAPPING: VeinMappingIn(
        vein="great_saphenous",
        vein_side="left",
        diameter_min_mm=3.2,
        diameter_max_mm=4.5,
        usable=True,
        usable_length_cm=60,
    ),
    FindingKind.VENOUS_STUDY: VenousStudyIn(
        clinical_signs=["varicose_veins", "active_venous_ulcer"],
        symptomatic=True,
        etiology="primary",
        superficial_reflux=True,
    ),
    FindingKind.TRAUMA_ASSESSMENT: TraumaAssessmentIn(
        skeletal_soft_tissue_points=3, limb_ischemia_points=2, ischemia_hours=4, shock_points=1
    ),
    FindingKind.TUMOUR_ASSESSMENT: TumourAssessmentIn(
        histology="osteosarcoma",
        tumour_grade="high",
        tumour_site="extracompartmental",
        metastasis=False,
    ),
    FindingKind.ACUTE_ISCHEMIA_ASSESSMENT: AcuteIschemiaAssessmentIn(
        sensory_loss="toes_only",
        muscle_weakness="none",
        arterial_doppler_audible=False,
        venous_doppler_audible=True,
    ),
    FindingKind.OFFLOADING: OffloadingIn(device="total_contact_cast", started_on=date(2026, 1, 6)),
}


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_every_kind_is_stored_and_read_back(
    db: Session, assessment: Assessment, kind: FindingKind
) -> None:
    finding = make_finding(db, assessment, EXAMPLES[kind])
    assert finding.patient_id == assessment.patient_id
    assert service.get_finding(db=db, kind=kind, finding_id=finding.id) is finding
    listed = service.list_findings(db=db, kind=kind, episode_id=assessment.episode_id)
    assert listed == [finding]
    assert service.finding_date(kind, finding, assessment) == date(2026, 1, 6)


def test_the_assessment_groups_its_findings(db: Session, assessment: Assessment) -> None:
    make_finding(db, assessment, EXAMPLES[FindingKind.PERFUSION_STUDY])
    make_finding(db, assessment, EXAMPLES[FindingKind.CULTURE])
    db.expire_all()
    again = service.get_assessment(db=db, assessment_id=assessment.id)
    assert len(again.perfusion_studies) == len(again.cultures) == 1


def test_venous_signs_are_stored_as_the_engine_reads_them(
    db: Session, assessment: Assessment
) -> None:
    study = make_finding(db, assessment, EXAMPLES[FindingKind.VENOUS_STUDY])
    assert isinstance(study, VenousStudy)
    assert study.clinical_signs == "varicose_veins;active_venous_ulcer"
    assert study.clinical_sign_list == ["varicose_veins", "active_venous_ulcer"]
    service.update_finding(
        db=db,
        kind=FindingKind.VENOUS_STUDY,
        finding_id=study.id,
        expected_version=1,
        changes={"clinical_signs": "edema"},
    )
    assert study.clinical_signs == "edema"


def test_assessment_dates_and_assessor_are_checked(db: Session, episode: Episode) -> None:
    with pytest.raises(Invalid, match="assessed_on: must not be before the episode's presented_on"):
        make_assessment(db, episode, assessed_on=date(2026, 1, 1))
    with pytest.raises(Invalid, match="assessed_on: must not be in the future"):
        make_assessment(db, episode, assessed_on=date(2026, 4, 1))
    with pytest.raises(Invalid, match="assessor_id: no such user"):
        make_assessment(db, episode, assessor_id=10**6)
    site_user = make_user(db, make_site(db, code="x"), Role.CLINICIAN)
    assert make_assessment(db, episode, assessor_id=site_user.id).assessor_id == site_user.id


def test_nothing_after_death_or_closure(db: Session) -> None:
    patient = make_patient(db, make_site(db), death_date=date(2026, 2, 1))
    episode = make_episode(db, patient)
    with pytest.raises(Invalid, match="assessed_on: must not be after the patient's death_date"):
        make_assessment(db, episode, assessed_on=date(2026, 2, 2))


def test_other_sites_never_see_the_assessment(db: Session, assessment: Assessment) -> None:
    south = make_site(db, code="south", name="South")
    with pytest.raises(NotFound, match=f"assessment {assessment.id} not found"):
        service.get_assessment(db=db, assessment_id=assessment.id, site_ids=[south.id])
    finding = make_finding(db, assessment, EXAMPLES[FindingKind.CULTURE])
    with pytest.raises(NotFound, match=f"culture {finding.id} not found"):
        service.get_finding(
            db=db, kind=FindingKind.CULTURE, finding_id=finding.id, site_ids=[south.id]
        )
    with pytest.raises(NotFound, match="imaging 5 not found"):
        service.get_finding(db=db, kind=FindingKind.IMAGING, finding_id=5)
    with pytest.raises(NotFound, match="assessment 999999 not found"):
        service.get_assessment(db=db, assessment_id=999_999)


def test_update_assessment_revalidates_and_checks_versions(
    db: Session, episode: Episode, assessment: Assessment
) -> None:
    service.update_assessment(
        db=db,
        assessment_id=assessment.id,
        expected_version=1,
        changes={"presentation": "rest_pain", "assessed_on": date(2026, 1, 7)},
    )
    assert (assessment.presentation, assessment.version) == ("rest_pain", 2)
    with pytest.raises(StaleUpdate):
        service.update_assessment(
            db=db, assessment_id=assessment.id, expected_version=1, changes={"notes": "x"}
        )
    with pytest.raises(Invalid, match="presentation"):
        service.update_assessment(
            db=db, assessment_id=assessment.id, expected_version=2, changes={"presentation": "x"}
        )
    with pytest.raises(Invalid, match="episode_id: is not a field of an assessment"):
        service.update_assessment(
            db=db, assessment_id=assessment.id, expected_version=2, changes={"episode_id": 3}
        )
    assert service.list_assessments(db=db, episode_id=episode.id) == [assessment]


def test_a_measured_assessment_keeps_its_date(
    db: Session, episode: Episode, assessment: Assessment
) -> None:
    wound = make_wound(db, episode)
    make_measurement(db, wound, assessment_id=assessment.id)
    with pytest.raises(Invalid, match="assessed_on: wound measurements made at this assessment"):
        service.update_assessment(
            db=db,
            assessment_id=assessment.id,
            expected_version=1,
            changes={"assessed_on": date(2026, 1, 8)},
        )
    with pytest.raises(Conflict, match="has 1 wound measurement"):
        service.delete_assessment(
            db=db, assessment_id=assessment.id, expected_version=1, settings=None
        )


def test_deleting_an_assessment_deletes_and_audits_its_findings(
    db: Session, assessment: Assessment
) -> None:
    finding = make_finding(db, assessment, EXAMPLES[FindingKind.CULTURE])
    service.delete_assessment(db=db, assessment_id=assessment.id, expected_version=1, settings=None)
    deleted = db.scalars(
        select(AuditEntry.entity).where(AuditEntry.action == "delete").order_by(AuditEntry.seq)
    ).all()
    assert set(deleted) == {"cultures", "assessments"}
    assert db.get(type(finding), finding.id) is None


def test_update_finding_revalidates_the_whole_finding(db: Session, assessment: Assessment) -> None:
    study = make_finding(db, assessment, EXAMPLES[FindingKind.PERFUSION_STUDY])
    kind = FindingKind.PERFUSION_STUDY
    service.update_finding(
        db=db, kind=kind, finding_id=study.id, expected_version=1, changes={"tcpo2_mmhg": 28}
    )
    assert study.tcpo2_mmhg == 28
    with pytest.raises(Invalid, match="abi: differs from the ankle pressure"):
        service.update_finding(
            db=db, kind=kind, finding_id=study.id, expected_version=2, changes={"abi": 0.9}
        )
    with pytest.raises(StaleUpdate, match="perfusion study"):
        service.update_finding(
            db=db, kind=kind, finding_id=study.id, expected_version=1, changes={"abi": 0.6}
        )
    with pytest.raises(Invalid, match="assessment_id: is not a field of a perfusion study"):
        service.update_finding(
            db=db, kind=kind, finding_id=study.id, expected_version=2, changes={"assessment_id": 1}
        )
    entries = db.scalars(
        select(AuditEntry).where(
            AuditEntry.entity == "perfusion_studies", AuditEntry.action == "update"
        )
    ).all()
    assert [json.loads(e.after or "{}") for e in entries] == [{"tcpo2_mmhg": 28.0}]


def test_delete_finding(db: Session, assessment: Assessment) -> None:
    kind = FindingKind.PERFUSION_STUDY
    study = make_finding(db, assessment, EXAMPLES[kind])
    with pytest.raises(StaleUpdate):
        service.delete_finding(
            db=db, kind=kind, finding_id=study.id, expected_version=3, settings=None
        )
    service.delete_finding(db=db, kind=kind, finding_id=study.id, expected_version=1, settings=None)
    assert service.list_findings(db=db, kind=kind, episode_id=assessment.episode_id) == []


def test_finding_dates_follow_the_episode(
    db: Session, episode: Episode, assessment: Assessment
) -> None:
    with pytest.raises(
        Invalid, match="collected_on: must not be before the episode's presented_on"
    ):
        make_finding(
            db,
            assessment,
            CultureIn(collected_on=date(2025, 12, 1), specimen="deep_tissue", result="pending"),
        )
    # A referral angiogram may precede the episode, but not the assessment that reviews it.
    referral = make_finding(
        db,
        assessment,
        ImagingIn(modality="digital_subtraction_angiography", performed_on=date(2025, 12, 1)),
    )
    assert isinstance(referral, Imaging)
    with pytest.raises(
        Invalid, match="performed_on: must not be after the assessment's assessed_on"
    ):
        make_finding(db, assessment, ImagingIn(modality="mri", performed_on=date(2026, 1, 7)))
    with pytest.raises(Invalid, match="started_on: must not be in the future"):
        make_finding(
            db,
            assessment,
            AntibioticCourseIn(
                agent="x", route="oral", indication="other", started_on=date(2026, 5, 1)
            ),
        )


def test_a_finding_names_only_wounds_of_its_episode(
    db: Session, episode: Episode, assessment: Assessment
) -> None:
    other = make_episode(db, make_patient(db, make_site(db, code="x"), mrn="Z"))
    foreign = make_wound(db, other)
    with pytest.raises(Invalid, match="wound_id: must be a wound of the same episode"):
        make_finding(
            db,
            assessment,
            OffloadingIn(wound_id=foreign.id, device="cast_shoe", started_on=date(2026, 1, 6)),
        )
    own = make_wound(db, episode)
    offloading = make_finding(
        db,
        assessment,
        OffloadingIn(wound_id=own.id, device="cast_shoe", started_on=date(2026, 1, 6)),
    )
    assert offloading.wound_id == own.id


def test_photos_go_through_create_photo(db: Session, assessment: Assessment) -> None:
    with pytest.raises(Invalid, match="photo: store photos with create_photo"):
        make_finding(db, assessment, PhotoIn(taken_on=date(2026, 1, 6)))


@pytest.mark.parametrize(
    ("model", "values", "message"),
    [
        (PerfusionStudyIn, {}, "perfusion_study: give at least one"),
        (
            PerfusionStudyIn,
            {"dorsalis_pedis_mmhg": 80, "ankle_pressure_mmhg": 90},
            "ankle_pressure_mmhg: differs from the higher",
        ),
        (
            PerfusionStudyIn,
            {"brachial_left_mmhg": 120, "toe_pressure_mmhg": 60, "tbi": 0.7},
            "tbi: differs from toe_pressure_mmhg",
        ),
        (
            PerfusionStudyIn,
            {"post_exercise_ankle_pressure_mmhg": 50},
            "post_exercise_ankle_pressure_mmhg: recorded after a treadmill test",
        ),
        (PerfusionStudyIn, {"brachial_left_mmhg": 20}, "brachial_left_mmhg"),
        (PerfusionStudyIn, {"dorsalis_pedis_waveform": "quadriphasic"}, "dorsalis_pedis_waveform"),
        (InfectionAssessmentIn, {"osteomyelitis_basis": "mri"}, "osteomyelitis_basis: only with"),
        (
            InfectionAssessmentIn,
            {"osteomyelitis": True, "deep_tissue_involvement": False},
            "deep_tissue_involvement: osteomyelitis is infection of bone",
        ),
        (
            InfectionAssessmentIn,
            {"infection_confirmed_despite_charcot": True},
            "infection_confirmed_despite_charcot: only with suspected_active_charcot",
        ),
        (InfectionAssessmentIn, {"sirs_criteria_count": 5}, "sirs_criteria_count"),
        (
            CultureIn,
            {
                "collected_on": "2026-01-06",
                "specimen": "superficial_swab",
                "result": "growth",
                "histology_osteomyelitis": True,
            },
            "histology_osteomyelitis: only for a bone specimen",
        ),
        (
            CultureIn,
            {
                "collected_on": "2026-01-06",
                "specimen": "bone",
                "result": "no_growth",
                "organisms": "E. coli",
            },
            "organisms: only when the result is growth",
        ),
        (
            AntibioticCourseIn,
            {
                "agent": "x",
                "route": "oral",
                "indication": "other",
                "started_on": "2026-01-06",
                "stopped_on": "2026-01-05",
            },
            "stopped_on: must not be before started_on",
        ),
        (
            OffloadingIn,
            {"device": "cast_shoe", "started_on": "2026-01-06", "stopped_on": "2026-01-01"},
            "stopped_on: must not be before started_on",
        ),
        (
            VeinMappingIn,
            {"vein": "cephalic", "vein_side": "right", "diameter_min_mm": 4, "diameter_max_mm": 3},
            "diameter_min_mm: must not exceed diameter_max_mm",
        ),
        (VenousStudyIn, {"clinical_signs": ["ulcerish"]}, "'ulcerish' is not a CEAP sign"),
        (VenousStudyIn, {"clinical_signs": []}, "give at least one sign"),
        (VenousStudyIn, {"clinical_signs": "none;edema"}, "'none' \\(C0\\) cannot be combined"),
        (
            VenousStudyIn,
            {"clinical_signs": "varicose_veins;recurrent_varicose_veins"},
            "describe the same class two ways",
        ),
        (TumourAssessmentIn, {"pain_points": 3}, "function_points: the MSTS score needs all six"),
        (TraumaAssessmentIn, {"skeletal_soft_tissue_points": 0}, "skeletal_soft_tissue_points"),
        (ImagingIn, {"modality": "ct", "performed_on": "2026-01-06", "fp_grade": 5}, "fp_grade"),
    ],
)
def test_finding_validation_names_the_field(
    model: type[FindingIn], values: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        model.model_validate(values)


def test_consistent_perfusion_values_are_accepted() -> None:
    study = PerfusionStudyIn(
        brachial_right_mmhg=140,
        brachial_left_mmhg=130,
        posterior_tibial_mmhg=70,
        ankle_pressure_mmhg=70.5,
        abi=0.5,
        toe_pressure_mmhg=42,
        tbi=0.3,
        treadmill_completed=True,
        post_exercise_ankle_pressure_mmhg=40,
    )
    assert study.abi == 0.5


def test_a_finding_refused_by_the_database_becomes_a_conflict(
    db: Session, assessment: Assessment
) -> None:
    # The schema allows what the table allows; a row built by hand still meets the CHECK.
    row = PerfusionStudy(patient_id=assessment.patient_id, assessment_id=assessment.id, abi=-1)
    with pytest.raises(Conflict, match="refused"), guarded(db, conflict_message="refused"):
        db.add(row)


# Photos


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path)


def _photo(
    db: Session,
    assessment: Assessment,
    settings: Settings,
    content: bytes = PNG,
    content_type: str = "image/png",
) -> Photo:
    return service.create_photo(
        db=db,
        assessment_id=assessment.id,
        photo_in=PhotoIn(taken_on=date(2026, 1, 6), caption="plantar view"),
        content=content,
        content_type=content_type,
        settings=settings,
    )


def test_a_photo_is_stored_under_the_data_folder_and_read_back(
    db: Session, assessment: Assessment, settings: Settings
) -> None:
    photo = _photo(db, assessment, settings)
    digest = hashlib.sha256(PNG).hexdigest()
    assert photo.file_path == f"photos/{assessment.patient_id}/{digest}.png"
    assert (settings.data_dir / photo.file_path).read_bytes() == PNG
    again = _photo(db, assessment, settings)  # the same image is stored once
    assert again.file_path == photo.file_path
    read, content = service.read_photo(db=db, photo_id=photo.id, settings=settings)
    assert (read, content) == (photo, PNG)
    reads = db.scalars(select(AuditEntry).where(AuditEntry.action == "read")).all()
    assert [(e.entity, e.entity_id) for e in reads] == [("photos", str(photo.id))]
    jpeg = _photo(db, assessment, settings, JPEG, "image/jpeg")
    assert jpeg.file_path.endswith(".jpg")


@pytest.mark.parametrize(
    "case",
    [
        (PNG, "image/gif", "content_type: must be one of image/jpeg, image/png"),
        (JPEG, "image/png", "content: is not a image/png file"),
        (PNG + b"\x00" * (20 * 1024 * 1024), "image/png", "content: must not exceed 20 MB"),
    ],
)
def test_only_photos_are_stored(
    db: Session, assessment: Assessment, settings: Settings, case: tuple[bytes, str, str]
) -> None:
    content, content_type, message = case
    with pytest.raises(Invalid, match=message):
        _photo(db, assessment, settings, content, content_type)


def test_a_changed_or_missing_photo_file_is_reported(
    db: Session, assessment: Assessment, settings: Settings
) -> None:
    photo = _photo(db, assessment, settings)
    path = settings.data_dir / photo.file_path
    path.write_bytes(PNG + b"tampered")
    with pytest.raises(Invalid, match="does not match its stored hash"):
        service.read_photo(db=db, photo_id=photo.id, settings=settings)
    path.unlink()
    with pytest.raises(NotFound, match="is missing from the data folder"):
        service.read_photo(db=db, photo_id=photo.id, settings=settings)


def test_assessment_fields_are_strict() -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        AssessmentFields(assessed_on=date(2026, 1, 6), mood="fine")  # type: ignore[call-arg]


def test_findings_stay_within_the_patient_s_life_and_the_episode(db: Session) -> None:
    patient = make_patient(db, make_site(db), birth_date=date(1950, 5, 17))
    episode = make_episode(db, patient)
    assessment = make_assessment(db, episode)
    with pytest.raises(Invalid, match="performed_on: must not be before the patient's birth_date"):
        make_finding(db, assessment, ImagingIn(modality="mri", performed_on=date(1949, 1, 1)))

    patients.close_episode(
        db=db, episode_id=episode.id, close_in=EpisodeClose(version=1, closed_on=date(2026, 1, 20))
    )
    with pytest.raises(Invalid, match="assessed_on: must not be after the episode's closed_on"):
        make_assessment(db, episode, assessed_on=date(2026, 1, 21))
