"""The limb state: grades given or derived by the classification engine; contradictions refused.

Derivations reuse the engine's own cited tables: WIfI ischaemia grade from perfusion (Mills 2014),
fI = IWGDF/IDSA grade − 1 (Mills 2014 / Senneville 2023), the WIfI stage table, the GLASS matrix
(Conte 2019), the ALI categories (Rutherford 1997), CEAP 2020 and MESS (Johansen 1990); GVG 6.4/6.5
for patient risk.
"""

import pytest

from limbsalvage.core.errors import CannotClassify, ClassificationError, InvalidInput
from limbsalvage.core.pathway.state import (
    FACTS,
    INPUT_FIELDS,
    ContradictoryInput,
    build_state,
    parse_record,
)
from limbsalvage.core.vocabulary import EpisodeCause

CLTI = {"cause": "clti"}


def test_input_fields_reuse_the_classification_names() -> None:
    names = {f.name for f in INPUT_FIELDS}
    for name in ("wound_grade", "ischemia_grade", "infection_grade", "fp_grade", "ip_grade",
                 "im_modifier", "abi", "toe_pressure_mmhg", "cause", "diabetes",
                 "perioperative_mortality_pct", "two_year_survival_pct", "ambulatory",
                 "usable_gsv", "ali_category", "ceap_class", "wound_area_reduction_4wk_pct",
                 "infection_iwgdf", "sensory_loss", "clinical_signs", "limb_ischemia_points",
                 "erythema_extent_cm", "hematocrit_pct"):  # fmt: skip
        assert name in names
    assert len(names) == len(INPUT_FIELDS)
    assert "cause" in FACTS
    assert "prevent3" not in FACTS


def test_grades_given_directly() -> None:
    state = build_state({**CLTI, "wound_grade": 2, "ischemia_grade": 3, "infection_grade": 1})
    assert state.cause is EpisodeCause.CLTI
    assert (state.wifi_stage, state.notes["wifi_stage"]) == (4, "the stage of W2I3fI1")


def test_ischemia_derived_from_toe_pressure_and_checked_against_given() -> None:
    state = build_state({**CLTI, "toe_pressure_mmhg": 35, "diabetes": True})
    assert state.ischemia_grade == 2
    assert "toe_pressure_mmhg 35" in state.notes["ischemia_grade"]
    agreeing = build_state({**CLTI, "toe_pressure_mmhg": 35, "ischemia_grade": 2})
    assert agreeing.notes["ischemia_grade"].startswith("given; agrees with")
    with pytest.raises(ContradictoryInput) as raised:
        build_state({**CLTI, "toe_pressure_mmhg": 35, "ischemia_grade": 0})
    assert raised.value.field == "ischemia_grade"
    assert "ischemia_grade: 0 contradicts" in str(raised.value)


def test_unreliable_ankle_pressure_leaves_ischemia_unknown_with_what_would_decide_it() -> None:
    state = build_state({**CLTI, "abi": 1.5, "wound_grade": 1, "infection_grade": 0})
    assert state.ischemia_grade is None
    assert state.inputs_for("ischemia_grade") == ("toe_pressure_mmhg or tcpo2_mmhg",)
    assert state.inputs_for("wifi_stage") == ("toe_pressure_mmhg or tcpo2_mmhg",)
    given = build_state({**CLTI, "abi": 1.5, "ischemia_grade": 1})
    assert given.ischemia_grade == 1


def test_infection_from_iwgdf_grade_and_from_signs() -> None:
    assert build_state({**CLTI, "infection_iwgdf": 3}).infection_grade == 2
    with pytest.raises(ContradictoryInput, match="infection_grade: 0 contradicts"):
        build_state({**CLTI, "infection_iwgdf": 3, "infection_grade": 0})
    signs = {**CLTI, "erythema_extent_cm": 3.0, "osteomyelitis": False,
             "suspected_active_charcot": False, "swelling_or_induration": True,
             "local_warmth": True, "sirs_criteria_count": 0}  # fmt: skip
    state = build_state(signs)
    assert (state.infection_iwgdf, state.infection_grade) == (3, 2)
    with pytest.raises(ContradictoryInput, match="infection_iwgdf: 2 contradicts"):
        build_state({**signs, "infection_iwgdf": 2})


def test_infection_signs_incomplete_or_charcot_unresolved() -> None:
    with pytest.raises(CannotClassify, match="missing"):
        build_state({**CLTI, "local_warmth": True})
    charcot = build_state({**CLTI, "erythema_extent_cm": 3.0, "osteomyelitis": False,
                           "suspected_active_charcot": True, "local_warmth": True,
                           "swelling_or_induration": True})  # fmt: skip
    assert charcot.infection_grade is None
    assert charcot.inputs_for("infection_grade") == ("infection_confirmed_despite_charcot",)
    assert charcot.suspected_active_charcot is True


