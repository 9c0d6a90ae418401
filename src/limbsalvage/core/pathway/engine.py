"""Evaluate the rule rows against a limb: ordered recommendations and the data still missing."""

import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from limbsalvage.core.pathway.model import (
    AnyOf,
    Category,
    Condition,
    Op,
    Param,
    Recommendation,
    Rule,
    Threshold,
    Urgency,
    When,
)
from limbsalvage.core.pathway.rules import RULES, conditions_of
from limbsalvage.core.pathway.state import FACTS, LimbState
from limbsalvage.core.pathway.thresholds import DEFAULT_THRESHOLDS

OUTPUT_PREFIX = "output."
_URGENCY_ORDER = {u: i for i, u in enumerate(Urgency)}
_CATEGORY_ORDER = {c: i for i, c in enumerate(Category)}


@dataclass(frozen=True)
class MissingInput:
    """An input that, once known, could add or change the named recommendations."""

    field: str
    rules: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        """The JSON form."""
        return {"field": self.field, "rules": list(self.rules)}


@dataclass(frozen=True)
class PathwayResult:
    """Recommendations, most urgent first, and what is missing."""

    recommendations: tuple[Recommendation, ...]
    missing: tuple[MissingInput, ...]

    def as_dict(self) -> dict[str, list[dict[str, object]]]:
        """The JSON object `limbsalvage recommend --json` prints."""
        return {
            "recommendations": [r.as_dict() for r in self.recommendations],
            "missing": [m.as_dict() for m in self.missing],
        }


@dataclass(frozen=True)
class _Truth:
    value: bool | None
    unknown: tuple[str, ...]  # facts that left it undecided
    used: tuple[str, ...]  # facts of the parts that made it true


def _resolve(value: object, thresholds: Mapping[str, Threshold]) -> object:
    if isinstance(value, Param):
        return thresholds[value.name].value
    return value


_COMPARE: Mapping[Op, Callable[[Any, Any], bool]] = {
    Op.IS: operator.eq,
    Op.IN: lambda fact, value: fact in value,
    Op.INCLUDES: operator.contains,
    Op.LT: operator.lt,
    Op.LE: operator.le,
    Op.GT: operator.gt,
    Op.GE: operator.ge,
}


def _leaf(
    condition: When, facts: Mapping[str, object], thresholds: Mapping[str, Threshold]
) -> _Truth:
    fact = facts.get(condition.field)
    if condition.op in (Op.GIVEN, Op.ABSENT):
        return _Truth((fact is None) is (condition.op is Op.ABSENT), (), (condition.field,))
    if fact is None:
        return _Truth(None, (condition.field,), ())
    value = bool(_COMPARE[condition.op](fact, _resolve(condition.value, thresholds)))
    return _Truth(value, (), (condition.field,) if value else ())


def evaluate(
    condition: Condition, facts: Mapping[str, object], thresholds: Mapping[str, Threshold]
) -> _Truth:
    """Three-valued truth of a condition: True, False, or None when a fact is unknown."""
    if isinstance(condition, When):
        return _leaf(condition, facts, thresholds)
    parts = [evaluate(part, facts, thresholds) for part in condition.parts]
    unknown = tuple(name for part in parts if part.value is None for name in part.unknown)
    used = tuple(name for part in parts if part.value for name in part.used)
    decisive = isinstance(condition, AnyOf)  # AnyOf: one True decides; AllOf: one False
    if any(part.value is decisive for part in parts):
        return _Truth(decisive, (), used if decisive else ())
    if unknown:
        return _Truth(None, unknown, ())
    return _Truth(not decisive, (), used)


def _describe(state: LimbState, facts: Mapping[str, object], name: str) -> str:
    if name.startswith(OUTPUT_PREFIX):
        values = sorted(str(v) for v in facts[name])  # type: ignore[attr-defined]
        return f"{name.removeprefix(OUTPUT_PREFIX)} of the other recommendations " + ", ".join(
            values
        )
    value = state.fact(name)
    shown = "not given" if value is None else value
    if isinstance(shown, bool):
        shown = "yes" if shown else "no"
    note = state.notes.get(name)
    return f"{name} {shown}" + (f" ({note})" if note else "")


