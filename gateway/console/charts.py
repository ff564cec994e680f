"""Server-rendered SVG charts (line and bar), pure functions of their data, each shown beside its data table.

Written here rather than taken from a chart library: the console needs two small chart types, rendered on
the server (no script, no external origin under the page's Content-Security-Policy), with withheld values
drawn as gaps rather than guessed. Colours come from console.css classes; each series also differs by dash
pattern and marker, so no series is told apart by colour alone (WCAG 1.4.1).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from markupsafe import Markup, escape

WIDTH: Final = 720
HEIGHT: Final = 320
MARGIN: Final = (16, 24, 56, 56)  # top, right, bottom, left
MARKERS: Final = ("circle", "square", "triangle", "diamond")
MAX_SERIES: Final = 10


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: tuple[float | None, ...]  # None: withheld (a symbol in the table) or no data: drawn as a gap


@dataclass(frozen=True, slots=True)
class Band:
    """A highlighted category (a strike or closure day, say) with its label."""

    index: int
    label: str


def _f(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def value_range(values: Sequence[float | None], floor_at_zero: bool = False) -> tuple[float, float]:
    """A range with round ends that holds every value (0-100 when there are none)."""
    present = [v for v in values if v is not None]
    if not present:
        return 0.0, 100.0
    low, high = min(present), max(present)
    if floor_at_zero:
        low = 0.0
    span = max(high - low, 1.0)
    step = 10 ** math.floor(math.log10(span))
    step = step / 2 if span / step < 4 else step
    return math.floor(low / step) * step, math.ceil(high / step) * step + (step if high == low else 0)


def ticks(low: float, high: float, count: int = 5) -> list[float]:
    step = (high - low) / count
    return [low + i * step for i in range(count + 1)]


def _marker(kind: str, x: float, y: float) -> str:
    """One marker as path data (M ... z) centred on (x, y)."""
    if kind == "circle":  # two half-circle arcs of radius 3.5
        return f"M{_f(x - 3.5)},{_f(y)}a3.5,3.5 0 1,0 7,0a3.5,3.5 0 1,0 -7,0z"
    if kind == "square":
        return f"M{_f(x - 3.5)},{_f(y - 3.5)}h7v7h-7z"
    if kind == "triangle":
        return f"M{_f(x)},{_f(y - 4.5)}L{_f(x - 4.5)},{_f(y + 3.5)}L{_f(x + 4.5)},{_f(y + 3.5)}z"
    return f"M{_f(x)},{_f(y - 5)}L{_f(x - 5)},{_f(y)}L{_f(x)},{_f(y + 5)}L{_f(x + 5)},{_f(y)}z"


def markers(kind: str, points: Sequence[tuple[float, float]]) -> str:
    """Every marker of a series as one path element: a daily chart has hundreds of points, and one element
    per marker made the browser style and lay out each of them (the national daily page's render time)."""
    if not points:
        return ""
    return f'<path class="app-chart__markers" d="{"".join(_marker(kind, x, y) for x, y in points)}"/>'


def _segments(points: list[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    runs: list[list[tuple[float, float]]] = [[]]
    for p in points:
        if p is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(p)
    return [r for r in runs if r]


def line_chart(
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    unit: str = "%",
    bands: Sequence[Band] = (),
    label_every: int = 1,
) -> Markup:
    """A line chart: one line per series over the categories, with gaps where a value is withheld."""
    if len(series) > MAX_SERIES:
        raise ValueError(f"at most {MAX_SERIES} series in one chart")
    top, right, bottom, left = MARGIN
    legend, legend_rows = _legend(series, top=HEIGHT - bottom + 36, left=left)
    height = HEIGHT + 18 * (legend_rows - 1)
    plot_w, plot_h = WIDTH - left - right, HEIGHT - top - bottom
    low, high = value_range([v for s in series for v in s.values])
    n = max(len(categories), 1)

    def x_of(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n)

    def y_of(v: float) -> float:
        return top + plot_h * (1 - (v - low) / (high - low))

    out = [
        f'<svg class="app-chart" id="{escape(chart_id)}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" focusable="false">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]
    for band in bands:
        bx = left + plot_w * band.index / n
        out.append(
            f'<rect class="app-chart__band" x="{_f(bx)}" y="{top}" width="{_f(plot_w / n)}" height="{plot_h}"/>'
            f'<text class="app-chart__band-label" x="{_f(bx + plot_w / n / 2)}" y="{top + 12}" '
            f'text-anchor="middle">{escape(band.label)}</text>'
        )
    for t in ticks(low, high):
        y = y_of(t)
        out.append(
            f'<line class="app-chart__grid" x1="{left}" x2="{WIDTH - right}" y1="{_f(y)}" y2="{_f(y)}"/>'
            f'<text class="app-chart__tick" x="{left - 6}" y="{_f(y + 4)}" text-anchor="end">{_f(t)}{escape(unit)}</text>'
        )
    for i, label in enumerate(categories):
        if i % label_every == 0:
            out.append(
                f'<text class="app-chart__tick" x="{_f(x_of(i))}" y="{HEIGHT - bottom + 16}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    for k, s in enumerate(series):
        points = [None if v is None else (x_of(i), y_of(v)) for i, v in enumerate(s.values)]
        group = [f'<g class="app-chart__series app-chart__series--{k}">']
        for run in _segments(points):
            path = " ".join(f"{_f(x)},{_f(y)}" for x, y in run)
            group.append(f'<polyline fill="none" points="{path}"/>')
        marker = MARKERS[k % len(MARKERS)]
        group.append(markers(marker, [p for p in points if p is not None]))
        group.append("</g>")
        out.extend(group)
    out.append(legend)
    out.append("</svg>")
    return Markup("".join(out))  # noqa: S704 - every text and attribute above went through escape()


def _legend(series: Sequence[Series], *, top: float, left: float) -> tuple[str, int]:
    """The key under the plot, wrapped onto as many rows as it needs; returns (markup, rows)."""
    parts = ['<g class="app-chart__legend">']
    x, rows = left, 1
    for k, s in enumerate(series):
        marker = MARKERS[k % len(MARKERS)]
        width = 42 + 7.5 * len(s.name)
        if x + width > WIDTH and x > left:
            x, top, rows = left, top + 18, rows + 1
        parts.append(
            f'<g class="app-chart__series app-chart__series--{k}">'
            f'<line x1="{_f(x)}" x2="{_f(x + 24)}" y1="{_f(top)}" y2="{_f(top)}"/>'
            f"{markers(marker, [(x + 12, top)])}</g>"
            f'<text class="app-chart__legend-text" x="{_f(x + 30)}" y="{_f(top + 4)}">{escape(s.name)}</text>'
        )
        x += width
    parts.append("</g>")
    return "".join(parts), rows


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    bars: Sequence[tuple[str, float | None]],
    *,
    unit: str = "%",
    withheld: str = "c",
) -> Markup:
    """Horizontal bars, one per labelled value; a withheld value gets no bar and its symbol instead."""
    row, label_w, right = 22, 260, 64
    height = 24 + row * len(bars)
    plot_w = WIDTH - label_w - right
    low, high = value_range([v for _, v in bars], floor_at_zero=True)
    out = [
        f'<svg class="app-chart" id="{escape(chart_id)}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" focusable="false">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]
    for i, (label, value) in enumerate(bars):
        y = 12 + i * row
        out.append(
            f'<text class="app-chart__tick" x="{label_w - 8}" y="{y + 14}" text-anchor="end">{escape(label)}</text>'
        )
        if value is None:
            out.append(
                f'<text class="app-chart__tick" x="{label_w + 4}" y="{y + 14}">{escape(withheld)}</text>'
            )
            continue
        w = plot_w * (value - low) / (high - low)
        out.append(
            f'<rect class="app-chart__bar" x="{label_w}" y="{y + 2}" width="{_f(w)}" height="{row - 6}"/>'
            f'<text class="app-chart__tick" x="{_f(label_w + w + 4)}" y="{y + 14}">{_f(value)}{escape(unit)}</text>'
        )
    out.append("</svg>")
    return Markup("".join(out))  # noqa: S704 - every text and attribute above went through escape()
