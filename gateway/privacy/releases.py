"""The cells a protected table releases, as the ledger records them (pure).

`protect` returns what is published; the ledger also needs, for each published count, the true value
and the cell key behind it (they never leave the gateway). `released_counts` recomputes both from the
same rows on the same table shape, so every cell of the response, margins included, becomes one
`Release` per count measure. Magnitudes (session totals) are not recorded: the ledger's check is about
counts of pupils, and a magnitude is shown only beside a count that is published at the threshold or
above.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from gateway.privacy.differencing import Release
from gateway.privacy.disclosure import Measure, ProtectedTable
from gateway.privacy.tables import TOTAL, leaf_grid, place_rows

CELL_KEY_BASE = 256


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
) -> list[Release]:
    """One Release per published count cell of `table` (which `protect` built from `rows`).

    `filters` are the request's own (phase, year group, ...); a breakdown group is added to them as
    `(breakdown, group)`, so one area's group is its own chain. The area is the cell's path joined by
    `/` (England/region/LA/school), so a school asked for alone and inside its LA is one chain.
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
                    area="/".join(path),
                    date_from=date_from,
                    date_to=date_to,
                    filters=cell_filters,
                    measure=name,
                    published=cell.values[name],
                    true_value=int(truths[index]),
                    cell_key=keys[index],
                )
            )
    return out
