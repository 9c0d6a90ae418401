"""Every pathway rule row, pinned to its cited source, and shown to fire on a minimal case.

Sources (recommendation numbers as read): Conte MS et al. Global Vascular Guidelines on CLTI,
J Vasc Surg 2019;69:3S–125S (PMC8365864 tables and the Guideline Central summary):
6.1 refer; 6.2/9.2 primary amputation or palliation after shared decision-making; 6.3–6.5 risk;
6.6 WIfI; 6.7 urgent drainage/debridement; 6.8 restage; 6.9 no revascularization at I0 unless…;
6.10 WIfI 1; 6.11 average risk WIfI 4 + I2–3; 6.17/6.18 vein mapping; 6.20/6.23 inflow first;
6.32 WIfI × GLASS; 6.33–6.37 high risk; 6.40/6.41 conduit. Fitridge 2023 (IWGDF/ESVS/SVS),
Senneville 2023 (IWGDF/IDSA), Wukich 2023 (Charcot), Björck 2020 (ESVS ALI), O'Donnell 2014
(SVS/AVF venous ulcer), Gohel 2018 (EVRA), De Maeseneer 2022 (ESVS CVD), Bosse 2001/2002 (LEAP),
Schanzer 2008 (PREVENT III), DiCaprio 2003 (bone sarcoma).
"""

import pytest

from limbsalvage.core.coordination.recommendations import from_engine
from limbsalvage.core.pathway import RULES, build_state, recommend
from limbsalvage.core.pathway.engine import reads_output
from limbsalvage.core.pathway.model import Category, Param, ReviewStatus, Strategy, Urgency, When
from limbsalvage.core.pathway.rules import EBR_GRID, conditions_of
from limbsalvage.core.pathway.sources import SOURCES
from limbsalvage.core.pathway.state import FACTS
from limbsalvage.core.pathway.thresholds import DEFAULT_THRESHOLDS
from tests.core.pathway.cases import RULE_CASES

BY_ID = {rule.rule_id: rule for rule in RULES}

