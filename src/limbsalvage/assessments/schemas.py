"""Validated input for assessments and their findings (API, forms, CSV import and services).

Ranges are the classification engine's own bounds where it reads the value (so a stored finding
is always one the engine accepts), otherwise physiological bounds. Cross-field rules name the
field first ("tbi: …").
"""

from datetime import date
from typing import Annotated, Self

from pydantic import Field, StringConstraints, field_validator, model_validator

from limbsalvage.core.ali import MuscleWeakness, SensoryLoss
from limbsalvage.core.enneking import Site as EnnekingSite
from limbsalvage.core.enneking import SurgicalGrade
from limbsalvage.core.glass import ImModifier, TargetArtery, TrunkDisease
from limbsalvage.core.rutherford import Presentation
from limbsalvage.core.tables.ceap import EXCLUSIVE, SIGNS
from limbsalvage.core.tables.perfusion import (
    ABI_AGREEMENT_TOLERANCE,
    ANKLE_PRESSURE_AGREEMENT_TOLERANCE_MMHG,
)
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
from limbsalvage.patients.schemas import Strict

Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Text100 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Text200 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Text500 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]

Brachial = Annotated[float, Field(ge=50, le=300)]
Ankle = Annotated[float, Field(ge=0, le=300)]
Index = Annotated[float, Field(ge=0, le=6)]
Points5 = Annotated[int, Field(ge=0, le=5)]


class AssessmentFields(Strict):
    """An encounter: date, who, and the limb's clinical picture."""

    assessed_on: date
    assessor_id: int | None = None
    discipline: Discipline | None = None
    presentation: Presentation | None = None
    unsalvageable: bool | None = None
    notes: Text | None = None


class FindingIn(Strict):
    """Base of every finding's input."""


def _disagree(
    index: float | None, pressure: float | None, brachial: float | None, tolerance: float
) -> bool:
    if index is None or pressure is None or brachial is None:
        return False
    return abs(index - pressure / brachial) > tolerance


class PerfusionStudyIn(FindingIn):
    """Pressures, indices, TcPO2 and waveforms of the limb."""

    brachial_right_mmhg: Brachial | None = None
    brachial_left_mmhg: Brachial | None = None
    dorsalis_pedis_mmhg: Ankle | None = None
    posterior_tibial_mmhg: Ankle | None = None
    ankle_pressure_mmhg: Ankle | None = None
    toe_pressure_mmhg: float | None = Field(default=None, ge=0, le=250)
    abi: Index | None = None
    tbi: Index | None = None
    tcpo2_mmhg: float | None = Field(default=None, ge=0, le=150)
    skin_perfusion_pressure_mmhg: float | None = Field(default=None, ge=0, le=200)
    non_compressible: bool | None = None
    dorsalis_pedis_waveform: DopplerWaveform | None = None
    posterior_tibial_waveform: DopplerWaveform | None = None
    pvr_ankle_waveform: PvrWaveform | None = None
    pvr_metatarsal_waveform: PvrWaveform | None = None
    treadmill_completed: bool | None = None
    post_exercise_ankle_pressure_mmhg: Ankle | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if all(value is None for value in self.model_dump().values()):
            raise ValueError("perfusion_study: give at least one pressure, index or waveform")
        brachials = [b for b in (self.brachial_right_mmhg, self.brachial_left_mmhg) if b]
        ankles = [
            a for a in (self.dorsalis_pedis_mmhg, self.posterior_tibial_mmhg) if a is not None
        ]
        ankle = max(ankles) if ankles else None
        given_ankle = self.ankle_pressure_mmhg
        limit = ANKLE_PRESSURE_AGREEMENT_TOLERANCE_MMHG
        if given_ankle is not None and ankle is not None and abs(given_ankle - ankle) > limit:
            raise ValueError(
                "ankle_pressure_mmhg: differs from the higher of dorsalis_pedis_mmhg and "
                f"posterior_tibial_mmhg by more than {limit:g} mmHg"
            )
        ankle = ankle if ankle is not None else given_ankle
        brachial = max(brachials) if brachials else None
        # 1e-9 absorbs binary float noise, as the engine does.
        tolerance = ABI_AGREEMENT_TOLERANCE + 1e-9
        if _disagree(self.abi, ankle, brachial, tolerance):
            raise ValueError(
                "abi: differs from the ankle pressure over the higher brachial pressure by "
                f"more than {ABI_AGREEMENT_TOLERANCE:g}"
            )
        if _disagree(self.tbi, self.toe_pressure_mmhg, brachial, tolerance):
            raise ValueError(
                "tbi: differs from toe_pressure_mmhg over the higher brachial pressure by "
                f"more than {ABI_AGREEMENT_TOLERANCE:g}"
            )
        if self.post_exercise_ankle_pressure_mmhg is not None and not self.treadmill_completed:
            raise ValueError(
                "post_exercise_ankle_pressure_mmhg: recorded after a treadmill test; set "
                "treadmill_completed to true"
            )
        return self


