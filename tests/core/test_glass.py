"""GLASS — Conte MS et al. Global Vascular Guidelines on CLTI. J Vasc Surg 2019;69(6S):3S–125S,
GLASS section: Table 5.1 (definitions), the FP and IP grading figures, the FP × IP stage figure with
expected technical failure / 1-year limb-based patency, and the inframalleolar modifier P0–P2.
The figures were read in public reproductions (see core/tables/glass.py); Table 5.1 in PMC8365864.
"""

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from limbsalvage.core.errors import CannotClassify, InvalidInput
from limbsalvage.core.glass import SYSTEM, GlassStage, ImModifier, classify_glass
from limbsalvage.core.registry import SYSTEMS

# Complete "no significant disease" descriptions; tests override one finding at a time.
FP_CLEAN: dict[str, Any] = {
    "sfa_disease_length_cm": 0,
    "sfa_occlusion_length_cm": 0,
    "popliteal_stenosis_length_cm": 0,
    "popliteal_occlusion": False,
    "fp_severe_calcification": False,
}
IP_CLEAN: dict[str, Any] = {
    "ip_target_artery": "posterior_tibial",
    "ip_disease_length_cm": 0,
    "ip_occlusion_length_cm": 0,
    "target_artery_origin_involved": False,
    "tp_trunk_disease": "none",
    "ip_severe_calcification": False,
}
STAGE_ORDER = [None, GlassStage.I, GlassStage.II, GlassStage.III]


def fp_grade_of(**findings: Any) -> int:
    return classify_glass(**{**FP_CLEAN, **findings}, ip_grade=0).fp_grade


def ip_grade_of(**findings: Any) -> int:
    return classify_glass(**{**IP_CLEAN, **findings}, fp_grade=0).ip_grade


# ── The FP × IP stage matrix, cell by cell ──────────────────────────────────────────────────
# GVG 2019 GLASS stage figure (rows FP 0–4, columns IP 0–4), as reproduced identically by two
# public calculators; FP 0 × IP 0 has no stage ("not applicable").
MATRIX = {
    0: [None, "I", "I", "II", "III"],
    1: ["I", "I", "II", "II", "III"],
    2: ["I", "II", "II", "II", "III"],
    3: ["II", "II", "II", "III", "III"],
    4: ["III", "III", "III", "III", "III"],
}


@pytest.mark.parametrize(
    ("fp", "ip", "stage"),
    [(fp, ip, MATRIX[fp][ip]) for fp in range(5) for ip in range(5)],
)
def test_stage_matrix_cell(fp: int, ip: int, stage: str | None) -> None:
    result = classify_glass(fp_grade=fp, ip_grade=ip)
    assert result.stage == stage
    assert (result.fp_grade, result.ip_grade) == (fp, ip)
    assert "Global Vascular Guidelines" in result.source
    assert "glass-stage-matrix@2019.1" in [t.ref for t in result.tables]


def test_no_stage_when_neither_segment_has_significant_disease() -> None:
    result = classify_glass(fp_grade=0, ip_grade=0, im_modifier="P0")
    assert result.stage is None
    assert "neither segment has significant disease" in result.rationale
    assert result.expected_technical_failure is None
    assert result.expected_one_year_limb_based_patency is None
    assert result.im_modifier == "P0"


@pytest.mark.parametrize(
    ("fp", "ip", "failure", "patency"),
    [
        # GVG 2019 GLASS stage figure: stage I <10% / >70%; II <20% / 50–70%; III >20% / <50%.
        (1, 1, "<10%", ">70%"),
        (2, 2, "<20%", "50–70%"),
        (3, 3, ">20%", "<50%"),
    ],
)
def test_expected_outcomes_by_stage(fp: int, ip: int, failure: str, patency: str) -> None:
    result = classify_glass(fp_grade=fp, ip_grade=ip)
    assert result.expected_technical_failure == failure
    assert result.expected_one_year_limb_based_patency == patency
    assert "glass-stage-outcomes@2019.1" in [t.ref for t in result.tables]


