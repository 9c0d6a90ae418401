"""Assessments (encounters on a date) and the findings made at them.

Each finding holds the raw values the classification engine reads; a column has the name of
the engine input it feeds (`limbsalvage.core.<system>.SYSTEM.fields`) wherever the meaning is
the same, so staging passes it through unchanged. The few exceptions are named in
docs/registry/data-dictionary.md (for example `tumour_grade` feeds Enneking's `grade`).
"""

from datetime import date

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from limbsalvage.core.ali import MuscleWeakness, SensoryLoss
from limbsalvage.core.enneking import Site as EnnekingSite
from limbsalvage.core.enneking import SurgicalGrade
from limbsalvage.core.glass import ImModifier, TargetArtery, TrunkDisease
from limbsalvage.core.rutherford import Presentation
from limbsalvage.core.vocabulary import (
    AntibioticIndication,
    AntibioticRoute,
    CeapEtiology,
    CultureResult,
    CultureSpecimen,
    Discipline,
    DopplerWaveform,
    ImagingModality,
    OffloadingDevice,
    OsteomyelitisBasis,
    PvrWaveform,
    Side,
    Vein,
)
from limbsalvage.db.base import Base, Record, coded


def _not_negative(*columns: str) -> tuple[CheckConstraint, ...]:
    return tuple(
        CheckConstraint(f"{c} IS NULL OR {c} >= 0", name=f"{c}_not_negative") for c in columns
    )


def _between(column: str, low: int, high: int) -> CheckConstraint:
    return CheckConstraint(
        f"{column} IS NULL OR ({column} >= {low} AND {column} <= {high})",
        name=f"{column}_range",
    )


class Assessment(Record, Base):
    """An encounter on a date within an episode, grouping the findings made together."""

    __tablename__ = "assessments"

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("episodes.id"), index=True)
    assessed_on: Mapped[date]
    assessor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    discipline: Mapped[Discipline | None] = mapped_column(coded(Discipline, "discipline"))
    # The limb's clinical picture (Rutherford's `presentation`) and the clinician's judgement
    # that the foot is unsalvageable (WIfI clinical stage 5).
    presentation: Mapped[Presentation | None] = mapped_column(
        coded(Presentation, "rutherford_presentation")
    )
    unsalvageable: Mapped[bool | None] = mapped_column(Boolean)
    notes: Mapped[str | None] = mapped_column(Text)

    perfusion_studies: Mapped[list["PerfusionStudy"]] = relationship(
        cascade="all, delete-orphan", order_by="PerfusionStudy.id"
    )
    infection_assessments: Mapped[list["InfectionAssessment"]] = relationship(
        cascade="all, delete-orphan", order_by="InfectionAssessment.id"
    )
    cultures: Mapped[list["Culture"]] = relationship(
        cascade="all, delete-orphan", order_by="Culture.id"
    )
    antibiotic_courses: Mapped[list["AntibioticCourse"]] = relationship(
        cascade="all, delete-orphan", order_by="AntibioticCourse.id"
    )
    imaging_studies: Mapped[list["Imaging"]] = relationship(
        cascade="all, delete-orphan", order_by="Imaging.id"
    )
    vein_mappings: Mapped[list["VeinMapping"]] = relationship(
        cascade="all, delete-orphan", order_by="VeinMapping.id"
    )
    venous_studies: Mapped[list["VenousStudy"]] = relationship(
        cascade="all, delete-orphan", order_by="VenousStudy.id"
    )
    trauma_assessments: Mapped[list["TraumaAssessment"]] = relationship(
        cascade="all, delete-orphan", order_by="TraumaAssessment.id"
    )
    tumour_assessments: Mapped[list["TumourAssessment"]] = relationship(
        cascade="all, delete-orphan", order_by="TumourAssessment.id"
    )
    acute_ischemia_assessments: Mapped[list["AcuteIschemiaAssessment"]] = relationship(
        cascade="all, delete-orphan", order_by="AcuteIschemiaAssessment.id"
    )
    offloadings: Mapped[list["Offloading"]] = relationship(
        cascade="all, delete-orphan", order_by="Offloading.id"
    )
    photos: Mapped[list["Photo"]] = relationship(cascade="all, delete-orphan", order_by="Photo.id")


