"""The attacker of issue 16, written independently of the ledger: forward models of what each profile publishes.

`published_forms(profile, x)` is every value a one-cell table of true count x can show under the profile
(any cell key); `feasible_shifts(profile, releases)` is every common shift u consistent with all the
answered releases of one chain when the attacker knows every true difference (u = 0 is the truth).
A chain may mix routes: a release recorded as published without a p-table (`scheme` ending `p=`, the
daily series, closures and benchmarks) is modelled under the profile without perturbation.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np

from gateway.privacy.differencing import Release
from gateway.privacy.disclosure import DisclosureProfile, protect
from gateway.privacy.ptable import named_ptable

SHIFTS = range(-40, 41)


def publish_one(profile: dict[str, Any], count: int, key_sum: int) -> int | str:
    """What protect() shows for a one-cell table (one school in one LA) of `count` records with that key sum."""
    rows = [{"area": ("E92000001", "886", "S1"), "group": None, "n": count, "record_key_sum": key_sum}]
    return protect(rows, ["n"], profile).cell(("E92000001", "886", "S1")).values["n"]


@functools.cache
def _forms(profile_json: str, x: int) -> frozenset[int | str]:
    import json

    profile = DisclosureProfile.from_policy(json.loads(profile_json))
    if x < 0:
        return frozenset()
    if profile.key_dependent:
        assert profile.ptable is not None
        values = {int(v) for v in named_ptable(profile.ptable).published_values(np.asarray([x]))[0]}
        if profile.round_to:
            base = profile.round_to
            values = {(v + base // 2) // base * base for v in values}
        if profile.zeros_disclosive:
            return frozenset("c" if v == 0 else v for v in values)
        return frozenset(values)
    if x == 0:
        return frozenset({"c" if profile.zeros_disclosive else 0})
    if x < profile.threshold:
        return frozenset({"c"})
    base = profile.round_to or 1
    return frozenset({(x + base // 2) // base * base})


def published_forms(profile: dict[str, Any], x: int) -> frozenset[int | str]:
    import json

    return _forms(json.dumps(profile, sort_keys=True), x)


def as_published(profile: dict[str, Any], release: Release) -> dict[str, Any]:
    """The profile the release was published under: without perturbation where its scheme names no p-table."""
    if release.scheme is not None and release.scheme.endswith("p="):
        return {**profile, "cell_key": False, "ptable": None}
    return profile


def feasible_shifts(profile: dict[str, Any], releases: Sequence[Release]) -> list[int]:
    return [
        u
        for u in SHIFTS
        if all(r.published in published_forms(as_published(profile, r), r.true_value + u) for r in releases)
    ]