class InfectionAssessmentIn(FindingIn):
    """IWGDF/IDSA 2023 findings of foot infection."""

    erythema_extent_cm: float | None = Field(default=None, ge=0, le=50)
    swelling_or_induration: bool | None = None
    local_tenderness_or_pain: bool | None = None
    local_warmth: bool | None = None
    purulent_discharge: bool | None = None
    deep_tissue_involvement: bool | None = None
    temperature_c: float | None = Field(default=None, ge=25, le=45)
    heart_rate_bpm: float | None = Field(default=None, ge=0, le=300)
    respiratory_rate_per_min: float | None = Field(default=None, ge=0, le=80)
    paco2_mmhg: float | None = Field(default=None, ge=5, le=150)
    white_cell_count_per_mm3: float | None = Field(default=None, ge=0, le=500_000)
    band_forms_percent: float | None = Field(default=None, ge=0, le=100)
    sirs_criteria_count: int | None = Field(default=None, ge=0, le=4)
    osteomyelitis: bool | None = None
    osteomyelitis_basis: OsteomyelitisBasis | None = None
    suspected_active_charcot: bool | None = None
    infection_confirmed_despite_charcot: bool | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.osteomyelitis_basis is not None and self.osteomyelitis is not True:
            raise ValueError("osteomyelitis_basis: only with osteomyelitis true")
        if self.osteomyelitis and self.deep_tissue_involvement is False:
            raise ValueError(
                "deep_tissue_involvement: osteomyelitis is infection of bone, deeper than skin "
                "and subcutis; it cannot be false with osteomyelitis true"
            )
        if (
            self.infection_confirmed_despite_charcot is not None
            and self.suspected_active_charcot is not True
        ):
            raise ValueError(
                "infection_confirmed_despite_charcot: only with suspected_active_charcot true"
            )
        return self


class CultureIn(FindingIn):
    """A culture or bone biopsy and its result."""

    collected_on: date
    specimen: CultureSpecimen
    result: CultureResult
    organisms: Text500 | None = None
    resistant_organism: bool | None = None
    histology_osteomyelitis: bool | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.histology_osteomyelitis is not None and self.specimen is not CultureSpecimen.BONE:
            raise ValueError("histology_osteomyelitis: only for a bone specimen (bone biopsy)")
        grew = self.result is CultureResult.GROWTH
        if not grew and (self.organisms or self.resistant_organism):
            raise ValueError("organisms: only when the result is growth")
        return self


class AntibioticCourseIn(FindingIn):
    """An antibiotic course."""

    agent: Text100
    route: AntibioticRoute
    indication: AntibioticIndication
    started_on: date
    stopped_on: date | None = None

    @model_validator(mode="after")
    def _in_order(self) -> Self:
        if self.stopped_on is not None and self.stopped_on < self.started_on:
            raise ValueError("stopped_on: must not be before started_on")
        return self


class ImagingIn(FindingIn):
    """An imaging study; arterial lesions by the GLASS inputs (core.glass bounds)."""

    modality: ImagingModality
    performed_on: date
    fp_grade: int | None = Field(default=None, ge=0, le=4)
    ip_grade: int | None = Field(default=None, ge=0, le=4)
    im_modifier: ImModifier | None = None
    sfa_disease_length_cm: float | None = Field(default=None, ge=0, le=50)
    sfa_disease_percent: float | None = Field(default=None, ge=0, le=100)
    sfa_occlusion_length_cm: float | None = Field(default=None, ge=0, le=50)
    sfa_occlusion_flush: bool | None = None
    popliteal_stenosis_length_cm: float | None = Field(default=None, ge=0, le=30)
    popliteal_occlusion: bool | None = None
    popliteal_trifurcation_involved: bool | None = None
    fp_severe_calcification: bool | None = None
    ip_target_artery: TargetArtery | None = None
    ip_disease_length_cm: float | None = Field(default=None, ge=0, le=50)
    ip_disease_percent: float | None = Field(default=None, ge=0, le=100)
    ip_occlusion_length_cm: float | None = Field(default=None, ge=0, le=50)
    ip_occlusion_percent: float | None = Field(default=None, ge=0, le=100)
    target_artery_origin_involved: bool | None = None
    tp_trunk_disease: TrunkDisease | None = None
    ip_severe_calcification: bool | None = None
    target_artery_crosses_ankle: bool | None = None
    pedal_arch_intact: bool | None = None
    report_summary: Text | None = None