class Finding(Record):
    """What every finding carries: its patient (site scoping) and its assessment."""

    @declared_attr
    def patient_id(cls) -> Mapped[int]:  # noqa: N805 - declared_attr receives the class
        return mapped_column(ForeignKey("patients.id"), index=True)

    @declared_attr
    def assessment_id(cls) -> Mapped[int]:  # noqa: N805 - declared_attr receives the class
        return mapped_column(ForeignKey("assessments.id"), index=True)


class PerfusionStudy(Finding, Base):
    """Non-invasive arterial study of the limb: pressures, indices, TcPO2 and waveforms."""

    __tablename__ = "perfusion_studies"
    __table_args__ = _not_negative(
        "dorsalis_pedis_mmhg",
        "posterior_tibial_mmhg",
        "ankle_pressure_mmhg",
        "toe_pressure_mmhg",
        "tcpo2_mmhg",
        "abi",
        "tbi",
        "skin_perfusion_pressure_mmhg",
        "post_exercise_ankle_pressure_mmhg",
    )

    brachial_right_mmhg: Mapped[float | None] = mapped_column(Float)
    brachial_left_mmhg: Mapped[float | None] = mapped_column(Float)
    dorsalis_pedis_mmhg: Mapped[float | None] = mapped_column(Float)
    posterior_tibial_mmhg: Mapped[float | None] = mapped_column(Float)
    # A single ankle pressure when the laboratory does not report DP and PT separately.
    ankle_pressure_mmhg: Mapped[float | None] = mapped_column(Float)
    toe_pressure_mmhg: Mapped[float | None] = mapped_column(Float)
    # ABI and TBI as the laboratory reported them; the engine recomputes both from the
    # pressures when those are present and refuses a reported ABI that disagrees.
    abi: Mapped[float | None] = mapped_column(Float)
    tbi: Mapped[float | None] = mapped_column(Float)
    tcpo2_mmhg: Mapped[float | None] = mapped_column(Float)
    skin_perfusion_pressure_mmhg: Mapped[float | None] = mapped_column(Float)
    non_compressible: Mapped[bool | None] = mapped_column(Boolean)
    # Constraint names differ per column: a table's CHECK names must be unique.
    dorsalis_pedis_waveform: Mapped[DopplerWaveform | None] = mapped_column(
        coded(DopplerWaveform, "dp_waveform")
    )
    posterior_tibial_waveform: Mapped[DopplerWaveform | None] = mapped_column(
        coded(DopplerWaveform, "pt_waveform")
    )
    pvr_ankle_waveform: Mapped[PvrWaveform | None] = mapped_column(coded(PvrWaveform, "pvr_ankle"))
    pvr_metatarsal_waveform: Mapped[PvrWaveform | None] = mapped_column(
        coded(PvrWaveform, "pvr_metatarsal")
    )
    treadmill_completed: Mapped[bool | None] = mapped_column(Boolean)
    post_exercise_ankle_pressure_mmhg: Mapped[float | None] = mapped_column(Float)