# rule id → (guideline, recommendation as cited, category, urgency, strategy)
PINNED = {
    "gvg.refer_vascular_specialist": ("GVG 2019", "6.1", "referral", "urgent", None),
    "gvg.estimate_patient_risk": ("GVG 2019", "6.3–6.5", "assessment", "soon", None),
    "gvg.stage_limb": ("GVG 2019", "6.6", "assessment", "soon", None),
    "gvg.no_revascularization_without_ischemia": (
        "GVG 2019",
        "6.9",
        "revascularization",
        "routine",
        None,
    ),
    "gvg.targeted_revascularization_ischemia_0": (
        "GVG 2019",
        "6.9",
        "revascularization",
        "soon",
        None,
    ),
    "gvg.no_revascularization_wifi_1": ("GVG 2019", "6.10", "wound_care", "routine", None),
    "gvg.revascularization_wifi_1_failing": ("GVG 2019", "6.10", "revascularization", "soon", None),
    "gvg.average_risk.offer_revascularization": (
        "GVG 2019",
        "6.11",
        "revascularization",
        "soon",
        None,
    ),
    "gvg.average_risk.no_usable_vein": ("GVG 2019", "6.41", "revascularization", "soon", None),
    "gvg.high_risk.offer_endovascular": (
        "GVG 2019",
        "6.33",
        "revascularization",
        "soon",
        "endovascular",
    ),
    "gvg.high_risk.consider_endovascular": (
        "GVG 2019",
        "6.34",
        "revascularization",
        "soon",
        "endovascular",
    ),
    "gvg.high_risk.moderate_ischemia_failing": (
        "GVG 2019",
        "6.35",
        "revascularization",
        "soon",
        "endovascular",
    ),
    "gvg.high_risk.moderate_ischemia_reassess": ("GVG 2019", "6.36", "wound_care", "soon", None),
    "gvg.high_risk.consider_open_glass_iii": (
        "GVG 2019",
        "6.37",
        "revascularization",
        "soon",
        "open_bypass",
    ),
    "gvg.high_risk.consider_open_after_failed_endovascular": (
        "GVG 2019",
        "6.37",
        "revascularization",
        "soon",
        "open_bypass",
    ),
    "gvg.inflow_first": ("GVG 2019", "6.20", "revascularization", "soon", None),
    "gvg.vein_mapping": ("GVG 2019", "6.17", "imaging", "soon", None),
    "gvg.amputation_or_palliation_discussion": (
        "GVG 2019",
        "6.2, 9.2",
        "amputation_discussion",
        "soon",
        None,
    ),
    "gvg.best_medical_therapy": ("GVG 2019", "4.1, 4.2", "medical_therapy", "routine", None),
    "infection.source_control": ("GVG 2019", "6.7", "infection_control", "emergent", None),
    "infection.restage_after_source_control": ("GVG 2019", "6.8", "assessment", "urgent", None),
    "infection.urgent_surgical_assessment": (
        "IWGDF/IDSA infection 2023",
        "surgical",
        "infection_control",
        "urgent",
        None,
    ),
    "infection.severe_admit": (
        "IWGDF/IDSA infection 2023",
        "hospitalisation",
        "infection_control",
        "emergent",
        None,
    ),
    "charcot.offload_and_immobilise": (
        "ADA/IWGDF Charcot 2023",
        "treatment",
        "offloading",
        "urgent",
        None,
    ),
    "charcot.imaging": ("ADA/IWGDF Charcot 2023", "diagnosis", "imaging", "soon", None),
    "charcot.mimics_infection": (
        "IWGDF/IDSA infection 2023",
        "Charcot",
        "information",
        "routine",
        None,
    ),
    "dfu.bedside_pad_tests": ("IWGDF/ESVS/SVS PAD 2023", "diagnosis", "imaging", "soon", None),
    "dfu.urgent_vascular_imaging": (
        "IWGDF/ESVS/SVS PAD 2023",
        "urgent imaging",
        "imaging",
        "urgent",
        None,
    ),
    "dfu.non_healing_imaging": ("IWGDF/ESVS/SVS PAD 2023", "non-healing", "imaging", "soon", None),
    "dfu.offloading": ("IWGDF practical 2023", "offloading", "offloading", "soon", None),
    "dfu.glycaemic_control_endocrinology": (
        "IWGDF practical 2023",
        "team",
        "referral",
        "routine",
        None,
    ),
    "dfu.revascularization_before_major_amputation": (
        "IWGDF/ESVS/SVS PAD 2023",
        "major amputation",
        "imaging",
        "soon",
        None,
    ),
    "ali.anticoagulation": ("ESVS ALI 2020", "initial", "medical_therapy", "emergent", None),
    "ali.record_category": ("ESVS ALI 2020", "assessment", "assessment", "emergent", None),
    "ali.category_i": ("ESVS ALI 2020", "category", "imaging", "urgent", None),
    "ali.category_iia": ("ESVS ALI 2020", "category", "revascularization", "emergent", None),
    "ali.category_iib": ("ESVS ALI 2020", "category", "revascularization", "emergent", None),
    "ali.category_iii": ("ESVS ALI 2020", "category", "amputation_discussion", "emergent", None),
    "ali.compartment_monitoring": (
        "ESVS ALI 2020",
        "post-revascularization",
        "monitoring",
        "urgent",
        None,
    ),
    "venous.arterial_status_first": (
        "SVS/AVF venous ulcer 2014",
        "arterial",
        "imaging",
        "soon",
        None,
    ),
    "venous.abi_unreliable": ("SVS/AVF venous ulcer 2014", "arterial", "imaging", "soon", None),
    "venous.full_compression": (
        "SVS/AVF venous ulcer 2014",
        "compression",
        "compression",
        "soon",
        None,
    ),
    "venous.modified_compression": (
        "SVS/AVF venous ulcer 2014",
        "compression",
        "compression",
        "soon",
        None,
    ),
    "venous.no_compression": (
        "SVS/AVF venous ulcer 2014",
        "compression",
        "referral",
        "urgent",
        None,
    ),
    "venous.early_ablation": ("EVRA 2018", "early vs deferred", "referral", "soon", None),
    "venous.iliofemoral_obstruction": ("ESVS CVD 2022", "deep venous", "imaging", "soon", None),
    "venous.mixed_ulcer_arterial_first": (
        "SVS/AVF venous ulcer 2014",
        "mixed",
        "referral",
        "soon",
        None,
    ),
    "trauma.mess_for_information": ("LEAP 2001", "conclusions", "information", "routine", None),
    "trauma.team_decision": ("LEAP 2002", "conclusions", "referral", "urgent", None),
    "tumour.sarcoma_team": ("DiCaprio 2003", "goals", "referral", "soon", None),
    "tumour.reconstruction_options": (
        "DiCaprio 2003",
        "reconstruction",
        "referral",
        "routine",
        None,
    ),
    "tumour.msts_follow_up": ("DiCaprio 2003", "outcome", "assessment", "routine", None),
    "risk.prevent3": ("Schanzer 2008", "risk score", "information", "routine", None),
    "conference.wifi_stage_4": ("GVG 2019", "programme rule", "conference_review", "soon", None),
    "conference.glass_stage_iii": ("GVG 2019", "programme rule", "conference_review", "soon", None),
    "conference.indeterminate_strategy": ("GVG 2019", "6.32", "conference_review", "soon", None),
    "conference.major_amputation": ("GVG 2019", "9.2", "conference_review", "soon", None),
}


def test_ebr_grid_cell_by_cell() -> None:
    """GVG 6.32 grid, average risk with usable GSV (cells as read in the tool's evaluation)."""
    endo, bypass, open_question = "endovascular", "open_bypass", "indeterminate"
    grid = {cell: strategy.value for cell, strategy in EBR_GRID.items()}
    assert grid == {
        (2, "I"): endo, (2, "II"): endo, (2, "III"): open_question,
        (3, "I"): endo, (3, "II"): open_question, (3, "III"): bypass,
        (4, "I"): endo, (4, "II"): open_question, (4, "III"): bypass,
    }  # fmt: skip
    for (stage, glass), strategy in EBR_GRID.items():
        rule = BY_ID[f"gvg.ebr.wifi{stage}.glass_{glass.lower()}"]
        assert rule.strategy is strategy
        assert rule.citation.recommendation.startswith("recommendation 6.32")
        assert rule.review_status is ReviewStatus.SECONDARY


