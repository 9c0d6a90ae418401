"""The engine: three-valued conditions, ordering, the output pass, thresholds, missing data."""

from dataclasses import replace
from types import MappingProxyType

import pytest

from limbsalvage.core.pathway import (
    DEFAULT_THRESHOLDS,
    RULES,
    Category,
    Urgency,
    build_state,
    recommend,
)
from limbsalvage.core.pathway.engine import evaluate, sort_key
from limbsalvage.core.pathway.model import (
    AllOf,
    AnyOf,
    Citation,
    Op,
    Param,
    ReviewStatus,
    Rule,
    Threshold,
    When,
)
from tests.core.pathway.cases import AVG, CLTI, GLASS, STAGE3

T = DEFAULT_THRESHOLDS


@pytest.mark.parametrize(
    ("condition", "facts", "value", "unknown"),
    [
        (When("a", Op.IS, 1), {"a": 1}, True, ()),
        (When("a", Op.IS, 1), {"a": 2}, False, ()),
        (When("a", Op.IS, 1), {"a": None}, None, ("a",)),
        (When("a", Op.IN, (1, 2)), {"a": 2}, True, ()),
        (When("a", Op.LT, 3), {"a": 2}, True, ()),
        (When("a", Op.LE, 3), {"a": 3}, True, ()),
        (When("a", Op.GT, 3), {"a": 3}, False, ()),
        (When("a", Op.GE, 3), {"a": 3}, True, ()),
        (When("a", Op.INCLUDES, "x"), {"a": frozenset({"x"})}, True, ()),
        (When("a", Op.GIVEN), {"a": None}, False, ()),
        (When("a", Op.ABSENT), {"a": None}, True, ()),
        (When("a", Op.LT, Param("iwgdf_urgent_abi")), {"a": 0.39}, True, ()),
        (When("a", Op.LT, Param("iwgdf_urgent_abi")), {"a": 0.4}, False, ()),
        (AnyOf((When("a", Op.IS, 1), When("b", Op.IS, 1))), {"a": None, "b": 1}, True, ()),
        (AnyOf((When("a", Op.IS, 1), When("b", Op.IS, 1))), {"a": None, "b": 0}, None, ("a",)),
        (AnyOf((When("a", Op.IS, 1), When("b", Op.IS, 1))), {"a": 0, "b": 0}, False, ()),
        (AllOf((When("a", Op.IS, 1), When("b", Op.IS, 1))), {"a": None, "b": 0}, False, ()),
        (AllOf((When("a", Op.IS, 1), When("b", Op.IS, 1))), {"a": None, "b": 1}, None, ("a",)),
        (AllOf((When("a", Op.IS, 1), When("b", Op.IS, 1))), {"a": 1, "b": 1}, True, ()),
    ],
)
def test_three_valued_conditions(
    condition: When | AnyOf | AllOf, facts: dict[str, object], value: bool | None,
    unknown: tuple[str, ...],
) -> None:  # fmt: skip
    truth = evaluate(condition, facts, T)
    assert (truth.value, truth.unknown) == (value, unknown)


def test_condition_text_is_readable() -> None:
    condition = AnyOf(
        (When("abi", Op.LT, Param("iwgdf_urgent_abi")), When("usable_gsv", Op.IS, False),
         AllOf((When("x", Op.GIVEN), When("y", Op.IN, (2, 3)))))
    )  # fmt: skip
    assert condition.text() == (
        "(abi < [iwgdf_urgent_abi] or usable_gsv is false or (x is given and y in (2, 3)))"
    )
    assert When("ok", Op.IS, True).text() == "ok is true"
    assert condition.fields() == ("abi", "usable_gsv", "x", "y")


def test_emergent_first_then_category_then_id() -> None:
    result = recommend(build_state({**CLTI, "wet_gangrene": True, "ambulatory": False}))
    keys = [sort_key(r) for r in result.recommendations]
    assert keys == sorted(keys)
    assert result.recommendations[0].urgency is Urgency.EMERGENT
    assert result.recommendations[0].rule_id == "infection.source_control"


def test_discussion_never_lowers_source_control_urgency() -> None:
    """Deep-space infection with a proposed major amputation: source control stays emergent."""
    result = recommend(build_state({**CLTI, "deep_space_infection": True, "unsalvageable": True,
                                    "proposed_major_amputation": True}))  # fmt: skip
    fired = {r.rule_id: r for r in result.recommendations}
    assert fired["infection.source_control"].urgency is Urgency.EMERGENT
    assert fired["gvg.amputation_or_palliation_discussion"].urgency is Urgency.SOON
    assert result.recommendations[0].rule_id == "infection.source_control"


