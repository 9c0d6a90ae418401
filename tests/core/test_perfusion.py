"""Perfusion: ABI/TBI and their bands, and the SVS WIfI ischaemia grade (Mills 2014, Table II).

Cell values are quoted from the SVS WIfI ischaemia table as reproduced in Ghirardini & Martini,
Medicina 2024;60:1179, Table 2 (the primary PDF was not available to us):
  I0: ABI ≥0.80 | ankle pressure >100 mmHg | TP, TcPO2 ≥60 mmHg
  I1: ABI 0.60–0.79 | 70–100 mmHg | 40–59 mmHg
  I2: ABI 0.40–0.59 | 50–70 mmHg | 30–39 mmHg
  I3: ABI <0.40 | <50 mmHg | <30 mmHg
ABI bands (AHA 2012; 2016 AHA/ACC Table 5): abnormal ≤0.90, borderline 0.91–0.99,
normal 1.00–1.40, non-compressible >1.40. TBI: abnormal below 0.70 (IWGDF 2023).
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from limbsalvage.core.errors import CannotClassify, ClassificationError, InvalidInput
from limbsalvage.core.perfusion import (
    GOVERNING_MEASURES,
    ISCHEMIA_CASE_KEYS,
    ISCHEMIA_CASES,
    ISCHEMIA_ERRORS,
    SYSTEM,
    AbiBand,
    Agreement,
    Basis,
    IschemiaGrading,
    Measure,
    TbiBand,
    abi_band,
    ankle_brachial_index,
    classify_perfusion,
    ischemia_provenance,
    ischemia_rationale,
    tbi_band,
    toe_brachial_index,
    wifi_ischemia_grade,
    wifi_ischemia_grade_array,
)
from limbsalvage.core.registry import SYSTEMS
from limbsalvage.core.tables.perfusion import WIFI_ISCHEMIA

# ------------------------------------------------------------------ the SVS table, cell by cell

# (measure keyword, value, expected grade): the published cells and our reading of each edge.
CELLS = [
    # ABI column: ≥0.80 | 0.60–0.79 | 0.40–0.59 | <0.40
    ("abi", 1.20, 0),
    ("abi", 0.80, 0),  # printed lower bound of I0
    ("abi", 0.795, 1),  # between printed 0.79 and 0.80: band runs up to, not including, 0.80
    ("abi", 0.79, 1),
    ("abi", 0.60, 1),
    ("abi", 0.599, 2),
    ("abi", 0.40, 2),
    ("abi", 0.395, 3),  # printed 'below 0.40' (some print ≤0.39): 0.395 is I3
    ("abi", 0.0, 3),
    # Ankle systolic pressure: >100 | 70–100 | 50–70 | <50
    ("ankle_pressure_mmhg", 150.0, 0),
    ("ankle_pressure_mmhg", 100.5, 0),
    ("ankle_pressure_mmhg", 100.0, 1),  # I0 is strictly above 100
    ("ankle_pressure_mmhg", 70.0, 1),  # printed in both I1 and I2: we read I1
    ("ankle_pressure_mmhg", 69.9, 2),
    ("ankle_pressure_mmhg", 50.0, 2),
    ("ankle_pressure_mmhg", 49.9, 3),
    ("ankle_pressure_mmhg", 0.0, 3),
    # Toe pressure: ≥60 | 40–59 | 30–39 | <30
    ("toe_pressure_mmhg", 60.0, 0),
    ("toe_pressure_mmhg", 59.5, 1),
    ("toe_pressure_mmhg", 40.0, 1),  # issue 2: 'toe pressure exactly 40 mmHg' is I1
    ("toe_pressure_mmhg", 39.5, 2),
    ("toe_pressure_mmhg", 30.0, 2),
    ("toe_pressure_mmhg", 29.5, 3),
    ("toe_pressure_mmhg", 0.0, 3),
    # TcPO2: same bands as toe pressure
    ("tcpo2_mmhg", 75.0, 0),
    ("tcpo2_mmhg", 60.0, 0),
    ("tcpo2_mmhg", 59.5, 1),
    ("tcpo2_mmhg", 40.0, 1),
    ("tcpo2_mmhg", 39.5, 2),
    ("tcpo2_mmhg", 30.0, 2),
    ("tcpo2_mmhg", 29.5, 3),
]

_MEASURE_OF = {
    "abi": "abi",
    "ankle_pressure_mmhg": "ankle_pressure",
    "toe_pressure_mmhg": "toe_pressure",
    "tcpo2_mmhg": "tcpo2",
}


@pytest.mark.parametrize(("field", "value", "grade"), CELLS)
def test_each_published_cell_alone(field: str, value: float, grade: int) -> None:
    result = wifi_ischemia_grade(**{field: value})
    assert result.ischemia_grade == grade
    assert result.governing_measure == _MEASURE_OF[field]
    assert f"I{grade}" in result.rationale
    assert result.inputs == {field: value}
    assert result.tables == (WIFI_ISCHEMIA,)
    assert "J Vasc Surg 2014;59:220–34" in result.source


def test_abi_exactly_060_is_i1_as_issue_2_asks() -> None:
    assert wifi_ischemia_grade(abi=0.60).ischemia_grade == 1


def test_ankle_pressure_70_note_is_in_provenance() -> None:
    result = wifi_ischemia_grade(ankle_pressure_mmhg=70)
    assert result.ischemia_grade == 1
    assert "70 mmHg in both I1 (70–100) and I2 (50–70)" in result.provenance


def test_abi_edge_note_is_in_provenance() -> None:
    assert "0.795 is I1" in wifi_ischemia_grade(abi=0.795).provenance


# ------------------------------------------------------------------ which measure governs


def test_toe_pressure_governs_over_a_worse_abi() -> None:
    """SVS footnote: if TP and ABI give different grades, TP is the primary determinant."""
    result = wifi_ischemia_grade(abi=0.45, toe_pressure_mmhg=65)
    assert (result.ischemia_grade, result.governing_measure) == (0, "toe_pressure")
    assert "worse grade" in result.provenance


def test_toe_pressure_governs_over_a_better_abi() -> None:
    result = wifi_ischemia_grade(abi=1.0, toe_pressure_mmhg=25, tcpo2_mmhg=25)
    assert (result.ischemia_grade, result.governing_measure) == (3, "toe_pressure")
    assert "better grade" in result.provenance


def test_agreeing_measures_are_said_to_agree() -> None:
    result = wifi_ischemia_grade(abi=0.5, toe_pressure_mmhg=35)
    assert result.ischemia_grade == 2
    assert "agree" in result.provenance


def test_non_compressible_flag_sets_ankle_measures_aside_for_tcpo2() -> None:
    result = wifi_ischemia_grade(abi=0.9, tcpo2_mmhg=35, non_compressible=True)
    assert (result.ischemia_grade, result.governing_measure) == (2, "tcpo2")
    assert "not used" in result.provenance
    assert result.inputs["non_compressible"] is True


def test_non_compressible_without_ankle_values_does_not_mention_set_aside() -> None:
    result = wifi_ischemia_grade(tcpo2_mmhg=35, non_compressible=True)
    assert result.governing_measure == "tcpo2"
    assert "not used" not in result.provenance


def test_abi_above_130_is_incompressible_for_wifi() -> None:
    """SVS: 'measure TP or TcPO2 if ABI incompressible (>1.3)'."""
    result = wifi_ischemia_grade(abi=1.35, ankle_pressure_mmhg=180, toe_pressure_mmhg=45)
    assert (result.ischemia_grade, result.governing_measure) == (1, "toe_pressure")
    assert "not used" in result.provenance
    assert "ALONE" not in result.provenance
    with pytest.raises(CannotClassify, match="toe_pressure_mmhg or tcpo2_mmhg"):
        wifi_ischemia_grade(abi=1.31)


def test_abi_exactly_130_is_still_graded() -> None:
    assert wifi_ischemia_grade(abi=1.30).governing_measure == "abi"


def test_non_compressible_with_only_ankle_measures_cannot_classify() -> None:
    with pytest.raises(CannotClassify) as caught:
        wifi_ischemia_grade(abi=0.5, ankle_pressure_mmhg=60, non_compressible=True)
    assert caught.value.missing == ("toe_pressure_mmhg or tcpo2_mmhg",)


def test_diabetes_prefers_tcpo2_to_ankle_measures() -> None:
    result = wifi_ischemia_grade(abi=0.95, tcpo2_mmhg=35, diabetes=True)
    assert (result.ischemia_grade, result.governing_measure) == (2, "tcpo2")
    assert "diabetes" in result.rationale


def test_without_diabetes_ankle_measures_govern_over_tcpo2() -> None:
    result = wifi_ischemia_grade(abi=0.95, tcpo2_mmhg=35, diabetes=False)
    assert (result.ischemia_grade, result.governing_measure) == (0, "abi")
    assert "worse grade" in result.provenance


def test_diabetes_with_only_ankle_measures_is_graded_with_a_warning() -> None:
    result = wifi_ischemia_grade(abi=0.95, diabetes=True)
    assert (result.ischemia_grade, result.governing_measure) == (0, "abi")
    assert "may understate ischaemia" in result.provenance


def test_worse_of_abi_and_ankle_pressure_governs() -> None:
    result = wifi_ischemia_grade(abi=0.85, ankle_pressure_mmhg=60)
    assert (result.ischemia_grade, result.governing_measure) == (2, "ankle_pressure")
    assert "better grade" in result.provenance
    tie = wifi_ischemia_grade(abi=0.7, ankle_pressure_mmhg=80)
    assert (tie.ischemia_grade, tie.governing_measure) == (1, "abi")


def test_tcpo2_alone() -> None:
    result = wifi_ischemia_grade(tcpo2_mmhg=20)
    assert (result.ischemia_grade, result.governing_measure) == (3, "tcpo2")
    assert "only usable" in result.rationale


def test_no_measurement_cannot_classify() -> None:
    with pytest.raises(CannotClassify, match="at least one perfusion measurement"):
        wifi_ischemia_grade(diabetes=True, non_compressible=True)


# ------------------------------------------------------------------ invalid input


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("abi", -0.1),
        ("abi", 6.5),
        ("abi", math.nan),
        ("abi", math.inf),
        ("abi", True),
        ("abi", "0.8"),
        ("ankle_pressure_mmhg", -1),
        ("ankle_pressure_mmhg", 301),
        ("toe_pressure_mmhg", -5),
        ("toe_pressure_mmhg", 251),
        ("tcpo2_mmhg", 151),
        ("tcpo2_mmhg", -math.inf),
        ("diabetes", 1),
        ("diabetes", "yes"),
        ("non_compressible", 0.0),
    ],
)
def test_invalid_values_name_the_field(field: str, value: object) -> None:
    kwargs: dict[str, object] = {"toe_pressure_mmhg": 50, field: value}
    with pytest.raises(InvalidInput) as caught:
        wifi_ischemia_grade(**kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field


# ------------------------------------------------------------------ the explanation texts


def test_case_texts_are_category_only_and_fit_int8() -> None:
    assert len(ISCHEMIA_CASES) == len(ISCHEMIA_CASE_KEYS) == len(set(ISCHEMIA_CASE_KEYS))
    assert len(ISCHEMIA_CASES) <= 127
    for (basis, measure, grade, agreement, set_aside), case in zip(
        ISCHEMIA_CASE_KEYS, ISCHEMIA_CASES, strict=True
    ):
        assert case.rationale == ischemia_rationale(basis, measure, grade)
        assert case.provenance == ischemia_provenance(basis, measure, agreement, set_aside)
        assert f"I{grade}" in case.rationale


def test_text_pieces_are_pure_functions() -> None:
    text = ischemia_rationale(Basis.TOE_PRIMARY, Measure.TOE_PRESSURE, 2)
    assert text.endswith("toe pressure 30–39 mmHg → I2 (moderate ischaemia)")
    alone = ischemia_provenance(Basis.TCPO2_ONLY, Measure.TCPO2, Agreement.ALONE, False)
    assert alone.startswith("SVS prints TcPO2 bands")


def test_rationale_never_embeds_the_measured_value() -> None:
    result = wifi_ischemia_grade(toe_pressure_mmhg=47.3, abi=0.613)
    assert "47.3" not in result.rationale + result.provenance
    assert "0.613" not in result.rationale + result.provenance


# ------------------------------------------------------------------ properties

pressures = st.floats(min_value=0, max_value=300, allow_nan=False)
toe_or_tcpo2 = st.floats(min_value=0, max_value=150, allow_nan=False)
compressible_abi = st.floats(min_value=0, max_value=1.3, allow_nan=False)
flags = st.none() | st.booleans()


@given(
    abi=st.none() | st.floats(min_value=0, max_value=6, allow_nan=False),
    ankle=st.none() | pressures,
    toe=st.none() | toe_or_tcpo2,
    tcpo2=st.none() | toe_or_tcpo2,
    diabetes=flags,
    non_compressible=flags,
)
def test_total_over_valid_inputs(
    *,
    abi: float | None,
    ankle: float | None,
    toe: float | None,
    tcpo2: float | None,
    diabetes: bool | None,
    non_compressible: bool | None,
) -> None:
    try:
        result = wifi_ischemia_grade(
            abi=abi,
            ankle_pressure_mmhg=ankle,
            toe_pressure_mmhg=toe,
            tcpo2_mmhg=tcpo2,
            diabetes=diabetes,
            non_compressible=non_compressible,
        )
    except CannotClassify:
        unreliable = non_compressible is True or (abi is not None and abi > 1.3)
        assert toe is None
        assert tcpo2 is None
        assert unreliable or (abi is None and ankle is None)
    else:
        assert result.ischemia_grade in range(4)
        assert result.governing_measure in GOVERNING_MEASURES


@given(
    field=st.sampled_from(["abi", "ankle_pressure_mmhg", "toe_pressure_mmhg", "tcpo2_mmhg"]),
    low=st.floats(min_value=0, max_value=1, allow_nan=False),
    high=st.floats(min_value=0, max_value=1, allow_nan=False),
    abi=st.none() | compressible_abi,
    ankle=st.none() | pressures,
    toe=st.none() | toe_or_tcpo2,
    tcpo2=st.none() | toe_or_tcpo2,
    diabetes=flags,
)
def test_a_lower_measure_never_lowers_the_grade(
    *,
    field: str,
    low: float,
    high: float,
    abi: float | None,
    ankle: float | None,
    toe: float | None,
    tcpo2: float | None,
    diabetes: bool | None,
) -> None:
    """Worse perfusion (a lower value, others fixed) never gives a better grade.

    ABI stays within 0–1.30: above that WIfI sets the ankle measures aside by design."""
    top = {"abi": 1.3, "ankle_pressure_mmhg": 300, "toe_pressure_mmhg": 150, "tcpo2_mmhg": 150}
    worse_value, better_value = sorted((low * top[field], high * top[field]))
    base = {"abi": abi, "ankle_pressure_mmhg": ankle, "toe_pressure_mmhg": toe, "tcpo2_mmhg": tcpo2}
    worse = wifi_ischemia_grade(**{**base, field: worse_value}, diabetes=diabetes)  # type: ignore[arg-type]
    better = wifi_ischemia_grade(**{**base, field: better_value}, diabetes=diabetes)  # type: ignore[arg-type]
    assert worse.ischemia_grade >= better.ischemia_grade


# ------------------------------------------------------------------ scalar == vectorised

_EDGES = [0.0, 0.395, 0.4, 0.599, 0.6, 0.795, 0.8, 1.3, 1.3001, 1.41, 6.0, 6.01]
_PRESSURE_EDGES = [0.0, 29.5, 30.0, 39.5, 40.0, 49.9, 50.0, 59.5, 60.0, 69.9, 70.0, 100.0]
_PRESSURE_EDGES += [100.5, 150.0, 150.5, 250.0, 250.5, 300.0, 300.5, -1.0]


def _value(edges: list[float], high: float) -> st.SearchStrategy[float]:
    return st.sampled_from([math.nan, math.inf, *edges]) | st.floats(
        min_value=-1, max_value=high * 1.1, allow_nan=False
    )


_flag_values = st.sampled_from([math.nan, 0.0, 1.0, 0.5, 2.0])


def _scalar_flag(value: float) -> object:
    if math.isnan(value):
        return None
    return {0.0: False, 1.0: True}.get(value, value)


def _scalar_number(value: float) -> float | None:
    return None if math.isnan(value) else value


rows = st.tuples(
    _value(_EDGES, 6.0),
    _value(_PRESSURE_EDGES, 300.0),
    _value(_PRESSURE_EDGES, 250.0),
    _value(_PRESSURE_EDGES, 150.0),
    _flag_values,
    _flag_values,
)


@settings(max_examples=300)
@given(st.lists(rows, min_size=1, max_size=30))
def test_vectorised_equals_scalar(
    batch: list[tuple[float, float, float, float, float, float]],
) -> None:
    columns = [np.array(column, dtype=np.float64) for column in zip(*batch, strict=True)]
    arrays = wifi_ischemia_grade_array(
        abi=columns[0],
        ankle_pressure_mmhg=columns[1],
        toe_pressure_mmhg=columns[2],
        tcpo2_mmhg=columns[3],
        diabetes=columns[4],
        non_compressible=columns[5],
    )
    for i, row in enumerate(batch):
        error = ISCHEMIA_ERRORS[arrays.error[i]]
        outcome = _scalar_outcome(row)
        if isinstance(outcome, InvalidInput):
            assert (error.kind, error.field, error.allowed) == (
                "invalid",
                outcome.field,
                outcome.allowed,
            )
        elif isinstance(outcome, CannotClassify):
            assert (error.kind, error.message) == ("cannot_classify", str(outcome))
        else:
            assert error.kind == "none"
            case = ISCHEMIA_CASES[arrays.case[i]]
            assert arrays.grade[i] == outcome.ischemia_grade
            assert GOVERNING_MEASURES[arrays.governing[i]] == outcome.governing_measure
            assert (case.rationale, case.provenance) == (outcome.rationale, outcome.provenance)
            continue
        assert arrays.grade[i] == arrays.governing[i] == arrays.case[i] == -1


def _scalar_outcome(
    row: tuple[float, float, float, float, float, float],
) -> IschemiaGrading | ClassificationError:
    abi, ankle, toe, tcpo2, diabetes, non_compressible = row
    try:
        return wifi_ischemia_grade(
            abi=_scalar_number(abi),
            ankle_pressure_mmhg=_scalar_number(ankle),
            toe_pressure_mmhg=_scalar_number(toe),
            tcpo2_mmhg=_scalar_number(tcpo2),
            diabetes=_scalar_flag(diabetes),  # type: ignore[arg-type]
            non_compressible=_scalar_flag(non_compressible),  # type: ignore[arg-type]
        )
    except ClassificationError as error:
        return error


def test_vectorised_dtypes_and_shape_check() -> None:
    nan = np.array([np.nan])
    arrays = wifi_ischemia_grade_array(
        abi=np.array([0.5]),
        ankle_pressure_mmhg=nan,
        toe_pressure_mmhg=nan,
        tcpo2_mmhg=nan,
        diabetes=nan,
        non_compressible=nan,
    )
    assert {a.dtype for a in (arrays.grade, arrays.governing, arrays.case, arrays.error)} == {
        np.dtype(np.int8)
    }
    assert arrays.grade.tolist() == [2]
    with pytest.raises(ValueError, match="same length"):
        wifi_ischemia_grade_array(
            abi=np.array([0.5, 0.6]),
            ankle_pressure_mmhg=nan,
            toe_pressure_mmhg=nan,
            tcpo2_mmhg=nan,
            diabetes=nan,
            non_compressible=nan,
        )


# ------------------------------------------------------------------ ABI and TBI


def test_abi_uses_the_higher_ankle_and_the_higher_brachial_pressure() -> None:
    """AHA 2012: higher of DP and PT of the leg over the higher of the two arm pressures."""
    abi = ankle_brachial_index(
        dorsalis_pedis_mmhg=70,
        posterior_tibial_mmhg=91,
        brachial_right_mmhg=130,
        brachial_left_mmhg=140,
    )
    assert abi == pytest.approx(0.65)
    one_each = ankle_brachial_index(
        dorsalis_pedis_mmhg=None,
        posterior_tibial_mmhg=84,
        brachial_right_mmhg=None,
        brachial_left_mmhg=120,
    )
    assert one_each == pytest.approx(0.70)


def test_abi_needs_an_ankle_and_an_arm_pressure() -> None:
    with pytest.raises(CannotClassify) as caught:
        ankle_brachial_index(
            dorsalis_pedis_mmhg=None,
            posterior_tibial_mmhg=None,
            brachial_right_mmhg=None,
            brachial_left_mmhg=None,
        )
    assert len(caught.value.missing) == 2
    with pytest.raises(InvalidInput, match="brachial_left_mmhg"):
        ankle_brachial_index(
            dorsalis_pedis_mmhg=80,
            posterior_tibial_mmhg=None,
            brachial_right_mmhg=120,
            brachial_left_mmhg=0,
        )


def test_tbi() -> None:
    tbi = toe_brachial_index(toe_pressure_mmhg=84, brachial_right_mmhg=120, brachial_left_mmhg=110)
    assert tbi == pytest.approx(0.70)
    with pytest.raises(CannotClassify, match="brachial"):
        toe_brachial_index(toe_pressure_mmhg=84, brachial_right_mmhg=None, brachial_left_mmhg=None)


@pytest.mark.parametrize(
    ("abi", "band"),
    [
        (0.0, AbiBand.ABNORMAL),
        (0.90, AbiBand.ABNORMAL),  # ≤0.90 abnormal
        (0.905, AbiBand.BORDERLINE),  # between printed 0.90 and 0.91: borderline
        (0.99, AbiBand.BORDERLINE),
        (0.995, AbiBand.BORDERLINE),
        (1.00, AbiBand.NORMAL),
        (1.40, AbiBand.NORMAL),  # normal 1.00–1.40
        (1.401, AbiBand.NON_COMPRESSIBLE),  # >1.40
    ],
)
def test_abi_bands(abi: float, band: AbiBand) -> None:
    assert abi_band(abi) is band


@pytest.mark.parametrize(
    ("tbi", "band"), [(0.69, TbiBand.ABNORMAL), (0.70, TbiBand.NORMAL), (1.1, TbiBand.NORMAL)]
)
def test_tbi_bands(tbi: float, band: TbiBand) -> None:
    """IWGDF 2023: TBI ≥0.70 makes PAD less likely; below 0.70 abnormal (AHA/ACC 2016: ≤0.70)."""
    assert tbi_band(tbi) is band


def test_bands_refuse_impossible_values() -> None:
    with pytest.raises(InvalidInput):
        abi_band(-0.2)
    with pytest.raises(InvalidInput):
        tbi_band(math.nan)


# ------------------------------------------------------------------ the perfusion system


def test_perfusion_of_one_limb() -> None:
    result = classify_perfusion(
        brachial_right_mmhg=130,
        brachial_left_mmhg=124,
        dorsalis_pedis_mmhg=70,
        posterior_tibial_mmhg=82,
        toe_pressure_mmhg=35,
        diabetes=True,
    )
    assert result.abi == pytest.approx(82 / 130)
    assert result.abi_band == "abnormal"
    assert result.tbi == pytest.approx(35 / 130)
    assert result.tbi_band == "abnormal"
    assert result.ankle_pressure_mmhg == 82
    assert (result.ischemia_grade, result.governing_measure) == (2, "toe_pressure")
    assert len(result.tables) == 3
    assert result.as_dict()["system"] == "perfusion"


def test_measured_abi_must_agree_with_the_pressures() -> None:
    pressures = {"brachial_right_mmhg": 100.0, "posterior_tibial_mmhg": 80.0}
    assert classify_perfusion(**pressures, abi=0.81).abi == pytest.approx(0.80)
    with pytest.raises(CannotClassify, match="conflicting abi"):
        classify_perfusion(**pressures, abi=0.60)


def test_recorded_ankle_pressure_must_agree_with_dp_pt() -> None:
    assert classify_perfusion(dorsalis_pedis_mmhg=80, ankle_pressure_mmhg=80.5).ischemia_grade == 1
    with pytest.raises(CannotClassify, match="conflicting ankle_pressure_mmhg"):
        classify_perfusion(dorsalis_pedis_mmhg=80, ankle_pressure_mmhg=95)


def test_measured_abi_alone_and_its_notes() -> None:
    result = classify_perfusion(abi=1.35)
    assert result.abi_band == "normal"
    assert result.ischemia_grade is None
    assert "above the upper limit IWGDF 2023" in result.provenance
    assert "WIfI ischaemia not graded" in result.rationale
    borderline = classify_perfusion(abi=0.95)
    assert borderline.abi_band == "borderline"
    assert "read as borderline" in borderline.provenance


def test_non_compressible_flag_is_reported() -> None:
    result = classify_perfusion(abi=0.9, tcpo2_mmhg=50, non_compressible=True)
    assert "non-compressible ankle vessels reported" in result.rationale
    assert (result.ischemia_grade, result.governing_measure) == (1, "tcpo2")


def test_tbi_070_notes_the_aha_reading() -> None:
    result = classify_perfusion(brachial_left_mmhg=120, toe_pressure_mmhg=84)
    assert result.tbi_band == "normal"
    assert "abnormal by the 2016 AHA/ACC" in result.provenance


def test_perfusion_without_anything_computable() -> None:
    with pytest.raises(CannotClassify, match="missing"):
        classify_perfusion(brachial_right_mmhg=120)
    with pytest.raises(CannotClassify):
        classify_perfusion()


def test_perfusion_invalid_pressure() -> None:
    with pytest.raises(InvalidInput) as caught:
        classify_perfusion(brachial_right_mmhg=120, dorsalis_pedis_mmhg=-3)
    assert caught.value.field == "dorsalis_pedis_mmhg"
    with pytest.raises(InvalidInput, match="diabetes"):
        classify_perfusion(toe_pressure_mmhg=50, diabetes="y")  # type: ignore[arg-type]


def test_registered_with_options_that_name_their_unit() -> None:
    assert SYSTEMS["perfusion"] is SYSTEM
    options = {f.name: f.cli_options for f in SYSTEM.fields}
    # The unit is in the option as in the column (as Rutherford's); the first spellings remain.
    assert options["toe_pressure_mmhg"] == ("--toe-pressure-mmhg", "--toe-pressure")
    assert options["tcpo2_mmhg"] == ("--tcpo2-mmhg", "--tcpo2")
    assert options["ankle_pressure_mmhg"] == ("--ankle-pressure-mmhg", "--ankle-pressure")
    assert options["brachial_right_mmhg"] == ("--brachial-right-mmhg", "--brachial-right")
    assert options["dorsalis_pedis_mmhg"] == ("--dorsalis-pedis-mmhg", "--dorsalis-pedis")
    assert options["abi"] == ("--abi",)  # a ratio: no unit
    assert options["diabetes"] == ("--diabetes",)


def test_classify_record_with_text_values() -> None:
    record = {
        "brachial_right_mmhg": "130",
        "brachial_left_mmhg": "",
        "posterior_tibial_mmhg": " 65 ",
        "toe_pressure_mmhg": "",
        "tcpo2_mmhg": "28",
        "diabetes": "yes",
        "non_compressible": "no",
    }
    result = SYSTEM.classify_record(record)
    assert result.as_row()["ischemia_grade"] == 3
    assert result.as_row()["governing_measure"] == "tcpo2"


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("toe_pressure_mmhg", "abc"),
        ("toe_pressure_mmhg", "-5"),
        ("toe_pressure_mmhg", "nan"),
        ("abi", "inf"),
        ("abi", "7"),
        ("diabetes", "maybe"),
    ],
)
def test_classify_record_bad_text(field: str, text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        SYSTEM.classify_record({"tcpo2_mmhg": "50", field: text})
    assert caught.value.field == field


def test_classify_record_all_empty_cannot_classify() -> None:
    with pytest.raises(CannotClassify):
        SYSTEM.classify_record({"toe_pressure_mmhg": " ", "abi": ""})
