"""The pathway rules, one data row each (docs/pathway/rules.md prints them; a test keeps it whole).

Each row: id, trigger, exclusions, category, urgency, strategy, recommendation text, why (the
basis in clinical words), citation (guideline + recommendation number) and review status. Facts
are those of `LimbState`; `output.strategy` / `output.category` read the recommendations of the
rules without such conditions (conference review, vein mapping). Wording is ours, paraphrasing
the cited recommendation; amputation appears only as a topic for shared decision-making.
"""

from limbsalvage.core.pathway.model import (
    AllOf,
    AnyOf,
    Category,
    Condition,
    Op,
    Param,
    ReviewStatus,
    Rule,
    Strategy,
    Urgency,
    When,
)
from limbsalvage.core.pathway.sources import cite

C, U, S, R = Category, Urgency, Strategy, ReviewStatus
PAD_CAUSES = ("clti", "diabetic_foot")
REDUCTION = Param("gvg_wound_reduction_4wk_pct")


def cause(*causes: str) -> When:
    """The rule applies to limbs threatened by these causes."""
    return When("cause", Op.IN, causes) if len(causes) > 1 else When("cause", Op.IS, causes[0])


def fact(name: str, op: Op = Op.IS, value: object = True) -> When:
    """A condition on one fact (by default: the finding is present)."""
    return When(name, op, value)


WOUND_FAILING = AllOf(
    (fact("wound_area_reduction_4wk_pct", Op.LT, REDUCTION), fact("appropriate_care_4wk"))
)

# ── GVG PLAN: evidence-based revascularization grid for average-risk patients with usable GSV ──
# Rec 6.32 bases the choice on WIfI stage × GLASS stage; cell assignments of the GVG figure as
# read in an evaluation of the tool (three indeterminate cells: GLASS III × WIfI 2, GLASS II ×
# WIfI 3 and 4; GLASS III × WIfI 3–4 bypass). The endovascular cells are inferred by elimination:
# to verify against the GVG figure (docs/sources-to-verify.md).
EBR_GRID: dict[tuple[int, str], Strategy] = {
    (2, "I"): S.ENDOVASCULAR,
    (2, "II"): S.ENDOVASCULAR,
    (2, "III"): S.INDETERMINATE,
    (3, "I"): S.ENDOVASCULAR,
    (3, "II"): S.INDETERMINATE,
    (3, "III"): S.OPEN_BYPASS,
    (4, "I"): S.ENDOVASCULAR,
    (4, "II"): S.INDETERMINATE,
    (4, "III"): S.OPEN_BYPASS,
}
_GRID_WORDS = {
    S.ENDOVASCULAR: "An endovascular-first strategy is favoured",
    S.OPEN_BYPASS: "Open bypass with autologous vein is favoured",
    S.INDETERMINATE: "The grid favours neither strategy (indeterminate): decide in conference",
}


def _grid_rule(stage: int, glass: str, strategy: Strategy) -> Rule:
    return Rule(
        rule_id=f"gvg.ebr.wifi{stage}.glass_{glass.lower()}",
        trigger=(
            cause(*PAD_CAUSES),
            fact("patient_risk", Op.IS, "average"),
            fact("usable_gsv"),
            fact("wifi_stage", Op.IS, stage),
            fact("glass_stage", Op.IS, glass),
        ),
        exclusions=(fact("ischemia_grade", Op.IS, 0),),
        category=C.REVASCULARIZATION,
        urgency=U.SOON,
        strategy=strategy,
        text=f"{_GRID_WORDS[strategy]} for this limb (WIfI stage {stage}, GLASS stage {glass}).",
        why=(
            "In average-risk patients with infrainguinal disease and usable vein the GVG bases the "
            "choice between endovascular and open bypass on limb threat (WIfI) and anatomic "
            "complexity (GLASS)"
        ),
        citation=cite("GVG 2019", "recommendation 6.32 and its strategy figure"),
        review_status=R.SECONDARY,
        review_note="cell from a published evaluation of the GVG grid; figure not read",
    )


_GRID = tuple(_grid_rule(stage, glass, strategy) for (stage, glass), strategy in EBR_GRID.items())

