"""Clinician facts stored per episode (append-only), and the facts each recommendation used.

Revision ID: clinician_facts
Revises: search_terms
Create Date: 2026-11-21 20:13:35.598692
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import limbsalvage.db.types

revision: str = "clinician_facts"
down_revision: str | Sequence[str] | None = "search_terms"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """The clinician_facts table; recommendations.clinician_facts (NULL on earlier rows)."""
    op.create_table(
        "clinician_facts",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("episode_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", limbsalvage.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", limbsalvage.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", limbsalvage.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_clinician_facts_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["episode_id"], ["episodes.id"], name=op.f("fk_clinician_facts_episode_id_episodes")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_clinician_facts_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_clinician_facts_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_clinician_facts_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinician_facts")),
    )
    with op.batch_alter_table("clinician_facts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_clinician_facts_episode_name", ["episode_id", "name", "id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_clinician_facts_patient_id"), ["patient_id"], unique=False
        )

    with op.batch_alter_table("recommendations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("clinician_facts", sa.JSON(none_as_null=True), nullable=True))


def downgrade() -> None:
    """Drop both."""
    with op.batch_alter_table("recommendations", schema=None) as batch_op:
        batch_op.drop_column("clinician_facts")

    with op.batch_alter_table("clinician_facts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clinician_facts_patient_id"))
        batch_op.drop_index("ix_clinician_facts_episode_name")

    op.drop_table("clinician_facts")
