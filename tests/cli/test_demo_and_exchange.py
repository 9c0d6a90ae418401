"""`limbsalvage demo load`, `export csv` and `import csv`: summaries, or one line and exit 2."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from limbsalvage.cli.main import main
from limbsalvage.core.vocabulary import Role
from limbsalvage.demo.accounts import demo_email
from limbsalvage.settings import get_settings
from tests.support.databases import fresh_database
from tests.support.passwords import fast_password_hashing

__all__ = ["fast_password_hashing"]
pytestmark = pytest.mark.usefixtures("fast_password_hashing")


@pytest.fixture
def use_database(backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with fresh_database(backend, tmp_path / "db") as url:
        monkeypatch.setenv("LIMBSALVAGE_DATABASE_URL", url)
        get_settings.cache_clear()
        yield url
    get_settings.cache_clear()


def _point_at(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("LIMBSALVAGE_DATABASE_URL", url)
    get_settings.cache_clear()


def test_demo_load_then_export_then_import_elsewhere(
    use_database: str,
    backend: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["demo", "load", "--patients", "30", "--seed", "5", "--as-of", "2025-12-31"]) == 0
    out = capsys.readouterr().out
    assert "synthetic cohort loaded (seed 5, as of 2025-12-31): 30 patients" in out
    for role in Role:
        assert demo_email(role) in out
    assert main(["demo", "load", "--patients", "5"]) == 2
    assert "demo data loads only into an empty database" in capsys.readouterr().err
    assert main(["demo", "load", "--patients", "5", "--append"]) == 0
    capsys.readouterr()
    assert main(["export", "csv", str(tmp_path / "out")]) == 0
    assert "export written to" in capsys.readouterr().out
    assert main(["export", "csv", "--deidentified", str(tmp_path / "research")]) == 0
    assert "de-identified extract written to" in capsys.readouterr().out
    assert main(["export", "csv", str(tmp_path / "out")]) == 2
    assert "already holds CSV files" in capsys.readouterr().err
    with fresh_database(backend, tmp_path / "copy") as copy:
        _point_at(monkeypatch, copy)
        assert main(["import", "csv", str(tmp_path / "out")]) == 2
        assert "run `limbsalvage db upgrade`" in capsys.readouterr().err
        assert main(["db", "upgrade"]) == 0
        capsys.readouterr()
        assert main(["import", "csv", str(tmp_path / "out")]) == 0
        assert "35 patients" in capsys.readouterr().out
        _point_at(monkeypatch, use_database)


def test_import_reports_every_problem_then_one_error_line(
    use_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    (tmp_path / "sites.csv").write_text("id,code,name,settings\n1,a,A,{}\nx,b,B,{}\n2,c,C,{bad\n")
    assert main(["import", "csv", str(tmp_path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[:2] == [
        "sites.csv row 3, id: not a whole number",
        "sites.csv row 4, settings: not valid JSON",
    ]
    assert err[2].startswith("limbsalvage: error: 2 problem(s) found; nothing was imported")
    assert main(["import", "csv", "--skip-invalid", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert "imported from" in captured.out
    assert "1 sites" in captured.out
    assert "2 problem(s) reported" in captured.out
    assert "skipped: sites.csv row 3, id: not a whole number" in captured.err


def test_demo_load_is_refused_in_production(
    use_database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LIMBSALVAGE_ENV", "production")
    get_settings.cache_clear()
    assert main(["demo", "load"]) == 2
    assert "demo data is refused when LIMBSALVAGE_ENV is production" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["demo", "load", "--patients", "0"], "--patients"),
        (["demo", "load", "--seed", "-3"], "--seed"),
        (["demo", "load", "--as-of", "31/12/2025"], "--as-of"),
        (["demo", "load", "--as-of", "2999-01-01"], "as_of: must not be in the future"),
    ],
)
def test_bad_demo_options_are_one_line(
    use_database: str, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert message in err


def test_demo_load_refuses_an_outdated_schema(
    use_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from limbsalvage.db.engine import make_engine  # noqa: PLC0415
    from limbsalvage.db.migrate import upgrade_database  # noqa: PLC0415

    engine = make_engine(use_database)
    upgrade_database(engine, revision="0001")
    engine.dispose()
    assert main(["demo", "load", "--patients", "3"]) == 2
    assert "run `limbsalvage db upgrade`" in capsys.readouterr().err
