"""The ledger's name for the population an area filter asks for (the daily series' and the closures'
areas), the same as a summary's cell of that area (gateway.privacy.releases.path_series)."""

from __future__ import annotations

import pytest

from gateway.edge.release_control import area_series
from gateway.privacy.releases import path_series
from gateway.store.scope import AreaFilter


@pytest.mark.parametrize(
    ("area", "path", "trust"),
    [
        (AreaFilter(), ("E92000001",), False),
        (AreaFilter(region="London"), ("E92000001", "London"), False),
        (AreaFilter(region="London", la_code=202), ("E92000001", "London", "202"), False),
        (AreaFilter(la_code=202, urn=100001), ("E92000001", "London", "202", "100001"), False),
        (AreaFilter(trust_id=7), ("E92000001", "7"), True),
    ],
)
def test_an_area_filter_names_the_series_its_summary_cell_is_in(
    area: AreaFilter, path: tuple[str, ...], trust: bool
) -> None:
    assert area_series(area) == path_series(path, trust=trust)