@pytest.mark.parametrize("rule_id", sorted(PINNED))
def test_rule_row_pinned_to_its_source(rule_id: str) -> None:
    guideline, number, category, urgency, strategy = PINNED[rule_id]
    rule = BY_ID[rule_id]
    assert rule.citation.guideline == guideline
    assert number in rule.citation.recommendation
    assert rule.citation.reference.startswith(SOURCES[guideline].citation)
    assert (rule.category, rule.urgency) == (Category(category), Urgency(urgency))
    assert rule.strategy == (None if strategy is None else Strategy(strategy))


def test_every_rule_is_pinned_and_has_a_case() -> None:
    grid = {f"gvg.ebr.wifi{s}.glass_{g.lower()}" for s, g in EBR_GRID}
    assert set(BY_ID) == set(PINNED) | grid
    assert set(BY_ID) == set(RULE_CASES)
    assert len(BY_ID) == len(RULES)


@pytest.mark.parametrize("rule_id", sorted(RULE_CASES))
def test_each_rule_fires_on_its_case(rule_id: str) -> None:
    result = recommend(build_state(RULE_CASES[rule_id]))
    fired = {r.rule_id: r for r in result.recommendations}
    assert rule_id in fired
    rec = fired[rule_id]
    assert rec.citation == BY_ID[rule_id].citation
    assert rec.rationale.startswith(BY_ID[rule_id].why)


def test_every_rule_reads_known_facts_and_thresholds() -> None:
    known = set(FACTS) | {"output.strategy", "output.category"}
    for rule in RULES:
        for condition in conditions_of(rule):
            assert set(condition.fields()) <= known, rule.rule_id
            stack = [condition]
            while stack:
                part = stack.pop()
                if isinstance(part, When):
                    if isinstance(part.value, Param):
                        assert part.value.name in DEFAULT_THRESHOLDS
                else:
                    stack.extend(part.parts)


def test_no_rule_turns_on_mess() -> None:
    """LEAP: MESS is shown, never a trigger of a recommendation other than the display itself."""
    for rule in RULES:
        fields = {name for c in conditions_of(rule) for name in c.fields()}
        if "mess_score" in fields:
            assert rule.rule_id == "trauma.mess_for_information"
            assert rule.category is Category.INFORMATION


def test_amputation_only_as_discussion_in_the_rows() -> None:
    for rule in RULES:
        if "amputation" in rule.text.lower():
            assert rule.discussion, rule.rule_id
        if rule.category is Category.AMPUTATION_DISCUSSION:
            assert rule.discussion
            assert rule.text.startswith("Discuss")


def test_output_rules_read_only_first_pass_output() -> None:
    """Rules reading other rules' output see only rules that read none (one pass suffices)."""
    second = [r for r in RULES if reads_output(r)]
    assert {r.rule_id for r in second} == {
        "gvg.vein_mapping",
        "dfu.revascularization_before_major_amputation",
        "conference.indeterminate_strategy",
        "conference.major_amputation",
    }
    for rule in second:
        assert rule.strategy is None
        assert rule.category is not Category.AMPUTATION_DISCUSSION


def test_thresholds_pinned_with_citations() -> None:
    """IWGDF 2023 urgent-imaging values (AP <50, ABI <0.4, TP <30, TcPO2 <25 mmHg), venous ABI
    bands 0.8 / 0.5 (SVS/AVF 2014 reading), GVG 50% wound reduction, non-compressible >1.3."""
    values = {name: t.value for name, t in DEFAULT_THRESHOLDS.items()}
    assert values == {
        "gvg_wound_reduction_4wk_pct": 50.0,
        "iwgdf_urgent_ankle_pressure_mmhg": 50.0,
        "iwgdf_urgent_abi": 0.4,
        "iwgdf_urgent_toe_pressure_mmhg": 30.0,
        "iwgdf_urgent_tcpo2_mmhg": 25.0,
        "venous_full_compression_abi": 0.8,
        "venous_no_compression_abi": 0.5,
        "noncompressible_abi": 1.3,
    }
    for threshold in DEFAULT_THRESHOLDS.values():
        assert threshold.citation
    assert "ESVS 2022" in DEFAULT_THRESHOLDS["venous_full_compression_abi"].note


def test_every_output_is_accepted_by_the_registry_services() -> None:
    """core.coordination stores what the engine emits (its JSON form), whatever the rule."""
    for case in RULE_CASES.values():
        for rec in recommend(build_state(case)).recommendations:
            stored = from_engine(rec.as_dict())
            assert (stored.rule_id, stored.urgency, stored.strategy) == (
                rec.rule_id,
                rec.urgency,
                rec.strategy,
            )
            assert stored.citation == rec.citation.reference
