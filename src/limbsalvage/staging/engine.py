"""Run the classification engine on the findings staging gathered.

Each system receives its inputs under the engine's own names; what a system cannot classify
(missing or conflicting inputs) is kept as its result with the engine's message, never guessed.
"""

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from limbsalvage.core.errors import CannotClassify, ClassificationError
from limbsalvage.core.registry import SYSTEMS
from limbsalvage.core.result import Classification
from limbsalvage.core.vocabulary import EpisodeCause, PvrWaveform
from limbsalvage.core.wifi import INFECTION_SIGNS, classify_wifi
from limbsalvage.staging import foot_ulcer
from limbsalvage.staging.inputs import GLASS_COLUMNS, MSTS_COLUMNS, Gathered, plain

# Result column of the snapshot ← (system, result field).
COLUMNS: dict[str, tuple[str, str]] = {
    "wifi_wound_grade": ("wifi", "wound_grade"),
    "wifi_ischemia_grade": ("wifi", "ischemia_grade"),
    "wifi_infection_grade": ("wifi", "infection_grade"),
    "wifi_stage": ("wifi", "clinical_stage"),
    "iwgdf_grade": ("iwgdf", "iwgdf_grade"),
    "glass_fp_grade": ("glass", "fp_grade"),
    "glass_ip_grade": ("glass", "ip_grade"),
    "glass_stage": ("glass", "stage"),
    "glass_im_modifier": ("glass", "im_modifier"),
    "rutherford_category": ("rutherford", "category"),
    "ali_category": ("ali", "category"),
    "ceap_clinical_class": ("ceap", "clinical_class"),
    "mess_score": ("mess", "score"),
    "enneking_stage": ("enneking", "stage"),
    "msts_percent": ("msts", "percent"),
}
WIFI_CAUSES = frozenset({EpisodeCause.CLTI, EpisodeCause.DIABETIC_FOOT})
# IWGDF/IDSA 2023: grade 1 is uninfected, grades 2–4 infected (mild, moderate, severe).
INFECTED_FROM_IWGDF_GRADE = 2
_FLAT_PVR = frozenset({PvrWaveform.FLAT, PvrWaveform.BARELY_PULSATILE})


@dataclass
class Staged:
    """Per system: its inputs and its result (as_dict) or why it could not be staged."""

    inputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    results: dict[str, dict[str, Any]] = field(default_factory=dict)

    def table_refs(self) -> list[str]:
        """Every table the results used, `table_id@version`, sorted."""
        refs = {t["ref"] for r in self.results.values() for t in r.get("tables", [])}
        return sorted(refs)


def _jsonable(data: Mapping[str, Any]) -> dict[str, Any]:
    # Result dicts hold codes (str enums), tuples and dates; store plain JSON.
    text = json.dumps(data, default=plain, sort_keys=True)
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _run(
    staged: Staged,
    system: str,
    arguments: dict[str, Any],
    classify: Callable[..., Classification] | None = None,
) -> Classification | None:
    given = {k: plain(v) for k, v in arguments.items() if v is not None}
    staged.inputs[system] = _jsonable(given)
    spec = SYSTEMS[system]
    try:
        missing = [name for name in spec.required_fields if name not in given]
        if missing:
            raise CannotClassify(system, missing=missing)
        result = (classify or spec.classify)(**given)
    except ClassificationError as reason:
        error: dict[str, Any] = {"system": system, "error": str(reason)}
        if isinstance(reason, CannotClassify):
            error["missing"] = list(reason.missing)
            error["conflicts"] = list(reason.conflicts)
        staged.results[system] = error
        return None
    staged.results[system] = _jsonable(result.as_dict())
    return result


def _values(gathered: Gathered, source: str) -> dict[str, Any]:
    use = gathered.used.get(source)
    return dict(use.values) if use is not None else {}


def stage(
    gathered: Gathered, *, cause: EpisodeCause, diabetes: bool | None, birth_date: date
) -> Staged:
    """Run every system whose findings are present (and WIfI for ischaemic and diabetic feet)."""
    staged = Staged()
    perfusion_values = _values(gathered, "perfusion_study")
    perfusion = None
    if perfusion_values:
        perfusion = _run(
            staged,
            "perfusion",
            {
                **{
                    k: perfusion_values[k]
                    for k in (
                        "brachial_right_mmhg",
                        "brachial_left_mmhg",
                        "dorsalis_pedis_mmhg",
                        "posterior_tibial_mmhg",
                        "ankle_pressure_mmhg",
                        "toe_pressure_mmhg",
                        "tcpo2_mmhg",
                        "abi",
                        "non_compressible",
                    )
                },
                "diabetes": diabetes,
            },
        )
    infection = _values(gathered, "infection_assessment")
    iwgdf = None
    if infection:
        iwgdf = _run(staged, "iwgdf", {k: infection.get(k) for k in INFECTION_SIGNS})
    if cause in WIFI_CAUSES or gathered.wounds:
        _stage_wifi(
            staged,
            gathered,
            perfusion_values=perfusion_values,
            perfusion=perfusion,
            infection=infection,
            diabetes=diabetes,
        )
    if gathered.wounds:
        _stage_ulcer_systems(staged, gathered, infection=infection, iwgdf=iwgdf)
    imaging = _values(gathered, "imaging")
    if imaging:
        _run(staged, "glass", {k: imaging[k] for k in GLASS_COLUMNS})
    presentation = _values(gathered, "presentation")
    if presentation:
        _stage_rutherford(staged, presentation, perfusion_values, perfusion)
    acute = _values(gathered, "acute_ischemia_assessment")
    if acute:
        _run(staged, "ali", acute)
    venous = _values(gathered, "venous_study")
    if venous:
        signs = venous["clinical_signs"]
        _run(
            staged,
            "ceap",
            {
                "clinical_signs": signs.split(";") if signs else None,
                "symptomatic": venous["symptomatic"],
            },
        )
    trauma = gathered.used.get("trauma_assessment")
    if trauma is not None:
        age = _age(birth_date, trauma.on)
        _run(staged, "mess", {**trauma.values, "age_years": age})
    tumour = _values(gathered, "tumour_assessment")
    if tumour:
        _run(
            staged,
            "enneking",
            {
                "grade": tumour["tumour_grade"],
                "site": tumour["tumour_site"],
                "metastasis": tumour["metastasis"],
            },
        )
    msts = _values(gathered, "msts")
    if msts:
        _run(staged, "msts", {k: msts[k] for k in MSTS_COLUMNS})
    return staged


