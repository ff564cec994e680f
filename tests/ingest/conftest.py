"""Ingest tests run on their own worker-private database so they can empty the store between tests."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import psycopg
import pytest
from psycopg import sql

from gateway.db.migrate import upgrade
from gateway.db.urls import DatabaseUrls, resolve_database, start_embedded
from gateway.ingest.feed import FeedKind
from gateway.ingest.run import IngestSummary, ingest_stream
from gateway.settings import Settings
from tests.ingest.feeds import URN_A, URN_B, csv_bytes, school

STORE = (
    "ingest_rejects, ingest_batches, school_day_group, school_day, enrolment_week, enrolment_week_cumulative, enrolment_term, school_cell, la_cell,"
    " trust_cell, marks, enrolments, pupils, pupil_upns, schools, trusts"
)


@pytest.fixture(scope="session")
def ingest_urls(settings: Settings) -> DatabaseUrls:
    name = f"gateway_ingest_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    own = settings.model_copy(update={"database_name": name})
    server_url = start_embedded(own.pg_data_dir)
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    urls = resolve_database(own)
    upgrade(urls, own.app_db_role)
    return urls


@pytest.fixture
async def aconn(ingest_urls: DatabaseUrls) -> AsyncIterator[psycopg.AsyncConnection[tuple[object, ...]]]:
    """An owner connection on an empty store (reference data kept), with two schools."""
    async with await psycopg.AsyncConnection.connect(ingest_urls.admin, autocommit=True) as conn:
        await conn.execute(f"TRUNCATE {STORE} CASCADE")
        await ingest_stream(conn, FeedKind.SCHOOLS, "schools.csv", csv_bytes(
            FeedKind.SCHOOLS, [school(URN_A, 2001), school(URN_B, 2002)]
        ))  # fmt: skip
        yield conn


async def ingest(
    conn: psycopg.AsyncConnection[tuple[object, ...]], kind: FeedKind, data: bytes
) -> IngestSummary:
    return await ingest_stream(conn, None, f"{kind.value}.csv", data)


async def fetch(conn: psycopg.AsyncConnection[tuple[object, ...]], query: str) -> list[tuple[object, ...]]:
    cur = await conn.execute(query)  # type: ignore[arg-type]
    return await cur.fetchall()
