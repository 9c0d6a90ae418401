"""SINBAD: site, ischaemia, neuropathy, bacterial infection, area, depth — 0/1 each, total 0–6."""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from limbsalvage.core.errors import InvalidInput
from limbsalvage.core.fields import InputField, Kind, System
from limbsalvage.core.result import Classification, explanation_field
from limbsalvage.core.tables.sinbad import (
    AREA_POINT_CM2,
    HEALING_NOTE,
    HEALING_STEP_SCORE,
    SINBAD_ITEMS,
)
from limbsalvage.core.validate import choice, flag

_MAX_AREA_CM2 = 1000.0


class UlcerSite(StrEnum):
    """Where the ulcer is."""

    FOREFOOT = "forefoot"
    MIDFOOT = "midfoot"
    HINDFOOT = "hindfoot"


class UlcerDepth(StrEnum):
    """Deepest tissue the ulcer reaches."""

    SKIN_OR_SUBCUTIS = "skin_or_subcutis"
    MUSCLE_TENDON_OR_DEEPER = "muscle_tendon_or_deeper"


@dataclass(frozen=True, kw_only=True)
class SinbadResult(Classification):
    """The SINBAD total and each item's point."""

    system = "sinbad"
    score: int
    points: Mapping[str, int]
    healing_note: str = explanation_field()


def _area(value: object) -> float:
    allowed = f"a number above 0 up to {_MAX_AREA_CM2:g} cm²"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput("ulcer_area_cm2", value, allowed)
    area = float(value)
    if not (math.isfinite(area) and 0 < area <= _MAX_AREA_CM2):
        raise InvalidInput("ulcer_area_cm2", value, allowed)
    return area


def classify_sinbad(
    *,
    ulcer_site: str,
    reduced_pedal_blood_flow: bool,
    protective_sensation_lost: bool,
    bacterial_infection: bool,
    ulcer_area_cm2: float,
    ulcer_depth: str,
) -> SinbadResult:
    """Score a diabetic foot ulcer by SINBAD (Ince 2008)."""
    site = choice("ulcer_site", ulcer_site, list(UlcerSite))
    ischaemia = flag("reduced_pedal_blood_flow", reduced_pedal_blood_flow)
    neuropathy = flag("protective_sensation_lost", protective_sensation_lost)
    infection = flag("bacterial_infection", bacterial_infection)
    area = _area(ulcer_area_cm2)
    depth = choice("ulcer_depth", ulcer_depth, list(UlcerDepth))
    points = {
        "site": int(site is not UlcerSite.FOREFOOT),
        "ischemia": int(ischaemia),
        "neuropathy": int(neuropathy),
        "bacterial_infection": int(infection),
        "area": int(area >= AREA_POINT_CM2),
        "depth": int(depth is UlcerDepth.MUSCLE_TENDON_OR_DEEPER),
    }
    score = sum(points.values())
    scored = [name.replace("_", " ") for name, point in points.items() if point]
    return SinbadResult(
        score=score,
        points=points,
        healing_note=HEALING_NOTE if score >= HEALING_STEP_SCORE else "",
        inputs={
            "ulcer_site": site.value,
            "reduced_pedal_blood_flow": ischaemia,
            "protective_sensation_lost": neuropathy,
            "bacterial_infection": infection,
            "ulcer_area_cm2": area,
            "ulcer_depth": depth.value,
        },
        rationale=(
            f"one point each for {', '.join(scored)} → SINBAD {score}/6"
            if scored
            else "forefoot, pulse palpable, sensation intact, no infection, area <1 cm², "
            "skin or subcutis only → SINBAD 0/6"
        ),
        source=SINBAD_ITEMS.cite(),
        tables=(SINBAD_ITEMS,),
    )


SYSTEM = System(
    name="sinbad",
    title="SINBAD diabetic foot ulcer score",
    fields=(
        InputField(
            "ulcer_site",
            Kind.CHOICE,
            "forefoot, midfoot or hindfoot",
            choices=tuple(s.value for s in UlcerSite),
        ),
        InputField(
            "reduced_pedal_blood_flow",
            Kind.FLAG,
            "clinical evidence of reduced pedal blood flow (no palpable pedal pulse)",
        ),
        InputField("protective_sensation_lost", Kind.FLAG, "protective sensation lost"),
        InputField("bacterial_infection", Kind.FLAG, "ulcer infected"),
        InputField("ulcer_area_cm2", Kind.NUMBER, "ulcer area in cm²"),
        InputField(
            "ulcer_depth",
            Kind.CHOICE,
            "skin_or_subcutis or muscle_tendon_or_deeper",
            choices=tuple(d.value for d in UlcerDepth),
        ),
    ),
    classify=classify_sinbad,
    example=(
        "--ulcer-site forefoot --no-reduced-pedal-blood-flow --protective-sensation-lost "
        "--no-bacterial-infection --ulcer-area-cm2 1.5 --ulcer-depth skin_or_subcutis"
    ),
)
