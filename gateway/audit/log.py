"""The audit log's write side: append one event (sequenced, chained, on disk) and sign checkpoints."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import structlog
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from psycopg import AsyncConnection, AsyncCursor
from psycopg.rows import tuple_row
from psycopg_pool import AsyncConnectionPool

from gateway.audit.checkpoint import Checkpoint, sign_checkpoint
from gateway.audit.event import event_content
from gateway.audit.keys import (
    PublicKey,
    load_or_create_signing_key,
    load_or_create_subject_key,
    public_key_of,
    subject_hash,
)
from gateway.audit.merkle import BLOCK, Frontier, root_of
from gateway.audit.record import AccessRecord
from gateway.settings import AuditSettings

log = structlog.get_logger("gateway.audit")

APPEND_SQL = "SELECT seq, event_hash FROM audit_append(%s, %s)"
SYNC_SQL = "SELECT audit_sync()"
REGISTER_KEY_SQL = "INSERT INTO audit_keys (key_id, algorithm, public_key) VALUES (%s, 'Ed25519', %s) ON CONFLICT (key_id) DO NOTHING"
INSERT_CHECKPOINT_SQL = (
    "INSERT INTO audit_checkpoints (size, root, signed_at, key_id, signature, frontier)"
    " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (size) DO NOTHING"
)


@dataclass(frozen=True, slots=True)
class Appended:
    seq: int
    event_hash: bytes
    checkpoint: Checkpoint | None


class AuditLog:
    """Appends events through the database's audit_append() and signs checkpoints every N events or T s."""

    def __init__(
        self,
        pool: AsyncConnectionPool[Any],
        *,
        signing_key: Ed25519PrivateKey,
        subject_key: bytes,
        checkpoint_every: int,
        checkpoint_seconds: float,
    ) -> None:
        self.pool = pool
        self.signing_key = signing_key
        self.subject_key = subject_key
        self.public_key: PublicKey = public_key_of(signing_key)
        self.checkpoint_every = checkpoint_every
        self.checkpoint_seconds = checkpoint_seconds

    @classmethod
    def from_settings(cls, settings: AuditSettings, pool: AsyncConnectionPool[Any]) -> AuditLog:
        return cls(
            pool,
            signing_key=load_or_create_signing_key(settings.signing_key_file),
            subject_key=load_or_create_subject_key(settings.subject_key_file),
            checkpoint_every=settings.checkpoint_every,
            checkpoint_seconds=settings.checkpoint_seconds,
        )

    def subject_hash(self, upn: str) -> bytes:
        return subject_hash(self.subject_key, upn)

    async def append(
        self,
        record: AccessRecord,
        *,
        status: int,
        duration_s: float,
        request_params: Mapping[str, Any] | None = None,
    ) -> Appended:
        """Write the request's event; returns only once it is committed and on disk."""
        content, subjects = event_content(
            record,
            status=status,
            duration_s=duration_s,
            occurred_at=datetime.now(UTC),
            subject_key=self.subject_key,
            request_params=request_params,
        )
        async with self.pool.connection() as conn:
            return await self.append_content(conn, content, subjects)

    async def append_content(
        self, conn: AsyncConnection[Any], content: str, subjects: list[bytes]
    ) -> Appended:
        """Append prepared content on `conn` (autocommit): one round trip sequences and commits the event, the
        second returns once that commit is on disk (sharing the flush with concurrent writers)."""
        async with conn.cursor(row_factory=tuple_row) as cur:
            await cur.execute(APPEND_SQL, (content, subjects), prepare=True)
            row = await cur.fetchone()
            if row is None:
                raise RuntimeError("audit_append returned no row")
            seq, event = int(row[0]), bytes(row[1])
            checkpoint = None
            if self.checkpoint_every > 0 and seq % self.checkpoint_every == 0:
                try:
                    checkpoint = await self._checkpoint_at(cur, seq)
                except Exception as exc:  # the event is committed; the timer signs a later checkpoint instead
                    log.error("audit_checkpoint_failed", error_type=type(exc).__name__, size=seq)
            await cur.execute(SYNC_SQL, prepare=True)
        return Appended(seq=seq, event_hash=event, checkpoint=checkpoint)

    async def _checkpoint_at(self, cur: AsyncCursor[tuple[Any, ...]], size: int) -> Checkpoint | None:
        """Sign the tree of the first `size` events, extending the frontier of the checkpoint before it."""
        await cur.execute(
            "SELECT size, frontier FROM audit_checkpoints WHERE size <= %s ORDER BY size DESC LIMIT 1",
            (size,),
        )
        base = await cur.fetchone()
        base_size = 0 if base is None else int(base[0])
        if base_size == size:
            return None
        frontier = Frontier() if base is None else Frontier(base_size, [bytes(h) for h in base[1]])
        await cur.execute(
            "SELECT leaf_hash FROM audit_events WHERE seq > %s AND seq <= %s ORDER BY seq", (base_size, size)
        )
        leaves = await cur.fetchall()
        if len(leaves) != size - base_size:
            raise RuntimeError(f"audit events {base_size + 1}..{size} are not all present")
        for (leaf,) in leaves:
            frontier.append(bytes(leaf))
        checkpoint = sign_checkpoint(self.signing_key, size, frontier.root(), datetime.now(UTC))
        # The key goes in with its first checkpoint, so no checkpoint is ever stored without its key.
        await cur.execute(REGISTER_KEY_SQL, (self.public_key.key_id, self.public_key.public_key))
        await cur.execute(
            INSERT_CHECKPOINT_SQL,
            (
                checkpoint.size,
                checkpoint.root,
                checkpoint.signed_at,
                checkpoint.key_id,
                checkpoint.signature,
                frontier.hashes,
            ),
        )
        await self._extend_blocks(cur, size)
        return checkpoint

    async def _extend_blocks(self, cur: AsyncCursor[tuple[Any, ...]], size: int) -> None:
        """Cache the root of every complete BLOCK of leaves below `size` not cached yet (for fast proofs)."""
        await cur.execute("SELECT coalesce(max(idx) + 1, 0) FROM audit_subtrees")
        row = await cur.fetchone()
        first_block = 0 if row is None else int(row[0])
        complete = size // BLOCK
        if first_block >= complete:
            return
        await cur.execute(
            "SELECT leaf_hash FROM audit_events WHERE seq > %s AND seq <= %s ORDER BY seq",
            (first_block * BLOCK, complete * BLOCK),
        )
        leaves = [bytes(r[0]) for r in await cur.fetchall()]
        roots = [
            (b, root_of(leaves, (b - first_block) * BLOCK, (b - first_block + 1) * BLOCK))
            for b in range(first_block, complete)
        ]
        await cur.executemany(
            "INSERT INTO audit_subtrees (idx, root) VALUES (%s, %s) ON CONFLICT (idx) DO NOTHING", roots
        )

    async def register_key(self) -> None:
        """Record this process's public key in the log so exports carry it (idempotent)."""
        async with self.pool.connection() as conn:
            await conn.execute(REGISTER_KEY_SQL, (self.public_key.key_id, self.public_key.public_key))

    async def checkpoint(self) -> Checkpoint | None:
        """Sign a checkpoint at the current head unless one already covers it."""
        async with self.pool.connection() as conn, conn.cursor(row_factory=tuple_row) as cur:
            await cur.execute("SELECT coalesce(max(seq), 0) FROM audit_events")
            row = await cur.fetchone()
            if row is None or int(row[0]) == 0:
                return None
            return await self._checkpoint_at(cur, int(row[0]))

    async def run_checkpoints(self) -> None:
        """Every `checkpoint_seconds`, sign the head if it moved (runs for the app's lifetime)."""
        while True:
            await asyncio.sleep(self.checkpoint_seconds)
            started = time.perf_counter()
            try:
                made = await self.checkpoint()
            except Exception as exc:  # keep the timer alive; the next tick retries
                log.error("audit_checkpoint_failed", error_type=type(exc).__name__)
                continue
            if made is not None:
                log.info(
                    "audit_checkpoint",
                    size=made.size,
                    key_id=made.key_id,
                    ms=round((time.perf_counter() - started) * 1000, 2),
                )
