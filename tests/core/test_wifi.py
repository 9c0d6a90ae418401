"""SVS WIfI — Mills JL Sr et al. J Vasc Surg 2014;59:220–34 (doi:10.1016/j.jvs.2013.08.003).

Wound grades from Table I, foot-infection grades from Table III, and the clinical stage from the
stage figure: four ischemia panels × W0–W3 rows × fI0–fI3 columns, each cell very low / low /
moderate / high estimated 1-year amputation risk = clinical stage 1 / 2 / 3 / 4. Stage 5
(unsalvageable foot) is the clinician's judgement, never computed.
"""

import inspect
import math
import sys
import types
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from limbsalvage.core.errors import CannotClassify, ClassificationError, InvalidInput
from limbsalvage.core.infection import SYSTEM as IWGDF_SYSTEM
from limbsalvage.core.infection import classify_foot_infection
from limbsalvage.core.registry import SYSTEMS
from limbsalvage.core.sources import Source, Table
from limbsalvage.core.tables.wifi import (
    ALTERNATIVE_READINGS,
    CSHARP_CALCULATOR_READING,
    ESC_REPRINT_READING,
    STAGE,
)
from limbsalvage.core.wifi import (
    INFECTION_SIGNS,
    SYSTEM,
    AmputationRisk,
    Gangrene,
    Ulcer,
    classify_wifi,
    grade_wound,
    stage_cell_provenance,
    wifi_rationale,
    wound_description,
)

VL, L, M, H = 1, 2, 3, 4
GRADES = st.integers(min_value=0, max_value=3)

# Mills 2014 stage figure (J Vasc Surg 2014;59:220–34), as reprinted with permission in the ESC
# Pocket Guidelines and matched by two independent public tables; one cell per entry:
# (ischemia, wound, infection, stage). W0 I2 fI3 is contested (the reprint prints M): see below.
PUBLISHED_CELLS = [
    # Ischemia 0 — W0: VL VL L M; W1: VL VL L M; W2: L L M H; W3: M M H H
    (0, 0, 0, VL), (0, 0, 1, VL), (0, 0, 2, L), (0, 0, 3, M),
    (0, 1, 0, VL), (0, 1, 1, VL), (0, 1, 2, L), (0, 1, 3, M),
    (0, 2, 0, L), (0, 2, 1, L), (0, 2, 2, M), (0, 2, 3, H),
    (0, 3, 0, M), (0, 3, 1, M), (0, 3, 2, H), (0, 3, 3, H),
    # Ischemia 1 — W0: VL L M H; W1: VL L M H; W2: M M H H; W3: H H H H
    (1, 0, 0, VL), (1, 0, 1, L), (1, 0, 2, M), (1, 0, 3, H),
    (1, 1, 0, VL), (1, 1, 1, L), (1, 1, 2, M), (1, 1, 3, H),
    (1, 2, 0, M), (1, 2, 1, M), (1, 2, 2, H), (1, 2, 3, H),
    (1, 3, 0, H), (1, 3, 1, H), (1, 3, 2, H), (1, 3, 3, H),
    # Ischemia 2 — W0: L L M H; W1: L M H H; W2: M H H H; W3: H H H H
    (2, 0, 0, L), (2, 0, 1, L), (2, 0, 2, M), (2, 0, 3, H),
    (2, 1, 0, L), (2, 1, 1, M), (2, 1, 2, H), (2, 1, 3, H),
    (2, 2, 0, M), (2, 2, 1, H), (2, 2, 2, H), (2, 2, 3, H),
    (2, 3, 0, H), (2, 3, 1, H), (2, 3, 2, H), (2, 3, 3, H),
    # Ischemia 3 — W0: L M M H; W1: M M H H; W2: H H H H; W3: H H H H
    (3, 0, 0, L), (3, 0, 1, M), (3, 0, 2, M), (3, 0, 3, H),
    (3, 1, 0, M), (3, 1, 1, M), (3, 1, 2, H), (3, 1, 3, H),
    (3, 2, 0, H), (3, 2, 1, H), (3, 2, 2, H), (3, 2, 3, H),
    (3, 3, 0, H), (3, 3, 1, H), (3, 3, 2, H), (3, 3, 3, H),
]  # fmt: skip

RISK_WORDS = {VL: "very_low", L: "low", M: "moderate", H: "high"}


def test_the_published_table_has_64_distinct_cells() -> None:
    assert len({(i, w, f) for i, w, f, _ in PUBLISHED_CELLS}) == 64


@pytest.mark.parametrize(("ischemia", "wound", "infection", "stage"), PUBLISHED_CELLS)
def test_every_published_cell(ischemia: int, wound: int, infection: int, stage: int) -> None:
    result = classify_wifi(wound_grade=wound, ischemia_grade=ischemia, infection_grade=infection)
    assert result.clinical_stage == stage
    assert result.table_stage == stage
    assert result.amputation_risk == RISK_WORDS[stage]
    assert result.code == f"W{wound}I{ischemia}fI{infection}"
    assert STAGE[ischemia][wound][infection] == stage
    assert "Mills" in result.source
    assert result.tables[0].ref == "wifi-clinical-stage@2014.2"


