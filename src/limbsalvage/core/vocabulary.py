"""Coded vocabularies shared by the registry, decision support and outcomes.

The values are the stable codes stored in the database, CSV exchange and the JSON API; the
clinical meaning of each (which amputation levels are *major*, which procedures are a *major
reintervention*) is derived from these codes by cited tables in `core.outcomes`, never typed.
"""

from enum import StrEnum


class Side(StrEnum):
    """The limb: a patient and a side."""

    LEFT = "left"
    RIGHT = "right"


class EpisodeCause(StrEnum):
    """Why the limb is threatened (DESIGN.md, 'What it is')."""

    CLTI = "clti"
    DIABETIC_FOOT = "diabetic_foot"
    VENOUS = "venous"
    ACUTE_LIMB_ISCHEMIA = "acute_limb_ischemia"
    TRAUMA = "trauma"
    TUMOUR = "tumour"


class CareSetting(StrEnum):
    """Where the episode presented."""

    INPATIENT = "inpatient"
    OUTPATIENT = "outpatient"


class EpisodeStatus(StrEnum):
    """Whether the episode is still being worked on."""

    OPEN = "open"
    CLOSED = "closed"


class ProcedureKind(StrEnum):
    """What was done; amputations carry an `AmputationLevel`, bypasses a `Conduit`."""

    ANGIOPLASTY = "angioplasty"
    STENT = "stent"
    ATHERECTOMY = "atherectomy"
    ENDARTERECTOMY = "endarterectomy"
    BYPASS = "bypass"
    THROMBOLYSIS = "thrombolysis"
    THROMBECTOMY = "thrombectomy"
    GRAFT_REVISION = "graft_revision"
    PATCH_ANGIOPLASTY = "patch_angioplasty"
    FASCIOTOMY = "fasciotomy"
    VENOUS_STENTING = "venous_stenting"
    VENOUS_ABLATION = "venous_ablation"
    DEBRIDEMENT = "debridement"
    INCISION_DRAINAGE = "incision_drainage"
    AMPUTATION = "amputation"
    FLAP = "flap"
    SKIN_GRAFT = "skin_graft"
    NEGATIVE_PRESSURE_THERAPY = "negative_pressure_therapy"
    TUMOUR_RESECTION = "tumour_resection"
    ENDOPROSTHESIS = "endoprosthesis"
    ALLOGRAFT = "allograft"


class AmputationLevel(StrEnum):
    """Amputation levels, distal to proximal."""

    TOE = "toe"
    RAY = "ray"
    TRANSMETATARSAL = "transmetatarsal"
    LISFRANC = "lisfranc"
    CHOPART = "chopart"
    SYME = "syme"
    BELOW_KNEE = "below_knee"
    KNEE_DISARTICULATION = "knee_disarticulation"
    ABOVE_KNEE = "above_knee"
    HIP_DISARTICULATION = "hip_disarticulation"
    HEMIPELVECTOMY = "hemipelvectomy"


AMPUTATION_LEVELS_DISTAL_TO_PROXIMAL: tuple[AmputationLevel, ...] = tuple(AmputationLevel)


class VesselSegment(StrEnum):
    """An arterial or venous segment of the leg, proximal to distal (treated, grafted, studied)."""

    INFRARENAL_AORTA = "infrarenal_aorta"
    COMMON_ILIAC = "common_iliac"
    EXTERNAL_ILIAC = "external_iliac"
    COMMON_FEMORAL = "common_femoral"
    PROFUNDA_FEMORIS = "profunda_femoris"
    SUPERFICIAL_FEMORAL = "superficial_femoral"
    POPLITEAL = "popliteal"
    TIBIOPERONEAL_TRUNK = "tibioperoneal_trunk"
    ANTERIOR_TIBIAL = "anterior_tibial"
    POSTERIOR_TIBIAL = "posterior_tibial"
    PERONEAL = "peroneal"
    DORSALIS_PEDIS = "dorsalis_pedis"
    PLANTAR = "plantar"
    INFERIOR_VENA_CAVA = "inferior_vena_cava"
    COMMON_ILIAC_VEIN = "common_iliac_vein"
    EXTERNAL_ILIAC_VEIN = "external_iliac_vein"
    COMMON_FEMORAL_VEIN = "common_femoral_vein"
    FEMORAL_VEIN = "femoral_vein"
    POPLITEAL_VEIN = "popliteal_vein"
    GREAT_SAPHENOUS_VEIN = "great_saphenous_vein"
    SMALL_SAPHENOUS_VEIN = "small_saphenous_vein"
    PERFORATOR_VEIN = "perforator_vein"


