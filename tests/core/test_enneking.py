"""Enneking stages — Enneking WF, Spanier SS, Goodman MA. Clin Orthop 1980;153:106–20, as
reproduced in Wheeless' Textbook of Orthopaedics: IA G1T1M0, IB G1T2M0, IIA G2T1M0, IIB G2T2M0,
IIIA G1–2 T1 M1, IIIB G1–2 T2 M1 (M1 = regional nodes, skip lesions or distant metastasis)."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from limbsalvage.core.enneking import SYSTEM, EnnekingStage, Site, SurgicalGrade, classify_enneking
from limbsalvage.core.errors import CannotClassify, InvalidInput
from limbsalvage.core.tables.enneking import STAGE_WITH_METASTASIS, STAGE_WITHOUT_METASTASIS

ORDER = list(EnnekingStage)

# Every cell of the 1980 table (2 grades × 2 sites × 2 metastasis states), with its code.
CELLS = [
    ("low", "intracompartmental", False, "IA", "I", "G1T1M0"),
    ("low", "extracompartmental", False, "IB", "I", "G1T2M0"),
    ("high", "intracompartmental", False, "IIA", "II", "G2T1M0"),
    ("high", "extracompartmental", False, "IIB", "II", "G2T2M0"),
    ("low", "intracompartmental", True, "IIIA", "III", "G1T1M1"),
    ("high", "intracompartmental", True, "IIIA", "III", "G2T1M1"),
    ("low", "extracompartmental", True, "IIIB", "III", "G1T2M1"),
    ("high", "extracompartmental", True, "IIIB", "III", "G2T2M1"),
]


def test_table_data_pinned() -> None:
    assert STAGE_WITHOUT_METASTASIS == {
        (False, False): "IA",
        (False, True): "IB",
        (True, False): "IIA",
        (True, True): "IIB",
    }
    assert STAGE_WITH_METASTASIS == {False: "IIIA", True: "IIIB"}


@pytest.mark.parametrize("cell", CELLS, ids=[cell[5] for cell in CELLS])
def test_every_cell(cell: tuple[str, str, bool, str, str, str]) -> None:
    grade, site, metastasis, stage, group, code = cell
    result = classify_enneking(grade=grade, site=site, metastasis=metastasis)
    assert result.stage == stage
    assert result.stage_group == group
    assert result.code == code
    assert result.rationale.startswith(code)
    assert "Enneking" in result.source
    assert result.tables[0].ref == "enneking-stages@1980.1"
    assert dict(result.inputs) == {"grade": grade, "site": site, "metastasis": metastasis}


def test_metastatic_stage_carries_the_iii_split_note() -> None:
    result = classify_enneking(grade="low", site="intracompartmental", metastasis=True)
    assert "only 'III'" in result.provenance
    assert "any grade" in result.rationale
    assert (
        classify_enneking(grade="low", site="intracompartmental", metastasis=False).provenance == ""
    )


@pytest.mark.parametrize(
    ("field", "bad"),
    [("grade", "G3"), ("grade", ""), ("site", "T1"), ("metastasis", "yes"), ("metastasis", 1)],
)
def test_bad_values_name_the_field(field: str, bad: object) -> None:
    arguments: dict[str, object] = {
        "grade": "low",
        "site": "intracompartmental",
        "metastasis": False,
    }
    arguments[field] = bad
    with pytest.raises(InvalidInput) as raised:
        classify_enneking(**arguments)  # type: ignore[arg-type]
    assert raised.value.field == field


def test_record_from_text() -> None:
    record = {"grade": "high", "site": "extracompartmental", "metastasis": "no"}
    assert SYSTEM.classify_record(record).as_dict()["stage"] == "IIB"
    with pytest.raises(CannotClassify, match="missing metastasis"):
        SYSTEM.classify_record({"grade": "high", "site": "extracompartmental", "metastasis": " "})
    with pytest.raises(InvalidInput, match="metastasis"):
        SYSTEM.classify_record({"grade": "high", "site": "extracompartmental", "metastasis": "?"})
    with pytest.raises(InvalidInput, match="grade"):
        SYSTEM.classify_record({"grade": "G2", "site": "extracompartmental", "metastasis": "no"})


@given(
    st.sampled_from(list(SurgicalGrade)),
    st.sampled_from(list(Site)),
    st.booleans(),
)
def test_total_and_monotone(grade: SurgicalGrade, site: Site, metastasis: bool) -> None:
    result = classify_enneking(grade=grade, site=site, metastasis=metastasis)
    assert result.stage in ORDER
    # Worse findings (high grade, extracompartmental, metastasis) never lower the stage.
    for worse_grade, worse_site, worse_mets in itertools.product(
        [grade, SurgicalGrade.HIGH], [site, Site.EXTRACOMPARTMENTAL], [metastasis, True]
    ):
        worse = classify_enneking(grade=worse_grade, site=worse_site, metastasis=worse_mets)
        assert ORDER.index(worse.stage) >= ORDER.index(result.stage)


@given(st.text().filter(lambda text: text not in {"low", "high"}))
def test_any_other_grade_is_refused(grade: str) -> None:
    with pytest.raises(InvalidInput, match="grade"):
        classify_enneking(grade=grade, site="intracompartmental", metastasis=False)
