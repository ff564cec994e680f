"""Aggregate rows are reused within a data version and recomputed after any committed ingest batch."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import dict_row

from gateway.db.urls import DatabaseUrls
from gateway.store.cache import AggregateCache


async def _compute_counter(calls: list[int]) -> list[dict[str, Any]]:
    calls.append(1)
    return [{"n": len(calls)}]


async def test_same_query_same_version_is_computed_once(db_urls: DatabaseUrls) -> None:
    cache, calls = AggregateCache(8), []
    async with await psycopg.AsyncConnection.connect(
        db_urls.admin, autocommit=True, row_factory=dict_row
    ) as conn:
        first = await cache.rows(conn, ("q", 1), lambda: _compute_counter(calls))
        second = await cache.rows(conn, ("q", 1), lambda: _compute_counter(calls))
    assert (first, second, len(calls)) == ([{"n": 1}], [{"n": 1}], 1)


async def test_a_committed_batch_invalidates(db_urls: DatabaseUrls) -> None:
    cache, calls = AggregateCache(8), []
    async with await psycopg.AsyncConnection.connect(
        db_urls.admin, autocommit=True, row_factory=dict_row
    ) as conn:
        await cache.rows(conn, ("q", 2), lambda: _compute_counter(calls))
        await conn.execute(
            "INSERT INTO ingest_batches (feed_kind, source_name, content_sha256) VALUES ('marks', 'cache-test', 'x')"
        )
        again = await cache.rows(conn, ("q", 2), lambda: _compute_counter(calls))
    assert (again, len(calls)) == ([{"n": 2}], 2)


async def test_zero_entries_turns_the_cache_off(db_urls: DatabaseUrls) -> None:
    cache, calls = AggregateCache(0), []
    async with await psycopg.AsyncConnection.connect(
        db_urls.admin, autocommit=True, row_factory=dict_row
    ) as conn:
        await cache.rows(conn, ("q", 3), lambda: _compute_counter(calls))
        await cache.rows(conn, ("q", 3), lambda: _compute_counter(calls))
    assert len(calls) == 2


async def test_least_recently_used_entry_is_dropped(db_urls: DatabaseUrls) -> None:
    cache, calls = AggregateCache(1), []
    async with await psycopg.AsyncConnection.connect(
        db_urls.admin, autocommit=True, row_factory=dict_row
    ) as conn:
        await cache.rows(conn, ("a",), lambda: _compute_counter(calls))
        await cache.rows(conn, ("b",), lambda: _compute_counter(calls))
        await cache.rows(conn, ("a",), lambda: _compute_counter(calls))
    assert len(calls) == 3
