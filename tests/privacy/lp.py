"""An attacker's view of a suppressed table: bound each suppressed cell by linear programming (scipy)."""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import linprog

from gateway.privacy.tables import BoolArray, IntArray, TableShape


def suppressed_intervals(
    shape: TableShape, values: IntArray, suppressed: BoolArray
) -> dict[int, tuple[float, float]]:
    """For each suppressed cell, the least and greatest value consistent with every published cell.

    Published cells are known exactly; every line (total = sum of components) holds; counts are >= 0.
    """
    hidden = np.nonzero(suppressed)[0].tolist()
    if not hidden:
        return {}
    column = {cell: i for i, cell in enumerate(hidden)}
    rows: list[list[float]] = []
    rhs: list[float] = []
    for line in shape.lines:
        cells = [(line.total, 1.0)] + [(c, -1.0) for c in line.components]
        if not any(cell in column for cell, _ in cells):
            continue
        coefficients = [0.0] * len(hidden)
        constant = 0.0
        for cell, sign in cells:
            if cell in column:
                coefficients[column[cell]] += sign
            else:
                constant -= sign * float(values[cell])
        rows.append(coefficients)
        rhs.append(constant)
    a_eq, b_eq = np.asarray(rows), np.asarray(rhs)
    intervals: dict[int, tuple[float, float]] = {}
    for cell, i in column.items():
        objective = np.zeros(len(hidden))
        objective[i] = 1.0
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        assert low.status == 0, low.message  # the true table is feasible, so the minimum exists
        upper = math.inf if high.status == 3 else -float(high.fun)
        intervals[cell] = (float(low.fun), upper)
    return intervals