def test_stage_ii_carries_the_contested_failure_reading() -> None:
    # One reproduction prints stage II technical failure as 10–20%; we show <20% and say so.
    assert "10–20%" in classify_glass(fp_grade=2, ip_grade=2).provenance
    assert classify_glass(fp_grade=1, ip_grade=1).provenance == ""


def test_json_contract_fields() -> None:
    out = classify_glass(fp_grade=2, ip_grade=3, im_modifier="P1").as_dict()
    assert out["fp_grade"] == 2
    assert out["ip_grade"] == 3
    assert out["stage"] == "II"
    assert out["im_modifier"] == "P1"
    assert out["inputs"] == {"fp_grade": 2, "ip_grade": 3, "im_modifier": "P1"}


# ── Femoropopliteal grade boundaries ────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("length_cm", "grade"),
    # SFA disease: <1/3 (<10 cm) → 1; 1/3–2/3 (10–20 cm) → 2; >2/3 (>20 cm) → 3.
    # 10 cm and 20 cm exactly are read as grade 2 (the 10–20 cm band is inclusive).
    [(0, 0), (0.5, 1), (9.9, 1), (10, 2), (20, 2), (20.1, 3), (50, 3)],
)
def test_sfa_disease_length_bands(length_cm: float, grade: int) -> None:
    assert fp_grade_of(sfa_disease_length_cm=length_cm) == grade


@pytest.mark.parametrize(
    ("percent", "grade"),
    [(0, 0), (33, 1), (33.4, 2), (66.6, 2), (66.7, 3), (100, 3)],
)
def test_sfa_disease_percent_bands_use_exact_thirds(percent: float, grade: int) -> None:
    findings = {**FP_CLEAN, "sfa_disease_percent": percent}
    del findings["sfa_disease_length_cm"]
    assert classify_glass(**findings, ip_grade=0).fp_grade == grade


def test_sfa_length_and_percent_must_agree() -> None:
    assert fp_grade_of(sfa_disease_length_cm=15, sfa_disease_percent=50) == 2
    with pytest.raises(CannotClassify, match="different GLASS bands"):
        fp_grade_of(sfa_disease_length_cm=15, sfa_disease_percent=80)


@pytest.mark.parametrize(
    ("occlusion_cm", "flush", "grade"),
    [
        # Non-flush: single focal <5 cm → 1; <10 cm → 2; 10–20 cm → 3; >20 cm → 4.
        (4.9, False, 1),
        (5, False, 2),
        (9.9, False, 2),
        (10, False, 3),
        (20, False, 3),
        (20.1, False, 4),
        # Flush occlusion <20 cm → 3; exactly 20 cm read as 3 (grade 4 needs >20 cm).
        (1, True, 3),
        (20, True, 3),
        (20.1, True, 4),
    ],
)
def test_sfa_occlusion_bands(occlusion_cm: float, flush: bool, grade: int) -> None:
    # The diseased length equals the occlusion, whose extent band is never worse than the
    # occlusion's own grade, so the occlusion rule sets the segment grade.
    result = classify_glass(
        **{
            **FP_CLEAN,
            "sfa_disease_length_cm": occlusion_cm,
            "sfa_occlusion_length_cm": occlusion_cm,
            "sfa_occlusion_flush": flush,
        },
        ip_grade=0,
    )
    assert result.fp_grade == grade
    assert f"SFA occlusion {occlusion_cm:g} cm" in result.rationale


def test_sfa_occlusion_rules_in_isolation() -> None:
    # Diseased length 4.9 cm (grade 1 extent) with a non-flush 4.9 cm occlusion → grade 1.
    assert (
        fp_grade_of(sfa_disease_length_cm=9, sfa_occlusion_length_cm=4.9, sfa_occlusion_flush=False)
        == 1
    )
    assert (
        fp_grade_of(sfa_disease_length_cm=9, sfa_occlusion_length_cm=5, sfa_occlusion_flush=False)
        == 2
    )
    assert (
        fp_grade_of(sfa_disease_length_cm=9, sfa_occlusion_length_cm=3, sfa_occlusion_flush=True)
        == 3
    )
    result = classify_glass(
        **{**FP_CLEAN, "sfa_disease_length_cm": 9, "sfa_occlusion_length_cm": 6},
        sfa_occlusion_flush=False,
        ip_grade=0,
    )
    assert "5–15 cm" in result.provenance  # the contested grade-2 occlusion cell


