"""Minimal cases that make each rule row fire (shared by the rule, property and CLI tests)."""

AVG = {"perioperative_mortality_pct": 2.0, "two_year_survival_pct": 70.0}
HIGH = {"perioperative_mortality_pct": 8.0, "two_year_survival_pct": 40.0}
# Stages of the WIfI table (Mills 2014) for the grades below.
STAGE4 = {"wound_grade": 2, "ischemia_grade": 3, "infection_grade": 1}
STAGE3 = {"wound_grade": 2, "ischemia_grade": 2, "infection_grade": 0}
STAGE2 = {"wound_grade": 1, "ischemia_grade": 2, "infection_grade": 0}
STAGE1 = {"wound_grade": 1, "ischemia_grade": 0, "infection_grade": 0}
STAGE4_I1 = {"wound_grade": 3, "ischemia_grade": 1, "infection_grade": 0}
STAGE2_I1 = {"wound_grade": 1, "ischemia_grade": 1, "infection_grade": 1}
GLASS = {"I": {"fp_grade": 1, "ip_grade": 1}, "II": {"fp_grade": 2, "ip_grade": 2},
         "III": {"fp_grade": 4, "ip_grade": 4}}  # fmt: skip
FAILING = {"wound_area_reduction_4wk_pct": 20.0, "appropriate_care_4wk": True}
CLTI = {"cause": "clti"}
STAGES = {1: STAGE1, 2: STAGE2, 3: STAGE3, 4: STAGE4}

