"""`limbsalvage serve`: migrate the database if it is empty or outdated, then serve the web app.

In demo mode the first start of an empty database loads the synthetic demo cohort (the same as
`limbsalvage demo load`) and every start prints the demo accounts, one per role.
"""

import click
import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from limbsalvage import __version__
from limbsalvage.accounts.service import demo_accounts_exist
from limbsalvage.core.vocabulary import Role
from limbsalvage.db import engine_from_settings
from limbsalvage.db.migrate import current_revision, head_revision, upgrade_database
from limbsalvage.db.session import make_sessionmaker, unit_of_work
from limbsalvage.demo.accounts import demo_email, demo_password
from limbsalvage.demo.load import database_is_empty, load_demo
from limbsalvage.settings import Environment, Settings, get_settings
from limbsalvage.web.app import create_app
from limbsalvage.web.log_redaction import configure_logging


def migrate(engine: Engine) -> str:
    """Bring the database to the code's newest schema; say what was done."""
    before, head = current_revision(engine), head_revision(engine)
    where = make_url(str(engine.url)).render_as_string(hide_password=True)
    if before == head:
        return f"database {where} at {head}"
    upgrade_database(engine)
    return f"database {where} migrated to {head} (was {before or 'empty'})"


def first_start(settings: Settings, engine: Engine) -> list[str]:
    """In demo mode: the demo cohort loaded into an empty database, and the demo accounts."""
    if settings.env is not Environment.DEMO:
        return []
    lines = []
    with unit_of_work(make_sessionmaker(engine)) as db:
        if database_is_empty(db):
            summary = load_demo(db=db)
            lines.append(
                f"demo cohort loaded: {summary.patients} synthetic patients at "
                + ", ".join(summary.site_codes)
            )
        demo = demo_accounts_exist(db=db)
    if demo:
        lines.append("demo accounts (synthetic data only):")
        lines += [
            f"  {role.value:<12} {demo_email(role)}  password {demo_password(role)}"
            for role in Role
        ]
    return lines


def prepare(settings: Settings) -> tuple[FastAPI, list[str]]:
    """The application on a migrated database, and the lines to print before serving."""
    engine = engine_from_settings(settings)
    lines = [migrate(engine), *first_start(settings, engine)]
    return create_app(settings, engine=engine), lines


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="address to listen on")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="TCP port"
)
def serve(host: str, port: int) -> None:
    """Serve the web application and JSON API (migrating the database first)."""
    settings = get_settings()
    app, lines = prepare(settings)
    for line in lines:
        click.echo(line)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"limbsalvage {__version__} ({settings.env.value}) serving on http://{shown}:{port}")
    configure_logging()
    try:
        # Uvicorn's access log would print query strings (searches by name); ours does not.
        uvicorn.run(
            app, host=host, port=port, access_log=False, log_config=None, server_header=False
        )
    finally:
        app.state.engine.dispose()
