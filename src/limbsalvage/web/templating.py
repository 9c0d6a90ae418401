"""Jinja2 templates and static files: our own CSS, third-party scripts copied by `make assets`."""

from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.templating import Jinja2Templates

from limbsalvage import __version__
from limbsalvage.accounts.permissions import Permission

PACKAGE_DIR = Path(__file__).parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"
# Copied from node_modules by `make assets` (package-lock.json pins them); git-ignored.
VENDOR_DIR = STATIC_DIR / "vendor"
VENDOR_FILES = ("htmx.min.js",)


def missing_assets() -> list[str]:
    """Vendor files that `make assets` has not copied yet (pages then work without live updates)."""
    return [name for name in VENDOR_FILES if not (VENDOR_DIR / name).is_file()]


def _signed_in_user(request: Request) -> dict[str, Any]:
    """Every page knows who is signed in and the session's CSRF token."""
    return {
        "principal": getattr(request.state, "principal", None),
        "csrf_token": getattr(request.state, "csrf_token", ""),
    }


def local_time(instant: datetime, zone: tzinfo | None) -> str:
    """'2026-03-02 18:00 Europe/Berlin': an instant on the site's clock, named; UTC (and said so)
    when the site sets no time zone."""
    shown = zone if zone is not None else ZoneInfo("UTC")
    return f"{instant.astimezone(shown).strftime('%Y-%m-%d %H:%M')} {shown}"


def make_templates() -> Jinja2Templates:
    """The page templates, autoescaped, with the version and the signed-in user on every page."""
    templates = Jinja2Templates(directory=TEMPLATES_DIR, context_processors=[_signed_in_user])
    templates.env.globals["version"] = __version__
    templates.env.globals["Permission"] = Permission
    templates.env.filters["local_time"] = local_time
    templates.env.trim_blocks = True
    templates.env.lstrip_blocks = True
    # The templates ship with the package: no file-system check on every include (a chart
    # includes its form-field template about 140 times); a restart picks up an edited template.
    templates.env.auto_reload = False
    return templates
