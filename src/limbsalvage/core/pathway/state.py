"""The limb's current state as the pathway reads it, built from given or derived findings.

Grades and stages may be given directly or derived from raw findings by the classification
engine (perfusion → WIfI ischaemia grade, IWGDF/IDSA signs → infection grade, lesion
descriptions → GLASS, sensory/motor/Doppler → ALI category, CEAP signs, MESS components); a given
value that disagrees with the derived one is refused naming both. Facts that cannot be derived
yet stay unknown, with the inputs that would supply them.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any

from limbsalvage.core.errors import CannotClassify, ClassificationError, InvalidInput
from limbsalvage.core.fields import InputField, Kind
from limbsalvage.core.perfusion import wifi_ischemia_grade
from limbsalvage.core.registry import SYSTEMS
from limbsalvage.core.risk.gvg import gvg_patient_risk
from limbsalvage.core.risk.model import RiskAssessment
from limbsalvage.core.risk.prevent3 import PREVENT3
from limbsalvage.core.tables.infection import WIFI_INFECTION_GRADE
from limbsalvage.core.validate import integer_in, number_in
from limbsalvage.core.vocabulary import EpisodeCause
from limbsalvage.core.wifi import classify_wifi, described_wounds

_PERFUSION = ("abi", "ankle_pressure_mmhg", "toe_pressure_mmhg", "tcpo2_mmhg")
_WIFI_REUSED = (
    "wound_grade",
    "ulcer",
    "gangrene",
    "wound_label",
    "ischemia_grade",
    "infection_grade",
    *_PERFUSION,
    "diabetes",
    "non_compressible",
    "unsalvageable",
)
# IWGDF/IDSA signs that call for grading infection (Charcot and osteomyelitis are also facts
# of their own and do not by themselves start the infection classifier).
_SIGNS_ONLY = tuple(
    f.name
    for f in SYSTEMS["iwgdf"].fields
    if f.name not in ("osteomyelitis", "suspected_active_charcot")
)


def _flag(name: str, help_text: str) -> InputField:
    return InputField(name, Kind.FLAG, help_text)


_OWN: tuple[InputField, ...] = (
    InputField(
        "cause",
        Kind.CHOICE,
        "why the limb is threatened",
        choices=tuple(c.value for c in EpisodeCause),
    ),
    InputField("wifi_stage", Kind.INTEGER, "WIfI clinical stage 1–5 (or give the three grades)"),
    InputField("infection_iwgdf", Kind.INTEGER, "IWGDF/IDSA infection grade 1–4 (fI = grade − 1)"),
    _flag("deep_space_infection", "deep-space foot infection (abscess, fasciitis)"),
    _flag("wet_gangrene", "wet (infected) gangrene"),
    InputField(
        "glass_stage", Kind.CHOICE, "GLASS stage (or give the grades)", choices=("I", "II", "III")
    ),
    _flag("inflow_disease", "haemodynamically significant inflow (aorto-iliac / CFA) disease"),
    _flag("usable_gsv", "a usable great saphenous vein for bypass"),
    _flag("failed_endovascular", "prior failed endovascular attempt, CLTI symptoms unresolved"),
    _flag(
        "isolated_perfusion_deficit", "an isolated region of poor perfusion that can be targeted"
    ),
    InputField(
        "wound_area_reduction_4wk_pct",
        Kind.NUMBER,
        "wound area reduction over the last 4 weeks in % (negative when it grew)",
    ),
    _flag(
        "appropriate_care_4wk",
        "those 4 weeks had appropriate infection control, wound care and offloading",
    ),
    _flag(
        "ulcer_not_healed_4_6_weeks", "diabetic foot ulcer not healing after 4–6 weeks of good care"
    ),
    InputField(
        "perioperative_mortality_pct",
        Kind.NUMBER,
        "anticipated peri-procedural mortality in % (clinician's estimate)",
    ),
    InputField(
        "two_year_survival_pct",
        Kind.NUMBER,
        "estimated 2-year survival in % (clinician's estimate)",
    ),
    InputField(
        "patient_risk",
        Kind.CHOICE,
        "GVG patient risk set by the clinician",
        choices=("average", "high"),
    ),
    InputField(
        "patient_risk_override_reason",
        Kind.TEXT,
        "why patient_risk differs from the two estimates",
    ),
    _flag("ambulatory", "the patient walks (with or without aids)"),
    _flag("limited_life_expectancy", "very limited life expectancy (clinician's judgement)"),
    _flag("proposed_major_amputation", "a major amputation has been proposed"),
    _flag("on_antiplatelet", "takes an antiplatelet agent"),
    _flag("on_statin", "takes a statin"),
    _flag("current_smoker", "smokes"),
    InputField(
        "ali_category",
        Kind.CHOICE,
        "Rutherford acute limb ischaemia category (or give the findings)",
        choices=("I", "IIa", "IIb", "III"),
    ),
    _flag("anticoagulation_contraindicated", "systemic anticoagulation is contraindicated"),
    InputField(
        "ceap_class",
        Kind.CHOICE,
        "CEAP clinical class (or give the clinical signs)",
        choices=("C0", "C1", "C2", "C2r", "C3", "C4a", "C4b", "C4c", "C5", "C6", "C6r"),
    ),
    _flag("superficial_reflux", "superficial venous reflux on duplex"),
    _flag("suspected_iliofemoral_obstruction", "suspected iliofemoral venous obstruction"),
    _flag("mixed_arterial_venous", "mixed arterial and venous ulcer"),
    InputField("mess_score", Kind.INTEGER, "MESS total (or give its components)"),
    InputField(
        "enneking_stage",
        Kind.CHOICE,
        "Enneking surgical stage of the sarcoma",
        choices=("IA", "IB", "IIA", "IIB", "IIIA", "IIIB"),
    ),
)


def _reused() -> tuple[InputField, ...]:
    wifi = {f.name: f for f in SYSTEMS["wifi"].fields}
    specs = [wifi[name] for name in _WIFI_REUSED]
    for system in ("iwgdf", "glass", "ali", "ceap", "mess"):
        specs.extend(SYSTEMS[system].fields)
    specs.extend(PREVENT3.inputs)
    unique: dict[str, InputField] = {}
    for spec in specs:
        unique.setdefault(spec.name, spec)
    return tuple(unique.values())


INPUT_FIELDS: tuple[InputField, ...] = (*_OWN, *_reused())
FIELDS_BY_NAME: Mapping[str, InputField] = MappingProxyType({f.name: f for f in INPUT_FIELDS})


class ContradictoryInput(ClassificationError):
    """Given findings that disagree; names the fields, the values and what would be allowed."""

    def __init__(self, field_name: str, value: object, detail: str, allowed: str) -> None:
        self.field = field_name
        self.value = value
        super().__init__(f"{field_name}: {value!r} contradicts {detail}; expected {allowed}")


@dataclass(frozen=True, kw_only=True)
class LimbState:
    """Every fact the rules read; None means not known (never a default)."""

    cause: EpisodeCause
    diabetes: bool | None = None
    wound_grade: int | None = None
    ischemia_grade: int | None = None
    infection_grade: int | None = None
    wifi_stage: int | None = None
    unsalvageable: bool | None = None
    abi: float | None = None
    ankle_pressure_mmhg: float | None = None
    toe_pressure_mmhg: float | None = None
    tcpo2_mmhg: float | None = None
    non_compressible: bool | None = None
    infection_iwgdf: int | None = None
    osteomyelitis: bool | None = None
    suspected_active_charcot: bool | None = None
    deep_space_infection: bool | None = None
    wet_gangrene: bool | None = None
    fp_grade: int | None = None
    ip_grade: int | None = None
    glass_stage: str | None = None
    im_modifier: str | None = None
    inflow_disease: bool | None = None
    usable_gsv: bool | None = None
    failed_endovascular: bool | None = None
    isolated_perfusion_deficit: bool | None = None
    wound_area_reduction_4wk_pct: float | None = None
    appropriate_care_4wk: bool | None = None
    ulcer_not_healed_4_6_weeks: bool | None = None
    perioperative_mortality_pct: float | None = None
    two_year_survival_pct: float | None = None
    patient_risk: str | None = None
    dialysis: bool | None = None
    tissue_loss: bool | None = None
    age_years: int | None = None
    hematocrit_pct: float | None = None
    coronary_artery_disease: bool | None = None
    prevent3_points: int | None = None
    ambulatory: bool | None = None
    limited_life_expectancy: bool | None = None
    proposed_major_amputation: bool | None = None
    on_antiplatelet: bool | None = None
    on_statin: bool | None = None
    current_smoker: bool | None = None
    ali_category: str | None = None
    anticoagulation_contraindicated: bool | None = None
    ceap_class: str | None = None
    superficial_reflux: bool | None = None
    suspected_iliofemoral_obstruction: bool | None = None
    mixed_arterial_venous: bool | None = None
    mess_score: int | None = None
    enneking_stage: str | None = None
    prevent3: RiskAssessment | None = None
    notes: Mapping[str, str] = field(default_factory=dict)
    supplied_by: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def fact(self, name: str) -> object:
        """The value of a fact by name (None when unknown)."""
        value: object = getattr(self, name)
        return value

    def inputs_for(self, name: str) -> tuple[str, ...]:
        """The inputs that would make an unknown fact known (the fact itself when given)."""
        return self.supplied_by.get(name, (name,))


# Ranges of the given values the classifiers would not check when the rest is unknown.
_INTEGER_RANGES: Mapping[str, tuple[int, int]] = MappingProxyType(
    {
        "wound_grade": (0, 3),
        "ischemia_grade": (0, 3),
        "infection_grade": (0, 3),
        "wifi_stage": (1, 5),
        "infection_iwgdf": (1, 4),
        "fp_grade": (0, 4),
        "ip_grade": (0, 4),
        "mess_score": (1, 14),
    }
)
_NUMBER_RANGES: Mapping[str, tuple[float, float, str]] = MappingProxyType(
    {
        "wound_area_reduction_4wk_pct": (-1000.0, 100.0, "%"),
        "perioperative_mortality_pct": (0.0, 100.0, "%"),
        "two_year_survival_pct": (0.0, 100.0, "%"),
    }
)

FACTS: tuple[str, ...] = tuple(
    f.name for f in fields(LimbState) if f.name not in ("prevent3", "notes", "supplied_by")
)


def parse_value(name: str, raw: object) -> object:
    """One input's typed value, checked against its declared kind and range (None: not given)."""
    spec = FIELDS_BY_NAME.get(name)
    if spec is None:
        raise InvalidInput(name, raw, "a field of the recommend input (docs/pathway/input.md)")
    value = spec.parse(raw)
    if value is None:
        return None
    if name in _INTEGER_RANGES:
        return integer_in(name, value, *_INTEGER_RANGES[name])
    if name in _NUMBER_RANGES:
        return number_in(name, value, *_NUMBER_RANGES[name])
    return value


