"""Disclosure control for count tables with margins and hierarchies: `protect(rows, measures, profile, rates)`.

Input: one row per leaf cell (all rows at the same area depth), for example::

    {"area": ("E92000001", "North West", "886", "123456"), "group": "FSM",
     "enrolments": 42, "persistent_absentees": 7, "sessions": 3310,
     "record_key_sum": {"enrolments": 5123, "persistent_absentees": 871},   # for cell-key profiles
     "sessions__top": [190, 188]}                                          # for dominance, largest first

`group` is the breakdown (None in every row for no breakdown). The output publishes every leaf cell,
every ancestor of it (school -> LA -> region -> England, i.e. the hierarchy's margins), and with a
breakdown a TOTAL column ("Total") for each area. A measure value of None means unavailable ("x").

`measures` names count measures (protected with the profile's threshold) or `Measure(name,
kind="magnitude", contributors="enrolments")` for magnitudes such as sessions: a magnitude cell is
suppressed where its contributor count is, or where the profile's n-k dominance rule fails.
`record_key_sum` may be one integer (when every measure counts the same records) or a mapping per
measure: the sum of the 0..255 record keys of the records counted in that cell.

Output: a ProtectedTable whose cells carry, per measure, an int or a DfE symbol: "c" suppressed,
"low" rounds to zero but is not zero, "x" unavailable; and per rate (name, numerator, denominator) a
percentage to the profile's decimals, "c" when the numerator or denominator is suppressed, "z" when
the denominator is 0, "x" when either is unavailable. Rates are computed from the published (rounded,
perturbed) counts, so they reveal nothing the counts do not. The legend names the profile.

Steps, in order: cell-key perturbation (if `cell_key`; the cell key is the sum of record keys mod 256,
so it depends only on which records are in the cell), primary suppression (threshold; zeros per
`zeros_disclosive`; dominance for magnitudes), secondary suppression (if `secondary`, see
suppression.py), rounding to `round_to` (`totals`: "recompute" adds up the rounded leaf cells so
margins agree with their parts; "round_independently" rounds every cell, margins included, on its own).

With a key-dependent p-table (policies/data/ptables) the counts are published as perturbed: 0 or at least
the threshold, never "low", no secondary cells (each margin has its own noise); zeros are "c" when
`zeros_disclosive`. Magnitudes are shown only where their contributor count is published at or above the
threshold. The profile's `query_space` (query_space.py), `exact_own_figures` and `min_comparator_schools` are
carried for the edge.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from gateway.privacy.cells import DisclosureError, perturb, round_cells, top_sums
from gateway.privacy.intervals import enforce_intervals
from gateway.privacy.ptable import named_ptable
from gateway.privacy.query_space import QuerySpace, QuerySpaceError
from gateway.privacy.suppression import dominance_mask, primary_mask, secondary_suppress
from gateway.privacy.tables import BoolArray, IntArray, LeafData, leaf_grid, place_rows

SUPPRESSED = "c"
LOW = "low"
NOT_APPLICABLE = "z"
UNAVAILABLE = "x"
SYMBOLS: dict[str, str] = {
    SUPPRESSED: "confidential: suppressed to protect individuals",
    LOW: "rounds to 0 but is not 0",
    NOT_APPLICABLE: "not applicable (no denominator)",
    UNAVAILABLE: "not available",
}
PROFILE_KEYS = frozenset(
    {
        "name",
        "threshold",
        "zeros_disclosive",
        "round_to",
        "totals",
        "secondary",
        "cell_key",
        "ptable",
        "dominance",
        "rate_decimals",
        "query_space",
        "exact_own_figures",
        "min_comparator_schools",
    }
)
OWN_FIGURES_HOLDERS = ("school", "la", "trust")

__all__ = ["DisclosureError", "DisclosureProfile", "Measure", "ProtectedCell", "ProtectedTable", "protect"]

Published = int | str
RateValue = float | str


@dataclass(frozen=True, slots=True)
class Dominance:
    n: int
    k: float


@dataclass(frozen=True, slots=True)
class DisclosureProfile:
    """A disclosure profile exactly as policy data states it."""

    name: str
    threshold: int
    zeros_disclosive: bool
    round_to: int | None
    totals: Literal["recompute", "round_independently"]
    secondary: bool
    cell_key: bool
    ptable: str | None
    dominance: Dominance | None
    rate_decimals: int
    query_space: QuerySpace
    # Who may see a benchmarked school's own figures exactly (the school itself; its LA or trust where the
    # agreement says so); every other requester gets them through this profile like any other cell.
    exact_own_figures: tuple[str, ...]
    # A benchmark comparator (an aggregate of other schools) of fewer schools than this is near-identifiable
    # and suppressed whole; at least 2, since a one-school comparator is that school's own figures.
    min_comparator_schools: int

    @classmethod
    def from_policy(cls, data: Mapping[str, Any]) -> DisclosureProfile:
        keys = set(data)
        if keys != PROFILE_KEYS:
            missing, extra = sorted(PROFILE_KEYS - keys), sorted(keys - PROFILE_KEYS)
            raise DisclosureError(f"disclosure profile keys: missing {missing}, unexpected {extra}")
        name = data["name"]
        if not isinstance(name, str) or not name:
            raise DisclosureError("disclosure profile 'name' must be text")
        threshold = _int(data, "threshold", minimum=0)
        round_to = None if data["round_to"] is None else _int(data, "round_to", minimum=1)
        totals = data["totals"]
        if totals not in ("recompute", "round_independently"):
            raise DisclosureError("disclosure profile 'totals' must be 'recompute' or 'round_independently'")
        flags = {key: data[key] for key in ("zeros_disclosive", "secondary", "cell_key")}
        for key, flag in flags.items():
            if not isinstance(flag, bool):
                raise DisclosureError(f"disclosure profile {key!r} must be true or false")
        ptable = data["ptable"]
        if data["cell_key"]:
            if not isinstance(ptable, str):
                raise DisclosureError("a cell-key profile must name its 'ptable'")
            named_ptable(ptable)
        elif ptable is not None:
            raise DisclosureError("'ptable' is only meaningful with 'cell_key'")
        dominance = None
        if data["dominance"] is not None:
            rule = data["dominance"]
            if not (isinstance(rule, Mapping) and set(rule) == {"n", "k"}):
                raise DisclosureError("disclosure profile 'dominance' must be {'n': int, 'k': fraction}")
            n, k = rule["n"], rule["k"]
            if not (isinstance(n, int) and n >= 1 and isinstance(k, int | float) and 0 < k <= 1):
                raise DisclosureError("dominance needs an integer n >= 1 and 0 < k <= 1")
            dominance = Dominance(n=n, k=float(k))
        try:
            query_space = QuerySpace.from_policy(data["query_space"])
        except QuerySpaceError as exc:
            raise DisclosureError(str(exc)) from None
        holders = data["exact_own_figures"]
        if not (isinstance(holders, list) and all(h in OWN_FIGURES_HOLDERS for h in holders)):
            raise DisclosureError(f"'exact_own_figures' must be a list from {list(OWN_FIGURES_HOLDERS)}")
        return cls(
            name=name,
            threshold=threshold,
            zeros_disclosive=flags["zeros_disclosive"],
            round_to=round_to,
            totals=totals,
            secondary=flags["secondary"],
            cell_key=flags["cell_key"],
            ptable=ptable,
            dominance=dominance,
            rate_decimals=_int(data, "rate_decimals", minimum=0),
            query_space=query_space,
            exact_own_figures=tuple(holders),
            min_comparator_schools=_int(data, "min_comparator_schools", minimum=2),
        )

    @property
    def key_dependent(self) -> bool:
        """Perturbation whose noise depends on the cell key (not rounding in disguise, as ONS's 10-5 is)."""
        return self.cell_key and self.ptable is not None and named_ptable(self.ptable).key_dependent

    def describe(self) -> str:
        steps: list[str] = []
        if self.key_dependent:
            steps.append(
                f"cell-key perturbation with p-table {self.ptable}: noise depends on which records are in"
                f" the cell and no count from 1 to {self.threshold - 1} is published"
                + (
                    "; zeros and counts perturbed to 0 shown as c"
                    if self.zeros_disclosive
                    else "; a published 0 may stand for a small count"
                )
            )
            steps.append(
                f"session figures shown only where the count is published as {self.threshold} or more"
            )
        elif self.cell_key:
            steps.append(f"cell-key perturbation with p-table {self.ptable}")
        if self.threshold and not self.key_dependent:
            zeros = "zeros suppressed" if self.zeros_disclosive else "zeros shown"
            steps.append(f"counts under {self.threshold} suppressed ({zeros})")
        if self.dominance:
            steps.append(f"magnitudes suppressed under ({self.dominance.n}, {self.dominance.k}) dominance")
        if self.secondary:
            steps.append("secondary suppression so suppressed cells cannot be recovered from totals")
        if self.round_to:
            how = (
                "totals added up from rounded cells"
                if self.totals == "recompute"
                else "totals rounded separately"
            )
            steps.append(f"rounded to the nearest {self.round_to} ({how})")
        return "; ".join(steps) if steps else "no disclosure control (casework)"


@dataclass(frozen=True, slots=True)
class Measure:
    name: str
    kind: Literal["count", "magnitude"] = "count"
    contributors: str | None = None  # the count measure whose suppression a magnitude inherits


@dataclass(frozen=True, slots=True)
class ProtectedCell:
    area: tuple[str, ...]
    group: str | None  # a breakdown group, TOTAL for the margin, None without a breakdown
    values: dict[str, Published]
    rates: dict[str, RateValue] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ProtectedTable:
    profile: str
    measures: tuple[str, ...]
    cells: tuple[ProtectedCell, ...]
    legend: dict[str, Any]

    def cell(self, area: Sequence[str], group: str | None = None) -> ProtectedCell:
        wanted = (tuple(area), group)
        for cell in self.cells:
            if (cell.area, cell.group) == wanted:
                return cell
        raise KeyError(wanted)

    def as_rows(self) -> list[dict[str, Any]]:
        """JSON-ready rows: area path, level, group, then each measure and rate."""
        return [
            {"area": list(c.area), "level": len(c.area), "group": c.group, **c.values, **c.rates}
            for c in self.cells
        ]


def protect(
    rows: Iterable[Mapping[str, Any]],
    measures: Sequence[str | Measure],
    profile: DisclosureProfile | Mapping[str, Any],
    rates: Sequence[tuple[str, str, str]] = (),
) -> ProtectedTable:
    """Apply `profile` to a count table with its margins; see the module docstring for the contract."""
    chosen = profile if isinstance(profile, DisclosureProfile) else DisclosureProfile.from_policy(profile)
    specs = [m if isinstance(m, Measure) else Measure(m) for m in measures]
    names = [m.name for m in specs]
    if len(set(names)) != len(names) or not names:
        raise DisclosureError("measures must be one or more distinct names")
    for spec in specs:
        if spec.kind == "magnitude" and spec.contributors is not None and spec.contributors not in names:
            raise DisclosureError(
                f"measure {spec.name!r}: contributors {spec.contributors!r} is not a measure"
            )
    for rate, numerator, denominator in rates:
        if numerator not in names or denominator not in names:
            raise DisclosureError(f"rate {rate!r} needs measures {numerator!r} and {denominator!r}")
    row_list = list(rows)
    data = place_rows(row_list)
    shape = data.shape

    published: dict[str, list[Published]] = {}
    patterns: dict[str, BoolArray] = {}
    for spec in sorted(specs, key=lambda m: m.kind == "magnitude"):  # counts first: magnitudes inherit
        column = [row.get(spec.name) for row in row_list]
        unavailable = shape.aggregate_any(leaf_grid(data, [value is None for value in column]) > 0)
        values = shape.aggregate(leaf_grid(data, [_count(spec.name, value) for value in column]))
        published[spec.name], patterns[spec.name] = _protect_measure(
            chosen, spec, data, row_list, values, unavailable, patterns
        )

    cells: list[ProtectedCell] = []
    labels = [(path, group) for path in shape.nodes for group in shape.columns]
    for index, (path, group) in enumerate(labels):
        cell_values = {name: published[name][index] for name in names}
        cell_rates = {
            rate: _rate(cell_values[numerator], cell_values[denominator], chosen.rate_decimals)
            for rate, numerator, denominator in rates
        }
        cells.append(ProtectedCell(area=path, group=group, values=cell_values, rates=cell_rates))
    legend = {"profile": chosen.name, "method": chosen.describe(), "symbols": dict(SYMBOLS)}
    if rates:
        legend["rates"] = f"percentages to {chosen.rate_decimals} decimal place(s), from the published counts"
    return ProtectedTable(profile=chosen.name, measures=tuple(names), cells=tuple(cells), legend=legend)


def _protect_measure(
    profile: DisclosureProfile,
    spec: Measure,
    data: LeafData,
    rows: Sequence[Mapping[str, Any]],
    values: IntArray,
    unavailable: BoolArray,
    patterns: Mapping[str, BoolArray],
) -> tuple[list[Published], BoolArray]:
    shape = data.shape
    basis = values
    if profile.cell_key and spec.kind == "count":
        assert profile.ptable is not None
        basis = perturb(shape, data, rows, spec.name, values, named_ptable(profile.ptable))

    inherited = np.zeros(values.shape, dtype=np.bool_)
    keyed = profile.key_dependent and spec.kind == "count"
    if spec.kind == "count":
        mask = primary_mask(basis, profile.threshold, profile.zeros_disclosive)
        if profile.cell_key and not profile.zeros_disclosive and not keyed:
            # ONS's 10-5 sends small counts to 0: a published 0 must then be a true 0.
            mask |= (basis <= 0) & (values > 0)
    else:
        mask = np.zeros(values.shape, dtype=np.bool_)
        if profile.dominance is not None:
            tops = top_sums(shape, data, rows, spec.name, profile.dominance.n)
            mask |= dominance_mask(values, tops, profile.dominance.k)
        if spec.contributors is not None:
            # The contributor count's pattern is already proven safe; the line rule keeps it closed here.
            inherited = patterns[spec.contributors] & ~mask
    mask &= ~unavailable
    if keyed:
        # Perturbed margins carry their own noise, so no part can be read off a total: no secondary cells for
        # the counts. Magnitudes are exact, so they are shown only where the published count reaches the
        # threshold (a function of what is published, so it tells nothing more about the true count).
        gate = mask | (basis < profile.threshold)
        shown = round_cells(shape, basis, profile.round_to, profile.totals) if profile.round_to else basis
        return _symbols(unavailable, mask, values, shown, keyed=True), gate & ~unavailable
    if profile.secondary:
        primary = mask
        mask = secondary_suppress(shape, values, primary | inherited, profile.threshold, unknown=unavailable)
        if primary.any():
            mask = enforce_intervals(
                shape,
                values,
                mask,
                primary,
                profile.threshold,
                zeros_disclosive=profile.zeros_disclosive,
                unknown=unavailable,
            )
    else:
        mask |= inherited & ~unavailable

    shown = basis
    if profile.round_to:
        shown = round_cells(shape, basis, profile.round_to, profile.totals)
    return _symbols(unavailable, mask, values, shown, keyed=False), mask


def _symbols(
    unavailable: BoolArray, mask: BoolArray, values: IntArray, shown: IntArray, *, keyed: bool
) -> list[Published]:
    out: list[Published] = []
    for gone, hidden, truth, value in zip(
        unavailable.tolist(), mask.tolist(), values.tolist(), shown.tolist(), strict=True
    ):
        if gone:
            out.append(UNAVAILABLE)
        elif hidden:
            out.append(SUPPRESSED)
        elif value <= 0 < truth and not keyed:
            # With key-dependent noise a 0 is what the table publishes; "low" would say the truth is not 0.
            out.append(LOW)
        else:
            out.append(int(value))
    return out


def _rate(numerator: Published, denominator: Published, decimals: int) -> RateValue:
    if UNAVAILABLE in (numerator, denominator):
        return UNAVAILABLE
    if isinstance(numerator, str) or isinstance(denominator, str):
        return SUPPRESSED
    if denominator == 0:
        return NOT_APPLICABLE
    return percent_half_up(numerator, denominator, decimals)


def percent_half_up(numerator: int, denominator: int, decimals: int) -> float:
    """100 * numerator / denominator rounded half up to `decimals` places, in exact integer arithmetic.

    The same value as Decimal's ROUND_HALF_UP quantize (a test keeps them equal), at a tenth of the cost:
    the national daily page rounds some 2,000 rates per view. For x >= 0, half up is floor(x + 1/2),
    which floor((2 * 100 * n * 10**d + den) / (2 * den)) computes without a fraction; a negative quotient
    is rounded as its magnitude is (half away from zero), as Decimal does.
    """
    if (numerator < 0) != (denominator < 0):
        return -percent_half_up(abs(numerator), abs(denominator), decimals)
    scale: int = 10**decimals
    numerator, denominator = abs(numerator), abs(denominator)
    return ((200 * numerator * scale + denominator) // (2 * denominator)) / scale


def _count(measure: str, value: Any) -> int:
    if value is None:
        return 0
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise DisclosureError(f"measure {measure!r} must be a non-negative integer or null")
    return value


def _int(data: Mapping[str, Any], key: str, *, minimum: int) -> int:
    value = data[key]
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise DisclosureError(f"disclosure profile {key!r} must be an integer >= {minimum}")
    return value
