"""Patients' search terms: name/MRN search on an index (docs/web/README.md, "Search").

Creates `patient_search_terms` and fills it from every stored patient, in batches.

Revision ID: search_terms
Revises: sign_in_failures
Create Date: 2026-11-21 20:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from limbsalvage.core.search_terms import patient_terms

revision: str = "search_terms"
down_revision: str | Sequence[str] | None = "sign_in_failures"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH_PATIENTS = 10_000
SEARCH_TERM = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")


def upgrade() -> None:
    """Create the table and its index, then derive every stored patient's terms."""
    terms = op.create_table(
        "patient_search_terms",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("term", SEARCH_TERM, nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_patient_search_terms_patient_id_patients"),
        ),
        sa.PrimaryKeyConstraint("patient_id", "term", name=op.f("pk_patient_search_terms")),
    )
    assert terms is not None
    _backfill(terms)
    op.create_index("ix_patient_search_terms_term", "patient_search_terms", ["term", "patient_id"])


def _backfill(terms: sa.Table) -> None:
    connection = op.get_bind()
    patients = sa.table(
        "patients",
        sa.column("id", sa.Integer()),
        sa.column("given_name", sa.String()),
        sa.column("family_name", sa.String()),
        sa.column("mrn", sa.String()),
    )
    after = 0
    while True:
        batch = connection.execute(
            sa.select(patients.c.id, patients.c.given_name, patients.c.family_name, patients.c.mrn)
            .where(patients.c.id > after)
            .order_by(patients.c.id)
            .limit(BATCH_PATIENTS)
        ).all()
        if not batch:
            return
        rows = [
            {"patient_id": row.id, "term": term}
            for row in batch
            for term in sorted(
                patient_terms(given_name=row.given_name, family_name=row.family_name, mrn=row.mrn)
            )
        ]
        if rows:
            connection.execute(sa.insert(terms), rows)
        after = batch[-1].id


def downgrade() -> None:
    """Drop the table (its index goes with it)."""
    op.drop_index("ix_patient_search_terms_term", table_name="patient_search_terms")
    op.drop_table("patient_search_terms")
