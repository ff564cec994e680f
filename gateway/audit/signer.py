"""The checkpoint signer: it signs only heads that extend the head it trusts (gateway.audit.head), and on
proof or lasting suspicion that the database holds something it did not produce it raises an alert and
stops signing."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import structlog
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from psycopg import AsyncCursor
from psycopg.rows import tuple_row
from psycopg_pool import AsyncConnectionPool

from gateway.audit.chain import GENESIS, event_hash
from gateway.audit.checkpoint import Checkpoint, sign_checkpoint, verify_checkpoint
from gateway.audit.head import (
    Claim,
    Extension,
    HeadProblem,
    HeadStore,
    StoredEvent,
    TrustedHead,
    extend_head,
)
from gateway.audit.keys import PublicKey, public_key_of
from gateway.audit.merkle import BLOCK, Frontier, leaf_hash, root_of

log = structlog.get_logger("gateway.audit")

MAX_ADVANCE = 100_000  # events read per signing; a longer tail is signed over several calls
EXTEND_CHUNK = 100  # events hashed between two turns of the event loop (about half a millisecond)
EVENTS_SQL = (
    "SELECT seq, content, prev_hash, event_hash FROM audit_events WHERE seq >= %s AND seq <= %s ORDER BY seq"
)
SYNC_SQL = "SELECT audit_sync()"
REGISTER_KEY_SQL = "SELECT audit_register_key(%s)"
ADD_CHECKPOINT_SQL = "SELECT audit_add_checkpoint(%s, %s, %s, %s, %s, %s)"

Alert = Callable[[str, str], Awaitable[None]]


class Signer:
    """Signs checkpoints for one database from this host's head file; one signing at a time per process."""

    def __init__(
        self,
        pool: AsyncConnectionPool[Any],
        key: Ed25519PrivateKey,
        store: HeadStore,
        *,
        trusted_keys: dict[str, PublicKey],
        grace_seconds: float,
        alert: Alert,
    ) -> None:
        self.pool = pool
        self.key = key
        self.public_key = public_key_of(key)
        self.store = store
        self.trusted_keys = {**trusted_keys, self.public_key.key_id: self.public_key}
        self.grace_seconds = grace_seconds
        self.alert = alert
        self.memory: TrustedHead | None = None  # the head as this process last saw it
        self._lock = asyncio.Lock()
        self._registered = False

    @property
    def halted(self) -> str | None:
        return None if self.memory is None else self.memory.halted

    async def register_key(self) -> None:
        async with self.pool.connection() as conn:
            await conn.execute(REGISTER_KEY_SQL, (self.public_key.public_key,))
        self._registered = True

    async def sign(self, upto: int | None = None) -> Checkpoint | None:
        """Extend the trusted head over the events this host produced (to `upto` at most) and sign it if it
        moved."""
        async with self._lock:
            checkpoint, reason = await self._sign_locked(upto)
            if reason is not None:  # after the connection is back: the alert is an append of its own
                log.error("audit_signer_halted", reason=reason)
                await self.alert("signer-halted", reason)
            return checkpoint

    async def _sign_locked(self, upto: int | None) -> tuple[Checkpoint | None, str | None]:
        async with self.pool.connection() as conn, conn.cursor(row_factory=tuple_row) as cur:
            head, reason = await self._trusted_head(cur)
            if head.halted:
                return None, reason
            return await self._extend_and_sign(cur, head, upto)

    async def _extend_and_sign(
        self, cur: AsyncCursor[tuple[Any, ...]], head: TrustedHead, upto: int | None
    ) -> tuple[Checkpoint | None, str | None]:
        # Another process may already have taken the head past `upto`: then read just the head's own event.
        last = head.size + MAX_ADVANCE if upto is None else max(head.size, min(upto, head.size + MAX_ADVANCE))
        await cur.execute(EVENTS_SQL, (max(head.size, 1), last))
        # Claims read after the events (all received: the cursor is client-side); only those beyond the head
        # can matter.
        extension = await _extend_in_chunks(cur, head, self.store.claims(after=head.size))
        advanced = extension.head
        checkpoint = None
        if advanced.size > head.signed_size:
            await cur.execute(SYNC_SQL)  # every event read is on disk before it is signed
            checkpoint = sign_checkpoint(self.key, advanced.size, advanced.tree().root(), datetime.now(UTC))
            if not self._registered:  # the key goes in with its first checkpoint (exports carry it)
                await cur.execute(REGISTER_KEY_SQL, (self.public_key.public_key,))
                self._registered = True
            await cur.execute(
                ADD_CHECKPOINT_SQL,
                (
                    checkpoint.size,
                    checkpoint.root,
                    checkpoint.signed_at,
                    checkpoint.key_id,
                    checkpoint.signature,
                    list(advanced.frontier),
                ),
            )
            stored = await cur.fetchone()
            advanced = replace(advanced, signed_size=advanced.size)
            await _extend_blocks(cur, advanced.size)
            if stored is None or not stored[0]:
                checkpoint = None  # another process signed this size first; theirs stands
        return checkpoint, await self._settle(advanced, extension.problem)

    async def _settle(self, head: TrustedHead, problem: HeadProblem | None) -> str | None:
        """Record the new head; returns why signing must stop, if it must."""
        reason = None
        if problem is not None and problem.kind == "rewritten":
            reason = problem.detail
        elif problem is not None:
            now = time.time()
            if head.suspect_seq != problem.seq or head.suspect_since is None:
                head = replace(head, suspect_seq=problem.seq, suspect_since=now)
            elif now - head.suspect_since >= self.grace_seconds:
                reason = f"{problem.detail} (unclaimed for {now - head.suspect_since:.0f} s)"
        else:
            head = replace(head, suspect_seq=None, suspect_since=None)
        if reason is not None:
            head = replace(head, halted=reason)
        await asyncio.to_thread(self._save, head)  # an fsync under the host-wide lock: off the event loop
        return reason

    def _save(self, head: TrustedHead) -> None:
        # The head is written and flushed before the exclusive lock is taken, so writers recording claims
        # wait only for a rename and the journal's compaction, not for a disk flush. When another process
        # changed the file meanwhile, the head kept is decided under the lock and written there as before.
        staged = self.store.stage(head)
        try:
            with self.store.exclusive():
                on_file = self.store.load()
                kept = head
                if on_file is not None and on_file.size > head.size and on_file.halted is None:
                    kept = replace(on_file, halted=head.halted)  # another process got further: keep its head
                elif on_file is not None and on_file.halted and not head.halted:
                    kept = replace(head, halted=on_file.halted)
                if kept == head:
                    self.store.install(staged)
                else:
                    self.store.save(kept)
                self.store.compact(kept.size)
            self.store.sync_dir()
        finally:
            staged.unlink(missing_ok=True)
        self.memory = kept

    async def accept(self) -> tuple[int, int]:
        """An operator's decision after an alert: trust the database's current head if its events chain from
        the trusted head (whoever produced them), clear the halt, and record that in the log. Refuses
        (ValueError) if the events do not chain. Returns the (old, new) trusted sizes."""
        async with self._lock:
            async with self.pool.connection() as conn, conn.cursor(row_factory=tuple_row) as cur:
                head, _ = await self._trusted_head(cur)
                head = replace(head, halted=None, suspect_seq=None, suspect_since=None)
                advanced = head
                while True:
                    await cur.execute(EVENTS_SQL, (max(advanced.size, 1), advanced.size + MAX_ADVANCE))
                    rows = [
                        StoredEvent(int(r[0]), r[1], bytes(r[2]), bytes(r[3])) for r in await cur.fetchall()
                    ]
                    extension = extend_head(advanced, rows, {(r.seq, r.event_hash) for r in rows})
                    if extension.problem is not None:
                        raise ValueError(extension.problem.detail)
                    if extension.head.size == advanced.size:
                        break
                    advanced = extension.head
                await cur.execute(SYNC_SQL)  # what becomes trusted is on disk
            with self.store.exclusive():
                self.store.save(advanced)
                self.store.compact(advanced.size)
            self.memory = advanced
        detail = f"an operator accepted events {head.size + 1}..{advanced.size} as the trusted head"
        await self.alert("head-accepted", detail)
        return head.size, advanced.size

    async def _trusted_head(self, cur: AsyncCursor[tuple[Any, ...]]) -> tuple[TrustedHead, str | None]:
        """The head file, checked against what this process remembers, or derived afresh when there is
        none; with the reason signing stops if that happened just now."""
        with self.store.exclusive():
            on_file = self.store.load()
        memory = self.memory
        if on_file is None and memory is not None:
            log.warning("audit_head_file_missing", path=str(self.store.path), size=memory.size)
            await asyncio.to_thread(self._save, memory)
            return self.memory or memory, None
        if on_file is None:
            head = await self._bootstrap(cur)
            await asyncio.to_thread(self._save, head)
            return self.memory or head, head.halted
        if (
            memory is not None
            and not on_file.halted
            and (on_file.size, on_file.last_hash) != (memory.size, memory.last_hash)
            and on_file.size <= memory.size
        ):
            reason = f"the head file went back from size {memory.size} to {on_file.size}"
            await asyncio.to_thread(self._save, replace(memory, halted=reason))
            return self.memory or memory, reason
        self.memory = on_file
        return on_file, None

    async def _bootstrap(self, cur: AsyncCursor[tuple[Any, ...]]) -> TrustedHead:
        """With no head file: trust the newest checkpoint signed by a configured key whose tree the stored
        events reproduce from the first event; with none, trust nothing (every event is then unclaimed)."""
        await cur.execute(
            "SELECT size, root, signed_at, key_id, signature FROM audit_checkpoints ORDER BY size DESC"
        )
        for size, root, signed_at, key_id, signature in await cur.fetchall():
            checkpoint = Checkpoint(int(size), bytes(root), signed_at, str(key_id), bytes(signature))
            if verify_checkpoint(checkpoint, self.trusted_keys):
                return await self._replay(cur, checkpoint)
        return TrustedHead()

    async def _replay(self, cur: AsyncCursor[tuple[Any, ...]], checkpoint: Checkpoint) -> TrustedHead:
        tree, prev, expected = Frontier(), GENESIS, 1
        for start in range(1, checkpoint.size + 1, MAX_ADVANCE):
            await cur.execute(EVENTS_SQL, (start, min(start + MAX_ADVANCE - 1, checkpoint.size)))
            for seq, content, stored_prev, stored_hash in await cur.fetchall():
                computed = event_hash(prev, int(seq), content)
                if seq != expected or bytes(stored_prev) != prev or computed != bytes(stored_hash):
                    return TrustedHead(
                        halted=f"event {seq} does not match the signed checkpoint at {checkpoint.size}"
                    )
                tree.append(leaf_hash(computed))
                prev, expected = computed, expected + 1
        if tree.size != checkpoint.size or tree.root() != checkpoint.root:
            return TrustedHead(halted=f"the stored events do not give the root signed at {checkpoint.size}")
        return TrustedHead(
            size=checkpoint.size, last_hash=prev, frontier=tuple(tree.hashes), signed_size=checkpoint.size
        )


async def _extend_in_chunks(
    cur: AsyncCursor[tuple[Any, ...]], head: TrustedHead, claims: set[Claim]
) -> Extension:
    """extend_head over the fetched events EXTEND_CHUNK at a time, letting the event loop run between chunks:
    the signer shares its process's loop with the group-commit writer, and hashing a thousand events in one go
    held up every batch waiting behind it. Each chunk after the first starts from the last event of the one
    before (extend_head's anchor), so the result is the same as one pass."""
    extension = Extension(head)
    anchor: list[StoredEvent] = []
    while True:
        fetched = await cur.fetchmany(EXTEND_CHUNK)
        rows = anchor + [StoredEvent(int(r[0]), r[1], bytes(r[2]), bytes(r[3])) for r in fetched]
        if anchor and not fetched:
            return extension
        extension = extend_head(extension.head, rows, claims)
        if extension.problem is not None or not fetched:
            return extension
        anchor = rows[-1:]
        await asyncio.sleep(0)  # a batch waiting to be appended goes first


async def _extend_blocks(cur: AsyncCursor[tuple[Any, ...]], size: int) -> None:
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
