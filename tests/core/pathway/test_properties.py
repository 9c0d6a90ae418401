"""Hypothesis properties of the pathway over valid limb states."""

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from limbsalvage.core.pathway import Category, Urgency, build_state, recommend
from limbsalvage.core.pathway.sources import SOURCES
from limbsalvage.core.vocabulary import EpisodeCause

FLAGS = (
    "diabetes", "deep_space_infection", "wet_gangrene", "suspected_active_charcot",
    "inflow_disease", "usable_gsv", "failed_endovascular", "isolated_perfusion_deficit",
    "appropriate_care_4wk", "ulcer_not_healed_4_6_weeks", "ambulatory",
    "limited_life_expectancy", "proposed_major_amputation", "on_antiplatelet", "on_statin",
    "current_smoker", "anticoagulation_contraindicated", "superficial_reflux",
    "suspected_iliofemoral_obstruction", "mixed_arterial_venous", "unsalvageable",
    "non_compressible",
)  # fmt: skip


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    """Valid, consistent cases: grades given, raw perfusion only where no grade is given."""
    case: dict[str, Any] = {"cause": draw(st.sampled_from([c.value for c in EpisodeCause]))}
    optional = {
        "wound_grade": st.integers(0, 3),
        "infection_iwgdf": st.integers(1, 4),
        "fp_grade": st.integers(0, 4),
        "ip_grade": st.integers(0, 4),
        "wound_area_reduction_4wk_pct": st.floats(-200, 100),
        "perioperative_mortality_pct": st.floats(0, 100),
        "two_year_survival_pct": st.floats(0, 100),
        "ali_category": st.sampled_from(["I", "IIa", "IIb", "III"]),
        "ceap_class": st.sampled_from(["C4a", "C5", "C6", "C6r"]),
        "mess_score": st.integers(1, 14),
        "enneking_stage": st.sampled_from(["IA", "IIB", "IIIA"]),
        **{name: st.booleans() for name in FLAGS},
    }
    for name, strategy in optional.items():
        if draw(st.booleans()):
            case[name] = draw(strategy)
    perfusion = draw(st.sampled_from(["grade", "toe", "abi", "none"]))
    if perfusion == "grade":
        case["ischemia_grade"] = draw(st.integers(0, 3))
    elif perfusion == "toe":
        case["toe_pressure_mmhg"] = draw(st.floats(0, 150))
    elif perfusion == "abi":
        case["abi"] = draw(st.floats(0.1, 1.6))
    return case


@given(cases())
def test_every_valid_state_gives_a_well_formed_list(case: dict[str, Any]) -> None:
    result = recommend(build_state(case))
    ids = [r.rule_id for r in result.recommendations]
    assert len(ids) == len(set(ids))
    for rec in result.recommendations:
        assert rec.rule_id
        assert rec.text
        assert rec.rationale
        assert rec.category in Category
        assert rec.urgency in Urgency
        assert rec.citation.guideline in SOURCES
        assert rec.citation.recommendation
        payload = rec.as_dict()
        assert set(payload) >= {"id", "category", "urgency", "strategy", "rationale", "citation"}
    fields = [m.field for m in result.missing]
    assert fields == sorted(set(fields))
    assert all(m.rules for m in result.missing)


@given(cases())
def test_emergent_always_sorts_first(case: dict[str, Any]) -> None:
    urgencies = [r.urgency for r in recommend(build_state(case)).recommendations]
    order = list(Urgency)
    assert urgencies == sorted(urgencies, key=order.index)
    if Urgency.EMERGENT in urgencies:
        assert urgencies[0] is Urgency.EMERGENT


@given(cases())
def test_amputation_only_ever_with_a_discussion_framing(case: dict[str, Any]) -> None:
    for rec in recommend(build_state(case)).recommendations:
        if "amputation" in rec.text.lower() or rec.category is Category.AMPUTATION_DISCUSSION:
            assert rec.discussion, rec.rule_id


@given(cases())
def test_source_control_stays_emergent(case: dict[str, Any]) -> None:
    fired = {r.rule_id: r for r in recommend(build_state(case)).recommendations}
    if case.get("deep_space_infection") or case.get("wet_gangrene"):
        assert fired["infection.source_control"].urgency is Urgency.EMERGENT
        assert next(iter(fired.values())).urgency is Urgency.EMERGENT


@given(cases(), st.randoms())
def test_deterministic_whatever_the_field_order(case: dict[str, Any], rnd: Any) -> None:
    items = list(case.items())
    rnd.shuffle(items)
    first = recommend(build_state(case)).as_dict()
    assert recommend(build_state(dict(items))).as_dict() == first
    assert recommend(build_state(case)).as_dict() == first