@pytest.mark.parametrize(
    ("stenosis_cm", "grade"),
    # Popliteal: focal <2 cm → 2; 2–5 cm → 3; >5 cm → 4 (2 and 5 cm read as grade 3).
    [(1.9, 2), (2, 3), (5, 3), (5.1, 4)],
)
def test_popliteal_stenosis_bands(stenosis_cm: float, grade: int) -> None:
    assert (
        fp_grade_of(popliteal_stenosis_length_cm=stenosis_cm, popliteal_trifurcation_involved=False)
        == grade
    )


def test_popliteal_occlusion_or_trifurcation_is_grade_4() -> None:
    assert fp_grade_of(popliteal_occlusion=True) == 4
    assert fp_grade_of(popliteal_stenosis_length_cm=1, popliteal_trifurcation_involved=True) == 4
    # Over 5 cm does not need the trifurcation finding.
    assert fp_grade_of(popliteal_stenosis_length_cm=6) == 4


def test_worst_attribute_defines_the_segment_grade() -> None:
    result = classify_glass(
        **{
            **FP_CLEAN,
            "sfa_disease_length_cm": 8,
            "popliteal_stenosis_length_cm": 3,
            "popliteal_trifurcation_involved": False,
        },
        ip_grade=1,
    )
    assert result.fp_grade == 3
    assert "popliteal stenosis 3 cm" in result.rationale
    assert "glass-segment-grades@2019.1" in [t.ref for t in result.tables]


# ── Infrapopliteal grade boundaries ─────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("length_cm", "percent", "grade"),
    [
        # Focal stenosis <3 cm → 1 (percentage not needed).
        (2.9, None, 1),
        (2.9, 8, 1),
        # 3 cm or longer, up to 1/3 of the vessel → 2; over 1/3 up to 2/3 → 3; over 2/3 → 4.
        (3, 10, 2),
        (12, 33.3, 2),
        (12, 33.4, 3),
        (25, 66.6, 3),
        (25, 66.7, 4),
        (None, 80, 4),
        (None, 50, 3),
    ],
)
def test_ip_disease_extent_bands(
    length_cm: float | None, percent: float | None, grade: int
) -> None:
    assert ip_grade_of(ip_disease_length_cm=length_cm, ip_disease_percent=percent) == grade


@pytest.mark.parametrize(
    ("length_cm", "percent", "grade"),
    [
        # Single focal occlusion <3 cm → 2; ≥3 cm up to 1/3 → 3; over 1/3 → 4.
        (2.9, None, 2),
        (3, 20, 3),
        (10, 33.3, 3),
        (12, 33.4, 4),
        (None, 60, 4),
    ],
)
def test_ip_occlusion_bands(length_cm: float | None, percent: float | None, grade: int) -> None:
    # Diseased extent = the occlusion; its band is always milder than the occlusion's grade.
    findings = {
        **IP_CLEAN,
        "ip_disease_length_cm": length_cm,
        "ip_disease_percent": percent,
        "ip_occlusion_length_cm": length_cm,
        "ip_occlusion_percent": percent,
    }
    assert classify_glass(**findings, fp_grade=0).ip_grade == grade


def test_ip_origin_and_tp_trunk() -> None:
    # Grade 2 excludes the target artery origin and the TP trunk; TP-trunk occlusion is grade 4
    # unless the anterior tibial is the target.
    assert ip_grade_of(target_artery_origin_involved=True) == 3
    assert ip_grade_of(tp_trunk_disease="stenosis") == 3
    assert ip_grade_of(tp_trunk_disease="occlusion") == 4
    assert ip_grade_of(ip_target_artery="peroneal", tp_trunk_disease="occlusion") == 4
    at = classify_glass(
        **{**IP_CLEAN, "ip_target_artery": "anterior_tibial", "tp_trunk_disease": "occlusion"},
        fp_grade=1,
    )
    assert at.ip_grade == 0
    assert "tp_trunk_disease" not in at.inputs
    no_trunk = {**IP_CLEAN, "ip_target_artery": "anterior_tibial"}
    del no_trunk["tp_trunk_disease"]
    assert classify_glass(**no_trunk, fp_grade=1).ip_grade == 0


