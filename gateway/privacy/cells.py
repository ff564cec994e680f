"""Cell-level steps of disclosure control: cell-key perturbation, dominance inputs, rounding (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np

from gateway.privacy.ptable import PTable
from gateway.privacy.tables import IntArray, LeafData, TableShape, leaf_grid


class DisclosureError(ValueError):
    """The profile or the table cannot be processed (fail closed: nothing is released)."""


def perturb(
    shape: TableShape,
    data: LeafData,
    rows: Sequence[Mapping[str, Any]],
    measure: str,
    values: IntArray,
    ptable: PTable,
) -> IntArray:
    """Every cell, margins included, perturbed by its own cell key (sum of its records' keys mod 256)."""
    sums: list[int] = []
    for number, row in enumerate(rows):
        key_sum = row.get("record_key_sum")
        if isinstance(key_sum, Mapping):
            key_sum = key_sum.get(measure)
        if not isinstance(key_sum, int) or isinstance(key_sum, bool) or key_sum < 0:
            raise DisclosureError(
                f"row {number}: cell-key perturbation needs a record_key_sum for {measure!r}"
            )
        sums.append(key_sum)
    key_sums = shape.aggregate(leaf_grid(data, sums))
    return ptable.perturb(values, key_sums)


def top_sums(
    shape: TableShape, data: LeafData, rows: Sequence[Mapping[str, Any]], measure: str, n: int
) -> IntArray:
    """Sum of the n largest contributions in every cell; a margin's are the largest among its parts'."""
    per_leaf: dict[tuple[int, int], list[int]] = {}
    for number, (position, row) in enumerate(zip(data.positions, rows, strict=True)):
        tops = row.get(f"{measure}__top")
        if not isinstance(tops, Sequence) or not all(isinstance(t, int) and t >= 0 for t in tops):
            raise DisclosureError(
                f"row {number}: dominance needs '{measure}__top', the largest contributions"
            )
        per_leaf[position] = sorted(tops, reverse=True)[:n]
    n_columns = shape.n_columns
    contributions: list[list[int]] = [[] for _ in range(shape.n_cells)]
    for (leaf_row, column), tops in per_leaf.items():
        node = shape.leaves[leaf_row]
        targets = [column, n_columns - 1] if shape.has_groups else [column]
        while node >= 0:
            for target in targets:
                contributions[node * n_columns + target].extend(tops)
            node = shape.parents[node]
    return np.asarray([sum(sorted(c, reverse=True)[:n]) for c in contributions], dtype=np.int64)


def round_cells(
    shape: TableShape, values: IntArray, base: int, totals: Literal["recompute", "round_independently"]
) -> IntArray:
    """Round half up to `base`; "recompute" rounds the leaf cells and adds them up for every margin."""
    if totals == "round_independently":
        return round_half_up(values, base)
    grid = values.reshape(len(shape.nodes), shape.n_columns)
    leaves = grid[np.asarray(shape.leaves, dtype=np.int64), : shape.n_groups]
    return shape.aggregate(round_half_up(leaves, base))


def round_half_up(values: IntArray, base: int) -> IntArray:
    # Half up to match ONS: with base 5, remainders 1-2 go down and 3-4 go up.
    return np.floor_divide(values + base // 2, base) * base if base > 1 else values.copy()
