"""Rows of findings, staging, procedures, events, follow-up and medications for one chunk.

The calibrated timeline (`generator.Cohort`) fixes when a limb is amputated, when its wound
heals and when the patient dies; this module writes the clinical record that tells that story:
the presentation assessment (perfusion study, infection signs) and the wound with serial
measurements, a confirmed staging snapshot, the procedures (revascularisation, debridement,
drainage, minor and major amputation, reintervention), the outcome events (each procedural event
owned by its procedure), follow-up visits and best medical therapy. Every choice not fixed by the
timeline is an assumption (see `limbsalvage.demo.model`).

Rows refer to rows of the same chunk by provisional key (their position in their table's list);
`link` swaps those for the ids the bulk writer reserved.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

from limbsalvage import __version__
from limbsalvage.core.tables.perfusion import WIFI_ISCHEMIA
from limbsalvage.core.tables.wifi import INFECTION_GRADES, STAGE_TABLE, WOUND_GRADES
from limbsalvage.core.vocabulary import EpisodeCause
from limbsalvage.demo import findings
from limbsalvage.demo.generator import CAUSES, NONE, YEAR, Cohort
from limbsalvage.staging.inputs import GLASS_COLUMNS

Row = dict[str, Any]
Draws = npt.NDArray[np.float64]

# Tables in insert order, and the columns holding provisional keys of other chunk tables.
TABLES = (
    "assessments",
    "imaging_studies",
    "perfusion_studies",
    "infection_assessments",
    "wounds",
    "wound_measurements",
    "staging_snapshots",
    "procedures",
    "grafts",
    "treated_segments",
    "outcome_events",
    "follow_ups",
    "medications",
)
LINKS: dict[str, dict[str, str]] = {
    "imaging_studies": {"assessment_id": "assessments"},
    "perfusion_studies": {"assessment_id": "assessments"},
    "infection_assessments": {"assessment_id": "assessments"},
    "wound_measurements": {"wound_id": "wounds", "assessment_id": "assessments"},
    "grafts": {"procedure_id": "procedures"},
    "treated_segments": {"procedure_id": "procedures"},
    "outcome_events": {"procedure_id": "procedures"},
}
TRIGGER = "synthetic demo cohort (limbsalvage demo load)"
_CAUSE = {cause: CAUSES.index(cause) for cause in EpisodeCause}


@dataclass
class ClinicalRows:
    """Rows per table with provisional keys, and each episode's index procedure key."""

    rows: dict[str, list[Row]] = field(default_factory=lambda: {t: [] for t in TABLES})
    index_procedure: dict[int, int] = field(default_factory=dict)
    revascularisation: dict[int, int] = field(default_factory=dict)  # episode → procedure key

    def add(self, table: str, row: Row) -> int:
        """Append a row; its position is the provisional key other rows use."""
        self.rows[table].append(row)
        return len(self.rows[table]) - 1

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        return {table: len(rows) for table, rows in self.rows.items()}


@dataclass(frozen=True)
class Context:
    """What the chunk's rows refer to, by database id."""

    patient_ids: range
    limb_ids: list[int]
    episode_ids: range
    index_dates: list[date]
    clinician_id: int | None
    diabetes: list[bool]
    baseline_ambulation: list[str]


def link(rows: ClinicalRows, ids: dict[str, range]) -> None:
    """Give every row its id and turn provisional keys into ids (in place)."""
    for table in TABLES:
        for row, row_id in zip(rows.rows[table], ids[table], strict=True):
            row["id"] = row_id
        for column, target in LINKS.get(table, {}).items():
            for row in rows.rows[table]:
                key = row[column]
                row[column] = None if key is None else ids[target][key]


@dataclass
class _Episode:
    """One episode's facts, in days from its presentation."""

    index: int
    patient: int
    ids: Row
    limb_id: int
    cause: int
    stage: int
    wound: int
    ischemia: int
    infection: int
    amputation: int
    healed: int
    last: int  # last day anything may be recorded (death, loss, or the as-of date)
    day0: date
    draws: Draws

    def on(self, offset: int) -> date:
        return self.day0 + timedelta(days=offset)

    def before_end(self, day: int) -> bool:
        """Whether `day` is recordable: not after the end and before any major amputation."""
        return day <= self.last and (self.amputation < 0 or day < self.amputation)


