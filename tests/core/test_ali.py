"""Acute limb ischaemia categories — Rutherford RB et al. J Vasc Surg 1997;26:517–38, table of
clinical categories of acute limb ischemia, as used by Björck M et al. ESVS 2020 (Eur J Vasc
Endovasc Surg 2020;59:173–218). Cells as reproduced by the ACC/AHA handbook figure
(category: sensory loss / muscle weakness / arterial Doppler / venous Doppler):

    I   viable:                 none / none / audible / audible
    IIa marginally threatened:  minimal (toes) or none / none / (often) inaudible / audible
    IIb immediately threatened: more than toes, rest pain / mild, moderate / (usually) inaudible /
                                audible
    III irreversible:           profound, anaesthetic / profound, paralysis (rigor) / inaudible /
                                inaudible
"""

import json
from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from limbsalvage.core.ali import (
    SYSTEM,
    AliCategory,
    MuscleWeakness,
    SensoryLoss,
    classify_ali,
)
from limbsalvage.core.errors import CannotClassify, InvalidInput
from limbsalvage.core.tables.ali import ALI_BY_CATEGORY, ALI_CATEGORIES_TABLE, ALI_ROWS

ORDER = [AliCategory.I, AliCategory.IIA, AliCategory.IIB, AliCategory.III]
S = SensoryLoss
M = MuscleWeakness


def _ali(sensory: str, motor: str, arterial: bool, venous: bool) -> AliCategory:
    return classify_ali(
        sensory_loss=sensory,
        muscle_weakness=motor,
        arterial_doppler_audible=arterial,
        venous_doppler_audible=venous,
    ).category


def test_published_rows_cell_by_cell() -> None:
    """Rutherford 1997 ALI table (ACC/AHA reproduction): every cell of every row."""
    cells = [
        (r.category, r.label, r.prognosis, r.sensory_loss, r.muscle_weakness, r.arterial_doppler,
         r.venous_doppler)
        for r in ALI_ROWS
    ]  # fmt: skip
    assert cells == [
        ("I", "viable", "not immediately threatened", "none", "none", "audible", "audible"),
        (
            "IIa",
            "marginally threatened",
            "salvageable if promptly treated",
            "minimal (toes) or none",
            "none",
            "(often) inaudible",
            "audible",
        ),
        (
            "IIb",
            "immediately threatened",
            "salvageable with immediate revascularisation",
            "more than toes, associated with rest pain",
            "mild, moderate",
            "(usually) inaudible",
            "audible",
        ),
        (
            "III",
            "irreversible",
            "major tissue loss or permanent nerve damage inevitable",
            "profound, anaesthetic",
            "profound, paralysis (rigor)",
            "inaudible",
            "inaudible",
        ),
    ]
    # Doppler cells as data: "(often)" and "(usually) inaudible" allow an audible signal.
    assert ALI_BY_CATEGORY["I"].arterial_audible_allowed == {True}
    assert ALI_BY_CATEGORY["IIa"].arterial_audible_allowed == {True, False}
    assert ALI_BY_CATEGORY["IIb"].arterial_audible_allowed == {True, False}
    assert ALI_BY_CATEGORY["III"].arterial_audible_allowed == {False}
    assert [r.venous_audible_allowed for r in ALI_ROWS] == [{True}, {True}, {True}, {False}]


@pytest.mark.parametrize(
    ("sensory", "motor", "arterial", "venous", "category"),
    [
        # Row I: no sensory loss, no weakness, audible arterial and venous signals.
        (S.NONE, M.NONE, True, True, "I"),
        # Row IIa: minimal (toes) or no sensory loss, no weakness, (often) inaudible arterial.
        (S.TOES_ONLY, M.NONE, False, True, "IIa"),
        (S.TOES_ONLY, M.NONE, True, True, "IIa"),
        (S.NONE, M.NONE, False, True, "IIa"),
        # Row IIb: more than toes with rest pain, mild/moderate weakness, (usually) inaudible.
        (S.BEYOND_TOES_WITH_REST_PAIN, M.MILD_MODERATE, False, True, "IIb"),
        (S.BEYOND_TOES_WITH_REST_PAIN, M.MILD_MODERATE, True, True, "IIb"),
        # Row III: profound anaesthesia, paralysis, inaudible arterial and venous signals.
        (S.PROFOUND_ANAESTHETIC, M.PROFOUND_PARALYSIS_RIGOR, False, False, "III"),
    ],
)
def test_each_published_row(
    sensory: SensoryLoss, motor: MuscleWeakness, arterial: bool, venous: bool, category: str
) -> None:
    result = classify_ali(
        sensory_loss=sensory,
        muscle_weakness=motor,
        arterial_doppler_audible=arterial,
        venous_doppler_audible=venous,
    )
    assert result.category == category
    assert result.prognosis == ALI_BY_CATEGORY[category].prognosis
    assert result.provenance == ALI_BY_CATEGORY[category].provenance
    assert "Rutherford" in result.source
    assert "ejvs.2019.09.006" in result.source
    assert result.tables == (ALI_CATEGORIES_TABLE,)


