"""Recompute an episode's recommendations with the pathway engine from what the registry holds.

The engine's input record is built from the episode (cause), its staging snapshot in force
(`staging.in_force`: the grades in force and the perfusion values staging used), the patient
(diabetes, risk-model values, smoking, walking), the wound measurements (the 4-week area
reduction, `facts.registry`) and current medications, plus the facts only a
clinician can give (usable vein, the two risk estimates, life expectancy…), which are stored per
episode with who and when (`limbsalvage.facts`): facts given with a refresh are recorded first,
then every refresh — the chart's, the API's, the one after findings — uses the facts in force. Each
new or kept recommendation carries the clinician facts it was computed with. What neither supplies
is left out, so the engine lists it as missing — never a default.
"""

from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

import limbsalvage
from limbsalvage.accounts.models import Site
from limbsalvage.accounts.service import site_settings
from limbsalvage.care.scope import visible_episode
from limbsalvage.core.coordination.recommendations import from_engine
from limbsalvage.core.errors import ClassificationError, InvalidInput
from limbsalvage.core.pathway import build_state, recommend
from limbsalvage.core.pathway.model import Threshold
from limbsalvage.core.pathway.state import FIELDS_BY_NAME, ContradictoryInput
from limbsalvage.core.pathway.thresholds import DEFAULT_THRESHOLDS
from limbsalvage.core.tables.medications import DrugClass
from limbsalvage.core.treatment import drug_class
from limbsalvage.core.vocabulary import SmokingStatus
from limbsalvage.db.clock import now
from limbsalvage.errors import FieldProblem, Invalid, invalid
from limbsalvage.facts.models import ClinicianFact
from limbsalvage.facts.registry import Held, registry_held
from limbsalvage.facts.service import facts_in_force, record_facts
from limbsalvage.medications.models import Medication
from limbsalvage.patients.models import Episode, Patient
from limbsalvage.recommendations.service import RecomputeSummary, recompute_recommendations
from limbsalvage.staging.in_force import current_snapshot
from limbsalvage.staging.models import StagingSnapshot

ENGINE_VERSION = f"pathway {limbsalvage.__version__}"
# Snapshot result column (the stage in force) → the engine's input name.
SNAPSHOT_FIELDS = {
    "wifi_wound_grade": "wound_grade",
    "wifi_ischemia_grade": "ischemia_grade",
    "wifi_infection_grade": "infection_grade",
    "iwgdf_grade": "infection_iwgdf",
    "glass_fp_grade": "fp_grade",
    "glass_ip_grade": "ip_grade",
    "glass_im_modifier": "im_modifier",
    "ali_category": "ali_category",
    "ceap_clinical_class": "ceap_class",
    "mess_score": "mess_score",
    "enneking_stage": "enneking_stage",
}
# Measurements the WIfI staging received, which the pathway's IWGDF rules read directly.
PERFUSION_FIELDS = (
    "abi",
    "ankle_pressure_mmhg",
    "toe_pressure_mmhg",
    "tcpo2_mmhg",
    "non_compressible",
    "unsalvageable",
)


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def snapshot_values(snapshot: StagingSnapshot | None) -> dict[str, Any]:
    """The engine inputs a staging snapshot supplies: grades in force, measurements used."""
    if snapshot is None:
        return {}
    values = {
        name: getattr(snapshot, column)
        for column, name in SNAPSHOT_FIELDS.items()
        if getattr(snapshot, column) is not None
    }
    overridden = set(snapshot.overrides or {})
    if "wifi_ischemia_grade" not in overridden:
        # With an overridden ischaemia grade the measurements would contradict it: the
        # clinician's grade is given alone.
        wifi_inputs = (snapshot.inputs or {}).get("systems", {}).get("wifi", {})
        values.update(
            {n: wifi_inputs[n] for n in PERFUSION_FIELDS if wifi_inputs.get(n) is not None}
        )
    wound_grade = values.get("wound_grade")
    if wound_grade is not None:
        # WIfI W1–W3 are ulcers or gangrene (Mills 2014): PREVENT III's tissue loss.
        values["tissue_loss"] = wound_grade >= 1
    return values


def _patient_values(patient: Patient, today: date) -> dict[str, Any]:
    values: dict[str, Any] = {
        "diabetes": patient.diabetes,
        "dialysis": patient.dialysis,
        "coronary_artery_disease": patient.coronary_disease,
        "hematocrit_pct": patient.haematocrit_pct,
        "age_years": _age(patient.birth_date, today),
    }
    if patient.smoking_status is not None:
        values["current_smoker"] = patient.smoking_status is SmokingStatus.CURRENT
    return {name: value for name, value in values.items() if value is not None}