_GVG: tuple[Rule, ...] = (
    Rule(
        rule_id="gvg.refer_vascular_specialist",
        trigger=(cause("clti"),),
        category=C.REFERRAL,
        urgency=U.URGENT,
        text="Refer urgently to a vascular specialist for limb-salvage assessment.",
        why="All patients with suspected CLTI are referred to a vascular specialist",
        citation=cite("GVG 2019", "recommendation 6.1"),
        review_status=R.SOURCE_READ,
    ),
    Rule(
        rule_id="gvg.estimate_patient_risk",
        trigger=(cause(*PAD_CAUSES), fact("patient_risk", Op.ABSENT)),
        category=C.ASSESSMENT,
        urgency=U.SOON,
        text=(
            "Estimate peri-procedural mortality and 2-year survival to set the GVG patient risk "
            "(average: <5% and >50%; high: ≥5% or ≤50%); a published model such as PREVENT III "
            "can inform, not replace, the estimate."
        ),
        why="Revascularization strategy depends on patient risk, which is not yet known",
        citation=cite("GVG 2019", "recommendations 6.3–6.5"),
        review_status=R.SOURCE_READ,
    ),
    Rule(
        rule_id="gvg.stage_limb",
        trigger=(cause(*PAD_CAUSES), fact("wifi_stage", Op.ABSENT)),
        category=C.ASSESSMENT,
        urgency=U.SOON,
        text="Stage the limb with WIfI (wound, ischaemia with toe pressure, foot infection).",
        why="Every CLTI patient considered for limb salvage is staged with WIfI",
        citation=cite("GVG 2019", "recommendation 6.6"),
        review_status=R.SOURCE_READ,
    ),
    Rule(
        rule_id="gvg.no_revascularization_without_ischemia",
        trigger=(cause(*PAD_CAUSES), fact("ischemia_grade", Op.IS, 0)),
        exclusions=(
            AllOf(
                (
                    fact("isolated_perfusion_deficit"),
                    fact("wound_grade", Op.IN, (2, 3)),
                    WOUND_FAILING,
                )
            ),
        ),
        category=C.REVASCULARIZATION,
        urgency=U.ROUTINE,
        text=(
            "Revascularization is not recommended without significant ischaemia (WIfI I0); "
            "continue infection control, wound care and offloading and reassess at 4 weeks."
        ),
        why=(
            "No revascularization at ischaemia grade 0 unless an isolated poorly perfused region "
            "with a W2–3 wound can be targeted and the wound fails to shrink ≥50% in 4 weeks "
            "despite appropriate infection control, wound care and offloading"
        ),
        citation=cite("GVG 2019", "recommendation 6.9"),
        review_status=R.SOURCE_READ,
    ),
    Rule(
        rule_id="gvg.targeted_revascularization_ischemia_0",
        trigger=(
            cause(*PAD_CAUSES),
            fact("ischemia_grade", Op.IS, 0),
            fact("isolated_perfusion_deficit"),
            fact("wound_grade", Op.IN, (2, 3)),
            WOUND_FAILING,
        ),
        category=C.REVASCULARIZATION,
        urgency=U.SOON,
        text="Consider targeted revascularization of the isolated poorly perfused region.",
        why=(
            "Exception of GVG 6.9: isolated perfusion deficit, major tissue loss (W2–3), wound "
            "not shrinking ≥50% in 4 weeks despite appropriate care"
        ),
        citation=cite("GVG 2019", "recommendation 6.9"),
        review_status=R.SOURCE_READ,
    ),
    Rule(
        rule_id="gvg.no_revascularization_wifi_1",
        trigger=(cause(*PAD_CAUSES), fact("wifi_stage", Op.IS, 1)),
        exclusions=(WOUND_FAILING,),
        category=C.WOUND_CARE,
        urgency=U.ROUTINE,
        text=(
            "Very-low-risk limb (WIfI stage 1): no revascularization for now; wound care, "
            "infection control and offloading, with the wound area measured again at 4 weeks."
        ),
        why="Revascularization in WIfI stage 1 only if the wound fails to shrink ≥50% in 4 weeks",
        citation=cite("GVG 2019", "recommendation 6.10"),
        review_status=R.SOURCE_READ,
    ),
    Rule(
        rule_id="gvg.revascularization_wifi_1_failing",
        trigger=(cause(*PAD_CAUSES), fact("wifi_stage", Op.IS, 1), WOUND_FAILING),
        exclusions=(fact("ischemia_grade", Op.IS, 0),),
        category=C.REVASCULARIZATION,
        urgency=U.SOON,
        text="Consider revascularization: the WIfI stage 1 wound is not healing despite care.",
        why="GVG 6.10: stage 1 limb whose wound failed to shrink ≥50% in 4 weeks",
        citation=cite("GVG 2019", "recommendation 6.10"),
        review_status=R.SOURCE_READ,
    ),
    Rule(
        rule_id="gvg.average_risk.offer_revascularization",
        trigger=(
            cause(*PAD_CAUSES),
            fact("patient_risk", Op.IS, "average"),
            fact("wifi_stage", Op.IS, 4),
            fact("ischemia_grade", Op.IN, (2, 3)),
        ),
        category=C.REVASCULARIZATION,
        urgency=U.SOON,
        text="Offer revascularization (advanced limb threat with significant perfusion deficit).",
        why="Average-risk patient, WIfI stage 4 and ischaemia grade 2–3 (strong recommendation)",
        citation=cite("GVG 2019", "recommendation 6.11"),
        review_status=R.SOURCE_READ,
    ),
    *_GRID,
    Rule(
        rule_id="gvg.average_risk.no_usable_vein",
        trigger=(
            cause(*PAD_CAUSES),
            fact("patient_risk", Op.IS, "average"),
            fact("usable_gsv", Op.IS, False),
            fact("wifi_stage", Op.IN, (2, 3, 4)),
        ),
        exclusions=(fact("ischemia_grade", Op.IS, 0),),
        category=C.REVASCULARIZATION,
        urgency=U.SOON,
        text=(
            "The WIfI × GLASS grid assumes a usable saphenous vein: map the small saphenous, "
            "contralateral and arm veins; avoid a non-autologous bypass conduit unless there is "
            "no endovascular option and no adequate autologous vein."
        ),
        why="No usable great saphenous vein for an average-risk patient who may need bypass",
        citation=cite("GVG 2019", "recommendations 6.18, 6.40, 6.41"),
        review_status=R.SOURCE_READ,
    ),
    Rule(
        rule_id="gvg.high_risk.offer_endovascular",
        trigger=(
            cause(*PAD_CAUSES),
            fact("patient_risk", Op.IS, "high"),
            fact("wifi_stage", Op.IS, 4),
            fact("ischemia_grade", Op.IN, (2, 3)),
        ),
        category=C.REVASCULARIZATION,
        urgency=U.SOON,
        strategy=S.ENDOVASCULAR,
        text="Offer endovascular revascularization when technically feasible.",
        why="High-risk patient with advanced limb threat (WIfI 4) and ischaemia grade 2–3",
        citation=cite("GVG 2019", "recommendation 6.33"),
        review_status=R.SOURCE_READ,
    ),
    Rule(
        rule_id="gvg.high_risk.consider_endovascular",
        trigger=(
            cause(*PAD_CAUSES),
            fact("patient_risk", Op.IS, "high"),
            fact("wifi_stage", Op.IN, (2, 3)),
            fact("ischemia_grade", Op.IN, (2, 3)),
        ),
        category=C.REVASCULARIZATION,
        urgency=U.SOON,
        strategy=S.ENDOVASCULAR,
        text="Consider endovascular revascularization.",
        why="High-risk patient with intermediate limb threat (WIfI 2–3) and ischaemia grade 2–3",
        citation=cite("GVG 2019", "recommendation 6.34"),
        review_status=R.SOURCE_READ,
    ),
    Rule(
        rule_id="gvg.high_risk.moderate_ischemia_failing",
        trigger=(
            cause(*PAD_CAUSES),
            fact("patient_risk", Op.IS, "high"),
            fact("wifi_stage", Op.IN, (2, 3, 4)),
            fact("ischemia_grade", Op.IS, 1),
            WOUND_FAILING,
        ),
        category=C.REVASCULARIZATION,
        urgency=U.SOON,
        strategy=S.ENDOVASCULAR,
        text="Consider endovascular revascularization when technically feasible.",
        why=(
            "High-risk patient, WIfI 2–4 with moderate ischaemia (grade 1), wound not shrinking "
            "≥50% in 4 weeks despite appropriate infection control, wound care and offloading"
        ),
        citation=cite("GVG 2019", "recommendations 6.35 (WIfI 4) and 6.36 (WIfI 2–3)"),
        review_status=R.SOURCE_READ,
    ),
    Rule(
        rule_id="gvg.high_risk.moderate_ischemia_reassess",
        trigger=(
            cause(*PAD_CAUSES),
            fact("patient_risk", Op.IS, "high"),
            fact("wifi_stage", Op.IN, (2, 3, 4)),
            fact("ischemia_grade", Op.IS, 1),
        ),
        exclusions=(WOUND_FAILING,),
        category=C.WOUND_CARE,
        urgency=U.SOON,
        text=(
            "Infection control, wound care and offloading; measure the wound area again at 4 "
            "weeks — endovascular revascularization is considered if it has not shrunk ≥50%."
        ),
        why="High-risk patient with moderate ischaemia: revascularization waits on the wound",
        citation=cite("GVG 2019", "recommendations 6.35, 6.36"),
        review_status=R.SOURCE_READ,
    ),
    Rule(
        rule_id="gvg.high_risk.consider_open_glass_iii",
        trigger=(
            cause(*PAD_CAUSES),
            fact("patient_risk", Op.IS, "high"),
            fact("wifi_stage", Op.IN, (3, 4)),
            fact("ischemia_grade", Op.IN, (2, 3)),
            fact("glass_stage", Op.IS, "III"),
        ),
        category=C.REVASCULARIZATION,
        urgency=U.SOON,
        strategy=S.OPEN_BYPASS,
        text="Consider open surgery in selected high-risk patients (complex anatomy, GLASS III).",
        why="High-risk patient, WIfI 3–4, ischaemia grade 2–3 and advanced anatomic complexity",
        citation=cite("GVG 2019", "recommendation 6.37"),
        review_status=R.SOURCE_READ,
    ),
    Rule(
        rule_id="gvg.high_risk.consider_open_after_failed_endovascular",
        trigger=(
            cause(*PAD_CAUSES),
            fact("patient_risk", Op.IS, "high"),
            fact("failed_endovascular"),
        ),
        category=C.REVASCULARIZATION,
        urgency=U.SOON,
        strategy=S.OPEN_BYPASS,
        text="Consider open surgery in selected high-risk patients after failed endovascular care.",
        why="Prior failed endovascular attempts and unresolved symptoms of CLTI",
        citation=cite("GVG 2019", "recommendation 6.37"),
        review_status=R.SOURCE_READ,
    ),
    Rule(
        rule_id="gvg.inflow_first",
        trigger=(cause(*PAD_CAUSES), fact("inflow_disease")),
        category=C.REVASCULARIZATION,
        urgency=U.SOON,
        text=(
            "Correct inflow disease first; restage the limb and repeat the haemodynamic "
            "assessment before deciding on outflow revascularization."
        ),
        why="Inflow and outflow disease together: inflow is treated first",
        citation=cite("GVG 2019", "recommendations 6.20, 6.23"),
        review_status=R.SOURCE_READ,
    ),
    Rule(
        rule_id="gvg.vein_mapping",
        trigger=(
            cause(*PAD_CAUSES),
            AnyOf(
                (
                    When("output.strategy", Op.INCLUDES, "open_bypass"),
                    When("output.strategy", Op.INCLUDES, "indeterminate"),
                    AllOf(
                        (
                            fact("usable_gsv", Op.ABSENT),
                            fact("patient_risk", Op.IS, "average"),
                            fact("wifi_stage", Op.IN, (2, 3, 4)),
                        )
                    ),
                )
            ),
        ),
        category=C.IMAGING,
        urgency=U.SOON,
        text=(
            "Ultrasound vein mapping (ipsilateral great and small saphenous veins; contralateral "
            "leg and arms if inadequate) before any bypass."
        ),
        why="Bypass is possible or favoured, or the conduit is not yet known",
        citation=cite("GVG 2019", "recommendations 6.17, 6.18"),
        review_status=R.SOURCE_READ,
    ),
    Rule(
        rule_id="gvg.amputation_or_palliation_discussion",
        trigger=(
            cause(*PAD_CAUSES),
            AnyOf(
                (
                    fact("ambulatory", Op.IS, False),
                    fact("limited_life_expectancy"),
                    fact("unsalvageable"),
                )
            ),
        ),
        category=C.AMPUTATION_DISCUSSION,
        urgency=U.SOON,
        text=(
            "Discuss the options with the patient and the team, including primary amputation or "
            "palliation, by shared decision-making; revascularization remains an option if the "
            "patient chooses it."
        ),
        why=(
            "Primary amputation or palliation is offered — after shared decision-making — to "
            "patients with limited life expectancy, poor function (e.g. non-ambulatory) or an "
            "unsalvageable limb"
        ),
        citation=cite("GVG 2019", "recommendations 6.2, 9.2"),
        review_status=R.SOURCE_READ,
        discussion=True,
    ),
    Rule(
        rule_id="gvg.best_medical_therapy",
        trigger=(
            cause(*PAD_CAUSES),
            AnyOf(
                (
                    fact("on_antiplatelet", Op.IS, False),
                    fact("on_statin", Op.IS, False),
                    fact("current_smoker"),
                )
            ),
        ),
        category=C.MEDICAL_THERAPY,
        urgency=U.ROUTINE,
        text=(
            "Best medical therapy: antiplatelet agent, statin, smoking cessation, blood pressure "
            "and glycaemic control."
        ),
        why="Modifiable cardiovascular risk factors are managed in every patient with CLTI",
        citation=cite("GVG 2019", "recommendations 4.1, 4.2 (and the section 4 drug statements)"),
        review_status=R.SECONDARY,
        review_note="4.1–4.2 read; the individual drug recommendations of section 4 not read",
    ),
)

