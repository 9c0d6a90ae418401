"""Report smoke test: the HTML opens, holds its figures, tables, verdicts and citations; CSV too."""

import csv
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from limbsalvage.core.outcomes.angiography import AngiographyBeforeAmputation
from limbsalvage.core.outcomes.endpoints import Endpoint, TimeZero, derive_cohort
from limbsalvage.core.outcomes.kaplan_meier import KaplanMeier
from limbsalvage.core.outcomes.timeline import ImagingRecord, LimbTimeline, ProcedureRecord
from limbsalvage.core.tables.outcomes import MajorAmputationDefinition
from limbsalvage.core.vocabulary import AmputationLevel, ImagingModality, ProcedureKind
from limbsalvage.outcomes.report import CSV_COLUMNS, angiography_text, build_report, render_csv
from limbsalvage.outcomes.report_data import ReportOptions, compute_report

from .cohort import CLOSING, synthetic_program


class Outline(HTMLParser):
    """Counts elements and collects ids and text."""

    def __init__(self) -> None:
        super().__init__()
        self.counts: dict[str, int] = {}
        self.ids: set[str] = set()
        self.text: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.counts[tag] = self.counts.get(tag, 0) + 1
        for name, value in attrs:
            if name == "id" and value and tag != "svg" and not value.startswith(("p", "m")):
                self.ids.add(value)
            if name in {"src", "href"} and value and value.startswith(("http", "//")):
                self.external.append(value)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Outline, list[dict[str, str]], Path]:
    timelines = synthetic_program()
    strata = {t.limb_id: f"stage {t.wifi_stage}" for t in timelines}
    out = tmp_path_factory.mktemp("report") / "program.html"
    files = build_report(
        timelines,
        strata=strata,
        options=ReportOptions(closing_date=CLOSING, stratum_name="WIfI stage"),
        out_html=out,
    )
    outline = Outline()
    outline.feed(files.html.read_text(encoding="utf-8"))
    with files.csv.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    return outline, rows, files.html


def test_html_has_every_section_figure_and_table(
    report: tuple[Outline, list[dict[str, str]], Path],
) -> None:
    outline, _, _ = report
    assert {
        "completeness",
        "survival",
        "incidence",
        "goals",
        "wifi",
        "activity",
        "definitions",
    } <= (outline.ids)
    # six Kaplan–Meier endpoints and two cumulative-incidence curves, each a figure with a table
    assert outline.counts["svg"] == 8
    assert outline.counts["figure"] == 8
    assert outline.counts["table"] >= 8 + 1 + 2 + 1 + 1
    assert outline.external == []


def test_ids_are_unique_and_every_reference_resolves(
    report: tuple[Outline, list[dict[str, str]], Path],
) -> None:
    # Eight inlined figures: matplotlib's own group ids (figure_1, axes_1…) must not repeat.
    html = report[2].read_text(encoding="utf-8")
    ids = re.findall(r'\bid="([^"]+)"', html)
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    assert repeated == []
    references = set(re.findall(r'(?:href="#|url\(#)([^")]+)', html))
    assert references
    assert references <= set(ids)


def test_html_states_definitions_verdicts_and_sources(
    report: tuple[Outline, list[dict[str, str]], Path],
) -> None:
    text = " ".join(" ".join(report[0].text).split())
    assert "Limb salvage (freedom from major amputation)" in text
    assert "numbers at risk" in text
    assert "unadjusted — different population" in text
    assert any(v in text for v in ("meets", "fails", "not enough data"))
    assert "Log-rank test across WIfI stage" in text
    assert "Clark TG, Altman DG, De Stavola BL" in text
    assert "svs-cli-opg@2009.1" in text
    assert "Cull 2014" in text
    assert "van Reijen 2019" in text
    assert "Major-to-minor amputation ratio" in text
    assert "Angiography before major amputation:" in text
    assert "angiography-before-major-amputation@2019.1" in text


def test_csv_holds_the_numbers(report: tuple[Outline, list[dict[str, str]], Path]) -> None:
    _, rows, html = report
    assert html.with_suffix(".csv").is_file()
    assert list(rows[0]) == list(CSV_COLUMNS)
    sections = {row["section"] for row in rows}
    assert {
        "completeness",
        "kaplan_meier",
        "cumulative_incidence",
        "logrank",
        "performance_goal",
        "wifi_1y_major_amputation",
        "amputations",
    } <= sections
    salvage = [
        r
        for r in rows
        if r["section"] == "kaplan_meier"
        and r["endpoint"] == "major_amputation"
        and r["stratum"] == "all limbs"
        and r["day"] == "365"
    ]
    assert len(salvage) == 1
    assert 0 < float(salvage[0]["estimate"]) <= 1


def test_report_numbers_are_consistent(tmp_path: Path) -> None:
    timelines = synthetic_program(limbs=60, seed=3)
    data = compute_report(timelines, strata=None, options=ReportOptions(closing_date=CLOSING))
    assert data.strata == ("all limbs",)
    assert data.limbs == 60
    assert data.patients_with_both_limbs == 20
    assert all(curve.logrank is None for curve in data.survival)
    assert all(len(curve.tables) == 1 for curve in data.survival)
    completeness = data.completeness[0].result
    assert completeness.index is not None
    assert 0 < completeness.index <= 1
    assert data.metrics.major_to_minor is not None
    assert data.metrics.revascularization_quartiles() is not None


