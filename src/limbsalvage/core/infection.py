"""IWGDF/IDSA 2023 diabetes-related foot infection grade 1–4 with (O), and its WIfI fI grade."""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from limbsalvage.core.errors import CannotClassify
from limbsalvage.core.fields import InputField, Kind, System
from limbsalvage.core.result import Classification, explanation_field
from limbsalvage.core.tables.infection import (
    BAND_FORMS_IDSA_PERCENT,
    BAND_FORMS_NOTE,
    CHARCOT_CAUTION,
    ERYTHEMA_MODERATE_CM,
    ERYTHEMA_MODERATE_NOTE,
    ERYTHEMA_SIGN_CM,
    HEART_RATE_HIGH_BPM,
    IWGDF_INFECTION_GRADES,
    LOCAL_SIGNS_NEEDED,
    PACO2_LOW_MMHG,
    RESPIRATORY_RATE_HIGH_PER_MIN,
    SIRS_CRITERIA,
    SIRS_CRITERIA_NEEDED,
    TEMPERATURE_HIGH_C,
    TEMPERATURE_LOW_C,
    WHITE_CELLS_HIGH_PER_MM3,
    WHITE_CELLS_LOW_PER_MM3,
    WIFI_FROM_IWGDF,
    WIFI_INFECTION_GRADE,
)
from limbsalvage.core.validate import flag, integer_in, number_in

SYSTEM_NAME = "iwgdf"


class InfectionStatus(StrEnum):
    """Whether the foot is graded, and how."""

    UNINFECTED = "uninfected"
    INFECTED = "infected"
    # Local inflammation in a foot with suspected active Charcot: not graded as infection.
    UNRESOLVED_CHARCOT = "unresolved_charcot"


class Severity(StrEnum):
    """IWGDF/IDSA severity words for grades 1–4."""

    UNINFECTED = "uninfected"
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


class SirsCriterion(StrEnum):
    """The four criteria of the systemic inflammatory response."""

    TEMPERATURE = "temperature"
    HEART_RATE = "heart_rate"
    RESPIRATION = "respiration"
    WHITE_CELLS = "white_cells"


_SEVERITY = {1: Severity.UNINFECTED, 2: Severity.MILD, 3: Severity.MODERATE, 4: Severity.SEVERE}


@dataclass(frozen=True, kw_only=True)
class FootInfectionResult(Classification):
    """An IWGDF/IDSA foot-infection grade, its WIfI fI equivalent and the findings behind it."""

    system = SYSTEM_NAME
    infection_status: InfectionStatus
    iwgdf_grade: int | None
    severity: Severity | None
    label: str
    osteomyelitis: bool
    wifi_infection_grade: int | None
    local_signs: tuple[str, ...]
    sirs_criteria_met: int | None
    sirs_criteria: tuple[SirsCriterion, ...]
    suspected_active_charcot: bool
    caution: str = explanation_field()


@dataclass(frozen=True)
class _Sirs:
    met: tuple[SirsCriterion, ...]
    count: int
    unassessed: tuple[SirsCriterion, ...]
    band_note: bool


# The inputs that assess each SIRS criterion, named when a criterion is missing.
_SIRS_FIELDS = {
    SirsCriterion.TEMPERATURE: "temperature_c",
    SirsCriterion.HEART_RATE: "heart_rate_bpm",
    SirsCriterion.RESPIRATION: "respiratory_rate_per_min or paco2_mmhg",
    SirsCriterion.WHITE_CELLS: "white_cell_count_per_mm3 or band_forms_percent",
}


@dataclass(frozen=True)
class _Vitals:
    temperature_c: float | None
    heart_rate_bpm: float | None
    respiratory_rate_per_min: float | None
    paco2_mmhg: float | None
    white_cell_count_per_mm3: float | None
    band_forms_percent: float | None


def _optional_number(
    inputs: dict[str, object], name: str, value: object, bounds: tuple[float, float, str]
) -> float | None:
    if value is None:
        return None
    number = number_in(name, value, *bounds)
    inputs[name] = number
    return number


def _optional_flag(inputs: dict[str, object], name: str, value: object) -> bool | None:
    if value is None:
        return None
    checked = flag(name, value)
    inputs[name] = checked
    return checked


