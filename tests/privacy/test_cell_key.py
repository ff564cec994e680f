"""Cell-key perturbation agrees with ONS's cell-key-perturbation package on the same microdata and keys."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from cell_key_perturbation.create_perturbed_table import create_perturbed_table

from gateway.privacy.disclosure import protect
from gateway.privacy.ptable import KEY_RANGE, MAX_PCV, PTable
from tests.privacy.microdata import microdata, rows_from
from tests.privacy.profiles import ALL_BREAKDOWNS, query_space

# The package installs its 10-5 p-table at the environment's root.
SHIPPED_PTABLE = Path(sys.prefix) / "ptable_10_5_rule.csv"
PUBLISHED_LIKE_ONS: dict[str, Any] = {
    "name": "published",
    "threshold": 10,
    "zeros_disclosive": True,  # ONS blanks every perturbed count under the threshold, zeros included
    "round_to": None,
    "totals": "round_independently",
    "secondary": False,
    "cell_key": True,
    "ptable": "ons-10-5",
    "dominance": None,
    "rate_decimals": 1,
    "query_space": query_space("free", 0, ALL_BREAKDOWNS, False),
    "exact_own_figures": [],
    "min_comparator_schools": 3,
}


def _ons(
    frame: pd.DataFrame, ptable: pd.DataFrame, geog: list[str], tab_vars: list[str]
) -> dict[tuple[str, ...], Any]:
    table = create_perturbed_table(
        data=frame, ptable=ptable, geog=geog, tab_vars=tab_vars, record_key="record_key", threshold=10
    )
    return {
        tuple(str(row[c]) for c in geog + tab_vars): ("c" if pd.isna(row["count"]) else int(row["count"]))
        for _, row in table.iterrows()
    }


def test_our_ons_10_5_ptable_is_the_shipped_csv() -> None:
    shipped = pd.read_csv(SHIPPED_PTABLE)
    assert int(shipped["ckey"].max()) == KEY_RANGE - 1  # record keys 0..255, as our store holds
    assert int(shipped["ckey"].min()) == 0
    noise = PTable.ons_10_5().noise
    assert int(shipped["pcv"].max()) == MAX_PCV
    assert (
        noise[shipped["pcv"].to_numpy(), shipped["ckey"].to_numpy()] == shipped["pvalue"].to_numpy()
    ).all()


def test_school_by_group_cells_equal_ons(capsys: pytest.CaptureFixture[str]) -> None:
    frame = microdata(seed=3)
    ons = _ons(frame, pd.read_csv(SHIPPED_PTABLE), ["school"], ["group"])
    ours = protect(rows_from(frame), ["enrolments"], PUBLISHED_LIKE_ONS)
    leaves = {
        (c.area[-1], c.group): c.values["enrolments"]
        for c in ours.cells
        if len(c.area) == 4 and c.group != "Total"
    }
    assert {key: leaves[key] for key in ons} == ons
    assert any(value == "c" for value in ons.values())
    assert any(value != "c" for value in ons.values())


def test_la_margins_equal_ons_on_the_same_records() -> None:
    frame = microdata(seed=4)
    ons_by_group = _ons(frame, pd.read_csv(SHIPPED_PTABLE), ["la"], ["group"])
    ons_totals = _ons(frame, pd.read_csv(SHIPPED_PTABLE), ["la"], [])
    ours = protect(rows_from(frame), ["enrolments"], PUBLISHED_LIKE_ONS)
    by_group = {(c.area[-1], c.group): c.values["enrolments"] for c in ours.cells if len(c.area) == 3}
    assert {key: by_group[key] for key in ons_by_group} == ons_by_group
    assert {(la,): by_group[(la, "Total")] for (la,) in ons_totals} == ons_totals


def test_a_key_dependent_ptable_gives_the_same_noise_as_ons(tmp_path: Path) -> None:
    # The shipped table ignores the cell key; this one does not, so it tests the key arithmetic itself.
    rng = np.random.default_rng(11)
    pcv, ckey = np.meshgrid(np.arange(1, MAX_PCV + 1), np.arange(KEY_RANGE), indexing="ij")
    pvalue = np.maximum(rng.integers(-3, 4, size=pcv.shape), -pcv)
    ptable = pd.DataFrame({"pcv": pcv.ravel(), "ckey": ckey.ravel(), "pvalue": pvalue.ravel()})
    path = tmp_path / "noisy.csv"
    ptable.to_csv(path, index=False)
    frame = microdata(seed=5)
    ons = _ons(frame, ptable, ["school"], ["group"])
    rows = rows_from(frame)
    ours = PTable.from_csv(path).perturb(
        np.asarray([r["enrolments"] for r in rows]),
        np.asarray([r["record_key_sum"]["enrolments"] for r in rows]),
    )
    mine = {
        (r["area"][-1], r["group"]): (int(v) if v >= 10 else "c") for r, v in zip(rows, ours, strict=True)
    }
    assert mine == ons


def test_the_same_cell_gets_the_same_noise_whatever_else_is_in_the_table() -> None:
    frame = microdata(seed=6)
    whole = protect(rows_from(frame), ["enrolments"], PUBLISHED_LIKE_ONS)
    one_la = frame[frame["la"] == "800"]
    part = protect(rows_from(one_la), ["enrolments"], PUBLISHED_LIKE_ONS)
    below_the_la = [cell for cell in part.cells if len(cell.area) >= 3]
    assert len(below_the_la) > 1  # the LA and its schools: cells the two tables share
    assert [whole.cell(c.area, c.group).values for c in below_the_la] == [c.values for c in below_the_la]
