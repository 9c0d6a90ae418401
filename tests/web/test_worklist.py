"""The worklist page: stage, waits, next task, breaches, each filter, search, paging, audit, roles.

Episodes are dated from today (the page uses the real clock), on the seeded north site with a
time zone, beside the seeded episodes (presented 2026-01-05) and another site's patient.
Time-to-treatment target read here: CLTI outpatient presentation → revascularization 14 days
(VSGBI PAD QIF 2019, `core.coordination.time_to_treatment.DEFAULT_TARGETS`).
"""

import html
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from limbsalvage.accounts.models import Membership, Site
from limbsalvage.assessments.schemas import ImagingIn
from limbsalvage.care.models import CareTask
from limbsalvage.conference import service as conference
from limbsalvage.conference.schemas import ManualCaseIn
from limbsalvage.core.vocabulary import (
    CareRole,
    CareSetting,
    ImagingModality,
    ProcedureKind,
    RecommendationState,
    Role,
    StagingStatus,
    TaskStatus,
    Urgency,
)
from limbsalvage.db.audit import AuditEntry
from limbsalvage.db.session import make_sessionmaker, unit_of_work
from limbsalvage.patients.models import Episode, Patient
from limbsalvage.procedures.models import Procedure
from limbsalvage.recommendations.models import StoredRecommendation
from limbsalvage.staging.models import StagingSnapshot
from limbsalvage.web import patients_pages
from tests.support.factories import make_assessment, make_episode, make_finding, make_patient
from tests.support.web import Seeded, client_as

ZONE = "Europe/London"


@dataclass(frozen=True)
class Cohort:
    """MRNs of the worklist patients, by what each is for."""

    late: str = "WL-LATE"  # CLTI outpatient 30 days, nothing done: breach, awaiting imaging
    imaged: str = "WL-IMAGED"  # CT angiography recorded: not awaiting imaging
    revasc: str = "WL-REVASC"  # revascularization recommended, not done
    treated: str = "WL-TREATED"  # recommended and done
    overdue: str = "WL-OVERDUE"  # an open task past due, a later one, a staged limb
    conference: str = "WL-CONF"  # on this week's conference
    fresh: str = "WL-FRESH"  # CLTI inpatient 2 days: on track, no breach


def _today() -> date:
    return datetime.now(UTC).astimezone(ZoneInfo(ZONE)).date()


@pytest.fixture(scope="module")
def cohort(seeded_engine: tuple[Engine, Seeded]) -> Cohort:
    engine, seeded = seeded_engine
    names = Cohort()
    today, now = _today(), datetime.now(UTC)
    with unit_of_work(make_sessionmaker(engine)) as db:
        north = db.get_one(Site, seeded.sites["north"])
        north.settings = {**(north.settings or {}), "time_zone": ZONE}
        db.flush()

        def episode(mrn: str, days: int, setting: CareSetting = CareSetting.OUTPATIENT) -> int:
            patient = make_patient(db, north, mrn=mrn, family_name=f"Work{mrn[3:].title()}")
            return make_episode(
                db, patient, presented_on=today - timedelta(days=days), setting=setting
            ).id

        ids = {mrn: episode(mrn, 30) for mrn in (names.late, names.imaged, names.revasc)}
        ids |= {mrn: episode(mrn, 20) for mrn in (names.treated, names.overdue, names.conference)}
        ids[names.fresh] = episode(names.fresh, 2, CareSetting.INPATIENT)
        imaged = db.get_one(Episode, ids[names.imaged])
        assessment = make_assessment(db, imaged, assessed_on=today - timedelta(days=25))
        make_finding(
            db,
            assessment,
            ImagingIn(
                modality=ImagingModality.CT_ANGIOGRAPHY, performed_on=today - timedelta(days=25)
            ),
        )
        for mrn in (names.revasc, names.treated):
            db.add(_recommendation(db.get_one(Episode, ids[mrn]), now))
        treated = db.get_one(Episode, ids[names.treated])
        db.add(
            Procedure(
                patient_id=treated.patient_id,
                limb_id=treated.limb_id,
                episode_id=treated.id,
                kind=ProcedureKind.ANGIOPLASTY,
                performed_on=today - timedelta(days=10),
            )
        )
        overdue = db.get_one(Episode, ids[names.overdue])
        for title, due in (
            ("Later call", now + timedelta(days=3)),
            ("Book duplex", now - timedelta(hours=5)),
        ):
            db.add(
                CareTask(
                    patient_id=overdue.patient_id,
                    episode_id=overdue.id,
                    title=title,
                    owner_role=CareRole.COORDINATOR,
                    urgency=Urgency.URGENT,
                    due_at=due,
                    status=TaskStatus.OPEN,
                )
            )
        db.add(_snapshot(overdue, today - timedelta(days=19), stage=3))
        conference.add_case(
            db=db,
            episode_id=ids[names.conference],
            case_in=ManualCaseIn(conference_on=today, reason="complex case"),
            site_ids=[north.id],
        )
    return names