def build(cohort: Cohort, rng: np.random.Generator, context: Context) -> ClinicalRows:
    """Every clinical row of the chunk, with provisional keys (see `link`)."""
    out = ClinicalRows()
    m = cohort.episodes
    diabetes = np.array(context.diabetes, dtype=bool)[cohort.patient]
    staged = cohort.stage != NONE
    perfusion = findings.perfusion(
        rng, grade=np.where(staged, cohort.ischemia_grade, 0), diabetes=diabetes
    )
    draws = rng.random((m, 24))
    follow_up = cohort.follow_up_days()
    episodes = []
    for e in range(m):
        episode = _facts(cohort, e, context, draws[e], int(follow_up[e]))
        _findings(out, episode, perfusion, context)
        _procedures(out, episode, context)
        _follow_ups(out, episode, context, rng)
        episodes.append(episode)
    for p in range(cohort.patients):
        _patient_events(out, cohort, p, context, rng)
    # Drawn last, so the imaging leaves every earlier draw (and row) of the chunk as it was.
    imaging_draws = rng.random((m, 3))
    for episode in episodes:
        _imaging(out, episode, context, imaging_draws[episode.index])
    return out


def _facts(cohort: Cohort, e: int, context: Context, draws: Draws, follow_up: int) -> _Episode:
    patient = int(cohort.patient[e])
    start = int(cohort.start_day[e])
    death, lost = int(cohort.death_day[patient]), int(cohort.lost_day[patient])
    end = death if death >= 0 else (lost if lost >= 0 else start + follow_up)
    return _Episode(
        index=e,
        patient=patient,
        ids={"patient_id": context.patient_ids[patient], "episode_id": context.episode_ids[e]},
        limb_id=context.limb_ids[e],
        cause=int(cohort.cause[e]),
        stage=int(cohort.stage[e]),
        wound=int(cohort.wound_grade[e]),
        ischemia=int(cohort.ischemia_grade[e]),
        infection=int(cohort.infection_grade[e]),
        amputation=int(cohort.amputation_day[e]),
        healed=int(cohort.healed_day[e]),
        last=end - start,
        day0=context.index_dates[patient] + timedelta(days=start),
        draws=draws,
    )


# ------------------------------------------------------------------ findings and staging


def _findings(
    out: ClinicalRows, ep: _Episode, perfusion: findings.Perfusion, context: Context
) -> None:
    venous = ep.cause == _CAUSE[EpisodeCause.VENOUS]
    if ep.stage == NONE and not venous:
        return
    assessment = out.add(
        "assessments",
        {
            **ep.ids,
            "assessed_on": ep.day0,
            "assessor_id": context.clinician_id,
            "discipline": "podiatry"
            if ep.cause == _CAUSE[EpisodeCause.DIABETIC_FOOT]
            else ("wound_care" if venous else "vascular_surgery"),
            "presentation": None,
            "unsalvageable": False,
            "notes": None,
        },
    )
    if ep.stage != NONE:
        out.add("perfusion_studies", _perfusion_row(ep, assessment, perfusion))
        signs = findings.infection_signs(ep.infection, ep.draws[2:8])
        out.add("infection_assessments", {**ep.ids, "assessment_id": assessment, **_signs(signs)})
    if ep.wound >= 1 or venous:
        _wound(out, ep, assessment)
    if ep.stage != NONE:
        out.add("staging_snapshots", _snapshot(ep, context))


def _number(values: Any, e: int) -> float | None:
    value = float(values[e])
    return None if math.isnan(value) else value