def _stage_ulcer_systems(
    staged: Staged,
    gathered: Gathered,
    *,
    infection: dict[str, Any],
    iwgdf: Classification | None,
) -> None:
    """Wagner, Texas and SINBAD from the one wound in use (staging/foot_ulcer.py)."""
    if len(gathered.wounds) > 1:
        labels = ", ".join(w.label or str(w.id) for w in gathered.wounds)
        for system in foot_ulcer.ULCER_SYSTEMS:
            staged.results[system] = {
                "system": system,
                "error": (
                    f"cannot classify {system}: it grades one ulcer and the episode has "
                    f"{len(gathered.wounds)} wounds in use ({labels}); classify each on its own"
                ),
                "missing": [],
                "conflicts": ["several wounds"],
            }
        return
    wound = gathered.wounds[0].values
    grade = iwgdf.as_dict().get("iwgdf_grade") if iwgdf is not None else None
    infected = grade >= INFECTED_FROM_IWGDF_GRADE if isinstance(grade, int) else None
    _run(staged, "wagner", foot_ulcer.wagner_inputs(wound, infection))
    _run(staged, "texas", foot_ulcer.texas_inputs(wound, infected))
    _run(staged, "sinbad", foot_ulcer.sinbad_inputs(wound, infected))


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _stage_wifi(
    staged: Staged,
    gathered: Gathered,
    *,
    perfusion_values: dict[str, Any],
    perfusion: Classification | None,
    infection: dict[str, Any],
    diabetes: bool | None,
) -> None:
    arguments: dict[str, Any] = {}
    if gathered.wounds:
        arguments["ulcer"] = [plain(w.values["ulcer"]) for w in gathered.wounds]
        arguments["gangrene"] = [plain(w.values["gangrene"]) for w in gathered.wounds]
        arguments["wound_label"] = [w.label for w in gathered.wounds]
    if perfusion_values:
        # The perfusion result reconciles DP/PT and brachials into ABI and ankle pressure.
        computed = perfusion.as_dict() if perfusion is not None else {}
        arguments.update(
            abi=computed.get("abi", perfusion_values["abi"]),
            ankle_pressure_mmhg=computed.get(
                "ankle_pressure_mmhg", perfusion_values["ankle_pressure_mmhg"]
            ),
            toe_pressure_mmhg=perfusion_values["toe_pressure_mmhg"],
            tcpo2_mmhg=perfusion_values["tcpo2_mmhg"],
            non_compressible=perfusion_values["non_compressible"],
            diabetes=diabetes,
        )
    arguments.update({k: infection.get(k) for k in INFECTION_SIGNS})
    arguments["unsalvageable"] = _values(gathered, "unsalvageable").get("unsalvageable")
    _run(staged, "wifi", arguments, classify_wifi)


def _stage_rutherford(
    staged: Staged,
    presentation: dict[str, Any],
    perfusion_values: dict[str, Any],
    perfusion: Classification | None,
) -> None:
    arguments: dict[str, Any] = {"presentation": presentation["presentation"]}
    if perfusion_values:
        computed = perfusion.as_dict() if perfusion is not None else {}
        waveforms = [
            perfusion_values[k]
            for k in ("pvr_ankle_waveform", "pvr_metatarsal_waveform")
            if perfusion_values[k] is not None
        ]
        arguments.update(
            treadmill_completed=perfusion_values["treadmill_completed"],
            post_exercise_ankle_pressure_mmhg=perfusion_values["post_exercise_ankle_pressure_mmhg"],
            resting_ankle_pressure_mmhg=computed.get(
                "ankle_pressure_mmhg", perfusion_values["ankle_pressure_mmhg"]
            ),
            toe_pressure_mmhg=perfusion_values["toe_pressure_mmhg"],
            # Rutherford's sign: an ankle or metatarsal PVR flat or barely pulsatile.
            pvr_flat_or_barely_pulsatile=(
                any(w in _FLAT_PVR for w in waveforms) if waveforms else None
            ),
        )
    _run(staged, "rutherford", arguments)