def test_worked_example_from_the_contract() -> None:
    # W2 I1 fI0: moderate risk in the Ischemia-1 panel → clinical stage 3.
    result = classify_wifi(wound_grade=2, ischemia_grade=1, infection_grade=0)
    assert result.as_dict()["clinical_stage"] == 3
    assert result.as_dict()["amputation_risk"] == "moderate"
    assert result.ischemia_measure == "grade_given"
    assert result.worst_wound is None
    assert dict(result.inputs) == {"wound_grade": 2, "ischemia_grade": 1, "infection_grade": 0}
    assert result.rationale == (
        "W2I1fI0 (ischemia grade given): stage table gives moderate 1-year amputation risk "
        "→ clinical stage 3"
    )


def test_contested_cells_carry_a_note_and_agreeing_cells_none() -> None:
    contested = []
    for i, w, f, stage in PUBLISHED_CELLS:
        note = classify_wifi(wound_grade=w, ischemia_grade=i, infection_grade=f).provenance
        others = {name: grid[i][w][f] for name, grid in ALTERNATIVE_READINGS.items()}
        differing = {name: value for name, value in others.items() if value != stage}
        if not differing:
            assert note == ""
            continue
        contested.append((i, w, f))
        assert f"W{w} I{i} fI{f}" in note
        assert f"we use stage {stage} as read in Mills 2014" in note
        for name, value in differing.items():
            assert f"{name} gives stage {value}" in note
    assert len(contested) == 19
    # W0 I2 fI3: the ESC reprint prints M (stage 3); both independent tables and monotonicity
    # in ischaemia (W0 I1 fI3 is H) give H, which we use.
    note = stage_cell_provenance(ischemia_grade=2, wound_grade=0, infection_grade=3)
    assert f"{ESC_REPRINT_READING} gives stage 3" in note
    # The C# calculator disagrees in 18 cells, e.g. W0 I0 fI2 (stage 4 instead of 2).
    csharp = ALTERNATIVE_READINGS[CSHARP_CALCULATOR_READING]
    assert sum(csharp[i][w][f] != stage for i, w, f, stage in PUBLISHED_CELLS) == 18
    assert (0, 0, 2) in contested


def test_cell_provenance_is_a_pure_function_of_the_cell() -> None:
    assert stage_cell_provenance(ischemia_grade=3, wound_grade=3, infection_grade=3) == ""
    assert "stage 2" in stage_cell_provenance(ischemia_grade=0, wound_grade=0, infection_grade=2)


def test_rejected_shortcut_max_grade_differs_from_the_table() -> None:
    # Public calculators that take stage = 1 + max(W, I, fI) disagree with the table, e.g.
    # W0 I0 fI2 (max grade 2 → "stage 3") is low risk, stage 2, in the primary.
    assert classify_wifi(wound_grade=0, ischemia_grade=0, infection_grade=2).clinical_stage == 2
    # and W0 I0 fI3 (max 3 → "stage 4") is moderate risk, stage 3.
    assert classify_wifi(wound_grade=0, ischemia_grade=0, infection_grade=3).clinical_stage == 3


# --- wound grade from the clinical description (Mills 2014 Table I) ---


@pytest.mark.parametrize(
    ("ulcer", "gangrene", "grade"),
    [
        ("none", "none", 0),  # no ulcer, no gangrene (rest pain only)
        ("shallow", "none", 1),  # small shallow ulcer, no exposed bone
        ("exposed_distal_phalanx", "none", 1),  # exposed bone limited to the distal phalanx
        ("deep", "none", 2),  # exposed bone, joint or tendon, not the heel
        ("heel_shallow", "none", 2),  # shallow heel ulcer without calcaneal involvement
        ("none", "digits", 2),  # gangrene limited to digits
        ("extensive_forefoot_midfoot", "none", 3),
        ("heel_deep", "none", 3),  # deep full-thickness heel ulcer ± calcaneus
        ("none", "forefoot_midfoot", 3),  # extensive gangrene
        ("none", "heel", 3),  # full-thickness heel necrosis
        ("shallow", "digits", 2),  # the worse of ulcer and gangrene
        ("heel_deep", "digits", 3),
    ],
)
def test_wound_grade_from_description(ulcer: str, gangrene: str, grade: int) -> None:
    graded = grade_wound(wounds=[wound_description(ulcer=ulcer, gangrene=gangrene, label="a")])
    assert graded.wound_grade == grade
    assert graded.worst_wound == "a"
    assert graded.rationale.endswith(f"→ W{grade}")
    assert graded.tables[0].ref == "wifi-wound@2014.1"


def test_the_limb_takes_the_worst_wound_and_names_it() -> None:
    wounds = [
        wound_description(ulcer="shallow", gangrene="none", label="dorsum"),
        wound_description(ulcer="heel_shallow", gangrene="none", label="heel"),
        wound_description(ulcer="none", gangrene="digits", label="toe 2"),
    ]
    graded = grade_wound(wounds=wounds)
    assert graded.wound_grade == 2
    assert graded.worst_wound == "heel"  # first of the equally worst wounds
    assert graded.wound_grades == (("dorsum", 1), ("heel", 2), ("toe 2", 2))
    assert "'heel'" in graded.rationale