def _perfusion_row(ep: _Episode, assessment: int, p: findings.Perfusion) -> Row:
    e = ep.index
    return {
        **ep.ids,
        "assessment_id": assessment,
        "brachial_right_mmhg": _number(p.brachial_right_mmhg, e),
        "brachial_left_mmhg": _number(p.brachial_left_mmhg, e),
        "dorsalis_pedis_mmhg": _number(p.dorsalis_pedis_mmhg, e),
        "posterior_tibial_mmhg": _number(p.posterior_tibial_mmhg, e),
        "ankle_pressure_mmhg": None,
        "toe_pressure_mmhg": _number(p.toe_pressure_mmhg, e),
        "abi": _number(p.abi, e),
        "tbi": _number(p.tbi, e),
        "tcpo2_mmhg": _number(p.tcpo2_mmhg, e),
        "skin_perfusion_pressure_mmhg": None,
        "non_compressible": bool(p.non_compressible[e]),
        "dorsalis_pedis_waveform": findings.doppler_waveform(ep.ischemia, float(ep.draws[0])),
        "posterior_tibial_waveform": findings.doppler_waveform(ep.ischemia, float(ep.draws[1])),
        "pvr_ankle_waveform": None,
        "pvr_metatarsal_waveform": None,
        "treadmill_completed": None,
        "post_exercise_ankle_pressure_mmhg": None,
    }


def _signs(signs: findings.InfectionSigns) -> Row:
    return {
        "erythema_extent_cm": signs.erythema_extent_cm,
        "swelling_or_induration": signs.swelling_or_induration,
        "local_tenderness_or_pain": signs.local_tenderness_or_pain,
        "local_warmth": signs.local_warmth,
        "purulent_discharge": signs.purulent_discharge,
        "deep_tissue_involvement": signs.deep_tissue_involvement,
        "temperature_c": signs.temperature_c,
        "heart_rate_bpm": signs.heart_rate_bpm,
        "respiratory_rate_per_min": None,
        "paco2_mmhg": None,
        "white_cell_count_per_mm3": None,
        "band_forms_percent": None,
        "sirs_criteria_count": signs.sirs_criteria_count,
        "osteomyelitis": signs.osteomyelitis,
        "osteomyelitis_basis": signs.osteomyelitis_basis,
        "suspected_active_charcot": False,
        "infection_confirmed_despite_charcot": None,
    }


def _wound(out: ClinicalRows, ep: _Episode, assessment: int) -> None:
    venous = ep.cause == _CAUSE[EpisodeCause.VENOUS]
    grade = 1 if venous else ep.wound
    ulcer, gangrene = ("shallow", "none") if venous else findings.wound_words(grade, ep.draws[8])
    location = "lower_leg" if venous else findings.wound_location(ulcer, gangrene, ep.draws[9])
    aetiology = (
        "venous"
        if venous
        else ("neuroischemic" if ep.ischemia >= 1 else "neuropathic")
        if ep.cause == _CAUSE[EpisodeCause.DIABETIC_FOOT]
        else "ischemic"
    )
    wound = out.add(
        "wounds",
        {
            **ep.ids,
            "limb_id": ep.limb_id,
            "label": "Wound 1",
            "location": location,
            "aetiology": aetiology,
            "onset_on": ep.on(-(14 + int(ep.draws[10] * 100))),
        },
    )
    low, high = findings.AREA_RANGE_CM2[grade]
    area0 = low + (high - low) * float(ep.draws[11])
    depth0 = findings.DEPTH_RANGE_CM[grade][0] + float(ep.draws[12]) * (
        findings.DEPTH_RANGE_CM[grade][1] - findings.DEPTH_RANGE_CM[grade][0]
    )
    ratio = 1.2 + float(ep.draws[13])  # length / width
    interval = 14 + int(ep.draws[14] * 14)
    end = min(ep.last, ep.healed if ep.healed >= 0 else YEAR)
    if ep.amputation >= 0:
        end = min(end, ep.amputation - 1)
    days = list(range(0, max(end, 0) + 1, interval))[:10]
    if ep.healed >= 0 and ep.healed <= ep.last and (not days or days[-1] != ep.healed):
        days.append(ep.healed)
    exposed = _exposed(ulcer, ep.draws)
    for day in days:
        healed_now = ep.healed >= 0 and day >= ep.healed
        if healed_now:
            area = 0.0
        elif ep.healed >= 0:
            area = area0 * (1 - day / ep.healed) ** 1.3
        else:
            area = area0 * (1 + 0.15 * math.sin(day / 20.0))
        # Lengths to 0.1 cm first, then the traced area inside their ellipse (never larger
        # than the rectangle, the wound schema's rule).
        width = 0.0 if healed_now else max(round(math.sqrt(4 * area / (math.pi * ratio)), 1), 0.1)
        length = 0.0 if healed_now else max(round(width * ratio, 1), 0.1)
        area = min(area, math.pi / 4 * length * width)
        out.add(
            "wound_measurements",
            {
                **ep.ids,
                "wound_id": wound,
                "assessment_id": assessment if day == 0 else None,
                "measured_on": ep.on(day),
                "length_cm": length,
                "width_cm": width,
                "depth_cm": 0.0 if healed_now else round(depth0, 1),
                "area_cm2": math.floor(area * 100) / 100,
                "area_method": "measured",
                **(_exposed("none", ep.draws) if healed_now else exposed),
                "ulcer": "none" if healed_now else ulcer,
                "gangrene": "none" if healed_now else gangrene,
            },
        )


