"""Group commit: one writer per process appends the queued events as one batch (one statement, one flush) and
releases each waiting request only once its event is on disk."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import itertools
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
import structlog
from prometheus_client import Counter, Histogram
from psycopg import AsyncConnection, OperationalError
from psycopg.rows import tuple_row
from psycopg_pool import AsyncConnectionPool

from gateway.audit.chain import event_hash

log = structlog.get_logger("gateway.audit")

# %b: the batch goes as one binary text[] (the text form of 500 escaped events cost more than the append).
APPEND_BATCH_SQL = "SELECT seq, prev_hash, event_hash FROM audit_append_batch(%b)"
SYNC_SQL = "SELECT audit_sync()"
# After a failed flush wait: are these events in the log with the hashes this writer computed?
CONFIRM_SQL = (
    "SELECT array_agg(event_hash ORDER BY seq) AS hashes FROM audit_events WHERE seq BETWEEN %s AND %s"
)
# Then flush the WAL past them without audit_sync: a transaction that takes a transaction id commits a record
# of its own, and with synchronous_commit on its commit returns only once the WAL is on disk up to that
# record, which comes after the events' commit (it needs no privilege beyond a connection).
FLUSH_STATEMENTS = ("SET LOCAL synchronous_commit TO on", "SELECT pg_current_xact_id()")
CONFIRM_RETRY_S = 0.2
# Who the writer's connection is on the server (pid and start time identify one backend; a pid alone can be
# reused), so that after losing it the writer can make sure the lost statement is no longer running.
BACKEND_SQL = "SELECT pid, backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()"
# In doubt (the connection was lost during the append): end the old backend if it is still there, waiting up
# to a second for it to exit, so its statement cannot commit after the lookup below has looked. A role may
# signal its own backends. Returns no row when it is gone already, false when it is still running.
END_BACKEND_SQL = (
    "SELECT pg_terminate_backend(pid, 1000) FROM pg_stat_activity WHERE pid = %s AND backend_start = %s"
)
# Then: are the batch's events in the log? (migration 0014 indexes request_id; contents are compared in full)
LOOKUP_SQL = (
    "SELECT seq, prev_hash, event_hash, content FROM audit_events WHERE request_id = ANY(%s) ORDER BY seq"
)
# Scraped at /metrics (gateway.edge.metrics); the error type is a class name, never a message.
BATCH_SIZE = Histogram(
    "gateway_audit_batch_size",
    "Events per committed audit batch",
    buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256, 512),
)
COMMIT_SECONDS = Histogram(
    "gateway_audit_commit_duration_seconds",
    "Time to append, commit and flush one audit batch",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
)
WRITE_FAILURES = Counter(
    "gateway_audit_write_failures", "Audit batches that failed, by error type", ["error_type"]
)
FAILED_EVENTS = Counter("gateway_audit_failed_events", "Events in audit batches that failed")

# What a test revokes to make every append fail.
APPEND_FUNCTION = "audit_append_batch(text[])"


class AuditUnavailableError(Exception):
    """The log could not take the event: its queue stayed full, or the writer is shutting down."""


class ChainMismatchError(Exception):
    """The database returned hashes that do not chain the contents this writer sent."""


class _BackendStillRunningError(Exception):
    """The lost connection's backend did not exit in time; the in-doubt lookup must wait."""


@dataclass(frozen=True, slots=True)
class Committed:
    seq: int
    event_hash: bytes


@dataclass(slots=True)
class _Pending:
    content: str
    future: asyncio.Future[Committed]


_STOP: Any = object()


@dataclass(slots=True)
class _Barrier:
    """Queued by drain(): resolved once every event queued before it is appended."""

    future: asyncio.Future[None]