def test_limbs_with_contradictions_are_listed_and_the_rest_reported(tmp_path: Path) -> None:
    good = synthetic_program(limbs=30, seed=5)
    bad = LimbTimeline(
        limb_id="BAD1",
        patient_id="PX",
        presentation_date=date(2024, 3, 1),
        death_date=date(2024, 2, 1),
    )
    options = ReportOptions(closing_date=CLOSING, revascularization_target_days=14)
    files = build_report([*good, bad], strata=None, options=options, out_html=tmp_path / "r.html")
    html = files.html.read_text(encoding="utf-8")
    assert "Limbs left out for contradictory or missing data" in html
    assert "limb BAD1: death_date: 2024-02-01 is before time zero 2024-03-01" in html
    assert "within 14 days" in html


def test_index_procedure_time_zero_and_a_reporting_period(tmp_path: Path) -> None:
    options = ReportOptions(
        closing_date=CLOSING, time_zero=TimeZero.INDEX_PROCEDURE, period_start=date(2024, 1, 1)
    )
    data = compute_report(synthetic_program(limbs=40, seed=8), strata=None, options=options)
    assert all(quarter >= "2024-Q1" for quarter, _, _ in data.metrics.amputations_by_quarter)
    files = build_report(
        synthetic_program(limbs=40, seed=8),
        strata=None,
        options=options,
        out_html=tmp_path / "i.html",
    )
    assert "Time zero: index procedure" in " ".join(files.html.read_text().split())


def _overall_survival_cohort(timelines: list[LimbTimeline]) -> tuple[np.ndarray, ...]:
    cohort = derive_cohort(
        timelines,
        Endpoint.OVERALL_SURVIVAL,
        time_zero=TimeZero.PRESENTATION,
        major_amputation=MajorAmputationDefinition.ABOVE_ANKLE,
        closing_date=CLOSING,
    )
    patients = np.array([o.patient_id for o in cohort.outcomes], dtype=object)
    return cohort.durations(), cohort.events(), patients


def test_survival_bands_are_clustered_by_patient_when_a_patient_has_both_limbs() -> None:
    # synthetic_program gives patients P000–P019 two limbs each (limbs 0–39).
    timelines = synthetic_program(limbs=60, seed=3)
    data = compute_report(timelines, strata=None, options=ReportOptions(closing_date=CLOSING))
    curve = next(c for c in data.survival if c.endpoint is Endpoint.OVERALL_SURVIVAL)
    durations, events, patients = _overall_survival_cohort(timelines)
    km = KaplanMeier().fit(durations, events, clusters=patients)
    band = km.clustered_summary
    np.testing.assert_array_equal(curve.tables[0].ci_lower, band.ci_lower)
    np.testing.assert_array_equal(curve.tables[0].ci_upper, band.ci_upper)
    assert not np.allclose(band.std_error[1:], km.summary.std_error[1:])  # not Greenwood's
    horizons = [float(row.horizon_days) for row in curve.rows]
    robust = km.clustered_ci_at(horizons)
    assert [row.ci_lower for row in curve.rows] == robust.ci_lower.tolist()
    assert [row.ci_upper for row in curve.rows] == robust.ci_upper.tolist()


def test_with_one_limb_per_patient_the_bands_are_greenwood() -> None:
    timelines = synthetic_program(limbs=60, seed=3)
    seen: set[str] = set()
    single = []
    for timeline in timelines:
        if timeline.patient_id not in seen:
            seen.add(timeline.patient_id)
            single.append(timeline)
    data = compute_report(single, strata=None, options=ReportOptions(closing_date=CLOSING))
    curve = next(c for c in data.survival if c.endpoint is Endpoint.OVERALL_SURVIVAL)
    durations, events, _ = _overall_survival_cohort(single)
    greenwood = KaplanMeier().fit(durations, events).summary
    np.testing.assert_array_equal(curve.tables[0].ci_lower, greenwood.ci_lower)
    np.testing.assert_array_equal(curve.tables[0].ci_upper, greenwood.ci_upper)


def test_angiography_before_major_amputation_in_words_and_in_the_csv() -> None:
    assert angiography_text(None) == "no major amputation in the period"
    metric = AngiographyBeforeAmputation(
        amputations=4, with_angiography=3, duplex_only=1, lookback_days=365
    )
    assert angiography_text(metric) == (
        "3 of 4 limbs (75.0%) had DSA, CT or MR angiography of the limb in the 365 days before "
        "their first major amputation; 1 had duplex ultrasound only"
    )
    amputated = LimbTimeline(
        limb_id="L1",
        patient_id="P1",
        presentation_date=date(2025, 1, 1),
        last_known_alive=date(2025, 12, 31),
        procedures=(
            ProcedureRecord(
                on=date(2025, 3, 1),
                kind=ProcedureKind.AMPUTATION,
                amputation_level=AmputationLevel.ABOVE_KNEE,
            ),
        ),
        imaging=(ImagingRecord(on=date(2025, 2, 1), modality=ImagingModality.CT_ANGIOGRAPHY),),
    )
    data = compute_report(
        [amputated], strata=None, options=ReportOptions(closing_date=date(2025, 12, 31))
    )
    row = next(
        line
        for line in render_csv(data).splitlines()
        if line.startswith("angiography_before_major_amputation")
    )
    assert row.split(",")[4] == "1.0"
    assert row.split(",")[8:10] == ["1", "1"]
