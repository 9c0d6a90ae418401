"""Decision support: the limb's state, the pathway rule rows, and the engine that evaluates them."""

from limbsalvage.core.pathway.engine import MissingInput, PathwayResult, recommend
from limbsalvage.core.pathway.model import Category, Recommendation, Rule, Strategy, Urgency
from limbsalvage.core.pathway.rules import RULES
from limbsalvage.core.pathway.state import ContradictoryInput, LimbState, build_state
from limbsalvage.core.pathway.thresholds import DEFAULT_THRESHOLDS

__all__ = [
    "DEFAULT_THRESHOLDS",
    "RULES",
    "Category",
    "ContradictoryInput",
    "LimbState",
    "MissingInput",
    "PathwayResult",
    "Recommendation",
    "Rule",
    "Strategy",
    "Urgency",
    "build_state",
    "recommend",
]