# ── Infection ──────────────────────────────────────────────────────────────────────────────
_SOURCE_CONTROL = AnyOf((fact("deep_space_infection"), fact("wet_gangrene")))
_INFECTION: tuple[Rule, ...] = (
    Rule(
        rule_id="infection.source_control",
        trigger=(_SOURCE_CONTROL,),
        category=C.INFECTION_CONTROL,
        urgency=U.EMERGENT,
        text=(
            "Emergent surgical drainage and debridement (including minor amputation if needed) "
            "and start antibiotics. An open (guillotine) amputation for source control is an "
            "option only when the operating surgeon judges it necessary, discussed with the "
            "patient or family where possible — the discussion never delays source control."
        ),
        why="Deep-space foot infection or wet gangrene threatens limb and life",
        citation=cite("GVG 2019", "recommendation 6.7"),
        review_status=R.SOURCE_READ,
        review_note="guillotine wording is ours (issue 4); GVG 6.7 names minor amputation",
        discussion=True,
    ),
    Rule(
        rule_id="infection.restage_after_source_control",
        trigger=(_SOURCE_CONTROL,),
        category=C.ASSESSMENT,
        urgency=U.URGENT,
        text="Restage the limb (WIfI) after drainage and debridement, before the next decision.",
        why="Staging changes once infection is drained and tissue removed",
        citation=cite("GVG 2019", "recommendation 6.8"),
        review_status=R.SOURCE_READ,
    ),
    Rule(
        rule_id="infection.urgent_surgical_assessment",
        trigger=(fact("infection_iwgdf", Op.IN, (3, 4)),),
        category=C.INFECTION_CONTROL,
        urgency=U.URGENT,
        text=(
            "Urgent surgical assessment (debridement, drainage, compartment release), "
            "antibiotics, and PAD assessment with revascularization once infection is controlled."
        ),
        why="Moderate or severe diabetes-related foot infection (IWGDF/IDSA grade 3–4)",
        citation=cite("IWGDF/IDSA infection 2023", "surgical management recommendations"),
        review_status=R.SECONDARY,
        review_note="recommendation numbers not read; content from the project's clinical notes",
    ),
    Rule(
        rule_id="infection.severe_admit",
        trigger=(fact("infection_iwgdf", Op.IS, 4),),
        category=C.INFECTION_CONTROL,
        urgency=U.EMERGENT,
        text="Admit to hospital; parenteral broad-spectrum antibiotics and treatment of sepsis.",
        why="Severe infection (IWGDF/IDSA grade 4: systemic inflammatory response)",
        citation=cite("IWGDF/IDSA infection 2023", "recommendations on hospitalisation"),
        review_status=R.SECONDARY,
        review_note="recommendation numbers not read",
    ),
)