def _exposed(ulcer: str, draws: Draws) -> Row:
    """Exposed structures as the WIfI ulcer word implies (the wound schema's rule)."""
    if ulcer in ("none", "shallow", "heel_shallow"):
        return {"exposed_bone": False, "exposed_joint": False, "exposed_tendon": False}
    if ulcer == "exposed_distal_phalanx":
        return {"exposed_bone": True, "exposed_joint": False, "exposed_tendon": False}
    bone = bool(draws[15] < 0.6)
    return {
        "exposed_bone": bone,
        "exposed_joint": False,
        "exposed_tendon": not bone or draws[16] < 0.3,
    }


def _snapshot(ep: _Episode, context: Context) -> Row:
    grades = {
        "wound_grade": ep.wound,
        "ischemia_grade": ep.ischemia,
        "infection_grade": ep.infection,
    }
    tables = (WOUND_GRADES, WIFI_ISCHEMIA, INFECTION_GRADES, STAGE_TABLE)
    # Start of the presentation day: never after the load's clock, even for today's episodes.
    reviewed = datetime.combine(ep.day0, time(0, 0), tzinfo=UTC)
    return {
        **ep.ids,
        "as_of": ep.day0,
        "computed_at": reviewed,
        "engine_version": __version__,
        "table_refs": [t.ref for t in tables],
        "trigger": TRIGGER,
        "previous_id": None,
        "inputs": {"wifi": {**grades, "note": "from the presentation findings of this episode"}},
        "results": {
            "wifi": {
                "system": "wifi",
                "clinical_stage": ep.stage,
                **grades,
                "source": STAGE_TABLE.cite(),
            }
        },
        "stale": [],
        "missing": [],
        "status": "confirmed",
        "reviewed_by_id": context.clinician_id,
        "reviewed_at": reviewed,
        "override_reason": None,
        "overrides": None,
        "wifi_wound_grade": ep.wound,
        "wifi_ischemia_grade": ep.ischemia,
        "wifi_infection_grade": ep.infection,
        "wifi_stage": ep.stage,
        "iwgdf_grade": ep.infection + 1,
        "glass_fp_grade": None,
        "glass_ip_grade": None,
        "glass_stage": None,
        "glass_im_modifier": None,
        "rutherford_category": None,
        "ali_category": None,
        "ceap_clinical_class": None,
        "mess_score": None,
        "enneking_stage": None,
        "msts_percent": None,
    }


# ------------------------------------------------------------------ procedures and events

