"""Disclosure control for the published transparency report: suppress small counts, protect them, round."""

from __future__ import annotations

from collections.abc import Mapping

THRESHOLD = 10  # counts under this are suppressed
ROUNDING_BASE = 5  # published counts are rounded to the nearest 5
RULE = (
    f"Counts below {THRESHOLD} are suppressed (null). Where a breakdown would have exactly one suppressed count, "
    "the next smallest count is suppressed too, so no suppressed count can be recovered by subtraction from "
    f"the total. Every published count, and the total, is rounded to the nearest {ROUNDING_BASE}."
)


def round_to_base(value: int, base: int = ROUNDING_BASE) -> int:
    # Half away from zero: deterministic, and never rounds a positive count to zero when value >= base / 2.
    return ((value + base // 2) // base) * base


def protect(counts: Mapping[str, int]) -> dict[str, int | None]:
    """One breakdown of a total: primary suppression under THRESHOLD, secondary to stop differencing,
    rounding of what remains."""
    suppressed = {k for k, v in counts.items() if v < THRESHOLD}
    if len(suppressed) == 1 and len(counts) > 1:
        # One hidden cell plus the total would reveal it: also hide the smallest visible cell.
        visible = sorted((v, k) for k, v in counts.items() if k not in suppressed)
        suppressed.add(visible[0][1])
    return {k: (None if k in suppressed else round_to_base(v)) for k, v in sorted(counts.items())}


def protected_total(total: int) -> int | None:
    return None if total < THRESHOLD else round_to_base(total)
