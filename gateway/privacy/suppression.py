"""Primary and secondary cell suppression on a linked count table (pure, deterministic).

Secondary suppression enforces, on every line (total = sum of components), the *line rule*:

- a line never holds exactly one unknown cell (suppressed or unavailable), total included; and
- when a line holds suppressed components, their true values sum to at least the threshold, so the
  published cells of the line bound each of them no more tightly than an interval of that width
  (whether the total is published, which fixes their sum, or suppressed, which it bounds from below).

Violations are repaired greedily: suppress the smallest published non-zero component that brings the
line's suppressed sum up to the threshold (else the largest available, and repeat); a line with no
non-zero component left suppresses its total instead, and a suppressed total whose line is still short
suppresses its published zero parts (which cascades down, so the total cannot be read off its parts). Lines are revisited whenever one of their
cells changes, in a fixed order, so the same table always gets the same pattern. The tests bound every
suppressed cell by linear programming (scipy) and check the interval is at least the threshold wide.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

import numpy as np

from gateway.privacy.tables import BoolArray, IntArray, TableShape


def primary_mask(values: IntArray, threshold: int, zeros_disclosive: bool) -> BoolArray:
    """Cells under the threshold (zero only when zeros are disclosive); no threshold suppresses nothing."""
    if threshold <= 0:
        return np.zeros(values.shape, dtype=np.bool_)
    mask = (values > 0) & (values < threshold)
    if zeros_disclosive:
        mask |= values == 0
    return mask


def dominance_mask(values: IntArray, top_sums: IntArray, k: float) -> BoolArray:
    """n-k dominance: the n largest contributions make up more than k of the cell's total."""
    positive = values > 0
    return positive & (top_sums > k * np.where(positive, values, 1))


def secondary_suppress(
    shape: TableShape,
    values: IntArray,
    suppressed: BoolArray,
    threshold: int,
    unknown: BoolArray | None = None,
) -> BoolArray:
    """The primary pattern plus the complementary cells the line rule requires.

    `values` are the true cell values; `unknown` marks cells that are not published for another reason
    (unavailable data): they count as unknowns in a line but are never chosen here.
    """
    result = suppressed.copy()
    if threshold <= 0 or not result.any():
        return result
    value = values.tolist()
    hidden = (result | unknown if unknown is not None else result).tolist()
    chosen = result.tolist()
    lines = shape.lines
    totals = [line.total for line in lines]
    components = [line.components for line in lines]
    cell_lines: list[list[int]] = [[] for _ in range(len(value))]
    for number, line in enumerate(lines):
        cell_lines[line.total].append(number)
        for cell in line.components:
            cell_lines[cell].append(number)

    queue = sorted({number for cell in np.nonzero(result)[0].tolist() for number in cell_lines[cell]})
    heapq.heapify(queue)
    queued = set(queue)
    while queue:
        number = heapq.heappop(queue)
        queued.discard(number)
        repair = _repair(totals[number], components[number], value, hidden, threshold)
        if repair is None:
            continue
        hidden[repair] = True
        chosen[repair] = True
        for other in cell_lines[repair]:
            if other not in queued:
                queued.add(other)
                heapq.heappush(queue, other)
        # The repaired cell lies on this line, so the loop above has queued it again: a line may need
        # more than one cell.
    return np.asarray(chosen, dtype=np.bool_)


def _repair(
    total: int, components: Sequence[int], value: list[int], hidden: list[bool], threshold: int
) -> int | None:
    """The cell to suppress next for this line, or None when the line satisfies the rule."""
    hidden_sum = 0
    hidden_count = 1 if hidden[total] else 0
    for cell in components:
        if hidden[cell]:
            hidden_count += 1
            hidden_sum += value[cell]
    # Every queued line holds a hidden cell (nothing is ever un-hidden), so hidden_count >= 1 here.
    component_hidden = hidden_count - (1 if hidden[total] else 0)
    violated = hidden_count == 1 or (component_hidden > 0 and hidden_sum < threshold)
    if not violated:
        return None
    candidates = sorted((value[cell], cell) for cell in components if not hidden[cell])
    needed = threshold - hidden_sum
    positive = [(v, cell) for v, cell in candidates if v > 0]
    if positive:
        if needed > 0:
            for v, cell in positive:
                if v >= needed:
                    return cell
            return positive[-1][1]
        return positive[0][1]
    if not hidden[total]:
        # No non-zero part can cover the line: hide the total and let the lines above absorb it.
        return total
    if candidates:
        # A hidden total over published zeros is pinned by them: hiding a zero part lets it move.
        return candidates[0][1]
    return None