class LesionType(StrEnum):
    """The lesion treated in a segment."""

    STENOSIS = "stenosis"
    OCCLUSION = "occlusion"


class DuplexPatency(StrEnum):
    """Duplex finding of a graft or treated segment: flow present or not."""

    PATENT = "patent"
    OCCLUDED = "occluded"


class Conduit(StrEnum):
    """Bypass conduit."""

    GREAT_SAPHENOUS_VEIN = "great_saphenous_vein"
    SMALL_SAPHENOUS_VEIN = "small_saphenous_vein"
    ARM_VEIN = "arm_vein"
    SPLICED_VEIN = "spliced_vein"
    PROSTHETIC = "prosthetic"
    CRYOPRESERVED = "cryopreserved"


class OutcomeEventKind(StrEnum):
    """Events on the timeline from which every endpoint is derived."""

    DEATH = "death"
    MYOCARDIAL_INFARCTION = "myocardial_infarction"
    STROKE = "stroke"
    MAJOR_AMPUTATION = "major_amputation"
    MINOR_AMPUTATION = "minor_amputation"
    REINTERVENTION = "reintervention"
    WOUND_HEALED = "wound_healed"
    LOSS_OF_PATENCY = "loss_of_patency"
    READMISSION = "readmission"


class DeathCause(StrEnum):
    """Cause of death in the PARC categories (Patel 2015): cardiovascular, other, undetermined."""

    CARDIOVASCULAR = "cardiovascular"
    NON_CARDIOVASCULAR = "non_cardiovascular"
    UNDETERMINED = "undetermined"


class FollowUpContact(StrEnum):
    """How follow-up information was obtained."""

    CLINIC_VISIT = "clinic_visit"
    TELEPHONE = "telephone"
    HOME_VISIT = "home_visit"
    RECORDS_REVIEW = "records_review"


class Drug(StrEnum):
    """Drugs of best medical therapy; the class (and statin intensity) is derived by table."""

    ASPIRIN = "aspirin"
    CLOPIDOGREL = "clopidogrel"
    PRASUGREL = "prasugrel"
    TICAGRELOR = "ticagrelor"
    CILOSTAZOL = "cilostazol"
    ATORVASTATIN = "atorvastatin"
    ROSUVASTATIN = "rosuvastatin"
    SIMVASTATIN = "simvastatin"
    PRAVASTATIN = "pravastatin"
    LOVASTATIN = "lovastatin"
    FLUVASTATIN = "fluvastatin"
    PITAVASTATIN = "pitavastatin"
    EZETIMIBE = "ezetimibe"
    EVOLOCUMAB = "evolocumab"
    ALIROCUMAB = "alirocumab"
    WARFARIN = "warfarin"
    APIXABAN = "apixaban"
    RIVAROXABAN = "rivaroxaban"
    DABIGATRAN = "dabigatran"
    EDOXABAN = "edoxaban"
    ENOXAPARIN = "enoxaparin"
    HEPARIN = "heparin"


class AmbulatoryStatus(StrEnum):
    """Function before presentation and at follow-up."""

    INDEPENDENT = "independent"
    WITH_ASSISTANCE = "with_assistance"
    WHEELCHAIR = "wheelchair"
    BEDRIDDEN = "bedridden"


class Role(StrEnum):
    """Account roles, per site (issue 6: least privilege)."""

    CLINICIAN = "clinician"
    COORDINATOR = "coordinator"
    ANALYST = "analyst"
    ADMIN = "admin"