_AMPUTATION_LEVELS_MAJOR = (
    ("below_knee", 0.6),
    ("above_knee", 0.35),
    ("knee_disarticulation", 0.05),
)
_AMPUTATION_LEVELS_MINOR = (("toe", 0.55), ("ray", 0.3), ("transmetatarsal", 0.15))
_CONDUITS = (
    ("great_saphenous_vein", 0.7),
    ("prosthetic", 0.15),
    ("arm_vein", 0.05),
    ("spliced_vein", 0.05),
    ("small_saphenous_vein", 0.05),
)
_BYPASS_TARGETS = (
    ("popliteal", 0.4),
    ("anterior_tibial", 0.15),
    ("posterior_tibial", 0.2),
    ("peroneal", 0.15),
    ("dorsalis_pedis", 0.1),
)
_ENDO_SEGMENTS = (
    ("superficial_femoral", 0.4),
    ("popliteal", 0.15),
    ("anterior_tibial", 0.15),
    ("posterior_tibial", 0.15),
    ("peroneal", 0.1),
    ("tibioperoneal_trunk", 0.05),
)


def _pick(options: tuple[tuple[str, float], ...], draw: float) -> str:
    cumulative = 0.0
    for value, share in options:
        cumulative += share
        if draw < cumulative:
            return value
    return options[-1][0]


def _procedure(ep: _Episode, day: int, kind: str, context: Context, **values: Any) -> Row:
    return {
        **ep.ids,
        "limb_id": ep.limb_id,
        "performed_on": ep.on(day),
        "kind": kind,
        "drug_eluting": values.get("drug_eluting"),
        "conduit": values.get("conduit"),
        "amputation_level": values.get("amputation_level"),
        "technical_success": values.get("technical_success", True),
        "operator_id": context.clinician_id,
        "complications": None,
    }


def _event(ep: _Episode | None, ids: Row, kind: str, on: date, **values: Any) -> Row:
    return {
        "patient_id": ids["patient_id"],
        "limb_id": ep.limb_id if ep is not None else None,
        "episode_id": ids.get("episode_id"),
        "kind": kind,
        "occurred_on": on,
        "amputation_level": values.get("amputation_level"),
        "death_cause": values.get("death_cause"),
        "description": None,
        "procedure_id": values.get("procedure_id"),
        "graft_id": None,
        "treated_segment_id": None,
    }


def _procedures(out: ClinicalRows, ep: _Episode, context: Context) -> None:
    keys: list[int] = []

    def add(day: int, kind: str, **values: Any) -> int | None:
        if not ep.before_end(day):
            return None
        key = out.add("procedures", _procedure(ep, day, kind, context, **values))
        keys.append(key)
        return key

    revascularised = _index_revascularisation(out, ep, add)
    if revascularised is not None:
        out.revascularisation[ep.index] = revascularised
    _cause_procedures(ep, add)
    _foot_procedures(out, ep, add)
    d = ep.draws
    if revascularised is not None and d[23] < 0.15:
        day = 60 + int(d[23] / 0.15 * 300)
        key = add(day, "angioplasty", drug_eluting=True)
        if key is not None:
            event = _event(ep, ep.ids, "reintervention", ep.on(day), procedure_id=key)
            out.add("outcome_events", event)
    if 0 <= ep.amputation <= ep.last:
        level = _pick(_AMPUTATION_LEVELS_MAJOR, float(d[16]))
        values = {"amputation_level": level, "technical_success": None}
        key = out.add("procedures", _procedure(ep, ep.amputation, "amputation", context, **values))
        keys.append(key)
        event = _event(
            ep,
            ep.ids,
            "major_amputation",
            ep.on(ep.amputation),
            procedure_id=key,
            amputation_level=level,
        )
        out.add("outcome_events", event)
    if ep.healed >= 0:
        out.add("outcome_events", _event(ep, ep.ids, "wound_healed", ep.on(ep.healed)))
    if keys:
        out.index_procedure[ep.index] = revascularised if revascularised is not None else keys[0]


def _index_revascularisation(
    out: ClinicalRows, ep: _Episode, add: Callable[..., int | None]
) -> int | None:
    d = ep.draws
    primary_amputation = 0 <= ep.amputation <= 7
    if ep.stage == NONE or primary_amputation:
        return None
    if ep.ischemia >= 2 or (ep.ischemia == 1 and d[17] < 0.3):
        return _revascularise(out, ep, add, int(d[18] * 14), d)
    return None