def _sirs_from_vitals(vitals: _Vitals) -> _Sirs:
    """Count the SIRS criteria met; a criterion with no value given is unassessed."""
    checks: list[tuple[SirsCriterion, list[bool]]] = []
    if vitals.temperature_c is not None:
        t = vitals.temperature_c
        checks.append(
            (SirsCriterion.TEMPERATURE, [t > TEMPERATURE_HIGH_C or t < TEMPERATURE_LOW_C])
        )
    if vitals.heart_rate_bpm is not None:
        checks.append((SirsCriterion.HEART_RATE, [vitals.heart_rate_bpm > HEART_RATE_HIGH_BPM]))
    respiration = []
    if vitals.respiratory_rate_per_min is not None:
        respiration.append(vitals.respiratory_rate_per_min > RESPIRATORY_RATE_HIGH_PER_MIN)
    if vitals.paco2_mmhg is not None:
        respiration.append(vitals.paco2_mmhg < PACO2_LOW_MMHG)
    if respiration:
        checks.append((SirsCriterion.RESPIRATION, respiration))
    white = []
    wbc = vitals.white_cell_count_per_mm3
    if wbc is not None:
        white.append(wbc > WHITE_CELLS_HIGH_PER_MM3 or wbc < WHITE_CELLS_LOW_PER_MM3)
    bands = vitals.band_forms_percent
    if bands is not None:
        # IDSA reading "≥10%"; the alternative ">10%" (Bone 1992) is kept in the table module.
        white.append(bands >= BAND_FORMS_IDSA_PERCENT)
    if white:
        checks.append((SirsCriterion.WHITE_CELLS, white))
    met = tuple(criterion for criterion, parts in checks if any(parts))
    # Only a band count of exactly 10 % depends on the reading; noted only when it decides.
    band_note = bands == BAND_FORMS_IDSA_PERCENT and not (
        wbc is not None and (wbc > WHITE_CELLS_HIGH_PER_MM3 or wbc < WHITE_CELLS_LOW_PER_MM3)
    )
    assessed = {criterion for criterion, _ in checks}
    unassessed = tuple(c for c in SirsCriterion if c not in assessed)
    return _Sirs(met=met, count=len(met), unassessed=unassessed, band_note=band_note)


