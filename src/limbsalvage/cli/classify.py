"""`limbsalvage classify SYSTEM`: one command per system, built from its declared inputs."""

import re
from pathlib import Path
from typing import Any

import click

from limbsalvage.batch.files import BatchFormat, classify_file
from limbsalvage.cli.render import render_json, render_text
from limbsalvage.core.errors import CannotClassify, InvalidInput
from limbsalvage.core.fields import InputField, Kind, System
from limbsalvage.core.registry import SYSTEMS


def _option(spec: InputField) -> click.Option:
    if spec.kind is Kind.FLAG:
        pairs = [f"{option}/--no-{option.removeprefix('--')}" for option in spec.cli_options]
        return click.Option([*pairs, spec.name], default=None, help=spec.help)
    metavar = "|".join(spec.choices) if spec.kind is Kind.CHOICE else spec.kind.value.upper()
    return click.Option(
        [*spec.cli_options, spec.name],
        type=str,
        default=None,
        multiple=spec.multiple,
        metavar=metavar,
        help=spec.help + (" (repeatable)" if spec.multiple else ""),
    )


_COMMON = (
    click.Option(["--json", "as_json"], is_flag=True, help="print one JSON object"),
    click.Option(
        ["--input", "input_path"],
        type=click.Path(dir_okay=False),
        help="batch: CSV or JSON Lines file to classify, one record per row",
    ),
    click.Option(
        ["--output", "output_path"],
        type=click.Path(dir_okay=False),
        help="batch: file to write the results to, in the same format",
    ),
    click.Option(
        ["--format", "file_format"],
        type=click.Choice([f.value for f in BatchFormat]),
        default=None,
        help="batch file format (default: from the file extension)",
    ),
)


class OptionError(click.UsageError):
    """Bad input, reported in the words of the command line (options, not field names)."""


def _in_cli_terms(system: System, message: str) -> str:
    """Replace field names by the options the user types (`x_mmhg` → `--x`)."""
    for spec in sorted(system.fields, key=lambda f: -len(f.name)):
        message = re.sub(rf"(?<![\w-]){spec.name}(?!\w)", spec.cli_option, message)
    return message


def _refuse_empty(system: System, values: dict[str, Any]) -> None:
    """An option typed with an empty value is a mistake on the command line, not an absence."""
    for spec in system.fields:
        given = values.get(spec.name)
        items = given if isinstance(given, tuple) else (given,)
        if any(isinstance(item, str) and not item.strip() for item in items):
            raise OptionError(f"{spec.cli_option}: '' is not allowed; expected a value")


def _run_single(system: System, values: dict[str, Any], as_json: bool) -> None:
    _refuse_empty(system, values)
    record = {k: (list(v) if isinstance(v, tuple) else v) for k, v in values.items()}
    record = {k: v for k, v in record.items() if v not in (None, [])}
    try:
        result = system.classify_record(record)
    except InvalidInput as error:
        typed = record.get(error.field, error.value)
        option = next((f.cli_option for f in system.fields if f.name == error.field), None)
        if option is None:
            raise OptionError(_in_cli_terms(system, str(error))) from error
        raise OptionError(
            f"{option}: {typed!r} is not allowed; expected {error.allowed}"
        ) from error
    except CannotClassify as error:
        raise OptionError(_in_cli_terms(system, str(error))) from error
    click.echo(render_json(result) if as_json else render_text(result))


def build_command(system: System) -> click.Command:
    """A click command for one system: its inputs as options, plus --json and batch files."""

    def callback(**values: Any) -> None:
        as_json = values.pop("as_json")
        source, target = values.pop("input_path"), values.pop("output_path")
        file_format = values.pop("file_format")
        if source is None and target is None:
            _run_single(system, values, as_json)
            return
        if source is None or target is None:
            raise click.UsageError("--input and --output are given together")
        given = [
            spec.cli_option for spec in system.fields if values.get(spec.name) not in (None, ())
        ]
        if given:
            raise click.UsageError(
                f"{given[0]} cannot be combined with --input (one record per row)"
            )
        summary = classify_file(
            system, Path(source), Path(target), file_format=file_format, progress=True
        )
        click.echo(summary.describe(), err=True)

    return click.Command(
        system.name,
        callback=callback,
        params=[*(_option(spec) for spec in system.fields), *_COMMON],
        help=f"{system.title}.\n\nExample: limbsalvage classify {system.name} {system.example}",
        short_help=system.title,
    )


def build_group() -> click.Group:
    """The `classify` group with one command per registered system."""
    group = click.Group(
        "classify",
        help="Stage or grade a limb by one classification system; --json for machine output.",
    )
    for system in SYSTEMS.values():
        group.add_command(build_command(system))
    return group
