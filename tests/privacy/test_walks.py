"""Issue 16's walk: adjacent populations (joiners, leavers, threshold crossings) never pin a count.

Each walk is one school's cell asked over successive periods whose populations differ by a few pupils
with their own record keys. Every release goes through the ledger (gateway.privacy.differencing); the
attacker (tests/privacy/walks.py, a forward model that never calls the ledger) knows every true
difference, and must still be left with at least two values for any chain holding a count under 60.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings, target
from hypothesis import strategies as st

from gateway.privacy.differencing import FULL_RULE, MAX_CHAIN, PIN_RULE, Publication, Release, check_releases
from gateway.privacy.disclosure import DisclosureProfile
from gateway.privacy.ptable import named_ptable
from tests.privacy.profiles import PROFILES, PTABLE, ROUNDING_ONLY
from tests.privacy.walks import feasible_shifts, publish_one, published_forms

PERTURBING = ("published", "ogd-aggregate", "research")
ROUNDING = ("school-benchmark",)
START = date(2025, 9, 1)


def _release(day: int, published: int | str, true_value: int, measure: str = "n") -> Release:
    return Release("S1", START, START + timedelta(days=day), (), measure, published, true_value)


def _publication(profile: dict[str, Any]) -> Publication:
    return Publication.of(DisclosureProfile.from_policy(profile))


steps = st.lists(
    st.tuples(st.integers(-3, 3), st.lists(st.integers(0, 255), min_size=3, max_size=3)),
    min_size=1,
    max_size=10,
)


@pytest.mark.parametrize("name", [*PERTURBING, *ROUNDING])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    start=st.one_of(st.integers(6, 13), st.integers(0, 14), st.integers(0, 60)),
    first_keys=st.lists(st.integers(0, 255), max_size=60),
    walk=steps,
)
def test_a_walk_of_joiners_and_leavers_never_pins_a_count(
    name: str, start: int, first_keys: list[int], walk: list[tuple[int, list[int]]]
) -> None:
    profile = PROFILES[name]
    publication = _publication(profile)
    records = (first_keys * (start // max(len(first_keys), 1) + 1))[:start] if first_keys else [7] * start
    answered: list[Release] = []
    refused = 0
    counts = []
    for day, (delta, joiner_keys) in enumerate([(0, []), *walk]):
        if delta > 0:
            records = records + joiner_keys[:delta]
        elif delta < 0:
            records = records[: max(len(records) + delta, 0)]
        counts.append(len(records))
        published = publish_one(profile, len(records), sum(records))
        assert published in published_forms(profile, len(records))  # the attacker's model is the truth's
        release = _release(day, published, len(records))
        if check_releases([release], answered, publication).allowed:
            answered.append(release)
        else:
            refused += 1
    crossed = min(counts) < 10 <= max(counts)
    event(f"{name}: crosses the threshold" if crossed else f"{name}: stays on one side")
    event(f"{name}: ledger refused {min(refused, 2)}{'+' if refused >= 2 else ''} releases")
    target(float(refused), label="refusals")
    shifts = feasible_shifts(profile, answered)
    assert 0 in shifts
    if any(publication.sensitive(r.true_value, 60) for r in answered):
        assert len(shifts) >= 2


def test_without_the_ledger_rounding_pins_small_counts_by_walking() -> None:
    # The attack of issue 16 on a rounding profile: c beside a 10 one pupil larger means 9.
    releases = [_release(0, "c", 9), _release(1, 10, 10)]
    assert [publish_one(ROUNDING_ONLY, r.true_value, 0) for r in releases] == ["c", 10]
    assert feasible_shifts(ROUNDING_ONLY, releases) == [0]
    verdict = check_releases(releases[1:], releases[:1], _publication(ROUNDING_ONLY))
    assert (verdict.allowed, verdict.rule, verdict.refused) == (False, PIN_RULE, (releases[1],))


def test_a_re_asked_cell_gains_nothing_and_is_allowed() -> None:
    profile = PROFILES["published"]
    published = publish_one(profile, 7, 1234)
    first = _release(0, published, 7)
    again = _release(0, published, 7)
    assert publish_one(profile, 7, 1234) == published  # same records, same key, same noise
    assert check_releases([again], [first] * 50, _publication(profile)).allowed


def test_a_complementary_c_bounds_only_from_below() -> None:
    publication = _publication(ROUNDING_ONLY)
    assert publication.preimage("c", 40).values is None
    assert publication.preimage("c", 40).low == -30
    assert publication.preimage("c", 4).values == frozenset(range(-3, 6))
    assert publication.preimage("x", 4).values is None


def test_a_chain_past_its_bound_is_refused_without_being_checked() -> None:
    prior = [_release(d, 40, 40) for d in range(MAX_CHAIN)]
    verdict = check_releases([_release(MAX_CHAIN, 40, 40)], prior, _publication(ROUNDING_ONLY))
    assert (verdict.allowed, verdict.rule) == (False, FULL_RULE)


def test_copies_of_one_cell_count_once_towards_the_bound() -> None:
    copies = [_release(d % 300, 40, 40) for d in range(MAX_CHAIN + 500)]  # an old ledger's repeats
    assert check_releases([_release(301, 40, 40)], copies, _publication(ROUNDING_ONLY)).allowed


def test_other_chains_do_not_slow_or_change_the_check() -> None:
    other = [Release(f"S{n}", START, START, (), "n", "c", 5) for n in range(2, 500)]
    pair = [_release(0, "c", 9), _release(1, 10, 10)]
    assert not check_releases(pair[1:], [*other, pair[0]], _publication(ROUNDING_ONLY)).allowed
    assert check_releases(pair[1:], other, _publication(ROUNDING_ONLY)).allowed


def _pair_pins(
    profile: dict[str, Any], counts: range
) -> tuple[int, int, list[tuple[int, int | str, int | str]]]:
    """Exhaustively: (pinned pairs, all pairs, the pinned ones) for cells x and x + one joiner, every key pair."""
    pinned, total, examples = 0, 0, []
    for x in counts:
        for a in sorted(published_forms(profile, x), key=str):
            for b in sorted(published_forms(profile, x + 1), key=str):
                weight = 1
                parsed = DisclosureProfile.from_policy(profile)
                if parsed.key_dependent:
                    noise = named_ptable(PTABLE).published_values(np.asarray([x, x + 1]))
                    if parsed.round_to:
                        noise = (noise + parsed.round_to // 2) // parsed.round_to * parsed.round_to
                    # Cell keys: k for x, k + r for x + 1 (the joiner's key r is uniform, so every pair counts).
                    weight = int((noise[0] == a).sum()) * int((noise[1] == b).sum())
                total += weight
                if feasible_shifts(profile, [_release(0, a, x), _release(1, b, x + 1)]) == [0]:
                    pinned += weight
                    examples.append((x, a, b))
    return pinned, total, examples


def test_rounding_flips_pin_one_value_in_five_from_10_to_59_and_the_ledger_refuses_each() -> None:
    pinned, total, examples = _pair_pins(PROFILES["school-benchmark"], range(10, 60))
    assert (pinned, total) == (10, 50)
    assert [x for x, _, _ in examples] == list(range(12, 60, 5))  # 42 -> 40 beside 43 -> 45: 42 exactly
    publication = _publication(PROFILES["school-benchmark"])
    for x, a, b in examples:
        assert not check_releases([_release(1, b, x + 1)], [_release(0, a, x)], publication).allowed


def test_key_dependent_noise_pins_a_10_to_59_pair_only_at_opposite_extremes_and_the_ledger_refuses_those() -> (
    None
):
    pinned, total, examples = _pair_pins(PROFILES["published"], range(10, 60))
    assert total == 50 * 256 * 256
    # 4.9e-6 of all key pairs (perturbed, then rounded to 5), against 1 in 5 values for rounding.
    assert pinned == 16
    publication = _publication(PROFILES["published"])
    for x, a, b in examples:
        assert not check_releases([_release(1, b, x + 1)], [_release(0, a, x)], publication).allowed
