"""Human-readable rendering of a classification result."""

import json
from dataclasses import fields

from limbsalvage.core.result import Classification, is_explanation

_EXPLANATION = ("inputs", "rationale", "source", "provenance", "tables", "system", "rule")


def _text(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def render_text(result: Classification) -> str:
    """The result fields, then the inputs used, the rule that fired, the source and provenance."""
    data = result.as_dict()
    prose = {f.name for f in fields(result) if is_explanation(f)}
    data = {k: v for k, v in data.items() if k not in prose or v}
    lines = [f"{result.system}"]
    width = max((len(k) for k in data if k not in _EXPLANATION), default=0)
    lines += [f"  {k:<{width}}  {_text(v)}" for k, v in data.items() if k not in _EXPLANATION]
    used = ", ".join(f"{k}={_text(v)}" for k, v in result.inputs.items())
    lines.append(f"inputs used: {used}")
    lines.append(f"rule: {result.rationale} [{result.rule_id}]")
    lines.append(f"source: {result.source}")
    if result.provenance:
        lines.append(f"provenance: {result.provenance}")
    return "\n".join(lines)


def render_json(result: Classification) -> str:
    """One JSON object on one line."""
    return json.dumps(result.as_dict(), ensure_ascii=False)