def _recommendation(episode: object, now: datetime) -> StoredRecommendation:
    return StoredRecommendation(
        patient_id=episode.patient_id,  # type: ignore[attr-defined]
        episode_id=episode.id,  # type: ignore[attr-defined]
        rule_id="test.revascularize",
        category="revascularization",
        urgency=Urgency.URGENT,
        text="Revascularize",
        rationale="test",
        citation="test",
        engine_version="test",
        fingerprint="f" * 64,
        raised_at=now,
        state=RecommendationState.PENDING,
    )


def _snapshot(episode: object, as_of: date, *, stage: int) -> StagingSnapshot:
    return StagingSnapshot(
        patient_id=episode.patient_id,  # type: ignore[attr-defined]
        episode_id=episode.id,  # type: ignore[attr-defined]
        as_of=as_of,
        computed_at=datetime.now(UTC),
        engine_version="test",
        table_refs=[],
        trigger="test",
        inputs={},
        results={},
        stale=[],
        missing=[],
        status=StagingStatus.CONFIRMED,
        reviewed_at=datetime.now(UTC),
        wifi_stage=stage,
    )


def _rows(db_app: FastAPI, **params: object) -> str:
    with client_as(db_app, "clinician") as (client, _):
        response = client.get("/worklist", params=params)
    assert response.status_code == 200
    return response.text


def _shown(page: str, cohort: Cohort) -> set[str]:
    return {mrn for mrn in vars(cohort).values() if f"<td>{mrn}</td>" in page}


def test_each_filter(db_app: FastAPI, cohort: Cohort) -> None:
    everyone = set(vars(cohort).values())
    assert _shown(_rows(db_app, q="WL-"), cohort) == everyone
    imaging = _shown(_rows(db_app, q="WL-", show="awaiting_imaging"), cohort)
    assert imaging == everyone - {cohort.imaged}
    revasc = _shown(_rows(db_app, q="WL-", show="awaiting_revascularization"), cohort)
    assert revasc == {cohort.revasc}
    assert _shown(_rows(db_app, q="WL-", show="overdue"), cohort) == {cohort.overdue}
    assert _shown(_rows(db_app, q="WL-", show="conference"), cohort) == {cohort.conference}
    # Filters combine: all must hold.
    both = _rows(db_app, q="WL-", show=["overdue", "awaiting_imaging"])
    assert _shown(both, cohort) == {cohort.overdue}
    assert _shown(_rows(db_app, q="WL-", show=["overdue", "conference"]), cohort) == set()


def test_row_shows_stage_task_breach_and_conference(db_app: FastAPI, cohort: Cohort) -> None:
    overdue = _rows(db_app, q=cohort.overdue)
    assert '3 <span class="muted">(confirmed' in overdue
    assert "Book duplex" in overdue
    assert "Later call" not in overdue
    assert '<span class="tag">overdue</span>' in overdue
    assert "20 <span" in overdue  # days since presentation
    late = _rows(db_app, q=cohort.late)
    assert "presentation → revascularization: not yet: 30 days so far (target ≤14 days)" in late
    fresh = _rows(db_app, q=cohort.fresh)
    assert "revascularization:" not in fresh  # 2 of 5 days: on track, no breach
    assert _today().isoformat() in _rows(db_app, q=cohort.conference)


def test_a_site_without_time_zone_is_not_assessed(db_app: FastAPI, cohort: Cohort) -> None:
    with client_as(db_app, "other_site") as (client, _):
        page = client.get("/worklist").text
    assert "LovelaceSouth" in page
    assert "not assessed: the site has no time zone" in page
    assert cohort.late not in page  # another site's episodes are not listed


def test_search_paging_and_audit(
    db_app: FastAPI, cohort: Cohort, seeded_engine: tuple[Engine, Seeded]
) -> None:
    assert _shown(_rows(db_app, q="worklate"), cohort) == {cohort.late}  # a name, any case
    assert _shown(_rows(db_app, q="wl-fresh"), cohort) == {cohort.fresh}  # an MRN
    beyond = _rows(db_app, q="WL-", show="awaiting_imaging", page=2)
    assert _shown(beyond, cohort) == set()
    assert "match these filters" in beyond
    engine, _ = seeded_engine
    with engine.connect() as connection:
        latest = connection.scalars(
            select(AuditEntry.detail)
            .where(AuditEntry.action == "list")
            .order_by(AuditEntry.seq.desc())
        ).first()
        late_id = connection.scalar(select(Patient.id).where(Patient.mrn == cohort.late))
    _rows(db_app, q=cohort.late)
    with engine.connect() as connection:
        detail = connection.scalars(
            select(AuditEntry.detail)
            .where(AuditEntry.action == "list")
            .order_by(AuditEntry.seq.desc())
        ).first()
    assert detail != latest
    assert detail == f"worklist: {late_id}"


