"""The table builder refuses every malformed set of rows with the reason (fail closed)."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.privacy.tables import TOTAL, TableError, build_shape, place_rows


def test_a_table_without_rows_is_refused() -> None:
    with pytest.raises(TableError, match=r"^a table needs at least one row$"):
        build_shape([], [])


@pytest.mark.parametrize("areas", [[("E1",), ("E1", "S1")], [()]])
def test_area_paths_of_mixed_or_zero_depth_are_refused(areas: list[tuple[str, ...]]) -> None:
    with pytest.raises(TableError, match=r"^every row's area path must name the same number of levels$"):
        build_shape(areas, [None] * len(areas))


def test_rows_with_and_without_a_group_are_refused() -> None:
    with pytest.raises(TableError, match=r"^either every row names a group or none does$"):
        build_shape([("E1", "S1"), ("E1", "S2")], ["boys", None])


def test_the_margin_name_is_reserved() -> None:
    with pytest.raises(TableError, match=rf"^{TOTAL!r} is reserved for the margin$"):
        build_shape([("E1", "S1")], [TOTAL])


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"area": "E1/S1", "group": None}, "row 0: 'area' must be a sequence of area codes"),
        ({"area": ["E1", 7], "group": None}, "row 0: 'area' must be a sequence of area codes"),
        ({"area": ["E1", "S1"], "group": 3}, "row 0: 'group' must be text or null"),
    ],
)
def test_a_row_with_a_malformed_area_or_group_is_refused(row: dict[str, Any], message: str) -> None:
    with pytest.raises(TableError) as raised:
        place_rows([row])
    assert str(raised.value) == message


def test_two_rows_for_one_cell_are_refused() -> None:
    rows = [{"area": ("E1", "S1"), "group": "boys"}, {"area": ["E1", "S1"], "group": "boys"}]
    with pytest.raises(TableError) as raised:
        place_rows(rows)
    assert str(raised.value) == "two rows for area E1/S1 and group 'boys'"