def parse_record(record: Mapping[str, Any]) -> dict[str, object]:
    """Typed values by the declared inputs; unknown field names are refused."""
    values: dict[str, object] = {}
    for name, raw in record.items():
        value = parse_value(name, raw)
        if value is not None:
            values[name] = value
    if "cause" not in values:
        raise InvalidInput("cause", None, "one of " + ", ".join(c.value for c in EpisodeCause))
    return values


class _Builder:
    """Resolves given and derived findings into the facts of a LimbState."""

    def __init__(self, values: dict[str, object]) -> None:
        self.given: dict[str, Any] = values
        self.facts: dict[str, Any] = {name: values[name] for name in FACTS if name in values}
        self.notes: dict[str, str] = {}
        self.supplied_by: dict[str, tuple[str, ...]] = {}

    def agree(self, name: str, derived: object, how: str, allowed: str = "") -> None:
        """Take a derived value, refusing a given one that differs."""
        given = self.given.get(name)
        if given is not None and given != derived:
            raise ContradictoryInput(name, given, f"{how} ({derived})", allowed or f"{derived}")
        self.facts[name] = derived
        self.notes[name] = how if given is None else f"given; agrees with {how}"

    def derive(self, system: str, names: tuple[str, ...]) -> Any:
        """Run a classifier on the given raw findings; None (with what is missing) if it cannot."""
        record = {name: self.given[name] for name in names if name in self.given}
        if not record:
            return None
        try:
            return SYSTEMS[system].classify_record(record)
        except CannotClassify as error:
            if error.conflicts:
                raise
            return error


