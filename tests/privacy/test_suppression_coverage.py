"""Secondary suppression when no single published part can cover a line's shortfall."""

from __future__ import annotations

import numpy as np

from gateway.privacy.suppression import dominance_mask, secondary_suppress
from gateway.privacy.tables import build_shape


def test_the_largest_parts_are_hidden_in_turn_then_the_total() -> None:
    # One total (5) over parts 1, 2, 2; only the part of 1 is primary and the threshold is 10. No part
    # covers the 9 still needed, so the largest is taken, then the other, then the total itself.
    shape = build_shape([("E", "a"), ("E", "b"), ("E", "c")], [None, None, None])
    assert shape.nodes == (("E",), ("E", "a"), ("E", "b"), ("E", "c"))
    values = np.asarray([5, 1, 2, 2], dtype=np.int64)
    primary = np.asarray([False, True, False, False], dtype=np.bool_)
    result = secondary_suppress(shape, values, primary, 10)
    assert result.tolist() == [True, True, True, True]
    assert primary.tolist() == [False, True, False, False]


def test_dominance_flags_a_cell_whose_largest_contributions_exceed_the_share() -> None:
    # k = 0.8: 9 of 10 is dominated, 5 of 10 is not, and an empty cell never is.
    values = np.asarray([0, 10, 10], dtype=np.int64)
    tops = np.asarray([0, 9, 5], dtype=np.int64)
    assert dominance_mask(values, tops, 0.8).tolist() == [False, True, False]
