"""The in-doubt case (issue 13): the writer's connection is lost DURING the append statement, so the
connection cannot say whether the batch committed. The writer finds out on a fresh connection (it ends the
old backend if that is still running, then looks the batch's events up by request id) and answers committed
or fails the waiters (the 503) accordingly.

The faults are real: a relay on a real Unix socket between the writer and PostgreSQL loses the writer's
connection at a chosen moment (after the append reached the server, or when the server's answer to it comes
back), and another connection terminates the writer's backend with pg_terminate_backend while a trigger keeps
the append in flight."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from gateway.audit.head import head_file_for
from gateway.audit.log import AuditLog, alert_content
from gateway.audit.record import AccessRecord
from gateway.db.pool import create_pool
from gateway.db.urls import DatabaseUrls
from gateway.settings import Settings
from tests.audit.conftest import sample_record

# Keeps the append in flight: a statement-level trigger that sleeps before the events are inserted.
SLOW_TRIGGER = """
CREATE FUNCTION test_audit_slow_append() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_sleep({seconds});
    RETURN NULL;
END $$;
CREATE TRIGGER test_audit_slow_append BEFORE INSERT ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION test_audit_slow_append();
"""
DROP_SLOW_TRIGGER = """
DROP TRIGGER IF EXISTS test_audit_slow_append ON audit_events;
DROP FUNCTION IF EXISTS test_audit_slow_append();
"""


class CuttingRelay:
    """Relays PostgreSQL connections over a Unix socket of its own, and can lose one connection once:
    `cut_after_request()` closes it as soon as the client's next message has been passed on (the server
    runs the statement, the client never hears back); `cut_before_response()` closes it when the server's
    next data arrives, without passing it on (the statement ran to its end, the client never hears)."""

    def __init__(self, upstream: Path) -> None:
        self.upstream = upstream
        self.directory = Path(tempfile.mkdtemp(prefix="relay-"))
        self.mode: str | None = None
        self.cuts = 0
        self._server: asyncio.Server | None = None
        self._writers: list[asyncio.StreamWriter] = []

    async def start(self) -> None:
        self._server = await asyncio.start_unix_server(self._serve, self.directory / self.upstream.name)

    async def close(self) -> None:
        for writer in self._writers:
            writer.close()
        if self._server is not None:
            self._server.close()
        with contextlib.suppress(OSError):
            (self.directory / self.upstream.name).unlink()
            self.directory.rmdir()

    def cut_after_request(self) -> None:
        self.mode = "after-request"

    def cut_before_response(self) -> None:
        self.mode = "before-response"

    async def _serve(self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter) -> None:
        server_in, server_out = await asyncio.open_unix_connection(self.upstream)
        self._writers += [client_out, server_out]

        def cut() -> None:
            self.mode = None
            self.cuts += 1
            client_out.close()
            server_out.close()

        async def pump(source: asyncio.StreamReader, sink: asyncio.StreamWriter, to_server: bool) -> None:
            with contextlib.suppress(OSError):
                while data := await source.read(65536):
                    if not to_server and self.mode == "before-response":
                        cut()
                        return
                    sink.write(data)
                    await sink.drain()
                    if to_server and self.mode == "after-request":
                        cut()
                        return
            sink.close()

        await asyncio.gather(pump(client_in, server_out, True), pump(server_in, client_out, False))


def unix_socket(url: str) -> Path:
    params = conninfo_to_dict(url)
    return Path(str(params["host"])) / f".s.PGSQL.{params.get('port') or 5432}"


@pytest.fixture
async def relay(db_urls: DatabaseUrls) -> AsyncIterator[CuttingRelay]:
    relay = CuttingRelay(unix_socket(db_urls.app))
    await relay.start()
    try:
        yield relay
    finally:
        await relay.close()


@pytest.fixture
async def relayed_log(
    settings: Settings, db_urls: DatabaseUrls, relay: CuttingRelay
) -> AsyncIterator[AuditLog]:
    """The real AuditLog whose every database connection goes through the relay."""
    pool = create_pool(make_conninfo(db_urls.app, host=str(relay.directory)), 1, 4)
    await pool.open(wait=True)
    # The same gateway as the other tests' logs, only reached through the relay: so the same head file
    # (named by default after the connection's host, which here is the relay's directory). With a head of
    # its own, the events it appends would be another gateway's to every later log on this database, whose
    # checkpoints then stop at the first of them.
    same_gateway = settings.audit.model_copy(
        update={"head_file": head_file_for(settings.audit.signing_key_file, db_urls.app)}
    )
    log = AuditLog.from_settings(same_gateway, pool)
    await log.register_key()
    # One batch through the relay first: the writer holds its connection, so the next one is the append.
    await log.append(record(), status=200, duration_s=0.001)
    try:
        yield log
    finally:
        await log.close()
        await pool.close()


def record() -> AccessRecord:
    one = sample_record(7)
    one.request_id = f"in-doubt-{uuid.uuid4().hex}"
    return one


def stored(admin_conn: psycopg.Connection[Any], request_id: str) -> list[tuple[int, int]]:
    rows = admin_conn.execute(
        "SELECT seq, (content::jsonb ->> 'status')::int FROM audit_events WHERE request_id = %s",
        (request_id,),
    ).fetchall()
    return [(int(seq), int(status)) for seq, status in rows]


async def test_a_batch_that_committed_before_its_connection_was_lost_is_answered_as_committed(
    relayed_log: AuditLog, relay: CuttingRelay, admin_conn: psycopg.Connection[Any]
) -> None:
    event = record()
    relay.cut_before_response()
    appended = await relayed_log.append(event, status=200, duration_s=0.001)
    assert relay.cuts == 1  # the writer's connection really was lost with the answer on its way
    assert stored(admin_conn, event.request_id) == [(appended.seq, 200)]
    hash_row = admin_conn.execute(
        "SELECT event_hash FROM audit_events WHERE seq = %s", (appended.seq,)
    ).fetchone()
    assert hash_row is not None
    assert bytes(hash_row[0]) == appended.event_hash
    assert relayed_log.writer.last_failure is None
    assert (appended.seq, appended.event_hash) in relayed_log.head.claims()  # so the signer may sign it


async def test_a_statement_still_running_on_a_lost_connection_is_ended_and_answered_as_failed(
    relayed_log: AuditLog, relay: CuttingRelay, admin_conn: psycopg.Connection[Any]
) -> None:
    """The network is cut while the append runs on the server (a trigger makes it sleep 2 s). Unless the
    writer ends that backend first, it would commit after the lookup found nothing: a 503 for an event the
    log keeps. After the sleep would have ended, the log still has no such event."""
    event = record()
    admin_conn.execute(SLOW_TRIGGER.format(seconds=2))
    try:
        relay.cut_after_request()
        started = time.monotonic()
        with pytest.raises(psycopg.OperationalError):
            await relayed_log.append(event, status=200, duration_s=0.001)
        assert relay.cuts == 1
        await asyncio.sleep(max(0.0, 2.5 - (time.monotonic() - started)))
    finally:
        admin_conn.execute(DROP_SLOW_TRIGGER)
    assert stored(admin_conn, event.request_id) == []
    failure = relayed_log.writer.last_failure
    assert failure is not None
    assert failure[1] == "OperationalError"


async def test_a_backend_terminated_during_the_append_is_answered_as_failed(
    audit_log: AuditLog, admin_conn: psycopg.Connection[Any]
) -> None:
    """pg_terminate_backend from another connection while the append is in flight: nothing committed, so
    the waiter fails (the middleware's 503) and the log holds no event for it."""
    await audit_log.append(record(), status=200, duration_s=0.001)  # the writer holds its connection now
    event = record()
    admin_conn.execute(SLOW_TRIGGER.format(seconds=5))
    try:
        pending = asyncio.ensure_future(audit_log.append(event, status=200, duration_s=0.001))
        pid = None
        for _ in range(100):
            row = admin_conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND query LIKE %s",
                ("%audit_append_batch%",),
            ).fetchone()
            if row is not None:
                pid = int(row[0])
                break
            await asyncio.sleep(0.05)
        assert pid is not None
        assert admin_conn.execute("SELECT pg_terminate_backend(%s, 2000)", (pid,)).fetchone() == (True,)
        with pytest.raises(psycopg.OperationalError):
            await pending
    finally:
        admin_conn.execute(DROP_SLOW_TRIGGER)
    assert stored(admin_conn, event.request_id) == []
    # The writer serves again on a fresh connection.
    again = record()
    done = await audit_log.append(again, status=200, duration_s=0.001)
    assert stored(admin_conn, again.request_id) == [(done.seq, 200)]