def test_output_pass_sees_first_pass_strategy() -> None:
    case = {**CLTI, **AVG, **STAGE3, **GLASS["II"], "usable_gsv": True}
    result = recommend(build_state(case))
    fired = {r.rule_id: r for r in result.recommendations}
    assert fired["gvg.ebr.wifi3.glass_ii"].strategy is not None
    assert (
        "strategy of the other recommendations indeterminate"
        in fired["conference.indeterminate_strategy"].rationale
    )
    assert fired["conference.indeterminate_strategy"].inputs == {}


def test_missing_lists_inputs_behind_undecided_rules() -> None:
    result = recommend(build_state({**CLTI, **STAGE3, **GLASS["II"], "usable_gsv": True}))
    missing = {m.field: m.rules for m in result.missing}
    assert "gvg.ebr.wifi3.glass_ii" in missing["perioperative_mortality_pct"]
    assert "gvg.ebr.wifi3.glass_ii" in missing["two_year_survival_pct"]
    assert "patient_risk" not in missing
    assert list(missing) == sorted(missing)


def test_fired_rule_names_unknown_exclusions() -> None:
    """Full compression fires at ABI 0.9 but would change if vessels were non-compressible."""
    result = recommend(build_state({"cause": "venous", "ceap_class": "C6", "abi": 0.9}))
    fired = {r.rule_id: r for r in result.recommendations}
    assert fired["venous.full_compression"].missing == ("non_compressible", "mixed_arterial_venous")
    by_field = {m.field: m.rules for m in result.missing}
    assert "venous.full_compression" in by_field["non_compressible"]


def test_thresholds_are_configurable() -> None:
    case = build_state({"cause": "diabetic_foot", "tcpo2_mmhg": 28.0})
    default = {r.rule_id for r in recommend(case).recommendations}
    assert "dfu.urgent_vascular_imaging" not in default
    stricter = dict(T)
    stricter["iwgdf_urgent_tcpo2_mmhg"] = replace(T["iwgdf_urgent_tcpo2_mmhg"], value=30.0)
    changed = {r.rule_id for r in recommend(case, thresholds=stricter).recommendations}
    assert "dfu.urgent_vascular_imaging" in changed


def test_text_placeholders_filled_from_the_limb() -> None:
    fired = {r.rule_id: r for r in recommend(build_state({"cause": "trauma", "mess_score": 8}))
             .recommendations}  # fmt: skip
    assert fired["trauma.mess_for_information"].text.startswith("MESS 8: for information only")
    risk = build_state({**CLTI, "dialysis": False, "tissue_loss": True, "age_years": 60,
                        "hematocrit_pct": 40, "coronary_artery_disease": False})  # fmt: skip
    text = {r.rule_id: r.text for r in recommend(risk).recommendations}["risk.prevent3"]
    assert "3 points → low risk" in text


def test_custom_rules_and_json_shape() -> None:
    rule = Rule(
        rule_id="x.test",
        trigger=(When("cause", Op.IS, "tumour"),),
        category=Category.INFORMATION,
        urgency=Urgency.ROUTINE,
        text="t",
        why="w",
        citation=Citation("g", "r", "ref"),
        review_status=ReviewStatus.CLINICIAN_REVIEWED,
    )
    result = recommend(build_state({"cause": "tumour"}), rules=[rule])
    assert result.as_dict() == {
        "recommendations": [
            {
                "id": "x.test",
                "category": "information",
                "urgency": "routine",
                "strategy": None,
                "text": "t",
                "rationale": "w. Based on: cause tumour.",
                "citation": {"guideline": "g", "recommendation": "r", "reference": "ref"},
                "missing": [],
                "discussion": False,
                "review_status": "clinician_reviewed",
                "inputs": {"cause": "tumour"},
            }
        ],
        "missing": [],
    }
    bare = replace(rule, trigger=())
    assert (
        recommend(build_state({"cause": "tumour"}), rules=[bare]).recommendations[0].rationale
        == "w."
    )


def test_threshold_table_is_read_only() -> None:
    assert isinstance(DEFAULT_THRESHOLDS, MappingProxyType)
    assert isinstance(DEFAULT_THRESHOLDS["iwgdf_urgent_abi"], Threshold)
    assert len(RULES) == len({r.rule_id for r in RULES})
