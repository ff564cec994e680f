"""Synthetic trusts: about half of the academies, in trusts of 2 to 50+ schools, written to schools.csv."""

from __future__ import annotations

import csv
from collections import Counter

import numpy as np
from hypothesis import example, given, target
from hypothesis import strategies as st

from gateway.synth.generate import resolve_las
from gateway.synth.schools import DEFAULT_LAS, generate_schools
from gateway.synth.trusts import assign_trusts, is_academy, trust_sizes


@given(pool=st.integers(0, 500), seed=st.integers(0, 2**32 - 1))
@example(pool=61, seed=82)  # a largest trust with one school left over once made a trust of 61
def test_trust_sizes_take_the_whole_pool_and_never_leave_a_trust_of_one(pool, seed) -> None:
    sizes = trust_sizes(np.random.default_rng(seed), pool)
    target(float(pool))
    assert sum(sizes) == (pool if pool >= 2 else 0)
    assert all(2 <= s <= 60 for s in sizes)


def test_a_national_sized_set_has_half_its_academies_in_trusts_from_2_to_over_50_schools() -> None:
    schools = generate_schools(np.random.default_rng(2), 1000, resolve_las(DEFAULT_LAS))
    with_trusts = assign_trusts(np.random.default_rng(3), schools)
    academies = [s for s in with_trusts if is_academy(s)]
    in_trusts = [s for s in with_trusts if s.trust_id is not None]
    sizes = Counter(s.trust_id for s in in_trusts)
    assert len(in_trusts) == round(len(academies) / 2)
    assert all(is_academy(s) for s in in_trusts)
    assert (min(sizes.values()), max(sizes.values()) >= 50) == (2, True)
    assert len({s.trust_name for s in in_trusts}) == len(sizes)
    assert [(s.urn, s.la_code) for s in with_trusts] == [(s.urn, s.la_code) for s in schools]


def test_schools_csv_carries_each_schools_trust(small_dataset) -> None:
    folder, manifest = small_dataset
    with (folder / "schools.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    listed = {(int(r["trust_id"]), r["trust_name"], int(r["urn"])) for r in rows if r["trust_id"]}
    expected = {(t["trust_id"], t["name"], urn) for t in manifest.trusts for urn in t["urns"]}
    assert listed == expected
    assert len(listed) == manifest.counts["academies_in_trusts"] > 0
    assert all(r["trust_name"] == "" for r in rows if not r["trust_id"])
