"""Unique pupil numbers built in bulk: check letter, LA, establishment, year of allocation, serial."""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import NDArray

# The check letter alphabet (no I, O or S); digits sit at 23 + d in the full alphabet, and 23 * w vanishes
# mod 23, so for an all-digit body the check is simply sum(weight * digit) mod 23.
CHECK_LETTERS: Final = "ABCDEFGHJKLMNPQRTUVWXYZ"
_WEIGHTS: Final = np.arange(2, 14, dtype=np.int64)


def check_letters(bodies: NDArray[np.int64]) -> NDArray[np.int64]:
    """Check-letter index for each 12-digit UPN body (given as integers)."""
    digits = (bodies[:, None] // 10 ** np.arange(11, -1, -1, dtype=np.int64)) % 10
    checks: NDArray[np.int64] = (digits * _WEIGHTS).sum(axis=1) % 23
    return checks


def serials(keys: NDArray[np.int64]) -> NDArray[np.int64]:
    """1-based rank of each key among equal keys, in input order (the serial within LA, school and year)."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_keys)) + 1]
    group_start = np.repeat(starts, np.diff(np.r_[starts, len(keys)]))
    ranks = np.empty(len(keys), dtype=np.int64)
    ranks[order] = np.arange(len(keys)) - group_start + 1
    return ranks


def make_upns(
    la_codes: NDArray[np.int64], estab_numbers: NDArray[np.int64], years: NDArray[np.int64]
) -> list[str]:
    """Valid, unique UPNs for pupils whose numbers were allocated by (LA, establishment, year)."""
    keys = (la_codes * 10_000 + estab_numbers) * 100 + years % 100
    serial = serials(keys)
    if len(serial) and serial.max() > 999:
        raise ValueError("more than 999 UPNs for one school and year")
    bodies = keys * 1000 + serial
    letters = check_letters(bodies)
    return [f"{CHECK_LETTERS[c]}{b:012d}" for c, b in zip(letters.tolist(), bodies.tolist(), strict=True)]
