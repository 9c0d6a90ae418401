"""The rule rows and thresholds as the Markdown table of docs/pathway/rules.md (kept by a test)."""

from collections.abc import Mapping, Sequence

from limbsalvage.core.pathway.model import Rule, Threshold

HEADER = (
    "# Pathway rules\n\n"
    "Generated from `src/limbsalvage/core/pathway/rules.py` by `tools/pathway_rules_md.py`; "
    "`tests/core/pathway/test_table.py` fails when this page and the rules differ. A condition "
    "on a fact that is not known is *unknown*: the rule does not fire and the fact is listed "
    "in `missing`. `[name]` is a threshold from the table at the end.\n"
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_rules_markdown(rules: Sequence[Rule], thresholds: Mapping[str, Threshold]) -> str:
    """One row per rule (id, trigger, exclusions, category, urgency, strategy, text, source)."""
    lines = [
        HEADER,
        "| id | trigger | exclusions | category | urgency | strategy | recommendation | "
        "citation | review |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for rule in rules:
        cells = [
            f"`{rule.rule_id}`",
            " and ".join(c.text() for c in rule.trigger),
            " or ".join(c.text() for c in rule.exclusions) or "—",
            rule.category.value + (" (discussion)" if rule.discussion else ""),
            rule.urgency.value,
            rule.strategy.value if rule.strategy else "—",
            rule.text,
            f"{rule.citation.guideline}, {rule.citation.recommendation}",
            rule.review_status.value + (f": {rule.review_note}" if rule.review_note else ""),
        ]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    lines += ["", "## Thresholds", "", "| name | value | source | note |", "|---|---|---|---|"]
    for threshold in thresholds.values():
        value = f"{threshold.value:g} {threshold.unit}".strip()
        cells = [f"`{threshold.name}`", value, threshold.citation, threshold.note or "—"]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"
