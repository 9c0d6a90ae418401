"""Photo files leave the data folder once the rows that named them are gone, after the commit.

Files are removed only after the transaction that deleted their rows commits (a rollback keeps
them, since the rows are back), and only files no photo row still names (the store is content
addressed, so one file may serve two rows of the same patient). Removing is best effort: the
commit has already happened, so a file that cannot be removed is logged by count and left for
`sweep_orphan_photo_files`, never raised.
"""

import contextlib
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction

from limbsalvage.assessments.models import Photo

PENDING = "photo_files_pending"
KEEP = "photo_files_keep"
PHOTOS = "photos"
# A file younger than this may belong to a photo whose row is not yet committed (the file is
# written before the row); the sweep leaves it for the next run.
SWEEP_MIN_AGE_SECONDS = 3600.0
logger = logging.getLogger(__name__)


@dataclass
class _Pending:
    folders: dict[tuple[Path, int], set[str]] = field(default_factory=dict)


def remove_after_commit(db: Session, *, data_dir: Path, patient_ids: Iterable[int]) -> None:
    """Remove these patients' unreferenced photo files once this transaction commits."""
    pending: _Pending = db.info.setdefault(PENDING, _Pending())
    for patient_id in patient_ids:
        pending.folders.setdefault((data_dir, patient_id), set())


def _folder(data_dir: Path, patient_id: int) -> Path:
    return data_dir / PHOTOS / str(patient_id)


@event.listens_for(Session, "before_commit")
def _note_referenced(session: Session) -> None:
    pending: _Pending | None = session.info.get(PENDING)
    if pending is None:
        return
    patient_ids = {patient_id for _, patient_id in pending.folders}
    named = session.execute(
        select(Photo.patient_id, Photo.file_path).where(Photo.patient_id.in_(patient_ids))
    )
    kept: dict[int, set[str]] = {}
    for patient_id, file_path in named:
        kept.setdefault(patient_id, set()).add(Path(file_path).name)
    for (_data_dir, patient_id), keep in pending.folders.items():
        keep.update(kept.get(patient_id, set()))


@event.listens_for(Session, "after_commit")
def _remove(session: Session) -> None:
    pending: _Pending | None = session.info.pop(PENDING, None)
    if pending is None:
        return
    failed = 0
    for (data_dir, patient_id), keep in pending.folders.items():
        failed += _remove_unnamed(_folder(data_dir, patient_id), keep)[1]
    if failed:
        logger.warning("%d photo file(s) could not be removed; run the photo sweep", failed)


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: SessionTransaction) -> None:
    # The outermost transaction ended without a commit (rolled back or closed): keep the files.
    if transaction.parent is None:
        session.info.pop(PENDING, None)


def _remove_unnamed(
    folder: Path, keep: set[str], *, older_than: float | None = None
) -> tuple[int, int]:
    """Remove the folder's files not in `keep` (and the folder once empty): removed, failed."""
    if not folder.is_dir():
        return 0, 0
    removed = failed = 0
    for path in folder.iterdir():
        if path.name in keep or path.name.endswith(".partial"):
            continue
        try:
            if older_than is not None and path.stat().st_mtime > older_than:
                continue
            path.unlink()
            removed += 1
        except OSError:
            failed += 1
    # Not empty: kept files (or ones that could not be removed) remain, and so does the folder.
    with contextlib.suppress(OSError):
        folder.rmdir()
    return removed, failed


def sweep_orphan_photo_files(*, db: Session, data_dir: Path) -> int:
    """Remove photo files no row names (written over an hour ago); the number removed."""
    root = data_dir / PHOTOS
    if not root.is_dir():
        return 0
    named: dict[str, set[str]] = {}
    for patient_id, file_path in db.execute(select(Photo.patient_id, Photo.file_path)):
        named.setdefault(str(patient_id), set()).add(Path(file_path).name)
    cutoff = time.time() - SWEEP_MIN_AGE_SECONDS
    removed = 0
    for folder in [f for f in root.iterdir() if f.is_dir()]:
        removed += _remove_unnamed(folder, named.get(folder.name, set()), older_than=cutoff)[0]
    return removed