# ── Charcot foot ───────────────────────────────────────────────────────────────────────────
_CHARCOT: tuple[Rule, ...] = (
    Rule(
        rule_id="charcot.offload_and_immobilise",
        trigger=(fact("suspected_active_charcot"),),
        category=C.OFFLOADING,
        urgency=U.URGENT,
        text=(
            "Offload and immobilise the foot now (non-removable knee-high device) until active "
            "Charcot is excluded or in remission."
        ),
        why="Suspected active Charcot neuro-osteoarthropathy",
        citation=cite("ADA/IWGDF Charcot 2023", "treatment recommendations"),
        review_status=R.SECONDARY,
        review_note="recommendation numbers not read",
    ),
    Rule(
        rule_id="charcot.imaging",
        trigger=(fact("suspected_active_charcot"),),
        category=C.IMAGING,
        urgency=U.SOON,
        text="Foot radiographs; MRI when radiographs are normal and suspicion remains.",
        why="Imaging confirms or excludes active Charcot",
        citation=cite("ADA/IWGDF Charcot 2023", "diagnosis recommendations"),
        review_status=R.SECONDARY,
        review_note="recommendation numbers not read",
    ),
    Rule(
        rule_id="charcot.mimics_infection",
        trigger=(fact("suspected_active_charcot"),),
        category=C.INFORMATION,
        urgency=U.ROUTINE,
        text=(
            "Caution: active Charcot mimics infection (warm, red, swollen foot); grade infection "
            "only when another cause of inflammation is excluded or infection is confirmed."
        ),
        why="Inflammation of active Charcot is not graded as infection by IWGDF/IDSA",
        citation=cite("IWGDF/IDSA infection 2023", "classification footnote on Charcot"),
        review_status=R.SECONDARY,
    ),
)