def test_wound_description_errors() -> None:
    with pytest.raises(InvalidInput, match="ulcer"):
        wound_description(ulcer="huge", gangrene="none", label="a")
    with pytest.raises(InvalidInput, match="gangrene"):
        wound_description(ulcer="deep", gangrene="wet", label="a")
    with pytest.raises(InvalidInput, match="wound_label"):
        wound_description(ulcer="deep", gangrene="none", label="  ")
    with pytest.raises(CannotClassify, match="missing wounds"):
        grade_wound(wounds=[])
    twice = wound_description(ulcer="deep", gangrene="none", label="a")
    with pytest.raises(InvalidInput, match="different label"):
        grade_wound(wounds=[twice, twice])


def test_classify_from_several_described_wounds() -> None:
    result = classify_wifi(
        ulcer=["deep", "heel_deep"],
        gangrene=["none", "none"],
        wound_label=["hallux", "heel"],
        ischemia_grade=1,
        infection_grade=0,
    )
    assert (result.wound_grade, result.clinical_stage, result.worst_wound) == (3, 4, "heel")
    assert result.inputs["ulcer"] == ("deep", "heel_deep")
    assert [t.table_id for t in result.tables] == [
        "wifi-clinical-stage",
        "wifi-wound",
        "wifi-foot-infection",
    ]
    # Unlabelled wounds are numbered; a given grade that agrees is accepted.
    numbered = classify_wifi(
        ulcer="shallow;deep",
        gangrene="none;none",
        wound_grade=2,
        ischemia_grade=0,
        infection_grade=0,
    )
    assert numbered.worst_wound == "wound 2"
    assert numbered.inputs["wound_grade"] == 2


def test_wound_descriptions_missing_or_conflicting() -> None:
    with pytest.raises(CannotClassify, match="conflicting wound_grade 1 given"):
        classify_wifi(
            ulcer="deep", gangrene="none", wound_grade=1, ischemia_grade=0, infection_grade=0
        )
    with pytest.raises(CannotClassify, match="missing gangrene"):
        classify_wifi(ulcer="deep", ischemia_grade=0, infection_grade=0)
    with pytest.raises(CannotClassify, match="missing ulcer"):
        classify_wifi(gangrene="none", ischemia_grade=0, infection_grade=0)
    with pytest.raises(CannotClassify, match="missing ulcer, gangrene"):
        classify_wifi(wound_label="toe", wound_grade=1, ischemia_grade=0, infection_grade=0)
    with pytest.raises(CannotClassify, match="same number of wounds"):
        classify_wifi(ulcer="deep;shallow", gangrene="none", ischemia_grade=0, infection_grade=0)
    with pytest.raises(InvalidInput, match="ulcer"):
        classify_wifi(
            ulcer="deep;;shallow", gangrene="none;none;none", ischemia_grade=0, infection_grade=0
        )
    with pytest.raises(InvalidInput, match="gangrene"):
        classify_wifi(ulcer="deep", gangrene=[1], ischemia_grade=0, infection_grade=0)  # type: ignore[list-item]


# --- missing and bad inputs ---


def test_missing_grades_are_named() -> None:
    with pytest.raises(CannotClassify, match="missing wound_grade"):
        classify_wifi(ischemia_grade=0, infection_grade=0)
    with pytest.raises(CannotClassify, match="missing ischemia_grade"):
        classify_wifi(wound_grade=0, infection_grade=0)
    with pytest.raises(CannotClassify, match="missing ischemia_grade"):
        classify_wifi(wound_grade=0, infection_grade=0, diabetes=True)
    with pytest.raises(CannotClassify) as raised:
        classify_wifi(wound_grade=0, ischemia_grade=0)
    assert raised.value.missing == ("infection_grade",)


@pytest.mark.parametrize("field", ["wound_grade", "ischemia_grade", "infection_grade"])
@pytest.mark.parametrize("bad", [-1, 4, 1.5, math.nan, math.inf, True, "2"])
def test_bad_grades_name_the_field(field: str, bad: object) -> None:
    grades: dict[str, object] = {"wound_grade": 1, "ischemia_grade": 1, "infection_grade": 1}
    grades[field] = bad
    with pytest.raises(InvalidInput) as raised:
        classify_wifi(**grades)  # type: ignore[arg-type]
    assert raised.value.field == field
    assert "0 to 3" in raised.value.allowed


def test_unsalvageable_is_a_declared_judgement() -> None:
    result = classify_wifi(wound_grade=1, ischemia_grade=0, infection_grade=0, unsalvageable=True)
    assert (result.clinical_stage, result.table_stage, result.amputation_risk) == (5, 1, None)
    assert "unsalvageable → clinical stage 5" in result.rationale
    assert result.inputs["unsalvageable"] is True
    kept = classify_wifi(wound_grade=1, ischemia_grade=0, infection_grade=0, unsalvageable=False)
    assert kept.clinical_stage == 1
    with pytest.raises(InvalidInput, match="unsalvageable"):
        classify_wifi(wound_grade=1, ischemia_grade=0, infection_grade=0, unsalvageable=1)  # type: ignore[arg-type]


# --- ischemia from perfusion measurements (core/perfusion.py contract) ---


@dataclass(frozen=True)
class _FakeGrading:
    ischemia_grade: int
    governing_measure: str
    rationale: str
    provenance: str
    tables: tuple[Table, ...]


