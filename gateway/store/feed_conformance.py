"""The feed conformance record: per MIS product and version, and per sending aggregator, how clean the feeds
it sent were. Aggregates of `ingest_batches` and `ingest_rejects` only: supplier figures, never a row.

Disclosure rule: a group (one product and version, or one sender) is published only when its batches' valid
rows named at least MIN_SCHOOLS distinct schools; a smaller group would let anyone read one or two schools'
reject, late and correction counts. Withheld groups are counted, not shown. Batches that said no product
(an operator's `gateway ingest`, a feed sent without the headers) and data-management changes are not in the
product table; data-management changes (no sender) are in no table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Literal

from psycopg import AsyncConnection
from psycopg.rows import tuple_row

MIN_SCHOOLS: Final = 3
Dimension = Literal["product", "sender"]

# One row per group: the group's key, its figures, and its distinct schools (union over its batches).
_GROUPS: Final = """
WITH b AS (
    SELECT batch_id, feed_kind, {key} AS k1, {key2} AS k2, accepted, updated, unchanged, rejected,
           late_sessions, urns
    FROM ingest_batches
    WHERE finished_at IS NOT NULL AND {present}
)
SELECT g.k1, g.k2, g.batches, g.rows_, g.rejected, g.updated, g.late, g.mark_rows, g.kinds,
       (SELECT count(DISTINCT u) FROM b, unnest(b.urns) AS u WHERE b.k1 = g.k1 AND b.k2 IS NOT DISTINCT FROM g.k2),
       coalesce((SELECT jsonb_object_agg(reason_code, n) FROM (
           SELECT r.reason_code, count(*) AS n FROM ingest_rejects r JOIN b ON b.batch_id = r.batch_id
           WHERE b.k1 = g.k1 AND b.k2 IS NOT DISTINCT FROM g.k2 GROUP BY 1) AS rc), '{{}}')
FROM (
    SELECT k1, k2, count(*) AS batches, sum(accepted + updated + unchanged + rejected) AS rows_,
           sum(rejected) AS rejected, sum(updated) AS updated, sum(late_sessions) AS late,
           sum(accepted + updated + unchanged) FILTER (WHERE feed_kind = 'marks') AS mark_rows,
           array_agg(DISTINCT feed_kind ORDER BY feed_kind) AS kinds
    FROM b GROUP BY k1, k2
) AS g
ORDER BY g.k1, g.k2 NULLS FIRST
"""

_SQL: Final = {
    "product": _GROUPS.format(key="mis_product", key2="mis_version", present="mis_product IS NOT NULL"),
    "sender": _GROUPS.format(key="sender", key2="NULL::text", present="sender IS NOT NULL"),
}


@dataclass(frozen=True)
class GroupFigures:
    """One group's totals: rows counts every row sent (accepted, updated, unchanged and rejected)."""

    key: str
    version: str | None
    feed_kinds: tuple[str, ...]
    batches: int
    rows: int
    rejected: int
    rejected_by_reason: dict[str, int]
    corrections: int
    mark_rows: int
    late_sessions: int
    schools: int


@dataclass(frozen=True)
class Conformance:
    groups: tuple[GroupFigures, ...]
    withheld: int


def publishable(groups: list[GroupFigures]) -> Conformance:
    """The disclosure rule (module docstring), as a pure function."""
    shown = tuple(g for g in groups if g.schools >= MIN_SCHOOLS)
    return Conformance(groups=shown, withheld=len(groups) - len(shown))


async def conformance(conn: AsyncConnection[Any], dimension: Dimension) -> Conformance:
    cur = conn.cursor(row_factory=tuple_row)
    await cur.execute(_SQL[dimension])
    groups = [
        GroupFigures(
            key=str(k1),
            version=None if k2 is None else str(k2),
            feed_kinds=tuple(kinds),
            batches=int(batches),
            rows=int(rows),
            rejected=int(rejected),
            rejected_by_reason={str(r): int(n) for r, n in sorted(reasons.items())},
            corrections=int(updated),
            mark_rows=int(mark_rows or 0),
            late_sessions=int(late),
            schools=int(schools),
        )
        for k1, k2, batches, rows, rejected, updated, late, mark_rows, kinds, schools, reasons in await cur.fetchall()
    ]
    return publishable(groups)