def test_wifi_stage_given_must_match_the_grades() -> None:
    with pytest.raises(ContradictoryInput) as raised:
        build_state({**CLTI, "wound_grade": 2, "ischemia_grade": 3, "infection_grade": 1,
                     "wifi_stage": 3})  # fmt: skip
    message = str(raised.value)
    assert message.startswith("wifi_stage: 3 contradicts the stage of W2I3fI1 (4)")
    assert "expected the stage of the grades (4) or no wifi_stage" in message
    assert build_state({**CLTI, "wifi_stage": 3}).wifi_stage == 3
    partial = build_state({**CLTI, "wound_grade": 2})
    assert partial.wifi_stage is None
    assert partial.inputs_for("wifi_stage") == ("ischemia_grade", "infection_grade")


def test_unsalvageable_is_stage_5() -> None:
    state = build_state({**CLTI, "wound_grade": 3, "ischemia_grade": 3, "infection_grade": 2,
                         "unsalvageable": True})  # fmt: skip
    assert state.wifi_stage == 5
    assert "unsalvageable" in state.notes["wifi_stage"]


def test_glass_from_grades_lesions_and_partial() -> None:
    state = build_state({**CLTI, "fp_grade": 2, "ip_grade": 3, "im_modifier": "P1"})
    assert (state.glass_stage, state.im_modifier) == ("II", "P1")
    with pytest.raises(ContradictoryInput, match="glass_stage: 'III' contradicts"):
        build_state({**CLTI, "fp_grade": 2, "ip_grade": 3, "glass_stage": "III"})
    partial = build_state({**CLTI, "fp_grade": 2})
    assert partial.glass_stage is None
    assert partial.inputs_for("glass_stage") == ("ip_grade (or the IP lesion description)",)
    assert build_state({**CLTI, "fp_grade": 2, "glass_stage": "II"}).glass_stage == "II"
    none = build_state({**CLTI, "fp_grade": 0, "ip_grade": 0})
    assert none.glass_stage is None


def test_ali_ceap_and_mess_derived_and_checked() -> None:
    ali = {"cause": "acute_limb_ischemia", "sensory_loss": "beyond_toes_with_rest_pain",
           "muscle_weakness": "mild_moderate", "arterial_doppler_audible": False,
           "venous_doppler_audible": True}  # fmt: skip
    assert build_state(ali).ali_category == "IIb"
    with pytest.raises(ContradictoryInput, match="ali_category: 'I' contradicts"):
        build_state({**ali, "ali_category": "I"})
    assert build_state({"cause": "acute_limb_ischemia", "sensory_loss": "none"}).inputs_for(
        "ali_category"
    ) == ("muscle_weakness", "arterial_doppler_audible", "venous_doppler_audible")
    venous = {"cause": "venous", "clinical_signs": ["varicose_veins", "active_venous_ulcer"],
              "symptomatic": True}  # fmt: skip
    assert build_state(venous).ceap_class == "C6"
    mess = {"cause": "trauma", "skeletal_soft_tissue_points": 3, "limb_ischemia_points": 2,
            "ischemia_hours": 7.0, "shock_points": 1, "age_years": 45}  # fmt: skip
    assert build_state(mess).mess_score == 9
    with pytest.raises(ContradictoryInput, match="mess_score: 5 contradicts"):
        build_state({**mess, "mess_score": 5})
    ali_given = build_state({"cause": "acute_limb_ischemia", "ali_category": "IIa",
                             "sensory_loss": "none"})  # fmt: skip
    assert ali_given.ali_category == "IIa"
    assert ali_given.inputs_for("ali_category") == ("ali_category",)


def test_patient_risk_from_estimates_override_and_contradiction() -> None:
    avg = build_state({**CLTI, "perioperative_mortality_pct": 2, "two_year_survival_pct": 70})
    assert avg.patient_risk == "average"
    assert "GVG 6.4/6.5" in avg.notes["patient_risk"]
    undecided = build_state({**CLTI, "perioperative_mortality_pct": 2})
    assert undecided.patient_risk is None
    assert undecided.inputs_for("patient_risk") == ("two_year_survival_pct",)
    with pytest.raises(ContradictoryInput) as raised:
        build_state({**CLTI, "perioperative_mortality_pct": 2, "two_year_survival_pct": 70,
                     "patient_risk": "high"})  # fmt: skip
    assert "patient_risk: 'high' contradicts the estimates" in str(raised.value)
    assert "patient_risk_override_reason" in str(raised.value)
    override = build_state({**CLTI, "perioperative_mortality_pct": 2, "two_year_survival_pct": 70,
                            "patient_risk": "high",
                            "patient_risk_override_reason": "frailty"})  # fmt: skip
    assert override.patient_risk == "high"
    assert override.notes["patient_risk"].endswith(": frailty")
    direct = build_state({**CLTI, "patient_risk": "average"})
    assert direct.notes["patient_risk"] == "set by the clinician"
    agreeing = build_state({**CLTI, "patient_risk": "high", "perioperative_mortality_pct": 9})
    assert "high risk" in agreeing.notes["patient_risk"]
    with pytest.raises(InvalidInput, match="patient_risk_override_reason"):
        build_state({**CLTI, "patient_risk_override_reason": "frailty"})
    with pytest.raises(ContradictoryInput):
        build_state({**CLTI, "perioperative_mortality_pct": 9, "patient_risk": "average",
                     "patient_risk_override_reason": "   "})  # fmt: skip


