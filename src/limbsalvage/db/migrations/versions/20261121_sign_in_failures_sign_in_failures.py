"""Refused sign-ins kept in the database, so throttling survives restarts and spans workers.

Revision ID: sign_in_failures
Revises: worklist_index
Create Date: 2026-11-21 20:12:03.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import limbsalvage.db.types

revision: str = "sign_in_failures"
down_revision: str | Sequence[str] | None = "worklist_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the table and its two indexes (per key in time order; by time for pruning)."""
    op.create_table(
        "sign_in_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("failed_at", limbsalvage.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_failures")),
    )
    with op.batch_alter_table("sign_in_failures", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sign_in_failures_key_hash_failed_at", ["key_hash", "failed_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sign_in_failures_failed_at"), ["failed_at"], unique=False
        )


def downgrade() -> None:
    """Drop the table."""
    with op.batch_alter_table("sign_in_failures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_in_failures_failed_at"))
        batch_op.drop_index("ix_sign_in_failures_key_hash_failed_at")
    op.drop_table("sign_in_failures")
