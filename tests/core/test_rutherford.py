"""Rutherford chronic limb ischaemia — Rutherford RB et al. J Vasc Surg 1997;26:517–38, table of
clinical categories, as reproduced by Hardman RL et al. Semin Intervent Radiol 2014;31:378–88,
Table 2 (categories 4–6 also in Conte MS et al. GVG, J Vasc Surg 2019;69:3S, Table 1.1):

    grade 0   cat 0  asymptomatic            normal treadmill or reactive hyperaemia test
    grade I   cat 1  mild claudication       completes treadmill; AP after exercise > 50 mmHg
                                             but at least 20 mmHg lower than resting value
              cat 2  moderate claudication   between categories 1 and 3
              cat 3  severe claudication     cannot complete standard treadmill; AP after
                                             exercise < 50 mmHg
    grade II  cat 4  ischaemic rest pain     resting AP < 40 mmHg, flat or barely pulsatile
                                             ankle or metatarsal PVR; TP < 30 mmHg
    grade III cat 5  minor tissue loss       resting AP < 60 mmHg, PVR flat or barely
                                             pulsatile; TP < 40 mmHg
              cat 6  major tissue loss       same as category 5
"""

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from limbsalvage.core.errors import CannotClassify, InvalidInput
from limbsalvage.core.rutherford import (
    SYSTEM,
    ObjectiveSupport,
    Presentation,
    RutherfordGrade,
    classify_rutherford,
)
from limbsalvage.core.tables import rutherford as table

GRADES = [RutherfordGrade.ZERO, RutherfordGrade.I, RutherfordGrade.II, RutherfordGrade.III]


@pytest.mark.parametrize(
    ("presentation", "category", "grade"),
    [
        ("asymptomatic", 0, "0"),
        ("mild_claudication", 1, "I"),
        ("moderate_claudication", 2, "I"),
        ("severe_claudication", 3, "I"),
        ("rest_pain", 4, "II"),
        ("minor_tissue_loss", 5, "III"),
        ("major_tissue_loss", 6, "III"),
    ],
)
def test_each_published_category(presentation: str, category: int, grade: str) -> None:
    result = classify_rutherford(presentation=presentation)
    assert (result.category, result.grade) == (category, grade)
    assert result.objective_criteria is ObjectiveSupport.NOT_ASSESSED
    assert result.objective_findings == ()
    assert dict(result.inputs) == {"presentation": presentation}
    assert "Rutherford" in result.source
    assert result.tables[0].ref == "rutherford-chronic@1997.1"


def test_table_rows_cell_by_cell() -> None:
    """Hardman 2014 Table 2 (citing Rutherford 1997): category, grade and both columns."""
    rows = [(r.category, r.grade) for r in table.CHRONIC_CATEGORIES]
    assert rows == [(0, "0"), (1, "I"), (2, "I"), (3, "I"), (4, "II"), (5, "III"), (6, "III")]
    objective = [r.objective_criteria for r in table.CHRONIC_CATEGORIES]
    assert "normal treadmill or reactive hyperaemia test" in objective[0]
    assert "above 50 mmHg but at least 20 mmHg below the resting value" in objective[1]
    assert objective[2] == "between categories 1 and 3"
    assert "cannot complete" in objective[3]
    assert "below 50 mmHg" in objective[3]
    assert "below 40 mmHg" in objective[4]
    assert "toe pressure below 30 mmHg" in objective[4]
    assert "below 60 mmHg" in objective[5]
    assert "toe pressure below 40 mmHg" in objective[5]
    assert objective[6] == "same as category 5"
    assert "transmetatarsal" in table.CHRONIC_CATEGORIES[6].description
    # Cut-offs as data.
    assert table.POST_EXERCISE_ANKLE_MMHG == 50
    assert table.CLAUDICATION_DROP_MMHG == 20
    assert table.CLAUDICATION_DROP_REJECTED_MMHG == 25
    assert (table.REST_PAIN_ANKLE_MMHG, table.REST_PAIN_TOE_MMHG) == (40, 30)
    assert (table.TISSUE_LOSS_ANKLE_MMHG, table.TISSUE_LOSS_TOE_MMHG) == (60, 40)