def test_prevent3_runs_when_any_of_its_inputs_is_given() -> None:
    full = build_state({**CLTI, "dialysis": True, "tissue_loss": True, "age_years": 80,
                        "hematocrit_pct": 28, "coronary_artery_disease": True})  # fmt: skip
    assert full.prevent3_points == 12
    assert full.prevent3 is not None
    assert full.prevent3.category == "high"
    partial = build_state({**CLTI, "dialysis": True})
    assert partial.prevent3_points is None
    assert "hematocrit_pct" in partial.inputs_for("prevent3_points")
    assert build_state(CLTI).prevent3 is None


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({"cause": "clti", "colour": "red"}, "colour"),
        ({"cause": "ulcer"}, "cause"),
        ({}, "cause"),
        ({"cause": "clti", "wound_grade": 4}, "wound_grade"),
        ({"cause": "clti", "wifi_stage": 0}, "wifi_stage"),
        ({"cause": "clti", "infection_iwgdf": 5}, "infection_iwgdf"),
        ({"cause": "clti", "two_year_survival_pct": 120}, "two_year_survival_pct"),
        ({"cause": "clti", "usable_gsv": "perhaps"}, "usable_gsv"),
        ({"cause": "clti", "abi": -1}, "abi"),
        ({"cause": "venous", "ceap_class": "C7"}, "ceap_class"),
    ],
)
def test_bad_values_name_field_value_and_what_is_allowed(
    record: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        build_state(record)
    assert raised.value.field == field
    assert "expected" in str(raised.value)


def test_parse_ignores_empty_values_and_keeps_types() -> None:
    values = parse_record({"cause": "clti", "abi": "", "usable_gsv": "yes", "wound_grade": "2"})
    assert values == {"cause": "clti", "usable_gsv": True, "wound_grade": 2}
    assert issubclass(ContradictoryInput, ClassificationError)


def test_conflicting_raw_findings_are_refused_by_the_classifier() -> None:
    with pytest.raises(CannotClassify, match="conflicting"):
        build_state({"cause": "acute_limb_ischemia", "sensory_loss": "profound_anaesthetic",
                     "muscle_weakness": "none", "arterial_doppler_audible": False,
                     "venous_doppler_audible": False})  # fmt: skip


def test_wound_grade_derived_from_raw_wound_descriptions() -> None:
    # Mills 2014 Table I: a deep ulcer with exposed bone, joint or tendon is W2; gangrene of the
    # digits W2 as well; the limb takes its worst wound.
    state = build_state(
        {**CLTI, "ulcer": "deep;shallow", "gangrene": "none;none", "wound_label": "hallux;heel"}
    )
    assert state.wound_grade == 2
    assert state.notes["wound_grade"].startswith(
        "the WIfI wound grade of the wounds described: worst wound 'hallux'"
    )
    assert "doi:10.1016/j.jvs.2013.08.003" in state.notes["wound_grade"]
    staged = build_state(
        {**CLTI, "ulcer": "deep", "gangrene": "none", "toe_pressure_mmhg": 35, "infection_iwgdf": 2}
    )
    assert staged.wifi_stage == 4  # W2 I2 fI1
    agreeing = build_state({**CLTI, "ulcer": "shallow", "gangrene": "none", "wound_grade": 1})
    assert agreeing.notes["wound_grade"].startswith("given; agrees with")
    with pytest.raises(ContradictoryInput, match="wound_grade: 1 contradicts"):
        build_state({**CLTI, "ulcer": "deep", "gangrene": "none", "wound_grade": 1})


def test_incomplete_or_inconsistent_wound_descriptions() -> None:
    partial = build_state({**CLTI, "ulcer": "deep"})
    assert partial.wound_grade is None
    assert partial.inputs_for("wound_grade") == ("gangrene",)
    assert partial.inputs_for("wifi_stage")[0] == "gangrene"
    given = build_state({**CLTI, "ulcer": "deep", "wound_grade": 2})
    assert (given.wound_grade, given.inputs_for("wound_grade")) == (2, ("wound_grade",))
    with pytest.raises(CannotClassify, match="same number of wounds"):
        build_state({**CLTI, "ulcer": "deep;none", "gangrene": "none"})
    with pytest.raises(InvalidInput, match="ulcer"):
        build_state({**CLTI, "ulcer": "bottomless", "gangrene": "none"})
