"""The transparency report's disclosure control: no small count is published or recoverable."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gateway.audit.report import THRESHOLD, protect, protected_total, round_to_base


def test_small_counts_are_suppressed_with_a_secondary_cell() -> None:
    assert protect({"allowed": 120, "denied": 3, "failed": 14}) == {
        "allowed": 120,
        "denied": None,
        "failed": None,
    }


def test_two_small_counts_need_no_secondary_suppression() -> None:
    assert protect({"allowed": 120, "denied": 3, "failed": 4}) == {
        "allowed": 120,
        "denied": None,
        "failed": None,
    }


def test_published_counts_are_rounded_to_five() -> None:
    assert protect({"dfe": 12, "dwp": 18}) == {"dfe": 10, "dwp": 20}
    assert round_to_base(22) == 20
    assert round_to_base(23) == 25


def test_a_total_under_the_threshold_is_suppressed() -> None:
    assert protected_total(9) is None
    assert protected_total(10) == 10


@given(st.dictionaries(st.text(min_size=1, max_size=5), st.integers(min_value=0, max_value=500), min_size=1))
def test_no_published_cell_is_small_and_no_single_cell_is_left_to_subtraction(counts: dict[str, int]) -> None:
    published = protect(counts)
    assert set(published) == set(counts)
    hidden = [k for k, v in published.items() if v is None]
    assert all(counts[k] >= THRESHOLD for k, v in published.items() if v is not None)
    assert {k for k in counts if counts[k] < THRESHOLD} <= set(hidden)
    assert len(hidden) != 1 or len(counts) == 1
