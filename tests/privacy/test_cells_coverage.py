"""Dominance needs every row's largest contributions: a row without them is refused by number."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.privacy.cells import DisclosureError, top_sums
from gateway.privacy.tables import place_rows


@pytest.mark.parametrize("tops", [None, 12, [5, -1], [5, "4"]])
def test_a_row_without_valid_top_contributions_is_refused(tops: Any) -> None:
    rows: list[dict[str, Any]] = [
        {"area": ("E1", "S1"), "group": None, "sessions__top": [9, 4]},
        {"area": ("E1", "S2"), "group": None, "sessions__top": tops},
    ]
    data = place_rows(rows)
    with pytest.raises(DisclosureError) as raised:
        top_sums(data.shape, data, rows, "sessions", 2)
    assert str(raised.value) == "row 1: dominance needs 'sessions__top', the largest contributions"