_FAKE_TABLE = Table("fake-perfusion", "0", Source("fake"), "", "test double")


@pytest.fixture
def perfusion_calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    """A stand-in perfusion module: toe pressure < 30 mmHg → I3, else I1; records its calls."""
    calls: list[dict[str, object]] = []

    def wifi_ischemia_grade(**kwargs: object) -> _FakeGrading:
        calls.append(kwargs)
        toe = kwargs["toe_pressure_mmhg"]
        grade = 3 if isinstance(toe, float | int) and toe < 30 else 1
        note = "fake note" if grade == 3 else ""
        return _FakeGrading(grade, "toe_pressure", "toe pressure governs", note, (_FAKE_TABLE,))

    module = types.ModuleType("limbsalvage.core.perfusion")
    module.wifi_ischemia_grade = wifi_ischemia_grade  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "limbsalvage.core.perfusion", module)
    return calls


def test_ischemia_from_measurements(perfusion_calls: list[dict[str, object]]) -> None:
    result = classify_wifi(wound_grade=1, infection_grade=0, toe_pressure_mmhg=25.0, diabetes=True)
    assert (result.ischemia_grade, result.clinical_stage) == (3, 3)
    assert result.ischemia_measure == "toe_pressure"
    assert "ischemia grade from toe pressure" in result.rationale
    assert "25" not in result.rationale  # no raw value in the looked-up text
    assert dict(result.inputs) == {
        "wound_grade": 1,
        "toe_pressure_mmhg": 25.0,
        "diabetes": True,
        "infection_grade": 0,
    }
    assert _FAKE_TABLE in result.tables
    assert result.ischemia_rationale == "toe pressure governs"
    assert result.provenance.endswith(". fake note")  # after the contested-cell note
    assert perfusion_calls[0]["abi"] is None
    assert perfusion_calls[0]["non_compressible"] is None


def test_rationale_depends_only_on_the_discrete_cell(
    perfusion_calls: list[dict[str, object]],
) -> None:
    low = classify_wifi(wound_grade=2, infection_grade=1, toe_pressure_mmhg=10.0)
    high = classify_wifi(wound_grade=2, infection_grade=1, toe_pressure_mmhg=29.0)
    assert (low.rationale, low.provenance) == (high.rationale, high.provenance)
    assert low.rationale == wifi_rationale(
        wound_grade=2,
        ischemia_grade=3,
        infection_grade=1,
        ischemia_measure="toe_pressure",
        unsalvageable=False,
    )


def test_cell_and_perfusion_notes_are_joined(perfusion_calls: list[dict[str, object]]) -> None:
    # W0 I3 fI0 is a contested cell; the perfusion note follows the cell note.
    result = classify_wifi(wound_grade=0, infection_grade=0, toe_pressure_mmhg=20)
    assert result.provenance.startswith("Stage table cell W0 I3 fI0")
    assert result.provenance.endswith(". fake note")


def test_with_the_real_perfusion_module() -> None:
    pytest.importorskip("limbsalvage.core.perfusion")
    # Toe pressure 25 mmHg is I3 in the SVS ischemia table (TP < 30 mmHg).
    result = classify_wifi(wound_grade=1, infection_grade=0, toe_pressure_mmhg=25, diabetes=True)
    assert (result.ischemia_grade, result.ischemia_measure) == (3, "toe_pressure")
    assert result.clinical_stage == 3
    assert result.ischemia_rationale
    assert "wifi-ischemia" in ";".join(t.table_id for t in result.tables)


def test_given_grade_and_measurements(perfusion_calls: list[dict[str, object]]) -> None:
    agreed = classify_wifi(wound_grade=0, ischemia_grade=1, infection_grade=0, toe_pressure_mmhg=50)
    assert agreed.ischemia_grade == 1
    assert agreed.inputs["ischemia_grade"] == 1
    with pytest.raises(CannotClassify) as raised:
        classify_wifi(wound_grade=0, ischemia_grade=0, infection_grade=0, toe_pressure_mmhg=20)
    assert raised.value.conflicts == ("ischemia_grade 0 given, perfusion measurements give 3",)


# --- records as read from CSV (text values) ---


def test_record_with_text_values() -> None:
    result = SYSTEM.classify_record(
        {"wound_grade": "2", "ischemia_grade": "1", "infection_grade": "0", "unsalvageable": "no"}
    )
    assert result.as_row()["clinical_stage"] == 3
    described = SYSTEM.classify_record(
        {
            "ulcer": "shallow;none",
            "gangrene": "none;digits",
            "wound_label": "plantar;toe 3",
            "ischemia_grade": "2",
            "infection_grade": "1",
        }
    )
    assert (described.as_row()["worst_wound"], described.as_row()["clinical_stage"]) == ("toe 3", 4)


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({"wound_grade": "two"}, "wound_grade"),
        ({"wound_grade": "1.5"}, "wound_grade"),
        ({"wound_grade": "4"}, "wound_grade"),
        ({"ischemia_grade": "-1"}, "ischemia_grade"),
        ({"infection_grade": "nan"}, "infection_grade"),
        ({"unsalvageable": "maybe"}, "unsalvageable"),
        ({"ulcer": "crater", "gangrene": "none", "wound_grade": ""}, "ulcer"),
    ],
)
def test_bad_text_values_name_the_field(record: dict[str, str], field: str) -> None:
    full = {"wound_grade": "1", "ischemia_grade": "1", "infection_grade": "1", **record}
    with pytest.raises(InvalidInput) as raised:
        SYSTEM.classify_record(full)
    assert raised.value.field == field


