"""University of Texas classification — Lavery LA et al. J Foot Ankle Surg 1996;35:528–31 and
Armstrong DG et al. Diabetes Care 1998;21:855–9, as reproduced in World J Diabetes 2022 table 2:
grade 0 pre- or post-ulcerative site completely epithelialized, 1 superficial wound not involving
tendon, capsule or bone, 2 wound penetrating to tendon or capsule, 3 penetrating to bone or joint;
stage A without infection or ischaemia, B infected, C ischaemic, D infected and ischaemic."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from limbsalvage.core.errors import CannotClassify, InvalidInput
from limbsalvage.core.registry import SYSTEMS
from limbsalvage.core.texas import SYSTEM, TexasResult, TexasStage, WoundDepth, classify_texas

DEPTHS = ["epithelialized", "superficial", "tendon_or_capsule", "bone_or_joint"]
STAGES = {(False, False): "A", (True, False): "B", (False, True): "C", (True, True): "D"}


@pytest.mark.parametrize("grade", range(4))
@pytest.mark.parametrize(("infection", "ischemia"), list(STAGES))
def test_all_sixteen_cells(grade: int, infection: bool, ischemia: bool) -> None:
    result = classify_texas(wound_depth=DEPTHS[grade], infection=infection, ischemia=ischemia)
    stage = STAGES[(infection, ischemia)]
    assert (result.grade, result.stage, result.code) == (grade, stage, f"{grade}{stage}")
    assert "Lavery" in result.source
    assert result.tables[0].ref == "texas-grade-stage@1996.1"


def test_rationale_names_depth_and_stage() -> None:
    result = classify_texas(wound_depth="tendon_or_capsule", infection=True, ischemia=False)
    assert result.rationale == (
        "wound penetrating to tendon or capsule → grade 2; infected, not ischaemic → stage B: 2B"
    )
    assert dict(result.inputs) == {
        "wound_depth": "tendon_or_capsule",
        "infection": True,
        "ischemia": False,
    }


def test_published_cohort_figures_from_armstrong_1998_abstract() -> None:
    # "There were no amputations performed within this stage" (non-infected, non-ischaemic).
    clean = classify_texas(wound_depth="superficial", infection=False, ischemia=False)
    assert clean.published_outcomes == (
        "no amputations within 6 months among non-infected, non-ischaemic wounds",
    )
    # Probing to bone 18.3 % vs 2.0 %; infection and ischaemia 76.5 % vs 3.5 %.
    worst = classify_texas(wound_depth="bone_or_joint", infection=True, ischemia=True)
    assert any("76.5%" in text for text in worst.published_outcomes)
    assert any("18.3%" in text for text in worst.published_outcomes)
    assert worst.tables[-1].ref == "texas-outcomes-1998@1998.1"
    neither = classify_texas(wound_depth="superficial", infection=True, ischemia=False)
    assert (neither.published_outcomes, len(neither.tables)) == ((), 1)


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"wound_depth": "deep", "infection": True, "ischemia": False}, "wound_depth"),
        ({"wound_depth": "superficial", "infection": "yes", "ischemia": False}, "infection"),
        ({"wound_depth": "superficial", "infection": True, "ischemia": 0}, "ischemia"),
    ],
)
def test_invalid_values_name_the_field(arguments: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        classify_texas(**arguments)  # type: ignore[arg-type]
    assert raised.value.field == field


def test_record_from_text() -> None:
    assert SYSTEMS["texas"] is SYSTEM
    result = SYSTEM.classify_record(
        {"wound_depth": "bone_or_joint", "infection": "no", "ischemia": "yes"}
    )
    assert isinstance(result, TexasResult)
    assert result.as_row()["code"] == "3C"
    with pytest.raises(CannotClassify, match="missing ischemia"):
        SYSTEM.classify_record({"wound_depth": "superficial", "infection": "no", "ischemia": ""})
    with pytest.raises(InvalidInput, match="infection"):
        SYSTEM.classify_record({"wound_depth": "superficial", "infection": "2", "ischemia": "no"})


wounds = st.tuples(st.sampled_from(list(WoundDepth)), st.booleans(), st.booleans())


@given(wounds, wounds)
def test_total_and_monotone(
    wound: tuple[WoundDepth, bool, bool], other: tuple[WoundDepth, bool, bool]
) -> None:
    depth, infection, ischemia = wound
    other_depth, other_infection, other_ischemia = other
    base = classify_texas(wound_depth=depth, infection=infection, ischemia=ischemia)
    worse = classify_texas(
        wound_depth=max(depth, other_depth, key=list(WoundDepth).index),
        infection=infection or other_infection,
        ischemia=ischemia or other_ischemia,
    )
    assert worse.grade >= base.grade
    # Stages form a lattice: adding infection or ischaemia never drops a finding.
    assert (worse.stage in {TexasStage.B, TexasStage.D}) >= (
        base.stage in {TexasStage.B, TexasStage.D}
    )
    assert (worse.stage in {TexasStage.C, TexasStage.D}) >= (
        base.stage in {TexasStage.C, TexasStage.D}
    )
