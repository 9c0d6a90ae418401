"""A recommendation as stored, its content fingerprint, and the plan for a recompute.

A recompute compares the engine's new output with the episode's current recommendations rule
by rule. A rule whose content is unchanged keeps its row and its answer (no new task, no new
acknowledgement); a changed one supersedes the old row; a rule that no longer fires is
withdrawn; a new rule is added. The fingerprint covers what the recommendation asks for — not
its rationale or missing-data list, which are explanation and are refreshed on the kept row.
"""

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from limbsalvage.core.errors import InvalidInput
from limbsalvage.core.vocabulary import RevascularizationStrategy, Urgency

FINGERPRINTED = ("rule_id", "category", "urgency", "strategy", "text", "citation", "discussion")
MAX_RULE_ID = 100
MAX_CATEGORY = 40


@dataclass(frozen=True, kw_only=True)
class RecommendationInput:
    """One recommendation of the pathway engine, in the fields the registry stores."""

    rule_id: str
    category: str
    urgency: Urgency
    strategy: RevascularizationStrategy | None = None
    text: str
    rationale: str
    citation: str
    missing: tuple[str, ...] = ()
    discussion: bool = False

    def __post_init__(self) -> None:
        if not self.rule_id or len(self.rule_id) > MAX_RULE_ID:
            raise InvalidInput("rule_id", self.rule_id, f"1–{MAX_RULE_ID} characters")
        code = self.category
        if not (0 < len(code) <= MAX_CATEGORY and code.replace("_", "").isalpha()):
            raise InvalidInput("category", code, "a lowercase code such as `imaging`")
        if code != code.lower():
            raise InvalidInput("category", code, "a lowercase code such as `imaging`")
        for name in ("text", "citation"):
            if not getattr(self, name).strip():
                raise InvalidInput(name, getattr(self, name), "a non-empty text")

    def fingerprint(self) -> str:
        """SHA-256 of the canonical JSON of what the recommendation asks for."""
        content = {
            "rule_id": self.rule_id,
            "category": self.category,
            "urgency": self.urgency.value,
            "strategy": None if self.strategy is None else self.strategy.value,
            "text": " ".join(self.text.split()),
            "citation": " ".join(self.citation.split()),
            "discussion": self.discussion,
        }
        canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def from_engine(item: Mapping[str, object]) -> RecommendationInput:
    """A recommendation from the engine's JSON form (`Recommendation.as_dict()`)."""
    try:
        urgency = Urgency(str(item["urgency"]))
    except ValueError:
        allowed = ", ".join(u.value for u in Urgency)
        raise InvalidInput("urgency", item["urgency"], f"one of {allowed}") from None
    strategy_code = item.get("strategy")
    try:
        strategy = None if strategy_code is None else RevascularizationStrategy(str(strategy_code))
    except ValueError:
        allowed = ", ".join(s.value for s in RevascularizationStrategy)
        raise InvalidInput("strategy", strategy_code, f"empty or one of {allowed}") from None
    citation = item["citation"]
    if isinstance(citation, Mapping):
        # The engine's reference already carries the recommendation number as its locator.
        citation = str(citation.get("reference") or citation.get("guideline") or "")
    missing = item.get("missing") or ()
    if not isinstance(missing, list | tuple):
        raise InvalidInput("missing", missing, "a list of field names")
    return RecommendationInput(
        rule_id=str(item["id"]),
        category=str(item["category"]),
        urgency=urgency,
        strategy=strategy,
        text=str(item["text"]),
        rationale=str(item.get("rationale") or ""),
        citation=str(citation),
        missing=tuple(str(name) for name in missing),
        discussion=bool(item.get("discussion", False)),
    )


@dataclass(frozen=True)
class RecomputePlan:
    """What a recompute does, by rule id: keep, add, supersede (changed) or withdraw."""

    keep: tuple[str, ...] = ()
    add: tuple[str, ...] = ()
    change: tuple[str, ...] = ()
    withdraw: tuple[str, ...] = ()
    by_rule: Mapping[str, RecommendationInput] = field(default_factory=dict)


def plan_recompute(
    *, current: Mapping[str, str], computed: Sequence[RecommendationInput]
) -> RecomputePlan:
    """Compare current fingerprints (rule id → fingerprint) with a fresh computation."""
    by_rule: dict[str, RecommendationInput] = {}
    for item in computed:
        if item.rule_id in by_rule:
            raise InvalidInput("rule_id", item.rule_id, "each rule at most once per computation")
        by_rule[item.rule_id] = item
    keep, add, change = [], [], []
    for rule_id, item in by_rule.items():
        if rule_id not in current:
            add.append(rule_id)
        elif current[rule_id] == item.fingerprint():
            keep.append(rule_id)
        else:
            change.append(rule_id)
    withdraw = sorted(set(current) - set(by_rule))
    return RecomputePlan(tuple(keep), tuple(add), tuple(change), tuple(withdraw), by_rule)