class VeinMappingIn(FindingIn):
    """One vein mapped as a possible conduit."""

    vein: Vein
    vein_side: Side
    diameter_min_mm: float | None = Field(default=None, ge=0, le=20)
    diameter_max_mm: float | None = Field(default=None, ge=0, le=20)
    usable: bool | None = None
    usable_length_cm: float | None = Field(default=None, ge=0, le=150)
    usable_segments: Text200 | None = None

    @model_validator(mode="after")
    def _in_order(self) -> Self:
        low, high = self.diameter_min_mm, self.diameter_max_mm
        if low is not None and high is not None and low > high:
            raise ValueError("diameter_min_mm: must not exceed diameter_max_mm")
        return self


class VenousStudyIn(FindingIn):
    """CEAP clinical signs and symptoms, etiology, reflux and obstruction."""

    clinical_signs: list[str] | None = None
    symptomatic: bool | None = None
    etiology: CeapEtiology | None = None
    superficial_reflux: bool | None = None
    perforator_reflux: bool | None = None
    deep_reflux: bool | None = None
    deep_obstruction: bool | None = None

    @field_validator("clinical_signs", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        # CSV cells and the engine carry several signs as one ';'-separated text.
        if isinstance(value, str):
            return [part.strip() for part in value.split(";") if part.strip()]
        return value

    @field_validator("clinical_signs")
    @classmethod
    def _known_signs(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        unknown = [sign for sign in value if sign not in SIGNS]
        if unknown:
            raise ValueError(f"{unknown[0]!r} is not a CEAP sign; allowed: {', '.join(SIGNS)}")
        if not value:
            raise ValueError("give at least one sign ('none' for C0)")
        if "none" in value and len(value) > 1:
            raise ValueError("'none' (C0) cannot be combined with other signs")
        for first, second in EXCLUSIVE:
            if first in value and second in value:
                raise ValueError(f"{first} and {second} describe the same class two ways")
        return [sign for sign in SIGNS if sign in value]


class TraumaAssessmentIn(FindingIn):
    """MESS components (the age comes from the patient's birth date)."""

    skeletal_soft_tissue_points: int | None = Field(default=None, ge=1, le=4)
    limb_ischemia_points: int | None = Field(default=None, ge=0, le=3)
    ischemia_hours: float | None = Field(default=None, ge=0, le=720)
    shock_points: int | None = Field(default=None, ge=0, le=2)


MSTS_ITEMS = (
    "pain_points",
    "function_points",
    "emotional_acceptance_points",
    "supports_points",
    "walking_points",
    "gait_points",
)


class TumourAssessmentIn(FindingIn):
    """Enneking inputs and, at follow-up, the six MSTS items."""

    histology: Text200 | None = None
    tumour_grade: SurgicalGrade | None = None
    tumour_site: EnnekingSite | None = None
    metastasis: bool | None = None
    pain_points: Points5 | None = None
    function_points: Points5 | None = None
    emotional_acceptance_points: Points5 | None = None
    supports_points: Points5 | None = None
    walking_points: Points5 | None = None
    gait_points: Points5 | None = None

    @model_validator(mode="after")
    def _msts_complete(self) -> Self:
        given = [name for name in MSTS_ITEMS if getattr(self, name) is not None]
        if given and len(given) < len(MSTS_ITEMS):
            missing = [name for name in MSTS_ITEMS if name not in given]
            raise ValueError(f"{missing[0]}: the MSTS score needs all six items or none")
        return self


class AcuteIschemiaAssessmentIn(FindingIn):
    """Acute limb ischaemia findings (core.ali)."""

    sensory_loss: SensoryLoss | None = None
    muscle_weakness: MuscleWeakness | None = None
    arterial_doppler_audible: bool | None = None
    venous_doppler_audible: bool | None = None


class OffloadingIn(FindingIn):
    """Offloading prescribed, for a wound or the foot."""

    wound_id: int | None = None
    device: OffloadingDevice
    started_on: date
    stopped_on: date | None = None

    @model_validator(mode="after")
    def _in_order(self) -> Self:
        if self.stopped_on is not None and self.stopped_on < self.started_on:
            raise ValueError("stopped_on: must not be before started_on")
        return self


class PhotoIn(FindingIn):
    """A wound photograph's description (the file is passed separately)."""

    wound_id: int | None = None
    taken_on: date
    caption: Text200 | None = None
