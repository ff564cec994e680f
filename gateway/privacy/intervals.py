"""The exact check behind secondary suppression: bound suppressed cells by linear programming, widen if tight.

An attacker knows every published cell, that every line adds up, and that counts are non-negative. A
sensitive (primary) cell is safe when the least and greatest values consistent with all that are at
least the threshold apart. Certificates, cheapest first: a rectangle of suppressed leaf cells (a feasible
move, exact arithmetic); then the attacker's linear programs (HiGHS, warm-started) over the cell's
connected group of suppressed cells, where every solution found widens the observed range of every cell
in the group. Suppressing more only enlarges the attacker's feasible set, so a certified cell stays
certified; a tight cell gets its nearest published non-zero neighbour suppressed, and the line rule and
this check run again until no sensitive cell is tight.
"""

from __future__ import annotations

from collections.abc import Sequence

import highspy
import numpy as np

from gateway.privacy.suppression import secondary_suppress
from gateway.privacy.tables import BoolArray, IntArray, TableShape

MAX_ROUNDS = 100
_UNBOUNDED = (highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible)


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
    pending = [
        cell
        for cell in np.nonzero(suppressed & sensitive)[0].tolist()
        if values[cell] > 0 or zeros_disclosive
    ]
    for _ in range(MAX_ROUNDS):
        hidden = pattern | unknown if unknown is not None else pattern
        pending = tight_cells(shape, values, hidden, pending, threshold, cell_lines)
        if not pending:
            return pattern
        added = False
        for cell in pending:
            extra = _nearest_published(shape, cell, values, hidden, cell_lines)
            if extra is not None:
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
    cells: Sequence[int],
    threshold: int,
    cell_lines: list[list[int]] | None = None,
) -> list[int]:
    """Those of `cells` (all suppressed) whose feasible interval, given every published cell, is < threshold."""
    if cell_lines is None:
        cell_lines = _cell_lines(shape)
    n_columns = shape.n_columns
    leaves = set(shape.leaves)
    children: dict[int, list[int]] = {}
    for node, up in enumerate(shape.parents):
        children.setdefault(up, []).append(node)
    wanted = [
        cell
        for cell in cells
        if not (
            cell // n_columns in leaves
            and _rectangle_width(shape, values, hidden, cell, children) >= threshold
        )
    ]
    tight: list[int] = []
    seen: set[int] = set()
    for cell in wanted:
        if cell in seen:
            continue
        group, line_numbers = _group_of(shape, cell, hidden, cell_lines)
        members = set(group)
        in_group = [c for c in wanted if c in members]
        seen.update(in_group)
        tight.extend(_tight_in_group(shape, values, hidden, group, line_numbers, in_group, threshold))
    return sorted(tight)


def _group_of(
    shape: TableShape, start: int, hidden: BoolArray, cell_lines: list[list[int]]
) -> tuple[list[int], list[int]]:
    """The suppressed cells linked to `start` through lines, and those lines."""
    group = {start}
    numbers: set[int] = set()
    frontier = [start]
    while frontier:
        cell = frontier.pop()
        for number in cell_lines[cell]:
            if number in numbers:
                continue
            numbers.add(number)
            line = shape.lines[number]
            for other in (line.total, *line.components):
                if hidden[other] and other not in group:
                    group.add(other)
                    frontier.append(other)
    return sorted(group), sorted(numbers)


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
    n = len(cells)
    entries: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    rhs = np.zeros(len(line_numbers))
    for row, number in enumerate(line_numbers):
        line = shape.lines[number]
        for cell, sign in ((line.total, 1.0), *((c, -1.0) for c in line.components)):
            if hidden[cell]:
                entries[column[cell]].append((row, sign))
            else:
                rhs[row] -= sign * float(values[cell])
    solver = _solver(entries, rhs)
    truth = values[cells].astype(np.float64)
    low, high = truth.copy(), truth.copy()
    everything = np.arange(n, dtype=np.int32)

    def solve(cost: np.ndarray) -> bool:
        """Minimise `cost`; widen the observed ranges; False when the program is unbounded."""
        solver.changeColsCost(n, everything, cost)
        solver.run()
        status = solver.getModelStatus()
        if status in _UNBOUNDED:
            return False
        if status == highspy.HighsModelStatus.kOptimal:
            x = np.asarray(solver.getSolution().col_value)
            np.minimum(low, x, out=low)
            np.maximum(high, x, out=high)
        return True

    indices = np.asarray([column[cell] for cell in wanted])
    if len(indices) > 1:
        # Two programs pushing many cells at once certify most of them before any per-cell program.
        alternating = np.where(np.arange(len(indices)) % 2 == 0, 1.0, -1.0)
        for weights in (alternating, -alternating):
            cost = np.zeros(n)
            cost[indices] = weights
            solve(cost)
    result: list[int] = []
    for cell in wanted:
        i = column[cell]
        if high[i] - low[i] >= threshold:
            continue
        cost = np.zeros(n)
        cost[i] = 1.0
        solve(cost)
        cost[i] = -1.0
        if not solve(cost):
            high[i] = np.inf
        if high[i] - low[i] < threshold - 1e-7:
            result.append(cell)
    return result