class InfectionAssessment(Finding, Base):
    """IWGDF/IDSA 2023 signs of foot infection, SIRS findings, osteomyelitis and Charcot."""

    __tablename__ = "infection_assessments"
    __table_args__ = (
        *_not_negative("erythema_extent_cm", "white_cell_count_per_mm3"),
        _between("sirs_criteria_count", 0, 4),
        _between("band_forms_percent", 0, 100),
    )

    erythema_extent_cm: Mapped[float | None] = mapped_column(Float)
    swelling_or_induration: Mapped[bool | None] = mapped_column(Boolean)
    local_tenderness_or_pain: Mapped[bool | None] = mapped_column(Boolean)
    local_warmth: Mapped[bool | None] = mapped_column(Boolean)
    purulent_discharge: Mapped[bool | None] = mapped_column(Boolean)
    deep_tissue_involvement: Mapped[bool | None] = mapped_column(Boolean)
    temperature_c: Mapped[float | None] = mapped_column(Float)
    heart_rate_bpm: Mapped[float | None] = mapped_column(Float)
    respiratory_rate_per_min: Mapped[float | None] = mapped_column(Float)
    paco2_mmhg: Mapped[float | None] = mapped_column(Float)
    white_cell_count_per_mm3: Mapped[float | None] = mapped_column(Float)
    band_forms_percent: Mapped[float | None] = mapped_column(Float)
    sirs_criteria_count: Mapped[int | None] = mapped_column(Integer)
    osteomyelitis: Mapped[bool | None] = mapped_column(Boolean)
    osteomyelitis_basis: Mapped[OsteomyelitisBasis | None] = mapped_column(
        coded(OsteomyelitisBasis, "osteomyelitis_basis")
    )
    suspected_active_charcot: Mapped[bool | None] = mapped_column(Boolean)
    infection_confirmed_despite_charcot: Mapped[bool | None] = mapped_column(Boolean)


class Culture(Finding, Base):
    """A culture (or bone biopsy) taken at the assessment, with its result."""

    __tablename__ = "cultures"
    __table_args__ = (
        CheckConstraint(
            "histology_osteomyelitis IS NULL OR specimen = 'bone'",
            name="histology_only_for_bone",
        ),
    )

    collected_on: Mapped[date]
    specimen: Mapped[CultureSpecimen] = mapped_column(coded(CultureSpecimen, "culture_specimen"))
    result: Mapped[CultureResult] = mapped_column(coded(CultureResult, "culture_result"))
    organisms: Mapped[str | None] = mapped_column(String(500))
    resistant_organism: Mapped[bool | None] = mapped_column(Boolean)
    # Bone biopsy only: histology consistent with osteomyelitis.
    histology_osteomyelitis: Mapped[bool | None] = mapped_column(Boolean)


class AntibioticCourse(Finding, Base):
    """An antibiotic course started or reviewed at the assessment."""

    __tablename__ = "antibiotic_courses"
    __table_args__ = (
        CheckConstraint(
            "stopped_on IS NULL OR stopped_on >= started_on", name="stopped_after_start"
        ),
    )

    agent: Mapped[str] = mapped_column(String(100))
    route: Mapped[AntibioticRoute] = mapped_column(coded(AntibioticRoute, "antibiotic_route"))
    indication: Mapped[AntibioticIndication] = mapped_column(
        coded(AntibioticIndication, "antibiotic_indication")
    )
    started_on: Mapped[date]
    stopped_on: Mapped[date | None]