def test_ip_grade_0_carries_its_contested_reading() -> None:
    assert "<50%" in classify_glass(**IP_CLEAN, fp_grade=1).provenance


# ── Calcification modifier ──────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(("base_length_cm", "base", "raised"), [(0, 0, 1), (5, 1, 2), (25, 3, 4)])
def test_severe_calcification_raises_the_fp_grade_by_one(
    base_length_cm: float, base: int, raised: int
) -> None:
    assert fp_grade_of(sfa_disease_length_cm=base_length_cm) == base
    result = classify_glass(
        **{**FP_CLEAN, "sfa_disease_length_cm": base_length_cm, "fp_severe_calcification": True},
        ip_grade=0,
    )
    assert result.fp_grade == raised
    assert "severe calcification raises it" in result.rationale


def test_calcification_is_capped_at_grade_4() -> None:
    assert fp_grade_of(popliteal_occlusion=True, fp_severe_calcification=True) == 4
    assert ip_grade_of(tp_trunk_disease="occlusion", ip_severe_calcification=True) == 4
    assert ip_grade_of(ip_disease_length_cm=2, ip_severe_calcification=True) == 2


# ── Given grade and description together; missing and conflicting findings ─────────────────


def test_given_grade_matching_the_description_is_accepted() -> None:
    result = classify_glass(**FP_CLEAN, fp_grade=0, ip_grade=2)
    assert result.inputs["fp_grade"] == 0
    assert result.inputs["sfa_disease_length_cm"] == 0


def test_given_grade_contradicting_the_description_is_a_conflict() -> None:
    with pytest.raises(CannotClassify) as raised:
        classify_glass(**{**FP_CLEAN, "sfa_disease_length_cm": 25}, fp_grade=1, ip_grade=2)
    assert raised.value.conflicts == ("fp_grade 1 given but the lesions give grade 3",)


def test_calcification_alone_with_a_given_grade_is_refused() -> None:
    with pytest.raises(CannotClassify, match="already counts calcification"):
        classify_glass(fp_grade=2, fp_severe_calcification=True, ip_grade=1)


def test_nothing_given_names_both_segments() -> None:
    with pytest.raises(CannotClassify) as raised:
        classify_glass()
    assert raised.value.missing == (
        "fp_grade (or the FP lesion description)",
        "ip_grade (or the IP lesion description)",
    )


@pytest.mark.parametrize(
    ("drop", "extra", "missing"),
    [
        ("sfa_disease_length_cm", {}, "sfa_disease_length_cm or sfa_disease_percent"),
        ("sfa_occlusion_length_cm", {}, "sfa_occlusion_length_cm"),
        ("popliteal_occlusion", {}, "popliteal_occlusion"),
        ("popliteal_stenosis_length_cm", {}, "popliteal_stenosis_length_cm"),
        ("fp_severe_calcification", {}, "fp_severe_calcification"),
        (None, {"sfa_occlusion_length_cm": 3, "sfa_disease_length_cm": 3}, "sfa_occlusion_flush"),
        (None, {"popliteal_stenosis_length_cm": 3}, "popliteal_trifurcation_involved"),
    ],
)
def test_missing_fp_findings_are_named(
    drop: str | None, extra: dict[str, Any], missing: str
) -> None:
    findings = {**FP_CLEAN, **extra}
    if drop:
        del findings[drop]
    with pytest.raises(CannotClassify) as raised:
        classify_glass(**findings, ip_grade=1)
    assert missing in raised.value.missing


