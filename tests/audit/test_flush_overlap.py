"""The flush overlaps the next batch (issue 13): while one flusher task waits for audit_sync() on a connection
of its own, the writer appends the next batch; a waiter is released only once a flush that began after its
batch committed has returned, and a flush that fails fails every batch it covers unless each is confirmed.

The flush is held for real: the flusher's backend is stopped with SIGSTOP, so its audit_sync() cannot
return until SIGCONT (as tests/audit/test_in_doubt.py stops a backend)."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest

from gateway.audit.keys import public_key_of, read_signing_key
from gateway.audit.log import AuditLog
from gateway.audit.reader import db_checkpoints, db_events, db_head
from gateway.audit.verify import verify_log
from gateway.audit.writer import OVERLAP_MIN_POOL, AuditUnavailableError, Committed, GroupCommitWriter
from gateway.db.migrate import upgrade
from gateway.db.pool import create_pool
from gateway.db.urls import DatabaseUrls
from gateway.settings import Settings
from tests.audit.conftest import fresh_database, sample_record

SYNC_FUNCTION = "audit_sync()"
FLUSH_POSITION = "pg_catalog.pg_current_xact_id()"  # what the confirmation's own flush needs


async def until(condition: Callable[[], bool], within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        await asyncio.sleep(0.01)


def flusher_pid(writer: GroupCommitWriter) -> int:
    assert writer._flush_conn is not None
    return int(writer._flush_conn.info.backend_pid)


@contextmanager
def stopped(pid: int) -> Iterator[None]:
    os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(pid, signal.SIGCONT)


def held_append(log: AuditLog, i: int, prefix: str = "held") -> asyncio.Future[Committed]:
    record = sample_record(i)
    record.request_id = f"{prefix}-{i:06d}"
    return asyncio.ensure_future(log.append(record, status=200, duration_s=0.001))


async def appended_and_taken(writer: GroupCommitWriter, appended: int) -> None:
    """Wait until the writer has appended `appended` batches and the flusher has taken every one of them."""
    await until(lambda: writer.appended == appended and writer._flush_queue.empty())


async def append_batches(
    log: AuditLog, count: int, start: int, prefix: str = "held"
) -> list[asyncio.Future[Committed]]:
    """`count` batches of one event each, appended one after another while the flush is held: each is
    handed to the flusher's queue, where the next flush takes them all."""
    writer = log.writer
    waiting = []
    for i in range(count):
        before = writer.appended
        waiting.append(held_append(log, start + i, prefix))
        await until(lambda before=before: writer.appended == before + 1)  # type: ignore[misc]
    return waiting


def log_size(admin: psycopg.Connection[Any]) -> int:
    row = admin.execute("SELECT coalesce(max(seq), 0) FROM audit_events").fetchone()
    assert row is not None
    return int(row[0])


def grants(admin: psycopg.Connection[Any], role: str, *, grant: bool) -> None:
    verb, word = ("GRANT", "TO") if grant else ("REVOKE", "FROM")
    admin.execute(f"{verb} EXECUTE ON FUNCTION {SYNC_FUNCTION} {word} {role}")
    admin.execute(f"{verb} EXECUTE ON FUNCTION {FLUSH_POSITION} {word} PUBLIC")


@pytest.fixture
async def overlapping(audit_log: AuditLog) -> AuditLog:
    """The audit log with both its connections open (the writer's and the flusher's)."""
    assert audit_log.writer.overlap
    await audit_log.append(sample_record(0), status=200, duration_s=0.001)
    return audit_log


async def test_a_waiter_is_not_released_before_the_flush_covering_its_commit_returns(
    overlapping: AuditLog, admin_conn: psycopg.Connection[Any]
) -> None:
    writer = overlapping.writer
    flushes, size = writer.flushes, log_size(admin_conn)
    with stopped(flusher_pid(writer)):
        waiting = held_append(overlapping, 1)
        await appended_and_taken(writer, writer.appended + 1)
        await asyncio.sleep(0.3)
        held = waiting.done()
        in_log = admin_conn.execute(
            "SELECT count(*) FROM audit_events WHERE request_id = 'held-000001' AND seq > %s", (size,)
        ).fetchone()
    assert held is False  # committed (the log holds it), not yet answered: its flush has not returned
    assert in_log == (1,)
    done = await waiting
    assert writer.flushes == flushes + 1
    assert (done.seq, done.event_hash) in overlapping.head.claims()


async def test_batches_appended_during_a_flush_are_all_released_by_the_next_one(
    overlapping: AuditLog,
) -> None:
    writer = overlapping.writer
    flushes, batches = writer.flushes, writer.batches
    with stopped(flusher_pid(writer)):
        first = held_append(overlapping, 1)
        await appended_and_taken(writer, writer.appended + 1)  # the flush in flight covers the first only
        later = await append_batches(overlapping, 3, start=2)
        assert not any(w.done() for w in [first, *later])
    seqs = [(await w).seq for w in [first, *later]]
    assert seqs == list(range(seqs[0], seqs[0] + 4))
    assert writer.batches - batches == 4
    assert writer.flushes - flushes == 2  # one for the first batch, one for the three appended meanwhile


