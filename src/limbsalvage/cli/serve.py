"""`limbsalvage serve`: migrate the database if it is empty or outdated, then serve the web app.

In demo mode the first start of an empty database loads the synthetic demo cohort (the same as
`limbsalvage demo load`) and every start prints the demo accounts, one per role.

With `--workers N` (N > 1) the parent migrates and checks once, then Uvicorn starts N worker
processes, each building its own application with `worker_app` from the same environment.
"""

import os
import secrets
import socket

import click
import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from uvicorn.supervisors import Multiprocess

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


# Uvicorn imports this in each worker process (spawned: nothing is inherited but the environment).
WORKER_APP = "limbsalvage.cli.serve:worker_app"


def worker_app() -> FastAPI:
    """One worker's application on the database the parent has already migrated."""
    configure_logging()  # a spawned worker starts with no log handlers, so no redaction either
    settings = get_settings()
    return create_app(settings, engine=engine_from_settings(settings))


def share_signing_key(settings: Settings) -> None:
    """Without a configured secret, one random key for every worker of this start.

    Anonymous CSRF tokens are signed; with a key per process, a sign-in form served by one
    worker and posted to another would be refused. Production never gets here without a secret.
    """
    if not settings.secret_key:
        os.environ["LIMBSALVAGE_SECRET_KEY"] = secrets.token_urlsafe(32)


class WorkersConfig(uvicorn.Config):
    """Uvicorn's settings, binding the shared listening socket as a TCP socket.

    Uvicorn binds the socket its workers share with protocol 0, and asyncio turns Nagle's
    algorithm off (TCP_NODELAY) only on connections whose socket says TCP: without it a response
    written in two parts waits for the client's delayed acknowledgement, about 40 ms each.
    """

    def bind_socket(self) -> socket.socket:
        bound = super().bind_socket()
        if bound.family not in (socket.AF_INET, socket.AF_INET6):
            return bound
        return socket.socket(bound.family, bound.type, socket.IPPROTO_TCP, fileno=bound.detach())


def run_workers(factory: str, *, host: str, port: int, workers: int) -> None:
    """Serve the app `factory` (an import string) builds in each of `workers` processes."""
    config = WorkersConfig(
        factory,
        factory=True,
        workers=workers,
        host=host,
        port=port,
        # Uvicorn's access log would print query strings (searches by name); ours does not.
        access_log=False,
        log_config=None,
        server_header=False,
    )
    Multiprocess(config, sockets=[config.bind_socket()]).run()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="address to listen on")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="TCP port"
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="server processes; one per CPU core",
)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the web application and JSON API (migrating the database first)."""
    settings = get_settings()
    app, lines = prepare(settings)  # production refusals happen here, before any worker starts
    for line in lines:
        click.echo(line)
    shown = f"[{host}]" if ":" in host else host
    processes = f" with {workers} worker processes" if workers > 1 else ""
    click.echo(
        f"limbsalvage {__version__} ({settings.env.value}) "
        f"serving on http://{shown}:{port}{processes}"
    )
    configure_logging()
    if workers > 1:
        app.state.engine.dispose()
        share_signing_key(settings)
        run_workers(WORKER_APP, host=host, port=port, workers=workers)
        return
    try:
        uvicorn.run(
            app, host=host, port=port, access_log=False, log_config=None, server_header=False
        )
    finally:
        app.state.engine.dispose()