def test_paging_keeps_the_filters(
    db_app: FastAPI, cohort: Cohort, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(patients_pages, "PAGE_SIZE", 2)
    first = _rows(db_app, q="WL-", show="awaiting_imaging")
    second = _rows(db_app, q="WL-", show="awaiting_imaging", page=2)
    assert "Page 1 of 3" in first
    # Longest waiting first, across pages: the 30-day episodes, then the 20-day ones.
    assert _shown(first, cohort) == {cohort.late, cohort.revasc}
    assert _shown(second, cohort) == {cohort.treated, cohort.overdue}
    assert 'href="?q=WL-&amp;cause=&amp;show=awaiting_imaging&amp;page=2"' in first


@pytest.mark.parametrize("role", ["analyst", "admin"])
def test_roles_without_clinical_read_see_no_worklist(db_app: FastAPI, role: str) -> None:
    # The analyst sees aggregate data only, never names or MRNs; the admin no clinical data.
    with client_as(db_app, role) as (client, _):
        response = client.get("/worklist", params={"q": "WL-"})
    assert response.status_code == 403
    assert "WL-" not in response.text
    assert "Lovelace" not in response.text


def test_coordinator_sees_the_worklist(db_app: FastAPI, cohort: Cohort) -> None:
    with client_as(db_app, "coordinator") as (client, _):
        page = client.get("/worklist", params={"q": "WL-", "show": "overdue"}).text
    assert _shown(page, cohort) == {cohort.overdue}


def test_an_unknown_filter_is_refused(db_app: FastAPI) -> None:
    with client_as(db_app, "clinician") as (client, _):
        response = client.get("/worklist", params={"show": "everything"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"].startswith("show")


def test_the_filter_form_as_sent_and_its_pager_links_work(
    db_app: FastAPI, cohort: Cohort, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The form's "any" cause is an empty value, and each page link carries it on.
    monkeypatch.setattr(patients_pages, "PAGE_SIZE", 2)
    first = _rows(db_app, q="WL-", cause="")
    assert _shown(first, cohort) == {cohort.late, cohort.imaged}
    link = re.search(r'href="\?([^"]*page=2)"', first)
    assert link is not None
    with client_as(db_app, "clinician") as (client, _):
        second = client.get(f"/worklist?{html.unescape(link.group(1))}")
        wrong = client.get("/worklist", params={"cause": "gout"})
    assert second.status_code == 200
    assert _shown(second.text, cohort) == {cohort.revasc, cohort.treated}
    assert _shown(_rows(db_app, q="WL-", cause="venous"), cohort) == set()
    assert wrong.status_code == 422
    (problem,) = wrong.json()["error"]["fields"]
    assert problem["field"] == "cause"
    assert "clti" in problem["message"]


def test_due_times_show_in_the_sites_zone(db_app: FastAPI, cohort: Cohort) -> None:
    page = _rows(db_app, q=cohort.overdue)
    with Session(db_app.state.engine) as db:
        due = db.scalar(
            select(CareTask.due_at)
            .join(Patient, Patient.id == CareTask.patient_id)
            .where(Patient.mrn == cohort.overdue, CareTask.title == "Book duplex")
        )
    assert due is not None
    local = due.astimezone(ZoneInfo(ZONE)).strftime("%Y-%m-%d %H:%M")
    assert f'<time datetime="{due.isoformat()}">{local} {ZONE}</time>' in page


def test_a_user_of_every_site_sees_both(
    db_app: FastAPI, cohort: Cohort, seeded_engine: tuple[Engine, Seeded]
) -> None:
    # Holding a role at every site skips the site test in SQL; the list must stay the same.
    engine, seeded = seeded_engine
    with unit_of_work(make_sessionmaker(engine)) as db:
        db.add(
            Membership(
                user_id=seeded.users["coordinator"],
                site_id=seeded.sites["south"],
                role=Role.COORDINATOR,
            )
        )
    with client_as(db_app, "coordinator") as (client, _):
        everything = client.get("/worklist").text
        overdue = client.get("/worklist", params={"show": "overdue"}).text
        conference_page = client.get("/worklist", params={"show": "conference"}).text
    assert "LovelaceSouth" in everything
    assert "LovelaceNorth" in everything
    assert _shown(everything, cohort) == set(vars(cohort).values())
    assert _shown(overdue, cohort) == {cohort.overdue}
    assert _shown(conference_page, cohort) == {cohort.conference}