RULE_CASES: dict[str, dict[str, object]] = {
    "gvg.refer_vascular_specialist": {**CLTI},
    "gvg.estimate_patient_risk": {**CLTI},
    "gvg.stage_limb": {**CLTI},
    "gvg.no_revascularization_without_ischemia": {**CLTI, "ischemia_grade": 0},
    "gvg.targeted_revascularization_ischemia_0": {
        **CLTI,
        "wound_grade": 2,
        "ischemia_grade": 0,
        "isolated_perfusion_deficit": True,
        **FAILING,
    },
    "gvg.no_revascularization_wifi_1": {**CLTI, **STAGE1},
    "gvg.revascularization_wifi_1_failing": {
        **CLTI,
        "wifi_stage": 1,
        "ischemia_grade": 1,
        **FAILING,
    },
    "gvg.average_risk.offer_revascularization": {**CLTI, **AVG, **STAGE4},
    "gvg.average_risk.no_usable_vein": {**CLTI, **AVG, **STAGE3, "usable_gsv": False},
    "gvg.high_risk.offer_endovascular": {**CLTI, **HIGH, **STAGE4},
    "gvg.high_risk.consider_endovascular": {**CLTI, **HIGH, **STAGE3},
    "gvg.high_risk.moderate_ischemia_failing": {**CLTI, **HIGH, **STAGE4_I1, **FAILING},
    "gvg.high_risk.moderate_ischemia_reassess": {**CLTI, **HIGH, **STAGE2_I1},
    "gvg.high_risk.consider_open_glass_iii": {**CLTI, **HIGH, **STAGE4, **GLASS["III"]},
    "gvg.high_risk.consider_open_after_failed_endovascular": {
        **CLTI,
        **HIGH,
        "failed_endovascular": True,
    },
    "gvg.inflow_first": {**CLTI, "inflow_disease": True},
    "gvg.vein_mapping": {**CLTI, **AVG, **STAGE3},
    "gvg.amputation_or_palliation_discussion": {**CLTI, "ambulatory": False},
    "gvg.best_medical_therapy": {**CLTI, "on_statin": False},
    "infection.source_control": {**CLTI, "deep_space_infection": True},
    "infection.restage_after_source_control": {**CLTI, "wet_gangrene": True},
    "infection.urgent_surgical_assessment": {"cause": "diabetic_foot", "infection_iwgdf": 3},
    "infection.severe_admit": {"cause": "diabetic_foot", "infection_iwgdf": 4},
    "charcot.offload_and_immobilise": {"cause": "diabetic_foot", "suspected_active_charcot": True},
    "charcot.imaging": {"cause": "diabetic_foot", "suspected_active_charcot": True},
    "charcot.mimics_infection": {"cause": "diabetic_foot", "suspected_active_charcot": True},
    "dfu.bedside_pad_tests": {"cause": "diabetic_foot"},
    "dfu.urgent_vascular_imaging": {"cause": "diabetic_foot", "toe_pressure_mmhg": 25.0},
    "dfu.non_healing_imaging": {"cause": "diabetic_foot", "ulcer_not_healed_4_6_weeks": True},
    "dfu.offloading": {"cause": "diabetic_foot", "suspected_active_charcot": False},
    "dfu.glycaemic_control_endocrinology": {"cause": "diabetic_foot"},
    "dfu.revascularization_before_major_amputation": {
        "cause": "diabetic_foot",
        "proposed_major_amputation": True,
    },
    "ali.anticoagulation": {
        "cause": "acute_limb_ischemia",
        "anticoagulation_contraindicated": False,
    },
    "ali.record_category": {"cause": "acute_limb_ischemia"},
    "ali.category_i": {"cause": "acute_limb_ischemia", "ali_category": "I"},
    "ali.category_iia": {"cause": "acute_limb_ischemia", "ali_category": "IIa"},
    "ali.category_iib": {"cause": "acute_limb_ischemia", "ali_category": "IIb"},
    "ali.category_iii": {"cause": "acute_limb_ischemia", "ali_category": "III"},
    "ali.compartment_monitoring": {"cause": "acute_limb_ischemia", "ali_category": "IIb"},
    "venous.arterial_status_first": {"cause": "venous", "ceap_class": "C6"},
    "venous.abi_unreliable": {"cause": "venous", "ceap_class": "C6", "abi": 1.4},
    "venous.full_compression": {
        "cause": "venous",
        "ceap_class": "C6",
        "abi": 0.9,
        "non_compressible": False,
        "mixed_arterial_venous": False,
    },
    "venous.modified_compression": {
        "cause": "venous",
        "ceap_class": "C6",
        "abi": 0.6,
        "non_compressible": False,
    },
    "venous.no_compression": {"cause": "venous", "ceap_class": "C6r", "abi": 0.4},
    "venous.early_ablation": {
        "cause": "venous",
        "ceap_class": "C6",
        "abi": 1.0,
        "superficial_reflux": True,
        "non_compressible": False,
    },
    "venous.iliofemoral_obstruction": {
        "cause": "venous",
        "suspected_iliofemoral_obstruction": True,
    },
    "venous.mixed_ulcer_arterial_first": {"cause": "venous", "mixed_arterial_venous": True},
    "trauma.mess_for_information": {"cause": "trauma", "mess_score": 8},
    "trauma.team_decision": {"cause": "trauma"},
    "tumour.sarcoma_team": {"cause": "tumour", "enneking_stage": "IIB"},
    "tumour.reconstruction_options": {"cause": "tumour"},
    "tumour.msts_follow_up": {"cause": "tumour"},
    "risk.prevent3": {
        **CLTI,
        "dialysis": False,
        "tissue_loss": True,
        "age_years": 80,
        "hematocrit_pct": 35.0,
        "coronary_artery_disease": True,
    },
    "conference.wifi_stage_4": {**CLTI, **STAGE4},
    "conference.glass_stage_iii": {**CLTI, **GLASS["III"]},
    "conference.indeterminate_strategy": {
        **CLTI,
        **AVG,
        **STAGE3,
        **GLASS["II"],
        "usable_gsv": True,
    },
    "conference.major_amputation": {**CLTI, "proposed_major_amputation": True},
}
for stage, glass in ((s, g) for s in (2, 3, 4) for g in ("I", "II", "III")):
    RULE_CASES[f"gvg.ebr.wifi{stage}.glass_{glass.lower()}"] = {
        **CLTI,
        **AVG,
        **STAGES[stage],
        **GLASS[glass],
        "usable_gsv": True,
    }
