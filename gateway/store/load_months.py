"""A month's first marks: an unattached, unindexed table keyed and attached after the insert.

See migration 0010_ingest_speed: building the primary key with one sort after a bulk insert costs about
half of maintaining it row by row. A duplicate mark still fails, with a unique violation, when the key
is built; everything happens in the caller's transaction.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Final

from psycopg import AsyncConnection
from psycopg.rows import tuple_row

MONTH_TABLE: Final = re.compile(r"marks_([0-9]{4})_([0-9]{2})")

_INSERT = """{name} AS (
        INSERT INTO {table} (enrolment_id, date, session, la_code, urn, code, recorded_at, batch_id)
        SELECT enrolment_id, d, sess, la_code, urn_i, code, ts, %(batch)s FROM {source} WHERE {where}{order})"""
# Rows for an indexed partition go in primary-key order (index inserts append at its right edge); a
# begun month has no index until its key is built, so its rows need no sort.
_KEY_ORDER: Final = " ORDER BY d, enrolment_id, sess"


def month_range(table: str) -> tuple[date, date]:
    """The first day of the month `table` (marks_YYYY_MM) holds and the first day after it."""
    match = MONTH_TABLE.fullmatch(table)
    if match is None:
        raise ValueError(f"{table!r} is not a marks month table")
    year, month = int(match[1]), int(match[2])
    return date(year, month, 1), date(year + month // 12, month % 12 + 1, 1)


def month_inserts(months: Sequence[str], source: str) -> str:
    """Data-modifying CTEs inserting the rows of `source` (enrolment_id, d, sess, la_code, urn_i, code,
    ts): each begun month's rows straight into its table, the others into marks (whose partitions for
    them exist)."""
    inserts, outside = [], ["TRUE"]
    for i, table in enumerate(months):
        start, end = month_range(table)
        inside = f"d >= '{start.isoformat()}' AND d < '{end.isoformat()}'"
        inserts.append(_INSERT.format(name=f"ins_{i}", table=table, source=source, where=inside, order=""))
        outside.append(f"NOT ({inside})")
    where = " AND ".join(outside)
    inserts.append(_INSERT.format(name="ins", table="marks", source=source, where=where, order=_KEY_ORDER))
    return ", ".join(inserts)


async def begin_months(conn: AsyncConnection[object], first: date, last: date) -> list[str]:
    """Create the months of first..last that have no marks table yet, unattached and unindexed."""
    cur = conn.cursor(row_factory=tuple_row)
    await cur.execute("SELECT begin_marks_months(%s, %s)", (first, last))
    row = await cur.fetchone()
    return [str(m) for m in row[0]] if row else []


async def attach_months(conn: AsyncConnection[object], months: Sequence[str]) -> None:
    """Build each begun month's primary key (UniqueViolation on a duplicate) and attach it to marks."""
    if months:
        await conn.execute("SELECT attach_marks_months(%s)", (list(months),))
