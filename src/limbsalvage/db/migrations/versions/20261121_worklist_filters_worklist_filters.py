"""The worklist's filters on indexes: overdue tasks, current recommendations, episodes by cause.

docs/benchmarks.md ("Search from its patients, filters from their own rows").

Revision ID: worklist_filters
Revises: search_drive
Create Date: 2026-11-21 21:20:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "worklist_filters"
down_revision: str | Sequence[str] | None = "search_drive"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Three indexes, each answering one worklist filter from the index alone."""
    with op.batch_alter_table("care_tasks", schema=None) as batch_op:
        batch_op.create_index("ix_care_tasks_status_due_at", ["status", "due_at", "episode_id"])
    with op.batch_alter_table("recommendations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_recommendations_category_current",
            ["category", "superseded_at", "state", "episode_id"],
        )
    with op.batch_alter_table("episodes", schema=None) as batch_op:
        batch_op.create_index("ix_episodes_status_cause", ["status", "cause", "presented_on", "id"])


def downgrade() -> None:
    """Drop them."""
    with op.batch_alter_table("episodes", schema=None) as batch_op:
        batch_op.drop_index("ix_episodes_status_cause")
    with op.batch_alter_table("recommendations", schema=None) as batch_op:
        batch_op.drop_index("ix_recommendations_category_current")
    with op.batch_alter_table("care_tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_care_tasks_status_due_at")
