"""The release ledger's storage: record a requester's released cells (append-only) and read them back."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import tuple_row

from gateway.privacy.differencing import Release

_COLUMNS = "requester, area, date_from, date_to, filters, measure, published, true_value, cell_key, request_id, scheme"


def _published_text(value: int | str) -> str:
    # Integers and symbols share one text column; a symbol is never all digits.
    return str(value)


def _published_value(text: str) -> int | str:
    return int(text) if text.isdigit() else text


async def record_releases(
    conn: AsyncConnection[Any], requester: str, releases: Sequence[Release], request_id: str | None = None
) -> int:
    """Append `releases` for `requester` (one COPY; part of the caller's transaction); returns how many."""
    if not releases:
        return 0
    async with conn.cursor() as cur, cur.copy(f"COPY release_ledger ({_COLUMNS}) FROM STDIN") as copy:
        for r in releases:
            await copy.write_row(
                (
                    requester,
                    r.area,
                    r.date_from,
                    r.date_to,
                    json.dumps([list(pair) for pair in r.filters]),
                    r.measure,
                    _published_text(r.published),
                    r.true_value,
                    r.cell_key,
                    request_id,
                    r.scheme,
                )
            )
    return len(releases)


async def read_releases(
    conn: AsyncConnection[Any],
    requester: str,
    chains: Iterable[tuple[str, str]] | None = None,
) -> list[Release]:
    """The requester's releases, oldest first; only those of the given (area, measure) pairs if named."""
    query = (
        "SELECT area, date_from, date_to, filters, measure, published, true_value, cell_key, scheme"
        " FROM release_ledger WHERE requester = %s"
    )
    params: list[Any] = [requester]
    if chains is not None:
        pairs = sorted(set(chains))
        if not pairs:
            return []
        query += " AND (area, measure) IN (SELECT * FROM unnest(%s::text[], %s::text[]))"
        params += [[a for a, _ in pairs], [m for _, m in pairs]]
    query += " ORDER BY seq"
    # Tuples whatever the connection's row factory (the API's pool hands out dict rows).
    async with conn.cursor(row_factory=tuple_row) as cur:
        await cur.execute(query, params)
        rows = await cur.fetchall()
    return [_release(row) for row in rows]


def _release(row: Sequence[Any]) -> Release:
    area, date_from, date_to, filters, measure, published, true_value, cell_key, scheme = row
    pairs = filters if isinstance(filters, list) else json.loads(filters)
    if not (isinstance(date_from, date) and isinstance(date_to, date)):
        raise TypeError("release_ledger dates must be dates")
    return Release(
        area=str(area),
        date_from=date_from,
        date_to=date_to,
        filters=tuple((str(k), str(v)) for k, v in pairs),
        measure=str(measure),
        published=_published_value(str(published)),
        true_value=int(true_value),
        cell_key=None if cell_key is None else int(cell_key),
        scheme=None if scheme is None else str(scheme),
    )
