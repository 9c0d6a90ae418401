"""The vocabulary of pathway rules: conditions, rule rows, and the recommendations they give.

A rule is data a clinician can read: its trigger and exclusions are conditions on named facts
of the limb (`wifi_stage in (3, 4)`), printed the same way in docs/pathway/rules.md.
Conditions are three-valued: a fact that is not known makes a condition unknown, never false.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from limbsalvage.core import vocabulary

# The urgency scale and strategies are the shared vocabulary (tasks and triage use them too).
Urgency = vocabulary.Urgency
Strategy = vocabulary.RevascularizationStrategy


class Category(StrEnum):
    """What kind of step a recommendation is, in the order shown within an urgency."""

    INFECTION_CONTROL = "infection_control"
    REVASCULARIZATION = "revascularization"
    MEDICAL_THERAPY = "medical_therapy"
    OFFLOADING = "offloading"
    COMPRESSION = "compression"
    IMAGING = "imaging"
    MONITORING = "monitoring"
    REFERRAL = "referral"
    ASSESSMENT = "assessment"
    WOUND_CARE = "wound_care"
    AMPUTATION_DISCUSSION = "amputation_discussion"
    CONFERENCE_REVIEW = "conference_review"
    INFORMATION = "information"


class ReviewStatus(StrEnum):
    """How far a rule row has been checked."""

    SOURCE_READ = "source_read"  # recommendation text read in the primary or its summary
    SECONDARY = "secondary"  # read only in a secondary source; to verify
    CLINICIAN_REVIEWED = "clinician_reviewed"  # signed off by a clinician reviewer


class Op(StrEnum):
    """How a condition compares a fact."""

    IS = "is"
    IN = "in"
    LT = "<"
    LE = "≤"
    GT = ">"
    GE = "≥"
    GIVEN = "is given"
    ABSENT = "is not given"
    INCLUDES = "includes"


@dataclass(frozen=True)
class Param:
    """A named, cited threshold, resolved from the thresholds in force (configurable data)."""

    name: str


@dataclass(frozen=True)
class When:
    """One condition on a fact of the limb: `field op value`."""

    field: str
    op: Op
    value: object = None

    def fields(self) -> tuple[str, ...]:
        """The facts this condition reads."""
        return (self.field,)

    def text(self) -> str:
        """The condition in words, as the rules table prints it."""
        if self.op in (Op.GIVEN, Op.ABSENT):
            return f"{self.field} {self.op.value}"
        return f"{self.field} {self.op.value} {_value_text(self.value)}"


@dataclass(frozen=True)
class AnyOf:
    """True when any part is true; false only when every part is false."""

    parts: tuple["Condition", ...]

    def fields(self) -> tuple[str, ...]:
        """The facts the parts read."""
        return tuple(name for part in self.parts for name in part.fields())

    def text(self) -> str:
        """The parts joined by 'or'."""
        return "(" + " or ".join(part.text() for part in self.parts) + ")"


@dataclass(frozen=True)
class AllOf:
    """True when every part is true; false as soon as one part is false."""

    parts: tuple["Condition", ...]

    def fields(self) -> tuple[str, ...]:
        """The facts the parts read."""
        return tuple(name for part in self.parts for name in part.fields())

    def text(self) -> str:
        """The parts joined by 'and'."""
        return "(" + " and ".join(part.text() for part in self.parts) + ")"


Condition = When | AnyOf | AllOf


def _value_text(value: object) -> str:
    if isinstance(value, Param):
        return f"[{value.name}]"
    if isinstance(value, tuple):
        return "(" + ", ".join(_value_text(v) for v in value) + ")"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass(frozen=True)
class Citation:
    """Where a rule comes from: the guideline, its recommendation number, the full reference."""

    guideline: str
    recommendation: str
    reference: str

    def as_dict(self) -> dict[str, str]:
        """The JSON form."""
        return {
            "guideline": self.guideline,
            "recommendation": self.recommendation,
            "reference": self.reference,
        }


@dataclass(frozen=True, kw_only=True)
class Rule:
    """One pathway rule row.

    `trigger` conditions must all hold and no `exclusion` may hold. `text` is the recommendation
    (it may name facts in braces, filled from the limb), `why` its basis in clinical words.
    `discussion` marks a topic for shared decision-making, never an instruction.
    """

    rule_id: str
    trigger: tuple[Condition, ...]
    exclusions: tuple[Condition, ...] = ()
    category: Category
    urgency: Urgency
    strategy: Strategy | None = None
    text: str
    why: str
    citation: Citation
    review_status: ReviewStatus
    review_note: str = ""
    discussion: bool = False


@dataclass(frozen=True)
class Threshold:
    """A configurable, cited cut-off used by rules through `Param(name)`."""

    name: str
    value: float
    unit: str
    citation: str
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class Recommendation:
    """A rule that fired for this limb, with the facts it used and what could still change it."""

    rule_id: str
    category: Category
    urgency: Urgency
    strategy: Strategy | None
    text: str
    rationale: str
    citation: Citation
    missing: tuple[str, ...]
    discussion: bool
    review_status: ReviewStatus
    inputs: Mapping[str, object] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        """The JSON form of the `limbsalvage recommend` contract."""
        return {
            "id": self.rule_id,
            "category": self.category.value,
            "urgency": self.urgency.value,
            "strategy": None if self.strategy is None else self.strategy.value,
            "text": self.text,
            "rationale": self.rationale,
            "citation": self.citation.as_dict(),
            "missing": list(self.missing),
            "discussion": self.discussion,
            "review_status": self.review_status.value,
            "inputs": dict(self.inputs),
        }
