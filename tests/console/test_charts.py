"""The server-rendered line chart: one line per unbroken run of values, one marker per value shown, withheld
values drawn as gaps, and every series' markers in a single path element (a daily chart has hundreds)."""

from __future__ import annotations

import re
from xml.etree import ElementTree

from hypothesis import given
from hypothesis import strategies as st

from gateway.console.charts import Series, line_chart, markers

SVG = "{http://www.w3.org/2000/svg}"


def parsed(values_by_series: list[tuple[float | None, ...]]) -> ElementTree.Element:
    categories = [f"d{i}" for i in range(len(values_by_series[0]))]
    series = [Series(f"S{k}", values) for k, values in enumerate(values_by_series)]
    markup = str(line_chart("c", "Title", "Description", categories, series))
    # S314 does not apply: the markup is the one this test just rendered, not untrusted input.
    return ElementTree.fromstring(markup.replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1))  # noqa: S314


def plotted(root: ElementTree.Element, k: int) -> ElementTree.Element:
    """Series k's group in the plot (the legend has a group of the same class, after the plot's)."""
    groups = [g for g in root.iter(f"{SVG}g") if f"app-chart__series--{k}" in g.get("class", "")]
    return groups[0]


def test_a_series_with_a_withheld_value_is_two_lines_and_one_marker_path_with_a_marker_per_value() -> None:
    root = parsed([(90.0, 91.0, None, 93.0, 94.0, 95.0)])
    group = plotted(root, 0)
    lines = group.findall(f"{SVG}polyline")
    paths = group.findall(f"{SVG}path")
    assert [len(line.get("points", "").split()) for line in lines] == [2, 3]
    assert len(paths) == 1
    assert paths[0].get("d", "").count("M") == 5


def test_a_chart_of_seven_series_over_73_days_has_seven_marker_paths_not_511_elements() -> None:
    root = parsed([tuple(90.0 + (i + k) % 5 for i in range(73)) for k in range(7)])
    plot_paths = [plotted(root, k).findall(f"{SVG}path") for k in range(7)]
    assert [len(p) for p in plot_paths] == [1] * 7
    assert [p[0].get("d", "").count("M") for p in plot_paths] == [73] * 7
    # svg, title, desc; 6 grid lines and their labels; 73 day labels; per series a group, a line and one
    # path; the legend's group and per series a group, line, path and name. (With an element per marker it was 642.)
    assert len(list(root.iter())) == 3 + 12 + 73 + 7 * 3 + 1 + 7 * 4


def test_the_markers_of_a_series_are_centred_on_its_points() -> None:
    assert markers("square", [(10.0, 20.0), (30.0, 40.5)]) == (
        '<path class="app-chart__markers" d="M6.5,16.5h7v7h-7zM26.5,37h7v7h-7z"/>'
    )


def test_a_series_with_no_value_shown_has_no_marker_path() -> None:
    assert markers("circle", []) == ""


@given(st.lists(st.one_of(st.none(), st.floats(0, 100)), min_size=1, max_size=60))
def test_markers_count_the_values_shown_and_lines_count_the_unbroken_runs(values: list[float | None]) -> None:
    group = plotted(parsed([tuple(values)]), 0)
    runs = [run for run in re.split(r"N+", "".join("N" if v is None else "v" for v in values)) if run]
    shown = sum(v is not None for v in values)
    assert [len(line.get("points", "").split()) for line in group.findall(f"{SVG}polyline")] == [
        len(run) for run in runs
    ]
    assert sum(p.get("d", "").count("M") for p in group.findall(f"{SVG}path")) == shown
