"""Primary and secondary suppression: the line rule, determinism, and no cell recoverable from margins."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from gateway.privacy.intervals import secondary_pattern
from gateway.privacy.suppression import primary_mask, secondary_suppress
from gateway.privacy.tables import TableError, build_shape, leaf_grid, place_rows
from tests.privacy.lp import suppressed_intervals
from tests.privacy.strategies import count_rows

THRESHOLD = 10


def _pattern(rows: list[dict[str, Any]], zeros_disclosive: bool = False) -> tuple[Any, Any, Any]:
    data = place_rows(rows)
    values = data.shape.aggregate(leaf_grid(data, [row["count"] for row in rows]))
    primary = primary_mask(values, THRESHOLD, zeros_disclosive)
    pattern = secondary_pattern(data.shape, values, primary, THRESHOLD, zeros_disclosive=zeros_disclosive)
    return data.shape, values, pattern


def test_primary_suppresses_under_threshold_and_zeros_only_when_disclosive() -> None:
    values = np.asarray([0, 1, 9, 10, 11], dtype=np.int64)
    assert primary_mask(values, 10, zeros_disclosive=False).tolist() == [False, True, True, False, False]
    assert primary_mask(values, 10, zeros_disclosive=True).tolist() == [True, True, True, False, False]
    assert primary_mask(values, 0, zeros_disclosive=True).tolist() == [False] * 5


def test_a_lone_small_school_takes_the_smallest_sibling_that_covers_the_threshold() -> None:
    rows = [
        {"area": ("E", "886", s), "group": None, "count": n}
        for s, n in [("a", 3), ("b", 40), ("c", 12), ("d", 8 + 50)]
    ]
    shape, _, pattern = _pattern(rows)
    suppressed = {shape.nodes[cell] for cell in np.nonzero(pattern)[0].tolist()}
    assert suppressed == {("E", "886", "a"), ("E", "886", "c")}


def test_a_single_child_follows_its_parent() -> None:
    rows = [{"area": ("E", "886", "only"), "group": None, "count": 4}]
    shape, _, pattern = _pattern(rows)
    assert pattern.tolist() == [True, True, True]
    assert shape.nodes == (("E",), ("E", "886"), ("E", "886", "only"))


def test_two_by_two_breakdown_suppresses_a_rectangle() -> None:
    rows = [
        {"area": ("E", "a"), "group": "FSM", "count": 4},
        {"area": ("E", "a"), "group": "not", "count": 50},
        {"area": ("E", "b"), "group": "FSM", "count": 30},
        {"area": ("E", "b"), "group": "not", "count": 60},
    ]
    shape, _, pattern = _pattern(rows)
    suppressed = {(shape.nodes[c // 3], shape.columns[c % 3]) for c in np.nonzero(pattern)[0].tolist()}
    assert suppressed == {(("E", "a"), "FSM"), (("E", "a"), "not"), (("E", "b"), "FSM"), (("E", "b"), "not")}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=count_rows(), zeros_disclosive=st.booleans())
def test_no_suppressed_cell_can_be_bounded_tighter_than_the_threshold(
    rows: list[dict[str, Any]], zeros_disclosive: bool
) -> None:
    shape, values, pattern = _pattern(rows, zeros_disclosive)
    intervals = suppressed_intervals(shape, values, pattern)
    event("some cells suppressed" if intervals else "nothing suppressed")
    for cell, (low, high) in intervals.items():
        if values[cell] == 0 and not zeros_disclosive:
            continue  # the profile publishes zeros, so learning one is no disclosure
        assert high - low >= THRESHOLD - 1e-6, (shape.nodes[cell // shape.n_columns], values[cell], low, high)


@settings(max_examples=30, deadline=None)
@given(rows=count_rows())
def test_the_same_table_always_gets_the_same_pattern(rows: list[dict[str, Any]]) -> None:
    _, _, first = _pattern(rows)
    event("some cells suppressed" if first.any() else "nothing suppressed")
    _, _, second = _pattern(list(reversed(rows)))
    assert first.tolist() == second.tolist()


@settings(max_examples=40, deadline=None)
@given(rows=count_rows())
def test_every_line_has_zero_or_several_unknowns(rows: list[dict[str, Any]]) -> None:
    shape, _, pattern = _pattern(rows)
    event("some cells suppressed" if pattern.any() else "nothing suppressed")
    for line in shape.lines:
        hidden = int(pattern[line.total]) + sum(int(pattern[c]) for c in line.components)
        assert hidden != 1


def test_the_exact_check_repairs_a_cell_the_line_rule_leaves_pinned() -> None:
    # Every line holds 0 or 2+ unknowns summing to >= 10, yet S001/G2 (1 pupil) is bounded to [0, 1].
    counts = {"S000": (0, 0, 0), "S001": (0, 10, 1), "S002": (1, 10, 9)}
    rows = [
        {"area": ("E", "R0", "800", school), "group": f"G{g}", "count": n}
        for school, values in counts.items()
        for g, n in enumerate(values)
    ]
    data = place_rows(rows)
    values = data.shape.aggregate(leaf_grid(data, [row["count"] for row in rows]))
    primary = primary_mask(values, THRESHOLD, zeros_disclosive=False)
    pinned = data.shape.cell(data.shape.nodes.index(("E", "R0", "800", "S001")), 2)
    line_rule = secondary_suppress(data.shape, values, primary, THRESHOLD)
    assert suppressed_intervals(data.shape, values, line_rule)[pinned] == (0.0, 1.0)
    exact = secondary_pattern(data.shape, values, primary, THRESHOLD, zeros_disclosive=False)
    low, high = suppressed_intervals(data.shape, values, exact)[pinned]
    assert high - low >= THRESHOLD


def test_shape_rejects_mixed_depths() -> None:
    with pytest.raises(TableError, match="same number of levels"):
        build_shape([("E", "a"), ("E", "a", "b")], [None, None])
