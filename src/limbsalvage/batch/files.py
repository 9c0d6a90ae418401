"""Classify every record of a CSV or JSON Lines file, one output row per input row.

A bad row never stops the run: its `error` column says what is wrong and its result columns are
empty. Columns that are not inputs of the system (limb ids, dates…) are carried through unchanged.
Each row names its explanation by `rule`; the legend `<output>.rules.json` holds, once per file,
each rule's text, provenance and tables, and each table's full citation and how it was checked.
"""

import csv
import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, TextIO

from rich.progress import Progress

from limbsalvage.batch.rows import Legend, classify_row, csv_text
from limbsalvage.batch.vectorised import classify_csv
from limbsalvage.core.fields import System

PROGRESS_MIN_ROWS = 10_000


class BatchFormat(StrEnum):
    """File formats for batch classification."""

    CSV = "csv"
    JSONL = "jsonl"


class BatchError(Exception):
    """The file as a whole cannot be processed (unreadable, wrong format, no known column)."""


@dataclass(frozen=True)
class BatchSummary:
    """What a batch run did."""

    rows: int
    classified: int
    errors: int
    seconds: float
    output: Path

    def describe(self) -> str:
        """One line for the terminal."""
        return (
            f"{self.rows} rows: {self.classified} classified, {self.errors} with errors "
            f"→ {self.output} ({self.seconds:.2f} s)"
        )


def detect_format(path: Path, declared: str | None) -> BatchFormat:
    """The declared format, else the one the file extension names."""
    if declared:
        return BatchFormat(declared)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return BatchFormat.CSV
    if suffix in {".jsonl", ".ndjson"}:
        return BatchFormat.JSONL
    raise BatchError(f"{path}: cannot tell the format from '{suffix}'; use --format csv|jsonl")


def _csv_records(handle: TextIO) -> Iterator[dict[str, Any]]:
    reader = csv.DictReader(handle)
    if not reader.fieldnames:
        raise BatchError("the CSV file has no header row")
    yield from reader


def _jsonl_records(handle: TextIO) -> Iterator[dict[str, Any]]:
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise BatchError(f"line {number}: not valid JSON ({error.msg})") from None
        if not isinstance(record, dict):
            raise BatchError(f"line {number}: expected a JSON object, got {type(record).__name__}")
        yield record


def write_legend(legend: Legend, output: Path) -> Path:
    """Write `<output>.rules.json`: the explanation of every rule id and every table used."""
    target = output.with_name(output.name + ".rules.json")
    text = json.dumps(legend.as_dict(), ensure_ascii=False, indent=2)
    target.write_text(text + "\n", encoding="utf-8")
    return target


@contextmanager
def _progress(total: int) -> Iterator[Callable[[], None]]:
    """A progress bar on a terminal for long files; a no-op otherwise."""
    if total < PROGRESS_MIN_ROWS or not sys.stderr.isatty():
        yield lambda: None
        return
    with Progress(transient=True) as bar:  # pragma: no cover — needs a terminal
        task = bar.add_task("classifying", total=total)
        yield lambda: bar.advance(task)


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


def classify_file(
    system: System,
    source: Path,
    output: Path,
    *,
    file_format: str | None = None,
    progress: bool = False,
    vectorised: bool = True,
) -> BatchSummary:
    """Classify every record of `source` into `output` (same format), one row per record.

    CSV files of systems with a fast path are classified vectorised unless `vectorised` is
    False; both paths write the same rows (the benchmark and tests compare them).
    """
    started = time.perf_counter()
    kind = detect_format(source, file_format)
    if not source.is_file():
        raise BatchError(f"{source}: no such file")
    legend = Legend()
    # Written beside the target and moved into place only when complete: a file that fails
    # half-way (not UTF-8, unreadable) leaves no half-written output behind.
    partial = output.with_name(output.name + ".partial")
    try:
        fast = vectorised and kind is BatchFormat.CSV
        done = classify_csv(system, source, partial, legend) if fast else None
        if done is None:
            done = _classify_rows(system, source, partial, kind, legend, progress=progress)
        partial.replace(output)
    except UnicodeDecodeError as error:
        raise BatchError(
            f"{source}: not UTF-8 text (byte 0x{error.object[error.start]:02x} at offset "
            f"{error.start}); save the file as UTF-8"
        ) from None
    finally:
        partial.unlink(missing_ok=True)
    rows, errors = done
    write_legend(legend, output)
    return BatchSummary(rows, rows - errors, errors, time.perf_counter() - started, output)


def _classify_rows(
    system: System,
    source: Path,
    output: Path,
    kind: BatchFormat,
    legend: Legend,
    *,
    progress: bool,
) -> tuple[int, int]:
    total = _count_lines(source) if progress else 0
    rows = errors = 0
    with source.open(newline="", encoding="utf-8-sig") as handle, _progress(total) as advance:
        records = _csv_records(handle) if kind is BatchFormat.CSV else _jsonl_records(handle)
        with output.open("w", newline="", encoding="utf-8") as sink:
            writer: csv.DictWriter[str] | None = None
            for record in records:
                row = classify_row(system, record, legend)
                rows += 1
                errors += row["error"] is not None
                if kind is BatchFormat.JSONL:
                    sink.write(json.dumps(row, ensure_ascii=False) + "\n")
                else:
                    if writer is None:
                        writer = csv.DictWriter(sink, fieldnames=list(row), extrasaction="ignore")
                        writer.writeheader()
                    writer.writerow({k: csv_text(v) for k, v in row.items()})
                advance()
    return rows, errors
