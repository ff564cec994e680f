"""The exact check behind secondary suppression: bound suppressed cells by linear programming, widen if tight.

An attacker knows every published cell, that every line adds up, and that counts are non-negative. For
each connected group of suppressed cells this solves the attacker's linear programs (HiGHS via scipy)
for the least and greatest value of each cell; every feasible solution found widens the observed range
of all cells in the group, so most cells are certified without a program of their own. A cell whose
range stays narrower than the threshold gets a published neighbour suppressed, and the line rule and
this check run again until every suppressed cell is safe.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog  # type: ignore[import-untyped]

from gateway.privacy.suppression import secondary_suppress
from gateway.privacy.tables import BoolArray, IntArray, TableShape

MAX_ROUNDS = 50


def enforce_intervals(
    shape: TableShape,
    values: IntArray,
    suppressed: BoolArray,
    sensitive: BoolArray,
    threshold: int,
    *,
    zeros_disclosive: bool,
    unknown: BoolArray | None = None,
) -> BoolArray:
    """`suppressed` plus whatever it takes for each sensitive cell's feasible interval to be >= threshold.

    Sensitive cells are the primary ones (under the threshold, or dominated); complementary cells hold
    publishable values, so they may be inferred as long as no sensitive cell is.
    """
    pattern = suppressed.copy()
    cell_lines = _cell_lines(shape)
    for _ in range(MAX_ROUNDS):
        hidden = pattern | unknown if unknown is not None else pattern
        tight = tight_cells(shape, values, hidden, sensitive, threshold, zeros_disclosive, cell_lines)
        if not tight:
            return pattern
        added = False
        for cell in tight:
            extra = _neighbour_to_hide(shape, cell, values, hidden, cell_lines)
            if extra is not None and not hidden[extra]:
                pattern[extra] = True
                hidden[extra] = True
                added = True
        if not added:
            break
        pattern = secondary_suppress(shape, values, pattern, threshold, unknown=unknown)
    # Fail closed: a pattern that cannot be made safe publishes nothing.
    return np.ones(shape.n_cells, dtype=np.bool_)


def tight_cells(
    shape: TableShape,
    values: IntArray,
    hidden: BoolArray,
    checked: BoolArray,
    threshold: int,
    zeros_disclosive: bool,
    cell_lines: list[list[int]] | None = None,
) -> list[int]:
    """Checked suppressed cells whose feasible interval, given every published cell, is under `threshold`.

    A rectangle of suppressed leaf cells is a feasible move, so it certifies a cell in exact arithmetic;
    the remaining cells are bounded by the attacker's linear programs over their connected group.
    """
    n_columns = shape.n_columns
    leaves = set(shape.leaves)
    children: dict[int, list[int]] = {}
    for node, up in enumerate(shape.parents):
        children.setdefault(up, []).append(node)
    wanted: list[int] = []
    for cell in np.nonzero(hidden & checked)[0].tolist():
        if values[cell] == 0 and not zeros_disclosive:
            continue
        if (
            cell // n_columns in leaves
            and _rectangle_width(shape, values, hidden, cell, children) >= threshold
        ):
            continue
        wanted.append(cell)
    if not wanted:
        return []
    hidden_cells = np.nonzero(hidden)[0].tolist()
    parent = {cell: cell for cell in hidden_cells}

    def find(cell: int) -> int:
        while parent[cell] != cell:
            parent[cell] = parent[parent[cell]]
            cell = parent[cell]
        return cell

    touching: list[int] = []
    for number, line in enumerate(shape.lines):
        cells = [c for c in (line.total, *line.components) if hidden[c]]
        if cells:
            touching.append(number)
            root = find(cells[0])
            for other in cells[1:]:
                parent[find(other)] = root
    groups: dict[int, list[int]] = {}
    for cell in hidden_cells:
        groups.setdefault(find(cell), []).append(cell)
    lines_of: dict[int, list[int]] = {}
    for number in touching:
        line = shape.lines[number]
        first = next(c for c in (line.total, *line.components) if hidden[c])
        lines_of.setdefault(find(first), []).append(number)
    wanted_by_group: dict[int, list[int]] = {}
    for cell in wanted:
        wanted_by_group.setdefault(find(cell), []).append(cell)
    tight: list[int] = []
    for root, cells_wanted in sorted(wanted_by_group.items()):
        tight.extend(
            _tight_in_group(
                shape, values, hidden, groups[root], lines_of.get(root, []), cells_wanted, threshold
            )
        )
    return sorted(tight)


def _tight_in_group(
    shape: TableShape,
    values: IntArray,
    hidden: BoolArray,
    cells: list[int],
    line_numbers: list[int],
    wanted: list[int],
    threshold: int,
) -> list[int]:
    column = {cell: i for i, cell in enumerate(cells)}
    a_eq = np.zeros((len(line_numbers), len(cells)))
    b_eq = np.zeros(len(line_numbers))
    for row, number in enumerate(line_numbers):
        line = shape.lines[number]
        for cell, sign in ((line.total, 1.0), *((c, -1.0) for c in line.components)):
            if hidden[cell]:
                a_eq[row, column[cell]] += sign
            else:
                b_eq[row] -= sign * float(values[cell])
    truth = values[cells].astype(np.float64)
    low, high = truth.copy(), truth.copy()
    # Programs pushing many cells at once certify most of them before any per-cell program.
    indices = np.asarray([column[cell] for cell in wanted])
    alternating = np.where(np.arange(len(indices)) % 2 == 0, 1.0, -1.0)
    for weights in (alternating, -alternating):
        objective = np.zeros(len(cells))
        objective[indices] = weights
        solved = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        if solved.status == 0:
            np.minimum(low, solved.x, out=low)
            np.maximum(high, solved.x, out=high)
    result: list[int] = []
    for cell in wanted:
        i = column[cell]
        if high[i] - low[i] >= threshold:
            continue
        objective = np.zeros(len(cells))
        objective[i] = 1.0
        for sign in (1.0, -1.0):
            solved = linprog(sign * objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
            if solved.status == 3:  # unbounded above: no published total caps this cell
                high[i] = np.inf
            elif solved.status == 0:
                np.minimum(low, solved.x, out=low)
                np.maximum(high, solved.x, out=high)
        if high[i] - low[i] < threshold - 1e-7:
            result.append(cell)
    return result


def _rectangle_width(
    shape: TableShape, values: IntArray, hidden: BoolArray, cell: int, children: dict[int, list[int]]
) -> float:
    """The widest move of `cell` along a rectangle of suppressed leaf cells with a sibling leaf."""
    n_columns = shape.n_columns
    node, column = divmod(cell, n_columns)
    parent = shape.parents[node]
    if parent < 0:
        return 0.0
    v = values
    best = 0.0
    siblings = [m for m in children.get(parent, []) if m != node]
    for sibling in siblings:
        mine, theirs = cell, sibling * n_columns + column
        if not hidden[theirs]:
            continue
        if not shape.has_groups:
            best = max(best, float(v[mine] + v[theirs]))
            continue
        for other in range(n_columns):
            if other == column:
                continue
            a, b = node * n_columns + other, sibling * n_columns + other
            if hidden[a] and hidden[b]:
                if other == n_columns - 1 or column == n_columns - 1:
                    # A group with the TOTAL column: both rows move together.
                    width = min(v[mine], v[a]) + min(v[theirs], v[b])
                else:
                    width = min(v[mine], v[b]) + min(v[a], v[theirs])
                best = max(best, float(width))
    return best


def _cell_lines(shape: TableShape) -> list[list[int]]:
    cell_lines: list[list[int]] = [[] for _ in range(shape.n_cells)]
    for number, line in enumerate(shape.lines):
        cell_lines[line.total].append(number)
        for cell in line.components:
            cell_lines[cell].append(number)
    return cell_lines


def _neighbour_to_hide(
    shape: TableShape, cell: int, values: IntArray, hidden: BoolArray, cell_lines: list[list[int]]
) -> int | None:
    """The smallest published non-zero cell sharing a line with `cell` (else a published zero)."""
    candidates: list[tuple[bool, int, int]] = []
    for number in cell_lines[cell]:
        line = shape.lines[number]
        for other in (line.total, *line.components):
            if not hidden[other]:
                value = int(values[other])
                candidates.append((value == 0, value, other))
    return min(candidates)[2] if candidates else None


def secondary_pattern(
    shape: TableShape,
    values: IntArray,
    primary: BoolArray,
    threshold: int,
    *,
    zeros_disclosive: bool,
    unknown: BoolArray | None = None,
) -> BoolArray:
    """Secondary suppression: the fast line rule first, then the exact interval check on what it left."""
    pattern = secondary_suppress(shape, values, primary, threshold, unknown=unknown)
    if threshold <= 0 or not pattern.any():
        return pattern
    return enforce_intervals(
        shape, values, pattern, primary, threshold, zeros_disclosive=zeros_disclosive, unknown=unknown
    )
