"""docs/pathway/rules.md is the rule rows, complete: regenerate with tools/pathway_rules_md.py."""

from pathlib import Path

from limbsalvage.core.pathway import DEFAULT_THRESHOLDS, RULES
from limbsalvage.core.pathway.model import Category, Citation, Op, ReviewStatus, Rule, Urgency, When
from limbsalvage.core.pathway.table import render_rules_markdown

PAGE = Path(__file__).resolve().parents[3] / "docs" / "pathway" / "rules.md"


def test_rules_page_is_the_rule_rows() -> None:
    assert PAGE.read_text(encoding="utf-8") == render_rules_markdown(RULES, DEFAULT_THRESHOLDS)


def test_every_rule_and_threshold_has_a_row() -> None:
    text = render_rules_markdown(RULES, DEFAULT_THRESHOLDS)
    for rule in RULES:
        assert f"| `{rule.rule_id}` |" in text
    for name in DEFAULT_THRESHOLDS:
        assert f"| `{name}` |" in text


def test_cells_escape_pipes_and_show_notes() -> None:
    rule = Rule(
        rule_id="x.pipe",
        trigger=(When("cause", Op.IS, "a|b"),),
        category=Category.INFORMATION,
        urgency=Urgency.ROUTINE,
        text="t",
        why="w",
        citation=Citation("g", "r", "ref"),
        review_status=ReviewStatus.SECONDARY,
        review_note="n",
    )
    row = render_rules_markdown([rule], {}).splitlines()[6]
    assert row == (
        "| `x.pipe` | cause is a\\|b | — | information | routine | — | t | g, r | secondary: n |"
    )