def check_batch(contents: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> list[Committed]:
    """The writer trusts only what it can recompute: each returned hash must be the chain of its content."""
    if len(rows) != len(contents):
        raise ChainMismatchError(f"{len(contents)} events sent, {len(rows)} appended")
    committed: list[Committed] = []
    prev = bytes(rows[0][1]) if rows else b""
    for content, (seq, stored_prev, stored_hash) in zip(contents, rows, strict=True):
        expected = event_hash(prev, int(seq), content)
        if bytes(stored_prev) != prev or bytes(stored_hash) != expected:
            raise ChainMismatchError(f"event {seq} does not chain the content this writer sent")
        committed.append(Committed(int(seq), expected))
        prev = expected
    if any(b.seq != a.seq + 1 for a, b in itertools.pairwise(committed)):
        raise ChainMismatchError("the batch's positions are not consecutive")
    return committed


class GroupCommitWriter:
    """A bounded queue of events and one task that appends whatever has gathered since its last batch.

    A full queue makes submitters wait (backpressure) for up to `queue_wait_seconds`, then they fail;
    a failed batch fails every waiter in it; `close()` stops new events and drains those already queued."""

    def __init__(
        self,
        pool: AsyncConnectionPool[Any],
        *,
        queue_max: int,
        batch_max: int,
        queue_wait_seconds: float,
        on_appended: Callable[[list[Committed]], Awaitable[None]],
        after_batch: Callable[[list[Committed]], None],
    ) -> None:
        self.pool = pool
        self.queue_max = queue_max
        self.batch_max = batch_max
        self.queue_wait_seconds = queue_wait_seconds
        self.on_appended = on_appended
        self.after_batch = after_batch
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: asyncio.Queue[_Pending | _Barrier] = asyncio.Queue(queue_max)
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        self._conn: AsyncConnection[Any] | None = None  # the writer's own connection, kept between batches
        self._backend: tuple[int, Any] | None = None  # that connection's backend (pid, start time)
        self._returning: asyncio.Future[None] | None = None
        self.batches = 0  # for tests and benchmarks: how many batches were appended
        # For readiness: when the last batch committed, and the last failure (monotonic time, error type).
        self.last_commit_at: float | None = None
        self.last_failure: tuple[float, str] | None = None

    @property
    def queue_depth(self) -> int:
        return self._queue.qsize()

    def _ensure_running(self) -> None:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # first use, or a new event loop (each test has its own)
            self._loop = loop
            self._queue = asyncio.Queue(self.queue_max)
            self._task = None
            self._conn = None  # a connection of the old loop cannot be used (or returned) from this one
        if self._task is None or self._task.done():
            # A context of its own: the writer serves every request, not the one that happened to start it.
            self._task = loop.create_task(
                self._run(), name="audit-group-commit", context=contextvars.Context()
            )

    async def submit(self, content: str) -> Committed:
        """Queue one event; returns once it is committed and on disk."""
        if self._closing:
            raise AuditUnavailableError("the audit writer is shutting down")
        self._ensure_running()
        pending = _Pending(content, asyncio.get_running_loop().create_future())
        try:
            self._queue.put_nowait(pending)
        except asyncio.QueueFull:
            try:
                await asyncio.wait_for(self._queue.put(pending), self.queue_wait_seconds)
            except TimeoutError:
                log.error("audit_queue_full", queued=self._queue.qsize())
                raise AuditUnavailableError("the audit queue stayed full") from None
        return await pending.future

    async def drain(self) -> None:
        """Return once every event queued so far is appended (or failed)."""
        if self._task is None or self._task.done() or self._loop is not asyncio.get_running_loop():
            return
        barrier = _Barrier(asyncio.get_running_loop().create_future())
        await self._queue.put(barrier)
        await barrier.future

    async def close(self) -> None:
        """Take no more events, append those already queued, stop the task."""
        self._closing = True
        task = self._task
        if task is None or task.done() or self._loop is not asyncio.get_running_loop():
            return
        await self._queue.put(_STOP)
        await task
        await self._release()

    async def _release(self) -> None:
        """Give the writer's connection back to the pool, which checks it (or replaces it) before reuse."""
        conn, self._conn = self._conn, None
        self._backend = None
        if conn is not None:
            with contextlib.suppress(Exception):
                await self.pool.putconn(conn)

    @staticmethod
    def _fail(batch: list[_Pending], exc: BaseException) -> None:
        for pending in batch:
            if not pending.future.done():  # a waiter that went away has nobody to tell
                pending.future.set_exception(exc)

    async def _run(self) -> None:
        queue = self._queue
        while True:
            batch: list[_Pending] = []
            marker: Any = None  # a stop or drain request ends the batch
            while len(batch) < self.batch_max:
                try:
                    item: Any = queue.get_nowait() if batch else await queue.get()
                except asyncio.QueueEmpty:
                    break
                if item is _STOP or isinstance(item, _Barrier):
                    marker = item
                    break
                batch.append(item)
            if batch:
                await self._commit(batch)
            if marker is _STOP:
                return
            if isinstance(marker, _Barrier):
                marker.future.set_result(None)

    async def _commit(self, batch: list[_Pending]) -> None:
        contents = [p.content for p in batch]
        started = time.perf_counter()
        claimed: list[Committed] | None = None  # set once the append committed and its claim is journalled
        backend: tuple[int, Any] | None = None  # set while the append statement is in flight
        try:
            # One connection for the writer's life (no pool check per batch); returned to the pool, which
            # checks or replaces it, after any failure.
            if self._conn is None:
                self._conn = await self.pool.getconn()
                self._backend = await self._identify(self._conn)
            async with self._conn.cursor(row_factory=tuple_row) as cur:
                backend = self._backend
                await cur.execute(APPEND_BATCH_SQL, (contents,))
                committed = check_batch(contents, await cur.fetchall())
                # Claimed before the flush: a batch that commits but whose flush wait fails is still ours.
                await self.on_appended(committed)
                claimed = committed
                await cur.execute(SYNC_SQL)
        except Exception as exc:
            if claimed is not None and await self._confirm(claimed, type(exc).__name__):
                self._succeed(batch, claimed, started)
                return
            if claimed is None and backend is not None and isinstance(exc, OperationalError):
                found = await self._resolve_in_doubt(contents, backend, type(exc).__name__)
                if found is not None:
                    with contextlib.suppress(Exception):  # the signer's grace covers a claim that failed here
                        await self.on_appended(found)
                    self._succeed(batch, found, started)
                    return
            # The type only: a database error message can quote an event's content.
            log.error("audit_batch_failed", error_type=type(exc).__name__, events=len(batch))
            self.last_failure = (time.monotonic(), type(exc).__name__)
            WRITE_FAILURES.labels(type(exc).__name__).inc()
            FAILED_EVENTS.inc(len(batch))
            await self._release()
            self._fail(batch, exc)
            return
        except BaseException:  # cancelled mid-batch: the connection may be mid-statement, so it goes back
            self._fail(batch, AuditUnavailableError("the audit writer was stopped"))
            self._returning = asyncio.ensure_future(self._release())
            raise
        self._succeed(batch, committed, started)

    def _succeed(self, batch: list[_Pending], committed: list[Committed], started: float) -> None:
        self.batches += 1
        self.last_commit_at = time.monotonic()
        BATCH_SIZE.observe(len(batch))
        COMMIT_SECONDS.observe(time.perf_counter() - started)
        for pending, done in zip(batch, committed, strict=True):
            if not pending.future.done():  # a waiter that was cancelled still has its event recorded
                pending.future.set_result(done)
        with contextlib.suppress(Exception):  # signing is best effort here; the timer retries
            self.after_batch(committed)

    @staticmethod
    async def _identify(conn: AsyncConnection[Any]) -> tuple[int, Any]:
        async with conn.cursor(row_factory=tuple_row) as cur:
            await cur.execute(BACKEND_SQL)
            [(pid, started)] = await cur.fetchall()
        return int(pid), started

    async def _resolve_in_doubt(
        self, contents: list[str], backend: tuple[int, Any], error_type: str
    ) -> list[Committed] | None:
        """The connection was lost during the append statement (the server went away, the backend was
        terminated, the network was cut), so whether the batch committed is unknown. On a fresh connection
        and within `queue_wait_seconds`: make sure the old backend is gone (so the statement cannot still
        commit), then look the batch's events up by request id and compare them with what was sent. The
        batch is one statement, so it is all there or none of it: found, it is committed (flushed, then
        answered as such); absent, it failed; anything else (a part, other content), it failed too."""
        await self._release()
        request_ids = [rid for rid in (_request_id(c) for c in contents) if rid is not None]
        if not request_ids:  # only alerts: nothing to look them up by
            log.error("audit_batch_in_doubt", error_type=error_type, events=len(contents))
            return None
        sent = set(contents)
        deadline = time.monotonic() + self.queue_wait_seconds
        while True:
            try:
                async with self.pool.connection(timeout=max(0.1, deadline - time.monotonic())) as conn:
                    cur = conn.cursor(row_factory=tuple_row)
                    await cur.execute(END_BACKEND_SQL, backend)
                    if any(row[0] is not True for row in await cur.fetchall()):
                        raise _BackendStillRunningError
                    await cur.execute(LOOKUP_SQL, (request_ids,))
                    rows = [row[:3] for row in await cur.fetchall() if row[3] in sent]
                    if not rows:
                        log.error("audit_batch_not_committed", error_type=error_type, events=len(contents))
                        return None
                    committed = check_batch(contents, rows)
                    async with conn.transaction():
                        for statement in FLUSH_STATEMENTS:
                            await conn.execute(statement)
            except ChainMismatchError:
                log.error("audit_batch_in_doubt_mismatch", error_type=error_type, events=len(contents))
                return None
            except Exception as exc:
                if time.monotonic() > deadline:
                    log.error("audit_batch_unresolved", error_type=type(exc).__name__, events=len(contents))
                    return None
                await asyncio.sleep(CONFIRM_RETRY_S)
                continue
            log.warning("audit_batch_committed_in_doubt", error_type=error_type, events=len(contents))
            return committed

    async def _confirm(self, committed: list[Committed], error_type: str) -> bool:
        """The append committed but the flush wait failed (the connection dropped, the server restarted,
        audit_sync was refused). Failing the waiters would answer 503 for events the log keeps with the
        handler's status, so the log would say 200 where the client got 503. Instead, on a fresh connection
        and within `queue_wait_seconds`, check the events are there with the hashes this writer computed and
        flush the WAL past them: then they are durable, and the batch is committed after all."""
        await self._release()
        deadline = time.monotonic() + self.queue_wait_seconds
        expected = [c.event_hash for c in committed]
        while True:
            try:
                async with self.pool.connection(timeout=max(0.1, deadline - time.monotonic())) as conn:
                    cur = await conn.execute(CONFIRM_SQL, (committed[0].seq, committed[-1].seq))
                    row = await cur.fetchone()
                    if row is None or [bytes(h) for h in row["hashes"] or []] != expected:
                        log.error("audit_batch_not_in_log", error_type=error_type, events=len(committed))
                        return False  # not (or not these) events: the batch failed after all
                    async with conn.transaction():
                        for statement in FLUSH_STATEMENTS:
                            await conn.execute(statement)
            except Exception as exc:
                if time.monotonic() > deadline:
                    log.error("audit_batch_unconfirmed", error_type=type(exc).__name__, events=len(committed))
                    return False
                await asyncio.sleep(CONFIRM_RETRY_S)
                continue
            log.warning("audit_flush_failed_after_commit", error_type=error_type, events=len(committed))
            return True


def _request_id(content: str) -> str | None:
    request_id = orjson.loads(content).get("request_id")
    return request_id if isinstance(request_id, str) else None