def _raw(system: str) -> tuple[str, ...]:
    return tuple(f.name for f in SYSTEMS[system].fields)


def _wound(b: _Builder) -> None:
    described = {k: b.given.get(k) for k in ("ulcer", "gangrene", "wound_label")}
    if all(v is None for v in described.values()):
        return
    try:
        grading = described_wounds(**described)
    except CannotClassify as error:
        if error.conflicts:
            raise
        if "wound_grade" not in b.given:
            b.supplied_by["wound_grade"] = error.missing
        return
    assert grading is not None  # a description was given
    b.agree(
        "wound_grade",
        grading.wound_grade,
        f"the WIfI wound grade of the wounds described: {grading.rationale}",
    )
    b.notes["wound_grade"] += f" [{grading.source}]"


def _ischemia(b: _Builder) -> None:
    measured: dict[str, Any] = {k: b.given[k] for k in _PERFUSION if k in b.given}
    if not measured:
        return
    flags = {k: b.given.get(k) for k in ("diabetes", "non_compressible")}
    try:
        grading = wifi_ischemia_grade(**measured, **flags)
    except CannotClassify as error:
        if "ischemia_grade" not in b.given:
            b.supplied_by["ischemia_grade"] = error.missing
        return
    words = ", ".join(f"{k} {v:g}" for k, v in measured.items())
    b.agree(
        "ischemia_grade",
        grading.ischemia_grade,
        f"the WIfI ischaemia grade from {words}",
    )


