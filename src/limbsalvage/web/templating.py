"""Jinja2 templates and static files: our own CSS, third-party scripts copied by `make assets`."""

from pathlib import Path

from fastapi.templating import Jinja2Templates

from limbsalvage import __version__

PACKAGE_DIR = Path(__file__).parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"
# Copied from node_modules by `make assets` (package-lock.json pins them); git-ignored.
VENDOR_DIR = STATIC_DIR / "vendor"
VENDOR_FILES = ("htmx.min.js",)


def missing_assets() -> list[str]:
    """Vendor files that `make assets` has not copied yet (pages then work without live updates)."""
    return [name for name in VENDOR_FILES if not (VENDOR_DIR / name).is_file()]


def make_templates() -> Jinja2Templates:
    """The page templates, autoescaped, with the version available to every page."""
    templates = Jinja2Templates(directory=TEMPLATES_DIR)
    templates.env.globals["version"] = __version__
    templates.env.trim_blocks = True
    templates.env.lstrip_blocks = True
    return templates