# ── Diabetic foot, IWGDF 2023 ──────────────────────────────────────────────────────────────
_DFU: tuple[Rule, ...] = (
    Rule(
        rule_id="dfu.bedside_pad_tests",
        trigger=(
            cause("diabetic_foot"),
            fact("abi", Op.ABSENT),
            fact("toe_pressure_mmhg", Op.ABSENT),
        ),
        category=C.IMAGING,
        urgency=U.SOON,
        text=(
            "Examine for PAD: pedal Doppler waveforms with ABI and toe pressure / TBI; no single "
            "bedside test excludes PAD."
        ),
        why="Every diabetes-related foot ulcer is assessed for PAD with bedside tests",
        citation=cite("IWGDF/ESVS/SVS PAD 2023", "diagnosis recommendations"),
        review_status=R.SECONDARY,
        review_note="recommendation numbers not read; content from the project's clinical notes",
    ),
    Rule(
        rule_id="dfu.urgent_vascular_imaging",
        trigger=(
            cause("diabetic_foot"),
            AnyOf(
                (
                    fact("ankle_pressure_mmhg", Op.LT, Param("iwgdf_urgent_ankle_pressure_mmhg")),
                    fact("abi", Op.LT, Param("iwgdf_urgent_abi")),
                    fact("toe_pressure_mmhg", Op.LT, Param("iwgdf_urgent_toe_pressure_mmhg")),
                    fact("tcpo2_mmhg", Op.LT, Param("iwgdf_urgent_tcpo2_mmhg")),
                )
            ),
        ),
        category=C.IMAGING,
        urgency=U.URGENT,
        text="Urgent vascular imaging with a view to revascularization.",
        why="A bedside perfusion value below the IWGDF 2023 threshold for urgent imaging",
        citation=cite("IWGDF/ESVS/SVS PAD 2023", "recommendation on urgent imaging"),
        review_status=R.SECONDARY,
        review_note="thresholds configurable (core/pathway/thresholds.py); primary not read",
    ),
    Rule(
        rule_id="dfu.non_healing_imaging",
        trigger=(cause("diabetic_foot"), fact("ulcer_not_healed_4_6_weeks")),
        category=C.IMAGING,
        urgency=U.SOON,
        text="Vascular imaging, whatever the bedside test results.",
        why="Ulcer not healing after 4–6 weeks of good standard care",
        citation=cite("IWGDF/ESVS/SVS PAD 2023", "recommendation on non-healing ulcers"),
        review_status=R.SECONDARY,
    ),
    Rule(
        rule_id="dfu.offloading",
        trigger=(cause("diabetic_foot"),),
        exclusions=(fact("suspected_active_charcot"),),
        category=C.OFFLOADING,
        urgency=U.SOON,
        text="Offload the ulcer (a non-removable knee-high device for a plantar forefoot ulcer).",
        why="Offloading is part of standard care of every diabetes-related foot ulcer",
        citation=cite("IWGDF practical 2023", "offloading section"),
        review_status=R.SECONDARY,
    ),
    Rule(
        rule_id="dfu.glycaemic_control_endocrinology",
        trigger=(cause("diabetic_foot"),),
        category=C.REFERRAL,
        urgency=U.ROUTINE,
        text="Glycaemic control with endocrinology referral.",
        why="Diabetes care is part of the team's management of a diabetic foot",
        citation=cite("IWGDF practical 2023", "organisation of care / multidisciplinary team"),
        review_status=R.SECONDARY,
    ),
    Rule(
        rule_id="dfu.revascularization_before_major_amputation",
        trigger=(
            cause("diabetic_foot"),
            AnyOf(
                (
                    fact("proposed_major_amputation"),
                    When("output.category", Op.INCLUDES, "amputation_discussion"),
                )
            ),
        ),
        category=C.IMAGING,
        urgency=U.SOON,
        text=(
            "Before any major amputation is decided, consider vascular imaging and "
            "revascularization (part of the amputation discussion)."
        ),
        why="Revascularization is considered before a major amputation in a diabetic foot",
        citation=cite("IWGDF/ESVS/SVS PAD 2023", "recommendation before major amputation"),
        review_status=R.SECONDARY,
        discussion=True,
    ),
)