class Imaging(Finding, Base):
    """An imaging study; arterial lesions are described per segment with the GLASS inputs."""

    __tablename__ = "imaging_studies"
    __table_args__ = (
        _between("fp_grade", 0, 4),
        _between("ip_grade", 0, 4),
        *_not_negative(
            "sfa_disease_length_cm",
            "sfa_occlusion_length_cm",
            "popliteal_stenosis_length_cm",
            "ip_disease_length_cm",
            "ip_occlusion_length_cm",
        ),
        _between("sfa_disease_percent", 0, 100),
        _between("ip_disease_percent", 0, 100),
        _between("ip_occlusion_percent", 0, 100),
    )

    modality: Mapped[ImagingModality] = mapped_column(coded(ImagingModality, "imaging_modality"))
    performed_on: Mapped[date]
    # GLASS (core.glass): segment grades when the reader graded them, or the lesions.
    fp_grade: Mapped[int | None] = mapped_column(Integer)
    ip_grade: Mapped[int | None] = mapped_column(Integer)
    im_modifier: Mapped[ImModifier | None] = mapped_column(coded(ImModifier, "im_modifier"))
    sfa_disease_length_cm: Mapped[float | None] = mapped_column(Float)
    sfa_disease_percent: Mapped[float | None] = mapped_column(Float)
    sfa_occlusion_length_cm: Mapped[float | None] = mapped_column(Float)
    sfa_occlusion_flush: Mapped[bool | None] = mapped_column(Boolean)
    popliteal_stenosis_length_cm: Mapped[float | None] = mapped_column(Float)
    popliteal_occlusion: Mapped[bool | None] = mapped_column(Boolean)
    popliteal_trifurcation_involved: Mapped[bool | None] = mapped_column(Boolean)
    fp_severe_calcification: Mapped[bool | None] = mapped_column(Boolean)
    ip_target_artery: Mapped[TargetArtery | None] = mapped_column(
        coded(TargetArtery, "ip_target_artery")
    )
    ip_disease_length_cm: Mapped[float | None] = mapped_column(Float)
    ip_disease_percent: Mapped[float | None] = mapped_column(Float)
    ip_occlusion_length_cm: Mapped[float | None] = mapped_column(Float)
    ip_occlusion_percent: Mapped[float | None] = mapped_column(Float)
    target_artery_origin_involved: Mapped[bool | None] = mapped_column(Boolean)
    tp_trunk_disease: Mapped[TrunkDisease | None] = mapped_column(
        coded(TrunkDisease, "tp_trunk_disease")
    )
    ip_severe_calcification: Mapped[bool | None] = mapped_column(Boolean)
    # Inframalleolar status: GLASS derives P0–P2 from these two when im_modifier is not given.
    target_artery_crosses_ankle: Mapped[bool | None] = mapped_column(Boolean)
    pedal_arch_intact: Mapped[bool | None] = mapped_column(Boolean)
    report_summary: Mapped[str | None] = mapped_column(Text)


class VeinMapping(Finding, Base):
    """One vein mapped by duplex as a possible bypass conduit."""

    __tablename__ = "vein_mappings"
    __table_args__ = (
        *_not_negative("diameter_min_mm", "diameter_max_mm", "usable_length_cm"),
        CheckConstraint(
            "diameter_min_mm IS NULL OR diameter_max_mm IS NULL "
            "OR diameter_min_mm <= diameter_max_mm",
            name="diameters_in_order",
        ),
    )

    vein: Mapped[Vein] = mapped_column(coded(Vein, "vein"))
    # The vein's own side: the other leg's or an arm's vein is an alternative conduit.
    vein_side: Mapped[Side] = mapped_column(coded(Side, "side"))
    diameter_min_mm: Mapped[float | None] = mapped_column(Float)
    diameter_max_mm: Mapped[float | None] = mapped_column(Float)
    usable: Mapped[bool | None] = mapped_column(Boolean)
    usable_length_cm: Mapped[float | None] = mapped_column(Float)
    usable_segments: Mapped[str | None] = mapped_column(String(200))


class VenousStudy(Finding, Base):
    """Venous findings: the CEAP clinical signs and symptoms, reflux and obstruction."""

    __tablename__ = "venous_studies"

    # CEAP clinical signs (core.ceap SIGNS codes), ';'-separated as the engine reads them.
    clinical_signs: Mapped[str | None] = mapped_column(String(400))
    symptomatic: Mapped[bool | None] = mapped_column(Boolean)
    etiology: Mapped[CeapEtiology | None] = mapped_column(coded(CeapEtiology, "ceap_etiology"))
    superficial_reflux: Mapped[bool | None] = mapped_column(Boolean)
    perforator_reflux: Mapped[bool | None] = mapped_column(Boolean)
    deep_reflux: Mapped[bool | None] = mapped_column(Boolean)
    deep_obstruction: Mapped[bool | None] = mapped_column(Boolean)

    @property
    def clinical_sign_list(self) -> list[str]:
        """The clinical signs as a list of codes."""
        return [s for s in (self.clinical_signs or "").split(";") if s]


