"""A selective search starts from its patients: episodes indexed by patient, status, date.

Replaces ix_episodes_patient_id (its first column); docs/benchmarks.md.

Revision ID: search_drive
Revises: clinician_facts
Create Date: 2026-11-21 21:10:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "search_drive"
down_revision: str | Sequence[str] | None = "clinician_facts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Index episodes by patient, status and presentation date, in place of the patient index."""
    with op.batch_alter_table("episodes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_episodes_patient_id_status", ["patient_id", "status", "presented_on"]
        )
        batch_op.drop_index("ix_episodes_patient_id")


def downgrade() -> None:
    """Back to the patient index."""
    with op.batch_alter_table("episodes", schema=None) as batch_op:
        batch_op.create_index("ix_episodes_patient_id", ["patient_id"])
        batch_op.drop_index("ix_episodes_patient_id_status")
