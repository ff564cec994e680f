"""Aggregate results memoised per data version: any committed ingest batch invalidates every entry.

Only the store's intermediate aggregate rows are kept, keyed by the whole query object (scope included),
so a key can never leave out an argument; the policy decision, disclosure control and audit still happen
on every request.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from psycopg import AsyncConnection

from gateway.store.queries import AggregateQuery, Rows


class AggregateCache:
    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[AggregateQuery, tuple[int, int]], Rows] = OrderedDict()
        self.hits = 0
        self.misses = 0

    @staticmethod
    async def data_version(conn: AsyncConnection[Any]) -> tuple[int, int]:
        """Batches are only ever added (all-or-nothing), so (count, max id) changes with every committed one."""
        cur = await conn.execute(
            "SELECT count(*) AS n, coalesce(max(batch_id), 0) AS top FROM ingest_batches"
        )
        row = await cur.fetchone()
        if row is None:  # an aggregate always answers one row; without it nothing may be cached
            raise RuntimeError("the data version query returned no row")
        return int(row["n"]), int(row["top"])

    async def rows(self, conn: AsyncConnection[Any], query: AggregateQuery) -> Rows:
        """The query's rows at the current data version, computing (and keeping) them if absent."""
        if self.max_entries <= 0:
            return await query.fetch(conn)
        key = (query, await self.data_version(conn))
        cached = self._entries.get(key)
        if cached is not None:
            self._entries.move_to_end(key)
            self.hits += 1
            return cached
        self.misses += 1
        computed = await query.fetch(conn)
        self._entries[key] = computed
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
        return computed
