"""released_counts: each published count cell of a protected table, with its true value and cell key."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest

from gateway.privacy.disclosure import DisclosureProfile, Measure, protect
from gateway.privacy.releases import released_counts
from gateway.privacy.tables import TOTAL
from tests.privacy.profiles import policy_profiles

DAY = date(2025, 9, 8)
ROWS: list[dict[str, Any]] = [
    {"area": ("E", "886", "S1"), "group": "female", "n": 12, "s": 40, "record_key_sum": {"n": 300}},
    {"area": ("E", "886", "S1"), "group": "male", "n": 3, "s": 9, "record_key_sum": {"n": 20}},
    {"area": ("E", "886", "S2"), "group": "female", "n": 30, "s": 99, "record_key_sum": {"n": 511}},
    {"area": ("E", "886", "S2"), "group": "male", "n": 25, "s": 70, "record_key_sum": {"n": 7}},
]
MEASURES: list[str | Measure] = ["n", Measure("s", "magnitude", "n")]


def _profile(name: str) -> DisclosureProfile:
    return DisclosureProfile.from_policy(policy_profiles()[name])


def test_every_count_cell_is_released_with_its_true_value_and_cell_key() -> None:
    table = protect(ROWS, MEASURES, _profile("published"))
    releases = released_counts(
        ROWS,
        MEASURES,
        table,
        date_from=DAY,
        date_to=DAY,
        filters=[("phase", "primary")],
        breakdown="sex",
        area_of="/".join,  # the paths as they are (the default names them as series: test_ledger_series)
    )
    assert len(releases) == len(table.cells)  # one count measure; the magnitude is not recorded
    assert {r.measure for r in releases} == {"n"}
    by_cell = {(r.area, r.filters): r for r in releases}
    s1_female = by_cell[("E/886/S1", (("phase", "primary"), ("sex", "female")))]
    assert (s1_female.true_value, s1_female.cell_key) == (12, 300 % 256)
    assert s1_female.published == table.cell(("E", "886", "S1"), "female").values["n"]
    la_total = by_cell[("E/886", (("phase", "primary"),))]  # the margin carries no group filter
    assert (la_total.true_value, la_total.cell_key) == (70, (300 + 20 + 511 + 7) % 256)
    assert la_total.published == table.cell(("E", "886"), TOTAL).values["n"]
    assert {(r.date_from, r.date_to) for r in releases} == {(DAY, DAY)}


def test_rows_without_record_keys_release_cells_without_a_key() -> None:
    rows = [{k: v for k, v in row.items() if k != "record_key_sum"} for row in ROWS]
    profile = _profile("school-benchmark")
    table = protect(rows, MEASURES, profile)
    releases = released_counts(rows, MEASURES, table, date_from=DAY, date_to=DAY)
    assert {r.cell_key for r in releases} == {None}
    england = {r.filters: r.true_value for r in releases if r.area == "England"}
    assert england == {(("group", "female"),): 42, (("group", "male"),): 28, (): 70}


def test_a_table_from_other_rows_is_refused() -> None:
    table = protect(ROWS[:2], MEASURES, _profile("published"))
    with pytest.raises(ValueError, match="not protected from these rows"):
        released_counts(ROWS, MEASURES, table, date_from=DAY, date_to=DAY)


def test_a_table_whose_cells_are_out_of_the_shapes_order_is_refused() -> None:
    table = protect(ROWS, MEASURES, _profile("published"))
    shuffled = dataclasses.replace(table, cells=tuple(reversed(table.cells)))
    with pytest.raises(ValueError, match="not in the shape's order"):
        released_counts(ROWS, MEASURES, shuffled, date_from=DAY, date_to=DAY)
