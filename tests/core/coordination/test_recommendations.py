"""Recommendation fingerprints and recompute plans: unchanged content is kept (no churn)."""

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from limbsalvage.core.coordination.recommendations import (
    RecommendationInput,
    from_engine,
    plan_recompute,
)
from limbsalvage.core.errors import InvalidInput
from limbsalvage.core.vocabulary import RevascularizationStrategy, Urgency


def rec(rule_id: str = "gvg.revasc.avg", **changes: object) -> RecommendationInput:
    base = RecommendationInput(
        rule_id=rule_id,
        category="revascularization",
        urgency=Urgency.URGENT,
        strategy=RevascularizationStrategy.ENDOVASCULAR,
        text="Offer revascularization; endovascular first.",
        rationale="WIfI stage 3, GLASS I, average risk.",
        citation="GVG 2019, recommendation 6.9",
        missing=("toe_pressure_mmhg",),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_fingerprint_covers_what_is_asked_not_the_explanation() -> None:
    first = rec()
    assert len(first.fingerprint()) == 64
    assert rec(rationale="WIfI stage 3 (W2 I2 fI1).").fingerprint() == first.fingerprint()
    assert rec(missing=()).fingerprint() == first.fingerprint()
    assert rec(text="Offer  revascularization;\nendovascular first.").fingerprint() == (
        first.fingerprint()
    )
    for change in (
        {"urgency": Urgency.EMERGENT},
        {"strategy": None},
        {"strategy": RevascularizationStrategy.OPEN_BYPASS},
        {"text": "Offer bypass."},
        {"citation": "GVG 2019, recommendation 6.10"},
        {"discussion": True},
        {"category": "imaging"},
    ):
        assert rec(**change).fingerprint() != first.fingerprint(), change


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"rule_id": ""}, "rule_id: '' is not allowed"),
        ({"rule_id": "x" * 101}, "rule_id: .* 1–100 characters"),
        ({"category": "Imaging"}, "category: 'Imaging' is not allowed; expected a lowercase"),
        ({"category": "im aging"}, "category: 'im aging'"),
        ({"category": ""}, "category: ''"),
        ({"text": " "}, "text: ' ' is not allowed; expected a non-empty text"),
        ({"citation": ""}, "citation: ''"),
    ],
)
def test_bad_input_is_named(changes: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        rec(**changes)


def engine_item(**changes: object) -> dict[str, object]:
    item: dict[str, object] = {
        "id": "gvg.revasc.avg",
        "category": "revascularization",
        "urgency": "urgent",
        "strategy": "endovascular",
        "text": "Offer revascularization; endovascular first.",
        "rationale": "WIfI stage 3, GLASS I, average risk.",
        "citation": {
            "guideline": "GVG 2019",
            "recommendation": "6.9",
            "reference": "Conte MS et al. GVG 2019, recommendation 6.9",
        },
        "missing": ["toe_pressure_mmhg"],
        "discussion": False,
        "review_status": "source_read",
        "inputs": {},
    }
    item.update(changes)
    return item


def test_from_the_engine_json_form() -> None:
    parsed = from_engine(engine_item())
    assert parsed.rule_id == "gvg.revasc.avg"
    assert parsed.citation == "Conte MS et al. GVG 2019, recommendation 6.9"
    assert parsed.missing == ("toe_pressure_mmhg",)
    assert parsed.strategy is RevascularizationStrategy.ENDOVASCULAR
    plain = from_engine(engine_item(citation="GVG 2019 6.9", strategy=None, missing=None))
    assert (plain.citation, plain.strategy, plain.missing) == ("GVG 2019 6.9", None, ())
    only_guideline = from_engine(engine_item(citation={"guideline": "GVG 2019"}))
    assert only_guideline.citation == "GVG 2019"
    assert from_engine(engine_item(rationale=None)).rationale == ""
    with pytest.raises(InvalidInput, match="urgency: 'asap' is not allowed"):
        from_engine(engine_item(urgency="asap"))
    with pytest.raises(InvalidInput, match="strategy: 'hybrid' is not allowed"):
        from_engine(engine_item(strategy="hybrid"))
    with pytest.raises(InvalidInput, match="missing: 'abi' is not allowed; expected a list"):
        from_engine(engine_item(missing="abi"))


def test_plan() -> None:
    kept, changed, gone = rec("a"), rec("b"), rec("c")
    current = {
        "a": kept.fingerprint(),
        "b": changed.fingerprint(),
        "c": gone.fingerprint(),
    }
    plan = plan_recompute(
        current=current, computed=[kept, rec("b", urgency=Urgency.EMERGENT), rec("d")]
    )
    assert (plan.keep, plan.change, plan.add, plan.withdraw) == (("a",), ("b",), ("d",), ("c",))
    assert plan.by_rule["d"].rule_id == "d"
    with pytest.raises(InvalidInput, match="rule_id: 'a' is not allowed; expected each rule"):
        plan_recompute(current={}, computed=[kept, kept])


recommendations = st.builds(
    rec,
    rule_id=st.sampled_from(["r1", "r2", "r3", "r4"]),
    urgency=st.sampled_from(Urgency),
    text=st.sampled_from(["Offer A.", "Offer B."]),
    rationale=st.text(max_size=5),
)
computations = st.lists(recommendations, max_size=4, unique_by=lambda r: r.rule_id)


@given(computations)
def test_property_recomputing_the_same_output_changes_nothing(
    output: list[RecommendationInput],
) -> None:
    current = {r.rule_id: r.fingerprint() for r in output}
    plan = plan_recompute(current=current, computed=output)
    assert plan.keep == tuple(r.rule_id for r in output)
    assert plan.add == plan.change == plan.withdraw == ()


@given(before=computations, after=computations)
def test_property_plan_partitions_the_rules(
    before: list[RecommendationInput], after: list[RecommendationInput]
) -> None:
    current = {r.rule_id: r.fingerprint() for r in before}
    plan = plan_recompute(current=current, computed=after)
    new_rules = {r.rule_id for r in after}
    assert set(plan.keep) | set(plan.change) | set(plan.add) == new_rules
    assert set(plan.keep) | set(plan.change) | set(plan.withdraw) == set(current)
    everything = [*plan.keep, *plan.change, *plan.add, *plan.withdraw]
    assert len(everything) == len(set(everything))