def test_empty_text_is_a_missing_input() -> None:
    with pytest.raises(CannotClassify, match="missing infection_grade"):
        SYSTEM.classify_record({"wound_grade": "1", "ischemia_grade": "1", "infection_grade": " "})


def test_registered_with_the_cli_option_names() -> None:
    assert SYSTEMS["wifi"] is SYSTEM
    options = {f.name: f.cli_option for f in SYSTEM.fields}
    assert options["wound_grade"] == "--wound"
    assert options["ischemia_grade"] == "--ischemia"
    assert options["infection_grade"] == "--infection"
    assert options["ankle_pressure_mmhg"] == "--ankle-pressure"
    assert options["toe_pressure_mmhg"] == "--toe-pressure"
    assert options["tcpo2_mmhg"] == "--tcpo2"
    assert options["non_compressible"] == "--non-compressible"
    assert options["unsalvageable"] == "--unsalvageable"
    assert {u.value for u in Ulcer} >= {"deep", "heel_deep"}
    assert {g.value for g in Gangrene} == {"none", "digits", "forefoot_midfoot", "heel"}


# --- properties ---


@given(GRADES, GRADES, GRADES)
def test_total_over_valid_grades(wound: int, ischemia: int, infection: int) -> None:
    result = classify_wifi(wound_grade=wound, ischemia_grade=ischemia, infection_grade=infection)
    assert 1 <= result.clinical_stage <= 4
    assert result.amputation_risk in set(AmputationRisk)


@given(GRADES, GRADES, GRADES, st.sampled_from(["wound", "ischemia", "infection"]))
def test_a_worse_grade_never_lowers_the_stage(w: int, i: int, f: int, raised: str) -> None:
    base = STAGE[i][w][f]
    worse = {"wound": (i, min(w + 1, 3), f), "ischemia": (min(i + 1, 3), w, f)}.get(
        raised, (i, w, min(f + 1, 3))
    )
    after = classify_wifi(wound_grade=worse[1], ischemia_grade=worse[0], infection_grade=worse[2])
    assert after.clinical_stage >= base


@given(GRADES, GRADES, GRADES)
def test_unsalvageable_always_stage_5(wound: int, ischemia: int, infection: int) -> None:
    result = classify_wifi(
        wound_grade=wound, ischemia_grade=ischemia, infection_grade=infection, unsalvageable=True
    )
    assert result.clinical_stage == 5
    assert result.table_stage == STAGE[ischemia][wound][infection]


@given(st.one_of(st.integers(max_value=-1), st.integers(min_value=4), st.floats()))
def test_out_of_range_grades_are_refused(bad: float) -> None:
    if isinstance(bad, float) and bad in (0.0, 1.0, 2.0, 3.0):
        return
    with pytest.raises(InvalidInput, match="wound_grade"):
        classify_wifi(wound_grade=bad, ischemia_grade=0, infection_grade=0)  # type: ignore[arg-type]


# --- foot infection grade from the IWGDF/IDSA signs (core/infection.py) ---
# Mills 2014 Table III: the WIfI fI rows 0–3 are the IDSA/PEDIS grades uninfected / mild /
# moderate / severe, so fI = IWGDF/IDSA grade − 1 (classify_foot_infection's wifi_infection_grade).

NO_CHARCOT = {"osteomyelitis": False, "suspected_active_charcot": False}
FOUR_SIGNS_ABSENT = {
    "swelling_or_induration": False,
    "local_tenderness_or_pain": False,
    "local_warmth": False,
    "purulent_discharge": False,
}
# Swelling and warmth: two local signs, so the foot is infected (IWGDF/IDSA: ≥2 signs).
TWO_SIGNS = {**NO_CHARCOT, "swelling_or_induration": True, "local_warmth": True}
GRADES_W1_I0 = {"wound_grade": 1, "ischemia_grade": 0}

SIGN_CASES = [
    # One sign (swelling), erythema none: fewer than 2 local signs → uninfected, fI0.
    ({**NO_CHARCOT, **FOUR_SIGNS_ABSENT, "swelling_or_induration": True,
      "erythema_extent_cm": 0}, 0),
    # Two signs, erythema ≤2 cm, skin and subcutis only, no SIRS → mild, fI1.
    ({**TWO_SIGNS, "erythema_extent_cm": 1.5, "deep_tissue_involvement": False,
      "sirs_criteria_count": 0}, 1),
    # Erythema >2 cm without SIRS → moderate, fI2.
    ({**TWO_SIGNS, "erythema_extent_cm": 3, "sirs_criteria_count": 1}, 2),
    # Deeper than skin and subcutis (erythema ≤2 cm) without SIRS → moderate, fI2.
    ({**TWO_SIGNS, "erythema_extent_cm": 1, "deep_tissue_involvement": True,
      "sirs_criteria_count": 0}, 2),
    # Temperature >38 °C and heart rate >90/min: 2 SIRS criteria → severe, fI3.
    ({**TWO_SIGNS, "erythema_extent_cm": 1, "temperature_c": 38.5, "heart_rate_bpm": 104}, 3),
    # SIRS counted elsewhere (2 of 4) → severe, fI3.
    ({**TWO_SIGNS, "erythema_extent_cm": 0.6, "sirs_criteria_count": 2}, 3),
]  # fmt: skip


