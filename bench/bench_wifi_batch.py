"""Registry-scale WIfI restaging: vectorised path vs row-by-row path vs bare CSV read+write.

Generates a synthetic registry extract (grades for half the limbs, raw perfusion values for the
rest), then times, in this one process:
  1. bare read + write of the same CSV with pyarrow (every column as text, empty cells null),
  2. `limbsalvage classify wifi --input --output` through the vectorised path,
  3. the row-by-row path (on the first --row-path-rows rows, scaled per row),
  4. reading the input and writing a table as large as the output (the I/O floor of this output).
Runs 1, 2 and 4 alternate --repeat times, so a busy machine slows them alike; the median and the
best run are printed, and the ratios of the medians. Record them in docs/benchmarks.md.

    .venv/bin/python bench/bench_wifi_batch.py [--rows 1000000] [--row-path-rows 100000]
"""

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from limbsalvage.batch.files import classify_file
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


def read_text_csv(source: Path) -> pa.Table:
    """Every column as text, empty cells null: a plain pyarrow read of the file."""
    names = source.open().readline().strip().replace('"', "").split(",")
    options = pacsv.ConvertOptions(
        column_types=dict.fromkeys(names, pa.string()),
        null_values=[""],
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
    )
    return pacsv.read_csv(source, convert_options=options)


def bare_read_write(source: Path, target: Path) -> None:
    """The baseline: read the CSV with pyarrow and write it back."""
    pacsv.write_csv(read_text_csv(source), target)


def read_and_write(source: Path, table: pa.Table, target: Path) -> None:
    """The I/O floor for this output: read the input, write a table as large as the output."""
    read_text_csv(source)
    pacsv.write_csv(table, target)


def timed(action: Callable[..., object], *args: object, **kwargs: object) -> float:
    """Wall-clock seconds of one call."""
    return timed_cpu(action, *args, **kwargs)[0]


def timed_cpu(
    action: Callable[..., object], *args: object, **kwargs: object
) -> tuple[float, float]:
    """Wall-clock and CPU seconds (all threads of the process) of one call."""
    started, cpu = time.perf_counter(), time.process_time()
    action(*args, **kwargs)
    return time.perf_counter() - started, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--row-path-rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    wifi = SYSTEMS["wifi"]
    runs: dict[str, list[tuple[float, float]]] = {"bare": [], "fast": [], "floor": []}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source, sample = work / "registry.csv", work / "sample.csv"
        make_registry(args.rows, source)
        make_registry(args.row_path_rows, sample)
        size_mb = source.stat().st_size / 1e6
        classify_file(wifi, source, work / "fast.csv")  # warm-up; also gives the output's size
        out_mb = (work / "fast.csv").stat().st_size / 1e6
        out_table = read_text_csv(work / "fast.csv")
        for _ in range(args.repeat):
            runs["bare"].append(timed_cpu(bare_read_write, source, work / "bare.csv"))
            runs["fast"].append(timed_cpu(classify_file, wifi, source, work / "fast.csv"))
            runs["floor"].append(timed_cpu(read_and_write, source, out_table, work / "floor.csv"))
        slow_sample = timed(classify_file, wifi, sample, work / "slow.csv", vectorised=False)
        slow = slow_sample * args.rows / args.row_path_rows
    wall = {name: [w for w, _ in times] for name, times in runs.items()}
    bare, fast, floor = (statistics.median(wall[name]) for name in ("bare", "fast", "floor"))
    best = {name: min(times) for name, times in wall.items()}
    cpu = {name: statistics.median(c for _, c in times) for name, times in runs.items()}
    print(f"rows                          {args.rows:>12,}   (median / best of {args.repeat})")
    print(f"input / output CSV            {size_mb:>10.1f} MB / {out_mb:.1f} MB")
    print(f"bare read+write (pyarrow)     {bare:>10.3f} s / {best['bare']:.3f} s")
    print(
        f"vectorised path               {fast:>10.3f} s / {best['fast']:.3f} s"
        f"   {args.rows / fast:>12,.0f} rows/s"
    )
    print(
        f"row-by-row path               {slow:>10.3f} s   {args.rows / slow:>12,.0f} rows/s"
        f"   (timed on {args.row_path_rows:,} rows, scaled)"
    )
    print(
        f"read input + write output     {floor:>10.3f} s / {best['floor']:.3f} s"
        "   (the I/O floor for this output)"
    )
    print(f"vectorised / bare read+write  {fast / bare:>10.2f} x   (target ≤ 3)")
    print(f"vectorised / I/O floor        {fast / floor:>10.2f} x")
    print(f"row-by-row / vectorised       {slow / fast:>10.1f} x")
    # CPU seconds of all threads: steadier than wall time when other work shares the machine.
    print(
        f"CPU time: bare {cpu['bare']:.3f} s, vectorised {cpu['fast']:.3f} s, floor "
        f"{cpu['floor']:.3f} s; vectorised / bare {cpu['fast'] / cpu['bare']:.2f} x, "
        f"/ floor {cpu['fast'] / cpu['floor']:.2f} x"
    )


if __name__ == "__main__":
    main()