async def test_a_failed_flush_fails_every_batch_it_covers(
    overlapping: AuditLog, admin_conn: psycopg.Connection[Any], settings: Settings
) -> None:
    """audit_sync() is refused and the confirmation cannot flush either: every waiter of every covered batch
    gets the error (the 503), though their events are committed and claimed; then the writer recovers."""
    writer = overlapping.writer
    writer.queue_wait_seconds = 0.5
    flushes, size = writer.flushes, log_size(admin_conn)
    try:
        with stopped(flusher_pid(writer)):
            first = held_append(overlapping, 1, "overlap-fail")
            await appended_and_taken(writer, writer.appended + 1)
            later = await append_batches(overlapping, 2, start=2, prefix="overlap-fail")
            grants(admin_conn, settings.app_db_role, grant=False)  # before the held flush runs
        results = await asyncio.gather(first, *later, return_exceptions=True)
    finally:
        grants(admin_conn, settings.app_db_role, grant=True)
    assert [type(r).__name__ for r in results] == ["InsufficientPrivilege"] * 3
    assert writer.flushes == flushes
    assert writer.last_failure is not None
    assert writer.last_failure[1] == "InsufficientPrivilege"
    rows = admin_conn.execute(
        "SELECT seq, event_hash FROM audit_events WHERE request_id LIKE 'overlap-fail-%%' AND seq > %s"
        " ORDER BY seq",
        (size,),
    ).fetchall()
    assert len(rows) == 3
    assert {(int(s), bytes(h)) for s, h in rows} <= overlapping.head.claims()
    assert (await overlapping.append(sample_record(9), status=200, duration_s=0.001)).seq == rows[-1][0] + 1


async def test_a_failed_flush_releases_each_covered_batch_it_confirms_durable(
    overlapping: AuditLog, admin_conn: psycopg.Connection[Any], settings: Settings
) -> None:
    writer = overlapping.writer
    role = settings.app_db_role
    try:
        with stopped(flusher_pid(writer)):
            first = held_append(overlapping, 1)
            await appended_and_taken(writer, writer.appended + 1)
            later = await append_batches(overlapping, 2, start=2)
            admin_conn.execute(f"REVOKE EXECUTE ON FUNCTION {SYNC_FUNCTION} FROM {role}")
        seqs = [(await w).seq for w in [first, *later]]
    finally:
        admin_conn.execute(f"GRANT EXECUTE ON FUNCTION {SYNC_FUNCTION} TO {role}")
    assert seqs == list(range(seqs[0], seqs[0] + 3))
    assert writer.last_failure is None


async def test_close_waits_for_the_flush_of_every_appended_batch(overlapping: AuditLog) -> None:
    writer = overlapping.writer
    with stopped(flusher_pid(writer)):
        waiting = held_append(overlapping, 1)
        await appended_and_taken(writer, writer.appended + 1)
        closing = asyncio.ensure_future(writer.close())
        await asyncio.sleep(0.3)
        assert not closing.done()
        assert not waiting.done()
    await closing
    assert (await waiting).seq > 0
    assert writer._flusher is not None
    assert writer._flusher.done()
    assert (writer._conn, writer._flush_conn) == (None, None)


async def test_a_flusher_cancelled_mid_flush_fails_its_waiters_and_a_new_one_takes_over(
    overlapping: AuditLog,
) -> None:
    writer = overlapping.writer
    with stopped(flusher_pid(writer)):
        waiting = held_append(overlapping, 1)
        await appended_and_taken(writer, writer.appended + 1)
        flusher = writer._flusher
        assert flusher is not None
        flusher.cancel()
        with pytest.raises(AuditUnavailableError, match="the audit writer was stopped"):
            await waiting
    assert flusher.cancelled()
    assert (await overlapping.append(sample_record(2), status=200, duration_s=0.001)).seq > 0
    assert writer._flusher is not flusher


async def test_close_after_the_writer_task_was_cancelled_still_stops_the_flusher(
    overlapping: AuditLog,
) -> None:
    writer = overlapping.writer
    task = writer._task
    assert task is not None
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await writer.close()
    assert writer._flusher is not None
    assert writer._flusher.done()
    assert writer._flush_conn is None


@pytest.mark.parametrize(("size", "overlap"), [(OVERLAP_MIN_POOL - 1, False), (OVERLAP_MIN_POOL, True)])
async def test_the_audit_log_leaves_a_pool_connection_for_requests(
    settings: Settings, db_urls: DatabaseUrls, size: int, overlap: bool
) -> None:
    """With the smallest pools that have one connection to spare, appends under load never take the last one:
    a request still gets a connection at once. Below OVERLAP_MIN_POOL the writer flushes on its own."""
    pool = create_pool(db_urls.app, 1, size, wait_seconds=1.0)
    await pool.open(wait=True)
    log = AuditLog.from_settings(settings.audit, pool)
    try:
        assert log.writer.overlap is overlap
        load = asyncio.gather(
            *(log.append(sample_record(i), status=200, duration_s=0.001) for i in range(200))
        )
        await until(lambda: log.writer.appended >= 1)
        for _ in range(5):
            async with pool.connection(timeout=1.0) as conn:
                await conn.execute("SELECT 1")
        done = await load
        assert [d.seq for d in done] == list(range(done[0].seq, done[0].seq + 200))
        assert (log.writer.flushes > 0) is overlap
    finally:
        await log.close()
        await pool.close()


