"""The `limbsalvage` command line: errors end in one line on stderr and exit code 2.

Built on click rather than Typer: the `classify` commands are generated from each system's
declared inputs, and Typer now vendors a private copy of click that cannot host such commands.
"""

import sys

import click
from sqlalchemy.exc import OperationalError

from limbsalvage import __version__
from limbsalvage.batch.files import BatchError
from limbsalvage.cli.admin import admin_group
from limbsalvage.cli.classify import build_group
from limbsalvage.cli.coordination import conference_group, tasks_group
from limbsalvage.cli.db import audit_group, db_group
from limbsalvage.cli.demo import demo_group
from limbsalvage.cli.exchange import export_group, import_group
from limbsalvage.cli.outcomes import outcomes_group
from limbsalvage.cli.recommend import recommend_command
from limbsalvage.cli.report import report_command
from limbsalvage.cli.serve import serve
from limbsalvage.cli.site import site_group
from limbsalvage.cli.staging import staging_group
from limbsalvage.core.errors import ClassificationError
from limbsalvage.core.outcomes.errors import OutcomesError
from limbsalvage.core.registry import SYSTEMS
from limbsalvage.errors import DomainError

EXIT_BAD_INPUT = 2


@click.group(
    name="limbsalvage",
    help="Limb salvage program tools: classify limbs, manage the registry, report outcomes.",
)
@click.version_option(__version__, prog_name="limbsalvage")
def cli() -> None:
    """The root group."""


@cli.command()
def systems() -> None:
    """List the classification systems `classify` offers."""
    for system in SYSTEMS.values():
        click.echo(f"{system.name:<11} {system.title}")


cli.add_command(build_group())
cli.add_command(recommend_command)
cli.add_command(db_group)
cli.add_command(audit_group)
cli.add_command(outcomes_group)
cli.add_command(staging_group)
cli.add_command(report_command)
cli.add_command(demo_group)
cli.add_command(export_group)
cli.add_command(import_group)
cli.add_command(serve)
cli.add_command(site_group)
cli.add_command(admin_group)
cli.add_command(tasks_group)
cli.add_command(conference_group)


def _fail(message: str) -> int:
    click.echo(f"limbsalvage: error: {' '.join(message.split())}", err=True)
    return EXIT_BAD_INPUT


EXPECTED_ERRORS = (
    click.UsageError,
    click.Abort,
    ClassificationError,
    BatchError,
    OutcomesError,
    DomainError,
    OperationalError,
    OSError,
)


def describe(error: BaseException) -> str:
    """One line for an expected error: what went wrong and, where known, what is allowed."""
    if isinstance(error, click.UsageError):
        return error.format_message()
    if isinstance(error, click.Abort):
        return "aborted"
    if isinstance(error, OperationalError):
        return f"database: cannot use it ({error.orig or error})"
    if isinstance(error, OSError):
        return f"{error.filename or ''}: {error.strerror or error}"
    return str(error)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; bad input ends with one line on stderr and exit code 2."""
    try:
        cli.main(args=argv, prog_name="limbsalvage", standalone_mode=False)
    except click.exceptions.Exit as done:
        return done.exit_code
    except EXPECTED_ERRORS as error:
        return _fail(describe(error))
    return 0


def entry_point() -> None:
    """Console-script entry: exit with the code `main` returns."""
    sys.exit(main())
