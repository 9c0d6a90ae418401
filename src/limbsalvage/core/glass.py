"""GLASS stage (I–III) from femoropopliteal and infrapopliteal grades or lesion descriptions."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction

from limbsalvage.core.errors import CannotClassify
from limbsalvage.core.fields import InputField, Kind, System
from limbsalvage.core.result import Classification, explanation_field
from limbsalvage.core.sources import Table
from limbsalvage.core.tables.glass import (
    CALCIFICATION_STEP,
    FP_FOCAL_OCCLUSION_NOTE,
    FP_GRADE2_OCCLUSION_NOTE,
    GLASS_DEFINITIONS,
    GLASS_IM_MODIFIER,
    GLASS_SEGMENT_GRADES,
    GLASS_STAGE_MATRIX,
    GLASS_STAGE_OUTCOMES,
    HIGHEST_GRADE,
    IM_MODIFIERS,
    IP_EXTENT_FRACTIONS,
    IP_FOCAL_CM,
    IP_GRADE0_NOTE,
    IP_OCCLUSION_FRACTION,
    LOWEST_GRADE,
    POPLITEAL_STENOSIS_CM,
    SFA_EXTENT_CM,
    SFA_EXTENT_FRACTIONS,
    SFA_EXTENT_NOTE,
    SFA_FOCAL_OCCLUSION_CM,
    SFA_OCCLUSION_CM,
    STAGE_II_FAILURE_NOTE,
    STAGE_MATRIX,
    STAGE_OUTCOMES,
)
from limbsalvage.core.validate import choice, flag, integer_in, number_in


class GlassStage(StrEnum):
    """GLASS infrainguinal anatomic stages."""

    I = "I"  # noqa: E741 — the stage is called I in the source
    II = "II"
    III = "III"


class ImModifier(StrEnum):
    """Inframalleolar (pedal) modifier, reported beside the stage."""

    P0 = "P0"
    P1 = "P1"
    P2 = "P2"


class TargetArtery(StrEnum):
    """The infrapopliteal artery of the target arterial path."""

    ANTERIOR_TIBIAL = "anterior_tibial"
    POSTERIOR_TIBIAL = "posterior_tibial"
    PERONEAL = "peroneal"


class TrunkDisease(StrEnum):
    """Significant disease of the tibioperoneal trunk."""

    NONE = "none"
    STENOSIS = "stenosis"
    OCCLUSION = "occlusion"


@dataclass(frozen=True, kw_only=True)
class GlassResult(Classification):
    """A GLASS stage with its segment grades, pedal modifier and expected endovascular outcomes."""

    system = "glass"
    fp_grade: int
    ip_grade: int
    stage: GlassStage | None
    im_modifier: ImModifier | None
    expected_technical_failure: str | None = explanation_field()
    expected_one_year_limb_based_patency: str | None = explanation_field()


# Plausibility limits for lengths (not published cut-offs): longer than any adult segment.
_SFA_MAX_CM = 50.0
_POPLITEAL_MAX_CM = 30.0
_TIBIAL_MAX_CM = 50.0

_FP_FIELDS = (
    "sfa_disease_length_cm",
    "sfa_disease_percent",
    "sfa_occlusion_length_cm",
    "sfa_occlusion_flush",
    "popliteal_stenosis_length_cm",
    "popliteal_occlusion",
    "popliteal_trifurcation_involved",
    "fp_severe_calcification",
)
_IP_FIELDS = (
    "ip_target_artery",
    "ip_disease_length_cm",
    "ip_disease_percent",
    "ip_occlusion_length_cm",
    "ip_occlusion_percent",
    "target_artery_origin_involved",
    "tp_trunk_disease",
    "ip_severe_calcification",
)

_SFA_EXTENT_BANDS = (
    "no significant disease",
    "under 1/3 of the SFA (<10 cm)",
    "1/3–2/3 of the SFA (10–20 cm)",
    "over 2/3 of the SFA (>20 cm)",
)


@dataclass
class _Segment:
    """Findings of one segment's lesion description; the worst finding sets the grade."""

    name: str
    findings: list[tuple[int, str, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def find(self, grade: int, text: str, note: str = "") -> None:
        self.findings.append((grade, text, note))

    @property
    def complete(self) -> bool:
        return not self.missing and not self.conflicts

    @property
    def base_grade(self) -> int:
        return max((grade for grade, _, _ in self.findings), default=LOWEST_GRADE)

    def worst(self) -> list[tuple[int, str, str]]:
        return [f for f in self.findings if f[0] == self.base_grade]


def _fraction(percent: float) -> Fraction:
    return Fraction(percent) / 100


def _cm(value: float) -> str:
    return f"{value:g} cm"


# ── Femoropopliteal ─────────────────────────────────────────────────────────────────────────


def _sfa_extent_grade(value: Fraction | float, cuts: tuple[Fraction | float, ...]) -> int:
    low, high = cuts
    if value == 0:
        return 0
    if value < low:
        return 1
    return 2 if value <= high else 3


def _grade_sfa_extent(seg: _Segment, length_cm: float | None, percent: float | None) -> None:
    grades = set()
    if length_cm is not None:
        grades.add(_sfa_extent_grade(length_cm, SFA_EXTENT_CM))
    if percent is not None:
        grades.add(_sfa_extent_grade(_fraction(percent), SFA_EXTENT_FRACTIONS))
    if not grades:
        seg.missing.append("sfa_disease_length_cm or sfa_disease_percent")
    elif len(grades) > 1:
        seg.conflicts.append(
            f"sfa_disease_length_cm {length_cm:g} and sfa_disease_percent {percent:g} "
            "fall in different GLASS bands"
        )
    else:
        grade = grades.pop()
        note = SFA_EXTENT_NOTE if grade == 3 else ""  # only grade 3's wording is contested
        seg.find(grade, f"SFA disease {_SFA_EXTENT_BANDS[grade]}", note)


def _grade_sfa_occlusion(seg: _Segment, length_cm: float | None, flush: bool | None) -> None:
    short, long = SFA_OCCLUSION_CM
    if length_cm is None:
        seg.missing.append("sfa_occlusion_length_cm")
    elif length_cm == 0:
        if flush:
            seg.conflicts.append("sfa_occlusion_flush is true but sfa_occlusion_length_cm is 0")
    elif length_cm > long:
        seg.find(4, f"SFA occlusion {_cm(length_cm)} (>{long:g} cm)")
    elif flush is None:
        seg.missing.append("sfa_occlusion_flush")
    elif flush:
        seg.find(3, f"flush SFA occlusion {_cm(length_cm)} (≤{long:g} cm)")
    elif length_cm < SFA_FOCAL_OCCLUSION_CM:
        text = f"focal non-flush SFA occlusion {_cm(length_cm)} (<{SFA_FOCAL_OCCLUSION_CM:g} cm)"
        seg.find(1, text, FP_FOCAL_OCCLUSION_NOTE)
    elif length_cm < short:
        text = f"non-flush SFA occlusion {_cm(length_cm)} (<{short:g} cm)"
        seg.find(2, text, FP_GRADE2_OCCLUSION_NOTE)
    else:
        seg.find(3, f"non-flush SFA occlusion {_cm(length_cm)} ({short:g}–{long:g} cm)")


def _grade_popliteal(
    seg: _Segment, occlusion: bool | None, stenosis_cm: float | None, trifurcation: bool | None
) -> None:
    short, long = POPLITEAL_STENOSIS_CM
    if occlusion:
        seg.find(4, "popliteal occlusion")
        return
    if occlusion is None:
        seg.missing.append("popliteal_occlusion")
    if stenosis_cm is None:
        seg.missing.append("popliteal_stenosis_length_cm")
    elif stenosis_cm == 0:
        if trifurcation:
            seg.conflicts.append(
                "popliteal_trifurcation_involved is true but no popliteal disease is described"
            )
    elif stenosis_cm > long:
        seg.find(4, f"popliteal disease {_cm(stenosis_cm)} (>{long:g} cm)")
    elif trifurcation is None:
        seg.missing.append("popliteal_trifurcation_involved")
    elif trifurcation:
        seg.find(4, "popliteal disease extending into the trifurcation")
    elif stenosis_cm < short:
        seg.find(2, f"focal popliteal stenosis {_cm(stenosis_cm)} (<{short:g} cm)")
    else:
        seg.find(3, f"popliteal stenosis {_cm(stenosis_cm)} ({short:g}–{long:g} cm)")


def _grade_fp(lesions: Mapping[str, object]) -> _Segment:
    seg = _Segment("FP")
    length = _opt_float(lesions["sfa_disease_length_cm"])
    percent = _opt_float(lesions["sfa_disease_percent"])
    occlusion = _opt_float(lesions["sfa_occlusion_length_cm"])
    _grade_sfa_extent(seg, length, percent)
    _grade_sfa_occlusion(seg, occlusion, _opt_bool(lesions["sfa_occlusion_flush"]))
    if occlusion and ((length is not None and occlusion > length) or percent == 0):
        seg.conflicts.append("the SFA occlusion is longer than the diseased SFA length")
    _grade_popliteal(
        seg,
        _opt_bool(lesions["popliteal_occlusion"]),
        _opt_float(lesions["popliteal_stenosis_length_cm"]),
        _opt_bool(lesions["popliteal_trifurcation_involved"]),
    )
    return seg


# ── Infrapopliteal ──────────────────────────────────────────────────────────────────────────


def _zero_extent(seg: _Segment, what: str, cm: float | None, percent: float | None) -> bool:
    """True when the description says there is none of `what` (and records a contradiction)."""
    if cm != 0 and percent != 0:
        return False
    if (cm or 0) > 0 or (percent or 0) > 0:
        seg.conflicts.append(f"{what} length and percentage disagree (one is 0, the other not)")
    return True


def _grade_ip_extent(seg: _Segment, cm: float | None, percent: float | None) -> None:
    third, two_thirds = IP_EXTENT_FRACTIONS
    if cm is None and percent is None:
        seg.missing.append("ip_disease_length_cm or ip_disease_percent")
    elif _zero_extent(seg, "ip_disease", cm, percent):
        seg.find(0, "no significant (≥50%) disease in the target artery", IP_GRADE0_NOTE)
    elif cm is not None and cm < IP_FOCAL_CM:
        if percent is not None and _fraction(percent) > third:
            seg.conflicts.append(
                f"ip_disease_length_cm {cm:g} is focal but ip_disease_percent {percent:g} "
                "is over 1/3"
            )
        seg.find(1, f"focal stenosis of the target artery {_cm(cm)} (<{IP_FOCAL_CM:g} cm)")
    elif percent is None:
        seg.missing.append("ip_disease_percent")
    elif _fraction(percent) > two_thirds:
        seg.find(4, f"diffuse disease over 2/3 of the target artery ({percent:g}%)")
    elif _fraction(percent) > third:
        seg.find(3, f"disease over 1/3 and up to 2/3 of the target artery ({percent:g}%)")
    elif cm is None:
        seg.missing.append("ip_disease_length_cm")
    else:
        seg.find(2, f"stenosis up to 1/3 of the target artery ({_cm(cm)}, {percent:g}%)")


def _grade_ip_occlusion(seg: _Segment, cm: float | None, percent: float | None) -> None:
    if cm is None and percent is None:
        seg.missing.append("ip_occlusion_length_cm or ip_occlusion_percent")
    elif _zero_extent(seg, "ip_occlusion", cm, percent):
        return
    elif cm is not None and cm < IP_FOCAL_CM:
        if percent is not None and _fraction(percent) > IP_OCCLUSION_FRACTION:
            seg.conflicts.append(
                f"ip_occlusion_length_cm {cm:g} is focal but ip_occlusion_percent {percent:g} "
                "is over 1/3"
            )
        seg.find(2, f"focal occlusion of the target artery {_cm(cm)} (<{IP_FOCAL_CM:g} cm)")
    elif percent is None:
        seg.missing.append("ip_occlusion_percent")
    elif _fraction(percent) > IP_OCCLUSION_FRACTION:
        seg.find(4, f"occlusion over 1/3 of the target artery ({percent:g}%)")
    elif cm is None:
        seg.missing.append("ip_occlusion_length_cm")
    else:
        seg.find(3, f"occlusion {_cm(cm)}, up to 1/3 of the target artery ({percent:g}%)")


def _grade_ip_origin(
    seg: _Segment, target: TargetArtery | None, origin: bool | None, trunk: TrunkDisease | None
) -> None:
    # Grade 2 excludes the target artery origin and the TP trunk; grades 3–4 may include the
    # origin; a TP-trunk occlusion is grade 4 unless the anterior tibial is the target. We read a
    # TP-trunk stenosis on the path as at least grade 3 (it is excluded from grade 2 only).
    if origin is None:
        seg.missing.append("target_artery_origin_involved")
    elif origin:
        seg.find(3, "disease involving the origin of the target artery")
    if target is None:
        seg.missing.append("ip_target_artery")
        return
    if target is TargetArtery.ANTERIOR_TIBIAL:
        if trunk is not None:
            seg.ignored.append("tp_trunk_disease")
        return
    if trunk is None:
        seg.missing.append("tp_trunk_disease")
    elif trunk is TrunkDisease.OCCLUSION:
        seg.find(4, "occlusion of the tibioperoneal trunk on the target path")
    elif trunk is TrunkDisease.STENOSIS:
        seg.find(3, "stenosis of the tibioperoneal trunk on the target path")


def _grade_ip(lesions: Mapping[str, object]) -> _Segment:
    seg = _Segment("IP")
    disease_cm = _opt_float(lesions["ip_disease_length_cm"])
    disease_pct = _opt_float(lesions["ip_disease_percent"])
    occlusion_cm = _opt_float(lesions["ip_occlusion_length_cm"])
    occlusion_pct = _opt_float(lesions["ip_occlusion_percent"])
    _grade_ip_extent(seg, disease_cm, disease_pct)
    _grade_ip_occlusion(seg, occlusion_cm, occlusion_pct)
    if _exceeds(occlusion_cm, disease_cm) or _exceeds(occlusion_pct, disease_pct):
        seg.conflicts.append("the target-artery occlusion is longer than its diseased length")
    target = lesions["ip_target_artery"]
    trunk = lesions["tp_trunk_disease"]
    _grade_ip_origin(
        seg,
        target if isinstance(target, TargetArtery) else None,
        _opt_bool(lesions["target_artery_origin_involved"]),
        trunk if isinstance(trunk, TrunkDisease) else None,
    )
    return seg


def _exceeds(part: float | None, whole: float | None) -> bool:
    return part is not None and whole is not None and part > whole


def _opt_float(value: object) -> float | None:
    return value if isinstance(value, float) else None


def _opt_bool(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


# ── Segments: given grade, lesion description, or both ─────────────────────────────────────


@dataclass
class _Outcome:
    grade: int | None = None
    text: str = ""
    notes: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    described: bool = False
    modifier: ImModifier | None = None


def _segment(
    *,
    label: str,
    grade_field: str,
    given: int | None,
    lesions: Mapping[str, object],
    grader: Callable[[Mapping[str, object]], _Segment],
    calcification_field: str,
) -> _Outcome:
    described = {k for k, v in lesions.items() if v is not None}
    if not described:
        if given is None:
            return _Outcome(missing=[f"{grade_field} (or the {label} lesion description)"])
        return _Outcome(grade=given, text=f"{label} grade {given} (given)")
    if given is not None and described == {calcification_field}:
        return _Outcome(
            conflicts=[
                f"{calcification_field} given with {grade_field}: a given grade already counts "
                "calcification; describe the lesions to apply the modifier"
            ]
        )
    seg = grader(lesions)
    calcified = lesions[calcification_field]
    if calcified is None:
        seg.missing.append(calcification_field)
    outcome = _Outcome(
        missing=seg.missing, conflicts=seg.conflicts, ignored=seg.ignored, described=True
    )
    if not seg.complete:
        return outcome
    base = seg.base_grade
    grade = min(HIGHEST_GRADE, base + CALCIFICATION_STEP) if calcified else base
    if given is not None and given != grade:
        outcome.conflicts.append(f"{grade_field} {given} given but the lesions give grade {grade}")
        return outcome
    worst = seg.worst()
    rule = "; ".join(text for _, text, _ in worst) if base else "no significant disease"
    text = f"{label} grade {base} from the lesions ({rule})"
    if calcified:
        text += f"; severe calcification raises it to {grade}"
    outcome.grade = grade
    outcome.text = text
    outcome.notes = [note for _, _, note in worst if note]
    return outcome


def _im(given: ImModifier | None, crosses: bool | None, arch: bool | None) -> _Outcome:
    derived = None
    outcome = _Outcome()
    if crosses is False:
        derived = ImModifier.P2
        if arch is not None:
            outcome.ignored.append("pedal_arch_intact")
    elif crosses:
        if arch is None:
            outcome.missing.append("pedal_arch_intact")
        else:
            derived = ImModifier.P0 if arch else ImModifier.P1
    elif arch is not None:
        outcome.missing.append("target_artery_crosses_ankle")
    if given is not None and derived is not None and given != derived:
        outcome.conflicts.append(f"im_modifier {given} given but the pedal findings give {derived}")
    outcome.modifier = given or derived
    if outcome.modifier is not None:
        outcome.text = (
            f"inframalleolar modifier {outcome.modifier}: {IM_MODIFIERS[outcome.modifier]}"
        )
    return outcome


# ── Public classifier ───────────────────────────────────────────────────────────────────────


def classify_glass(
    *,
    fp_grade: int | None = None,
    ip_grade: int | None = None,
    im_modifier: str | None = None,
    sfa_disease_length_cm: float | None = None,
    sfa_disease_percent: float | None = None,
    sfa_occlusion_length_cm: float | None = None,
    sfa_occlusion_flush: bool | None = None,
    popliteal_stenosis_length_cm: float | None = None,
    popliteal_occlusion: bool | None = None,
    popliteal_trifurcation_involved: bool | None = None,
    fp_severe_calcification: bool | None = None,
    ip_target_artery: str | None = None,
    ip_disease_length_cm: float | None = None,
    ip_disease_percent: float | None = None,
    ip_occlusion_length_cm: float | None = None,
    ip_occlusion_percent: float | None = None,
    target_artery_origin_involved: bool | None = None,
    tp_trunk_disease: str | None = None,
    ip_severe_calcification: bool | None = None,
    target_artery_crosses_ankle: bool | None = None,
    pedal_arch_intact: bool | None = None,
) -> GlassResult:
    """Stage a limb's infrainguinal anatomy by GLASS from segment grades or lesion descriptions."""
    raw: dict[str, object] = {
        "fp_grade": fp_grade,
        "ip_grade": ip_grade,
        "im_modifier": im_modifier,
        "sfa_disease_length_cm": sfa_disease_length_cm,
        "sfa_disease_percent": sfa_disease_percent,
        "sfa_occlusion_length_cm": sfa_occlusion_length_cm,
        "sfa_occlusion_flush": sfa_occlusion_flush,
        "popliteal_stenosis_length_cm": popliteal_stenosis_length_cm,
        "popliteal_occlusion": popliteal_occlusion,
        "popliteal_trifurcation_involved": popliteal_trifurcation_involved,
        "fp_severe_calcification": fp_severe_calcification,
        "ip_target_artery": ip_target_artery,
        "ip_disease_length_cm": ip_disease_length_cm,
        "ip_disease_percent": ip_disease_percent,
        "ip_occlusion_length_cm": ip_occlusion_length_cm,
        "ip_occlusion_percent": ip_occlusion_percent,
        "target_artery_origin_involved": target_artery_origin_involved,
        "tp_trunk_disease": tp_trunk_disease,
        "ip_severe_calcification": ip_severe_calcification,
        "target_artery_crosses_ankle": target_artery_crosses_ankle,
        "pedal_arch_intact": pedal_arch_intact,
    }
    values = {name: _validate(name, value) for name, value in raw.items() if value is not None}
    given_fp = values.get("fp_grade")
    given_ip = values.get("ip_grade")
    given_im = values.get("im_modifier")
    fp = _segment(
        label="FP",
        grade_field="fp_grade",
        given=given_fp if isinstance(given_fp, int) else None,
        lesions={name: values.get(name) for name in _FP_FIELDS},
        grader=_grade_fp,
        calcification_field="fp_severe_calcification",
    )
    ip = _segment(
        label="IP",
        grade_field="ip_grade",
        given=given_ip if isinstance(given_ip, int) else None,
        lesions={name: values.get(name) for name in _IP_FIELDS},
        grader=_grade_ip,
        calcification_field="ip_severe_calcification",
    )
    im = _im(
        given_im if isinstance(given_im, ImModifier) else None,
        _opt_bool(values.get("target_artery_crosses_ankle")),
        _opt_bool(values.get("pedal_arch_intact")),
    )
    parts = (fp, ip, im)
    missing = [m for part in parts for m in part.missing]
    conflicts = [c for part in parts for c in part.conflicts]
    if missing or conflicts or fp.grade is None or ip.grade is None:
        raise CannotClassify("glass", missing=missing, conflicts=conflicts)
    ignored = {name for part in parts for name in part.ignored}
    inputs = {name: _plain(value) for name, value in values.items() if name not in ignored}
    return _result((fp, fp.grade), (ip, ip.grade), im, inputs)


def _result(
    fp_part: tuple[_Outcome, int],
    ip_part: tuple[_Outcome, int],
    im: _Outcome,
    inputs: dict[str, object],
) -> GlassResult:
    (fp, fp_grade), (ip, ip_grade) = fp_part, ip_part
    cell = STAGE_MATRIX[fp_grade][ip_grade]
    stage = GlassStage(cell) if cell else None
    modifier = im.modifier
    notes = [*fp.notes, *ip.notes]
    tables: list[Table] = [GLASS_DEFINITIONS]
    if fp.described or ip.described:
        tables.append(GLASS_SEGMENT_GRADES)
    tables.append(GLASS_STAGE_MATRIX)
    failure = patency = None
    if stage is None:
        matrix = (
            f"FP {fp_grade} × IP {ip_grade}: neither segment has significant disease, "
            "so GLASS gives no stage"
        )
    else:
        failure, patency = STAGE_OUTCOMES[stage]
        matrix = (
            f"FP {fp_grade} × IP {ip_grade} → GLASS stage {stage} (expected immediate technical "
            f"failure {failure}, 1-year limb-based patency {patency} for endovascular treatment "
            "of the target arterial path)"
        )
        tables.append(GLASS_STAGE_OUTCOMES)
        if stage is GlassStage.II:
            notes.append(STAGE_II_FAILURE_NOTE)
    rationale = [fp.text, ip.text, matrix]
    if modifier is not None:
        rationale.append(im.text + " (reported beside the stage, not used to assign it)")
        tables.append(GLASS_IM_MODIFIER)
    return GlassResult(
        fp_grade=fp_grade,
        ip_grade=ip_grade,
        stage=stage,
        im_modifier=modifier,
        expected_technical_failure=failure,
        expected_one_year_limb_based_patency=patency,
        inputs=inputs,
        rationale="; ".join(rationale) + ".",
        source=GLASS_STAGE_MATRIX.cite(),
        provenance=" ".join(dict.fromkeys(notes)),
        tables=tuple(tables),
    )


_PERCENT = ("sfa_disease_percent", "ip_disease_percent", "ip_occlusion_percent")
_LENGTH_LIMITS = {
    "sfa_disease_length_cm": _SFA_MAX_CM,
    "sfa_occlusion_length_cm": _SFA_MAX_CM,
    "popliteal_stenosis_length_cm": _POPLITEAL_MAX_CM,
    "ip_disease_length_cm": _TIBIAL_MAX_CM,
    "ip_occlusion_length_cm": _TIBIAL_MAX_CM,
}
_CHOICES: dict[str, tuple[StrEnum, ...]] = {
    "im_modifier": tuple(ImModifier),
    "ip_target_artery": tuple(TargetArtery),
    "tp_trunk_disease": tuple(TrunkDisease),
}


def _validate(name: str, value: object) -> object:
    if name in ("fp_grade", "ip_grade"):
        return integer_in(name, value, LOWEST_GRADE, HIGHEST_GRADE)
    if name in _PERCENT:
        return number_in(name, value, 0, 100, "%")
    if name in _LENGTH_LIMITS:
        return number_in(name, value, 0, _LENGTH_LIMITS[name], "cm")
    if name in _CHOICES:
        return choice(name, value, _CHOICES[name])
    return flag(name, value)


def _plain(value: object) -> object:
    return value.value if isinstance(value, StrEnum) else value


SYSTEM = System(
    name="glass",
    title="GLASS — Global Limb Anatomic Staging System (infrainguinal anatomy, stage I–III)",
    fields=(
        InputField(
            "fp_grade", Kind.INTEGER, "femoropopliteal grade 0–4 (final)", option="--fp-grade"
        ),
        InputField(
            "ip_grade", Kind.INTEGER, "infrapopliteal grade 0–4 (final)", option="--ip-grade"
        ),
        InputField(
            "im_modifier",
            Kind.CHOICE,
            "inframalleolar (pedal) modifier",
            option="--im",
            choices=tuple(m.value for m in ImModifier),
        ),
        InputField("sfa_disease_length_cm", Kind.NUMBER, "total length of ≥50% SFA disease, cm"),
        InputField(
            "sfa_disease_percent", Kind.NUMBER, "total ≥50% SFA disease, % of the SFA length"
        ),
        InputField(
            "sfa_occlusion_length_cm", Kind.NUMBER, "total SFA occlusion length, cm (0 if none)"
        ),
        InputField("sfa_occlusion_flush", Kind.FLAG, "SFA occlusion flush at its origin"),
        InputField(
            "popliteal_stenosis_length_cm",
            Kind.NUMBER,
            "length of ≥50% popliteal disease, cm (0 if none)",
        ),
        InputField("popliteal_occlusion", Kind.FLAG, "any popliteal occlusion"),
        InputField(
            "popliteal_trifurcation_involved",
            Kind.FLAG,
            "popliteal disease extends into the trifurcation",
        ),
        InputField("fp_severe_calcification", Kind.FLAG, "severe calcification of the FP segment"),
        InputField(
            "ip_target_artery",
            Kind.CHOICE,
            "infrapopliteal artery of the target arterial path",
            choices=tuple(t.value for t in TargetArtery),
        ),
        InputField(
            "ip_disease_length_cm", Kind.NUMBER, "length of ≥50% disease of the target artery, cm"
        ),
        InputField(
            "ip_disease_percent",
            Kind.NUMBER,
            "≥50% disease of the target artery, % of its length",
        ),
        InputField(
            "ip_occlusion_length_cm", Kind.NUMBER, "target artery occlusion length, cm (0 if none)"
        ),
        InputField("ip_occlusion_percent", Kind.NUMBER, "target artery occlusion, % of its length"),
        InputField(
            "target_artery_origin_involved",
            Kind.FLAG,
            "disease involves the origin of the target artery",
        ),
        InputField(
            "tp_trunk_disease",
            Kind.CHOICE,
            "tibioperoneal trunk disease (needed unless the target is the anterior tibial)",
            choices=tuple(t.value for t in TrunkDisease),
        ),
        InputField(
            "ip_severe_calcification", Kind.FLAG, "severe calcification of the target artery"
        ),
        InputField(
            "target_artery_crosses_ankle",
            Kind.FLAG,
            "the target artery crosses the ankle into the foot",
        ),
        InputField("pedal_arch_intact", Kind.FLAG, "the pedal arch is intact"),
    ),
    classify=classify_glass,
    example="--fp-grade 2 --ip-grade 3 --im P1",
)