def test_arterial_doppler_separates_i_from_iia() -> None:
    # Row I needs an audible arterial signal; without it a limb with no deficit is IIa.
    viable = classify_ali(
        sensory_loss="none",
        muscle_weakness="none",
        arterial_doppler_audible=True,
        venous_doppler_audible=True,
    )
    assert viable.category == "I"
    assert viable.label == "viable"
    assert viable.provenance == ""
    assert "audible arterial signal" in viable.rationale
    assert _ali("none", "none", False, True) == "IIa"


@pytest.mark.parametrize(
    ("sensory", "motor"),
    [
        (S.BEYOND_TOES_WITH_REST_PAIN, M.NONE),
        (S.NONE, M.MILD_MODERATE),
        (S.TOES_ONLY, M.MILD_MODERATE),
    ],
)
def test_worst_finding_governs_between_i_and_iib(
    sensory: SensoryLoss, motor: MuscleWeakness
) -> None:
    # Our rule (docs/classification/ali.md): mixed rows among I–IIb take the more severe row.
    result = classify_ali(
        sensory_loss=sensory,
        muscle_weakness=motor,
        arterial_doppler_audible=False,
        venous_doppler_audible=True,
    )
    assert result.category == "IIb"
    assert "more severe row governs" in result.rationale


@pytest.mark.parametrize(
    ("sensory", "motor"),
    [
        (S.PROFOUND_ANAESTHETIC, M.NONE),
        (S.PROFOUND_ANAESTHETIC, M.MILD_MODERATE),
        (S.NONE, M.PROFOUND_PARALYSIS_RIGOR),
        (S.TOES_ONLY, M.PROFOUND_PARALYSIS_RIGOR),
        (S.BEYOND_TOES_WITH_REST_PAIN, M.PROFOUND_PARALYSIS_RIGOR),
    ],
)
def test_partial_category_iii_picture_is_a_conflict(
    sensory: SensoryLoss, motor: MuscleWeakness
) -> None:
    # Irreversible (III) only for its complete picture; e.g. profound sensory loss without
    # weakness is contradictory and must be re-examined, never guessed.
    with pytest.raises(CannotClassify) as raised:
        _ali(sensory, motor, False, False)
    assert raised.value.conflicts
    assert "category III" in raised.value.conflicts[0]


@pytest.mark.parametrize(
    ("sensory", "motor", "arterial", "venous", "conflict"),
    [
        # Inaudible venous signal with intact sensation: venous cell belongs to III only.
        (S.NONE, M.NONE, True, False, "venous Doppler inaudible"),
        (S.TOES_ONLY, M.NONE, False, False, "venous Doppler inaudible"),
        (S.BEYOND_TOES_WITH_REST_PAIN, M.MILD_MODERATE, False, False, "venous Doppler inaudible"),
        # The complete III picture with an audible venous or arterial signal.
        (S.PROFOUND_ANAESTHETIC, M.PROFOUND_PARALYSIS_RIGOR, False, True, "venous Doppler audible"),
        (S.PROFOUND_ANAESTHETIC, M.PROFOUND_PARALYSIS_RIGOR, True, False, "arterial Doppler"),
    ],
)
def test_doppler_contradicting_the_examination(
    sensory: SensoryLoss, motor: MuscleWeakness, arterial: bool, venous: bool, conflict: str
) -> None:
    with pytest.raises(CannotClassify) as raised:
        _ali(sensory, motor, arterial, venous)
    assert conflict in raised.value.conflicts[0]


def test_both_doppler_conflicts_are_reported_together() -> None:
    with pytest.raises(CannotClassify) as raised:
        _ali(S.PROFOUND_ANAESTHETIC, M.PROFOUND_PARALYSIS_RIGOR, True, True)
    assert len(raised.value.conflicts) == 2


def test_missing_findings_are_named() -> None:
    with pytest.raises(CannotClassify) as raised:
        classify_ali(sensory_loss="none")
    assert raised.value.missing == (
        "muscle_weakness",
        "arterial_doppler_audible",
        "venous_doppler_audible",
    )
    with pytest.raises(CannotClassify) as raised:
        classify_ali(muscle_weakness="none", arterial_doppler_audible=True)
    assert raised.value.missing == ("sensory_loss", "venous_doppler_audible")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sensory_loss", "numb"),
        ("sensory_loss", ""),
        ("sensory_loss", True),
        ("muscle_weakness", "paralysis"),
        ("muscle_weakness", 2),
        ("arterial_doppler_audible", "yes"),
        ("arterial_doppler_audible", 1),
        ("venous_doppler_audible", float("nan")),
    ],
)
def test_bad_values_name_the_field(field: str, value: object) -> None:
    findings: dict[str, object] = {
        "sensory_loss": "none",
        "muscle_weakness": "none",
        "arterial_doppler_audible": True,
        "venous_doppler_audible": True,
    }
    findings[field] = value
    with pytest.raises(InvalidInput) as raised:
        classify_ali(**findings)  # type: ignore[arg-type]
    assert raised.value.field == field


