"""MSTS (Musculoskeletal Tumor Society) lower-extremity functional score: items, total, percent."""

from dataclasses import dataclass

from limbsalvage.core.fields import InputField, Kind, System
from limbsalvage.core.result import Classification
from limbsalvage.core.tables.msts import (
    ANCHORS,
    INTERMEDIATE_NOTE,
    ITEM_MAX_POINTS,
    ITEMS,
    MSTS_LOWER_EXTREMITY,
    PERCENT_DECIMALS,
    TOTAL_MAX_POINTS,
)
from limbsalvage.core.validate import integer_in


@dataclass(frozen=True, kw_only=True)
class MstsResult(Classification):
    """Six item scores, their total out of 30 and the percentage."""

    system = "msts"
    pain_points: int
    function_points: int
    emotional_acceptance_points: int
    supports_points: int
    walking_points: int
    gait_points: int
    total_points: int
    max_points: int
    percent: float


def classify_msts(
    *,
    pain_points: int,
    function_points: int,
    emotional_acceptance_points: int,
    supports_points: int,
    walking_points: int,
    gait_points: int,
) -> MstsResult:
    """Sum the six lower-extremity MSTS items (each 0–5) into a total of 30 and a percentage."""
    given = {
        "pain_points": pain_points,
        "function_points": function_points,
        "emotional_acceptance_points": emotional_acceptance_points,
        "supports_points": supports_points,
        "walking_points": walking_points,
        "gait_points": gait_points,
    }
    points = {name: integer_in(name, value, 0, ITEM_MAX_POINTS) for name, value in given.items()}
    total = sum(points.values())
    percent = round(100 * total / TOTAL_MAX_POINTS, PERCENT_DECIMALS)
    items = " + ".join(f"{name.removesuffix('_points')} {value}" for name, value in points.items())
    intermediate = [item for item in ITEMS if points[f"{item}_points"] not in ANCHORS[item]]
    return MstsResult(
        **points,
        total_points=total,
        max_points=TOTAL_MAX_POINTS,
        percent=percent,
        inputs=points,
        rationale=(
            f"MSTS lower extremity: {items} = {total} of {TOTAL_MAX_POINTS} ({percent:g}%); "
            "higher is better function."
        ),
        source=MSTS_LOWER_EXTREMITY.cite(),
        provenance=INTERMEDIATE_NOTE if intermediate else "",
        tables=(MSTS_LOWER_EXTREMITY,),
    )


def _help(item: str) -> str:
    anchors = ", ".join(f"{value} {words}" for value, words in ANCHORS[item].items())
    return f"{item.replace('_', ' ')} 0–5 ({anchors}; 4 and 2 in between)"


SYSTEM = System(
    name="msts",
    title="MSTS lower-extremity functional score (1993)",
    fields=tuple(InputField(f"{item}_points", Kind.INTEGER, _help(item)) for item in ITEMS),
    classify=classify_msts,
    example=(
        "--pain-points 5 --function-points 3 --emotional-acceptance-points 5 "
        "--supports-points 5 --walking-points 3 --gait-points 3"
    ),
)
