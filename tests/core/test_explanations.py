"""Explanation fields: long texts go to the batch rule legend, grades and codes stay in the row."""

from dataclasses import fields

import pytest

from limbsalvage.core.ali import classify_ali
from limbsalvage.core.infection import classify_foot_infection
from limbsalvage.core.registry import SYSTEMS
from limbsalvage.core.result import is_explanation
from limbsalvage.core.sinbad import classify_sinbad
from limbsalvage.core.texas import classify_texas

# The result fields of each system that are explanatory text (wifi is pinned in its own tests).
EXPLANATION_FIELDS = {
    "perfusion": set(),
    "glass": {"expected_technical_failure", "expected_one_year_limb_based_patency"},
    "rutherford": set(),  # objective_findings carry the measured values: they stay in the row
    "ali": {"prognosis"},
    "fontaine": set(),
    "wagner": {"description"},
    "texas": {"published_outcomes"},
    "sinbad": {"healing_note"},
    "iwgdf": {"caution"},
    "ceap": set(),
    "mess": set(),
    "enneking": set(),
    "msts": set(),
}


def explanation_fields(name: str) -> set[str]:
    return {spec.name for spec in fields(SYSTEMS[name].result_type) if is_explanation(spec)}


@pytest.mark.parametrize("name", sorted(EXPLANATION_FIELDS))
def test_declared_explanation_fields(name: str) -> None:
    assert explanation_fields(name) == EXPLANATION_FIELDS[name]
    assert not explanation_fields(name) & set(SYSTEMS[name].result_fields)


def test_texas_published_outcomes_are_in_the_legend_not_the_row() -> None:
    """Armstrong 1998: stage D (infected and ischaemic) carries the cohort's amputation rates."""
    worst = classify_texas(wound_depth="bone_or_joint", infection=True, ischemia=True)
    clean = classify_texas(wound_depth="bone_or_joint", infection=False, ischemia=False)
    assert "published_outcomes" not in worst.as_row()
    assert worst.as_row()["code"] == "3D"
    assert any("76.5%" in text for text in worst.published_outcomes)
    assert worst.explanation()["published_outcomes"] == worst.published_outcomes
    assert worst.rule_id != clean.rule_id


def test_sinbad_healing_note_is_in_the_legend() -> None:
    """Ince 2008: a SINBAD total of 3 or more marks slower healing."""
    result = classify_sinbad(
        ulcer_site="hindfoot",
        reduced_pedal_blood_flow=True,
        protective_sensation_lost=True,
        bacterial_infection=False,
        ulcer_area_cm2=0.5,
        ulcer_depth="skin_or_subcutis",
    )
    assert result.score == 3
    assert "healing_note" not in result.as_row()
    assert result.explanation()["healing_note"] == result.healing_note
    assert result.healing_note


def test_ali_prognosis_and_infection_caution_are_explanations() -> None:
    ali = classify_ali(
        sensory_loss="toes_only",
        muscle_weakness="none",
        arterial_doppler_audible=False,
        venous_doppler_audible=True,
    )
    assert ali.as_row()["label"] == "marginally threatened"  # a short label stays in the row
    assert ali.explanation()["prognosis"] == "salvageable if promptly treated"
    assert "prognosis" not in ali.as_row()
    charcot = classify_foot_infection(
        erythema_extent_cm=3,
        osteomyelitis=False,
        suspected_active_charcot=True,
        swelling_or_induration=True,
        local_warmth=True,
    )
    assert charcot.iwgdf_grade is None  # unresolved: active Charcot mimics infection
    assert "infection_confirmed_despite_charcot" in str(charcot.explanation()["caution"])
    assert "caution" not in charcot.as_row()
