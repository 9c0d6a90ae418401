"""One table of throttle counts for sign-in and the public referral form (was sign_in_failures).

Each row names its purpose, so each throttle prunes its own window; the refused sign-ins already
counted are carried over.

Revision ID: throttle_events
Revises: worklist_filters
Create Date: 2026-11-21 21:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import limbsalvage.db.types

revision: str = "throttle_events"
down_revision: str | Sequence[str] | None = "worklist_filters"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create throttle_events, copy the refused sign-ins into it, drop sign_in_failures."""
    op.create_table(
        "throttle_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "purpose",
            sa.Enum(
                "sign_in",
                "referral",
                name="throttle_purpose",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("counted_at", limbsalvage.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_throttle_events")),
    )
    with op.batch_alter_table("throttle_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_throttle_events_purpose_key_hash_counted_at",
            ["purpose", "key_hash", "counted_at"],
            unique=False,
        )
        batch_op.create_index(
            "ix_throttle_events_purpose_counted_at", ["purpose", "counted_at"], unique=False
        )
    op.execute(
        "INSERT INTO throttle_events (purpose, key_hash, counted_at) "
        "SELECT 'sign_in', key_hash, failed_at FROM sign_in_failures"
    )
    with op.batch_alter_table("sign_in_failures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_in_failures_failed_at"))
        batch_op.drop_index("ix_sign_in_failures_key_hash_failed_at")
    op.drop_table("sign_in_failures")


def downgrade() -> None:
    """Back to sign_in_failures with the refused sign-ins; the referral counts are dropped."""
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
    op.execute(
        "INSERT INTO sign_in_failures (key_hash, failed_at) "
        "SELECT key_hash, counted_at FROM throttle_events WHERE purpose = 'sign_in'"
    )
    with op.batch_alter_table("throttle_events", schema=None) as batch_op:
        batch_op.drop_index("ix_throttle_events_purpose_counted_at")
        batch_op.drop_index("ix_throttle_events_purpose_key_hash_counted_at")
    op.drop_table("throttle_events")
