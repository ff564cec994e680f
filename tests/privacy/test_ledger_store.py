"""The release ledger on the real PostgreSQL: recorded releases read back exactly, and the table is append-only."""

from __future__ import annotations

from datetime import date

import psycopg
import pytest

from gateway.db.urls import DatabaseUrls
from gateway.privacy.differencing import Release
from gateway.store.ledger import read_releases, record_releases

WEEK = (date(2025, 9, 8), date(2025, 9, 14))


def _release(area: str, measure: str, published: int | str, true_value: int, key: int | None = 17) -> Release:
    return Release(area, *WEEK, (("sex", "female"), ("year_group", "7")), measure, published, true_value, key)


async def test_recorded_releases_read_back_in_order_and_by_chain(db_urls: DatabaseUrls) -> None:
    requester = "test-ledger-readback"
    releases = [
        _release("E92000001/R/886/100001", "enrolments", 0, 3),
        _release("E92000001/R/886/100001", "enrolments", "c", 4, None),
        _release("E92000001/R/886/100002", "severe_absentees", 12, 11),
    ]
    async with await psycopg.AsyncConnection.connect(db_urls.app) as conn:
        assert await record_releases(conn, requester, releases, request_id="req-1") == 3
        await conn.commit()
        assert await read_releases(conn, requester) == releases
        assert (
            await read_releases(conn, requester, [("E92000001/R/886/100002", "severe_absentees")])
            == releases[2:]
        )
        assert await read_releases(conn, requester, []) == []
        assert await read_releases(conn, "someone-else") == []


async def test_the_application_cannot_rewrite_or_delete_releases(db_urls: DatabaseUrls) -> None:
    requester = "test-ledger-append-only"
    async with await psycopg.AsyncConnection.connect(db_urls.app) as conn:
        await record_releases(conn, requester, [_release("E92000001/R/886/100003", "enrolments", 20, 21)])
        await conn.commit()
        for statement in (
            "UPDATE release_ledger SET published = '25' WHERE requester = %s",
            "DELETE FROM release_ledger WHERE requester = %s",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):  # granted SELECT and INSERT only
                await conn.execute(statement, [requester])
            await conn.rollback()
        assert [r.published for r in await read_releases(conn, requester)] == [20]


def test_even_the_owner_cannot_truncate_the_ledger(
    admin_conn: psycopg.Connection[tuple[object, ...]],
) -> None:
    with pytest.raises(
        psycopg.errors.RaiseException, match="release_ledger is append-only: TRUNCATE rejected"
    ):
        admin_conn.execute("TRUNCATE release_ledger")
