"""Group commit: one writer per process appends the queued events as one batch (one statement, one flush) and
releases each waiting request only once its event is on disk."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import structlog
from prometheus_client import Counter, Histogram
from psycopg import AsyncConnection, OperationalError
from psycopg.rows import tuple_row
from psycopg_pool import AsyncConnectionPool

from gateway.audit.batch import ChainMismatchError as ChainMismatchError
from gateway.audit.batch import Committed as Committed
from gateway.audit.batch import check_batch as check_batch
from gateway.audit.batch import confirm, resolve_in_doubt

log = structlog.get_logger("gateway.audit")

# %b: the batch goes as one binary text[] (the text form of 500 escaped events cost more than the append).
APPEND_BATCH_SQL = "SELECT seq, prev_hash, event_hash FROM audit_append_batch(%b)"
SYNC_SQL = "SELECT audit_sync()"
# Who the writer's connection is on the server (pid and start time identify one backend; a pid alone can be
# reused), so that after losing it the writer can make sure the lost statement is no longer running.
BACKEND_SQL = "SELECT pid, backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()"
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

# Overlapping the flush with the next batch: a flusher task runs audit_sync() on a pool connection of its own
# while the writer appends the next batch on its connection. Both hold their connection for the writer's life
# (a check on every checkout would cost a round trip per batch), so with overlap the audit log keeps two of
# the pool's connections; below this pool size that would leave requests and the signer one or none, so the
# writer flushes on its own connection instead (one batch at a time, as before the overlap).
OVERLAP_MIN_POOL = 3

# What a test revokes to make every append fail.
APPEND_FUNCTION = "audit_append_batch(text[])"


class AuditUnavailableError(Exception):
    """The log could not take the event: its queue stayed full, or the writer is shutting down."""


@dataclass(slots=True)
class _Pending:
    content: str
    future: asyncio.Future[Committed]


_STOP: Any = object()


@dataclass(frozen=True, slots=True)
class _Appended:
    """A batch whose append committed and whose claim is journalled, waiting for a flush to cover it."""

    batch: list[_Pending]
    committed: list[Committed]
    started: float


@dataclass(slots=True)
class _Barrier:
    """Queued by drain(): resolved once every event queued before it is appended."""

    future: asyncio.Future[None]


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
        self.overlap = pool.max_size >= OVERLAP_MIN_POOL
        self._flush_queue: asyncio.Queue[_Appended | _Barrier] = asyncio.Queue()
        self._flusher: asyncio.Task[None] | None = None
        self._flush_conn: AsyncConnection[Any] | None = None  # the flusher's own connection
        self._renew = False  # a flush failed: the writer's connection may be lost too, so it is replaced
        self.batches = 0  # for tests and benchmarks: how many batches were released
        self.appended = 0  # how many batches were appended (committed, not necessarily flushed yet)
        self.flushes = 0  # how many flushes returned (one may cover several batches)
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
            self._flush_queue = asyncio.Queue()
            self._flusher = None
            self._flush_conn = None
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
        """Return once every event queued so far is appended and flushed (or failed)."""
        if self._task is None or self._task.done() or self._loop is not asyncio.get_running_loop():
            return
        barrier = _Barrier(asyncio.get_running_loop().create_future())
        await self._queue.put(barrier)
        await barrier.future

    async def close(self) -> None:
        """Take no more events, append and flush those already queued, stop both tasks."""
        self._closing = True
        if self._loop is not asyncio.get_running_loop():
            return
        task = self._task
        if task is not None and not task.done():
            await self._queue.put(_STOP)
            await task
        flusher = self._flusher
        if flusher is not None and not flusher.done():
            self._flush_queue.put_nowait(_STOP)  # after every batch the writer handed over
            await flusher
        await self._release()
        await self._release_flush()

    def _hand_over(self, item: _Appended | _Barrier) -> None:
        """Queue a committed batch (or a drain barrier) for the flusher, starting it if it is not running."""
        self._flush_queue.put_nowait(item)
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.get_running_loop().create_task(
                self._flush_loop(), name="audit-flush", context=contextvars.Context()
            )

    async def _release(self) -> None:
        """Give the writer's connection back to the pool, which checks it (or replaces it) before reuse."""
        conn, self._conn = self._conn, None
        self._backend = None
        await self._put_back(conn)

    async def _release_flush(self) -> None:
        conn, self._flush_conn = self._flush_conn, None
        await self._put_back(conn)

    async def _put_back(self, conn: AsyncConnection[Any] | None) -> None:
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
                if self.overlap:  # resolved by the flusher, once the batches before it are flushed
                    self._hand_over(marker)
                else:
                    marker.future.set_result(None)

    async def _flush_loop(self) -> None:
        """Flush whatever batches have committed since the last flush began, with one audit_sync(): it
        returns once the WAL is on disk past its own commit, which comes after every commit that had returned
        before it started, so it covers each of those batches. Only then are their waiters released."""
        queue = self._flush_queue
        while True:
            items: list[Any] = [await queue.get()]
            while not queue.empty():
                items.append(queue.get_nowait())
            covered = [item for item in items if isinstance(item, _Appended)]
            try:
                if covered:
                    await self._flush(covered)
            finally:  # a drain waits for these batches to be released or failed, even when cancelled
                for item in items:
                    if isinstance(item, _Barrier) and not item.future.done():
                        item.future.set_result(None)
            if items[-1] is _STOP:
                return

    async def _flush(self, covered: list[_Appended]) -> None:
        try:
            if self._flush_conn is None:
                self._flush_conn = await self.pool.getconn()
            await self._flush_conn.execute(SYNC_SQL)
        except Exception as exc:
            await self._release_flush()
            self._renew = True
            # Each batch committed, so it may be durable all the same; all of them within one bounded wait.
            deadline = time.monotonic() + self.queue_wait_seconds
            for done in covered:
                wait = deadline - time.monotonic()
                if await confirm(self.pool, wait, done.committed, type(exc).__name__):
                    self._succeed(done.batch, done.committed, done.started)
                else:
                    self._failed(done.batch, exc)
            return
        except BaseException:  # cancelled mid-flush: nobody covered can be told their event is on disk
            stopped = AuditUnavailableError("the audit writer was stopped")
            for done in covered:
                self._fail(done.batch, stopped)
            self._returning = asyncio.ensure_future(self._release_flush())
            raise
        self.flushes += 1
        for done in covered:
            self._succeed(done.batch, done.committed, done.started)

    async def _commit(self, batch: list[_Pending]) -> None:
        contents = [p.content for p in batch]
        started = time.perf_counter()
        claimed: list[Committed] | None = None  # set once the append committed and its claim is journalled
        backend: tuple[int, Any] | None = None  # set while the append statement is in flight
        try:
            # One connection for the writer's life (no pool check per batch); returned to the pool, which
            # checks or replaces it, after any failure (its own, or the flusher's).
            if self._renew:
                self._renew = False
                await self._release()
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
                self.appended += 1
                if self.overlap:
                    self._hand_over(_Appended(batch, committed, started))
                    return
                await cur.execute(SYNC_SQL)
        except Exception as exc:
            if claimed is not None:
                await self._release()
                if await self._confirm(claimed, type(exc).__name__):
                    self._succeed(batch, claimed, started)
                    return
            if claimed is None and backend is not None and isinstance(exc, OperationalError):
                found = await self._resolve_in_doubt(contents, backend, type(exc).__name__)
                if found is not None:
                    with contextlib.suppress(Exception):  # the signer's grace covers a claim that failed here
                        await self.on_appended(found)
                    self._succeed(batch, found, started)
                    return
            await self._release()
            self._failed(batch, exc)
            return
        except BaseException:  # cancelled mid-batch: the connection may be mid-statement, so it goes back
            self._fail(batch, AuditUnavailableError("the audit writer was stopped"))
            self._returning = asyncio.ensure_future(self._release())
            raise
        self._succeed(batch, committed, started)

    def _failed(self, batch: list[_Pending], exc: Exception) -> None:
        # The type only: a database error message can quote an event's content.
        log.error("audit_batch_failed", error_type=type(exc).__name__, events=len(batch))
        self.last_failure = (time.monotonic(), type(exc).__name__)
        WRITE_FAILURES.labels(type(exc).__name__).inc()
        FAILED_EVENTS.inc(len(batch))
        self._fail(batch, exc)

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
        await self._release()
        return await resolve_in_doubt(self.pool, self.queue_wait_seconds, contents, backend, error_type)

    async def _confirm(self, committed: list[Committed], error_type: str) -> bool:
        return await confirm(self.pool, self.queue_wait_seconds, committed, error_type)