# ── Acute limb ischaemia, ESVS 2020 ────────────────────────────────────────────────────────
_ALI: tuple[Rule, ...] = (
    Rule(
        rule_id="ali.anticoagulation",
        trigger=(cause("acute_limb_ischemia"),),
        exclusions=(fact("anticoagulation_contraindicated"),),
        category=C.MEDICAL_THERAPY,
        urgency=U.EMERGENT,
        text="Immediate systemic anticoagulation (heparin) unless contraindicated.",
        why="Acute limb ischaemia: anticoagulation limits thrombus propagation",
        citation=cite("ESVS ALI 2020", "initial management recommendations"),
        review_status=R.SECONDARY,
        review_note="recommendation number not read",
    ),
    Rule(
        rule_id="ali.record_category",
        trigger=(cause("acute_limb_ischemia"), fact("ali_category", Op.ABSENT)),
        category=C.ASSESSMENT,
        urgency=U.EMERGENT,
        text="Record the Rutherford category (sensory loss, muscle weakness, Doppler signals).",
        why="Management of acute limb ischaemia follows its clinical category",
        citation=cite("ESVS ALI 2020", "clinical assessment recommendations"),
        review_status=R.SECONDARY,
    ),
    Rule(
        rule_id="ali.category_i",
        trigger=(cause("acute_limb_ischemia"), fact("ali_category", Op.IS, "I")),
        category=C.IMAGING,
        urgency=U.URGENT,
        text="Imaging (CT angiography first line), then revascularization (CDT or surgery).",
        why="Category I: viable limb, not immediately threatened",
        citation=cite("ESVS ALI 2020", "management by clinical category"),
        review_status=R.SECONDARY,
    ),
    Rule(
        rule_id="ali.category_iia",
        trigger=(cause("acute_limb_ischemia"), fact("ali_category", Op.IS, "IIa")),
        category=C.REVASCULARIZATION,
        urgency=U.EMERGENT,
        text="Urgent imaging and revascularization (CDT or surgery).",
        why="Category IIa: marginally threatened, salvageable if promptly treated",
        citation=cite("ESVS ALI 2020", "management by clinical category"),
        review_status=R.SECONDARY,
    ),
    Rule(
        rule_id="ali.category_iib",
        trigger=(cause("acute_limb_ischemia"), fact("ali_category", Op.IS, "IIb")),
        category=C.REVASCULARIZATION,
        urgency=U.EMERGENT,
        text=(
            "Immediate revascularization (surgery, with or without lysis); imaging only if it "
            "does not delay treatment."
        ),
        why="Category IIb: immediately threatened, salvageable only with immediate treatment",
        citation=cite("ESVS ALI 2020", "management by clinical category"),
        review_status=R.SECONDARY,
    ),
    Rule(
        rule_id="ali.category_iii",
        trigger=(cause("acute_limb_ischemia"), fact("ali_category", Op.IS, "III")),
        category=C.AMPUTATION_DISCUSSION,
        urgency=U.EMERGENT,
        text=(
            "Discuss primary amputation with the patient or family and the team (shared "
            "decision-making): the limb is irreversibly ischaemic; revascularization is "
            "considered only to test reversibility or improve the amputation level."
        ),
        why="Category III: irreversible, major tissue loss or permanent nerve damage inevitable",
        citation=cite("ESVS ALI 2020", "management by clinical category"),
        review_status=R.SECONDARY,
        discussion=True,
    ),
    Rule(
        rule_id="ali.compartment_monitoring",
        trigger=(cause("acute_limb_ischemia"), fact("ali_category", Op.IN, ("IIa", "IIb"))),
        category=C.MONITORING,
        urgency=U.URGENT,
        text="After revascularization: monitor for compartment syndrome; fasciotomy if indicated.",
        why="Reperfusion of a threatened limb can cause compartment syndrome",
        citation=cite("ESVS ALI 2020", "post-revascularization recommendations"),
        review_status=R.SECONDARY,
    ),
)

