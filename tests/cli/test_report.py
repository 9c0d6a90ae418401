"""`limbsalvage report`: the registry's outcomes report as HTML + CSV, bad options exit 2."""

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from limbsalvage.cli.main import main
from limbsalvage.db.engine import make_engine
from limbsalvage.db.migrate import upgrade_database
from limbsalvage.db.session import make_sessionmaker, unit_of_work
from limbsalvage.settings import get_settings
from tests.outcomes.registry_data import seed_registry
from tests.support.databases import fresh_database


@pytest.fixture
def seeded_database(backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with fresh_database(backend, tmp_path) as url:
        engine = make_engine(url)
        upgrade_database(engine)
        with unit_of_work(make_sessionmaker(engine)) as session:
            seed_registry(session)
        engine.dispose()
        monkeypatch.setenv("LIMBSALVAGE_DATABASE_URL", url)
        get_settings.cache_clear()
        yield url
    get_settings.cache_clear()


def test_report_writes_html_and_csv(
    seeded_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "program.html"
    code = main(
        [
            "report",
            "--out",
            str(out),
            "--from",
            "2025-01-01",
            "--to",
            "2025-12-31",
            "--stratify",
            "procedure",
            "--site",
            "north",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert f"wrote {out} and {out.with_suffix('.csv')} (2 limbs)" in captured.out
    html = out.read_text(encoding="utf-8")
    assert "<svg" in html
    assert "Strata: index procedure" in html
    with out.with_suffix(".csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    strata = {r["stratum"] for r in rows if r["section"] == "kaplan_meier"}
    assert {"all limbs", "bypass", "no index procedure"} <= strata


def test_report_by_index_time_zero_with_synthetic_patients(
    seeded_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "index.html"
    code = main(
        [
            "report",
            "--out",
            str(out),
            "--to",
            "2025-12-31",
            "--time-zero",
            "index_procedure",
            "--stratify",
            "none",
            "--synthetic",
        ]
    )
    assert code == 0
    assert "(3 limbs)" in capsys.readouterr().out
    assert "Time zero: index procedure" in " ".join(out.read_text().split())


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--from", "2025-06-01", "--to", "2025-01-01"],
            "--from 2025-06-01 is after --to 2025-01-01",
        ),
        (["--site", "nowhere"], "no site with code 'nowhere'"),
        (["--from", "01/02/2025"], "'01/02/2025' does not match the format"),
        (["--stratify", "age"], "'age' is not one of"),
    ],
)
def test_bad_options_exit_2_with_one_line(
    seeded_database: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    code = main(["report", "--out", str(tmp_path / "r.html"), *argv])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert err.count("\n") == 1
