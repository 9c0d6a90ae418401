"""`limbsalvage site settings CODE [--set FILE]`: read or change a site's settings (checked)."""

import json
from pathlib import Path

import click
from sqlalchemy import select

from limbsalvage.accounts.models import Site
from limbsalvage.accounts.service import site_settings, update_site_settings
from limbsalvage.db import configured_engine
from limbsalvage.db.session import make_sessionmaker, unit_of_work
from limbsalvage.errors import NotFound, invalid
from limbsalvage.settings import get_settings


@click.group(name="site")
def site_group() -> None:
    """A site's settings (docs/registry/site-settings.md)."""


def _changes(path: Path) -> dict[str, object]:
    try:
        given = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise invalid("--set", "a JSON object of settings sections") from None
    if not isinstance(given, dict):
        raise invalid("--set", "a JSON object of settings sections")
    return given


@site_group.command(name="settings")
@click.argument("code")
@click.option(
    "--set",
    "changes_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSON object of sections to replace (null: back to the defaults)",
)
def settings_command(code: str, changes_file: Path | None) -> None:
    """Print site CODE's settings in force (defaults filled in), after applying --set."""
    changes = None if changes_file is None else _changes(changes_file)
    with configured_engine(get_settings()) as engine, unit_of_work(make_sessionmaker(engine)) as db:
        site = db.scalar(select(Site).where(Site.code == code))
        if site is None:
            raise NotFound(message=f"site {code!r} not found")
        if changes is not None:
            site = update_site_settings(
                db=db, site_id=site.id, expected_version=site.version, changes=changes
            )
        in_force = site_settings(site).model_dump(mode="json")
    click.echo(json.dumps(in_force, indent=2, sort_keys=True))
