"""The inputs of the ulcer systems (Wagner, University of Texas, SINBAD) read from the findings.

Each system grades one ulcer, so they are staged only when the episode has one wound in use.
Every input is read from a recorded finding by a stated rule; an input no finding gives is left
out, and the engine lists it as missing (never a default):

- depth from the WIfI ulcer code and the exposed-structure flags of the wound's latest
  measurement (Mills 2014 wound grades: `shallow` exposes no bone; `exposed_distal_phalanx` and
  `heel_deep` reach bone; `deep` and `extensive_forefoot_midfoot` reach tendon, joint or bone
  without saying which, so the flags decide);
- infection from the IWGDF/IDSA grade staged from the same findings (grade 2–4 is infected);
- Wagner's deep infection from the infection assessment (osteomyelitis: yes; no deep tissue
  involvement: no; deep involvement without osteomyelitis does not say whether it is an
  abscess or joint sepsis, so it is left out);
- SINBAD's site from the wound's location on the foot.

Never derived: Texas ischaemia (its published criterion is not read here), SINBAD's pedal
pulses (palpation is not recorded, and Doppler pressures are a different test) and protective
sensation (the registry holds no sensation finding).
"""

from collections.abc import Mapping
from typing import Any

from limbsalvage.core.vocabulary import FootLocation
from limbsalvage.core.wifi import Gangrene, Ulcer

ULCER_SYSTEMS = ("wagner", "texas", "sinbad")

_SHALLOW = frozenset({Ulcer.SHALLOW, Ulcer.HEEL_SHALLOW})
_TO_BONE = frozenset({Ulcer.EXPOSED_DISTAL_PHALANX, Ulcer.HEEL_DEEP})
_DEEP = frozenset({Ulcer.DEEP, Ulcer.EXTENSIVE_FOREFOOT_MIDFOOT}) | _TO_BONE
_SITE = {
    FootLocation.HALLUX: "forefoot",
    FootLocation.LESSER_TOES: "forefoot",
    FootLocation.FOREFOOT_PLANTAR: "forefoot",
    FootLocation.FOREFOOT_DORSAL: "forefoot",
    FootLocation.MIDFOOT_PLANTAR: "midfoot",
    FootLocation.MIDFOOT_DORSAL: "midfoot",
    FootLocation.MIDFOOT_MEDIAL: "midfoot",
    FootLocation.MIDFOOT_LATERAL: "midfoot",
    FootLocation.HEEL: "hindfoot",
}


def _code(value: Any, kind: type[Ulcer] | type[Gangrene]) -> Any:
    return None if value is None else kind(value)


def _reaches(wound: Mapping[str, Any]) -> str | None:
    """bone_or_joint, tendon, nothing deep, or None when the findings do not say."""
    ulcer = _code(wound.get("ulcer"), Ulcer)
    if wound.get("exposed_bone") or wound.get("exposed_joint") or ulcer in _TO_BONE:
        return "bone_or_joint"
    if wound.get("exposed_tendon"):
        return "tendon"
    if ulcer in _SHALLOW and wound.get("exposed_tendon") is False:
        # Shallow excludes bone by definition; a joint must be known unexposed too.
        return None if wound.get("exposed_joint") is not False else "superficial"
    return None


def open_depth(wound: Mapping[str, Any]) -> str | None:
    """none, superficial or deep (Wagner's words); None when the findings do not say."""
    ulcer = _code(wound.get("ulcer"), Ulcer)
    if ulcer is Ulcer.NONE:
        return "none"
    reach = _reaches(wound)
    if reach == "superficial":
        return "superficial"
    if reach is not None or ulcer in _DEEP:
        return "deep"
    return None


def wagner_inputs(wound: Mapping[str, Any], infection: Mapping[str, Any]) -> dict[str, Any]:
    """Wagner's gangrene, ulcer depth and deep infection, where the findings give them."""
    gangrene = _code(wound.get("gangrene"), Gangrene)
    words = {Gangrene.NONE: "none", Gangrene.DIGITS: "localized", Gangrene.HEEL: "localized"}
    # WIfI's forefoot/midfoot gangrene does not say whether the whole foot is gangrenous.
    return {
        "gangrene": words.get(gangrene) if gangrene is not None else None,
        "ulcer_depth": open_depth(wound),
        "deep_infection": deep_infection(infection),
    }


def deep_infection(infection: Mapping[str, Any]) -> bool | None:
    """Abscess, osteomyelitis or joint sepsis: yes, no, or None when not said."""
    if infection.get("osteomyelitis"):
        return True
    if infection.get("deep_tissue_involvement") is False:
        return False
    return None


def texas_inputs(wound: Mapping[str, Any], infected: bool | None) -> dict[str, Any]:
    """Texas depth and infection, where the findings give them; ischaemia is never derived."""
    ulcer = _code(wound.get("ulcer"), Ulcer)
    gangrene = _code(wound.get("gangrene"), Gangrene)
    depth: str | None = None
    if ulcer is Ulcer.NONE:
        # Closed skin is grade 0 (epithelialized) only without gangrene, which Texas does not grade.
        depth = "epithelialized" if gangrene is Gangrene.NONE else None
    else:
        depth = {
            "bone_or_joint": "bone_or_joint",
            "tendon": "tendon_or_capsule",
            "superficial": "superficial",
        }.get(_reaches(wound) or "")
    return {"wound_depth": depth, "infection": infected, "ischemia": None}


def sinbad_inputs(wound: Mapping[str, Any], infected: bool | None) -> dict[str, Any]:
    """SINBAD site, infection, area and depth; pedal pulses and sensation are never derived."""
    location = wound.get("location")
    depth = {"superficial": "skin_or_subcutis", "deep": "muscle_tendon_or_deeper"}
    return {
        "ulcer_site": None if location is None else _SITE.get(FootLocation(location)),
        "reduced_pedal_blood_flow": None,
        "protective_sensation_lost": None,
        "bacterial_infection": infected,
        "ulcer_area_cm2": wound.get("area_cm2"),
        "ulcer_depth": depth.get(open_depth(wound) or ""),
    }