@pytest.mark.parametrize(
    ("drop", "extra", "missing"),
    [
        ("ip_target_artery", {}, "ip_target_artery"),
        ("ip_disease_length_cm", {}, "ip_disease_length_cm or ip_disease_percent"),
        ("ip_occlusion_length_cm", {}, "ip_occlusion_length_cm or ip_occlusion_percent"),
        ("target_artery_origin_involved", {}, "target_artery_origin_involved"),
        ("tp_trunk_disease", {}, "tp_trunk_disease"),
        ("ip_severe_calcification", {}, "ip_severe_calcification"),
        (None, {"ip_disease_length_cm": 5}, "ip_disease_percent"),
        ("ip_disease_length_cm", {"ip_disease_percent": 20}, "ip_disease_length_cm"),
        (None, {"ip_disease_length_cm": 10, "ip_occlusion_length_cm": 5}, "ip_occlusion_percent"),
        (
            "ip_occlusion_length_cm",
            {"ip_disease_length_cm": 10, "ip_disease_percent": 30, "ip_occlusion_percent": 20},
            "ip_occlusion_length_cm",
        ),
    ],
)
def test_missing_ip_findings_are_named(
    drop: str | None, extra: dict[str, Any], missing: str
) -> None:
    findings = {**IP_CLEAN, **extra}
    if drop:
        del findings[drop]
    with pytest.raises(CannotClassify) as raised:
        classify_glass(**findings, fp_grade=1)
    assert missing in raised.value.missing


@pytest.mark.parametrize(
    ("findings", "fragment"),
    [
        ({**FP_CLEAN, "sfa_occlusion_flush": True}, "sfa_occlusion_flush is true"),
        ({**FP_CLEAN, "popliteal_trifurcation_involved": True}, "no popliteal disease"),
        (
            {**FP_CLEAN, "sfa_disease_length_cm": 4, "sfa_occlusion_length_cm": 6},
            "longer than the diseased SFA length",
        ),
        (
            {
                **{k: v for k, v in FP_CLEAN.items() if k != "sfa_disease_length_cm"},
                "sfa_disease_percent": 0,
                "sfa_occlusion_length_cm": 3,
                "sfa_occlusion_flush": False,
            },
            "longer than the diseased SFA length",
        ),
    ],
)
def test_contradictory_fp_findings(findings: dict[str, Any], fragment: str) -> None:
    with pytest.raises(CannotClassify, match=fragment):
        classify_glass(**findings, ip_grade=1)


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        ({"ip_disease_percent": 10}, "length and percentage disagree"),
        ({"ip_occlusion_percent": 10}, "length and percentage disagree"),
        ({"ip_disease_length_cm": 2, "ip_disease_percent": 40}, "is over 1/3"),
        (
            {
                "ip_disease_length_cm": 30,
                "ip_disease_percent": 90,
                "ip_occlusion_length_cm": 2,
                "ip_occlusion_percent": 40,
            },
            "is over 1/3",
        ),
        (
            {"ip_disease_length_cm": 2, "ip_occlusion_length_cm": 2.5},
            "longer than its diseased length",
        ),
        (
            {
                "ip_disease_length_cm": 10,
                "ip_disease_percent": 30,
                "ip_occlusion_length_cm": 10,
                "ip_occlusion_percent": 40,
            },
            "longer than its diseased length",
        ),
    ],
)
def test_contradictory_ip_findings(extra: dict[str, Any], fragment: str) -> None:
    with pytest.raises(CannotClassify, match=fragment):
        classify_glass(**{**IP_CLEAN, **extra}, fp_grade=1)


# ── Inframalleolar modifier ─────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("crosses", "arch", "modifier"),
    [(True, True, "P0"), (True, False, "P1"), (False, None, "P2"), (False, True, "P2")],
)
def test_im_modifier_from_pedal_findings(crosses: bool, arch: bool | None, modifier: str) -> None:
    result = classify_glass(
        fp_grade=1, ip_grade=1, target_artery_crosses_ankle=crosses, pedal_arch_intact=arch
    )
    assert result.im_modifier == modifier
    assert result.stage == "I"  # the modifier never changes the stage
    assert ("pedal_arch_intact" in result.inputs) == crosses
    assert "glass-im-modifier@2019.1" in [t.ref for t in result.tables]


def test_im_modifier_is_never_an_input_to_the_stage() -> None:
    for modifier in ImModifier:
        result = classify_glass(fp_grade=2, ip_grade=1, im_modifier=modifier.value)
        assert result.stage == "II"
        assert result.im_modifier is modifier
    assert classify_glass(fp_grade=2, ip_grade=1).im_modifier is None