@pytest.mark.parametrize(("signs", "expected"), SIGN_CASES)
def test_infection_grade_from_signs(signs: dict[str, Any], expected: int) -> None:
    result = classify_wifi(**GRADES_W1_I0, **signs)
    assert result.infection_grade == expected
    assert result.code == f"W1I0fI{expected}"
    assert result.clinical_stage == STAGE[0][1][expected]
    assert result.infection_measure == "iwgdf_signs"
    infection = classify_foot_infection(**signs)
    assert result.infection_rationale == infection.rationale
    assert "infection_grade" not in result.inputs  # only the signs were used
    for name, value in infection.inputs.items():
        assert result.inputs[name] == value
    refs = [t.ref for t in result.tables]
    assert refs[0] == "wifi-clinical-stage@2014.2"
    assert refs[-len(infection.tables) :] == [t.ref for t in infection.tables]
    assert "wifi-foot-infection@2014.1" in refs
    assert result.rationale == (
        f"W1I0fI{expected} (ischemia grade given; infection grade from the IWGDF/IDSA signs): "
        f"stage table gives {RISK_WORDS[STAGE[0][1][expected]].replace('_', ' ')} 1-year "
        f"amputation risk → clinical stage {STAGE[0][1][expected]}"
    )


def test_sirs_drives_fi3_over_mild_local_findings() -> None:
    mild = {**TWO_SIGNS, "erythema_extent_cm": 1, "deep_tissue_involvement": False}
    assert classify_wifi(**GRADES_W1_I0, **mild, sirs_criteria_count=1).infection_grade == 1
    # Respiratory rate >20/min and white cells >12 000/mm³: two SIRS criteria → fI3.
    severe = classify_wifi(
        **GRADES_W1_I0, **mild, respiratory_rate_per_min=24, white_cell_count_per_mm3=15_000
    )
    assert (severe.infection_grade, severe.clinical_stage) == (3, 3)
    assert "SIRS" in severe.infection_rationale


def test_osteomyelitis_is_moderate_fi2() -> None:
    # Osteomyelitis is deeper-tissue infection: IWGDF/IDSA grade 3(O), WIfI fI2, even with no
    # other local sign; with SIRS it is 4(O), fI3.
    result = classify_wifi(
        wound_grade=2,
        ischemia_grade=0,
        erythema_extent_cm=0,
        osteomyelitis=True,
        suspected_active_charcot=False,
        sirs_criteria_count=0,
    )
    assert (result.infection_grade, result.clinical_stage) == (2, 3)
    assert "3(O)" in result.infection_rationale
    assert result.inputs["osteomyelitis"] is True
    severe = classify_wifi(
        wound_grade=2,
        ischemia_grade=0,
        erythema_extent_cm=0,
        osteomyelitis=True,
        suspected_active_charcot=False,
        sirs_criteria_count=3,
    )
    assert severe.infection_grade == 3
    assert "4(O)" in severe.infection_rationale


def test_unresolved_charcot_cannot_be_classified() -> None:
    charcot = {
        "erythema_extent_cm": 3,
        "osteomyelitis": False,
        "suspected_active_charcot": True,
        "swelling_or_induration": True,
        "local_warmth": True,
        "sirs_criteria_count": 0,
    }
    assert classify_foot_infection(**charcot).wifi_infection_grade is None
    with pytest.raises(CannotClassify) as raised:
        classify_wifi(**GRADES_W1_I0, **charcot)
    assert raised.value.system == "wifi"
    assert raised.value.missing == ("infection_confirmed_despite_charcot",)
    assert "suspected active Charcot" in str(raised.value)
    # A given grade does not settle it either: the signs must resolve.
    with pytest.raises(CannotClassify, match="Charcot"):
        classify_wifi(**GRADES_W1_I0, **charcot, infection_grade=2)
    # A clinician who does not confirm infection leaves it unresolved (nothing is missing).
    with pytest.raises(CannotClassify, match="Charcot") as declined:
        classify_wifi(**GRADES_W1_I0, **charcot, infection_confirmed_despite_charcot=False)
    assert declined.value.missing == ()
    confirmed = classify_wifi(**GRADES_W1_I0, **charcot, infection_confirmed_despite_charcot=True)
    assert confirmed.infection_grade == 2
    assert "may partly reflect Charcot" in confirmed.provenance
    assert "iwgdf-charcot-mimic" in {t.table_id for t in confirmed.tables}


def test_charcot_without_inflammation_is_fi0_with_a_caution() -> None:
    result = classify_wifi(
        **GRADES_W1_I0,
        **FOUR_SIGNS_ABSENT,
        erythema_extent_cm=0,
        osteomyelitis=False,
        suspected_active_charcot=True,
    )
    assert result.infection_grade == 0
    assert "manage as active Charcot" in result.provenance
    assert result.rationale.startswith("W1I0fI0 (")