class TraumaAssessment(Finding, Base):
    """Mangled-extremity findings: the MESS components (age comes from the patient)."""

    __tablename__ = "trauma_assessments"
    __table_args__ = (
        _between("skeletal_soft_tissue_points", 1, 4),
        _between("limb_ischemia_points", 0, 3),
        _between("shock_points", 0, 2),
        *_not_negative("ischemia_hours"),
    )

    skeletal_soft_tissue_points: Mapped[int | None] = mapped_column(Integer)
    limb_ischemia_points: Mapped[int | None] = mapped_column(Integer)
    ischemia_hours: Mapped[float | None] = mapped_column(Float)
    shock_points: Mapped[int | None] = mapped_column(Integer)


_MSTS = (
    "pain_points",
    "function_points",
    "emotional_acceptance_points",
    "supports_points",
    "walking_points",
    "gait_points",
)


class TumourAssessment(Finding, Base):
    """Bone or soft-tissue sarcoma: Enneking inputs, and the MSTS score at follow-up."""

    __tablename__ = "tumour_assessments"
    __table_args__ = (
        *(_between(name, 0, 5) for name in _MSTS),
        CheckConstraint(
            "("
            + " AND ".join(f"{n} IS NULL" for n in _MSTS)
            + ") OR ("
            + " AND ".join(f"{n} IS NOT NULL" for n in _MSTS)
            + ")",
            name="msts_all_or_none",
        ),
    )

    histology: Mapped[str | None] = mapped_column(String(200))
    # Enneking's `grade` and `site` (renamed: `site` means the program everywhere else).
    tumour_grade: Mapped[SurgicalGrade | None] = mapped_column(
        coded(SurgicalGrade, "enneking_grade")
    )
    tumour_site: Mapped[EnnekingSite | None] = mapped_column(coded(EnnekingSite, "enneking_site"))
    metastasis: Mapped[bool | None] = mapped_column(Boolean)
    pain_points: Mapped[int | None] = mapped_column(Integer)
    function_points: Mapped[int | None] = mapped_column(Integer)
    emotional_acceptance_points: Mapped[int | None] = mapped_column(Integer)
    supports_points: Mapped[int | None] = mapped_column(Integer)
    walking_points: Mapped[int | None] = mapped_column(Integer)
    gait_points: Mapped[int | None] = mapped_column(Integer)


class AcuteIschemiaAssessment(Finding, Base):
    """Acute limb ischaemia findings (Rutherford acute categories, core.ali)."""

    __tablename__ = "acute_ischemia_assessments"

    sensory_loss: Mapped[SensoryLoss | None] = mapped_column(coded(SensoryLoss, "sensory_loss"))
    muscle_weakness: Mapped[MuscleWeakness | None] = mapped_column(
        coded(MuscleWeakness, "muscle_weakness")
    )
    arterial_doppler_audible: Mapped[bool | None] = mapped_column(Boolean)
    venous_doppler_audible: Mapped[bool | None] = mapped_column(Boolean)


class Offloading(Finding, Base):
    """Offloading prescribed at the assessment, for one wound or the foot."""

    __tablename__ = "offloadings"
    __table_args__ = (
        CheckConstraint(
            "stopped_on IS NULL OR stopped_on >= started_on", name="stopped_after_start"
        ),
    )

    wound_id: Mapped[int | None] = mapped_column(ForeignKey("wounds.id"), index=True)
    device: Mapped[OffloadingDevice] = mapped_column(coded(OffloadingDevice, "offloading_device"))
    started_on: Mapped[date]
    stopped_on: Mapped[date | None]


class Photo(Finding, Base):
    """A wound photograph: a stored file shown to clinicians, never analysed by the software."""

    __tablename__ = "photos"
    __table_args__ = (CheckConstraint("size_bytes > 0", name="size_positive"),)

    wound_id: Mapped[int | None] = mapped_column(ForeignKey("wounds.id"), index=True)
    taken_on: Mapped[date]
    # Relative to the settings' data_dir (photos/<patient id>/<sha256>.<ext>).
    file_path: Mapped[str] = mapped_column(String(500))
    content_type: Mapped[str] = mapped_column(String(50))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    caption: Mapped[str | None] = mapped_column(String(200))
