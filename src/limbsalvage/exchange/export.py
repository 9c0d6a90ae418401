"""`limbsalvage export csv DIR`: one file per table, streamed in id order; the export is audited."""

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from limbsalvage.db import audit
from limbsalvage.exchange.columns import codec_for
from limbsalvage.exchange.tables import exchanged_columns, exchanged_tables, file_name

STREAM_ROWS = 5000


@dataclass(frozen=True)
class ExportSummary:
    """Rows written per file."""

    directory: Path
    rows: dict[str, int]
    deidentified: bool = False


def prepare_directory(directory: Path) -> None:
    """Create the directory; refuse one that already holds CSV files (never overwrite)."""
    directory.mkdir(parents=True, exist_ok=True)
    existing = sorted(p.name for p in directory.glob("*.csv"))
    if existing:
        raise FileExistsError(
            17,
            f"already holds CSV files ({', '.join(existing[:3])}…); choose an empty directory",
            str(directory),
        )


def count_rows(db: Session, table: Table) -> int:
    """Rows stored in `table`."""
    return int(db.scalar(select(func.count()).select_from(table)) or 0)


def export_csv(
    *, db: Session, directory: Path, progress: Callable[[int], None] | None = None
) -> ExportSummary:
    """Write every exchanged table to `directory`, exactly as stored."""
    prepare_directory(directory)
    rows: dict[str, int] = {}
    connection = db.connection()
    for table in exchanged_tables():
        columns = exchanged_columns(table)
        codecs = [codec_for(c) for c in columns]
        query = select(*columns).order_by(*table.primary_key.columns)
        written = 0
        with (directory / file_name(table)).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow([c.name for c in columns])
            result = connection.execute(query.execution_options(yield_per=STREAM_ROWS))
            for partition in result.partitions():
                writer.writerows(
                    [codec.encode(value) for codec, value in zip(codecs, row, strict=True)]
                    for row in partition
                )
                written += len(partition)
                if progress is not None:
                    progress(len(partition))
        rows[table.name] = written
    audit.record_access(
        db,
        action="export",
        entity="registry",
        detail=json.dumps({"format": "csv", "deidentified": False, "rows": rows}, sort_keys=True),
    )
    return ExportSummary(directory=directory, rows=rows)