def test_grade_and_signs_agree_or_conflict() -> None:
    signs = {**TWO_SIGNS, "erythema_extent_cm": 3, "sirs_criteria_count": 0}
    agreed = classify_wifi(**GRADES_W1_I0, **signs, infection_grade=2)
    assert (agreed.infection_grade, agreed.infection_measure) == (2, "iwgdf_signs")
    assert agreed.inputs["infection_grade"] == 2
    assert agreed.inputs["erythema_extent_cm"] == 3
    with pytest.raises(CannotClassify) as raised:
        classify_wifi(**GRADES_W1_I0, **signs, infection_grade=1)
    assert raised.value.conflicts == ("infection_grade 1 given, IWGDF/IDSA signs give 2",)
    with pytest.raises(InvalidInput, match="infection_grade"):
        classify_wifi(**GRADES_W1_I0, **signs, infection_grade=4)


def test_grade_given_is_recorded_as_such() -> None:
    result = classify_wifi(wound_grade=1, ischemia_grade=0, infection_grade=1)
    assert (result.infection_measure, result.infection_rationale) == ("grade_given", "")
    assert result.as_row()["infection_measure"] == "grade_given"
    assert "infection_rationale" not in result.as_row()
    assert "infection_rationale" in result.explanation()


def test_incomplete_signs_name_what_is_missing() -> None:
    # The three findings core/infection.py always needs.
    with pytest.raises(CannotClassify) as raised:
        classify_wifi(**GRADES_W1_I0, swelling_or_induration=True)
    assert raised.value.system == "wifi"
    assert raised.value.missing == (
        "erythema_extent_cm",
        "osteomyelitis",
        "suspected_active_charcot",
    )
    # Signs given with a grade must still be complete enough to grade.
    with pytest.raises(CannotClassify) as also:
        classify_wifi(**GRADES_W1_I0, infection_grade=0, erythema_extent_cm=0)
    assert also.value.missing == ("osteomyelitis", "suspected_active_charcot")
    # What the IWGDF/IDSA rules need beyond that is named by core/infection.py.
    with pytest.raises(CannotClassify, match="deep_tissue_involvement"):
        classify_wifi(**GRADES_W1_I0, **TWO_SIGNS, erythema_extent_cm=1, sirs_criteria_count=0)
    with pytest.raises(InvalidInput) as bad:
        classify_wifi(**GRADES_W1_I0, **TWO_SIGNS, erythema_extent_cm=1, temperature_c=60)
    assert bad.value.field == "temperature_c"


def test_rationale_from_signs_quotes_no_raw_value() -> None:
    # Erythema 3 or 4.5 cm (both >2 cm, moderate): same cell, same rule text and provenance.
    base = {**TWO_SIGNS, "sirs_criteria_count": 0}
    low = classify_wifi(wound_grade=2, ischemia_grade=1, **base, erythema_extent_cm=3)
    high = classify_wifi(wound_grade=2, ischemia_grade=1, **base, erythema_extent_cm=4.5)
    assert (low.rationale, low.provenance) == (high.rationale, high.provenance)
    assert "4.5" not in high.rationale
    assert low.rationale == wifi_rationale(
        wound_grade=2,
        ischemia_grade=1,
        infection_grade=2,
        ischemia_measure="grade_given",
        unsalvageable=False,
        infection_measure="iwgdf_signs",
    )
    assert "4.5" in high.infection_rationale  # the infection rule is explanation text


def test_infection_notes_follow_the_cell_note() -> None:
    # Erythema exactly 2 cm is mild (">2 cm" is moderate); core/infection.py notes the reading.
    result = classify_wifi(
        wound_grade=0,
        ischemia_grade=0,
        **TWO_SIGNS,
        erythema_extent_cm=2,
        deep_tissue_involvement=False,
        sirs_criteria_count=0,
    )
    infection = classify_foot_infection(
        **TWO_SIGNS, erythema_extent_cm=2, deep_tissue_involvement=False, sirs_criteria_count=0
    )
    assert result.infection_grade == 1
    assert infection.provenance
    assert result.provenance == infection.provenance  # W0 I0 fI1 is not a contested cell
    contested = classify_wifi(
        wound_grade=2,
        ischemia_grade=0,
        **TWO_SIGNS,
        erythema_extent_cm=2,
        deep_tissue_involvement=False,
        sirs_criteria_count=0,
    )
    assert contested.provenance.startswith("Stage table cell W2 I0 fI1")
    assert contested.provenance.endswith(infection.provenance)


def test_signs_are_the_iwgdf_fields_with_the_same_options() -> None:
    infection_parameters = inspect.signature(classify_foot_infection).parameters
    assert set(INFECTION_SIGNS) == set(infection_parameters)
    assert set(INFECTION_SIGNS) <= set(inspect.signature(classify_wifi).parameters)
    iwgdf = {spec.name: spec for spec in IWGDF_SYSTEM.fields}
    wifi = {spec.name: spec for spec in SYSTEM.fields}
    for name in INFECTION_SIGNS:
        assert wifi[name] is iwgdf[name]
    assert wifi["erythema_extent_cm"].cli_option == "--erythema-extent-cm"
    assert wifi["sirs_criteria_count"].cli_option == "--sirs-criteria-count"
    assert SYSTEM.required_fields == ()
    assert "infection_measure" in SYSTEM.result_fields
    assert "infection_rationale" not in SYSTEM.result_fields