def test_rest_pain_with_high_ankle_pressure_keeps_category_but_says_not_met() -> None:
    # Never silently change the category: the clinical picture decides, the check is reported.
    result = classify_rutherford(presentation="rest_pain", resting_ankle_pressure_mmhg=130)
    assert result.category == 4
    assert result.objective_criteria is ObjectiveSupport.NOT_MET
    assert result.objective_findings == (
        "resting_ankle_pressure_mmhg: 130 mmHg (criterion: below 40 mmHg)",
    )
    assert result.rationale.startswith("ischaemic rest pain → category 4, grade II")
    assert result.rationale.endswith(": not met")


def test_rest_pain_all_criteria_met() -> None:
    result = classify_rutherford(
        presentation="rest_pain",
        resting_ankle_pressure_mmhg=35,
        toe_pressure_mmhg=20,
        pvr_flat_or_barely_pulsatile=True,
    )
    assert result.objective_criteria is ObjectiveSupport.MET
    assert dict(result.inputs) == {
        "presentation": "rest_pain",
        "resting_ankle_pressure_mmhg": 35.0,
        "toe_pressure_mmhg": 20.0,
        "pvr_flat_or_barely_pulsatile": True,
    }
    assert result.provenance == ""


def test_calcified_ankle_with_low_toe_pressure_is_partly_met() -> None:
    result = classify_rutherford(
        presentation="minor_tissue_loss",
        resting_ankle_pressure_mmhg=180,
        toe_pressure_mmhg=25,
        pvr_flat_or_barely_pulsatile=False,
    )
    assert result.category == 5
    assert result.objective_criteria is ObjectiveSupport.PARTLY_MET
    assert any("incompressible" in finding for finding in result.objective_findings)
    assert "pvr_flat_or_barely_pulsatile: pulsatile" in result.objective_findings[1]


@pytest.mark.parametrize(
    ("presentation", "measure", "value", "met"),
    [
        # "below" is strict: the cut-off itself does not meet the criterion.
        ("rest_pain", "resting_ankle_pressure_mmhg", 40, False),
        ("rest_pain", "resting_ankle_pressure_mmhg", 39.9, True),
        ("rest_pain", "toe_pressure_mmhg", 30, False),
        ("rest_pain", "toe_pressure_mmhg", 29.9, True),
        ("minor_tissue_loss", "resting_ankle_pressure_mmhg", 60, False),
        ("minor_tissue_loss", "resting_ankle_pressure_mmhg", 59.9, True),
        ("minor_tissue_loss", "toe_pressure_mmhg", 40, False),
        ("minor_tissue_loss", "toe_pressure_mmhg", 39.9, True),
        ("major_tissue_loss", "resting_ankle_pressure_mmhg", 59, True),
        ("major_tissue_loss", "toe_pressure_mmhg", 40, False),
        # Claudication: category 1 needs more than 50, category 3 less than 50.
        ("mild_claudication", "post_exercise_ankle_pressure_mmhg", 50, False),
        ("mild_claudication", "post_exercise_ankle_pressure_mmhg", 50.1, True),
        ("severe_claudication", "post_exercise_ankle_pressure_mmhg", 50, False),
        ("severe_claudication", "post_exercise_ankle_pressure_mmhg", 49.9, True),
    ],
)
def test_cut_off_boundaries(presentation: str, measure: str, value: float, met: bool) -> None:
    result = classify_rutherford(presentation=presentation, **{measure: value})
    expected = ObjectiveSupport.MET if met else ObjectiveSupport.NOT_MET
    assert result.objective_criteria is expected


@pytest.mark.parametrize(
    ("resting", "post", "met"),
    [(100, 80, True), (100, 81, False), (100, 60, True)],
)
def test_category_1_fall_of_at_least_20_mmhg(resting: float, post: float, met: bool) -> None:
    # "at least 20 mmHg lower than resting value": a fall of exactly 20 meets it, 19 does not.
    result = classify_rutherford(
        presentation="mild_claudication",
        treadmill_completed=True,
        resting_ankle_pressure_mmhg=resting,
        post_exercise_ankle_pressure_mmhg=post,
    )
    expected = ObjectiveSupport.MET if met else ObjectiveSupport.PARTLY_MET
    assert result.objective_criteria is expected
    assert "25 mmHg" in result.provenance
    assert result.inputs["resting_ankle_pressure_mmhg"] == resting