async def test_an_in_doubt_batch_of_alerts_alone_cannot_be_looked_up_and_fails(audit_log: AuditLog) -> None:
    """Alerts carry no request id, so a batch of nothing else is not looked up: it fails (fail closed)."""
    content = alert_content("test", "an alert", datetime.now(UTC))
    backend = await own_backend(audit_log)
    assert await audit_log.writer._resolve_in_doubt([content], backend, "OperationalError") is None


async def test_a_batch_the_log_holds_only_part_of_is_not_committed(audit_log: AuditLog) -> None:
    """The lookup compares contents in full and needs all of the batch: one stored event and one that is
    not (with the same request id) is not a committed batch."""
    event = record()
    await audit_log.append(event, status=200, duration_s=0.001)
    stored_content = await content_of(audit_log, event.request_id)
    other = stored_content.replace('"status":200', '"status":201')
    backend = await own_backend(audit_log)
    resolved = await audit_log.writer._resolve_in_doubt([stored_content, other], backend, "OperationalError")
    assert resolved is None
    whole = await audit_log.writer._resolve_in_doubt([stored_content], backend, "OperationalError")
    assert whole is not None
    assert [c.seq for c in whole] == [await seq_of(audit_log, event.request_id)]


async def test_a_backend_that_does_not_exit_leaves_the_batch_unresolved(
    audit_log: AuditLog, db_urls: DatabaseUrls
) -> None:
    """If the old backend cannot be confirmed gone (here it is stopped with SIGSTOP, so it cannot act on
    pg_terminate_backend), the writer does not look: the batch fails once its wait is over."""
    event = record()
    await audit_log.append(event, status=200, duration_s=0.001)
    stored_content = await content_of(audit_log, event.request_id)
    with psycopg.connect(db_urls.app, autocommit=True) as stuck:
        row = stuck.execute(
            "SELECT pid, backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()"
        ).fetchone()
        assert row is not None
        backend = (int(row[0]), row[1])
        os.kill(backend[0], signal.SIGSTOP)
        try:
            audit_log.writer.queue_wait_seconds = 1.5
            started = time.monotonic()
            resolved = await audit_log.writer._resolve_in_doubt([stored_content], backend, "OperationalError")
            waited = time.monotonic() - started
        finally:
            os.kill(backend[0], signal.SIGCONT)
    assert resolved is None
    assert (
        waited >= 1.5
    )  # it kept trying (each try waits 1 s for the backend to exit) until its wait was over


async def own_backend(log: AuditLog) -> tuple[int, Any]:
    """A backend that has exited: the identity of a connection opened and closed here."""
    async with log.pool.connection() as conn:
        cur = await conn.execute(
            "SELECT pid, backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()"
        )
        row = await cur.fetchone()
    assert row is not None
    return int(row["pid"]), row["backend_start"] - timedelta(days=1)  # no live backend has that start


async def content_of(log: AuditLog, request_id: str) -> str:
    async with log.pool.connection() as conn:
        cur = await conn.execute("SELECT content FROM audit_events WHERE request_id = %s", (request_id,))
        row = await cur.fetchone()
    assert row is not None
    return str(row["content"])


async def seq_of(log: AuditLog, request_id: str) -> int:
    async with log.pool.connection() as conn:
        cur = await conn.execute("SELECT seq FROM audit_events WHERE request_id = %s", (request_id,))
        row = await cur.fetchone()
    assert row is not None
    return int(row["seq"])
