"""Rates are rounded half up in integer arithmetic, to exactly the value Decimal's quantize gives."""

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import event, given
from hypothesis import strategies as st

from gateway.privacy.disclosure import percent_half_up


def decimal_reference(numerator: int, denominator: int, decimals: int) -> float:
    quantum = Decimal(1).scaleb(-decimals)
    exact = Decimal(100 * numerator) / Decimal(denominator)
    return float(exact.quantize(quantum, rounding=ROUND_HALF_UP))


def test_a_half_rounds_up() -> None:
    assert percent_half_up(1, 16, 1) == 6.3  # 6.25


def test_below_a_half_rounds_down() -> None:
    assert percent_half_up(2, 3, 1) == 66.7
    assert percent_half_up(1, 3, 1) == 33.3


def test_no_decimal_places() -> None:
    assert percent_half_up(1, 8, 0) == 13.0  # 12.5


def test_exact_values_keep_their_digits() -> None:
    assert percent_half_up(93, 100, 1) == 93.0
    assert percent_half_up(0, 7, 2) == 0.0


def test_a_negative_half_rounds_away_from_zero() -> None:
    assert percent_half_up(-1, 16, 1) == -6.3
    assert percent_half_up(1, -16, 1) == -6.3


@given(
    numerator=st.integers(min_value=-(10**12), max_value=10**12),
    denominator=st.integers(min_value=1, max_value=10**12),
    decimals=st.integers(min_value=0, max_value=3),
)
def test_equals_decimal_half_up(numerator: int, denominator: int, decimals: int) -> None:
    event("tie" if (200 * abs(numerator) * 10**decimals) % (2 * denominator) == denominator else "no tie")
    assert percent_half_up(numerator, denominator, decimals) == decimal_reference(
        numerator, denominator, decimals
    )


@given(
    units=st.integers(min_value=0, max_value=10**6),
    decimals=st.integers(min_value=0, max_value=3),
    multiplier=st.integers(min_value=1, max_value=10**4),
)
def test_equals_decimal_half_up_on_ties(units: int, decimals: int, multiplier: int) -> None:
    """(2k+1) / (200 * 10**d) is k + 1/2 quanta exactly: the case where roundings differ."""
    numerator, denominator = (2 * units + 1) * multiplier, 200 * 10**decimals * multiplier
    expected = (units + 1) / 10**decimals
    assert percent_half_up(numerator, denominator, decimals) == expected
    assert decimal_reference(numerator, denominator, decimals) == expected