def _cause_procedures(ep: _Episode, add: Callable[..., int | None]) -> None:
    d = ep.draws
    if ep.cause == _CAUSE[EpisodeCause.ACUTE_LIMB_ISCHEMIA]:
        add(0, "thrombectomy" if d[17] < 0.6 else "thrombolysis")
        if d[18] < 0.15:
            add(1, "fasciotomy")
    elif ep.cause == _CAUSE[EpisodeCause.VENOUS] and d[17] < 0.5:
        add(7 + int(d[18] * 21), "venous_ablation")
    elif ep.cause == _CAUSE[EpisodeCause.TRAUMA]:
        add(0, "debridement")
        if d[18] < 0.2:
            add(0, "fasciotomy")
    elif ep.cause == _CAUSE[EpisodeCause.TUMOUR]:
        day = 14 + int(d[18] * 30)
        add(day, "tumour_resection")
        if d[19] < 0.6:
            add(day, "endoprosthesis")


def _foot_procedures(out: ClinicalRows, ep: _Episode, add: Callable[..., int | None]) -> None:
    if ep.stage == NONE:
        return
    d = ep.draws
    if ep.infection >= 2 and d[19] < 0.6:
        add(int(d[20] * 3), "incision_drainage")
    if ep.wound >= 2 and d[20] < 0.7:
        add(int(d[21] * 21), "debridement")
    if ep.wound >= 2 and d[21] < (0.35 if ep.wound == 3 else 0.12):
        level = _pick(_AMPUTATION_LEVELS_MINOR, float(d[22]))
        day = 3 + int(d[22] * 50)
        key = add(day, "amputation", amputation_level=level, technical_success=None)
        if key is not None:
            event = _event(
                ep, ep.ids, "minor_amputation", ep.on(day), procedure_id=key, amputation_level=level
            )
            out.add("outcome_events", event)


def _revascularise(
    out: ClinicalRows, ep: _Episode, add: Callable[..., int | None], day: int, d: Draws
) -> int | None:
    choice = float(d[19])
    success = bool(d[21] < 0.9)
    if choice < 0.5:
        key = add(day, "angioplasty", drug_eluting=bool(d[20] < 0.3), technical_success=success)
    elif choice < 0.65:
        key = add(day, "stent", drug_eluting=bool(d[20] < 0.5), technical_success=success)
    elif choice < 0.95:
        conduit = _pick(_CONDUITS, float(d[20]))
        key = add(day, "bypass", conduit=conduit, technical_success=bool(d[21] < 0.98))
        if key is not None:
            graft = {
                "patient_id": ep.ids["patient_id"],
                "procedure_id": key,
                "inflow_segment": "common_femoral",
                "outflow_segment": _pick(_BYPASS_TARGETS, float(d[22])),
            }
            out.add("grafts", graft)
        return key
    else:
        key = add(day, "endarterectomy")
        if key is not None:
            out.add("treated_segments", _segment(ep, key, "common_femoral", d))
        return key
    if key is not None:
        out.add("treated_segments", _segment(ep, key, _pick(_ENDO_SEGMENTS, float(d[22])), d))
    return key


def _segment(ep: _Episode, procedure: int, segment: str, d: Draws) -> Row:
    return {
        "patient_id": ep.ids["patient_id"],
        "procedure_id": procedure,
        "segment": segment,
        "lesion": "occlusion" if d[15] < 0.5 else "stenosis",
        "lesion_length_cm": round(2 + 18 * float(d[14]), 1),
        "residual_stenosis_pct": round(30 * float(d[13])),
        "graft_id": None,
        "retreats_segment_id": None,
    }


# ------------------------------------------------------------------ imaging

