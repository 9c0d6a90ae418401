"""Wagner, Texas and SINBAD inputs read from the findings by stated rules; never a default."""

from typing import Any

import pytest

from limbsalvage.staging import foot_ulcer

UNKNOWN: dict[str, Any] = {"exposed_bone": None, "exposed_joint": None, "exposed_tendon": None}
CLEAR: dict[str, Any] = {"exposed_bone": False, "exposed_joint": False, "exposed_tendon": False}


def wound(ulcer: str, gangrene: str = "none", **flags: Any) -> dict[str, Any]:
    return {"ulcer": ulcer, "gangrene": gangrene, **CLEAR, **flags}


@pytest.mark.parametrize(
    ("given", "depth"),
    [
        (wound("none"), "none"),
        (wound("shallow"), "superficial"),
        (wound("heel_shallow"), "superficial"),
        (wound("shallow", exposed_tendon=None), None),  # tendon not examined
        (wound("shallow", exposed_joint=None), None),
        (wound("shallow", exposed_tendon=True), "deep"),
        (wound("exposed_distal_phalanx"), "deep"),
        (wound("heel_deep", **UNKNOWN), "deep"),
        (wound("deep", **UNKNOWN), "deep"),  # WIfI: deep reaches tendon, joint or bone
        (wound("extensive_forefoot_midfoot", **UNKNOWN), "deep"),
        ({"ulcer": None, **UNKNOWN}, None),
    ],
)
def test_open_depth(given: dict[str, Any], depth: str | None) -> None:
    assert foot_ulcer.open_depth(given) == depth


@pytest.mark.parametrize(
    ("given", "depth"),
    [
        (wound("none"), "epithelialized"),
        (wound("none", "digits"), None),  # gangrene without ulcer: not a Texas grade
        (wound("shallow"), "superficial"),
        (wound("shallow", exposed_tendon=True), "tendon_or_capsule"),
        (wound("deep", exposed_joint=True), "bone_or_joint"),
        (wound("deep", exposed_bone=True, exposed_tendon=True), "bone_or_joint"),
        (wound("heel_deep", **UNKNOWN), "bone_or_joint"),  # calcaneal involvement
        (wound("deep", **UNKNOWN), None),  # tendon or bone: the flags must say
        (wound("deep"), None),  # contradicts WIfI deep: left to the clinician
    ],
)
def test_texas_depth_and_never_ischaemia(given: dict[str, Any], depth: str | None) -> None:
    assert foot_ulcer.texas_inputs(given, True) == {
        "wound_depth": depth,
        "infection": True,
        "ischemia": None,
    }


@pytest.mark.parametrize(
    ("gangrene", "word"),
    [("none", "none"), ("digits", "localized"), ("heel", "localized"), ("forefoot_midfoot", None)],
)
def test_wagner_gangrene(gangrene: str, word: str | None) -> None:
    assert foot_ulcer.wagner_inputs(wound("none", gangrene), {})["gangrene"] == word


@pytest.mark.parametrize(
    ("infection", "deep"),
    [
        ({"osteomyelitis": True, "deep_tissue_involvement": True}, True),
        ({"osteomyelitis": True}, True),
        ({"osteomyelitis": False, "deep_tissue_involvement": False}, False),
        ({"deep_tissue_involvement": True}, None),  # deep, but abscess or joint sepsis unsaid
        ({}, None),
    ],
)
def test_wagner_deep_infection(infection: dict[str, Any], deep: bool | None) -> None:
    assert foot_ulcer.wagner_inputs(wound("deep"), infection)["deep_infection"] is deep


@pytest.mark.parametrize(
    ("location", "site"),
    [
        ("hallux", "forefoot"),
        ("lesser_toes", "forefoot"),
        ("forefoot_dorsal", "forefoot"),
        ("midfoot_lateral", "midfoot"),
        ("heel", "hindfoot"),
        ("ankle", None),
        ("lower_leg", None),
        (None, None),
    ],
)
def test_sinbad_site_and_what_is_never_derived(location: str | None, site: str | None) -> None:
    given = {**wound("deep", exposed_bone=True), "location": location, "area_cm2": 2.5}
    assert foot_ulcer.sinbad_inputs(given, False) == {
        "ulcer_site": site,
        "reduced_pedal_blood_flow": None,
        "protective_sensation_lost": None,
        "bacterial_infection": False,
        "ulcer_area_cm2": 2.5,
        "ulcer_depth": "muscle_tendon_or_deeper",
    }
    shallow = foot_ulcer.sinbad_inputs({**wound("shallow"), "location": location}, None)
    assert shallow["ulcer_depth"] == "skin_or_subcutis"
