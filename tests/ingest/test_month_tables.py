"""A month's first batch goes into an unindexed table keyed and attached after the insert (0010_ingest_speed)."""

from __future__ import annotations

import asyncio
from datetime import date

import psycopg
import pytest

from gateway.ingest.feed import FeedKind
from gateway.store.load_months import month_inserts, month_range
from tests.ingest.conftest import fetch, ingest
from tests.ingest.feeds import csv_bytes, mark, pupil

ROSTER = csv_bytes(FeedKind.ROSTER, [pupil(1), pupil(2)])
UNATTACHED = (
    "SELECT relname FROM pg_class WHERE relname ~ '^marks_[0-9]{4}_[0-9]{2}$' AND relkind = 'r'"
    " AND NOT relispartition ORDER BY 1"
)


def _marks(day: str, *rows: tuple[int, str, str]) -> bytes:
    recorded = f"{day}T16:00:00+00:00"
    return csv_bytes(FeedKind.MARKS, [mark(s, day, session, code, recorded) for s, session, code in rows])


async def _partition(
    conn: psycopg.AsyncConnection[tuple[object, ...]], month: str
) -> list[tuple[object, ...]]:
    """The month's table: attached to marks?, its primary key's columns, its bounds."""
    return await fetch(
        conn,
        f"""SELECT c.relispartition, pg_get_constraintdef(k.oid), pg_get_expr(c.relpartbound, c.oid)
            FROM pg_class c LEFT JOIN pg_constraint k ON k.conrelid = c.oid AND k.contype = 'p'
            WHERE c.relname = 'marks_{month}'""",
    )


async def test_a_months_first_batch_is_stored_in_a_keyed_attached_partition(aconn) -> None:
    await aconn.execute("DROP TABLE IF EXISTS marks_2025_02")
    await ingest(aconn, FeedKind.ROSTER, ROSTER)
    summary = await ingest(
        aconn, FeedKind.MARKS, _marks("2025-02-03", (1, "AM", "/"), (1, "PM", "\\"), (2, "AM", "N"))
    )
    assert (summary.accepted, summary.rejected) == (3, 0)
    assert await _partition(aconn, "2025_02") == [
        (
            True,
            "PRIMARY KEY (date, enrolment_id, session, la_code)",
            "FOR VALUES FROM ('2025-02-01') TO ('2025-03-01')",
        )
    ]
    assert await fetch(aconn, "SELECT count(*) FROM ONLY marks_2025_02") == [(3,)]
    assert await fetch(aconn, "SELECT pupils, possible, present FROM school_day_group") == [(2, 3, 2)]
    assert await fetch(aconn, UNATTACHED) == []


async def test_a_duplicate_in_a_months_first_batch_is_rejected_and_the_month_keyed(aconn) -> None:
    await aconn.execute("DROP TABLE IF EXISTS marks_2025_03")
    await ingest(aconn, FeedKind.ROSTER, ROSTER)
    summary = await ingest(
        aconn, FeedKind.MARKS, _marks("2025-03-03", (1, "AM", "/"), (1, "AM", "N"), (2, "AM", "/"))
    )
    assert (summary.accepted, summary.rejected, summary.reasons) == (2, 1, {"duplicate_in_batch": 1})
    assert await fetch(aconn, "SELECT line_number, reason_code FROM ingest_rejects") == [
        (3, "duplicate_in_batch")
    ]
    assert await fetch(aconn, "SELECT code FROM marks ORDER BY enrolment_id") == [("/",), ("/",)]
    assert await _partition(aconn, "2025_03") == [
        (
            True,
            "PRIMARY KEY (date, enrolment_id, session, la_code)",
            "FOR VALUES FROM ('2025-03-01') TO ('2025-04-01')",
        )
    ]
    assert await fetch(aconn, UNATTACHED) == []


async def test_a_rolled_back_batch_leaves_no_month_table(aconn) -> None:
    await aconn.execute("DROP TABLE IF EXISTS marks_2025_04")
    await ingest(aconn, FeedKind.ROSTER, ROSTER)
    async with aconn.transaction(force_rollback=True):
        summary = await ingest(aconn, FeedKind.MARKS, _marks("2025-04-01", (1, "AM", "/")))
        assert summary.accepted == 1
        assert await _partition(aconn, "2025_04") != []
    assert await _partition(aconn, "2025_04") == []
    assert await fetch(aconn, UNATTACHED) == []


async def test_attaching_refuses_any_table_but_a_begun_month(aconn) -> None:
    await aconn.execute("SELECT ensure_marks_partitions('2025-05-01', '2025-05-31')")
    for table in ("ingest_rejects", "marks_2025_05", "marks_2099_01"):
        with pytest.raises(psycopg.errors.RaiseException, match="is not a begun marks month"):
            async with aconn.transaction():
                await aconn.execute("SELECT attach_marks_months(%s)", ([table],))


def test_a_month_tables_range_is_its_calendar_month() -> None:
    assert month_range("marks_2024_02") == (date(2024, 2, 1), date(2024, 3, 1))
    assert month_range("marks_2024_12") == (date(2024, 12, 1), date(2025, 1, 1))
    with pytest.raises(ValueError, match="not a marks month table"):
        month_range("marks_2024_02; DROP TABLE marks")


def test_rows_outside_every_begun_month_go_to_marks() -> None:
    sql = month_inserts(["marks_2024_12"], "v")
    assert "INSERT INTO marks_2024_12" in sql
    assert "WHERE d >= '2024-12-01' AND d < '2025-01-01')" in sql
    assert (
        "WHERE TRUE AND NOT (d >= '2024-12-01' AND d < '2025-01-01') ORDER BY d, enrolment_id, sess)" in sql
    )


def test_only_rows_for_an_indexed_partition_are_sorted() -> None:
    sql = month_inserts(["marks_2024_12"], "v")
    assert sql.count("ORDER BY") == 1
    assert "d < '2025-01-01') ORDER BY" not in sql.split("ins AS")[0]


async def test_a_batch_whose_month_a_concurrent_batch_began_waits_and_takes_the_general_path(
    aconn, ingest_urls
) -> None:
    await aconn.execute("DROP TABLE IF EXISTS marks_2025_06")
    await ingest(aconn, FeedKind.ROSTER, ROSTER)
    async with await psycopg.AsyncConnection.connect(ingest_urls.admin) as other:
        # The other batch has begun and attached June but not committed.
        await other.execute("SELECT attach_marks_months(begin_marks_months('2025-06-01', '2025-06-30'))")
        loading = asyncio.create_task(ingest(aconn, FeedKind.MARKS, _marks("2025-06-02", (1, "AM", "/"))))
        async with await psycopg.AsyncConnection.connect(ingest_urls.admin, autocommit=True) as watch:
            for _ in range(200):  # until the batch waits on the other's uncommitted table
                cur = await watch.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
                )
                if (await cur.fetchone()) == (1,):
                    break
                await asyncio.sleep(0.05)
            else:
                raise AssertionError("the batch never waited for the other's month")
        await other.commit()
    summary = await loading
    assert (summary.accepted, summary.rejected) == (1, 0)
    assert await fetch(aconn, "SELECT count(*) FROM ONLY marks_2025_06") == [(1,)]
    assert await _partition(aconn, "2025_06") == [
        (
            True,
            "PRIMARY KEY (date, enrolment_id, session, la_code)",
            "FOR VALUES FROM ('2025-06-01') TO ('2025-07-01')",
        )
    ]