def _medication_values(db: Session, patient_id: int, today: date) -> dict[str, Any]:
    current = db.scalars(
        select(Medication.drug).where(
            Medication.patient_id == patient_id,
            Medication.started_on <= today,
            or_(Medication.stopped_on.is_(None), Medication.stopped_on > today),
        )
    )
    classes = {drug_class(drug) for drug in current}
    # A drug on the list says the patient takes it; an absent one may just be unrecorded, so
    # absence leaves the fact unknown for the engine to ask about.
    values: dict[str, Any] = {}
    if DrugClass.ANTIPLATELET in classes:
        values["on_antiplatelet"] = True
    if DrugClass.STATIN in classes:
        values["on_statin"] = True
    return values


def pathway_record(
    db: Session,
    episode: Episode,
    facts: Mapping[str, Any] | None = None,
    held: Mapping[str, Held] | None = None,
) -> dict[str, Any]:
    """The engine's input for an episode: registry values plus the clinician's `facts`.

    `held` (the recordable facts the registry holds: `facts.registry.registry_held`, read here
    when not given) supplies `ambulatory` and the 4-week wound reduction when it has them.
    """
    patient = db.get_one(Patient, episode.patient_id)
    today = now(db).date()
    snapshot = current_snapshot(db, episode.id)
    held = registry_held(db, episode) if held is None else held
    record: dict[str, Any] = {
        "cause": episode.cause.value,
        **_patient_values(patient, today),
        **{name: item.value for name, item in held.items()},
        **snapshot_values(snapshot),
        **_medication_values(db, patient.id, today),
    }
    for name, value in (facts or {}).items():
        if name in record:
            raise invalid(name, "comes from the registry for this episode; change it there")
        if name not in FIELDS_BY_NAME:
            raise invalid(name, "is not an input of the pathway engine (docs/pathway/input.md)")
        record[name] = value
    return record


def _site_thresholds(db: Session, episode: Episode) -> Mapping[str, Threshold]:
    """The pathway cut-offs of the episode's site (its own values where it sets them)."""
    patient = db.get(Patient, episode.patient_id)
    site = None if patient is None else db.get(Site, patient.site_id)
    return DEFAULT_THRESHOLDS if site is None else site_settings(site).thresholds()


def fact_basis(row: ClinicianFact) -> dict[str, Any]:
    """How a recommendation names a clinician fact it was computed with: value, who, when."""
    return {
        "name": row.name,
        "value": row.value,
        "fact_id": row.id,
        "recorded_by_id": row.recorded_by_id,
        "recorded_at": row.recorded_at.isoformat(),
    }


def with_sources(item: dict[str, Any], held: Mapping[str, Held]) -> dict[str, Any]:
    """An engine recommendation whose rationale also says where each registry-held fact it
    used came from (the wound and dates of a 4-week reduction), as clinician facts say who."""
    used = [name for name in item.get("inputs") or {} if name in held]
    if not used:
        return item
    sources = "; ".join(f"{name} from {held[name].basis}" for name in used)
    return {**item, "rationale": f"{item['rationale']} {sources}."}


def refresh_for_episode(
    *,
    db: Session,
    episode_id: int,
    site_ids: Collection[int] | None,
    facts: Mapping[str, Any] | None = None,
    note: str | None = None,
) -> RecomputeSummary:
    """Run the pathway engine for an episode and store the result without churn.

    `facts` given here are recorded first (with `note`, who and when), then used with the
    other facts in force; a fact the registry now holds itself (the patient's ambulatory status,
    the 4-week wound reduction from the measurements) is left to the registry.
    """
    episode = visible_episode(db, episode_id, site_ids)
    if facts:
        record_facts(db=db, episode_id=episode.id, facts=facts, site_ids=site_ids, note=note)
    held = registry_held(db, episode)
    record = pathway_record(db, episode, held=held)
    stored = facts_in_force(db=db, episode_id=episode.id, site_ids=site_ids)
    used = [row for name, row in stored.items() if name not in record]
    record.update({row.name: row.value for row in used})
    thresholds = _site_thresholds(db, episode)
    try:
        result = recommend(build_state(record), thresholds=thresholds)
    except InvalidInput as error:
        raise invalid(error.field, f"must be {error.allowed}") from error
    except ContradictoryInput as error:
        raise invalid(
            error.field,
            "contradicts what the other findings give; check the staging in force and the "
            "facts in force",
        ) from error
    except ClassificationError as error:  # CannotClassify: names only the missing inputs
        raise Invalid(message=str(error), fields=[FieldProblem("input", str(error))]) from error
    computed = [from_engine(with_sources(r.as_dict(), held)) for r in result.recommendations]
    return recompute_recommendations(
        db=db,
        episode_id=episode.id,
        computed=computed,
        engine_version=ENGINE_VERSION,
        site_ids=site_ids,
        clinician_facts=[fact_basis(row) for row in used],
    )
