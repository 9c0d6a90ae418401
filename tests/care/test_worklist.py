"""The worklist's name/MRN search on its two query paths: a selective search starts from the
matching patients' terms, a broad one tests each open episode; both list the same episodes, in
the same order, with the same total, page by page. The filters that start from their own rows:
overdue tasks, and conference weeks that differ between sites."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from limbsalvage.accounts.models import Site
from limbsalvage.care import worklist as worklist_module
from limbsalvage.care.models import CareTask
from limbsalvage.care.worklist import WorklistFilter, WorklistQuery, worklist
from limbsalvage.conference import service as conference
from limbsalvage.conference.schemas import ManualCaseIn
from limbsalvage.core.vocabulary import CareRole, EpisodeCause, Side, TaskStatus, Urgency
from limbsalvage.patients import service as patients
from limbsalvage.patients.schemas import EpisodeClose
from tests.support.factories import make_episode, make_patient, make_site

AS_OF = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def sites(db: Session) -> tuple[Site, Site]:
    """North: Hopper with two open episodes (both limbs) and a closed one, Hopkins with one,
    Turing with one; south: another Hopper."""
    north, south = make_site(db), make_site(db, code="south", name="South")
    hopper = make_patient(db, north, mrn="N-1", given_name="Grace", family_name="Hopper")
    closed = make_episode(db, hopper, presented_on=date(2025, 6, 1))
    patients.close_episode(
        db=db,
        episode_id=closed.id,
        close_in=EpisodeClose(version=closed.version, closed_on=date(2025, 9, 1)),
    )
    make_episode(db, hopper, presented_on=date(2026, 1, 10))
    make_episode(db, hopper, side=Side.RIGHT, presented_on=date(2026, 2, 1))
    hopkins = make_patient(db, north, mrn="N-2", given_name="Johns", family_name="Hopkins")
    make_episode(db, hopkins, presented_on=date(2026, 1, 20), cause=EpisodeCause.DIABETIC_FOOT)
    turing = make_patient(db, north, mrn="N-3", given_name="Alan", family_name="Turing")
    make_episode(db, turing, presented_on=date(2026, 1, 1))
    other = make_patient(db, south, mrn="S-1", given_name="Grace", family_name="Hopper")
    make_episode(db, other, presented_on=date(2026, 1, 15))
    return north, south


def _listed(
    db: Session, query: WorklistQuery, *, limit: int = 50, offset: int = 0
) -> tuple[list[tuple[str, date]], int]:
    rows, total = worklist(db=db, query=query, limit=limit, offset=offset)
    return [(row.patient.mrn, row.episode.presented_on) for row in rows], total


def _both_paths(
    db: Session, query: WorklistQuery, monkeypatch: pytest.MonkeyPatch, **page: int
) -> tuple[list[tuple[str, date]], int]:
    """The worklist from the matching patients, checked against the walk of every episode."""
    from_terms = _listed(db, query, **page)
    with monkeypatch.context() as walking:
        walking.setattr(worklist_module, "SEARCH_DRIVES_AT_MOST", 0)
        assert _listed(db, query, **page) == from_terms
    return from_terms


def test_a_patient_with_several_open_episodes_is_listed_once_per_open_episode(
    db: Session, sites: tuple[Site, Site], monkeypatch: pytest.MonkeyPatch
) -> None:
    north, _ = sites
    query = WorklistQuery(site_ids=[north.id], as_of=AS_OF, search="hopper")
    rows, total = _both_paths(db, query, monkeypatch)
    # The closed episode of 2025 is not listed; the south site's Hopper is not either.
    assert rows == [("N-1", date(2026, 1, 10)), ("N-1", date(2026, 2, 1))]
    assert total == 2


def test_a_prefix_matching_several_patients_lists_them_longest_waiting_first(
    db: Session, sites: tuple[Site, Site], monkeypatch: pytest.MonkeyPatch
) -> None:
    north, south = sites
    query = WorklistQuery(site_ids=[north.id, south.id], as_of=AS_OF, search="hop")
    rows, total = _both_paths(db, query, monkeypatch)
    assert rows == [
        ("N-1", date(2026, 1, 10)),
        ("S-1", date(2026, 1, 15)),
        ("N-2", date(2026, 1, 20)),
        ("N-1", date(2026, 2, 1)),
    ]
    assert total == 4


def test_pages_and_total_agree(
    db: Session, sites: tuple[Site, Site], monkeypatch: pytest.MonkeyPatch
) -> None:
    north, south = sites
    query = WorklistQuery(site_ids=[north.id, south.id], as_of=AS_OF, search="hop")
    pages = [_both_paths(db, query, monkeypatch, limit=3, offset=offset) for offset in (0, 3, 6)]
    assert [total for _, total in pages] == [4, 4, 4]
    assert [len(rows) for rows, _ in pages] == [3, 1, 0]
    everything, _ = _listed(db, query)
    assert [row for rows, _ in pages for row in rows] == everything


def test_every_word_must_match_and_other_conditions_still_apply(
    db: Session, sites: tuple[Site, Site], monkeypatch: pytest.MonkeyPatch
) -> None:
    north, south = sites
    both = [north.id, south.id]
    grace = WorklistQuery(site_ids=both, as_of=AS_OF, search="grace hop")
    assert _both_paths(db, grace, monkeypatch)[1] == 3
    diabetic = WorklistQuery(
        site_ids=both, as_of=AS_OF, search="hop", cause=EpisodeCause.DIABETIC_FOOT
    )
    assert _both_paths(db, diabetic, monkeypatch)[0] == [("N-2", date(2026, 1, 20))]
    imaging = frozenset({WorklistFilter.AWAITING_IMAGING})
    awaiting = WorklistQuery(site_ids=both, as_of=AS_OF, search="hopkins", filters=imaging)
    assert _both_paths(db, awaiting, monkeypatch)[1] == 1
    nobody = WorklistQuery(site_ids=both, as_of=AS_OF, search="hopper turing")
    assert _both_paths(db, nobody, monkeypatch) == ([], 0)
    mrn = WorklistQuery(site_ids=both, as_of=AS_OF, search="n-3")
    assert _both_paths(db, mrn, monkeypatch)[0] == [("N-3", date(2026, 1, 1))]


def test_conference_is_each_sites_own_week_when_the_weeks_differ(db: Session) -> None:
    # 2026-03-02 05:00 UTC is Monday evening at Kiritimati (UTC+14), its week 2–8 March, and
    # Sunday evening at Pago Pago (UTC-11), its week 23 February–1 March.
    monday = datetime(2026, 3, 2, 5, 0, tzinfo=UTC)
    east = make_site(db, code="east", name="East")
    west = make_site(db, code="west", name="West")
    east.settings = {"time_zone": "Pacific/Kiritimati"}
    west.settings = {"time_zone": "Pacific/Pago_Pago"}
    cases = {
        "E-MON": (east, date(2026, 3, 2)),  # east's week: listed
        "W-MON": (west, date(2026, 3, 2)),  # next week for west: not listed
        "W-FRI": (west, date(2026, 2, 27)),  # west's week: listed
        "E-FRI": (east, date(2026, 2, 27)),  # last week for east: not listed
    }
    for mrn, (site, on) in cases.items():
        episode = make_episode(db, make_patient(db, site, mrn=mrn), presented_on=date(2026, 2, 1))
        conference.add_case(
            db=db,
            episode_id=episode.id,
            case_in=ManualCaseIn(conference_on=on, reason="complex case"),
            site_ids=[site.id],
        )
    query = WorklistQuery(
        site_ids=[east.id, west.id],
        as_of=monday,
        filters=frozenset({WorklistFilter.CONFERENCE}),
    )
    rows, total = worklist(db=db, query=query)
    assert sorted(row.patient.mrn for row in rows) == ["E-MON", "W-FRI"]
    assert total == 2


def test_overdue_is_an_open_task_past_due(db: Session) -> None:
    site = make_site(db)
    due = {
        "OPEN-PAST": (TaskStatus.OPEN, AS_OF - timedelta(hours=1)),  # listed
        "OPEN-LATER": (TaskStatus.OPEN, AS_OF + timedelta(hours=1)),
        "DONE-PAST": (TaskStatus.DONE, AS_OF - timedelta(days=2)),
    }
    for mrn, (status, due_at) in due.items():
        episode = make_episode(db, make_patient(db, site, mrn=mrn))
        db.add(
            CareTask(
                patient_id=episode.patient_id,
                episode_id=episode.id,
                title="Book duplex",
                owner_role=CareRole.COORDINATOR,
                urgency=Urgency.URGENT,
                due_at=due_at,
                status=status,
                completed_at=AS_OF - timedelta(days=1) if status is TaskStatus.DONE else None,
            )
        )
    db.flush()
    overdue = frozenset({WorklistFilter.OVERDUE})
    rows, total = worklist(
        db=db, query=WorklistQuery(site_ids=[site.id], as_of=AS_OF, filters=overdue)
    )
    assert [row.patient.mrn for row in rows] == ["OPEN-PAST"]
    assert total == 1
