"""The worklist's index: open episodes in order of presentation (docs/benchmarks.md).

Revision ID: worklist_index
Revises: web_sessions
Create Date: 2026-11-21 18:11:34.767885
"""

from collections.abc import Sequence

from alembic import op

revision: str = "worklist_index"
down_revision: str | Sequence[str] | None = "web_sessions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Index episodes by status, then presentation date and id."""
    with op.batch_alter_table("episodes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_episodes_status_presented_on", ["status", "presented_on", "id"], unique=False
        )


def downgrade() -> None:
    """Drop the index."""
    with op.batch_alter_table("episodes", schema=None) as batch_op:
        batch_op.drop_index("ix_episodes_status_presented_on")
