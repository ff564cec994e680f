"""The key-dependent p-table: designed as the sdcTools ptable method says, shipped as generated, equal to ONS's."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest
from cell_key_perturbation.create_perturbed_table import create_perturbed_table

from gateway.privacy import ptable as ptable_module
from gateway.privacy.disclosure import protect
from gateway.privacy.ptable import KEY_RANGE, MAX_PCV, PTable, PTableError, named_ptable
from gateway.privacy.ptable_design import (
    PTableDesignError,
    PTableParameters,
    design_rows,
    max_entropy,
    minimum_variance,
    quantise_row,
    targets,
)
from tests.privacy.microdata import microdata, rows_from
from tests.privacy.profiles import PROFILES, PTABLE

GENERATOR = Path(ptable_module.PTABLE_DIR) / "generate.py"
THRESHOLD, D, V = 10, 10, 3.0


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ptable_generate", GENERATOR)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def noise() -> np.ndarray:
    return named_ptable(PTABLE).noise


def test_the_shipped_file_is_what_the_generator_makes() -> None:
    text, entry = _generator().build()
    assert (ptable_module.PTABLE_DIR / f"{PTABLE}.csv").read_text() == text
    assert entry["sha256"] == __import__("hashlib").sha256(text.encode()).hexdigest()


def test_every_row_is_exactly_unbiased_over_the_256_keys(noise: np.ndarray) -> None:
    assert noise.shape == (MAX_PCV + 1, KEY_RANGE)
    assert (noise[1:].sum(axis=1) == 0).all()


def test_noise_never_exceeds_d_nor_publishes_a_count_from_1_to_9(noise: np.ndarray) -> None:
    published = np.arange(MAX_PCV + 1)[:, None] + noise
    assert int(np.abs(noise).max()) == D
    assert not ((published >= 1) & (published < THRESHOLD)).any()
    assert int(published.min()) == 0
    assert (noise[0] == 0).all()  # a true zero stays zero


def test_large_counts_have_the_designed_variance_and_depend_on_the_key(noise: np.ndarray) -> None:
    variances = noise[D + THRESHOLD :].astype(float).var(axis=1)
    assert np.allclose(variances, variances[0])  # one "symmetry" distribution from D + js + 1 on
    assert abs(variances[0] - V) < 0.1
    assert named_ptable(PTABLE).key_dependent
    assert not named_ptable("ons-10-5").key_dependent
    # Rows use different key orders: a record with key 0 joining a cell does not carry its noise along.
    assert (noise[100] != noise[101]).sum() > 150


def test_a_small_count_goes_to_zero_or_past_the_threshold_with_mean_zero(noise: np.ndarray) -> None:
    for count in range(1, THRESHOLD):
        published = count + noise[count]
        assert set(np.unique(published).tolist()) <= {0, *range(THRESHOLD, count + D + 1)}
        assert float(published.mean()) == count


def test_maximum_entropy_is_the_widest_unbiased_distribution_of_that_variance() -> None:
    v = np.arange(-3, 4)
    p = max_entropy(v, 1.5)
    assert abs(float(p @ v)) < 1e-9
    assert abs(float(p @ v**2) - 1.5) < 1e-6
    assert np.allclose(p, p[::-1])  # symmetric targets: symmetric answer
    wide = max_entropy(v, 100.0)  # the variance does not bind: uniform
    assert np.allclose(wide, 1 / 7)


def test_too_small_a_d_cannot_jump_past_the_blocked_counts() -> None:
    assert targets(1, PTableParameters(max_noise=3, variance=1.0, blocked=9)).tolist() == [-1]
    with pytest.raises(PTableDesignError, match="need D >= 1"):
        design_rows(PTableParameters(max_noise=0, variance=1.0, blocked=9))


def test_a_tampered_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "ptables"
    shutil.copytree(ptable_module.PTABLE_DIR, copy)
    csv = copy / f"{PTABLE}.csv"
    csv.write_text(csv.read_text().replace("1,0,", "1,0,1", 1))
    monkeypatch.setattr(ptable_module, "PTABLE_DIR", copy)
    ptable_module._file_ptable.cache_clear()
    try:
        with pytest.raises(PTableError, match="does not match its recorded SHA-256"):
            named_ptable(PTABLE)
        with pytest.raises(PTableError, match="unknown p-table 'no-such-table'"):
            named_ptable("no-such-table")
    finally:
        ptable_module._file_ptable.cache_clear()


def test_preimages_are_every_count_a_key_can_publish_as_that_value() -> None:
    table = named_ptable(PTABLE)
    values = table.published_values(np.arange(0, 1300))
    for published in (0, 10, 13, 37, 760, 1001):
        expected = {int(c) for c in np.nonzero((values == published).any(axis=1))[0]}
        assert table.preimage(published) == frozenset(expected)
    assert table.preimage(5) == frozenset()
    assert table.preimage(-1) == frozenset()
    assert table.preimage(100_000) == frozenset(range(99_995, 100_006))


def _ons(frame: pd.DataFrame, geog: list[str], tab_vars: list[str]) -> dict[tuple[str, ...], object]:
    ptable = pd.read_csv(ptable_module.PTABLE_DIR / f"{PTABLE}.csv")
    table = create_perturbed_table(
        data=frame, ptable=ptable, geog=geog, tab_vars=tab_vars, record_key="record_key", threshold=THRESHOLD
    )
    return {
        tuple(str(row[c]) for c in geog + tab_vars): (0 if pd.isna(row["count"]) else int(row["count"]))
        for _, row in table.iterrows()
    }


@pytest.mark.parametrize("seed", [3, 8])
def test_published_profile_equals_ons_cell_key_perturbation_with_this_ptable(seed: int) -> None:
    # ONS blanks perturbed counts under the threshold; with this table the only such count is 0.
    frame = microdata(seed=seed)
    # The shipped profile rounds the perturbed counts to 5 as well; ONS's package perturbs only.
    ours = protect(rows_from(frame), ["enrolments"], {**PROFILES["published"], "round_to": None})
    leaves = {
        (c.area[-1], c.group): c.values["enrolments"]
        for c in ours.cells
        if len(c.area) == 4 and c.group != "Total"
    }
    ons = _ons(frame, ["school"], ["group"])
    assert {key: leaves[key] for key in ons} == ons
    las = {
        (c.area[-1],): c.values["enrolments"] for c in ours.cells if len(c.area) == 3 and c.group == "Total"
    }
    assert las == _ons(frame, ["la"], [])
    assert any(v == 0 for v in ons.values())
    assert any(v != 0 for v in ons.values())
    true = {(str(r["area"][-1]), str(r["group"])): r["enrolments"] for r in rows_from(frame)}
    assert any(ons[key] != true[key] for key in ons)  # the noise is really there


def test_noise_of_one_sign_only_is_no_noise() -> None:
    assert max_entropy(np.asarray([0, 1, 2]), 3.0).tolist() == [1.0, 0.0, 0.0]


def test_no_unbiased_noise_means_d_must_grow() -> None:
    with pytest.raises(PTableDesignError, match="no unbiased noise on \\[1, 2\\]: raise D"):
        minimum_variance(np.asarray([1, 2]))


def test_a_row_with_one_target_keeps_all_its_keys() -> None:
    assert quantise_row(np.asarray([0]), np.ones(1), 3.0).tolist() == [256]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("pcv,ckey\n1,0\n", "rows need integer pcv, ckey and pvalue"),
        ("pcv,ckey,pvalue\n1,zero,0\n", "rows need integer pcv, ckey and pvalue"),
        ("pcv,ckey,pvalue\n751,0,0\n", "pcv 751 or ckey 0 out of range"),
        ("pcv,ckey,pvalue\n1,0,-2\n", "sends a count below zero"),
    ],
)
def test_a_malformed_ptable_csv_is_refused(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(PTableError, match=message):
        PTable.from_csv(path)


def test_a_ptable_must_cover_every_count_and_key() -> None:
    with pytest.raises(PTableError, match=r"must cover pcv 0\.\.750 and ckey 0\.\.255"):
        PTable("small", np.zeros((10, 256), dtype=np.int64))
    assert repr(named_ptable(PTABLE)) == f"PTable({PTABLE!r})"
