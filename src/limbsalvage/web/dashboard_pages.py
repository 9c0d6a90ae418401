"""The program dashboard: the outcomes report's curves and tables for the user's sites.

Aggregate only (clinicians, coordinators and analysts; never names or MRNs). Filters: time zero,
site (one of the user's or all of them) and the stratification. Each view is written to the
audit log with its filters; the report download, its numbers as CSV and the de-identified
extract are exports, each written to the audit log too.
"""

import io
import tempfile
import zipfile
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from limbsalvage.accounts.models import Site
from limbsalvage.accounts.permissions import Permission, Principal
from limbsalvage.core.outcomes.endpoints import TimeZero
from limbsalvage.db.clock import now
from limbsalvage.errors import NotFound, invalid
from limbsalvage.exchange.deidentify import export_deidentified
from limbsalvage.outcomes.dashboard import FIGURES, STRATUM_NAMES, Dashboard, figure_svg
from limbsalvage.outcomes.report import render_csv, render_html
from limbsalvage.outcomes.service import Stratify
from limbsalvage.web.auth import Database, require
from limbsalvage.web.dashboard_views import audit_dashboard, dashboard_sites, program_dashboard

router = APIRouter(include_in_schema=False)

Reader = Annotated[Principal, Depends(require(Permission.AGGREGATE_READ))]
# Text: the filter form's "all my sites" choice sends an empty value.
SiteQuery = Annotated[str | None, Query(max_length=12)]
TimeZeroQuery = Annotated[TimeZero, Query()]
StratifyQuery = Annotated[Stratify, Query()]
FigureName = Annotated[str, Path(max_length=40)]
# A figure is an SVG document shown through <img>: matplotlib styles it inline, and as an image
# it can run no script and load nothing.
FIGURE_POLICY = "default-src 'none'; style-src 'unsafe-inline'"


def _site_id(raw: str | None) -> int | None:
    """The `site` filter: empty for all the user's sites, else a site id."""
    if raw is None or not raw.strip():
        return None
    if not raw.strip().isdigit():
        raise invalid("site", "a site id, or empty for all your sites")
    return int(raw)


def _dashboard(
    request: Request,
    db: Session,
    principal: Principal,
    *,
    site: str | None,
    time_zero: TimeZero,
    stratify: Stratify,
) -> Dashboard:
    site_id = _site_id(site)
    return program_dashboard(
        request, db, principal, site_id=site_id, time_zero=time_zero, stratify=stratify
    )


def _query(site_ids: tuple[int, ...], one: bool, time_zero: TimeZero, stratify: Stratify) -> str:
    parts = [f"time_zero={time_zero.value}", f"stratify={stratify.value}"]
    if one:
        parts.insert(0, f"site={site_ids[0]}")
    return "&".join(parts)


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(
    request: Request,
    *,
    db: Database,
    principal: Reader,
    site: SiteQuery = None,
    time_zero: TimeZeroQuery = TimeZero.PRESENTATION,
    stratify: StratifyQuery = Stratify.WIFI,
) -> Response:
    """Curves, goals, WIfI benchmarks, waits and activity for the user's sites."""
    board = _dashboard(request, db, principal, site=site, time_zero=time_zero, stratify=stratify)
    # Aggregate, but patient data read all the same: the view is audited with its filters (its
    # figures are parts of this view and are not recorded again).
    audit_dashboard(db, board, what="dashboard view", action="read")
    readable = sorted(principal.sites_with(Permission.AGGREGATE_READ))
    context = {
        "board": board,
        "data": board.data,
        "figures": [(name, board.curve(name)) for name in FIGURES],
        "sites": [db.get_one(Site, s) for s in readable],
        "site": _site_id(site),
        "time_zero": time_zero.value,
        "stratify": stratify.value,
        "stratum_name": STRATUM_NAMES[stratify],
        "stratifications": [
            (s.value, STRATUM_NAMES[s]) for s in Stratify if s is not Stratify.NONE
        ],
        "query": _query(board.key.site_ids, _site_id(site) is not None, time_zero, stratify),
    }
    response: Response = request.app.state.templates.TemplateResponse(
        request, "dashboard/page.html", context
    )
    return response


@router.get("/dashboard/figures/{figure}.svg")
def dashboard_figure(
    request: Request,
    *,
    db: Database,
    principal: Reader,
    figure: FigureName,
    site: SiteQuery = None,
    time_zero: TimeZeroQuery = TimeZero.PRESENTATION,
    stratify: StratifyQuery = Stratify.WIFI,
) -> Response:
    """One curve of the dashboard as an SVG image, with the numbers at risk under the axis."""
    if figure not in FIGURES:
        raise NotFound(message=f"figure: one of {', '.join(FIGURES)}")
    board = _dashboard(request, db, principal, site=site, time_zero=time_zero, stratify=stratify)
    svg = figure_svg(board, figure)
    if svg is None:
        raise NotFound(message=f"figure {figure}: no limb is eligible for this endpoint")
    return Response(
        svg, media_type="image/svg+xml", headers={"content-security-policy": FIGURE_POLICY}
    )


def _download(body: bytes | str, *, name: str, media_type: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


def _audit_export(db: Session, board: Dashboard, what: str) -> None:
    audit_dashboard(db, board, what=what, action="export")


@router.get("/dashboard/report.html")
def report_download(
    request: Request,
    *,
    db: Database,
    principal: Reader,
    site: SiteQuery = None,
    time_zero: TimeZeroQuery = TimeZero.PRESENTATION,
    stratify: StratifyQuery = Stratify.WIFI,
) -> Response:
    """The printable program report (self-contained HTML) for these filters; audited."""
    board = _dashboard(request, db, principal, site=site, time_zero=time_zero, stratify=stratify)
    _audit_export(db, board, "report html")
    name = f"program-report-{board.key.closing_date.isoformat()}.html"
    return _download(render_html(board.data), name=name, media_type="text/html")


@router.get("/dashboard/report.csv")
def report_numbers(
    request: Request,
    *,
    db: Database,
    principal: Reader,
    site: SiteQuery = None,
    time_zero: TimeZeroQuery = TimeZero.PRESENTATION,
    stratify: StratifyQuery = Stratify.WIFI,
) -> Response:
    """Every number of the report, one row per value (CSV); audited."""
    board = _dashboard(request, db, principal, site=site, time_zero=time_zero, stratify=stratify)
    _audit_export(db, board, "report csv")
    name = f"program-report-{board.key.closing_date.isoformat()}.csv"
    return _download(render_csv(board.data), name=name, media_type="text/csv")


@router.get("/dashboard/deidentified.zip")
def deidentified_extract(db: Database, principal: Reader, site: SiteQuery = None) -> Response:
    """The de-identified research extract of the sites (Safe Harbor; one CSV per table), zipped."""
    site_ids = dashboard_sites(db, principal, _site_id(site))
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="limbsalvage-extract-") as folder:
        export_deidentified(db=db, directory=FilePath(folder), site_ids=site_ids)
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(FilePath(folder).glob("*.csv")):
                archive.write(path, arcname=path.name)
    name = f"deidentified-{now(db).date().isoformat()}.zip"
    return _download(buffer.getvalue(), name=name, media_type="application/zip")