def test_im_modifier_missing_and_conflicting_findings() -> None:
    with pytest.raises(CannotClassify) as raised:
        classify_glass(fp_grade=1, ip_grade=1, target_artery_crosses_ankle=True)
    assert raised.value.missing == ("pedal_arch_intact",)
    with pytest.raises(CannotClassify) as raised:
        classify_glass(fp_grade=1, ip_grade=1, pedal_arch_intact=True)
    assert raised.value.missing == ("target_artery_crosses_ankle",)
    with pytest.raises(CannotClassify, match="im_modifier P0 given"):
        classify_glass(fp_grade=1, ip_grade=1, im_modifier="P0", target_artery_crosses_ankle=False)
    same = classify_glass(
        fp_grade=1, ip_grade=1, im_modifier="P2", target_artery_crosses_ankle=False
    )
    assert same.im_modifier == "P2"


# ── Invalid values ──────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("bad", [-1, 5, 2.5, True, math.nan, math.inf, "2", [2]])
def test_bad_grade_names_the_field(bad: object) -> None:
    with pytest.raises(InvalidInput) as raised:
        classify_glass(fp_grade=bad, ip_grade=1)  # type: ignore[arg-type]
    assert raised.value.field == "fp_grade"
    assert "0 to 4" in raised.value.allowed


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("sfa_disease_length_cm", -0.1),
        ("sfa_disease_length_cm", 50.1),
        ("sfa_occlusion_length_cm", math.nan),
        ("popliteal_stenosis_length_cm", math.inf),
        ("popliteal_stenosis_length_cm", 30.1),
        ("ip_disease_length_cm", True),
        ("ip_occlusion_length_cm", "3"),
        ("sfa_disease_percent", 100.1),
        ("ip_disease_percent", -1),
        ("ip_occlusion_percent", math.nan),
        ("popliteal_occlusion", "yes"),
        ("fp_severe_calcification", 1),
        ("ip_target_artery", "dorsalis_pedis"),
        ("tp_trunk_disease", "severe"),
        ("im_modifier", "P3"),
    ],
)
def test_bad_findings_name_the_field(field: str, bad: object) -> None:
    with pytest.raises(InvalidInput) as raised:
        classify_glass(**{field: bad})
    assert raised.value.field == field


# ── Records from CSV / JSON text ────────────────────────────────────────────────────────────


def test_registered_under_glass() -> None:
    assert SYSTEMS["glass"] is SYSTEM
    options = {f.name: f.cli_option for f in SYSTEM.fields}
    assert options["fp_grade"] == "--fp-grade"
    assert options["ip_grade"] == "--ip-grade"
    assert options["im_modifier"] == "--im"


def test_record_from_text() -> None:
    result = SYSTEM.classify_record({"fp_grade": "2", "ip_grade": "3", "im_modifier": "P1"})
    assert (result.stage, result.im_modifier) == ("II", "P1")
    described = SYSTEM.classify_record(
        {
            "sfa_disease_length_cm": "22",
            "sfa_occlusion_length_cm": "0",
            "popliteal_stenosis_length_cm": "0",
            "popliteal_occlusion": "no",
            "fp_severe_calcification": "yes",
            "ip_grade": "1",
            "im_modifier": "",
        }
    )
    assert (described.fp_grade, described.stage, described.im_modifier) == (4, "III", None)


@pytest.mark.parametrize(
    ("record", "error"),
    [
        ({"fp_grade": "two", "ip_grade": "1"}, InvalidInput),
        ({"fp_grade": "5", "ip_grade": "1"}, InvalidInput),
        ({"fp_grade": "1", "ip_grade": "1", "im_modifier": "p1"}, InvalidInput),
        ({"fp_grade": "1", "ip_grade": "nan"}, InvalidInput),
        ({"fp_grade": "1", "ip_grade": "1", "sfa_disease_length_cm": "-3"}, InvalidInput),
        ({"fp_grade": "1", "ip_grade": "1", "popliteal_occlusion": "maybe"}, InvalidInput),
        ({"fp_grade": "", "ip_grade": "1"}, CannotClassify),
        ({"fp_grade": " ", "ip_grade": ""}, CannotClassify),
    ],
)
def test_bad_records(record: dict[str, str], error: type[Exception]) -> None:
    with pytest.raises(error):
        SYSTEM.classify_record(record)


