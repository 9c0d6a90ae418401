"""The chart's findings forms: which schema fields each shows, how a post is read and stored.

Each form is built from the registry's input schemas (`forms.form_fields`), so the page checks
exactly what the services check. Every part of a form is validated before anything is written,
so one answer names every field at fault; a refusal keeps what was typed.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from limbsalvage.assessments import entry
from limbsalvage.assessments import service as assessments
from limbsalvage.assessments.schemas import (
    AssessmentFields,
    ImagingIn,
    InfectionAssessmentIn,
    PerfusionStudyIn,
)
from limbsalvage.errors import FieldProblem, Invalid
from limbsalvage.web.forms import FormField, form_fields, typed_form, validated
from limbsalvage.wounds.models import Wound
from limbsalvage.wounds.schemas import MeasurementFields, WoundFields

NEW_WOUND = "new"
WOUND_CHOICE = "wound_id"

# Words and units for the schema's field names where the name alone reads poorly.
LABELS = {
    "assessed_on": "assessment date",
    "abi": "ankle-brachial index (ABI)",
    "tbi": "toe-brachial index (TBI)",
    "tcpo2_mmhg": "TcPO2 (mmHg)",
    "skin_perfusion_pressure_mmhg": "skin perfusion pressure, SPP (mmHg)",
    "non_compressible": "non-compressible ankle arteries",
    "pvr_ankle_waveform": "PVR waveform at the ankle",
    "pvr_metatarsal_waveform": "PVR waveform at the metatarsals",
    "dorsalis_pedis_waveform": "dorsalis pedis Doppler waveform",
    "posterior_tibial_waveform": "posterior tibial Doppler waveform",
    "sirs_criteria_count": "SIRS criteria met (0–4)",
    "paco2_mmhg": "PaCO2 (mmHg)",
    "white_cell_count_per_mm3": "white cell count (per mm³)",
    "temperature_c": "temperature (°C)",
    "suspected_active_charcot": "suspected active Charcot foot",
    "fp_grade": "GLASS femoropopliteal grade (0–4)",
    "ip_grade": "GLASS infrapopliteal grade (0–4)",
    "im_modifier": "GLASS inframalleolar modifier",
    "area_cm2": "area (cm²), traced",
    "ulcer": "ulcer (WIfI wound words)",
    "gangrene": "gangrene (WIfI wound words)",
    "label": "new wound: label",
    "location": "new wound: location on the foot",
    "aetiology": "new wound: aetiology",
    "onset_on": "new wound: onset date",
    "measured_on": "measurement date",
    "presentation": "clinical presentation (Rutherford)",
    "unsalvageable": "foot judged unsalvageable",
}
UNITS = (("_mmhg", "mmHg"), ("_cm2", "cm²"), ("_cm", "cm"), ("_bpm", "/min"), ("_per_min", "/min"))


def label_of(name: str) -> str:
    """The field's label in words with its unit."""
    if name in LABELS:
        return LABELS[name]
    for suffix, unit in UNITS:
        if name.endswith(suffix):
            return f"{name.removesuffix(suffix).replace('_', ' ')} ({unit})"
    return name.replace("_", " ")


@dataclass(frozen=True)
class Part:
    """The fields of one schema a form shows."""

    schema: type[BaseModel]
    names: tuple[str, ...]


def _all(schema: type[BaseModel], *skip: str) -> Part:
    return Part(schema, tuple(n for n in schema.model_fields if n not in skip))


ENCOUNTER = Part(AssessmentFields, ("assessed_on",))


@dataclass(frozen=True)
class EntryForm:
    """One findings form of an episode."""

    slug: str
    title: str
    hint: str
    parts: tuple[Part, ...]


FORMS: dict[str, EntryForm] = {
    form.slug: form
    for form in (
        EntryForm(
            "perfusion-study",
            "Perfusion study",
            "Dorsalis pedis and posterior tibial pressures are kept apart; ABI and TBI, when "
            "given with the pressures, must agree with them.",
            (ENCOUNTER, _all(PerfusionStudyIn)),
        ),
        EntryForm(
            "infection-assessment",
            "Infection assessment",
            "IWGDF/IDSA 2023 findings: local signs, erythema extent, deep involvement, SIRS.",
            (ENCOUNTER, _all(InfectionAssessmentIn)),
        ),
        EntryForm(
            "imaging",
            "Imaging (GLASS)",
            "Give the GLASS grades, or the lesion descriptions per segment they come from.",
            (ENCOUNTER, _all(ImagingIn)),
        ),
        EntryForm(
            "wound-measurement",
            "Wound measurement",
            "Choose the wound, or a new wound with its label and location. The area is "
            "computed from length × width (ellipse) when not traced.",
            (_all(WoundFields), _all(MeasurementFields, "assessment_id")),
        ),
        EntryForm(
            "assessment",
            "Clinical picture",
            "The limb's presentation (Rutherford) and whether the foot is salvageable.",
            (_all(AssessmentFields, "assessor_id"),),
        ),
    )
}


@dataclass(frozen=True)
class Entered:
    """A refused or empty form as the template draws it."""

    form: EntryForm
    fields: list[FormField]
    problems: list[FieldProblem]


