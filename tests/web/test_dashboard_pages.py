"""The program dashboard through HTTP: aggregate curves, goals, benchmarks, waits and activity
for the user's sites, never names or MRNs; exports audited; the cache follows the registry.
SQLite and PostgreSQL."""

import io
import re
import zipfile
from datetime import date

from fastapi import FastAPI
from sqlalchemy import Engine, select

from limbsalvage.core.vocabulary import AmputationLevel, OutcomeEventKind, Side
from limbsalvage.db.audit import AuditEntry
from limbsalvage.db.session import make_sessionmaker, unit_of_work
from limbsalvage.events import service as events
from limbsalvage.events.schemas import OutcomeEventCreate
from tests.support.web import Seeded, client_as

NAMES = ("Lovelace", "NORTH-1", "SOUTH-1", "Referred")


def exports(seeded_engine: tuple[Engine, Seeded], entity: str, action: str = "export") -> list[str]:
    with make_sessionmaker(seeded_engine[0])() as db:
        rows = db.scalars(
            select(AuditEntry.detail)
            .where(AuditEntry.entity == entity, AuditEntry.action == action)
            .order_by(AuditEntry.seq)
        ).all()
    return [r or "" for r in rows]


def test_the_analyst_sees_aggregates_and_never_a_name(db_app: FastAPI, seeded: Seeded) -> None:
    with client_as(db_app, "analyst") as (client, _):
        page = client.get("/dashboard")
        assert page.status_code == 200
        for name in NAMES:
            assert name not in page.text
        assert "1 limbs of 1 patients" in page.text  # the north site only
        for section in ("Limb salvage", "Amputation-free survival", "Cumulative incidence"):
            assert section in page.text
        assert "Follow-up completeness" in page.text
        assert "Comparable cohort" in page.text
        assert "unadjusted — different population" in page.text
        assert "Cull 2014" in page.text
        assert "van Reijen 2019" in page.text
        assert "Time to revascularization" in page.text
        assert "Major-to-minor amputation ratio" in page.text
        assert "Angiography before major amputation" in page.text
        figures = re.findall(r'src="(/dashboard/figures/[^"]+)"', page.text)
        assert len(figures) == 3
        figure = client.get(figures[0].replace("&amp;", "&"))
        assert figure.status_code == 200
        assert figure.headers["content-type"].startswith("image/svg+xml")
        assert figure.text.startswith("<svg")
        assert "numbers at risk" in figure.text
        assert "script-src" not in figure.headers["content-security-policy"]
        for name in NAMES:
            assert name not in figure.text


def test_filters_and_bad_filters(db_app: FastAPI, seeded: Seeded) -> None:
    with client_as(db_app, "coordinator") as (client, _):
        by_cause = client.get(
            f"/dashboard?site={seeded.sites['north']}&time_zero=index_procedure&stratify=cause"
        )
        assert by_cause.status_code == 200
        assert "by cause" in by_cause.text
        assert client.get(f"/dashboard?site={seeded.sites['south']}").status_code == 404
        bad = client.get("/dashboard?time_zero=yesterday", headers={"accept": "text/html"})
        assert bad.status_code == 422
        assert "time_zero" in bad.text
        assert client.get("/dashboard/figures/nothing.svg").status_code == 404
        assert client.get("/dashboard?site=&stratify=cause").status_code == 200  # all my sites
        not_a_site = client.get("/dashboard?site=abc", headers={"accept": "text/html"})
        assert not_a_site.status_code == 422
        assert "a site id, or empty for all your sites" in not_a_site.text
    with client_as(db_app, "admin") as (client, _):
        refused = client.get("/dashboard", headers={"accept": "text/html"})
        assert refused.status_code == 403


def test_each_view_is_audited_with_its_filters(
    db_app: FastAPI, seeded: Seeded, seeded_engine: tuple[Engine, Seeded]
) -> None:
    north = seeded.sites["north"]
    before = len(exports(seeded_engine, "outcomes_report", "read"))
    with client_as(db_app, "clinician") as (client, _):
        page = client.get(f"/dashboard?site={north}&time_zero=index_procedure&stratify=cause")
        assert page.status_code == 200
        for figure in re.findall(r'src="(/dashboard/figures/[^"]+)"', page.text):
            assert client.get(figure.replace("&amp;", "&")).status_code == 200
    views = exports(seeded_engine, "outcomes_report", "read")
    assert len(views) == before + 1  # the view, not each of its figures
    assert (
        views[-1] == f"dashboard view: sites {north}, time zero index_procedure, by cause, 1 limbs"
    )


def test_exports_are_audited_and_deidentified(
    db_app: FastAPI, seeded: Seeded, seeded_engine: tuple[Engine, Seeded]
) -> None:
    with client_as(db_app, "analyst") as (client, _):
        numbers = client.get("/dashboard/report.csv?stratify=procedure")
        assert numbers.status_code == 200
        assert numbers.headers["content-disposition"].startswith("attachment;")
        assert numbers.text.startswith("section,endpoint,stratum")
        report = client.get("/dashboard/report.html")
        assert report.status_code == 200
        assert "<svg" in report.text
        extract = client.get("/dashboard/deidentified.zip")
        assert extract.status_code == 200
    assert any(
        "report csv" in e and "by procedure" in e for e in exports(seeded_engine, "outcomes_report")
    )
    assert any("report html" in e for e in exports(seeded_engine, "outcomes_report"))
    assert any(
        f'"site_ids": [{seeded.sites["north"]}]' in e for e in exports(seeded_engine, "registry")
    )
    with zipfile.ZipFile(io.BytesIO(extract.content)) as archive:
        patients = archive.read("patients.csv").decode()
        everything = " ".join(archive.read(n).decode() for n in archive.namelist())
    assert len(patients.strip().splitlines()) == 2  # the header and the north patient only
    for name in NAMES:
        assert name not in everything


def test_the_dashboard_follows_the_registry(
    db_app: FastAPI, seeded: Seeded, seeded_engine: tuple[Engine, Seeded]
) -> None:
    with client_as(db_app, "analyst") as (client, _):
        before = client.get(f"/dashboard?site={seeded.sites['north']}").text
        assert "2026-Q2" not in before
        with unit_of_work(make_sessionmaker(seeded_engine[0])) as db:
            events.record_event(
                db=db,
                patient_id=seeded.patient_north,
                event_in=OutcomeEventCreate(
                    kind=OutcomeEventKind.MAJOR_AMPUTATION,
                    occurred_on=date(2026, 4, 2),
                    episode_id=seeded.episode_north,
                    amputation_level=AmputationLevel.BELOW_KNEE,
                    side=Side.LEFT,
                ),
            )
        after = client.get(f"/dashboard?site={seeded.sites['north']}").text
    assert "2026-Q2" in after