# Arterial imaging (assumptions, shares informed by Vemulapalli S, et al. Peripheral arterial
# testing before lower extremity amputation among Medicare beneficiaries, 2000 to 2010. Circ
# Cardiovasc Qual Outcomes 2014;7:142-50, doi:10.1161/CIRCOUTCOMES.113.000376: 68.4% of
# amputees had some arterial test within 12 months; invasive angiography 31.1%, duplex 38.7%,
# CT angiography 6.7%, MR angiography 5.6%). A specialist program images more: every
# revascularisation is planned on an image, and half the limbs amputated without one had
# angiography first.
_DSA, _CTA, _MRA, _DUPLEX = (
    "digital_subtraction_angiography",
    "ct_angiography",
    "mr_angiography",
    "duplex_ultrasound",
)
_BEFORE_ENDOVASCULAR = ((_DSA, 0.5), (_CTA, 0.3), (_DUPLEX, 0.15), (_MRA, 0.05))
_BEFORE_BYPASS = ((_CTA, 0.45), (_DSA, 0.35), (_MRA, 0.1), (_DUPLEX, 0.1))
_ANGIOGRAPHY = ((_DSA, 0.72), (_CTA, 0.15), (_MRA, 0.13))  # Vemulapalli's mix of the three
_AMPUTATION_ANGIOGRAPHY_SHARE = 0.5
_AMPUTATION_DUPLEX_ONLY_SHARE = 0.2
_ACUTE_CTA_SHARE = 0.7
_PRESENTATION_DUPLEX_SHARE = 0.5  # ischaemic limbs neither revascularised nor amputated


def _imaging(out: ClinicalRows, ep: _Episode, context: Context, d: Draws) -> None:
    """At most one arterial imaging study per episode, on a day its timeline allows."""
    planned = _planned_imaging(out, ep, d)
    if planned is None:
        return
    day, modality, why = planned
    if day > ep.last or (ep.amputation >= 0 and day > ep.amputation):
        return  # not yet done by the as-of date (the worklist's "awaiting imaging")
    assessment = out.add(
        "assessments",
        {
            **ep.ids,
            "assessed_on": ep.on(day),
            "assessor_id": context.clinician_id,
            "discipline": "interventional_radiology" if modality == _DSA else "vascular_surgery",
            "presentation": None,
            "unsalvageable": False,
            "notes": None,
        },
    )
    out.add("imaging_studies", _imaging_row(ep, assessment, day, modality, why))


def _planned_imaging(out: ClinicalRows, ep: _Episode, d: Draws) -> tuple[int, str, str] | None:
    """The study's day, modality and reason, or None when the limb is not imaged."""
    revascularisation = out.revascularisation.get(ep.index)
    if revascularisation is not None:
        return _before_revascularisation(out.rows["procedures"][revascularisation], ep, d)
    if ep.cause == _CAUSE[EpisodeCause.ACUTE_LIMB_ISCHEMIA]:
        # On arrival: CT angiography, or the angiogram that opens catheter-directed thrombolysis.
        return 0, _CTA if d[0] < _ACUTE_CTA_SHARE else _DSA, "acute limb ischaemia on arrival"
    if ep.amputation >= 0:
        return _before_amputation(ep, d)
    if ep.stage != NONE and ep.ischemia >= 1 and d[2] < _PRESENTATION_DUPLEX_SHARE:
        return int(float(d[1]) * 15), _DUPLEX, "ischaemia at presentation"
    return None


def _before_revascularisation(procedure: Row, ep: _Episode, d: Draws) -> tuple[int, str, str]:
    day = (procedure["performed_on"] - ep.day0).days
    bypass = procedure["kind"] == "bypass"
    modality = _pick(_BEFORE_BYPASS if bypass else _BEFORE_ENDOVASCULAR, float(d[0]))
    if modality == _DSA and not bypass:
        return day, modality, "before revascularisation (diagnostic run of the procedure)"
    return int(float(d[1]) * (day + 1)), modality, "before revascularisation"


