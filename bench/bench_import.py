"""CSV import rate against a bare bulk insert of the same rows, in one process.

Loads a synthetic cohort (`limbsalvage demo load`) into a scratch database, exports it with
`limbsalvage export csv`, then times, in this one process:
  1. the baseline: a bare Core bulk insert (executemany, 5,000 rows a statement) of exactly the
     rows the files hold, already in memory as Python values, into an empty database;
  2. `import_csv`: reading the files, validating every row (cells, schema, dates, references,
     uniqueness, life span) and the same bulk insert, into another empty database.
Prints rows, seconds, rows per second and the ratio; record them in docs/benchmarks.md.

    .venv/bin/python bench/bench_import.py [--patients 100000] [--url-base sqlite|postgresql]
"""

import argparse
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from argon2 import PasswordHasher
from sqlalchemy import Engine, insert, select

from limbsalvage.accounts import passwords
from limbsalvage.db.engine import make_engine
from limbsalvage.db.migrate import upgrade_database
from limbsalvage.db.session import make_sessionmaker, unit_of_work
from limbsalvage.demo.load import load_demo
from limbsalvage.exchange.export import export_csv
from limbsalvage.exchange.importer import import_csv
from limbsalvage.exchange.tables import exchanged_columns, exchanged_tables

PG_SERVER = "postgresql://postgres@127.0.0.1:5432/test"
CHUNK = 5000


@contextmanager
def scratch_database(backend: str, directory: Path) -> Iterator[Engine]:
    """An empty migrated database, removed afterwards."""
    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{directory / f'{uuid.uuid4().hex}.sqlite3'}")
        upgrade_database(engine)
        yield engine
        engine.dispose()
        return
    name = f"limbsalvage_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_SERVER, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    engine = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
    try:
        upgrade_database(engine)
        yield engine
    finally:
        engine.dispose()
        with psycopg.connect(PG_SERVER, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def stored_rows(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every exchanged row of `engine`, as the dicts a bulk insert takes."""
    with engine.connect() as connection:
        return {
            table.name: [
                dict(row._mapping) for row in connection.execute(select(*exchanged_columns(table)))
            ]
            for table in exchanged_tables()
        }


def bare_insert(engine: Engine, rows: dict[str, list[dict[str, Any]]]) -> float:
    """Seconds to insert `rows` table by table with a plain executemany, one transaction."""
    start = time.perf_counter()
    with engine.begin() as connection:
        for table in exchanged_tables():
            data = rows[table.name]
            for first in range(0, len(data), CHUNK):
                connection.execute(insert(table), data[first : first + CHUNK])
    return time.perf_counter() - start


def run(patients: int, backend: str) -> None:
    """Print the figures of one run."""
    # Demo accounts are four rows; cheap hashes keep the set-up short (not part of any timing).
    passwords._HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch)
        with scratch_database(backend, directory) as source:
            with unit_of_work(make_sessionmaker(source)) as db:
                load_demo(db=db, patients=patients, seed=2014)
            with unit_of_work(make_sessionmaker(source)) as db:
                summary = export_csv(db=db, directory=directory / "csv")
            rows = stored_rows(source)
        total = sum(summary.rows.values())
        size = sum(p.stat().st_size for p in (directory / "csv").glob("*.csv"))
        with scratch_database(backend, directory) as bare:
            bare_seconds = bare_insert(bare, rows)
        del rows
        with scratch_database(backend, directory) as target:
            start = time.perf_counter()
            with unit_of_work(make_sessionmaker(target)) as db:
                report = import_csv(db=db, directory=directory / "csv")
            import_seconds = time.perf_counter() - start
        assert not report.problems, report.problems[:5]
    print(f"backend                 {backend}")
    print(f"patients                {patients:,}")
    print(f"rows (all tables)       {total:,}  ({size / 1e6:.1f} MB of CSV)")
    print(f"bare bulk insert        {bare_seconds:.2f} s  ({total / bare_seconds:,.0f} rows/s)")
    print(f"import csv (validated)  {import_seconds:.2f} s  ({total / import_seconds:,.0f} rows/s)")
    print(f"import / bare insert    {import_seconds / bare_seconds:.2f}x")


def main() -> None:
    """Parse the options and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    arguments = parser.parse_args()
    run(arguments.patients, arguments.backend)


if __name__ == "__main__":
    main()
