"""IWGDF/IDSA 2023 foot infection — Senneville É et al. Diabetes Metab Res Rev 2024;40:e3687,
Table 1, checked in the IDSA 2012 reproductions (empendium table 6.2-11; EFORT Open Rev 2018
table 1): grade 1 "no symptoms or signs of infection"; infection = ≥2 of local swelling or
induration, erythema >0.5 cm around the wound, local tenderness or pain, local warmth, purulent
discharge; 2 mild = skin and subcutis only, erythema >0.5 to ≤2 cm; 3 moderate = erythema >2 cm or
deeper structures (abscess, osteomyelitis, septic arthritis, fasciitis), no SIRS; 4 severe = ≥2 of
temperature >38 or <36 °C, heart rate >90, respiratory rate >20 or PaCO2 <32 mmHg, white cells
>12 000 or <4 000 /mm³ or ≥10% bands; "(O)" after 3 or 4 for osteomyelitis. WIfI fI 0–3 are the
same four rows (Mills 2014)."""

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from limbsalvage.core.errors import CannotClassify, InvalidInput
from limbsalvage.core.infection import (
    SYSTEM,
    FootInfectionResult,
    InfectionStatus,
    Severity,
    SirsCriterion,
    classify_foot_infection,
)
from limbsalvage.core.registry import SYSTEMS

NORMAL_VITALS: dict[str, Any] = {
    "temperature_c": 37.0,
    "heart_rate_bpm": 80,
    "respiratory_rate_per_min": 16,
    "white_cell_count_per_mm3": 8000,
}
NO_SIGNS: dict[str, Any] = {
    "swelling_or_induration": False,
    "local_tenderness_or_pain": False,
    "local_warmth": False,
    "purulent_discharge": False,
}
TWO_SIGNS = {**NO_SIGNS, "swelling_or_induration": True, "local_warmth": True}


def grade(**overrides: Any) -> FootInfectionResult:
    arguments: dict[str, Any] = {
        "erythema_extent_cm": 0,
        "osteomyelitis": False,
        "suspected_active_charcot": False,
        "deep_tissue_involvement": False,
        **TWO_SIGNS,
        **NORMAL_VITALS,
    }
    arguments.update(overrides)
    return classify_foot_infection(**arguments)


# --- Table 1, row by row ---------------------------------------------------------------------


def test_row_uninfected_grade_1_is_wifi_fi0() -> None:
    result = grade(**NO_SIGNS)
    assert (result.iwgdf_grade, result.label, result.wifi_infection_grade) == (1, "1", 0)
    assert result.severity is Severity.UNINFECTED
    assert result.infection_status is InfectionStatus.UNINFECTED
    assert "IWGDF/IDSA" in result.source
    assert result.tables[0].ref == "iwgdf-idsa-infection@2023.1"


def test_row_mild_grade_2_is_wifi_fi1() -> None:
    # "Local infection involving only skin and subcutaneous tissue … erythema >0.5 to ≤2 cm"
    result = grade(erythema_extent_cm=1.5)
    assert (result.iwgdf_grade, result.label, result.wifi_infection_grade) == (2, "2", 1)
    assert result.severity is Severity.MILD
    assert result.local_signs == ("swelling_or_induration", "local_warmth", "erythema")
    assert result.sirs_criteria_met == 0


def test_row_moderate_by_erythema_over_2_cm_is_wifi_fi2() -> None:
    result = grade(erythema_extent_cm=3)
    assert (result.iwgdf_grade, result.label, result.wifi_infection_grade) == (3, "3", 2)
    assert result.severity is Severity.MODERATE
    assert "3 cm > 2 cm" in result.rationale


def test_row_moderate_by_deeper_tissue() -> None:
    # "involving structures deeper than skin and subcutaneous tissues (abscess, fasciitis…)"
    result = grade(deep_tissue_involvement=True)
    assert (result.iwgdf_grade, result.wifi_infection_grade) == (3, 2)
    assert "deeper than skin" in result.rationale


