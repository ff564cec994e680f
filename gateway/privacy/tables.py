"""The linked count table: an area hierarchy crossed with breakdown groups, its margins and its additivity lines.

Cells are (node, column): nodes are every prefix of the input area paths (England, region, LA, school),
columns are the breakdown groups plus TOTAL (or just the one column when there is no breakdown). Each
*line* says total = sum of components: a parent's cell is the sum of its children's cells in the same
column, and a node's TOTAL cell is the sum of its group cells. Suppression is checked line by line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

TOTAL = "Total"

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


class TableError(ValueError):
    """The rows do not form a count table (the message names the problem, never a pupil)."""


@dataclass(frozen=True, slots=True)
class Line:
    total: int
    components: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class TableShape:
    """Where each cell sits and which lines bind them; values live in flat arrays indexed by cell."""

    nodes: tuple[tuple[str, ...], ...]  # sorted, so a parent always precedes its children
    parents: tuple[int, ...]  # -1 for a top-level node
    columns: tuple[str | None, ...]  # breakdown groups then TOTAL, or (None,) without a breakdown
    leaves: tuple[int, ...]  # nodes at the input depth, in node order
    lines: tuple[Line, ...]

    @property
    def has_groups(self) -> bool:
        return self.columns != (None,)

    @property
    def n_columns(self) -> int:
        return len(self.columns)

    @property
    def n_groups(self) -> int:
        """Columns holding input values (all but TOTAL when there is a breakdown)."""
        return len(self.columns) - 1 if self.has_groups else 1

    @property
    def n_cells(self) -> int:
        return len(self.nodes) * len(self.columns)

    def cell(self, node: int, column: int) -> int:
        return node * len(self.columns) + column

    def aggregate(self, leaf_grid: IntArray) -> IntArray:
        """Every cell's value from the leaf x group grid: sums up the hierarchy, then across groups."""
        grid = np.zeros((len(self.nodes), self.n_columns), dtype=np.int64)
        grid[np.asarray(self.leaves, dtype=np.int64), : self.n_groups] = leaf_grid
        parents = np.asarray(self.parents, dtype=np.int64)
        depth = np.asarray([len(path) for path in self.nodes], dtype=np.int64)
        for level in range(int(depth.max()), 1, -1):
            at_level = np.nonzero(depth == level)[0]
            np.add.at(grid, parents[at_level], grid[at_level])
        if self.has_groups:
            grid[:, -1] = grid[:, :-1].sum(axis=1)
        return grid.reshape(-1)

    def aggregate_any(self, leaf_mask: BoolArray) -> BoolArray:
        """A cell is flagged when any leaf cell beneath it is (used for unavailable data)."""
        return self.aggregate(leaf_mask.astype(np.int64)) > 0


def build_shape(areas: Sequence[tuple[str, ...]], groups: Sequence[str | None]) -> TableShape:
    """The table for these leaf area paths (all of one depth) and breakdown groups."""
    if not areas:
        raise TableError("a table needs at least one row")
    depths = {len(path) for path in areas}
    if len(depths) != 1 or 0 in depths:
        raise TableError("every row's area path must name the same number of levels")
    distinct_groups = sorted({g for g in groups if g is not None})
    if distinct_groups and len(distinct_groups) != len(set(groups)):
        raise TableError("either every row names a group or none does")
    if TOTAL in distinct_groups:
        raise TableError(f"{TOTAL!r} is reserved for the margin")
    prefixes = {path[:level] for path in areas for level in range(1, len(path) + 1)}
    nodes = tuple(sorted(prefixes))
    index = {path: i for i, path in enumerate(nodes)}
    parents = tuple(index[path[:-1]] if len(path) > 1 else -1 for path in nodes)
    depth = next(iter(depths))
    leaves = tuple(i for i, path in enumerate(nodes) if len(path) == depth)
    columns: tuple[str | None, ...] = (*distinct_groups, TOTAL) if distinct_groups else (None,)
    n_columns = len(columns)
    children: dict[int, list[int]] = {}
    for node, parent in enumerate(parents):
        if parent >= 0:
            children.setdefault(parent, []).append(node)
    lines: list[Line] = []
    for parent, kids in children.items():
        for column in range(n_columns):
            lines.append(Line(parent * n_columns + column, tuple(kid * n_columns + column for kid in kids)))
    if distinct_groups:
        for node in range(len(nodes)):
            base = node * n_columns
            lines.append(Line(base + n_columns - 1, tuple(range(base, base + n_columns - 1))))
    return TableShape(nodes=nodes, parents=parents, columns=columns, leaves=leaves, lines=tuple(lines))


@dataclass(frozen=True, slots=True)
class LeafData:
    """Input rows placed on the shape's leaf x group grid."""

    shape: TableShape
    positions: tuple[tuple[int, int], ...]  # (leaf row, group column) for each input row, in input order


def place_rows(rows: Sequence[Mapping[str, Any]]) -> LeafData:
    """Build the shape from rows' "area" and "group" and locate each row on the leaf grid."""
    areas: list[tuple[str, ...]] = []
    groups: list[str | None] = []
    for number, row in enumerate(rows):
        area = row.get("area")
        if not isinstance(area, tuple | list) or not all(isinstance(part, str) for part in area):
            raise TableError(f"row {number}: 'area' must be a sequence of area codes")
        group = row.get("group")
        if group is not None and not isinstance(group, str):
            raise TableError(f"row {number}: 'group' must be text or null")
        areas.append(tuple(area))
        groups.append(group)
    shape = build_shape(areas, groups)
    node_index = {path: i for i, path in enumerate(shape.nodes)}
    leaf_row = {node: i for i, node in enumerate(shape.leaves)}
    column_index = {group: i for i, group in enumerate(shape.columns)}
    positions: list[tuple[int, int]] = []
    seen: set[tuple[int, int]] = set()
    for area, group in zip(areas, groups, strict=True):
        position = (leaf_row[node_index[area]], column_index[group])
        if position in seen:
            raise TableError(f"two rows for area {'/'.join(area)} and group {group!r}")
        seen.add(position)
        positions.append(position)
    return LeafData(shape=shape, positions=tuple(positions))


def leaf_grid(data: LeafData, values: Iterable[int]) -> IntArray:
    grid = np.zeros((len(data.shape.leaves), data.shape.n_groups), dtype=np.int64)
    for (row, column), value in zip(data.positions, values, strict=True):
        grid[row, column] = value
    return grid
