"""`limbsalvage admin …`: purge a patient (audited, photo files removed after the commit) and
sweep photo files no row names."""

import click

from limbsalvage.assessments.photo_files import sweep_orphan_photo_files
from limbsalvage.db import configured_engine
from limbsalvage.db.session import make_sessionmaker, unit_of_work
from limbsalvage.patients.service import purge_patient
from limbsalvage.settings import get_settings


@click.group(name="admin")
def admin_group() -> None:
    """Administration of registry data (docs/registry/README.md)."""


@admin_group.command(name="purge-patient")
@click.argument("patient_id", type=int)
@click.option("--reason", required=True, help="why the patient is purged (kept in the audit log)")
def purge_patient_command(patient_id: int, reason: str) -> None:
    """Remove PATIENT_ID with every row of their data, then their photo files; audited."""
    settings = get_settings()
    with configured_engine(settings) as engine, unit_of_work(make_sessionmaker(engine)) as db:
        counts = purge_patient(db=db, patient_id=patient_id, reason=reason, settings=settings)
    rows = sum(counts.values())
    click.echo(f"patient {patient_id} purged: {rows} clinical row(s) and the patient removed")


@admin_group.command(name="sweep-photos")
def sweep_photos_command() -> None:
    """Remove photo files that no photo row names (written more than an hour ago)."""
    settings = get_settings()
    with configured_engine(settings) as engine, unit_of_work(make_sessionmaker(engine)) as db:
        removed = sweep_orphan_photo_files(db=db, data_dir=settings.data_dir)
    click.echo(f"{removed} photo file(s) removed")
