"""Design a key-dependent p-table with the sdcTools `ptable` method (maximum entropy), on ONS's 256-key grid.

For each original count i the noise v = j - i takes the targets j in [max(i - D, 0), i + D] except the
blocked counts 1..js, so no published count lies between 1 and js. The transition probabilities are
those of the R package `ptable` (Giessing 2016; Enderle's `pt_create_pTable`, `optim = 1`): the maximum
entropy distribution with mean 0 (unbiased) and variance at most V. The maximum entropy distribution
under those constraints is p(v) proportional to exp(a v + b v^2); we solve for (a, b) directly (two
equations) instead of running a general optimiser. Where blocking makes variance V infeasible (small
counts must jump to 0 or past js), the row gets the smallest variance its targets allow plus `slack`,
where `ptable` would stop with an error; that is the one deviation, and the generated metadata records
each row's variance.

ONS's `cell-key-perturbation` does not sample: it looks noise up by (pcv, ckey) with 256 cell keys, so
each row's probabilities must be multiples of 1/256. `quantise_row` rounds them to whole keys by a small
integer program (HiGHS through scipy's `milp`) that keeps the mean exactly 0 on the key grid and the
variance as close to the row's target as whole keys allow. Which keys get which noise is a seeded
permutation per row, so two counts that differ by one record with key 0 (the same cell key) still get
unrelated noise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.optimize import Bounds, LinearConstraint, linprog, milp, minimize

KEYS = 256


class PTableDesignError(ValueError):
    """The parameters admit no unbiased p-table (for example D too small to jump past the blocked counts)."""


@dataclass(frozen=True, slots=True)
class PTableParameters:
    """`max_noise` D, `variance` V, `blocked` js (counts 1..js are never published), `rows` covered."""

    max_noise: int
    variance: float
    blocked: int
    rows: int = 750
    slack: float = 1.0
    seed: int = 2026


@dataclass(frozen=True, slots=True)
class PTableRow:
    count: int
    noise: tuple[int, ...]  # the possible noise values, ascending
    probabilities: tuple[float, ...]  # maximum entropy probabilities
    keys: tuple[int, ...]  # whole cell keys per noise value (sum 256)
    variance: float  # the variance the row was designed for


def targets(count: int, p: PTableParameters) -> npt.NDArray[np.int64]:
    """The noise values allowed for `count`: targets within D, never negative, never in 1..js."""
    j = np.arange(max(count - p.max_noise, 0), count + p.max_noise + 1, dtype=np.int64)
    j = j[(j == 0) | (j > p.blocked)]
    return np.asarray(j - count, dtype=np.int64)


def minimum_variance(noise: npt.NDArray[np.int64]) -> float:
    """The least variance of an unbiased distribution on `noise` (a linear program)."""
    result = linprog(
        c=noise.astype(float) ** 2,
        A_eq=np.vstack([np.ones(len(noise)), noise.astype(float)]),
        b_eq=np.asarray([1.0, 0.0]),
        bounds=(0, 1),
        method="highs",
    )
    if result.status != 0:
        raise PTableDesignError(f"no unbiased noise on {noise.tolist()}: raise D")
    return float(result.fun)


def max_entropy(noise: npt.NDArray[np.int64], variance: float) -> npt.NDArray[np.float64]:
    """Maximum entropy probabilities on `noise` with mean 0 and variance at most `variance`.

    Solved through the convex dual: minimise log sum exp(a v + b (v^2 - V)) over a and b <= 0; the
    gradient is (mean, variance - V), so the minimum has mean 0 and variance V where that binds (b < 0).
    """
    v = noise.astype(float)
    if v.min() >= 0 or v.max() <= 0:
        # Noise of one sign only: unbiased means no noise at all.
        return np.asarray(v == 0, dtype=np.float64)
    shifted = v**2 - variance

    def dual(theta: npt.NDArray[np.float64]) -> tuple[float, npt.NDArray[np.float64]]:
        logits = theta[0] * v + theta[1] * shifted
        top = logits.max()
        w = np.exp(logits - top)
        total = w.sum()
        prob = w / total
        return float(top + math.log(total)), np.asarray([prob @ v, prob @ shifted])

    solved = minimize(
        dual,
        np.zeros(2),
        jac=True,
        method="L-BFGS-B",
        bounds=[(None, None), (None, 0.0)],
        options={"gtol": 1e-12, "ftol": 1e-15, "maxiter": 10_000},
    )
    prob = _exp_family(v, float(solved.x[0]), 0.0, float(solved.x[1]), shifted)
    if abs(float(prob @ v)) > 1e-6:  # pragma: no cover - a solver failure; the generated table is tested
        raise PTableDesignError(f"no unbiased maximum entropy solution on {noise.tolist()}")
    return prob


def _exp_family(
    v: npt.NDArray[np.float64], a: float, _unused: float, b: float, shifted: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    logits = a * v + b * shifted
    w = np.exp(logits - logits.max())
    return np.asarray(w / w.sum(), dtype=np.float64)


def quantise_row(
    noise: npt.NDArray[np.int64], probabilities: npt.NDArray[np.float64], variance: float
) -> npt.NDArray[np.int64]:
    """Whole keys per noise value: sum 256, mean exactly 0, closest to 256 p (then to the variance)."""
    n = len(noise)
    if n == 1:
        return np.asarray([KEYS], dtype=np.int64)
    v = noise.astype(float)
    target = KEYS * probabilities
    # Variables: keys k (n, integer), deviations e >= |k - target| (n), variance miss w >= |sum k v^2 - 256 V|,
    # bias b >= |sum k v|. The bias weighs most: mean 0 exactly wherever whole keys allow it.
    c = np.concatenate([np.zeros(n), np.ones(n), [0.01, 1000.0]])
    eye, zero_n, zero_1 = np.eye(n), np.zeros((n, 1)), np.zeros(n)
    a = np.vstack(
        [
            np.concatenate([np.ones(n), zero_1, [0.0, 0.0]]),  # sum k = 256
            np.concatenate([v, zero_1, [0.0, -1.0]]),  # sum k v <= b
            np.concatenate([-v, zero_1, [0.0, -1.0]]),  # -sum k v <= b
            np.concatenate([v**2, zero_1, [-1.0, 0.0]]),  # variance miss
            np.concatenate([-(v**2), zero_1, [-1.0, 0.0]]),
        ]
    )
    upper = np.asarray([KEYS, 0.0, 0.0, KEYS * variance, -KEYS * variance])
    lower = np.asarray([KEYS, -np.inf, -np.inf, -np.inf, -np.inf])
    constraints = [
        LinearConstraint(a, lower, upper),
        LinearConstraint(np.hstack([eye, -eye, zero_n, zero_n]), -np.inf, target),
        LinearConstraint(np.hstack([-eye, -eye, zero_n, zero_n]), -np.inf, -target),
    ]
    integrality = np.concatenate([np.ones(n), np.zeros(n + 2)])
    bounds = Bounds(np.zeros(2 * n + 2), np.concatenate([np.full(n, KEYS), np.full(n + 2, np.inf)]))
    result = milp(c, constraints=constraints, integrality=integrality, bounds=bounds)
    if result.status != 0 or result.x is None:  # pragma: no cover - always feasible (all keys on v = 0)
        raise PTableDesignError(f"cannot place whole keys on {noise.tolist()}")
    keys = np.asarray(np.rint(result.x[:n]), dtype=np.int64)
    if int(keys.sum()) != KEYS:  # pragma: no cover - the equality constraint; checked, not trusted
        raise PTableDesignError("quantised row does not cover 256 keys")
    return keys


def design_rows(p: PTableParameters) -> list[PTableRow]:
    """Rows 1..p.rows of the p-table (row 0 is a true zero: never perturbed)."""
    if p.max_noise < 1 or p.variance <= 0 or p.blocked < 0:
        raise PTableDesignError("need D >= 1, V > 0 and js >= 0")
    rows: list[PTableRow] = []
    # From D + js + 1 on no target is blocked or negative, so every later row has the same distribution
    # (ptable's "symmetry" row); only which key gets which noise differs (key_layout).
    symmetry = p.max_noise + p.blocked + 1
    for count in range(1, min(symmetry, p.rows) + 1):
        noise = targets(count, p)
        floor = minimum_variance(noise)
        variance = p.variance if floor <= p.variance else floor + p.slack
        prob = max_entropy(noise, variance)
        keys = quantise_row(noise, prob, variance)
        rows.append(
            PTableRow(
                count=count,
                noise=tuple(int(x) for x in noise),
                probabilities=tuple(float(x) for x in prob),
                keys=tuple(int(k) for k in keys),
                variance=float(variance),
            )
        )
    last = rows[-1]
    rows.extend(
        PTableRow(last.count + n, last.noise, last.probabilities, last.keys, last.variance)
        for n in range(1, p.rows - len(rows) + 1)
    )
    return rows


def key_layout(rows: list[PTableRow], seed: int) -> npt.NDArray[np.int64]:
    """Noise per (count, cell key), shape (rows + 1, 256); each row's keys in its own seeded random order."""
    rng = np.random.default_rng(seed)
    noise = np.zeros((len(rows) + 1, KEYS), dtype=np.int64)
    for row in rows:
        values = np.repeat(np.asarray(row.noise, dtype=np.int64), np.asarray(row.keys, dtype=np.int64))
        noise[row.count] = rng.permutation(values)
    return noise


def row_moments(noise_row: npt.NDArray[np.int64]) -> tuple[float, float]:
    """Mean and variance of a row's noise over the 256 cell keys (each key equally likely)."""
    mean = float(noise_row.mean())
    return mean, float(((noise_row - mean) ** 2).mean())