def _text(rule: Rule, state: LimbState) -> str:
    if "{" not in rule.text:
        return rule.text
    facts: dict[str, object] = {name: state.fact(name) for name in FACTS}
    risk = state.prevent3
    facts["prevent3_summary"] = "" if risk is None else risk.rationale
    return rule.text.format_map(facts)


@dataclass(frozen=True)
class _Outcome:
    fired: Recommendation | None
    undecided: tuple[str, ...]


def _apply(
    rule: Rule, state: LimbState, facts: Mapping[str, object], thresholds: Mapping[str, Threshold]
) -> _Outcome:
    trigger = [evaluate(c, facts, thresholds) for c in rule.trigger]
    if any(t.value is False for t in trigger):
        return _Outcome(None, ())
    unknown = tuple(name for t in trigger for name in t.unknown)
    if unknown:
        return _Outcome(None, unknown)
    exclusions = [evaluate(c, facts, thresholds) for c in rule.exclusions]
    if any(e.value for e in exclusions):
        return _Outcome(None, ())
    used = list(dict.fromkeys(n for t in trigger for n in t.used))
    could_change = tuple(dict.fromkeys(n for e in exclusions for n in e.unknown))
    basis = "; ".join(_describe(state, facts, name) for name in used)
    recommendation = Recommendation(
        rule_id=rule.rule_id,
        category=rule.category,
        urgency=rule.urgency,
        strategy=rule.strategy,
        text=_text(rule, state),
        rationale=f"{rule.why}. Based on: {basis}." if basis else f"{rule.why}.",
        citation=rule.citation,
        missing=tuple(dict.fromkeys(i for n in could_change for i in state.inputs_for(n))),
        discussion=rule.discussion,
        review_status=rule.review_status,
        inputs={name: state.fact(name) for name in used if not name.startswith(OUTPUT_PREFIX)},
    )
    return _Outcome(recommendation, could_change)


def reads_output(rule: Rule) -> bool:
    """Whether a rule reads the output of other rules (evaluated in the second pass)."""
    return any(name.startswith(OUTPUT_PREFIX) for c in conditions_of(rule) for name in c.fields())


def sort_key(recommendation: Recommendation) -> tuple[int, int, str]:
    """Most urgent first, then by category, then by id (a stable, total order)."""
    return (
        _URGENCY_ORDER[recommendation.urgency],
        _CATEGORY_ORDER[recommendation.category],
        recommendation.rule_id,
    )


def recommend(
    state: LimbState,
    *,
    rules: Sequence[Rule] = RULES,
    thresholds: Mapping[str, Threshold] = DEFAULT_THRESHOLDS,
) -> PathwayResult:
    """Evaluate every rule row: rules on limb facts first, then those reading their output."""
    facts: dict[str, object] = {name: state.fact(name) for name in FACTS}
    outcomes: dict[str, _Outcome] = {}
    first = [rule for rule in rules if not reads_output(rule)]
    for rule in first:
        outcomes[rule.rule_id] = _apply(rule, state, facts, thresholds)
    fired = [o.fired for o in outcomes.values() if o.fired is not None]
    facts["output.strategy"] = frozenset(r.strategy.value for r in fired if r.strategy)
    facts["output.category"] = frozenset(r.category.value for r in fired)
    for rule in rules:
        if reads_output(rule):
            outcomes[rule.rule_id] = _apply(rule, state, facts, thresholds)
    recommendations = sorted(
        (o.fired for o in outcomes.values() if o.fired is not None), key=sort_key
    )
    wanted: dict[str, list[str]] = {}
    for rule_id, outcome in outcomes.items():
        for name in outcome.undecided:
            for supplied in state.inputs_for(name):
                wanted.setdefault(supplied, [])
                if rule_id not in wanted[supplied]:
                    wanted[supplied].append(rule_id)
    missing = tuple(MissingInput(name, tuple(sorted(ids))) for name, ids in sorted(wanted.items()))
    return PathwayResult(tuple(recommendations), missing)
