"""Vignettes built from the guidelines' own recommendations (each names the one it illustrates)."""

from limbsalvage.core.pathway import Strategy, Urgency, build_state, recommend
from tests.core.pathway.cases import AVG, CLTI, GLASS, HIGH


def _fired(case: dict[str, object]) -> dict[str, object]:
    return {r.rule_id: r for r in recommend(build_state(case)).recommendations}


def test_gvg_6_9_ischemia_grade_0_all_qualifiers() -> None:
    """GVG 6.9: I0, W2 wound, isolated perfusion deficit, 20% smaller after 4 weeks of appropriate
    care → targeted revascularization considered; at 60% reduction, or a W1 wound, or care not
    documented → revascularization not recommended."""
    base = {**CLTI, "wound_grade": 2, "ischemia_grade": 0, "infection_grade": 0,
            "isolated_perfusion_deficit": True, "appropriate_care_4wk": True}  # fmt: skip
    failing = _fired({**base, "wound_area_reduction_4wk_pct": 20})
    assert "gvg.targeted_revascularization_ischemia_0" in failing
    assert "gvg.no_revascularization_without_ischemia" not in failing
    for change in ({"wound_area_reduction_4wk_pct": 60}, {"wound_area_reduction_4wk_pct": 20,
                   "wound_grade": 1}, {"wound_area_reduction_4wk_pct": 20,
                   "appropriate_care_4wk": False}):  # fmt: skip
        fired = _fired({**base, **change})
        assert "gvg.targeted_revascularization_ischemia_0" not in fired
        assert "gvg.no_revascularization_without_ischemia" in fired
    unknown = recommend(build_state(base))
    fired = {r.rule_id: r for r in unknown.recommendations}
    assert fired["gvg.no_revascularization_without_ischemia"].missing == (
        "wound_area_reduction_4wk_pct",
    )
    assert all(r.strategy is None for r in unknown.recommendations)


def test_gvg_6_33_high_risk_dialysis_patient_with_stage_4_limb() -> None:
    """High risk (2-year survival 40%), W3 I3 fI1 (stage 4): endovascular offered (6.33)."""
    fired = _fired({**CLTI, **HIGH, "wound_grade": 3, "ischemia_grade": 3, "infection_grade": 1,
                    **GLASS["II"]})  # fmt: skip
    assert fired["gvg.high_risk.offer_endovascular"].strategy is Strategy.ENDOVASCULAR
    assert not any(rid.startswith("gvg.ebr.") for rid in fired)
    assert "conference.wifi_stage_4" in fired


def test_gvg_6_32_average_risk_complex_anatomy_bypass() -> None:
    """Average risk, usable GSV, W2 I2 fI0 (stage 3), GLASS III → open bypass favoured, vein
    mapping before bypass, conference review for GLASS III."""
    fired = _fired({**CLTI, **AVG, "wound_grade": 2, "ischemia_grade": 2, "infection_grade": 0,
                    **GLASS["III"], "usable_gsv": True})  # fmt: skip
    assert fired["gvg.ebr.wifi3.glass_iii"].strategy is Strategy.OPEN_BYPASS
    assert "gvg.vein_mapping" in fired
    assert "conference.glass_stage_iii" in fired


def test_gvg_6_20_inflow_before_outflow() -> None:
    fired = _fired({**CLTI, **AVG, "inflow_disease": True})
    assert "restage" in fired["gvg.inflow_first"].text


def test_esvs_ali_category_iib_from_findings() -> None:
    """Beyond-toes sensory loss with rest pain, mild weakness, inaudible arterial Doppler →
    IIb: immediate revascularization without imaging delay, anticoagulation, compartments."""
    result = recommend(build_state({"cause": "acute_limb_ischemia",
                                    "sensory_loss": "beyond_toes_with_rest_pain",
                                    "muscle_weakness": "mild_moderate",
                                    "arterial_doppler_audible": False,
                                    "venous_doppler_audible": True}))  # fmt: skip
    ids = [r.rule_id for r in result.recommendations]
    assert ids[:2] == ["ali.category_iib", "ali.anticoagulation"]
    assert all(r.urgency is Urgency.EMERGENT for r in result.recommendations[:2])
    assert "does not delay" in result.recommendations[0].text
    assert "ali.compartment_monitoring" in ids
    assert "anticoagulation_contraindicated" in {m.field for m in result.missing} | set(
        result.recommendations[1].missing
    )


def test_esvs_ali_category_iii_is_a_discussion() -> None:
    fired = _fired({"cause": "acute_limb_ischemia", "ali_category": "III",
                    "anticoagulation_contraindicated": True})  # fmt: skip
    assert fired["ali.category_iii"].discussion
    assert "ali.anticoagulation" not in fired
    assert "conference.major_amputation" in fired


def test_evra_population_full_compression_and_early_ablation() -> None:
    """EVRA: venous ulcer, ABI ≥0.8, superficial reflux → compression, ablation within 2 weeks."""
    fired = _fired({"cause": "venous", "ceap_class": "C6", "abi": 0.95, "superficial_reflux": True,
                    "non_compressible": False, "mixed_arterial_venous": False})  # fmt: skip
    assert "venous.full_compression" in fired
    assert "within 2 weeks" in fired["venous.early_ablation"].text


def test_venous_ulcer_never_judged_on_a_non_compressible_abi() -> None:
    fired = _fired({"cause": "venous", "ceap_class": "C6", "abi": 1.45, "superficial_reflux": True})
    assert "venous.abi_unreliable" in fired
    assert not {"venous.full_compression", "venous.early_ablation"} & set(fired)
    flagged = _fired({"cause": "venous", "ceap_class": "C6", "abi": 0.9, "non_compressible": True})
    assert "venous.full_compression" not in flagged
    mixed = _fired(
        {"cause": "venous", "ceap_class": "C6", "abi": 0.9, "mixed_arterial_venous": True}
    )
    assert "venous.full_compression" not in mixed
    assert "venous.mixed_ulcer_arterial_first" in mixed


def test_iwgdf_infected_ischaemic_diabetic_foot() -> None:
    """Moderate infection, toe pressure 20 mmHg → urgent surgical assessment and urgent imaging."""
    fired = _fired({"cause": "diabetic_foot", "infection_iwgdf": 3, "toe_pressure_mmhg": 20,
                    "diabetes": True})  # fmt: skip
    assert fired["infection.urgent_surgical_assessment"].urgency is Urgency.URGENT
    assert fired["dfu.urgent_vascular_imaging"].urgency is Urgency.URGENT
    assert "dfu.offloading" in fired


def test_leap_mess_never_decides() -> None:
    """MESS 9 (≥7, Johansen's proposed cut-off) gives information and a team decision only."""
    result = recommend(build_state({"cause": "trauma", "skeletal_soft_tissue_points": 3,
                                    "limb_ischemia_points": 2, "ischemia_hours": 7,
                                    "shock_points": 1, "age_years": 45}))  # fmt: skip
    ids = {r.rule_id for r in result.recommendations}
    assert ids == {"trauma.mess_for_information", "trauma.team_decision"}
    assert all(r.discussion for r in result.recommendations)


def test_tumour_pathway() -> None:
    fired = _fired({"cause": "tumour", "enneking_stage": "IIB"})
    assert set(fired) == {"tumour.sarcoma_team", "tumour.reconstruction_options",
                          "tumour.msts_follow_up"}  # fmt: skip
