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
from psycopg import AsyncConnection
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
from gateway.audit.merkle import Frontier
from gateway.context import AccessRecord
from gateway.settings import AuditSettings

log = structlog.get_logger("gateway.audit")

APPEND_SQL = "SELECT seq, event_hash, tree_root FROM audit_append(%s, %s, %s)"
INSERT_CHECKPOINT_SQL = (
    "INSERT INTO audit_checkpoints (size, root, signed_at, key_id, signature)"
    " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (size) DO NOTHING"
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
        """Append prepared content on `conn` (autocommit): one round trip to sequence, one to make it durable."""
        cur = await conn.execute(APPEND_SQL, (content, subjects, self.checkpoint_every), prepare=True)
        row = await cur.fetchone()
        if row is None:
            raise RuntimeError("audit_append returned no row")
        seq, event, root = _values(row, ("seq", "event_hash", "tree_root"))
        checkpoint = None
        if root is not None:
            # The checkpoint insert is a synchronous commit, so it also makes this event durable.
            checkpoint = sign_checkpoint(self.signing_key, int(seq), bytes(root), datetime.now(UTC))
            await self._store_checkpoint(conn, checkpoint)
        else:
            await conn.execute("SELECT audit_sync()", prepare=True)
        return Appended(seq=int(seq), event_hash=bytes(event), checkpoint=checkpoint)

    async def _store_checkpoint(self, conn: AsyncConnection[Any], checkpoint: Checkpoint) -> None:
        await conn.execute(
            INSERT_CHECKPOINT_SQL,
            (checkpoint.size, checkpoint.root, checkpoint.signed_at, checkpoint.key_id, checkpoint.signature),
        )

    async def register_key(self) -> None:
        """Record this process's public key in the log so exports carry it (idempotent)."""
        async with self.pool.connection() as conn:
            await conn.execute(
                "INSERT INTO audit_keys (key_id, algorithm, public_key) VALUES (%s, 'Ed25519', %s)"
                " ON CONFLICT (key_id) DO NOTHING",
                (self.public_key.key_id, self.public_key.public_key),
            )

    async def checkpoint(self) -> Checkpoint | None:
        """Sign a checkpoint at the current head unless the latest one already covers it."""
        async with self.pool.connection() as conn:
            cur = await conn.execute(
                "SELECT h.size, h.frontier, (SELECT max(size) FROM audit_checkpoints) AS signed FROM audit_head h"
            )
            row = await cur.fetchone()
            if row is None:
                return None
            size, frontier, signed = _values(row, ("size", "frontier", "signed"))
            if size == 0 or (signed is not None and signed >= size):
                return None
            root = Frontier(int(size), [bytes(h) for h in frontier]).root()
            checkpoint = sign_checkpoint(self.signing_key, int(size), root, datetime.now(UTC))
            await self._store_checkpoint(conn, checkpoint)
            return checkpoint

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


def _values(row: Any, names: tuple[str, ...]) -> tuple[Any, ...]:
    """Read columns from a dict row (the app pool) or a tuple row (plain connections)."""
    if isinstance(row, Mapping):
        return tuple(row[n] for n in names)
    return tuple(row)
