"""`demo load` at scale: the whole load against generating the same rows without a database.

Times, in one process and for the same seed and size:
  1. the baseline: the cohort's rows built exactly as `load_demo` builds them (generator,
     patient/limb/episode rows, clinical record, id links) and thrown away — no database;
  2. `load_demo` into an empty SQLite (or PostgreSQL) database, one transaction, committed.
Prints patients, limbs, rows, seconds, rows per second, the ratio and the peak resident memory
after each step; record them in docs/benchmarks.md.

    .venv/bin/python bench/bench_demo_load.py [--patients 100000] [--url-base sqlite|postgresql]
"""

import argparse
import resource
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Table

from limbsalvage.db.engine import make_engine
from limbsalvage.db.migrate import upgrade_database
from limbsalvage.db.session import make_sessionmaker, unit_of_work
from limbsalvage.demo import generator
from limbsalvage.demo.load import _load_chunk, load_demo

PG_SERVER = "postgresql://postgres@127.0.0.1:5432/test"
AS_OF = date(2026, 11, 1)
SEED = 20260101


class NullWriter:
    """Reserves ids from counters and counts rows; writes nothing (the baseline)."""

    def __init__(self) -> None:
        self.next_id: Counter[str] = Counter()
        self.counts: Counter[str] = Counter()

    def reserve_ids(self, table: Table, count: int) -> range:
        start = self.next_id[table.name] + 1
        self.next_id[table.name] += count
        return range(start, start + count)

    def insert(self, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        self.counts[table.name] += len(rows)


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate_only(patients: int) -> tuple[float, Counter[str]]:
    writer = NullWriter()
    started = time.perf_counter()
    for index, cohort in enumerate(generator.generate(patients=patients, seed=SEED)):
        _load_chunk(
            writer,  # type: ignore[arg-type]  # duck-typed: the baseline writes nothing
            cohort,
            seed=SEED,
            index=index,
            site_ids=[1, 2],
            clinician_id=1,
            as_of=AS_OF,
        )
    return time.perf_counter() - started, writer.counts


def load(url: str, patients: int) -> tuple[float, dict[str, int]]:
    engine = make_engine(url)
    upgrade_database(engine)
    started = time.perf_counter()
    with unit_of_work(make_sessionmaker(engine)) as db:
        summary = load_demo(db=db, patients=patients, seed=SEED, as_of=AS_OF)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed, summary.counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--url-base", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    base, counts = generate_only(args.patients)
    rows = sum(counts.values())
    print(f"patients {args.patients:,}  limbs {counts['limbs']:,}  rows {rows:,}")
    print(f"baseline (rows built, no database): {base:.1f} s, {rows / base:,.0f} rows/s, "
          f"peak RSS {peak_mib():,.0f} MiB")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        if args.url_base == "sqlite":
            url = f"sqlite:///{Path(folder) / 'demo.sqlite3'}"
            elapsed, written = load(url, args.patients)
            size = (Path(folder) / "demo.sqlite3").stat().st_size / 2**20
        else:
            name = f"bench_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(PG_SERVER, autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
            try:
                url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
                elapsed, written = load(url, args.patients)
                size = float("nan")
            finally:
                with psycopg.connect(PG_SERVER, autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    total = sum(written.values())
    print(f"demo load ({args.url_base}): {elapsed:.1f} s, {total / elapsed:,.0f} rows/s, "
          f"database {size:,.0f} MiB, peak RSS {peak_mib():,.0f} MiB")  # fmt: skip
    print(f"ratio load / baseline: {elapsed / base:.2f}")


if __name__ == "__main__":
    main()