def _infection(b: _Builder) -> None:
    if any(name in b.given for name in _SIGNS_ONLY):
        result = b.derive("iwgdf", _raw("iwgdf"))
        if isinstance(result, CannotClassify):
            raise result
        if result.iwgdf_grade is None:
            b.supplied_by["infection_iwgdf"] = ("infection_confirmed_despite_charcot",)
            b.supplied_by["infection_grade"] = ("infection_confirmed_despite_charcot",)
            return
        b.agree("infection_iwgdf", result.iwgdf_grade, "the IWGDF/IDSA grade of the signs")
        b.agree("infection_grade", result.wifi_infection_grade, "the WIfI fI of the signs")
        return
    grade = b.facts.get("infection_iwgdf")
    if not isinstance(grade, int):
        return
    b.agree(
        "infection_grade",
        WIFI_INFECTION_GRADE[grade],
        f"infection_iwgdf {grade} (WIfI fI = IWGDF/IDSA grade − 1)",
    )


def _wifi_stage(b: _Builder) -> None:
    grades = ("wound_grade", "ischemia_grade", "infection_grade")
    unknown = tuple(name for name in grades if b.facts.get(name) is None)
    if unknown:
        if "wifi_stage" not in b.given:
            b.supplied_by["wifi_stage"] = tuple(
                item for name in unknown for item in b.supplied_by.get(name, (name,))
            )
        return
    result = classify_wifi(
        wound_grade=b.facts["wound_grade"],
        ischemia_grade=b.facts["ischemia_grade"],
        infection_grade=b.facts["infection_grade"],
        unsalvageable=b.given.get("unsalvageable"),
    )
    b.agree(
        "wifi_stage",
        result.clinical_stage,
        f"the stage of {result.code}"
        + (" judged unsalvageable" if result.clinical_stage == 5 else ""),
        f"the stage of the grades ({result.clinical_stage}) or no wifi_stage",
    )