def _before_amputation(ep: _Episode, d: Draws) -> tuple[int, str, str] | None:
    day = max(0, ep.amputation - 1 - int(float(d[1]) * 14))
    if d[2] < _AMPUTATION_ANGIOGRAPHY_SHARE:
        return day, _pick(_ANGIOGRAPHY, float(d[0])), "before major amputation"
    if d[2] < _AMPUTATION_ANGIOGRAPHY_SHARE + _AMPUTATION_DUPLEX_ONLY_SHARE:
        return day, _DUPLEX, "before major amputation"
    return None


def _imaging_row(ep: _Episode, assessment: int, day: int, modality: str, why: str) -> Row:
    return {
        "patient_id": ep.ids["patient_id"],
        "assessment_id": assessment,
        "modality": modality,
        "performed_on": ep.on(day),
        # The GLASS inputs are left empty: the demo stages WIfI only.
        **dict.fromkeys(GLASS_COLUMNS),
        "report_summary": f"Synthetic demo study: {why}.",
    }


# ------------------------------------------------------------------ follow-up and medications

_VISITS = (30, 90, 180, 365)
_CONTACTS = (("clinic_visit", 0.75), ("telephone", 0.2), ("records_review", 0.05))


def _follow_ups(
    out: ClinicalRows, ep: _Episode, context: Context, rng: np.random.Generator
) -> None:
    baseline = context.baseline_ambulation[ep.patient]
    for visit in _VISITS:
        day = visit + int(rng.integers(-7, 8))
        if day > ep.last or rng.random() >= 0.85:
            continue
        contact = _pick(_CONTACTS, float(rng.random()))
        amputated = 0 <= ep.amputation <= day
        answers: list[int | None] = [None] * 6
        if contact == "clinic_visit" and rng.random() < 0.8:
            centre = 2.0 if amputated else 2.8
            answers = [int(np.clip(round(rng.normal(centre, 0.8)), 1, 4)) for _ in range(6)]
        out.add(
            "follow_ups",
            {
                **ep.ids,
                "seen_on": ep.on(day),
                "contact": contact,
                "ambulatory_status": "wheelchair" if amputated else baseline,
                **{f"vascuqol6_q{n}": answers[n - 1] for n in range(1, 7)},
            },
        )


_DEATH_CAUSES = (("cardiovascular", 0.55), ("non_cardiovascular", 0.35), ("undetermined", 0.1))


def _patient_events(
    out: ClinicalRows, cohort: Cohort, p: int, context: Context, rng: np.random.Generator
) -> None:
    index_date = context.index_dates[p]
    ids = {"patient_id": context.patient_ids[p], "episode_id": context.episode_ids[p]}
    death = int(cohort.death_day[p])
    lost = int(cohort.lost_day[p])
    end = death if death >= 0 else (lost if lost >= 0 else int(cohort.days_before_as_of[p]))
    if death >= 0:
        cause = _pick(_DEATH_CAUSES, float(rng.random()))
        on = index_date + timedelta(days=death)
        patient_only = {"patient_id": ids["patient_id"]}
        out.add("outcome_events", _event(None, patient_only, "death", on, death_cause=cause))
    for kind, share in (("readmission", 0.25), ("myocardial_infarction", 0.03), ("stroke", 0.02)):
        day = int(rng.integers(5, YEAR))
        if rng.random() < share and day <= end:
            out.add("outcome_events", _event(None, ids, kind, index_date + timedelta(days=day)))
    # Best medical therapy from the index presentation (assumption: typical prescribing).
    stop = index_date + timedelta(days=death) if death >= 0 else None
    for drug, dose, share in (
        ("aspirin", 81.0, 0.75),
        ("clopidogrel", 75.0, 0.3),
        ("atorvastatin", 80.0 if rng.random() < 0.6 else 40.0, 0.55),
        ("rosuvastatin", 20.0, 0.2),
        ("apixaban", 10.0, 0.1),
    ):
        if rng.random() < share:
            medication = {
                **ids,
                "drug": drug,
                "daily_dose_mg": dose,
                "started_on": index_date,
                "stopped_on": stop,
                "stop_reason": "death" if stop else None,
            }
            out.add("medications", medication)