class Sex(StrEnum):
    """Sex recorded for the patient."""

    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class Race(StrEnum):
    """US OMB minimum race categories (1997 standard), plus not reported."""

    AMERICAN_INDIAN_ALASKA_NATIVE = "american_indian_alaska_native"
    ASIAN = "asian"
    BLACK = "black"
    NATIVE_HAWAIIAN_PACIFIC_ISLANDER = "native_hawaiian_pacific_islander"
    WHITE = "white"
    MULTIPLE = "multiple"
    NOT_REPORTED = "not_reported"


class Ethnicity(StrEnum):
    """US OMB ethnicity (1997 standard), plus not reported."""

    HISPANIC_LATINO = "hispanic_latino"
    NOT_HISPANIC_LATINO = "not_hispanic_latino"
    NOT_REPORTED = "not_reported"


class Payer(StrEnum):
    """Primary payer, for equity and cost reporting."""

    MEDICARE = "medicare"
    MEDICAID = "medicaid"
    PRIVATE = "private"
    MILITARY = "military"
    UNINSURED = "uninsured"
    OTHER = "other"
    UNKNOWN = "unknown"


class DiabetesType(StrEnum):
    """Type of diabetes when present."""

    TYPE_1 = "type_1"
    TYPE_2 = "type_2"
    OTHER = "other"


class SmokingStatus(StrEnum):
    """Tobacco smoking."""

    NEVER = "never"
    FORMER = "former"
    CURRENT = "current"


class LivingSituation(StrEnum):
    """Where the patient lived before presentation."""

    HOME_INDEPENDENT = "home_independent"
    HOME_WITH_SUPPORT = "home_with_support"
    ASSISTED_LIVING = "assisted_living"
    NURSING_HOME = "nursing_home"
    HOMELESS = "homeless"


# Care coordination (issue 4): referrals, care team, tasks, recommendations, conference.


class Urgency(StrEnum):
    """How soon, most urgent first: the pathway's scale, also used for triage and tasks."""

    EMERGENT = "emergent"  # hours
    URGENT = "urgent"  # within 24–48 h
    SOON = "soon"  # within 14 days
    ROUTINE = "routine"


class ReferralSource(StrEnum):
    """Who sent the referral."""

    REFERRING_CLINICIAN = "referring_clinician"
    SELF_REFERRAL = "self_referral"
    EMERGENCY_DEPARTMENT = "emergency_department"
    OTHER = "other"


class ReferralStatus(StrEnum):
    """Where a referral is in intake."""

    NEW = "new"
    TRIAGED = "triaged"
    DECLINED = "declined"
    CONVERTED = "converted"


class CareRole(StrEnum):
    """A role in an episode's multidisciplinary care team (and a task's owner)."""

    VASCULAR_SURGEON = "vascular_surgeon"
    INTERVENTIONALIST = "interventionalist"
    PODIATRIST_FOOT_SURGEON = "podiatrist_foot_surgeon"
    WOUND_NURSE = "wound_nurse"
    INFECTIOUS_DISEASE = "infectious_disease"
    ENDOCRINOLOGY = "endocrinology"
    INTERNAL_MEDICINE = "internal_medicine"
    PLASTIC_SURGERY = "plastic_surgery"
    ORTHOPAEDIC_ONCOLOGY = "orthopaedic_oncology"
    PHYSICAL_OCCUPATIONAL_THERAPY = "physical_occupational_therapy"
    COORDINATOR = "coordinator"


class TaskStatus(StrEnum):
    """A care task's state."""

    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class AppointmentStatus(StrEnum):
    """Whether a tracked appointment took place."""

    SCHEDULED = "scheduled"
    ATTENDED = "attended"
    DID_NOT_ATTEND = "did_not_attend"
    CANCELLED = "cancelled"