def test_row_moderate_with_osteomyelitis_is_3_o() -> None:
    result = grade(osteomyelitis=True, deep_tissue_involvement=None)
    assert (result.iwgdf_grade, result.label, result.wifi_infection_grade) == (3, "3(O)", 2)
    assert result.osteomyelitis is True


def test_row_severe_grade_4_is_wifi_fi3() -> None:
    result = grade(temperature_c=38.5, heart_rate_bpm=110)
    assert (result.iwgdf_grade, result.label, result.wifi_infection_grade) == (4, "4", 3)
    assert result.severity is Severity.SEVERE
    assert result.sirs_criteria == (SirsCriterion.TEMPERATURE, SirsCriterion.HEART_RATE)
    assert result.sirs_criteria_met == 2


def test_row_severe_with_osteomyelitis_is_4_o() -> None:
    result = grade(
        osteomyelitis=True,
        deep_tissue_involvement=True,
        sirs_criteria_count=3,
        **dict.fromkeys(NORMAL_VITALS),
    )
    assert (result.label, result.wifi_infection_grade) == ("4(O)", 3)
    assert result.sirs_criteria == ()
    assert "as counted" in result.rationale


def test_osteomyelitis_without_local_signs_is_still_3_o() -> None:
    # IWGDF/IDSA footnote: osteomyelitis without ≥2 local signs is 3(O) (or 4(O) with SIRS).
    result = grade(osteomyelitis=True, deep_tissue_involvement=None, **NO_SIGNS)
    assert result.label == "3(O)"


# --- local signs: at least two of five; erythema counts beyond 0.5 cm -------------------------


@pytest.mark.parametrize(
    "sign",
    ["swelling_or_induration", "local_tenderness_or_pain", "local_warmth", "purulent_discharge"],
)
def test_each_sign_with_erythema_makes_two(sign: str) -> None:
    assert grade(**{**NO_SIGNS, sign: True}, erythema_extent_cm=1).iwgdf_grade == 2
    assert grade(**{**NO_SIGNS, sign: True}, erythema_extent_cm=0).iwgdf_grade == 1


def test_erythema_of_exactly_half_a_centimetre_is_not_a_sign() -> None:
    # "erythema >0.5 cm": 0.5 cm itself does not count.
    one_sign = {**NO_SIGNS, "local_warmth": True}
    assert grade(**one_sign, erythema_extent_cm=0.5).iwgdf_grade == 1
    assert grade(**one_sign, erythema_extent_cm=0.51).iwgdf_grade == 2


def test_erythema_of_exactly_2_cm_is_mild_with_provenance() -> None:
    # IDSA 2012 / WIfI: mild ">0.5 to ≤2 cm", moderate ">2 cm"; some read moderate "≥2 cm".
    at_two = grade(erythema_extent_cm=2.0)
    assert at_two.iwgdf_grade == 2
    assert "≥2 cm" in at_two.provenance
    assert grade(erythema_extent_cm=2.01).iwgdf_grade == 3
    assert grade(erythema_extent_cm=1.99).provenance == ""


def test_erythema_alone_beyond_2_cm_is_one_sign_only() -> None:
    assert grade(**NO_SIGNS, erythema_extent_cm=5).iwgdf_grade == 1


def test_unrecorded_signs_are_missing_only_when_they_decide() -> None:
    with pytest.raises(CannotClassify) as raised:
        grade(local_warmth=None, swelling_or_induration=True, purulent_discharge=None)
    assert raised.value.missing == ("local_warmth", "purulent_discharge")
    # No sign present and one unrecorded: cannot reach two, so uninfected.
    assert grade(**{**NO_SIGNS, "local_warmth": None}).iwgdf_grade == 1
    # Two present already: the others do not matter.
    result = grade(local_tenderness_or_pain=None, purulent_discharge=None)
    assert "purulent_discharge" not in result.inputs


