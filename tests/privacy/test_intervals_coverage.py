"""The interval check's edge cases: top-level leaves, contradictory values, and nothing left to suppress."""

from __future__ import annotations

import numpy as np
import pytest

from gateway.privacy import intervals
from gateway.privacy.intervals import enforce_intervals, tight_cells
from gateway.privacy.tables import BoolArray, IntArray, TableShape, build_shape


def _ints(values: list[int]) -> IntArray:
    return np.asarray(values, dtype=np.int64)


def _flags(values: list[int]) -> BoolArray:
    return np.asarray(values, dtype=np.bool_)


def test_a_top_level_leaf_is_bounded_by_its_program_alone() -> None:
    # One area (a top-level leaf, so no sibling rectangle) with groups x and y: Total 11 = x + y, with x
    # and y hidden. x can be anything from 0 to 11, wide enough for a threshold of 11, not of 12.
    shape = build_shape([("E",), ("E",)], ["x", "y"])
    assert shape.parents == (-1,)
    assert shape.columns == ("x", "y", "Total")
    values = _ints([4, 7, 11])
    hidden = _flags([1, 1, 0])
    assert tight_cells(shape, values, hidden, [0], 11) == []
    assert tight_cells(shape, values, hidden, [0], 12) == [0]


def test_a_cell_in_no_line_is_unbounded() -> None:
    # Two top-level areas and no breakdown: no line binds the hidden cell, so nothing bounds it above.
    shape = build_shape([("E",), ("W",)], [None, None])
    assert shape.lines == ()
    assert tight_cells(shape, _ints([4, 7]), _flags([1, 0]), [0], 1000) == []


def test_values_that_contradict_the_lines_leave_the_cell_tight() -> None:
    # Total 1 over a hidden part and a published part of 2: no non-negative value fits, so the program is
    # infeasible, no range is observed, and the cell is reported tight (fail closed).
    shape = build_shape([("E", "a"), ("E", "b")], [None, None])
    assert tight_cells(shape, _ints([1, 0, 2]), _flags([0, 1, 0]), [1], 3) == [1]


def test_a_tight_cell_with_nothing_left_to_suppress_hides_the_whole_table() -> None:
    # Total 0 over parts a and b, both hidden, a a disclosive zero: the published total pins a to 0.
    # The nearest ring offers only that zero total and leads on to b, whose lines lead nowhere new, so
    # no cell can be added and the pattern fails closed.
    shape = build_shape([("E", "a"), ("E", "b")], [None, None])
    suppressed = _flags([0, 1, 1])
    sensitive = _flags([0, 1, 0])
    result = enforce_intervals(shape, _ints([0, 0, 0]), suppressed, sensitive, 3, zeros_disclosive=True)
    assert result.tolist() == [True, True, True]
    assert suppressed.tolist() == [False, True, True]


def _zeros_table() -> tuple[TableShape, IntArray, BoolArray]:
    # Areas a and b under E, groups x and y; only b/y (5) is non-zero. a/x (cell 3) is hidden.
    shape = build_shape([("E", "a"), ("E", "a"), ("E", "b"), ("E", "b")], ["x", "y", "x", "y"])
    values = shape.aggregate(_ints([0, 0, 0, 5]).reshape(2, 2))
    assert values.tolist() == [0, 5, 5, 0, 0, 0, 0, 5, 5]
    hidden = np.zeros(9, dtype=np.bool_)
    hidden[3] = True
    return shape, values, hidden


def test_a_cell_whose_neighbours_are_all_published_zeros_takes_the_lowest_numbered_zero() -> None:
    # a/x is a disclosive zero whose lines hold only published zeros (E/x, b/x, a/y, a/Total). The first
    # of them, E/x (cell 0), is suppressed in the first round, the line rule then hides every cell but
    # E/Total (cell 2), and the second round finds nothing tight.
    shape, values, hidden = _zeros_table()
    result = enforce_intervals(shape, values, hidden, hidden.copy(), 3, zeros_disclosive=True)
    assert result.tolist() == [True, True, False, True, True, True, True, True, True]


def test_a_pattern_still_tight_after_the_last_round_hides_the_whole_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The same table needs two rounds; allowed only one, the check gives up and publishes nothing,
    # E/Total included.
    monkeypatch.setattr(intervals, "MAX_ROUNDS", 1)
    shape, values, hidden = _zeros_table()
    result = enforce_intervals(shape, values, hidden, hidden.copy(), 3, zeros_disclosive=True)
    assert result.tolist() == [True] * 9


def test_with_nothing_primary_nothing_is_suppressed() -> None:
    shape = build_shape([("E", "a"), ("E", "b")], [None, None])
    result = intervals.secondary_pattern(
        shape, _ints([3, 1, 2]), _flags([0, 0, 0]), 10, zeros_disclosive=True
    )
    assert result.tolist() == [False, False, False]


def test_with_no_threshold_the_primary_pattern_is_kept_as_it_is() -> None:
    # A lone hidden part would be read off its total and sibling; with no threshold nothing is protected.
    shape = build_shape([("E", "a"), ("E", "b")], [None, None])
    primary = _flags([0, 1, 0])
    result = intervals.secondary_pattern(shape, _ints([3, 1, 2]), primary, 0, zeros_disclosive=True)
    assert result.tolist() == [False, True, False]
    assert result is not primary
