"""`limbsalvage tasks overdue` and `limbsalvage conference agenda`: coordination from the shell.

An operator's commands (like `db backup`): they read every patient of the named site, and each
list printed is written to the audit log.
"""

import json
from datetime import date
from typing import Any

import click
from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.accounts.models import Site
from limbsalvage.care.service import OverdueTask, overdue_tasks
from limbsalvage.conference.service import Agenda, conference_agenda, next_conference
from limbsalvage.core.vocabulary import CareRole
from limbsalvage.db import audit, configured_engine
from limbsalvage.db.session import make_sessionmaker, unit_of_work
from limbsalvage.errors import NotFound
from limbsalvage.settings import get_settings

JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="one JSON object")
SITE_OPTION = click.option("--site", "site_code", required=True, help="the site's code")


def _site(db: Session, code: str) -> Site:
    site = db.scalar(select(Site).where(Site.code == code))
    if site is None:
        raise NotFound(message=f"site {code!r} not found")
    return site


@click.group(name="tasks")
def tasks_group() -> None:
    """Care-team tasks (docs/coordination/care.md)."""


def _task_row(item: OverdueTask) -> dict[str, Any]:
    task = item.task
    return {
        "task": task.id,
        "episode": task.episode_id,
        "title": task.title,
        "owner_role": task.owner_role.value,
        "urgency": None if task.urgency is None else task.urgency.value,
        "due_at": task.due_at.isoformat(),
        "overdue_hours": round(item.overdue_by.total_seconds() / 3600, 1),
    }


@tasks_group.command(name="overdue")
@SITE_OPTION
@click.option(
    "--role", type=click.Choice([r.value for r in CareRole]), help="only this care role's tasks"
)
@JSON_OPTION
def overdue_command(site_code: str, role: str | None, as_json: bool) -> None:
    """Open tasks of a site past their due time, most overdue first."""
    with configured_engine(get_settings()) as engine, unit_of_work(make_sessionmaker(engine)) as db:
        site = _site(db, site_code)
        late = overdue_tasks(
            db=db, site_ids=[site.id], owner_role=None if role is None else CareRole(role)
        )
        audit.record_access(
            db, action="list", entity="care_tasks", site_id=site.id, detail=f"overdue: {len(late)}"
        )
        rows = [_task_row(item) for item in late]
    if as_json:
        click.echo(json.dumps({"site": site_code, "overdue": rows}, indent=2))
        return
    if not rows:
        click.echo(f"No overdue task at site {site_code}.")
    for row in rows:
        click.echo(
            f"task {row['task']} (episode {row['episode']}) {row['overdue_hours']} h overdue, "
            f"{row['owner_role']}: {row['title']} (due {row['due_at']})"
        )


@click.group(name="conference")
def conference_group() -> None:
    """The multidisciplinary conference (docs/coordination/conference.md)."""


def _agenda_json(agenda: Agenda) -> dict[str, Any]:
    return {
        "site": agenda.site_name,
        "conference_on": agenda.conference_on.isoformat(),
        "cases": [
            {
                "case": item.case.id,
                "mrn": item.patient.mrn,
                "patient": f"{item.patient.family_name}, {item.patient.given_name}",
                "side": item.side,
                "cause": item.episode.cause.value,
                "why": [t["rule_id"] for t in item.triggers]
                + ([f"added: {item.manual_reason}"] if item.manual_reason else []),
                "recommendations": [
                    f"{r.urgency.value} {r.rule_id}: {r.text}" for r in item.recommendations
                ],
                "breaches": []
                if item.timing is None
                else [m.measure_id for m in item.timing.breached],
            }
            for item in agenda.cases
        ],
    }


@conference_group.command(name="agenda")
@SITE_OPTION
@click.option(
    "--on",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="conference date (ISO); default the site's next conference day",
)
@JSON_OPTION
def agenda_command(site_code: str, day: Any, as_json: bool) -> None:
    """Print a site's conference agenda: each case, why it is listed, its recommendations."""
    with configured_engine(get_settings()) as engine, unit_of_work(make_sessionmaker(engine)) as db:
        site = _site(db, site_code)
        ids = [site.id]
        on: date = (
            day.date() if day is not None else next_conference(db=db, site_id=site.id, site_ids=ids)
        )
        data = _agenda_json(
            conference_agenda(db=db, site_id=site.id, conference_on=on, site_ids=ids)
        )
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(f"{data['site']}: multidisciplinary conference {data['conference_on']}")
    if not data["cases"]:
        click.echo("No case listed.")
    for number, case in enumerate(data["cases"], start=1):
        click.echo(
            f"\n{number}. {case['patient']} (MRN {case['mrn']}), {case['side']} limb, "
            f"{case['cause']}"
        )
        click.echo(f"   why listed: {', '.join(case['why']) or '-'}")
        for line in case["recommendations"]:
            click.echo(f"   - {line}")
        if case["breaches"]:
            click.echo(f"   time-to-treatment breached: {', '.join(case['breaches'])}")