def test_category_0_normal_test_reading() -> None:
    normal = classify_rutherford(
        presentation="asymptomatic",
        treadmill_completed=True,
        resting_ankle_pressure_mmhg=130,
        post_exercise_ankle_pressure_mmhg=125,
    )
    assert normal.objective_criteria is ObjectiveSupport.MET
    assert "complement of category 1" in normal.provenance
    fall = classify_rutherford(
        presentation="asymptomatic",
        treadmill_completed=True,
        resting_ankle_pressure_mmhg=130,
        post_exercise_ankle_pressure_mmhg=110,
    )
    assert fall.objective_criteria is ObjectiveSupport.PARTLY_MET
    stopped = classify_rutherford(presentation="asymptomatic", treadmill_completed=False)
    assert stopped.objective_criteria is ObjectiveSupport.NOT_MET
    assert stopped.provenance == ""


@pytest.mark.parametrize(
    ("completed", "post", "met"),
    [
        (True, 50, True),  # exactly 50 meets neither category 1 nor 3
        (True, 40, True),
        (False, 50, True),
        (False, 70, True),
        (True, 51, False),  # category 1 pattern
        (False, 49, False),  # category 3 pattern
    ],
)
def test_category_2_between_1_and_3(completed: bool, post: float, met: bool) -> None:
    result = classify_rutherford(
        presentation="moderate_claudication",
        treadmill_completed=completed,
        post_exercise_ankle_pressure_mmhg=post,
    )
    expected = ObjectiveSupport.MET if met else ObjectiveSupport.NOT_MET
    assert result.objective_criteria is expected
    assert "between categories 1 and 3" in result.provenance


def test_category_2_needs_both_treadmill_and_post_exercise_pressure() -> None:
    result = classify_rutherford(presentation="moderate_claudication", treadmill_completed=True)
    assert result.objective_criteria is ObjectiveSupport.NOT_ASSESSED
    assert result.objective_findings == (
        "treadmill_completed alone cannot place a limb between categories 1 and 3",
    )
    assert dict(result.inputs) == {"presentation": "moderate_claudication"}


def test_severe_claudication_checks_treadmill_failure() -> None:
    result = classify_rutherford(
        presentation="severe_claudication",
        treadmill_completed=False,
        post_exercise_ankle_pressure_mmhg=30,
    )
    assert result.objective_criteria is ObjectiveSupport.MET
    assert result.objective_findings[0] == (
        "treadmill_completed: did not complete the test (criterion: failure to complete)"
    )


def test_measures_outside_the_category_are_listed_and_not_used() -> None:
    result = classify_rutherford(
        presentation="major_tissue_loss",
        treadmill_completed=False,
        post_exercise_ankle_pressure_mmhg=20,
        toe_pressure_mmhg=10,
    )
    assert dict(result.inputs) == {"presentation": "major_tissue_loss", "toe_pressure_mmhg": 10.0}
    assert result.objective_findings[1:] == (
        "treadmill_completed given but not a criterion of category 6; not used",
        "post_exercise_ankle_pressure_mmhg given but not a criterion of category 6; not used",
    )
    assert result.objective_criteria is ObjectiveSupport.MET


def test_missing_presentation() -> None:
    with pytest.raises(CannotClassify) as raised:
        classify_rutherford(toe_pressure_mmhg=20)
    assert raised.value.missing == ("presentation",)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("resting_ankle_pressure_mmhg", -1),
        ("resting_ankle_pressure_mmhg", math.nan),
        ("toe_pressure_mmhg", math.inf),
        ("toe_pressure_mmhg", 300.1),
        ("post_exercise_ankle_pressure_mmhg", True),
        ("post_exercise_ankle_pressure_mmhg", "40"),
        ("treadmill_completed", "yes"),
        ("pvr_flat_or_barely_pulsatile", 1),
        ("presentation", "claudication"),
        ("presentation", ""),
    ],
)
def test_bad_values_name_the_field(field: str, value: object) -> None:
    arguments: dict[str, object] = {"presentation": "rest_pain", field: value}
    with pytest.raises(InvalidInput) as raised:
        classify_rutherford(**arguments)  # type: ignore[arg-type]
    assert raised.value.field == field


def test_result_is_json_ready() -> None:
    result = classify_rutherford(presentation="rest_pain", toe_pressure_mmhg=20)
    data = json.loads(json.dumps(result.as_dict()))
    assert data["category"] == 4
    assert data["grade"] == "II"
    assert data["objective_criteria"] == "met"
    assert result.as_row()["objective_findings"] == [
        "toe_pressure_mmhg: 20 mmHg (criterion: below 30 mmHg)"
    ]


