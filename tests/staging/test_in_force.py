"""The snapshot in force has one definition (`staging.in_force`), and every reader agrees on it:
latest staging date, then the last stored — also when two snapshots share the date and the
instant, and when a newer row carries an older date. SQLite and PostgreSQL."""

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from limbsalvage.core.vocabulary import Side, StagingStatus
from limbsalvage.patients.models import Episode
from limbsalvage.recommendations.refresh import pathway_record
from limbsalvage.staging.current import current_snapshot as current_reexported
from limbsalvage.staging.in_force import current_snapshot, in_force_ids
from limbsalvage.staging.models import StagingSnapshot
from limbsalvage.staging.service import restage
from limbsalvage.web.patient_views import latest_wifi_stages
from tests.conftest import FIXED_NOW
from tests.support.factories import make_episode, make_patient, make_site


@pytest.fixture
def episode(db: Session) -> Episode:
    return make_episode(db, make_patient(db, make_site(db)))


def stored(db: Session, episode: Episode, as_of: date, *, stage: int) -> StagingSnapshot:
    """A snapshot of `as_of` with WIfI stage and wound grade `stage`, computed at one instant."""
    snapshot = StagingSnapshot(
        patient_id=episode.patient_id,
        episode_id=episode.id,
        as_of=as_of,
        computed_at=FIXED_NOW,
        engine_version="test",
        table_refs=[],
        trigger="test",
        inputs={"findings": {}},
        results={},
        stale=[],
        missing=[],
        status=StagingStatus.PROPOSED,
        wifi_stage=stage,
        wifi_wound_grade=stage - 1,
    )
    db.add(snapshot)
    db.flush()
    return snapshot


def in_force(db: Session, episode_ids: list[int]) -> dict[int, int]:
    return {r.episode_id: r.snapshot_id for r in db.execute(select(in_force_ids(episode_ids)))}


def readers(db: Session, episode: Episode) -> dict[str, object]:
    """What each reader takes as the episode's snapshot in force (its id, or its stage)."""
    ids = in_force(db, [episode.id])
    one = current_snapshot(db, episode.id)
    return {
        "current_snapshot": one.id if one else None,
        "staging.current": (s.id if (s := current_reexported(db, episode.id)) else None),
        "in_force_ids": ids.get(episode.id),
        "episodes table": latest_wifi_stages(db, [episode.id]).get(episode.id),
        "pathway": pathway_record(db, episode).get("wound_grade"),
    }


def test_same_date_and_instant_the_last_stored_is_in_force(db: Session, episode: Episode) -> None:
    stored(db, episode, date(2026, 2, 1), stage=2)
    last = stored(db, episode, date(2026, 2, 1), stage=3)
    assert readers(db, episode) == {
        "current_snapshot": last.id,
        "staging.current": last.id,
        "in_force_ids": last.id,
        "episodes table": 3,
        "pathway": 2,  # wound grade of the last stored
    }


def test_a_newer_row_of_an_older_date_is_not_in_force(db: Session, episode: Episode) -> None:
    # An older finding entered later stores a newer row dated before the staging in force.
    later = stored(db, episode, date(2026, 3, 1), stage=4)
    stored(db, episode, date(2026, 2, 1), stage=1)
    assert readers(db, episode) == {
        "current_snapshot": later.id,
        "staging.current": later.id,
        "in_force_ids": later.id,
        "episodes table": 4,
        "pathway": 3,
    }


def test_many_episodes_in_one_query(db: Session, episode: Episode) -> None:
    other = make_episode(db, episode.limb.patient, side=Side.RIGHT)
    never_staged = make_episode(db, make_patient(db, make_site(db, "south"), mrn="MRN-2"))
    mine = stored(db, episode, date(2026, 3, 1), stage=2)
    stored(db, episode, date(2026, 2, 1), stage=1)
    stored(db, other, date(2026, 2, 1), stage=1)
    theirs = stored(db, other, date(2026, 2, 1), stage=3)
    ids = [episode.id, other.id, never_staged.id]
    assert in_force(db, ids) == {
        episode.id: mine.id,
        other.id: theirs.id,
    }
    assert latest_wifi_stages(db, ids) == {episode.id: 2, other.id: 3}


def test_restage_reruns_on_the_date_in_force(db: Session, episode: Episode) -> None:
    stored(db, episode, date(2026, 3, 1), stage=4)
    stored(db, episode, date(2026, 2, 1), stage=1)
    proposal = restage(db=db, episode_id=episode.id)
    assert proposal.snapshot.as_of == date(2026, 3, 1)
    assert current_snapshot(db, episode.id) == proposal.snapshot
