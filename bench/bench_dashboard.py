"""Program dashboard on the demo cohort: page and figure time, cold and cached.

Loads the synthetic demo cohort (`limbsalvage demo load`, --patients, default the demo's 400)
into a temporary SQLite database, signs in the demo analyst through the application (in this
process, `TestClient`), and times `GET /dashboard` with its three figures: cold (cache emptied
before each round: the registry is read, the report computed and the curves drawn) and warm
(the cache answers after a fingerprint of the registry). The same client's `GET /healthz` is the
baseline. Prints medians and the ratios; record them in docs/benchmarks.md.

    .venv/bin/python bench/bench_dashboard.py [--patients 400] [--rounds 5]
"""

import argparse
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from limbsalvage.db.engine import make_engine
from limbsalvage.db.migrate import upgrade_database
from limbsalvage.db.session import make_sessionmaker, unit_of_work
from limbsalvage.demo.load import load_demo
from limbsalvage.settings import Settings
from limbsalvage.web.app import create_app

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
FIGURE = re.compile(r'src="(/dashboard/figures/[^"]+)"')


def median_seconds(action: Callable[[], None], rounds: int) -> float:
    """The median wall time of `action` over `rounds` runs."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Build the cohort, time the dashboard cold and warm beside /healthz."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        upgrade_database(engine)
        started = time.perf_counter()
        with unit_of_work(make_sessionmaker(engine)) as db:
            load_demo(db=db, patients=args.patients)
        print(f"demo cohort: {args.patients} patients in {time.perf_counter() - started:.1f} s")
        app = create_app(Settings(env="demo", data_dir=Path(folder)), engine=engine)
        with TestClient(app) as client:
            token = CSRF.search(client.get("/signin").text)
            assert token is not None
            client.post(
                "/signin",
                data={
                    "email": "analyst@demo.limbsalvage.invalid",
                    "password": "demo-analyst",
                    "csrf_token": token.group(1),
                },
            )

            def dashboard() -> None:
                page = client.get("/dashboard")
                assert page.status_code == 200, page.status_code
                for src in FIGURE.findall(page.text):
                    assert client.get(src.replace("&amp;", "&")).status_code == 200

            def cold() -> None:
                app.state.dashboard_cache.clear()
                dashboard()

            def health() -> None:
                assert client.get("/healthz").status_code == 200

            base = median_seconds(health, args.rounds)
            cold_s = median_seconds(cold, args.rounds)
            warm_s = median_seconds(dashboard, args.rounds)
        engine.dispose()
    print(f"GET /healthz (baseline)             median {1000 * base:8.1f} ms")
    print(f"dashboard + 3 figures, cold         median {1000 * cold_s:8.1f} ms")
    print(f"dashboard + 3 figures, cached       median {1000 * warm_s:8.1f} ms")
    print(f"ratios to baseline: cold {cold_s / base:.0f}x, cached {warm_s / base:.1f}x")


if __name__ == "__main__":
    main()