# ── Venous ulcer (CEAP C6) ─────────────────────────────────────────────────────────────────
_C6 = fact("ceap_class", Op.IN, ("C6", "C6r"))
_ABI_UNRELIABLE = AnyOf(
    (fact("non_compressible"), fact("abi", Op.GT, Param("noncompressible_abi")))
)
_VENOUS_BAND = "SVS/AVF venous ulcer 2014"
_VENOUS: tuple[Rule, ...] = (
    Rule(
        rule_id="venous.arterial_status_first",
        trigger=(
            cause("venous"),
            _C6,
            fact("abi", Op.ABSENT),
            fact("toe_pressure_mmhg", Op.ABSENT),
        ),
        category=C.IMAGING,
        urgency=U.SOON,
        text="Establish arterial status (ABI; toe pressure if ankle vessels are non-compressible) "
        "before any compression.",
        why="Compression is chosen by arterial supply, which is not yet known",
        citation=cite(_VENOUS_BAND, "arterial assessment before compression"),
        review_status=R.SECONDARY,
    ),
    Rule(
        rule_id="venous.abi_unreliable",
        trigger=(cause("venous"), _C6, _ABI_UNRELIABLE),
        category=C.IMAGING,
        urgency=U.SOON,
        text="The ABI is unreliable (non-compressible vessels): judge arterial supply by toe "
        "pressure / TBI or duplex before compression.",
        why="An ABI from non-compressible vessels cannot show adequate arterial supply",
        citation=cite(_VENOUS_BAND, "arterial assessment before compression"),
        review_status=R.SECONDARY,
    ),
    Rule(
        rule_id="venous.full_compression",
        trigger=(
            cause("venous"),
            _C6,
            fact("abi", Op.GE, Param("venous_full_compression_abi")),
        ),
        exclusions=(_ABI_UNRELIABLE, fact("mixed_arterial_venous")),
        category=C.COMPRESSION,
        urgency=U.SOON,
        text="Full multilayer compression therapy.",
        why="Active venous ulcer with adequate arterial supply",
        citation=cite(_VENOUS_BAND, "compression therapy"),
        review_status=R.SECONDARY,
        review_note="ABI bands differ between guidelines (0.5–0.8): see thresholds",
    ),
    Rule(
        rule_id="venous.modified_compression",
        trigger=(
            cause("venous"),
            _C6,
            fact("abi", Op.GE, Param("venous_no_compression_abi")),
            fact("abi", Op.LT, Param("venous_full_compression_abi")),
        ),
        exclusions=(_ABI_UNRELIABLE,),
        category=C.COMPRESSION,
        urgency=U.SOON,
        text="Modified (reduced-pressure) compression under specialist supervision, with "
        "vascular assessment of the arterial component.",
        why="Active venous ulcer with moderately reduced arterial supply",
        citation=cite(_VENOUS_BAND, "compression therapy"),
        review_status=R.SECONDARY,
    ),
    Rule(
        rule_id="venous.no_compression",
        trigger=(
            cause("venous"),
            _C6,
            fact("abi", Op.LT, Param("venous_no_compression_abi")),
        ),
        category=C.REFERRAL,
        urgency=U.URGENT,
        text="No compression; urgent vascular referral for the arterial disease.",
        why="Active venous ulcer with severely reduced arterial supply",
        citation=cite(_VENOUS_BAND, "compression therapy"),
        review_status=R.SECONDARY,
    ),
    Rule(
        rule_id="venous.early_ablation",
        trigger=(
            cause("venous"),
            _C6,
            fact("superficial_reflux"),
            fact("abi", Op.GE, Param("venous_full_compression_abi")),
        ),
        exclusions=(_ABI_UNRELIABLE,),
        category=C.REFERRAL,
        urgency=U.SOON,
        text="Refer for endovenous ablation of the superficial reflux within 2 weeks, with "
        "compression.",
        why="Early ablation with compression healed venous ulcers faster than deferred ablation",
        citation=cite("EVRA 2018", "trial result (early vs deferred ablation)"),
        review_status=R.SECONDARY,
        review_note="trial read via a news summary and the project's notes; ESVS 2022 not read",
    ),
    Rule(
        rule_id="venous.iliofemoral_obstruction",
        trigger=(cause("venous"), fact("suspected_iliofemoral_obstruction")),
        category=C.IMAGING,
        urgency=U.SOON,
        text="Venous imaging of the iliofemoral segment and referral to a deep-venous service.",
        why="Suspected iliofemoral venous obstruction behind a non-healing ulcer",
        citation=cite("ESVS CVD 2022", "deep venous obstruction chapter"),
        review_status=R.SECONDARY,
    ),
    Rule(
        rule_id="venous.mixed_ulcer_arterial_first",
        trigger=(cause("venous"), fact("mixed_arterial_venous")),
        category=C.REFERRAL,
        urgency=U.SOON,
        text="Assess and treat the arterial component first (vascular referral).",
        why="Mixed arterial-venous ulcer",
        citation=cite(_VENOUS_BAND, "mixed arterial-venous ulcers"),
        review_status=R.SECONDARY,
    ),
)