# ── Properties ──────────────────────────────────────────────────────────────────────────────

grades = st.integers(min_value=0, max_value=4)


@given(grades, grades, st.sampled_from([None, *[m.value for m in ImModifier]]))
def test_total_over_valid_grades(fp: int, ip: int, modifier: str | None) -> None:
    result = classify_glass(fp_grade=fp, ip_grade=ip, im_modifier=modifier)
    assert result.stage in STAGE_ORDER
    assert (result.stage is None) == (fp == 0 and ip == 0)
    assert (result.expected_technical_failure is None) == (result.stage is None)


@given(grades, grades, st.integers(min_value=0, max_value=4), st.integers(min_value=0, max_value=4))
def test_a_worse_segment_grade_never_lowers_the_stage(
    fp: int, ip: int, fp_step: int, ip_step: int
) -> None:
    worse_fp, worse_ip = min(4, fp + fp_step), min(4, ip + ip_step)
    milder = classify_glass(fp_grade=fp, ip_grade=ip).stage
    worse = classify_glass(fp_grade=worse_fp, ip_grade=worse_ip).stage
    assert STAGE_ORDER.index(worse) >= STAGE_ORDER.index(milder)


@given(st.one_of(st.integers(max_value=-1), st.integers(min_value=5)))
def test_out_of_range_grades_are_refused(bad: int) -> None:
    with pytest.raises(InvalidInput, match="ip_grade"):
        classify_glass(fp_grade=1, ip_grade=bad)


lengths = st.floats(min_value=0, max_value=50, allow_nan=False)


@given(
    disease=lengths,
    occlusion_share=st.floats(min_value=0, max_value=1),
    flush=st.booleans(),
    popliteal=st.floats(min_value=0, max_value=30),
    trifurcation=st.booleans(),
    popliteal_occlusion=st.booleans(),
    extra=st.floats(min_value=0, max_value=50),
)
def test_fp_description_total_and_monotone(
    *,
    disease: float,
    occlusion_share: float,
    flush: bool,
    popliteal: float,
    trifurcation: bool,
    popliteal_occlusion: bool,
    extra: float,
) -> None:
    occlusion = disease * occlusion_share

    def grade(sfa_cm: float, occl_cm: float, calc: bool) -> int:
        return classify_glass(
            sfa_disease_length_cm=sfa_cm,
            sfa_occlusion_length_cm=occl_cm,
            sfa_occlusion_flush=flush if occl_cm else None,
            popliteal_stenosis_length_cm=popliteal,
            popliteal_occlusion=popliteal_occlusion,
            popliteal_trifurcation_involved=trifurcation if popliteal else None,
            fp_severe_calcification=calc,
            ip_grade=2,
        ).fp_grade

    base = grade(disease, occlusion, calc=False)
    assert 0 <= base <= 4
    # Longer disease, or severe calcification, never gives a milder grade.
    assert grade(min(50.0, disease + extra), occlusion, calc=False) >= base
    assert grade(disease, occlusion, calc=True) == min(4, base + 1)


@given(
    percent=st.floats(min_value=0, max_value=100),
    extra=st.floats(min_value=0, max_value=100),
    length_cm=st.floats(min_value=3, max_value=50),
)
def test_ip_description_monotone_in_extent(percent: float, extra: float, length_cm: float) -> None:
    def grade(pct: float) -> int:
        return classify_glass(
            **{
                **IP_CLEAN,
                "ip_disease_length_cm": length_cm if pct else 0,
                "ip_disease_percent": pct,
            },
            fp_grade=1,
        ).ip_grade

    assert grade(min(100.0, percent + extra)) >= grade(percent)


def test_sfa_grade_3_extent_carries_its_contested_wording() -> None:
    # Reproductions print FP grade 3 as '>2/3 (>20 cm)' or 'about 2/3 (>20 cm)'.
    over = classify_glass(**{**FP_CLEAN, "sfa_disease_length_cm": 21}, ip_grade=0)
    assert "about 2/3" in over.provenance
    assert classify_glass(**{**FP_CLEAN, "sfa_disease_length_cm": 15}, ip_grade=0).provenance == ""