# --- SIRS criteria at their boundaries --------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "not_met", "met"),
    [
        ("temperature_c", 38.0, 38.1),  # >38 °C
        ("temperature_c", 36.0, 35.9),  # <36 °C
        ("heart_rate_bpm", 90, 91),  # >90 /min
        ("respiratory_rate_per_min", 20, 21),  # >20 /min
        ("white_cell_count_per_mm3", 12_000, 12_001),  # >12 000 /mm³
        ("white_cell_count_per_mm3", 4_000, 3_999),  # <4 000 /mm³
    ],
)
def test_sirs_thresholds_are_strict(field: str, not_met: float, met: float) -> None:
    # A second criterion is already met (heart rate or temperature), so the boundary decides.
    other = {"temperature_c": 38.5} if field != "temperature_c" else {"heart_rate_bpm": 100}
    assert grade(**other, **{field: not_met}).iwgdf_grade == 2
    assert grade(**other, **{field: met}).iwgdf_grade == 4


def test_paco2_below_32_counts_as_the_respiratory_criterion() -> None:
    assert grade(temperature_c=39, paco2_mmhg=32).iwgdf_grade == 2
    severe = grade(temperature_c=39, paco2_mmhg=31.9)
    assert SirsCriterion.RESPIRATION in severe.sirs_criteria
    # Respiratory rate and PaCO2 are one criterion, not two.
    one = grade(respiratory_rate_per_min=30, paco2_mmhg=25)
    assert one.sirs_criteria_met == 1


def test_band_forms_of_exactly_10_percent_count_with_provenance() -> None:
    # IDSA 2012 "≥10% immature (band) forms"; Bone 1992 ">10%": kept both, chose ≥10%.
    at_ten = grade(temperature_c=39, band_forms_percent=10)
    assert at_ten.iwgdf_grade == 4
    assert "Bone 1992" in at_ten.provenance
    assert grade(temperature_c=39, band_forms_percent=9.9).iwgdf_grade == 2
    # When the white cell count already meets the criterion the band reading does not matter.
    both = grade(temperature_c=39, band_forms_percent=10, white_cell_count_per_mm3=15_000)
    assert both.provenance == ""


def test_sirs_unassessed_is_missing_only_when_it_could_decide() -> None:
    with pytest.raises(CannotClassify) as raised:
        grade(temperature_c=39, heart_rate_bpm=None)
    assert "heart_rate_bpm" in raised.value.missing
    # None met, two recorded normal, two unrecorded: those two could still make SIRS.
    partial = {**dict.fromkeys(NORMAL_VITALS), "temperature_c": 37, "heart_rate_bpm": 80}
    with pytest.raises(CannotClassify, match="respiratory_rate_per_min or paco2_mmhg"):
        grade(**partial)
    decided = {**partial, "respiratory_rate_per_min": 16}
    assert grade(**decided).iwgdf_grade == 2


def test_no_sirs_information_for_an_infection_is_missing() -> None:
    with pytest.raises(CannotClassify, match="sirs_criteria_count"):
        grade(**dict.fromkeys(NORMAL_VITALS))


def test_sirs_is_not_needed_for_an_uninfected_foot() -> None:
    result = grade(**NO_SIGNS, **dict.fromkeys(NORMAL_VITALS))
    assert (result.iwgdf_grade, result.sirs_criteria_met) == (1, None)


def test_sirs_count_and_vitals_together_conflict() -> None:
    with pytest.raises(CannotClassify) as raised:
        grade(sirs_criteria_count=1)
    assert raised.value.conflicts


def test_deep_tissue_needed_only_when_it_decides() -> None:
    with pytest.raises(CannotClassify) as raised:
        grade(deep_tissue_involvement=None)
    assert raised.value.missing == ("deep_tissue_involvement",)
    assert grade(deep_tissue_involvement=None, erythema_extent_cm=3).iwgdf_grade == 3


def test_osteomyelitis_without_deep_tissue_conflicts() -> None:
    with pytest.raises(CannotClassify, match="osteomyelitis"):
        grade(osteomyelitis=True, deep_tissue_involvement=False)


# --- suspected active Charcot foot ------------------------------------------------------------


