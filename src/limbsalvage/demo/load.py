"""Load the synthetic cohort into the registry in bulk, with one summary audit entry.

Why one summary entry rather than one per row: the audit log exists to hold people to account
for changes to patient records. A demo load changes no real record; it is one act of one
operator, and its whole content is a pure function of (generator version, seed, patients,
as-of date, the ids it started from), all of which the entry stores, so the load can be
re-created and compared row for row. Per-row entries would add one hashed, chained row per
synthetic row (over a million at the largest size) and dominate the load time for no added
accountability. The demo sites and accounts are written through the ORM and audited per row.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from limbsalvage.accounts.models import Site, User
from limbsalvage.core.vocabulary import Role
from limbsalvage.db import audit
from limbsalvage.db.bulk import BulkWriter
from limbsalvage.db.clock import now
from limbsalvage.db.models import Base
from limbsalvage.demo import accounts, clinical, generator, rows
from limbsalvage.errors import Conflict, invalid
from limbsalvage.patients.models import Patient

GENERATOR_VERSION = "1"
DEFAULT_PATIENTS = 400
DEFAULT_SEED = 2014
MAX_PATIENTS = 1_000_000


@dataclass(frozen=True)
class LoadSummary:
    """What a demo load wrote."""

    seed: int
    patients: int
    as_of: date
    counts: dict[str, int]
    site_codes: list[str] = field(default_factory=list)
    user_emails: list[str] = field(default_factory=list)


def database_is_empty(db: Session) -> bool:
    """No sites, users or patients yet."""
    return not any(
        db.scalar(select(func.count()).select_from(model)) for model in (Site, User, Patient)
    )


def load_demo(
    *,
    db: Session,
    patients: int = DEFAULT_PATIENTS,
    seed: int = DEFAULT_SEED,
    as_of: date | None = None,
    append: bool = False,
    progress: Callable[[int], None] | None = None,
) -> LoadSummary:
    """Write the synthetic cohort; only into an empty database unless `append`."""
    if not 1 <= patients <= MAX_PATIENTS:
        raise invalid("patients", f"must be a whole number from 1 to {MAX_PATIENTS:,}")
    if seed < 0:
        raise invalid("seed", "must be a whole number from 0")
    today = now(db).date()
    as_of = as_of or today
    if as_of > today:
        raise invalid("as_of", f"must not be in the future (after {today.isoformat()})")
    if not append and not database_is_empty(db):
        raise Conflict(
            message=(
                "the database is not empty: demo data loads only into an empty database; "
                "use --append to add a synthetic cohort beside the data already there"
            )
        )
    sites = accounts.ensure_demo_sites(db)
    users = accounts.ensure_demo_users(db, sites)
    clinician = next(u for u in users if u.email == accounts.demo_email(Role.CLINICIAN))
    writer = BulkWriter(db)
    for index, cohort in enumerate(generator.generate(patients=patients, seed=seed)):
        _load_chunk(
            writer,
            cohort,
            seed=seed,
            index=index,
            site_ids=[site.id for site in sites],
            clinician_id=clinician.id,
            as_of=as_of,
        )
        if progress is not None:
            progress(cohort.patients)
    writer.finish()
    summary = LoadSummary(
        seed=seed,
        patients=patients,
        as_of=as_of,
        counts=dict(writer.counts),
        site_codes=[site.code for site in sites],
        user_emails=[user.email for user in users],
    )
    audit.record_access(
        db,
        action="demo_load",
        entity="demo",
        detail=json.dumps(
            {
                "generator_version": GENERATOR_VERSION,
                "seed": seed,
                "patients": patients,
                "as_of": as_of.isoformat(),
                "append": append,
                "rows": summary.counts,
                "sites": summary.site_codes,
            },
            sort_keys=True,
        ),
    )
    return summary


def _load_chunk(
    writer: BulkWriter,
    cohort: generator.Cohort,
    *,
    seed: int,
    index: int,
    site_ids: list[int],
    clinician_id: int,
    as_of: date,
) -> None:
    """Write one chunk: patients, limbs and episodes, then their clinical record."""
    tables = Base.metadata.tables
    details = np.random.default_rng([seed, index, 1])
    ids = rows.ChunkIds(
        patients=writer.reserve_ids(tables["patients"], cohort.patients),
        limbs=writer.reserve_ids(tables["limbs"], cohort.episodes),
        episodes=writer.reserve_ids(tables["episodes"], cohort.episodes),
    )
    patient_rows = rows.patient_rows(
        cohort, details, ids=ids.patients, site_ids=site_ids, as_of=as_of
    )
    sides = rows.episode_sides(cohort, details)
    limb_rows, limb_ids = rows.limb_rows(cohort, sides, ids=ids.limbs, patient_ids=ids.patients)
    context = clinical.Context(
        patient_ids=ids.patients,
        limb_ids=limb_ids,
        episode_ids=ids.episodes,
        index_dates=rows.index_dates(cohort, as_of),
        clinician_id=clinician_id,
        diabetes=[bool(r["diabetes"]) for r in patient_rows],
        baseline_ambulation=[str(r["ambulatory_status"].value) for r in patient_rows],
    )
    record = clinical.build(cohort, np.random.default_rng([seed, index, 2]), context)
    reserved = {
        table: writer.reserve_ids(tables[table], count) for table, count in record.counts().items()
    }
    clinical.link(record, reserved)
    index_procedure = {e: reserved["procedures"][key] for e, key in record.index_procedure.items()}
    episode_rows = rows.episode_rows(
        cohort, ids=ids.episodes, patient_ids=ids.patients, limb_ids=limb_ids, as_of=as_of
    )
    for e, row in enumerate(episode_rows):
        row["index_procedure_id"] = index_procedure.get(e)
    writer.insert(tables["patients"], patient_rows)
    writer.insert(tables["limbs"], limb_rows)
    writer.insert(tables["episodes"], episode_rows)
    for table in clinical.TABLES:
        if record.rows[table]:
            writer.insert(tables[table], record.rows[table])
