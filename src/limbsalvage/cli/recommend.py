"""`limbsalvage recommend --input CASE.json [--json]`: the pathway's advice for one limb."""

import json
from pathlib import Path

import click

from limbsalvage.core.pathway import PathwayResult, build_state, recommend
from limbsalvage.core.pathway.state import LimbState

HEADER = (
    "Decision support for healthcare professionals: options with their basis and source; "
    "the clinician decides."
)


def _read_case(path: str) -> dict[str, object]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise click.UsageError(f"--input: {path}: not UTF-8 text ({error.reason})") from error
    try:
        case = json.loads(text)
    except json.JSONDecodeError as error:
        raise click.UsageError(
            f"--input: {path}: not valid JSON ({error.msg} at line {error.lineno} column "
            f"{error.colno}); expected one JSON object"
        ) from error
    if not isinstance(case, dict):
        raise click.UsageError(
            f"--input: {path}: {type(case).__name__} is not allowed; expected one JSON object"
        )
    return case


def derived(state: LimbState) -> dict[str, dict[str, object]]:
    """Each grade or fact the engine derived from raw findings (or checked), with its basis."""
    return {
        name: {"value": state.fact(name), "basis": note}
        for name, note in sorted(state.notes.items())
    }


def render_text(result: PathwayResult, state: LimbState | None = None) -> str:
    """A readable rendering: most urgent first, each with its basis, source and gaps."""
    lines = [HEADER, ""]
    if state is not None and state.notes:
        lines.append("From the findings given:")
        lines += [f"  {name} {d['value']}: {d['basis']}" for name, d in derived(state).items()]
        lines.append("")
    if not result.recommendations:
        lines.append("No recommendation fired for these findings.")
    for rec in result.recommendations:
        head = f"{rec.urgency.value.upper():<9} {rec.rule_id}  [{rec.category.value}]"
        if rec.strategy is not None:
            head += f"  strategy: {rec.strategy.value}"
        if rec.discussion:
            head += "  (for shared decision-making)"
        lines += [head, f"  {rec.text}", f"  why: {rec.rationale}"]
        lines.append(f"  source: {rec.citation.guideline}, {rec.citation.recommendation}")
        if rec.missing:
            lines.append("  could change with: " + ", ".join(rec.missing))
        lines.append("")
    if result.missing:
        lines.append("Not known yet (each could add or change a recommendation):")
        lines += [f"  {m.field}: {', '.join(m.rules)}" for m in result.missing]
    return "\n".join(lines).rstrip("\n")


@click.command(name="recommend")
@click.option(
    "--input",
    "input_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="one case as a JSON object (fields: docs/pathway/input.md)",
)
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
def recommend_command(input_path: str, as_json: bool) -> None:
    """Guideline-based recommendations for one limb, most urgent first, with their basis."""
    state = build_state(_read_case(input_path))
    result = recommend(state)
    if as_json:
        # The contract's shape; each derived grade's basis is in the rationales that use it.
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(result, state))