def _local_signs(
    named: Sequence[tuple[str, bool | None]], erythema_extent_cm: float
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The local signs present, and those not recorded."""
    present = [name for name, value in named if value]
    unknown = [name for name, value in named if value is None]
    if erythema_extent_cm > ERYTHEMA_SIGN_CM:
        present.append("erythema")
    return tuple(present), tuple(unknown)


def classify_foot_infection(
    *,
    erythema_extent_cm: float,
    osteomyelitis: bool,
    suspected_active_charcot: bool,
    swelling_or_induration: bool | None = None,
    local_tenderness_or_pain: bool | None = None,
    local_warmth: bool | None = None,
    purulent_discharge: bool | None = None,
    deep_tissue_involvement: bool | None = None,
    temperature_c: float | None = None,
    heart_rate_bpm: float | None = None,
    respiratory_rate_per_min: float | None = None,
    paco2_mmhg: float | None = None,
    white_cell_count_per_mm3: float | None = None,
    band_forms_percent: float | None = None,
    sirs_criteria_count: int | None = None,
    infection_confirmed_despite_charcot: bool | None = None,
) -> FootInfectionResult:
    """Grade a diabetes-related foot infection by IWGDF/IDSA 2023 and map it to WIfI fI."""
    inputs: dict[str, object] = {
        "erythema_extent_cm": number_in("erythema_extent_cm", erythema_extent_cm, 0, 50, "cm"),
        "osteomyelitis": flag("osteomyelitis", osteomyelitis),
        "suspected_active_charcot": flag("suspected_active_charcot", suspected_active_charcot),
    }
    erythema = float(erythema_extent_cm)
    named = [
        (
            "swelling_or_induration",
            _optional_flag(inputs, "swelling_or_induration", swelling_or_induration),
        ),
        (
            "local_tenderness_or_pain",
            _optional_flag(inputs, "local_tenderness_or_pain", local_tenderness_or_pain),
        ),
        ("local_warmth", _optional_flag(inputs, "local_warmth", local_warmth)),
        ("purulent_discharge", _optional_flag(inputs, "purulent_discharge", purulent_discharge)),
    ]
    deep = _optional_flag(inputs, "deep_tissue_involvement", deep_tissue_involvement)
    confirmed = None
    if infection_confirmed_despite_charcot is not None:
        confirmed = flag("infection_confirmed_despite_charcot", infection_confirmed_despite_charcot)
        if suspected_active_charcot:
            inputs["infection_confirmed_despite_charcot"] = confirmed
    vitals = _Vitals(
        temperature_c=_optional_number(inputs, "temperature_c", temperature_c, (25, 45, "°C")),
        heart_rate_bpm=_optional_number(inputs, "heart_rate_bpm", heart_rate_bpm, (0, 300, "/min")),
        respiratory_rate_per_min=_optional_number(
            inputs, "respiratory_rate_per_min", respiratory_rate_per_min, (0, 80, "/min")
        ),
        paco2_mmhg=_optional_number(inputs, "paco2_mmhg", paco2_mmhg, (5, 150, "mmHg")),
        white_cell_count_per_mm3=_optional_number(
            inputs, "white_cell_count_per_mm3", white_cell_count_per_mm3, (0, 500_000, "/mm³")
        ),
        band_forms_percent=_optional_number(
            inputs, "band_forms_percent", band_forms_percent, (0, 100, "%")
        ),
    )
    sirs = _sirs(vitals, sirs_criteria_count, inputs)
    if osteomyelitis and deep is False:
        raise CannotClassify(
            SYSTEM_NAME,
            conflicts=[
                "osteomyelitis is infection of bone, a tissue deeper than skin and subcutis, "
                "but deep_tissue_involvement is false"
            ],
        )
    present, unknown = _local_signs(named, erythema)
    if not osteomyelitis and len(present) < LOCAL_SIGNS_NEEDED <= len(present) + len(unknown):
        raise CannotClassify(
            SYSTEM_NAME,
            missing=unknown,
            detail=f"infection needs at least {LOCAL_SIGNS_NEEDED} local signs",
        )
    inflamed = len(present) >= LOCAL_SIGNS_NEEDED
    context = _Context(inputs, present, sirs, bool(suspected_active_charcot), bool(osteomyelitis))
    if not inflamed and not osteomyelitis:
        return _uninfected(context)
    if suspected_active_charcot and not osteomyelitis and not confirmed:
        return _unresolved_charcot(context)
    return _graded(context, erythema, deep)


@dataclass(frozen=True)
class _Context:
    inputs: dict[str, object]
    present: tuple[str, ...]
    sirs: _Sirs | None
    charcot: bool
    osteomyelitis: bool


def _sirs(vitals: _Vitals, count: int | None, inputs: dict[str, object]) -> _Sirs | None:
    """SIRS from the vital signs and labs, or from a count given instead (not both)."""
    any_vital = any(value is not None for value in vars(vitals).values())
    if count is None:
        return _sirs_from_vitals(vitals) if any_vital else None
    given = integer_in("sirs_criteria_count", count, 0, 4)
    if any_vital:
        raise CannotClassify(
            SYSTEM_NAME,
            conflicts=[
                "sirs_criteria_count was given together with vital signs or labs; "
                "give one or the other"
            ],
        )
    inputs["sirs_criteria_count"] = given
    return _Sirs(met=(), count=given, unassessed=(), band_note=False)


_SIGN_WORDS = {
    "swelling_or_induration": "swelling or induration",
    "local_tenderness_or_pain": "local tenderness or pain",
    "local_warmth": "local warmth",
    "purulent_discharge": "purulent discharge",
    "erythema": f"erythema >{ERYTHEMA_SIGN_CM:g} cm",
}


def _signs_text(present: Sequence[str]) -> str:
    return ", ".join(_SIGN_WORDS[sign] for sign in present) or "none"


def _sirs_fields(sirs: _Sirs | None) -> tuple[int | None, tuple[SirsCriterion, ...]]:
    if sirs is None:
        return None, ()
    return sirs.count, sirs.met


def _uninfected(context: _Context) -> FootInfectionResult:
    count, met = _sirs_fields(context.sirs)
    caution = ""
    tables = [IWGDF_INFECTION_GRADES, WIFI_FROM_IWGDF]
    if context.charcot:
        caution = (
            "Suspected active Charcot foot: manage as active Charcot neuro-osteoarthropathy "
            "(offloading, imaging) per IWGDF 2023; not an infection on these findings."
        )
        tables.append(CHARCOT_CAUTION)
    return FootInfectionResult(
        infection_status=InfectionStatus.UNINFECTED,
        iwgdf_grade=1,
        severity=Severity.UNINFECTED,
        label="1",
        osteomyelitis=False,
        wifi_infection_grade=WIFI_INFECTION_GRADE[1],
        local_signs=context.present,
        sirs_criteria_met=count,
        sirs_criteria=met,
        suspected_active_charcot=context.charcot,
        caution=caution,
        inputs=context.inputs,
        rationale=(
            f"fewer than {LOCAL_SIGNS_NEEDED} local signs of inflammation "
            f"({_signs_text(context.present)}) and no osteomyelitis → grade 1 (uninfected), "
            "WIfI fI0"
        ),
        source=IWGDF_INFECTION_GRADES.cite(),
        tables=tuple(tables),
    )


def _unresolved_charcot(context: _Context) -> FootInfectionResult:
    count, met = _sirs_fields(context.sirs)
    return FootInfectionResult(
        infection_status=InfectionStatus.UNRESOLVED_CHARCOT,
        iwgdf_grade=None,
        severity=None,
        label="unresolved (suspected active Charcot)",
        osteomyelitis=False,
        wifi_infection_grade=None,
        local_signs=context.present,
        sirs_criteria_met=count,
        sirs_criteria=met,
        suspected_active_charcot=True,
        caution=(
            "Local signs of inflammation in a foot with suspected active Charcot "
            "neuro-osteoarthropathy: infection is diagnosed only when no other cause of the "
            "inflammation explains it. A clinician must decide (e.g. purulence, probe-to-bone, "
            "imaging) and record infection_confirmed_despite_charcot before a grade is given."
        ),
        inputs=context.inputs,
        rationale=(
            f"{_signs_text(context.present)} in a foot with suspected active Charcot → not graded "
            "as infection: active Charcot mimics infection (IWGDF/IDSA 2023 excludes other causes "
            "of inflammation)"
        ),
        source=IWGDF_INFECTION_GRADES.cite(),
        tables=(IWGDF_INFECTION_GRADES, CHARCOT_CAUTION),
    )


def _graded(context: _Context, erythema: float, deep: bool | None) -> FootInfectionResult:
    sirs = context.sirs
    detail = f"severe infection needs at least {SIRS_CRITERIA_NEEDED} SIRS criteria"
    if sirs is None:
        raise CannotClassify(
            SYSTEM_NAME, missing=[*_SIRS_FIELDS.values(), "or sirs_criteria_count"], detail=detail
        )
    if sirs.count < SIRS_CRITERIA_NEEDED <= sirs.count + len(sirs.unassessed):
        raise CannotClassify(
            SYSTEM_NAME, missing=[_SIRS_FIELDS[c] for c in sirs.unassessed], detail=detail
        )
    notes: list[str] = []
    if sirs.count >= SIRS_CRITERIA_NEEDED:
        grade = 4
        rule = (
            f"{sirs.count} SIRS criteria ({', '.join(sirs.met) or 'as counted'}) → grade 4 (severe)"
        )
        if sirs.band_note and SirsCriterion.WHITE_CELLS in sirs.met:
            notes.append(BAND_FORMS_NOTE)
    else:
        grade, rule = _local_grade(context, erythema, deep)
        if erythema == ERYTHEMA_MODERATE_CM and grade == 2:
            notes.append(ERYTHEMA_MODERATE_NOTE)
    label = f"{grade}(O)" if context.osteomyelitis else str(grade)
    caution = ""
    tables = [IWGDF_INFECTION_GRADES, SIRS_CRITERIA, WIFI_FROM_IWGDF]
    if context.charcot:
        caution = (
            "Suspected active Charcot foot: erythema, warmth and swelling may partly reflect "
            "Charcot; graded as infection because osteomyelitis is present or a clinician "
            "confirmed infection."
        )
        tables.append(CHARCOT_CAUTION)
    count, met = _sirs_fields(sirs)
    return FootInfectionResult(
        infection_status=InfectionStatus.INFECTED,
        iwgdf_grade=grade,
        severity=_SEVERITY[grade],
        label=label,
        osteomyelitis=context.osteomyelitis,
        wifi_infection_grade=WIFI_INFECTION_GRADE[grade],
        local_signs=context.present,
        sirs_criteria_met=count,
        sirs_criteria=met,
        suspected_active_charcot=context.charcot,
        caution=caution,
        inputs=context.inputs,
        rationale=f"{rule}; label {label}, WIfI fI{WIFI_INFECTION_GRADE[grade]}",
        source=IWGDF_INFECTION_GRADES.cite(),
        provenance=" ".join(notes),
        tables=tuple(tables),
    )


def _local_grade(context: _Context, erythema: float, deep: bool | None) -> tuple[int, str]:
    """Mild or moderate, without systemic inflammation."""
    base = f"infection ({_signs_text(context.present)}) without SIRS"
    if context.osteomyelitis:
        return 3, f"{base} with osteomyelitis → grade 3 (moderate)"
    if erythema > ERYTHEMA_MODERATE_CM:
        return (
            3,
            f"{base}, erythema {erythema:g} cm > {ERYTHEMA_MODERATE_CM:g} cm → grade 3 (moderate)",
        )
    if deep is None:
        raise CannotClassify(
            SYSTEM_NAME,
            missing=["deep_tissue_involvement"],
            detail=f"with erythema ≤{ERYTHEMA_MODERATE_CM:g} cm, mild or moderate depends on it",
        )
    if deep:
        return 3, f"{base} involving tissue deeper than skin and subcutis → grade 3 (moderate)"
    return (
        2,
        f"{base}, skin and subcutis only, erythema ≤{ERYTHEMA_MODERATE_CM:g} cm → grade 2 (mild)",
    )


SYSTEM = System(
    name=SYSTEM_NAME,
    title="IWGDF/IDSA 2023 diabetes-related foot infection (with WIfI fI)",
    fields=(
        InputField(
            "erythema_extent_cm",
            Kind.NUMBER,
            "erythema extent around the wound in cm (0 when none)",
        ),
        InputField("osteomyelitis", Kind.FLAG, "infection involving bone (osteomyelitis)"),
        InputField(
            "suspected_active_charcot",
            Kind.FLAG,
            "suspected active Charcot foot (warm, swollen, red foot with neuropathy)",
        ),
        InputField("swelling_or_induration", Kind.FLAG, "local swelling or induration"),
        InputField("local_tenderness_or_pain", Kind.FLAG, "local tenderness or pain"),
        InputField("local_warmth", Kind.FLAG, "local warmth"),
        InputField("purulent_discharge", Kind.FLAG, "purulent discharge"),
        InputField(
            "deep_tissue_involvement",
            Kind.FLAG,
            "infection deeper than skin and subcutis (abscess, fasciitis, tendon, muscle, "
            "joint, bone)",
        ),
        InputField("temperature_c", Kind.NUMBER, "body temperature in °C"),
        InputField("heart_rate_bpm", Kind.NUMBER, "heart rate per minute"),
        InputField("respiratory_rate_per_min", Kind.NUMBER, "respiratory rate per minute"),
        InputField("paco2_mmhg", Kind.NUMBER, "arterial PaCO2 in mmHg"),
        InputField("white_cell_count_per_mm3", Kind.NUMBER, "white cell count per mm³ (= per µL)"),
        InputField("band_forms_percent", Kind.NUMBER, "immature (band) forms, % of white cells"),
        InputField(
            "sirs_criteria_count",
            Kind.INTEGER,
            "number of SIRS criteria met (0–4), instead of the vital signs and labs",
        ),
        InputField(
            "infection_confirmed_despite_charcot",
            Kind.FLAG,
            "a clinician attributes the inflammation to infection despite suspected Charcot",
        ),
    ),
    classify=classify_foot_infection,
    example=(
        "--erythema-extent-cm 3 --no-osteomyelitis --no-suspected-active-charcot "
        "--swelling-or-induration --local-warmth --temperature-c 37.2 "
        "--heart-rate-bpm 84 --respiratory-rate-per-min 16 --white-cell-count-per-mm3 9000"
    ),
)