def _solver(entries: list[list[tuple[int, float]]], rhs: np.ndarray) -> highspy.Highs:
    """A HiGHS model of the attacker's equalities over the group's cells (all >= 0), kept for warm starts."""
    starts = [0]
    index: list[int] = []
    value: list[float] = []
    for column in entries:
        for row, coefficient in column:
            index.append(row)
            value.append(coefficient)
        starts.append(len(index))
    lp = highspy.HighsLp()
    lp.num_col_ = len(entries)
    lp.num_row_ = len(rhs)
    lp.col_cost_ = np.zeros(len(entries))
    lp.col_lower_ = np.zeros(len(entries))
    lp.col_upper_ = np.full(len(entries), highspy.kHighsInf)
    lp.row_lower_ = rhs
    lp.row_upper_ = rhs
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.asarray(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.asarray(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.asarray(value, dtype=np.float64)
    solver = highspy.Highs()  # type: ignore[no-untyped-call]
    solver.setOptionValue("output_flag", False)
    solver.passModel(lp)
    return solver


def _rectangle_width(
    shape: TableShape, values: IntArray, hidden: BoolArray, cell: int, children: dict[int, list[int]]
) -> float:
    """The widest move of leaf `cell` along a rectangle of suppressed leaf cells with a sibling leaf."""
    n_columns = shape.n_columns
    node, column = divmod(cell, n_columns)
    parent = shape.parents[node]
    if parent < 0:
        return 0.0
    best = 0.0
    for sibling in children.get(parent, []):
        theirs = sibling * n_columns + column
        if sibling == node or not hidden[theirs]:
            continue
        if not shape.has_groups:
            best = max(best, float(values[cell] + values[theirs]))
            continue
        for other in range(n_columns):
            a, b = node * n_columns + other, sibling * n_columns + other
            if other == column or not (hidden[a] and hidden[b]):
                continue
            if n_columns - 1 in (other, column):
                # With the TOTAL column both rows move together: +t in one row, -t in the other.
                width = min(values[cell], values[a]) + min(values[theirs], values[b])
            else:
                width = min(values[cell], values[b]) + min(values[a], values[theirs])
            best = max(best, float(width))
    return best


def _nearest_published(
    shape: TableShape, cell: int, values: IntArray, hidden: BoolArray, cell_lines: list[list[int]]
) -> int | None:
    """The smallest published non-zero cell in the nearest ring of lines around `cell` (else a zero)."""
    visited_lines: set[int] = set()
    ring = {cell}
    reached = {cell}
    while ring:
        candidates: list[tuple[bool, int, int]] = []
        next_ring: set[int] = set()
        for member in ring:
            for number in cell_lines[member]:
                if number in visited_lines:
                    continue
                visited_lines.add(number)
                line = shape.lines[number]
                for other in (line.total, *line.components):
                    if other in reached:
                        continue
                    reached.add(other)
                    if hidden[other]:
                        next_ring.add(other)
                    else:
                        candidates.append((values[other] == 0, int(values[other]), other))
        positive = [c for c in candidates if not c[0]]
        if positive:
            return min(positive)[2]
        if candidates and not next_ring:
            return min(candidates)[2]
        ring = next_ring
    return None


def _cell_lines(shape: TableShape) -> list[list[int]]:
    cell_lines: list[list[int]] = [[] for _ in range(shape.n_cells)]
    for number, line in enumerate(shape.lines):
        cell_lines[line.total].append(number)
        for cell in line.components:
            cell_lines[cell].append(number)
    return cell_lines
