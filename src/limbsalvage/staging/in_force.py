"""Which staging snapshot of an episode is in force: the one definition, used everywhere.

The snapshot in force is the one with the latest staging date (`as_of`); of several with that
date, the last stored (highest id). Ids, not `computed_at`, break the tie: two snapshots stored in
one transaction share the clock's instant, and an older finding entered later gives a newer row
with an earlier date (`staging.current.bring_current` then restages on the later date only when
what staging sees differs), so neither the newest row nor the newest instant is the staging in
force. The chart's staging panel, the episodes table, the API's `wifi_stage`, the worklist, the
pathway's input and a restage all read it from here.
"""

from collections.abc import Collection

from sqlalchemy import Subquery, func, select
from sqlalchemy.orm import Session

from limbsalvage.staging.models import StagingSnapshot

# Latest staging date first, then the last stored of that date.
IN_FORCE_ORDER = (StagingSnapshot.as_of.desc(), StagingSnapshot.id.desc())


def current_snapshot(db: Session, episode_id: int) -> StagingSnapshot | None:
    """The episode's snapshot in force (None when never staged)."""
    return db.scalar(
        select(StagingSnapshot)
        .where(StagingSnapshot.episode_id == episode_id)
        .order_by(*IN_FORCE_ORDER)
        .limit(1)
    )


def in_force_ids(episode_ids: Collection[int]) -> Subquery:
    """(`episode_id`, `snapshot_id`) of the snapshot in force of each of the episodes: join it
    to read many episodes' staging in one query."""
    ranked = (
        select(
            StagingSnapshot.episode_id,
            StagingSnapshot.id.label("snapshot_id"),
            func.row_number()
            .over(partition_by=StagingSnapshot.episode_id, order_by=IN_FORCE_ORDER)
            .label("rank"),
        )
        .where(StagingSnapshot.episode_id.in_(episode_ids))
        .subquery()
    )
    return select(ranked.c.episode_id, ranked.c.snapshot_id).where(ranked.c.rank == 1).subquery()


__all__ = ["IN_FORCE_ORDER", "current_snapshot", "in_force_ids"]