def test_charcot_with_local_inflammation_is_not_graded_as_infection() -> None:
    result = grade(suspected_active_charcot=True, erythema_extent_cm=3)
    assert result.infection_status is InfectionStatus.UNRESOLVED_CHARCOT
    assert (result.iwgdf_grade, result.wifi_infection_grade, result.severity) == (None, None, None)
    assert result.suspected_active_charcot is True
    assert "infection_confirmed_despite_charcot" in result.caution
    assert any(t.ref == "iwgdf-charcot-mimic@2023.1" for t in result.tables)


def test_charcot_graded_once_a_clinician_confirms_infection() -> None:
    result = grade(
        suspected_active_charcot=True,
        infection_confirmed_despite_charcot=True,
        erythema_extent_cm=3,
    )
    assert (result.iwgdf_grade, result.suspected_active_charcot) == (3, True)
    assert "Charcot" in result.caution
    assert result.inputs["infection_confirmed_despite_charcot"] is True
    declined = grade(suspected_active_charcot=True, infection_confirmed_despite_charcot=False)
    assert declined.infection_status is InfectionStatus.UNRESOLVED_CHARCOT


def test_charcot_with_osteomyelitis_is_graded_with_caution() -> None:
    result = grade(suspected_active_charcot=True, osteomyelitis=True, deep_tissue_involvement=None)
    assert (result.label, result.suspected_active_charcot) == ("3(O)", True)
    assert result.caution


def test_charcot_without_signs_is_uninfected_and_carried() -> None:
    result = grade(suspected_active_charcot=True, **NO_SIGNS)
    assert (result.iwgdf_grade, result.suspected_active_charcot) == (1, True)
    assert "Charcot" in result.caution


def test_confirmation_is_not_recorded_without_charcot() -> None:
    result = grade(infection_confirmed_despite_charcot=True)
    assert "infection_confirmed_despite_charcot" not in result.inputs
    assert result.caution == ""


# --- invalid values ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("erythema_extent_cm", -0.1),
        ("erythema_extent_cm", math.nan),
        ("erythema_extent_cm", math.inf),
        ("erythema_extent_cm", True),
        ("erythema_extent_cm", 51),
        ("temperature_c", 46),
        ("temperature_c", math.nan),
        ("heart_rate_bpm", -1),
        ("respiratory_rate_per_min", 81),
        ("paco2_mmhg", 1),
        ("white_cell_count_per_mm3", -5),
        ("band_forms_percent", 101),
        ("osteomyelitis", "yes"),
        ("suspected_active_charcot", 1),
        ("local_warmth", "no"),
        ("deep_tissue_involvement", 0),
        ("infection_confirmed_despite_charcot", "y"),
    ],
)
def test_invalid_values_name_the_field(field: str, bad: object) -> None:
    with pytest.raises(InvalidInput) as raised:
        grade(**{field: bad})
    assert raised.value.field == field


@pytest.mark.parametrize("bad", [5, -1, 1.5, True])
def test_sirs_count_out_of_range(bad: object) -> None:
    with pytest.raises(InvalidInput, match="sirs_criteria_count"):
        grade(sirs_criteria_count=bad, **dict.fromkeys(NORMAL_VITALS))


# --- records as from a CSV file ---------------------------------------------------------------


def test_record_from_text() -> None:
    assert SYSTEMS["iwgdf"] is SYSTEM
    record = {
        "erythema_extent_cm": "2.5",
        "osteomyelitis": "no",
        "suspected_active_charcot": "no",
        "swelling_or_induration": "yes",
        "local_warmth": "1",
        "local_tenderness_or_pain": "",
        "purulent_discharge": "",
        "temperature_c": "38.6",
        "heart_rate_bpm": "104",
        "respiratory_rate_per_min": "",
        "white_cell_count_per_mm3": "",
    }
    result = SYSTEM.classify_record(record)
    assert isinstance(result, FootInfectionResult)
    assert result.label == "4"
    assert result.as_row()["wifi_infection_grade"] == 3
    assert result.tables[0].ref == "iwgdf-idsa-infection@2023.1"


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("erythema_extent_cm", "wide"),
        ("erythema_extent_cm", "nan"),
        ("erythema_extent_cm", "-1"),
        ("osteomyelitis", "maybe"),
        ("heart_rate_bpm", "inf"),
        ("sirs_criteria_count", "two"),
    ],
)
def test_bad_text_is_invalid(field: str, text: str) -> None:
    record = {"erythema_extent_cm": "1", "osteomyelitis": "no", "suspected_active_charcot": "no"}
    with pytest.raises(InvalidInput) as raised:
        SYSTEM.classify_record({**record, field: text})
    assert raised.value.field == field


