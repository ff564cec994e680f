"""Aggregate rows are reused within a data version, recomputed after any committed ingest batch, and keyed
by the whole query object (so two queries differing in any field never share rows)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import psycopg
import pytest
from psycopg.rows import dict_row

from gateway.db.urls import DatabaseUrls
from gateway.policy.decision import RowFilter
from gateway.store.aggregates import Period
from gateway.store.cache import AggregateCache
from gateway.store.queries import DailyQuery, SummaryQuery
from gateway.store.scope import AreaFilter, Scope


@dataclass(frozen=True)
class CountingQuery:
    """A query whose rows say how many times any query with this counter was computed."""

    name: str
    calls: list[int] = field(compare=False, hash=False)

    async def fetch(self, conn: psycopg.AsyncConnection[Any]) -> list[dict[str, Any]]:
        self.calls.append(1)
        return [{"name": self.name, "n": len(self.calls)}]


@pytest.fixture
async def conn(db_urls: DatabaseUrls) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
    async with await psycopg.AsyncConnection.connect(
        db_urls.admin, autocommit=True, row_factory=dict_row
    ) as connection:
        yield connection


async def test_same_query_same_version_is_computed_once(conn: psycopg.AsyncConnection[Any]) -> None:
    cache, calls = AggregateCache(8), []
    first = await cache.rows(conn, CountingQuery("q1", calls))
    second = await cache.rows(conn, CountingQuery("q1", calls))
    assert (first, second, len(calls)) == ([{"name": "q1", "n": 1}], [{"name": "q1", "n": 1}], 1)


async def test_a_committed_batch_invalidates(conn: psycopg.AsyncConnection[Any]) -> None:
    cache, calls = AggregateCache(8), []
    await cache.rows(conn, CountingQuery("q2", calls))
    await conn.execute(
        "INSERT INTO ingest_batches (feed_kind, source_name, content_sha256) VALUES ('marks', 'cache-test', 'x')"
    )
    again = await cache.rows(conn, CountingQuery("q2", calls))
    assert (again, len(calls)) == ([{"name": "q2", "n": 2}], 2)


async def test_zero_entries_turns_the_cache_off(conn: psycopg.AsyncConnection[Any]) -> None:
    cache, calls = AggregateCache(0), []
    await cache.rows(conn, CountingQuery("q3", calls))
    await cache.rows(conn, CountingQuery("q3", calls))
    assert len(calls) == 2


async def test_least_recently_used_entry_is_dropped(conn: psycopg.AsyncConnection[Any]) -> None:
    cache, calls = AggregateCache(1), []
    await cache.rows(conn, CountingQuery("a", calls))
    await cache.rows(conn, CountingQuery("b", calls))
    await cache.rows(conn, CountingQuery("a", calls))
    assert len(calls) == 3


def test_query_objects_differing_in_any_field_are_different_keys() -> None:
    period = Period(date(2025, 9, 1), date(2025, 9, 30))
    base = SummaryQuery(level="la", period=period, scope=Scope(RowFilter()), breakdown=None)
    variants = [
        SummaryQuery(level="school", period=period, scope=Scope(RowFilter()), breakdown=None),
        SummaryQuery(
            level="la", period=Period(period.date_from, date(2025, 9, 29)), scope=base.scope, breakdown=None
        ),
        SummaryQuery(level="la", period=period, scope=Scope(RowFilter(la_codes=(886,))), breakdown=None),
        SummaryQuery(
            level="la", period=period, scope=Scope(RowFilter(), AreaFilter(year_group=3)), breakdown=None
        ),
        SummaryQuery(level="la", period=period, scope=base.scope, breakdown="fsm"),
        SummaryQuery(level="la", period=period, scope=base.scope, breakdown=None, with_tops=True),
    ]
    keys = {base, *variants}
    assert len(keys) == 1 + len(variants)
    assert base == SummaryQuery(level="la", period=period, scope=Scope(RowFilter()), breakdown=None)


def test_queries_of_different_kinds_never_share_a_key() -> None:
    period = Period(date(2025, 9, 1), date(2025, 9, 30))
    daily = DailyQuery(period=period, scope=Scope(RowFilter()))
    summary = SummaryQuery(level="la", period=period, scope=Scope(RowFilter()), breakdown=None)
    assert daily != summary
    assert len({daily, summary}) == 2
