"""`limbsalvage staging …`: propose, restage and read the index stage of an episode."""

import json
from datetime import date
from typing import Any

import click

from limbsalvage.db import configured_engine
from limbsalvage.db.session import make_sessionmaker, unit_of_work
from limbsalvage.settings import get_settings
from limbsalvage.staging import service
from limbsalvage.staging.engine import COLUMNS
from limbsalvage.staging.models import StagingSnapshot


@click.group(name="staging")
def staging_group() -> None:
    """Staging snapshots of an episode's limb (docs/registry/staging.md)."""


def _summary(snapshot: StagingSnapshot) -> dict[str, Any]:
    stages = {c: getattr(snapshot, c) for c in COLUMNS if getattr(snapshot, c) is not None}
    errors = {s: r["error"] for s, r in snapshot.results.items() if "error" in r}
    return {
        "snapshot": snapshot.id,
        "episode": snapshot.episode_id,
        "as_of": snapshot.as_of.isoformat(),
        "status": snapshot.status.value,
        "engine_version": snapshot.engine_version,
        "stages": stages,
        "not_staged": errors,
        "stale": [
            f"{s['source']} {s['id']} ({s['age_days']} > {s['window_days']} days)"
            for s in snapshot.stale
        ],
        "missing": snapshot.missing,
    }


def _echo(data: dict[str, Any], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(data, sort_keys=True))
        return
    for key, value in data.items():
        if isinstance(value, dict):
            click.echo(f"{key}:")
            for name, item in value.items():
                click.echo(f"  {name:<22} {item}")
        elif isinstance(value, list):
            click.echo(f"{key:<16} {', '.join(str(v) for v in value) or '-'}")
        else:
            click.echo(f"{key:<16} {value}")


def _differences(proposal: service.StagingProposal) -> list[str]:
    return [f"{d.system} {d.field}: {d.old} → {d.new}" for d in proposal.differences]


JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="one JSON object")


@staging_group.command()
@click.argument("episode_id", type=int)
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), help="staging date (ISO)")
@JSON_OPTION
def propose(episode_id: int, as_of: Any, as_json: bool) -> None:
    """Stage EPISODE_ID from its latest fresh findings and store the proposal."""
    day: date | None = as_of.date() if as_of is not None else None
    with configured_engine(get_settings()) as engine, unit_of_work(make_sessionmaker(engine)) as db:
        proposal = service.propose_staging(db=db, episode_id=episode_id, as_of=day)
        data = {**_summary(proposal.snapshot), "differences": _differences(proposal)}
    _echo(data, as_json)


@staging_group.command()
@click.argument("episode_id", type=int)
@JSON_OPTION
def restage(episode_id: int, as_json: bool) -> None:
    """Rerun the current engine on EPISODE_ID's snapshot in force; list what changed."""
    with configured_engine(get_settings()) as engine, unit_of_work(make_sessionmaker(engine)) as db:
        proposal = service.restage(db=db, episode_id=episode_id)
        data = {
            **_summary(proposal.snapshot),
            "created": proposal.created,
            "differences": _differences(proposal),
        }
    _echo(data, as_json)


@staging_group.command()
@click.argument("episode_id", type=int)
@JSON_OPTION
def index(episode_id: int, as_json: bool) -> None:
    """The index stage of EPISODE_ID: the first reviewed staging after presentation."""
    with configured_engine(get_settings()) as engine, unit_of_work(make_sessionmaker(engine)) as db:
        found = service.index_stage(db=db, episode_id=episode_id)
        window = f"{found.window_start.isoformat()} to {found.window_end.isoformat()}"
        if found.snapshot is None:
            data: dict[str, Any] = {
                "episode": episode_id,
                "window": window,
                "index_stage": None,
                "reason": found.reason,
            }
        else:
            data = {**_summary(found.snapshot), "window": window}
    _echo(data, as_json)