def wound_choices(wounds: Collection[Wound]) -> tuple[tuple[str, str], ...]:
    """The wound select: each wound of the episode, then a new one."""
    return (
        *((str(w.id), f"{w.label} ({w.location.value.replace('_', ' ')})") for w in wounds),
        (NEW_WOUND, "a new wound (label and location below)"),
    )


def drawn(
    form: EntryForm,
    *,
    typed: Mapping[str, str],
    problems: list[FieldProblem],
    wounds: Collection[Wound] = (),
    today: date | None = None,
) -> Entered:
    """The form's fields with what was typed (a date box starts at today) and the messages."""
    values = dict(typed)
    fields: list[FormField] = []
    if form.slug == "wound-measurement":
        message = "; ".join(p.message for p in problems if p.field == WOUND_CHOICE)
        fields.append(
            FormField(
                WOUND_CHOICE,
                "wound",
                "select",
                True,
                values.get(WOUND_CHOICE, ""),
                message,
                wound_choices(wounds),
            )
        )
    for part in form.parts:
        drawn_part = form_fields(part.schema, values=values, problems=problems, names=part.names)
        fields.extend(replace(f, label=label_of(f.name)) for f in drawn_part)
    if not typed and today is not None:
        fields = [
            replace(f, value=today.isoformat()) if f.name in {"assessed_on", "measured_on"} else f
            for f in fields
        ]
    return Entered(form, fields, problems)


@dataclass(frozen=True)
class Posted:
    """What a post typed (to show again) and the validated parts by schema."""

    typed: dict[str, str]
    parts: dict[type[BaseModel], Any]
    wound_id: int | None = None


def read_post(form: EntryForm, posted: FormData, wound_ids: Collection[int]) -> Posted:
    """Validate every part of the form; Invalid names every field at fault."""
    typed: dict[str, str] = {}
    problems: list[FieldProblem] = []
    parts: dict[type[BaseModel], Any] = {}
    wound_id: int | None = None
    skip: set[type[BaseModel]] = set()
    if form.slug == "wound-measurement":
        wound_id, skip = _wound_choice(posted, typed, problems, wound_ids)
    for part in form.parts:
        part_typed, data = typed_form(part.schema, posted)
        shown = {k: v for k, v in part_typed.items() if k in part.names}
        typed.update(shown)
        if part.schema in skip:
            problems.extend(
                FieldProblem(name, "only for a new wound; choose 'a new wound' or leave it empty")
                for name in shown
            )
            continue
        try:
            parts[part.schema] = validated(
                part.schema, {k: v for k, v in data.items() if k in part.names}
            )
        except Invalid as refused:
            problems.extend(refused.fields)
    if problems:
        summary = "; ".join(f"{p.field}: {p.message}" for p in problems)
        raise Refused(Invalid(message=summary, fields=problems), typed)
    return Posted(typed, parts, wound_id)


def _wound_choice(
    posted: FormData,
    typed: dict[str, str],
    problems: list[FieldProblem],
    wound_ids: Collection[int],
) -> tuple[int | None, set[type[BaseModel]]]:
    raw = posted.get(WOUND_CHOICE)
    choice = raw.strip() if isinstance(raw, str) else ""
    if choice:
        typed[WOUND_CHOICE] = choice
    if choice == NEW_WOUND:
        return None, set()
    if choice.isdigit() and int(choice) in wound_ids:
        return int(choice), {WoundFields}
    problems.append(FieldProblem(WOUND_CHOICE, "choose a wound of this episode or a new wound"))
    return None, {WoundFields}


class Refused(Exception):
    """A refused post: the domain error and what was typed."""

    def __init__(self, error: Invalid, typed: dict[str, str]) -> None:
        super().__init__(error.message)
        self.error = error
        self.typed = typed


@dataclass(frozen=True)
class Stored:
    """What an entry wrote: its date (for restaging) and the trigger words."""

    on: date
    trigger: str


def store(
    db: Session, form: EntryForm, episode_id: int, posted: Posted, site_ids: Collection[int]
) -> Stored:
    """Write the validated form through the registry services (each restages)."""
    if form.slug == "assessment":
        fields = posted.parts[AssessmentFields]
        made = assessments.create_assessment(
            db=db, episode_id=episode_id, assessment_in=fields, site_ids=site_ids
        )
        return Stored(made.assessed_on, f"assessment {made.id} recorded")
    if form.slug == "wound-measurement":
        measurement = entry.record_measurement(
            db=db,
            episode_id=episode_id,
            wound_id=posted.wound_id,
            new_wound=posted.parts.get(WoundFields),
            measurement_in=posted.parts[MeasurementFields],
            site_ids=site_ids,
        )
        return Stored(measurement.measured_on, f"wound measurement {measurement.id} recorded")
    on = posted.parts[AssessmentFields].assessed_on
    finding_schema = form.parts[1].schema
    finding = entry.record_finding(
        db=db,
        episode_id=episode_id,
        on=on,
        finding_in=posted.parts[finding_schema],
        site_ids=site_ids,
    )
    words = form.title.split(" (")[0].lower()
    # Imaging is dated by the study, which may precede the assessment that reviewed it.
    return Stored(getattr(finding, "performed_on", on), f"{words} {int(finding.id)} recorded")
