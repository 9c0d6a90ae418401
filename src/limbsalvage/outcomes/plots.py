"""Survival and cumulative-incidence curves with confidence bands and a numbers-at-risk table.

Figures are built on matplotlib's object API (no pyplot, no global state) and written as SVG
for the web and the HTML report, or PNG for documents. Output is deterministic: no dates in the
metadata and element ids salted by the figure's title.
"""

import io
import re
from collections.abc import Sequence

import matplotlib as mpl
from matplotlib.figure import Figure

from limbsalvage.core.outcomes.kaplan_meier import at_risk_at
from limbsalvage.core.outcomes.summary import CurveTable

DAYS_PER_MONTH = 365.25 / 12


def plot_curves(
    tables: Sequence[CurveTable],
    *,
    title: str,
    ylabel: str,
    at_risk_times: Sequence[float],
    max_time: float | None = None,
) -> Figure:
    """Step curves with shaded pointwise intervals, one per table, and counts at risk below.

    The x axis runs to `max_time`, or to the last of `at_risk_times`, where the counts are shown.
    """
    rows = len(tables)
    figure = Figure(figsize=(7.5, 4.2 + 0.28 * rows), layout="constrained")
    grid = figure.add_gridspec(2, 1, height_ratios=[4.2, 0.3 + 0.28 * rows])
    axes = figure.add_subplot(grid[0])
    below = figure.add_subplot(grid[1], sharex=axes)
    end = max_time if max_time is not None else max(at_risk_times)
    for table in tables:
        line = axes.step(table.time, table.estimate, where="post", label=table.label)[0]
        axes.fill_between(
            table.time,
            table.ci_lower,
            table.ci_upper,
            step="post",
            alpha=0.18,
            color=line.get_color(),
            linewidth=0,
        )
    axes.set_xlim(0, end)
    axes.set_ylim(0, 1.02)
    axes.set_ylabel(ylabel)
    axes.set_title(title)
    axes.grid(alpha=0.3)
    if rows > 1:
        axes.legend(loc="best", fontsize="small")
    ticks = [t for t in at_risk_times if t <= end]
    axes.set_xticks(ticks)
    axes.tick_params(labelbottom=True)
    below.set_xlabel("days")
    below.set_yticks(range(rows), [t.label for t in reversed(tables)], fontsize="small")
    below.set_ylim(-0.5, rows - 0.5)
    for side in ("top", "right", "left", "bottom"):
        below.spines[side].set_visible(False)
    below.tick_params(axis="both", length=0)
    below.tick_params(axis="y", pad=16)
    below.tick_params(axis="x", labelbottom=False)
    below.set_title("numbers at risk", fontsize="small", loc="left")
    for row, table in enumerate(tables):
        y = rows - 1 - row
        counts = at_risk_at(table.time, table.at_risk, ticks)
        for tick, count in zip(ticks, counts, strict=True):
            below.text(tick, y, str(int(count)), ha="center", va="center", fontsize="small")
    return figure


def to_svg(figure: Figure, *, salt: str) -> str:
    """The figure as an inline <svg> element (no XML prolog), deterministic for a given salt.

    Every id is prefixed with the salt (and its references rewritten), since matplotlib numbers
    its groups `figure_1`, `axes_1`… afresh in each figure: several figures inlined in one page
    would otherwise repeat them, which HTML forbids.
    """
    buffer = io.StringIO()
    with mpl.rc_context({"svg.hashsalt": salt, "svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    return _prefixed_ids(text[text.index("<svg") :], f"{salt}-")


_SVG_ID = re.compile(r'\bid="([^"]+)"')
_SVG_REFERENCE = re.compile(r'(href="#|url\(#)([^")]+)')


def _prefixed_ids(svg: str, prefix: str) -> str:
    svg = _SVG_ID.sub(lambda found: f'id="{prefix}{found.group(1)}"', svg)
    return _SVG_REFERENCE.sub(lambda found: f"{found.group(1)}{prefix}{found.group(2)}", svg)


def to_png(figure: Figure, *, dpi: int = 150) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()