def test_record_with_text_signs() -> None:
    record = {
        "wound_grade": "2",
        "ischemia_grade": "1",
        "erythema_extent_cm": "3",
        "osteomyelitis": "no",
        "suspected_active_charcot": "no",
        "swelling_or_induration": "yes",
        "local_warmth": "1",
        "temperature_c": "37.0",
        "heart_rate_bpm": "80",
        "respiratory_rate_per_min": "16",
        "white_cell_count_per_mm3": "9000",
        "infection_grade": "",
    }
    row = SYSTEM.classify_record(record).as_row()
    assert (row["infection_grade"], row["clinical_stage"]) == (2, 4)
    assert row["infection_measure"] == "iwgdf_signs"
    with pytest.raises(CannotClassify, match="infection_grade 3 given"):
        SYSTEM.classify_record({**record, "infection_grade": "3"})
    charcot = {**record, "suspected_active_charcot": "yes"}
    with pytest.raises(CannotClassify, match="infection_confirmed_despite_charcot"):
        SYSTEM.classify_record(charcot)
    confirmed = SYSTEM.classify_record({**charcot, "infection_confirmed_despite_charcot": "yes"})
    assert confirmed.as_row()["infection_grade"] == 2


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"osteomyelitis": "maybe"}, "osteomyelitis"),
        ({"erythema_extent_cm": "-1"}, "erythema_extent_cm"),
        ({"erythema_extent_cm": "wide"}, "erythema_extent_cm"),
        ({"temperature_c": "nan"}, "temperature_c"),
        ({"heart_rate_bpm": "inf"}, "heart_rate_bpm"),
        ({"sirs_criteria_count": "1.5"}, "sirs_criteria_count"),
        ({"sirs_criteria_count": "5"}, "sirs_criteria_count"),
    ],
)
def test_bad_text_signs_name_the_field(bad: dict[str, str], field: str) -> None:
    record = {
        "wound_grade": "1",
        "ischemia_grade": "1",
        "erythema_extent_cm": "1",
        "osteomyelitis": "no",
        "suspected_active_charcot": "no",
        "swelling_or_induration": "yes",
        "local_warmth": "yes",
        **bad,
    }
    with pytest.raises(InvalidInput) as raised:
        SYSTEM.classify_record(record)
    assert raised.value.field == field


finite = {"allow_nan": False, "allow_infinity": False}
maybe_flag = st.none() | st.booleans()


@st.composite
def infection_signs(draw: st.DrawFn) -> dict[str, Any]:
    """Any combination of findings core/infection.py accepts, with unrecorded ones left out."""
    signs: dict[str, Any] = {
        "erythema_extent_cm": draw(st.floats(0, 50, **finite)),
        "osteomyelitis": draw(st.booleans()),
        "suspected_active_charcot": draw(st.booleans()),
        "swelling_or_induration": draw(maybe_flag),
        "local_tenderness_or_pain": draw(maybe_flag),
        "local_warmth": draw(maybe_flag),
        "purulent_discharge": draw(maybe_flag),
        "deep_tissue_involvement": draw(maybe_flag),
        "infection_confirmed_despite_charcot": draw(maybe_flag),
    }
    if draw(st.booleans()):
        signs["sirs_criteria_count"] = draw(st.none() | st.integers(0, 4))
    else:
        signs["temperature_c"] = draw(st.none() | st.floats(25, 45, **finite))
        signs["heart_rate_bpm"] = draw(st.none() | st.floats(0, 300, **finite))
        signs["respiratory_rate_per_min"] = draw(st.none() | st.floats(0, 80, **finite))
        signs["white_cell_count_per_mm3"] = draw(st.none() | st.floats(0, 500_000, **finite))
        signs["band_forms_percent"] = draw(st.none() | st.floats(0, 100, **finite))
    return {k: v for k, v in signs.items() if v is not None}


@given(infection_signs(), GRADES, GRADES)
def test_fi_from_signs_is_the_iwgdf_mapping(
    signs: dict[str, Any], wound: int, ischemia: int
) -> None:
    # Either both refuse with core/infection.py's own error, or fI is its wifi_infection_grade;
    # an unresolved Charcot foot (None there) is CannotClassify here.
    expected: int | str | None
    try:
        expected = classify_foot_infection(**signs).wifi_infection_grade
    except ClassificationError as error:
        expected = f"{type(error).__name__}: {error}"
    got: int | str
    try:
        result = classify_wifi(wound_grade=wound, ischemia_grade=ischemia, **signs)
    except ClassificationError as error:
        got = f"{type(error).__name__}: {error}"
    else:
        got = result.infection_grade
        assert result.clinical_stage == STAGE[ischemia][wound][got]
        assert result.infection_measure == "iwgdf_signs"
    if expected is None:
        assert isinstance(got, str)
        assert got.startswith("CannotClassify: cannot classify wifi")
        assert "Charcot" in got
    else:
        assert got == expected
