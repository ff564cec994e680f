"""Cells a requester holds already are not new: dropping them (novel_releases) changes no ledger verdict."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import event, given, settings
from hypothesis import strategies as st

from gateway.privacy.differencing import Publication, Release, check_releases, novel_releases
from gateway.privacy.disclosure import DisclosureProfile
from tests.privacy.profiles import ROUNDING_ONLY

ROUNDED = Publication.of(DisclosureProfile.from_policy(ROUNDING_ONLY))
START = date(2025, 9, 1)


@st.composite
def releases(draw: st.DrawFn) -> Release:
    true_value = draw(st.integers(0, 60))
    published = draw(
        st.sampled_from(
            [true_value - true_value % 5, "c"]
            if true_value < 10
            else [true_value - true_value % 5, true_value - true_value % 5 + 5]
        )
    )
    day = draw(st.integers(0, 4))
    return Release(draw(st.sampled_from(["S1", "S2"])), START, START + timedelta(days=day), (), "n", published,
                   true_value)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(prior=st.lists(releases(), max_size=6), repeats=st.lists(st.integers(0, 5), max_size=4),
       extra=st.lists(releases(), max_size=3), later=st.lists(releases(), min_size=1, max_size=3))  # fmt: skip
def test_a_ledger_without_the_copies_gives_every_later_check_the_same_verdict(
    prior: list[Release], repeats: list[int], extra: list[Release], later: list[Release]
) -> None:
    """The ledger records novel_releases(new, prior), not new: whatever is asked next is decided alike."""
    new = [prior[i % len(prior)] for i in repeats] if prior else []
    new += extra
    fresh = novel_releases(new, prior)
    event(f"copies dropped: {len(new) - len(fresh)}")
    assert all(r not in prior for r in fresh)
    assert len(set(fresh)) == len(fresh)
    assert set(fresh) | set(prior) == set(new) | set(prior)
    full = check_releases(later, [*prior, *new], ROUNDED)
    recorded = check_releases(later, [*prior, *fresh], ROUNDED)
    event(f"allowed {full.allowed}")
    assert (full.allowed, full.rule, full.refused) == (recorded.allowed, recorded.rule, recorded.refused)
