"""What the group-commit writer trusts about a batch: the hashes it can recompute (check_batch), and, when
its connection failed part way, what the log holds (resolve_in_doubt after a lost append, confirm after a
failed flush), each found out on a fresh connection within a bounded wait."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson
import structlog
from psycopg.rows import tuple_row
from psycopg_pool import AsyncConnectionPool

from gateway.audit.chain import event_hash

log = structlog.get_logger("gateway.audit")

# After a failed flush wait: are these events in the log with the hashes this writer computed?
CONFIRM_SQL = (
    "SELECT array_agg(event_hash ORDER BY seq) AS hashes FROM audit_events WHERE seq BETWEEN %s AND %s"
)
# Then flush the WAL past them without audit_sync: a transaction that takes a transaction id commits a record
# of its own, and with synchronous_commit on its commit returns only once the WAL is on disk up to that
# record, which comes after the events' commit (it needs no privilege beyond a connection).
FLUSH_STATEMENTS = ("SET LOCAL synchronous_commit TO on", "SELECT pg_current_xact_id()")
CONFIRM_RETRY_S = 0.2
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


class ChainMismatchError(Exception):
    """The database returned hashes that do not chain the contents this writer sent."""


class _BackendStillRunningError(Exception):
    """The lost connection's backend did not exit in time; the in-doubt lookup must wait."""


@dataclass(frozen=True, slots=True)
class Committed:
    seq: int
    event_hash: bytes


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


async def resolve_in_doubt(
    pool: AsyncConnectionPool[Any],
    wait_seconds: float,
    contents: list[str],
    backend: tuple[int, Any],
    error_type: str,
) -> list[Committed] | None:
    """The connection was lost during the append statement (the server went away, the backend was
    terminated, the network was cut), so whether the batch committed is unknown. On a fresh connection
    and within `queue_wait_seconds`: make sure the old backend is gone (so the statement cannot still
    commit), then look the batch's events up by request id and compare them with what was sent. The
    batch is one statement, so it is all there or none of it: found, it is committed (flushed, then
    answered as such); absent, it failed; anything else (a part, other content), it failed too."""
    request_ids = [rid for rid in (_request_id(c) for c in contents) if rid is not None]
    if not request_ids:  # only alerts: nothing to look them up by
        log.error("audit_batch_in_doubt", error_type=error_type, events=len(contents))
        return None
    sent = set(contents)
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            async with pool.connection(timeout=max(0.1, deadline - time.monotonic())) as conn:
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


async def confirm(
    pool: AsyncConnectionPool[Any], wait_seconds: float, committed: list[Committed], error_type: str
) -> bool:
    """The append committed but the flush wait failed (the connection dropped, the server restarted,
    audit_sync was refused). Failing the waiters would answer 503 for events the log keeps with the
    handler's status, so the log would say 200 where the client got 503. Instead, on a fresh connection
    and within `queue_wait_seconds`, check the events are there with the hashes this writer computed and
    flush the WAL past them: then they are durable, and the batch is committed after all. (The caller has
    given its own connection back: it may be the one that was lost.)"""
    deadline = time.monotonic() + wait_seconds
    expected = [c.event_hash for c in committed]
    while True:
        try:
            async with pool.connection(timeout=max(0.1, deadline - time.monotonic())) as conn:
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