def test_empty_required_text_is_missing() -> None:
    with pytest.raises(CannotClassify, match="missing erythema_extent_cm"):
        SYSTEM.classify_record(
            {"erythema_extent_cm": " ", "osteomyelitis": "no", "suspected_active_charcot": "no"}
        )


# --- properties -------------------------------------------------------------------------------

optional_flag = st.none() | st.booleans()
finite = {"allow_nan": False, "allow_infinity": False}


@st.composite
def findings(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "erythema_extent_cm": draw(st.floats(0, 50, **finite)),
        "osteomyelitis": draw(st.booleans()),
        "suspected_active_charcot": draw(st.booleans()),
        "swelling_or_induration": draw(optional_flag),
        "local_tenderness_or_pain": draw(optional_flag),
        "local_warmth": draw(optional_flag),
        "purulent_discharge": draw(optional_flag),
        "deep_tissue_involvement": draw(optional_flag),
        "temperature_c": draw(st.none() | st.floats(25, 45, **finite)),
        "heart_rate_bpm": draw(st.none() | st.floats(0, 300, **finite)),
        "respiratory_rate_per_min": draw(st.none() | st.floats(0, 80, **finite)),
        "paco2_mmhg": draw(st.none() | st.floats(5, 150, **finite)),
        "white_cell_count_per_mm3": draw(st.none() | st.floats(0, 500_000, **finite)),
        "band_forms_percent": draw(st.none() | st.floats(0, 100, **finite)),
        "infection_confirmed_despite_charcot": draw(optional_flag),
    }


def attempt(arguments: dict[str, Any]) -> FootInfectionResult | CannotClassify:
    try:
        return classify_foot_infection(**arguments)
    except CannotClassify as refused:
        return refused


@given(findings())
def test_total_over_valid_inputs(arguments: dict[str, Any]) -> None:
    result = attempt(arguments)
    if isinstance(result, CannotClassify):
        assert result.missing or result.conflicts
        return
    if result.iwgdf_grade is None:
        assert result.infection_status is InfectionStatus.UNRESOLVED_CHARCOT
    else:
        assert result.wifi_infection_grade == result.iwgdf_grade - 1
        assert result.label.startswith(str(result.iwgdf_grade))
        assert result.label.endswith("(O)") == result.osteomyelitis


@st.composite
def complete_findings(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "erythema_extent_cm": draw(st.floats(0, 50, **finite)),
        "osteomyelitis": False,
        "suspected_active_charcot": False,
        "swelling_or_induration": draw(st.booleans()),
        "local_tenderness_or_pain": draw(st.booleans()),
        "local_warmth": draw(st.booleans()),
        "purulent_discharge": draw(st.booleans()),
        "deep_tissue_involvement": draw(st.booleans()),
        "sirs_criteria_count": draw(st.integers(0, 4)),
    }


@given(complete_findings(), complete_findings(), st.booleans())
def test_a_worse_finding_never_lowers_the_grade(
    base: dict[str, Any], other: dict[str, Any], bone: bool
) -> None:
    worse = {
        key: (max(value, other[key]) if not isinstance(value, bool) else value or other[key])
        for key, value in base.items()
    }
    if bone:
        worse["osteomyelitis"] = worse["deep_tissue_involvement"] = True
    first = classify_foot_infection(**base).iwgdf_grade
    second = classify_foot_infection(**worse).iwgdf_grade
    assert first is not None
    assert second is not None
    assert second >= first


@given(st.floats(allow_nan=True, allow_infinity=True).filter(lambda x: not 0 <= x <= 300))
def test_heart_rate_outside_range_is_invalid(bad: float) -> None:
    with pytest.raises(InvalidInput, match="heart_rate_bpm"):
        grade(heart_rate_bpm=bad)
