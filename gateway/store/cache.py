"""Aggregate results memoised per data version: any committed ingest batch invalidates every entry.

Only the store's intermediate aggregate rows are kept (per exact query, scope included); the policy
decision, disclosure control and audit still happen on every request.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

from psycopg import AsyncConnection

Rows = list[dict[str, Any]]


class AggregateCache:
    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, Rows] = OrderedDict()
        self.hits = 0
        self.misses = 0

    @staticmethod
    async def data_version(conn: AsyncConnection[Any]) -> tuple[int, int]:
        """Batches are only ever added (all-or-nothing), so (count, max id) changes with every committed one."""
        cur = await conn.execute(
            "SELECT count(*) AS n, coalesce(max(batch_id), 0) AS top FROM ingest_batches"
        )
        row = await cur.fetchone()
        assert row is not None
        return int(row["n"]), int(row["top"])

    async def rows(
        self, conn: AsyncConnection[Any], key: Hashable, compute: Callable[[], Awaitable[Rows]]
    ) -> Rows:
        """The cached rows for `key` at the current data version, computing (and keeping) them if absent."""
        if self.max_entries <= 0:
            return await compute()
        full_key = (key, await self.data_version(conn))
        cached = self._entries.get(full_key)
        if cached is not None:
            self._entries.move_to_end(full_key)
            self.hits += 1
            return cached
        self.misses += 1
        computed = await compute()
        self._entries[full_key] = computed
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
        return computed