def test_record_from_text() -> None:
    result = SYSTEM.classify_record(
        {
            "presentation": "mild_claudication",
            "treadmill_completed": "yes",
            "post_exercise_ankle_pressure_mmhg": "70",
            "resting_ankle_pressure_mmhg": "110",
            "toe_pressure_mmhg": "",
            "pvr_flat_or_barely_pulsatile": "",
        }
    )
    assert (result.category, result.objective_criteria) == (1, ObjectiveSupport.MET)
    with pytest.raises(CannotClassify, match="missing presentation"):
        SYSTEM.classify_record({"presentation": " ", "toe_pressure_mmhg": "20"})
    with pytest.raises(InvalidInput, match="toe_pressure_mmhg"):
        SYSTEM.classify_record({"presentation": "rest_pain", "toe_pressure_mmhg": "low"})
    with pytest.raises(InvalidInput, match="toe_pressure_mmhg"):
        SYSTEM.classify_record({"presentation": "rest_pain", "toe_pressure_mmhg": "-5"})
    with pytest.raises(InvalidInput, match="toe_pressure_mmhg"):
        SYSTEM.classify_record({"presentation": "rest_pain", "toe_pressure_mmhg": "nan"})
    with pytest.raises(InvalidInput, match="treadmill_completed"):
        SYSTEM.classify_record({"presentation": "rest_pain", "treadmill_completed": "perhaps"})
    with pytest.raises(InvalidInput, match="presentation"):
        SYSTEM.classify_record({"presentation": "gangrene"})


PRESSURE = st.none() | st.floats(min_value=0, max_value=300, allow_nan=False)
FLAG = st.none() | st.booleans()
SYSTEM_FIELD_NAMES = {f.name for f in SYSTEM.fields}


@given(
    presentation=st.sampled_from(list(Presentation)),
    treadmill=FLAG,
    post=PRESSURE,
    resting=PRESSURE,
    toe=PRESSURE,
    pvr=FLAG,
)
def test_total_and_category_from_the_clinical_picture_alone(
    *,
    presentation: Presentation,
    treadmill: bool | None,
    post: float | None,
    resting: float | None,
    toe: float | None,
    pvr: bool | None,
) -> None:
    result = classify_rutherford(
        presentation=presentation,
        treadmill_completed=treadmill,
        post_exercise_ankle_pressure_mmhg=post,
        resting_ankle_pressure_mmhg=resting,
        toe_pressure_mmhg=toe,
        pvr_flat_or_barely_pulsatile=pvr,
    )
    # The objective measures never move the category; a worse picture never lowers it.
    assert result.category == list(Presentation).index(presentation)
    assert result.objective_criteria in set(ObjectiveSupport)
    assert set(result.inputs) <= {"presentation", *SYSTEM_FIELD_NAMES}


def test_grade_is_monotone_in_category() -> None:
    grades = [classify_rutherford(presentation=p).grade for p in Presentation]
    assert [GRADES.index(g) for g in grades] == sorted(GRADES.index(g) for g in grades)


@given(
    st.sampled_from([Presentation.REST_PAIN, Presentation.MINOR_TISSUE_LOSS]),
    st.floats(min_value=0, max_value=300, allow_nan=False),
    st.floats(min_value=0, max_value=1),
)
def test_lower_pressure_never_weakens_the_objective_support(
    presentation: Presentation, pressure: float, fraction: float
) -> None:
    rank = [ObjectiveSupport.NOT_MET, ObjectiveSupport.MET]
    for measure in ("resting_ankle_pressure_mmhg", "toe_pressure_mmhg"):
        higher = classify_rutherford(presentation=presentation, **{measure: pressure})
        lower = classify_rutherford(presentation=presentation, **{measure: pressure * fraction})
        assert rank.index(lower.objective_criteria) >= rank.index(higher.objective_criteria)


@given(st.floats(allow_nan=True) | st.integers())
def test_pressures_outside_0_to_300_are_invalid(value: float) -> None:
    if isinstance(value, float) and math.isfinite(value) and 0 <= value <= 300:
        return
    if isinstance(value, int) and 0 <= value <= 300:
        return
    with pytest.raises(InvalidInput, match="toe_pressure_mmhg"):
        classify_rutherford(presentation="rest_pain", toe_pressure_mmhg=value)


def test_fall_after_exercise_needs_both_pressures() -> None:
    # A resting ankle pressure alone gives no post-exercise fall to check (Rutherford 1997,
    # category 1 criterion compares the two).
    result = classify_rutherford(
        presentation="mild_claudication",
        treadmill_completed=True,
        resting_ankle_pressure_mmhg=100,
    )
    assert not any("fall in ankle pressure" in f for f in result.objective_findings)
