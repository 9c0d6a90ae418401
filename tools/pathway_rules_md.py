"""Write docs/pathway/rules.md from the rule rows (run after changing a rule or threshold)."""

from pathlib import Path

from limbsalvage.core.pathway import DEFAULT_THRESHOLDS, RULES
from limbsalvage.core.pathway.table import render_rules_markdown

TARGET = Path(__file__).resolve().parents[1] / "docs" / "pathway" / "rules.md"

if __name__ == "__main__":
    TARGET.write_text(render_rules_markdown(RULES, DEFAULT_THRESHOLDS), encoding="utf-8")
    print(f"wrote {TARGET}")