def test_result_is_explained_and_json_ready() -> None:
    result = classify_ali(
        sensory_loss="toes_only",
        muscle_weakness="none",
        arterial_doppler_audible=False,
        venous_doppler_audible=True,
    )
    assert dict(result.inputs) == {
        "sensory_loss": "toes_only",
        "muscle_weakness": "none",
        "arterial_doppler_audible": False,
        "venous_doppler_audible": True,
    }
    assert result.rationale.endswith(
        "category IIa (marginally threatened: salvageable if promptly treated)"
    )
    assert "(often) inaudible" in result.provenance
    row = json.loads(json.dumps(result.as_dict()))
    assert row["category"] == "IIa"
    assert row["tables"][0]["ref"] == "rutherford-ali@1997.1"


def test_record_from_text() -> None:
    result = SYSTEM.classify_record(
        {
            "sensory_loss": "beyond_toes_with_rest_pain",
            "muscle_weakness": "mild_moderate",
            "arterial_doppler_audible": "no",
            "venous_doppler_audible": "yes",
        }
    )
    assert result.category == "IIb"
    assert result.as_row()["category"] == "IIb"
    with pytest.raises(CannotClassify, match="missing venous_doppler_audible"):
        SYSTEM.classify_record(
            {
                "sensory_loss": "none",
                "muscle_weakness": "none",
                "arterial_doppler_audible": "1",
                "venous_doppler_audible": " ",
            }
        )
    with pytest.raises(InvalidInput, match="arterial_doppler_audible"):
        SYSTEM.classify_record({"sensory_loss": "none", "arterial_doppler_audible": "maybe"})
    with pytest.raises(InvalidInput, match="muscle_weakness"):
        SYSTEM.classify_record({"sensory_loss": "none", "muscle_weakness": "weak"})
    assert [f.cli_option for f in SYSTEM.fields] == [
        "--sensory-loss",
        "--muscle-weakness",
        "--arterial-doppler-audible",
        "--venous-doppler-audible",
    ]


def _consistent(sensory: SensoryLoss, motor: MuscleWeakness, arterial: bool, venous: bool) -> bool:
    """The combinations the documented rules place (everything else is a conflict)."""
    profound = (sensory is S.PROFOUND_ANAESTHETIC, motor is M.PROFOUND_PARALYSIS_RIGOR)
    if any(profound):
        return all(profound) and not arterial and not venous
    return venous


FINDINGS = (
    st.sampled_from(list(SensoryLoss)),
    st.sampled_from(list(MuscleWeakness)),
    st.booleans(),
    st.booleans(),
)


@given(*FINDINGS)
def test_total_over_consistent_findings_and_conflict_otherwise(
    sensory: SensoryLoss, motor: MuscleWeakness, arterial: bool, venous: bool
) -> None:
    if _consistent(sensory, motor, arterial, venous):
        assert _ali(sensory, motor, arterial, venous) in ORDER
    else:
        with pytest.raises(CannotClassify) as raised:
            _ali(sensory, motor, arterial, venous)
        assert raised.value.conflicts


def test_monotone_worse_sensory_or_motor_never_lowers_the_category() -> None:
    """Exhaustive over all 96 × 96 pairs of consistent findings with the same Doppler."""
    combos = [c for c in product(S, M, [True, False], [True, False]) if _consistent(*c)]
    sensory_order, motor_order = list(S), list(M)
    for low, high in product(combos, combos):
        same_doppler = low[2:] == high[2:]
        worse = sensory_order.index(high[0]) >= sensory_order.index(low[0]) and motor_order.index(
            high[1]
        ) >= motor_order.index(low[1])
        if same_doppler and worse:
            assert ORDER.index(_ali(*high)) >= ORDER.index(_ali(*low)), (low, high)


@given(st.sampled_from(list(SensoryLoss)), st.sampled_from(list(MuscleWeakness)))
def test_losing_the_arterial_signal_never_lowers_the_category(
    sensory: SensoryLoss, motor: MuscleWeakness
) -> None:
    if _consistent(sensory, motor, True, True):
        audible = _ali(sensory, motor, True, True)
        assert ORDER.index(_ali(sensory, motor, False, True)) >= ORDER.index(audible)


@given(st.text().filter(lambda t: t not in {s.value for s in SensoryLoss}))
def test_any_other_sensory_text_is_invalid(text: str) -> None:
    with pytest.raises(InvalidInput, match="sensory_loss"):
        _ali(text, "none", True, True)