class RecommendationState(StrEnum):
    """A clinician's answer to a stored recommendation."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    OVERRIDDEN = "overridden"


class SupersededReason(StrEnum):
    """Why a stored recommendation is no longer current."""

    CHANGED = "changed"  # the engine now gives a different recommendation for the rule
    WITHDRAWN = "withdrawn"  # the rule no longer fires


class RevascularizationStrategy(StrEnum):
    """The GVG revascularization strategy a recommendation points to."""

    ENDOVASCULAR = "endovascular"
    OPEN_BYPASS = "open_bypass"
    INDETERMINATE = "indeterminate"


class ConferenceDecision(StrEnum):
    """The outcome chosen for a case at the multidisciplinary conference."""

    ENDOVASCULAR = "endovascular"
    OPEN_BYPASS = "open_bypass"
    HYBRID_REVASCULARIZATION = "hybrid_revascularization"
    AMPUTATION = "amputation"  # with its level
    PALLIATION = "palliation"
    CONTINUE_WOUND_CARE = "continue_wound_care"
    REIMAGE = "reimage"
    OTHER = "other"  # with a detail


# Clinical findings (limbsalvage.wounds, limbsalvage.assessments, limbsalvage.staging). Codes
# the classification engine reads (WIfI ulcer/gangrene, GLASS arteries, Rutherford presentation,
# ALI findings, Enneking grade/site) are the engine's own enums, not repeated here.


class FootLocation(StrEnum):
    """Where a wound is; SINBAD's forefoot/midfoot/hindfoot is derived from it."""

    HALLUX = "hallux"
    LESSER_TOES = "lesser_toes"
    FOREFOOT_PLANTAR = "forefoot_plantar"
    FOREFOOT_DORSAL = "forefoot_dorsal"
    MIDFOOT_PLANTAR = "midfoot_plantar"
    MIDFOOT_DORSAL = "midfoot_dorsal"
    MIDFOOT_MEDIAL = "midfoot_medial"
    MIDFOOT_LATERAL = "midfoot_lateral"
    HEEL = "heel"
    ANKLE = "ankle"
    LOWER_LEG = "lower_leg"


class WoundAetiology(StrEnum):
    """The clinician's view of why the wound exists."""

    NEUROPATHIC = "neuropathic"
    ISCHEMIC = "ischemic"
    NEUROISCHEMIC = "neuroischemic"
    VENOUS = "venous"
    PRESSURE = "pressure"
    TRAUMATIC = "traumatic"
    SURGICAL = "surgical"
    OTHER = "other"


class AreaMethod(StrEnum):
    """How a wound area was obtained: given (traced, planimetry, digital) or the ellipse formula."""

    MEASURED = "measured"
    ELLIPSE = "ellipse"


class DopplerWaveform(StrEnum):
    """Continuous-wave Doppler waveform of a pedal artery."""

    TRIPHASIC = "triphasic"
    BIPHASIC = "biphasic"
    MONOPHASIC = "monophasic"
    ABSENT = "absent"


class PvrWaveform(StrEnum):
    """Pulse-volume recording; `barely_pulsatile` and `flat` are Rutherford's objective sign."""

    NORMAL = "normal"
    ABNORMAL_PULSATILE = "abnormal_pulsatile"
    BARELY_PULSATILE = "barely_pulsatile"
    FLAT = "flat"


class OsteomyelitisBasis(StrEnum):
    """What the diagnosis of osteomyelitis rests on (IWGDF/IDSA 2023)."""

    CLINICAL = "clinical"
    PROBE_TO_BONE = "probe_to_bone"
    PLAIN_RADIOGRAPH = "plain_radiograph"
    MRI = "mri"
    NUCLEAR_IMAGING = "nuclear_imaging"
    BONE_BIOPSY = "bone_biopsy"


class CultureSpecimen(StrEnum):
    """The specimen a culture was grown from."""

    SUPERFICIAL_SWAB = "superficial_swab"
    DEEP_TISSUE = "deep_tissue"
    BONE = "bone"
    PUS_ASPIRATE = "pus_aspirate"
    BLOOD = "blood"


class CultureResult(StrEnum):
    """The state of a culture."""

    PENDING = "pending"
    NO_GROWTH = "no_growth"
    GROWTH = "growth"
    CONTAMINATED = "contaminated"


class AntibioticRoute(StrEnum):
    """Route of an antibiotic course."""

    ORAL = "oral"
    INTRAVENOUS = "intravenous"
    INTRAMUSCULAR = "intramuscular"
    TOPICAL = "topical"