@pytest.fixture
def own_log_database(settings: Settings) -> Iterator[DatabaseUrls]:
    name = f"{settings.database_name}_audit_overlap"
    urls = fresh_database(settings, name)
    upgrade(urls, settings.app_db_role)
    yield urls
    fresh_database(settings, name)


@pytest.fixture
async def own_log(settings: Settings, own_log_database: DatabaseUrls) -> AsyncIterator[AuditLog]:
    pool = create_pool(own_log_database.app, 1, 4)
    await pool.open(wait=True)
    audit = settings.audit.model_copy(update={"checkpoint_every": 16})
    log = AuditLog.from_settings(audit, pool)
    await log.register_key()
    try:
        yield log
    finally:
        await pool.close()


async def test_the_chain_verifies_after_a_mixed_run(
    own_log: AuditLog, own_log_database: DatabaseUrls, settings: Settings
) -> None:
    """Bursts, batches released together by one flush, a failed flush confirmed durable, then close (which
    signs the tail): the log is gap-free, chains, and every checkpoint verifies under the pinned key."""
    log, writer = own_log, own_log.writer
    done = list(
        await asyncio.gather(*(log.append(sample_record(i), status=200, duration_s=0.001) for i in range(40)))
    )
    with stopped(flusher_pid(writer)):
        first = held_append(log, 100, "mixed")
        await appended_and_taken(writer, writer.appended + 1)
        later = await append_batches(log, 3, start=101)
    done += [await w for w in [first, *later]]
    with psycopg.connect(own_log_database.admin, autocommit=True) as admin:
        admin.execute(f"REVOKE EXECUTE ON FUNCTION {SYNC_FUNCTION} FROM {settings.app_db_role}")
        try:
            done += await asyncio.gather(
                *(log.append(sample_record(200 + i), status=200, duration_s=0.001) for i in range(20))
            )
        finally:
            admin.execute(f"GRANT EXECUTE ON FUNCTION {SYNC_FUNCTION} TO {settings.app_db_role}")
        done += await asyncio.gather(
            *(log.append(sample_record(300 + i), status=200, duration_s=0.001) for i in range(30))
        )
        await log.close()
        key = public_key_of(read_signing_key(settings.audit.signing_key_file))
        report = verify_log(db_events(admin), db_checkpoints(admin), {key.key_id: key}, db_head(admin))
    assert sorted(d.seq for d in done) == list(range(1, 95))
    assert report.findings == []
    assert (report.events, report.signed_size, report.unsigned_events) == (94, 94, 0)


@pytest.fixture
async def inline_log(settings: Settings, db_urls: DatabaseUrls) -> AsyncIterator[AuditLog]:
    """Below OVERLAP_MIN_POOL: the writer flushes each batch on its own connection before the next."""
    pool = create_pool(db_urls.app, 1, OVERLAP_MIN_POOL - 1)
    await pool.open(wait=True)
    log = AuditLog.from_settings(settings.audit, pool)
    try:
        assert log.writer.overlap is False
        yield log
    finally:
        await log.close()
        await pool.close()


async def test_without_overlap_a_failed_flush_confirmed_durable_is_committed(
    inline_log: AuditLog, admin_conn: psycopg.Connection[Any], settings: Settings
) -> None:
    role = settings.app_db_role
    admin_conn.execute(f"REVOKE EXECUTE ON FUNCTION {SYNC_FUNCTION} FROM {role}")
    try:
        done = await asyncio.gather(
            *(inline_log.append(sample_record(i), status=200, duration_s=0.001) for i in range(3))
        )
    finally:
        admin_conn.execute(f"GRANT EXECUTE ON FUNCTION {SYNC_FUNCTION} TO {role}")
    assert [d.seq for d in done] == list(range(done[0].seq, done[0].seq + 3))
    assert (inline_log.writer.last_failure, inline_log.writer.flushes) == (None, 0)


async def test_without_overlap_an_unconfirmed_flush_fails_the_batch(
    inline_log: AuditLog, admin_conn: psycopg.Connection[Any], settings: Settings
) -> None:
    inline_log.writer.queue_wait_seconds = 0.5
    grants(admin_conn, settings.app_db_role, grant=False)
    try:
        results = await asyncio.gather(
            *(inline_log.append(sample_record(i), status=200, duration_s=0.001) for i in range(3)),
            return_exceptions=True,
        )
    finally:
        grants(admin_conn, settings.app_db_role, grant=True)
    assert [type(r).__name__ for r in results] == ["InsufficientPrivilege"] * 3
    assert (await inline_log.append(sample_record(9), status=200, duration_s=0.001)).seq > 0
