"""Registry-scale WIfI restaging: vectorised path vs row-by-row path vs bare CSV read+write.

Generates a synthetic registry extract (grades for half the limbs, raw perfusion values for the
rest), then times, in this one process:
  1. bare read + write of the same CSV with pyarrow (the I/O floor),
  2. `limbsalvage classify wifi --input --output` through the vectorised path,
  3. the row-by-row path (on the first --row-path-rows rows, scaled per row).
Prints the figures and the ratios; record them in docs/benchmarks.md.

    .venv/bin/python bench/bench_wifi_batch.py [--rows 1000000] [--row-path-rows 100000]
"""

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from limbsalvage.batch.files import classify_file
from limbsalvage.batch.vectorised import read_text_csv
from limbsalvage.core.registry import SYSTEMS


def make_registry(rows: int, path: Path, seed: int = 2014) -> None:
    """A CSV of WIfI inputs: half with an ischemia grade, half with raw perfusion values."""
    rng = np.random.default_rng(seed)
    graded = rng.random(rows) < 0.5
    diabetic = rng.random(rows) < 0.6

    def maybe(values: np.ndarray, keep: np.ndarray) -> pa.Array:
        return pa.array(np.where(keep, values, ""))

    toe = np.round(rng.uniform(5, 110, rows), 0).astype(np.int64).astype(str)
    ankle = np.round(rng.uniform(20, 180, rows), 0).astype(np.int64).astype(str)
    columns = {
        "limb_id": pa.array(np.char.add("L", np.arange(rows).astype(str))),
        "wound_grade": pa.array(rng.integers(0, 4, rows).astype(str)),
        "ischemia_grade": maybe(rng.integers(0, 4, rows).astype(str), graded),
        "infection_grade": pa.array(rng.integers(0, 4, rows).astype(str)),
        "ankle_pressure_mmhg": maybe(ankle, ~graded & ~diabetic),
        "toe_pressure_mmhg": maybe(toe, ~graded & diabetic),
        "diabetes": pa.array(np.where(diabetic, "yes", "no")),
    }
    pacsv.write_csv(pa.table(columns), path)


def bare_read_write(source: Path, target: Path) -> None:
    """The I/O floor: read the CSV exactly as the fast path does, and write it back."""
    names = source.open().readline().strip().replace('"', "").split(",")
    pacsv.write_csv(read_text_csv(source, names), target)


def read_and_write(source: Path, table: pa.Table, target: Path) -> None:
    """The I/O floor for this output: read the input, write a table as large as the output."""
    names = source.open().readline().strip().replace('"', "").split(",")
    read_text_csv(source, names)
    pacsv.write_csv(table, target)


def timed(action: Callable[..., object], *args: object, **kwargs: object) -> float:
    """Wall-clock seconds of one call."""
    started = time.perf_counter()
    action(*args, **kwargs)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--row-path-rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    wifi = SYSTEMS["wifi"]
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source, sample = work / "registry.csv", work / "sample.csv"
        make_registry(args.rows, source)
        make_registry(args.row_path_rows, sample)
        size_mb = source.stat().st_size / 1e6
        bare = min(timed(bare_read_write, source, work / "bare.csv") for _ in range(args.repeat))
        fast = min(
            timed(classify_file, wifi, source, work / "fast.csv") for _ in range(args.repeat)
        )
        out_mb = (work / "fast.csv").stat().st_size / 1e6
        out_names = (work / "fast.csv").open().readline().strip().replace('"', "").split(",")
        out_table = read_text_csv(work / "fast.csv", out_names)
        floor = min(
            timed(read_and_write, source, out_table, work / "floor.csv") for _ in range(args.repeat)
        )
        slow_sample = timed(classify_file, wifi, sample, work / "slow.csv", vectorised=False)
        slow = slow_sample * args.rows / args.row_path_rows
    print(f"rows                          {args.rows:>12,}")
    print(f"input / output CSV            {size_mb:>10.1f} MB / {out_mb:.1f} MB")
    print(f"bare read+write (pyarrow)     {bare:>10.3f} s")
    print(f"vectorised path               {fast:>10.3f} s   {args.rows / fast:>12,.0f} rows/s")
    print(
        f"row-by-row path               {slow:>10.3f} s   {args.rows / slow:>12,.0f} rows/s"
        f"   (timed on {args.row_path_rows:,} rows, scaled)"
    )
    print(f"read input + write output     {floor:>10.3f} s   (the I/O floor for this output)")
    print(f"vectorised / bare read+write  {fast / bare:>10.2f} x   (target ≤ 3)")
    print(f"vectorised / I/O floor        {fast / floor:>10.2f} x")
    print(f"row-by-row / vectorised       {slow / fast:>10.1f} x")


if __name__ == "__main__":
    main()