def _glass(b: _Builder) -> None:
    result = b.derive("glass", _raw("glass"))
    if result is None:
        return
    if isinstance(result, CannotClassify):
        if "glass_stage" not in b.given:
            b.supplied_by["glass_stage"] = result.missing
        return
    for name in ("fp_grade", "ip_grade"):
        b.agree(name, getattr(result, name), f"the GLASS {name[:2].upper()} grade of the lesions")
    if result.stage is not None:
        b.agree(
            "glass_stage",
            result.stage.value,
            f"the GLASS stage of FP {result.fp_grade} × IP {result.ip_grade}",
            f"the stage of the grades ({result.stage.value}) or no glass_stage",
        )
    if result.im_modifier is not None:
        b.facts["im_modifier"] = result.im_modifier.value


def _classified(b: _Builder, system: str, name: str, attribute: str, what: str) -> None:
    result = b.derive(system, _raw(system))
    if result is None:
        return
    if isinstance(result, CannotClassify):
        if name not in b.given:
            b.supplied_by[name] = result.missing
        return
    value = getattr(result, attribute)
    b.agree(name, getattr(value, "value", value), what)


def _patient_risk(b: _Builder) -> None:
    risk = gvg_patient_risk(
        perioperative_mortality_pct=b.given.get("perioperative_mortality_pct"),
        two_year_survival_pct=b.given.get("two_year_survival_pct"),
    )
    given = b.given.get("patient_risk")
    reason = b.given.get("patient_risk_override_reason")
    if reason is not None and given is None:
        raise InvalidInput(
            "patient_risk_override_reason", reason, "a reason only together with patient_risk"
        )
    if given is None:
        if risk.risk is None:
            b.supplied_by["patient_risk"] = risk.missing
            return
        b.facts["patient_risk"] = risk.risk.value
        b.notes["patient_risk"] = risk.rationale + " (GVG 6.4/6.5)"
        return
    if risk.risk is not None and risk.risk.value != given:
        if reason is None or not str(reason).strip():
            raise ContradictoryInput(
                "patient_risk",
                given,
                f"the estimates ({risk.rationale})",
                f"{risk.risk.value}, or a patient_risk_override_reason",
            )
        b.notes["patient_risk"] = (
            f"set by the clinician over the estimates ({risk.rationale}): {reason}"
        )
        return
    b.notes["patient_risk"] = "set by the clinician" + (f" ({risk.rationale})" if risk.risk else "")


def build_state(record: Mapping[str, Any]) -> LimbState:
    """A LimbState from one case record (JSON values or text), deriving what can be derived."""
    b = _Builder(parse_record(record))
    b.facts["cause"] = EpisodeCause(str(b.given["cause"]))
    _wound(b)
    _ischemia(b)
    _infection(b)
    _wifi_stage(b)
    _glass(b)
    _classified(b, "ali", "ali_category", "category", "the ALI category of the findings")
    _classified(b, "ceap", "ceap_class", "clinical_class", "the CEAP class of the signs")
    _classified(b, "mess", "mess_score", "score", "the MESS of its components")
    _patient_risk(b)
    prevent3 = None
    if any(spec.name in b.given for spec in PREVENT3.inputs):
        prevent3 = PREVENT3.assess(b.given)
        b.facts["prevent3_points"] = prevent3.points
        if prevent3.missing:
            b.supplied_by["prevent3_points"] = prevent3.missing
    else:
        b.supplied_by["prevent3_points"] = tuple(spec.name for spec in PREVENT3.inputs)
    return LimbState(
        **b.facts,
        prevent3=prevent3,
        notes=MappingProxyType(b.notes),
        supplied_by=MappingProxyType(b.supplied_by),
    )
