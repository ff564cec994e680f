"""The cells a protected table releases, as the ledger records them (pure).

`protect` returns what is published; the ledger also needs, for each published count, the true value
and the cell key behind it (they never leave the gateway). `released_counts` recomputes both from the
same rows on the same table shape, so every cell of the response, margins included, becomes one
`Release` per count measure. Magnitudes (session totals) are not recorded: the ledger's check is about
counts of pupils, and a magnitude is shown only beside a count that is published at the threshold or
above.

Series are named by what a cell counts, not by the route that published it (`series_area`,
`series_measure`): the same school's pupils over a term from the summary, on one day from the daily
series or the closures, and protected in someone else's benchmark are one series of the ledger, so a
walk that mixes routes is checked as one walk.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from gateway.privacy.differencing import Release
from gateway.privacy.disclosure import Measure, ProtectedTable
from gateway.privacy.tables import TOTAL, leaf_grid, place_rows

CELL_KEY_BASE = 256
# Counts of the same pupils under the routes' own names: a summary's enrolments in a period and a daily
# row's pupils on a day are both "the pupils on roll of this area" (the attacker is already granted the
# exact difference between any two periods of one series).
SERIES_MEASURES = {"enrolments": "pupils", "pupils": "pupils"}
PATH_LEVELS = ("national", "region", "la", "school")


def series_area(level: str, ident: object = None, *, others_than: object = None) -> str:
    """The ledger's name for a population: `England`, `region London`, `la 886`, `school 100001`,
    `trust 7`; `... other than school 100001` for a benchmark's comparator (a different population for
    each benchmarked school); `similar schools to school 100001`."""
    if level == "similar":
        return f"similar schools to school {ident}"
    base = "England" if level == "national" else f"{level} {ident}"
    return base if others_than is None else f"{base} other than school {others_than}"


def path_series(path: Sequence[str], *, trust: bool = False) -> str:
    """A hierarchy path (England/region/LA/school, or England/trust) as its series area."""
    if len(path) == 1:
        return series_area("national")
    level = "trust" if trust else PATH_LEVELS[len(path) - 1]
    return series_area(level, path[-1])


def series_measure(name: str) -> str:
    return SERIES_MEASURES.get(name, name)


def _key_sum(row: Mapping[str, Any], measure: str) -> int | None:
    sums = row.get("record_key_sum")
    value = sums.get(measure) if isinstance(sums, Mapping) else sums
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def released_counts(
    rows: Sequence[Mapping[str, Any]],
    measures: Sequence[str | Measure],
    table: ProtectedTable,
    *,
    date_from: date,
    date_to: date,
    filters: Sequence[tuple[str, str]] = (),
    breakdown: str | None = None,
    area_of: Callable[[tuple[str, ...]], str] = path_series,
) -> list[Release]:
    """One Release per published count cell of `table` (which `protect` built from `rows`).

    `filters` are the request's own (phase, year group, ...); a breakdown group is added to them as
    `(breakdown, group)`, so one area's group is its own chain. The area is `area_of(path)` (by
    default `path_series`: a school asked for alone and inside its LA is one chain) and the measure its
    `series_measure`.
    """
    counts = [m.name if isinstance(m, Measure) else m for m in measures]
    counts = [
        name
        for name, m in zip(counts, measures, strict=True)
        if not isinstance(m, Measure) or m.kind == "count"
    ]
    data = place_rows(rows)
    shape = data.shape
    labels = [(path, group) for path in shape.nodes for group in shape.columns]
    if len(labels) != len(table.cells):
        raise ValueError("the table was not protected from these rows")
    base_filters = tuple(sorted((str(k), str(v)) for k, v in filters))
    out: list[Release] = []
    for name in counts:
        truths = shape.aggregate(leaf_grid(data, [int(row.get(name) or 0) for row in rows])).tolist()
        key_sums = [_key_sum(row, name) for row in rows]
        keys: list[int | None]
        if all(k is not None for k in key_sums):
            summed = shape.aggregate(leaf_grid(data, [k or 0 for k in key_sums])).tolist()
            keys = [int(k) % CELL_KEY_BASE for k in summed]
        else:
            keys = [None] * len(labels)
        for index, (path, group) in enumerate(labels):
            cell = table.cells[index]
            if (cell.area, cell.group) != (path, group):
                raise ValueError("the table's cells are not in the shape's order")
            cell_filters = base_filters
            if group not in (None, TOTAL):  # a group is its own chain, named by the breakdown if given
                cell_filters = tuple(sorted((*base_filters, (breakdown or "group", str(group)))))
            out.append(
                Release(
                    area=area_of(tuple(path)),
                    date_from=date_from,
                    date_to=date_to,
                    filters=cell_filters,
                    measure=series_measure(name),
                    published=cell.values[name],
                    true_value=int(truths[index]),
                    cell_key=keys[index],
                )
            )
    return out
