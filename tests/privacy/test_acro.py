"""Primary suppression agrees with ACRO (SACRO) on the same table, threshold and zero rule."""

from __future__ import annotations

from typing import Any

import acro
import pandas as pd
import pytest

from gateway.privacy.disclosure import protect
from tests.privacy.microdata import microdata, rows_from
from tests.privacy.profiles import ALL_BREAKDOWNS, query_space

THRESHOLD_ONLY: dict[str, Any] = {
    "name": "acro-defaults",
    "threshold": 10,  # ACRO's safe_threshold
    "zeros_disclosive": True,  # ACRO's zeros_are_disclosive
    "round_to": None,
    "totals": "recompute",
    "secondary": False,
    "cell_key": False,
    "ptable": None,
    "dominance": None,
    "rate_decimals": 1,
    "query_space": query_space("free", 0, ALL_BREAKDOWNS, False),
    "exact_own_figures": [],
    "min_comparator_schools": 3,
}


@pytest.mark.parametrize("seed", [1, 2])
def test_school_by_group_primary_suppression_matches_acro(seed: int) -> None:
    frame = microdata(seed=seed, pupils=500)
    session = acro.ACRO(suppress=True)
    table = session.crosstab(frame["school"], frame["group"])
    acro_suppressed = {
        (str(school), str(group)): bool(pd.isna(table.loc[school, group]))
        for school in table.index
        for group in table.columns
    }
    ours = protect(rows_from(frame), ["enrolments"], THRESHOLD_ONLY)
    leaves = {(c.area[-1], c.group): c.values["enrolments"] == "c" for c in ours.cells if len(c.area) == 4}
    mine = {key: leaves.get(key, True) for key in acro_suppressed}  # an unobserved cell is a zero
    assert mine == acro_suppressed
    assert any(acro_suppressed.values())
    assert not all(acro_suppressed.values())
