"""Group commit: concurrent appends share one batch (one statement, one flush), a full queue pushes back,
a failed batch fails every waiter, and shutdown drains the queue."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import psycopg
import pytest

from gateway.audit.chain import GENESIS, event_hash
from gateway.audit.log import AuditLog
from gateway.audit.writer import APPEND_FUNCTION, AuditUnavailableError, ChainMismatchError, check_batch
from gateway.db.pool import create_pool
from gateway.db.urls import DatabaseUrls
from gateway.settings import Settings
from tests.audit.conftest import sample_record


@pytest.fixture
async def small_log(settings: Settings, db_urls: DatabaseUrls) -> AsyncIterator[AuditLog]:
    """An AuditLog with a tiny queue and batches of at most 16, so limits are reached with few events."""
    pool = create_pool(db_urls.app, 1, 4)
    await pool.open(wait=True)
    audit = settings.audit.model_copy(update={"queue_max": 2, "batch_max": 16, "queue_wait_seconds": 0.2})
    log = AuditLog.from_settings(audit, pool)
    try:
        yield log
    finally:
        await log.close()
        await pool.close()


async def _append_many(log: AuditLog, count: int, start: int = 0) -> list[int]:
    """`count` appends started together, as concurrent requests would."""
    done = await asyncio.gather(
        *(log.append(sample_record(start + i), status=200, duration_s=0.001) for i in range(count))
    )
    return [d.seq for d in done]


async def test_concurrent_appends_are_committed_in_one_batch(audit_log: AuditLog) -> None:
    before = audit_log.writer.batches
    seqs = await _append_many(audit_log, 40)
    assert audit_log.writer.batches - before == 1
    assert seqs == list(range(seqs[0], seqs[0] + 40))  # in submission order, gap-free


async def test_a_batch_holds_at_most_batch_max_events(settings: Settings, db_urls: DatabaseUrls) -> None:
    pool = create_pool(db_urls.app, 1, 2)
    await pool.open(wait=True)
    audit = settings.audit.model_copy(update={"batch_max": 16})
    log = AuditLog.from_settings(audit, pool)
    try:
        seqs = await _append_many(log, 40)
        assert log.writer.batches == 3  # 16 + 16 + 8
        assert seqs == list(range(seqs[0], seqs[0] + 40))
    finally:
        await log.close()
        await pool.close()


async def test_each_appended_event_chains_from_the_one_before(
    audit_log: AuditLog, admin_conn: psycopg.Connection[Any]
) -> None:
    seqs = await _append_many(audit_log, 12)
    rows = admin_conn.execute(
        "SELECT seq, content, prev_hash, event_hash FROM audit_events WHERE seq >= %s ORDER BY seq",
        (seqs[0] - 1,),
    ).fetchall()
    prev = GENESIS if seqs[0] == 1 else bytes(rows.pop(0)[3])
    for seq, content, stored_prev, stored in rows:
        assert (bytes(stored_prev), bytes(stored)) == (prev, event_hash(prev, seq, content))
        prev = bytes(stored)


async def test_a_full_queue_pushes_back_then_refuses(small_log: AuditLog, db_urls: DatabaseUrls) -> None:
    with psycopg.connect(db_urls.admin) as blocker:
        blocker.execute("SELECT pg_advisory_xact_lock(7010, 1)")  # every append now waits for this lock
        first = asyncio.ensure_future(small_log.append(sample_record(1), status=200, duration_s=0.001))
        await asyncio.sleep(0.1)  # the writer has taken it and is waiting on the lock
        queued = [
            asyncio.ensure_future(small_log.append(sample_record(i), status=200, duration_s=0.001))
            for i in (2, 3)
        ]
        await asyncio.sleep(0)
        with pytest.raises(AuditUnavailableError, match="the audit queue stayed full"):
            await small_log.append(sample_record(4), status=200, duration_s=0.001)
        assert [f.done() for f in (first, *queued)] == [False, False, False]
        blocker.rollback()
    seqs = [(await f).seq for f in (first, *queued)]
    assert seqs == list(range(seqs[0], seqs[0] + 3))


async def test_a_failed_batch_fails_every_waiter(
    audit_log: AuditLog, admin_conn: psycopg.Connection[Any], settings: Settings
) -> None:
    admin_conn.execute(f"REVOKE EXECUTE ON FUNCTION {APPEND_FUNCTION} FROM {settings.app_db_role}")
    try:
        before = audit_log.writer.batches
        results = await asyncio.gather(
            *(audit_log.append(sample_record(i), status=200, duration_s=0.001) for i in range(5)),
            return_exceptions=True,
        )
    finally:
        admin_conn.execute(f"GRANT EXECUTE ON FUNCTION {APPEND_FUNCTION} TO {settings.app_db_role}")
    assert [type(r).__name__ for r in results] == ["InsufficientPrivilege"] * 5
    assert audit_log.writer.batches == before
    assert (await audit_log.append(sample_record(6), status=200, duration_s=0.001)).seq > 0  # it recovers


FLUSH_POSITION = "pg_catalog.pg_current_xact_id()"


async def test_no_event_is_acknowledged_before_its_flush_is_confirmed(
    audit_log: AuditLog, admin_conn: psycopg.Connection[Any], settings: Settings
) -> None:
    """The writer waits for audit_sync() (the flush) before it releases anyone. When that wait fails after
    the commit it may still confirm it and flush the WAL by a transaction of its own
    (tests/audit/test_flush_failure.py); when it can do neither, nobody is released."""
    role = settings.app_db_role
    admin_conn.execute(f"REVOKE EXECUTE ON FUNCTION audit_sync() FROM {role}")
    admin_conn.execute(f"REVOKE EXECUTE ON FUNCTION {FLUSH_POSITION} FROM PUBLIC")
    audit_log.writer.queue_wait_seconds = 1.0  # how long it tries to confirm the flush
    record = sample_record(1)
    record.request_id = "unflushed-000001"
    try:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="audit_sync"):
            await audit_log.append(record, status=200, duration_s=0.001)
    finally:
        admin_conn.execute(f"GRANT EXECUTE ON FUNCTION {FLUSH_POSITION} TO PUBLIC")
        admin_conn.execute(f"GRANT EXECUTE ON FUNCTION audit_sync() TO {role}")
    # The event was committed (only its flush was not confirmed), and the writer still claims it as its own.
    row = admin_conn.execute(
        "SELECT seq, event_hash FROM audit_events WHERE request_id = 'unflushed-000001'"
    ).fetchone()
    assert row is not None
    assert (int(row[0]), bytes(row[1])) in audit_log.head.claims()


async def test_shutdown_drains_the_queue_then_refuses(small_log: AuditLog) -> None:
    small_log.writer.queue_max = 100
    small_log.writer.queue_wait_seconds = 5.0
    pending = [
        asyncio.ensure_future(small_log.append(sample_record(i), status=200, duration_s=0.001))
        for i in range(30)
    ]
    await asyncio.sleep(0)  # all 30 are queued
    await small_log.close()
    seqs = [(await p).seq for p in pending]
    assert seqs == list(range(seqs[0], seqs[0] + 30))
    with pytest.raises(AuditUnavailableError, match="shutting down"):
        await small_log.append(sample_record(99), status=200, duration_s=0.001)


def test_the_writer_refuses_hashes_it_cannot_recompute() -> None:
    contents = ['{"a":1}', '{"a":2}']
    first = event_hash(GENESIS, 1, contents[0])
    good = [(1, GENESIS, first), (2, first, event_hash(first, 2, contents[1]))]
    assert [c.seq for c in check_batch(contents, good)] == [1, 2]
    forged = [good[0], (2, first, event_hash(first, 2, '{"a":3}'))]
    with pytest.raises(ChainMismatchError, match="event 2 does not chain"):
        check_batch(contents, forged)
    with pytest.raises(ChainMismatchError, match="2 events sent, 1 appended"):
        check_batch(contents, good[:1])
    skipped = [good[0], (3, first, event_hash(first, 3, contents[1]))]
    with pytest.raises(ChainMismatchError, match="not consecutive"):
        check_batch(contents, skipped)


@pytest.mark.parametrize(
    ("contents", "error"),
    [
        (['{"v":1}'], psycopg.errors.CheckViolation),
        (["[1, 2]"], psycopg.errors.CheckViolation),
        (['{"v":2,"time":"2026-01-12T09:30:00+00:00","outcome":"allowed","route":"/x"}'], psycopg.errors.CheckViolation),
        (['{"v":1,"time":"2026-01-12T09:30:00+00:00","outcome":"allowed","route":"/x","subjects":["zz"]}'],
         psycopg.errors.InvalidParameterValue),
        (['{"v":1,"time":"2026-01-12T09:30:00+00:00","outcome":"allowed","route":"/x","subjects":["00ff"]}'],
         psycopg.errors.CheckViolation),
        ([], psycopg.errors.InvalidParameterValue),
    ],
)  # fmt: skip
def test_the_append_door_takes_only_well_formed_events(
    app_conn: psycopg.Connection[Any], contents: list[str], error: type[Exception]
) -> None:
    with pytest.raises(error):
        app_conn.execute("SELECT * FROM audit_append_batch(%b)", (contents,))


async def test_a_request_that_goes_away_still_has_its_event_recorded(
    audit_log: AuditLog, db_urls: DatabaseUrls, admin_conn: psycopg.Connection[Any]
) -> None:
    record = sample_record(1)
    record.request_id = "went-away-000001"
    with psycopg.connect(db_urls.admin) as blocker:
        blocker.execute("SELECT pg_advisory_xact_lock(7010, 1)")
        waiting = asyncio.ensure_future(audit_log.append(record, status=200, duration_s=0.001))
        await asyncio.sleep(0.1)
        waiting.cancel()
        blocker.rollback()
    await audit_log.writer.drain()
    assert waiting.cancelled()
    found = admin_conn.execute(
        "SELECT count(*) FROM audit_events WHERE request_id = 'went-away-000001'"
    ).fetchone()
    assert found == (1,)


async def test_a_writer_stopped_mid_batch_fails_its_waiters_and_a_new_one_takes_over(
    audit_log: AuditLog, db_urls: DatabaseUrls
) -> None:
    await audit_log.append(sample_record(0), status=200, duration_s=0.001)  # the writer is running
    with psycopg.connect(db_urls.admin) as blocker:
        blocker.execute("SELECT pg_advisory_xact_lock(7010, 1)")
        waiting = asyncio.ensure_future(audit_log.append(sample_record(1), status=200, duration_s=0.001))
        await asyncio.sleep(0.1)
        task = audit_log.writer._task
        assert task is not None
        task.cancel()
        with pytest.raises(AuditUnavailableError, match="the audit writer was stopped"):
            await waiting
        blocker.rollback()
    assert (await audit_log.append(sample_record(2), status=200, duration_s=0.001)).seq > 0


async def test_a_claim_waits_for_the_signer_off_the_event_loop(audit_log: AuditLog) -> None:
    from gateway.audit.head import HeadStore

    signer_side = HeadStore(audit_log.head.path)
    with signer_side.exclusive():
        waiting = asyncio.ensure_future(audit_log.append(sample_record(1), status=200, duration_s=0.001))
        await asyncio.sleep(0.2)  # the loop is free (this coroutine runs) while the claim waits for the lock
        assert not waiting.done()
    done = await waiting
    assert (done.seq, done.event_hash) in audit_log.head.claims()


async def test_a_waiter_that_went_away_from_a_failed_batch_is_left_alone(
    audit_log: AuditLog, db_urls: DatabaseUrls
) -> None:
    with psycopg.connect(db_urls.admin) as blocker:
        blocker.execute("SELECT pg_advisory_xact_lock(7010, 1)")  # the writer waits here with both events
        gone = asyncio.ensure_future(audit_log.append(sample_record(1), status=200, duration_s=0.001))
        stays = asyncio.ensure_future(audit_log.append(sample_record(2), status=200, duration_s=0.001))
        await asyncio.sleep(0.1)
        gone.cancel()
        with psycopg.connect(db_urls.admin, autocommit=True) as killer:  # the writer's connection is lost
            killer.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'"
            )
        with pytest.raises(psycopg.OperationalError):
            await stays
        blocker.rollback()
    assert gone.cancelled()
    assert (
        await audit_log.append(sample_record(3), status=200, duration_s=0.001)
    ).seq > 0  # a new connection
