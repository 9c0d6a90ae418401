"""The application factory: pages, the JSON API under /api/v1, health checks, one error shape."""

import logging

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from limbsalvage import __version__
from limbsalvage.accounts.service import demo_accounts_exist
from limbsalvage.db.session import make_sessionmaker
from limbsalvage.outcomes.dashboard import DashboardCache
from limbsalvage.settings import Environment, Settings
from limbsalvage.web import (
    admin_pages,
    api_events,
    api_facts,
    api_findings,
    api_limbs,
    api_outcomes,
    api_procedures,
    api_recommendations,
    api_referrals,
    api_staging,
    api_tasks,
    api_wounds,
    care_pages,
    classify_api,
    conference_pages,
    dashboard_pages,
    errors,
    findings_pages,
    health,
    outcome_pages,
    pages,
    patients_api,
    patients_pages,
    referral_pages,
    signin,
    staging,
)
from limbsalvage.web.access_log import AccessLog
from limbsalvage.web.headers import SecurityHeaders
from limbsalvage.web.security import refuse_insecure
from limbsalvage.web.templating import STATIC_DIR, make_templates, missing_assets

log = logging.getLogger("limbsalvage.web")

OPENAPI_URL = "/api/v1/openapi.json"


def create_app(settings: Settings, *, engine: Engine | None = None) -> FastAPI:
    """A configured application; `engine` is the database it serves (None: classification only)."""
    app = FastAPI(
        title="limbsalvage",
        version=__version__,
        summary="Limb salvage program: staging, registry and outcomes.",
        # Swagger UI and ReDoc load their scripts from a CDN; the OpenAPI document is served alone.
        docs_url=None,
        redoc_url=None,
        openapi_url=OPENAPI_URL,
    )
    demo_accounts = False
    if engine is not None and settings.env is Environment.PRODUCTION:
        with Session(engine) as db:
            demo_accounts = demo_accounts_exist(db=db)
    refuse_insecure(settings, demo_accounts=demo_accounts)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine) if engine is not None else None
    app.state.referrals_per_hour = referral_pages.REFERRALS_PER_HOUR
    app.state.templates = make_templates()
    app.state.dashboard_cache = DashboardCache()
    errors.install(app)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(AccessLog)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(health.router)
    app.include_router(classify_api.router)
    app.include_router(pages.router)
    app.include_router(staging.router)
    app.include_router(signin.router)
    app.include_router(patients_api.router)
    app.include_router(api_limbs.router)
    app.include_router(api_findings.router)
    app.include_router(api_wounds.router)
    app.include_router(api_staging.router)
    app.include_router(api_recommendations.router)
    app.include_router(api_facts.router)
    app.include_router(api_tasks.router)
    app.include_router(api_referrals.router)
    app.include_router(api_procedures.router)
    app.include_router(api_events.router)
    app.include_router(api_outcomes.router)
    app.include_router(patients_pages.router)
    app.include_router(findings_pages.router)
    app.include_router(care_pages.router)
    app.include_router(outcome_pages.router)
    app.include_router(referral_pages.router)
    app.include_router(admin_pages.router)
    app.include_router(conference_pages.router)
    app.include_router(dashboard_pages.router)
    missing = missing_assets()
    if missing:
        log.warning("static files missing (run `make assets`): %s", ", ".join(missing))
    return app