class AntibioticIndication(StrEnum):
    """What an antibiotic course treats."""

    SOFT_TISSUE_INFECTION = "soft_tissue_infection"
    OSTEOMYELITIS = "osteomyelitis"
    PROPHYLAXIS = "prophylaxis"
    OTHER = "other"


class ImagingModality(StrEnum):
    """Imaging study."""

    DUPLEX_ULTRASOUND = "duplex_ultrasound"
    CT_ANGIOGRAPHY = "ct_angiography"
    MR_ANGIOGRAPHY = "mr_angiography"
    DIGITAL_SUBTRACTION_ANGIOGRAPHY = "digital_subtraction_angiography"
    PLAIN_RADIOGRAPH = "plain_radiograph"
    CT = "ct"
    MRI = "mri"
    NUCLEAR = "nuclear"


class Vein(StrEnum):
    """A vein mapped as a possible bypass conduit."""

    GREAT_SAPHENOUS = "great_saphenous"
    SMALL_SAPHENOUS = "small_saphenous"
    CEPHALIC = "cephalic"
    BASILIC = "basilic"
    OTHER = "other"


class CeapEtiology(StrEnum):
    """CEAP 2020 E: congenital, primary, secondary intra-/extravenous, no cause identified."""

    CONGENITAL = "congenital"
    PRIMARY = "primary"
    SECONDARY_INTRAVENOUS = "secondary_intravenous"
    SECONDARY_EXTRAVENOUS = "secondary_extravenous"
    NOT_IDENTIFIED = "not_identified"


class OffloadingDevice(StrEnum):
    """Offloading prescribed for a plantar or foot ulcer (IWGDF 2023 offloading guideline)."""

    TOTAL_CONTACT_CAST = "total_contact_cast"
    NON_REMOVABLE_KNEE_HIGH_WALKER = "non_removable_knee_high_walker"
    REMOVABLE_KNEE_HIGH_WALKER = "removable_knee_high_walker"
    REMOVABLE_ANKLE_HIGH_DEVICE = "removable_ankle_high_device"
    FOREFOOT_OFFLOADING_SHOE = "forefoot_offloading_shoe"
    CAST_SHOE = "cast_shoe"
    THERAPEUTIC_FOOTWEAR = "therapeutic_footwear"
    FELTED_FOAM = "felted_foam"
    NON_WEIGHT_BEARING = "non_weight_bearing"
    OTHER = "other"


class Discipline(StrEnum):
    """The clinical discipline of an assessment."""

    VASCULAR_SURGERY = "vascular_surgery"
    INTERVENTIONAL_RADIOLOGY = "interventional_radiology"
    PODIATRY = "podiatry"
    WOUND_CARE = "wound_care"
    INFECTIOUS_DISEASE = "infectious_disease"
    ENDOCRINOLOGY = "endocrinology"
    INTERNAL_MEDICINE = "internal_medicine"
    PLASTIC_SURGERY = "plastic_surgery"
    ORTHOPAEDIC_SURGERY = "orthopaedic_surgery"
    ONCOLOGY = "oncology"
    PHYSICAL_THERAPY = "physical_therapy"
    OCCUPATIONAL_THERAPY = "occupational_therapy"
    OTHER = "other"


class StagingStatus(StrEnum):
    """Review state of a staging snapshot: proposed by the engine, then confirmed or overridden."""

    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    OVERRIDDEN = "overridden"


class FindingKind(StrEnum):
    """The kinds of finding an assessment groups (their tables are the plural)."""

    PERFUSION_STUDY = "perfusion_study"
    INFECTION_ASSESSMENT = "infection_assessment"
    CULTURE = "culture"
    ANTIBIOTIC_COURSE = "antibiotic_course"
    IMAGING = "imaging"
    VEIN_MAPPING = "vein_mapping"
    VENOUS_STUDY = "venous_study"
    TRAUMA_ASSESSMENT = "trauma_assessment"
    TUMOUR_ASSESSMENT = "tumour_assessment"
    ACUTE_ISCHEMIA_ASSESSMENT = "acute_ischemia_assessment"
    OFFLOADING = "offloading"
    PHOTO = "photo"