# ── Trauma and tumour ──────────────────────────────────────────────────────────────────────
_TRAUMA_TUMOUR: tuple[Rule, ...] = (
    Rule(
        rule_id="trauma.mess_for_information",
        trigger=(cause("trauma"), fact("mess_score", Op.GIVEN)),
        category=C.INFORMATION,
        urgency=U.ROUTINE,
        text="MESS {mess_score}: for information only — no injury score decides salvage or "
        "amputation.",
        why="Injury scores were specific but not sensitive in LEAP and must not decide alone",
        citation=cite("LEAP 2001", "conclusions"),
        review_status=R.SECONDARY,
        discussion=True,
    ),
    Rule(
        rule_id="trauma.team_decision",
        trigger=(cause("trauma"),),
        category=C.REFERRAL,
        urgency=U.URGENT,
        text="Salvage versus amputation is a team decision (vascular, orthopaedic, plastic "
        "surgery) with the patient, on the whole injury — never on a score.",
        why="Two-year function was similar after reconstruction and amputation in LEAP",
        citation=cite("LEAP 2002", "conclusions"),
        review_status=R.SECONDARY,
        discussion=True,
    ),
    Rule(
        rule_id="tumour.sarcoma_team",
        trigger=(cause("tumour"),),
        category=C.REFERRAL,
        urgency=U.SOON,
        text="Sarcoma multidisciplinary team review.",
        why="Limb-salvage surgery for bone sarcoma is planned by a sarcoma team",
        citation=cite("DiCaprio 2003", "goals of limb-sparing surgery"),
        review_status=R.SECONDARY,
    ),
    Rule(
        rule_id="tumour.reconstruction_options",
        trigger=(cause("tumour"),),
        category=C.REFERRAL,
        urgency=U.ROUTINE,
        text="Discuss the reconstruction options (endoprosthesis, allograft, allograft-prosthetic "
        "composite, arthrodesis, rotationplasty) and amputation, by shared decision-making.",
        why="Local control and survival no worse than amputation, function near it",
        citation=cite("DiCaprio 2003", "reconstruction options"),
        review_status=R.SECONDARY,
        discussion=True,
    ),
    Rule(
        rule_id="tumour.msts_follow_up",
        trigger=(cause("tumour"),),
        category=C.ASSESSMENT,
        urgency=U.ROUTINE,
        text="Record the MSTS functional score at follow-up.",
        why="Function after limb salvage is reported with the MSTS score",
        citation=cite("DiCaprio 2003", "outcome assessment"),
        review_status=R.SECONDARY,
    ),
)

# ── Patient risk model and conference review ──────────────────────────────────────────────
_ALWAYS: tuple[Rule, ...] = (
    Rule(
        rule_id="risk.prevent3",
        trigger=(cause(*PAD_CAUSES), fact("prevent3_points", Op.GIVEN)),
        category=C.INFORMATION,
        urgency=U.ROUTINE,
        text="PREVENT III CLI risk score {prevent3_summary}. It does not give peri-procedural "
        "mortality or 2-year survival: the GVG risk group needs the clinician's estimates.",
        why="Published risk model for amputation-free survival after vein bypass",
        citation=cite("Schanzer 2008", "risk score and groups"),
        review_status=R.SECONDARY,
        review_note="haematocrit points not confirmed in a text we read",
    ),
    Rule(
        rule_id="conference.wifi_stage_4",
        trigger=(fact("wifi_stage", Op.IS, 4),),
        category=C.CONFERENCE_REVIEW,
        urgency=U.SOON,
        text="Present at the multidisciplinary limb conference.",
        why="WIfI stage 4: high 1-year amputation risk",
        citation=cite("GVG 2019", "programme rule (issue 4); multidisciplinary care section"),
        review_status=R.SECONDARY,
        review_note="conference triggers are this programme's rules, not numbered recommendations",
    ),
    Rule(
        rule_id="conference.glass_stage_iii",
        trigger=(fact("glass_stage", Op.IS, "III"),),
        category=C.CONFERENCE_REVIEW,
        urgency=U.SOON,
        text="Present at the multidisciplinary limb conference.",
        why="GLASS stage III: complex anatomy, high expected endovascular failure",
        citation=cite("GVG 2019", "programme rule (issue 4); multidisciplinary care section"),
        review_status=R.SECONDARY,
    ),
    Rule(
        rule_id="conference.indeterminate_strategy",
        trigger=(When("output.strategy", Op.INCLUDES, "indeterminate"),),
        category=C.CONFERENCE_REVIEW,
        urgency=U.SOON,
        text="Present at the multidisciplinary limb conference to choose the strategy.",
        why="The GVG grid gives no preferred strategy for this limb",
        citation=cite("GVG 2019", "recommendation 6.32 (indeterminate cells)"),
        review_status=R.SECONDARY,
    ),
    Rule(
        rule_id="conference.major_amputation",
        trigger=(
            AnyOf(
                (
                    fact("proposed_major_amputation"),
                    When("output.category", Op.INCLUDES, "amputation_discussion"),
                )
            ),
        ),
        category=C.CONFERENCE_REVIEW,
        urgency=U.SOON,
        text="Review at the multidisciplinary limb conference before any major amputation "
        "(unless source control or an emergency cannot wait).",
        why="A major amputation is proposed or under discussion",
        citation=cite("GVG 2019", "recommendations 6.19, 9.2"),
        review_status=R.SECONDARY,
        discussion=True,
    ),
)

RULES: tuple[Rule, ...] = (*_GVG, *_INFECTION, *_CHARCOT, *_DFU, *_ALI, *_VENOUS,
                           *_TRAUMA_TUMOUR, *_ALWAYS)  # fmt: skip


def conditions_of(rule: Rule) -> tuple[Condition, ...]:
    """Trigger and exclusion conditions of a rule."""
    return (*rule.trigger, *rule.exclusions)
