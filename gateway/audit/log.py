"""The audit log's write side: append one event (group commit: sequenced, chained, on disk before the caller
resumes) and sign checkpoints over the head this gateway produced."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import structlog
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from psycopg_pool import AsyncConnectionPool

from gateway.audit.checkpoint import Checkpoint, format_time
from gateway.audit.event import event_content
from gateway.audit.head import HeadStore, head_file_for
from gateway.audit.keys import (
    ConfiguredKeys,
    PublicKey,
    configured_keys,
    load_or_create_signing_key,
    load_or_create_subject_key,
    public_key_of,
    subject_hash,
)
from gateway.audit.record import AccessRecord
from gateway.audit.signer import Signer
from gateway.audit.writer import Committed, GroupCommitWriter
from gateway.settings import AuditSettings

log = structlog.get_logger("gateway.audit")

ALERT_ROUTE = "audit/signer"


@dataclass(frozen=True, slots=True)
class Appended:
    seq: int
    event_hash: bytes


def alert_content(kind: str, detail: str, at: datetime) -> str:
    """An alert as an event of the log itself, so data protection officers find it where they look."""
    body = {
        "v": 1,
        "time": format_time(at),
        "request_id": None,
        "principal": None,
        "method": None,
        "route": ALERT_ROUTE,
        "outcome": "alert",
        "alert": kind,
        "detail": detail,
        "subjects": [],
    }
    return orjson.dumps(body, option=orjson.OPT_SORT_KEYS).decode()


class AuditLog:
    """Appends events through one group-commit writer per process; signs checkpoints after the batch that
    crosses every `checkpoint_every` events, every `checkpoint_seconds`, and at shutdown."""

    def __init__(
        self,
        pool: AsyncConnectionPool[Any],
        *,
        signing_key: Ed25519PrivateKey,
        subject_key: bytes,
        checkpoint_every: int,
        checkpoint_seconds: float,
        head_file: Path,
        keys: ConfiguredKeys | None = None,
        queue_max: int = 10_000,
        batch_max: int = 500,
        queue_wait_seconds: float = 5.0,
        unclaimed_grace_seconds: float = 10.0,
    ) -> None:
        self.pool = pool
        self.subject_key = subject_key
        self.public_key: PublicKey = public_key_of(signing_key)
        self.keys = keys or ConfiguredKeys(current=self.public_key)
        self.checkpoint_every = checkpoint_every
        self.checkpoint_seconds = checkpoint_seconds
        self.head = HeadStore(head_file)
        self.signer = Signer(
            pool,
            signing_key,
            self.head,
            trusted_keys=self.keys.signers,
            grace_seconds=unclaimed_grace_seconds,
            alert=self.alert,
        )
        self.writer = GroupCommitWriter(
            pool,
            queue_max=queue_max,
            batch_max=batch_max,
            queue_wait_seconds=queue_wait_seconds,
            on_appended=self._claim,
            after_batch=self._after_batch,
        )
        self._signing: asyncio.Task[None] | None = None
        self._sign_wanted = 0  # the newest batch end a crossing asked to be signed
        self._sign_done = 0

    @classmethod
    def from_settings(cls, settings: AuditSettings, pool: AsyncConnectionPool[Any]) -> AuditLog:
        signing_key = load_or_create_signing_key(settings.signing_key_file)
        current = public_key_of(signing_key)
        return cls(
            pool,
            signing_key=signing_key,
            subject_key=load_or_create_subject_key(settings.subject_key_file),
            checkpoint_every=settings.checkpoint_every,
            checkpoint_seconds=settings.checkpoint_seconds,
            head_file=settings.head_file
            or head_file_for(
                settings.signing_key_file, pool.conninfo if isinstance(pool.conninfo, str) else ""
            ),
            keys=configured_keys(current, settings.retired_keys_file, settings.witness_keys_file),
            queue_max=settings.queue_max,
            batch_max=settings.batch_max,
            queue_wait_seconds=settings.queue_wait_seconds,
            unclaimed_grace_seconds=settings.unclaimed_grace_seconds,
        )

    def subject_hash(self, upn: str) -> bytes:
        return subject_hash(self.subject_key, upn)

    def published_keys(self) -> dict[str, Any]:
        """GET /v1/audit/keys: the configured public keys with fingerprints (never the audit_keys table)."""
        return self.keys.as_dict()

    async def append(
        self,
        record: AccessRecord,
        *,
        status: int,
        duration_s: float,
        request_params: Mapping[str, Any] | None = None,
    ) -> Appended:
        """Write the request's event; returns only once it is committed and on disk."""
        content, _ = event_content(
            record,
            status=status,
            duration_s=duration_s,
            occurred_at=datetime.now(UTC),
            subject_key=self.subject_key,
            request_params=request_params,
        )
        return await self.append_content(content)

    async def append_content(self, content: str) -> Appended:
        """Append a prepared event (its subject index comes from its `subjects`)."""
        done = await self.writer.submit(content)
        return Appended(seq=done.seq, event_hash=done.event_hash)

    async def alert(self, kind: str, detail: str) -> None:
        """Record an alert in the log (and the process log); never raises."""
        log.error("audit_alert", alert=kind, detail=detail)
        try:
            await self.append_content(alert_content(kind, detail, datetime.now(UTC)))
        except Exception as exc:
            log.error("audit_alert_not_recorded", alert=kind, error_type=type(exc).__name__)

    async def _claim(self, committed: list[Committed]) -> None:
        claims = [(c.seq, c.event_hash) for c in committed]
        try:
            self.head.record(claims, block=False)
        except BlockingIOError:  # the signer holds the journal for a moment: wait for it off the loop
            await asyncio.to_thread(self.head.record, claims)

    def _after_batch(self, committed: list[Committed]) -> None:
        every = self.checkpoint_every
        if every <= 0 or not committed:
            return
        if (committed[0].seq - 1) // every != committed[-1].seq // every:
            self._start_signing(committed[-1].seq)

    def _start_signing(self, upto: int) -> None:
        self._sign_wanted = max(self._sign_wanted, upto)
        if self._signing is None or self._signing.done():
            # A context of its own: not the request's whose batch crossed (its id would label these logs).
            self._signing = asyncio.get_running_loop().create_task(
                self._sign_crossings(), context=contextvars.Context()
            )

    async def _sign_crossings(self) -> None:
        """Sign at every crossing asked for, including those that came while a signature was being made."""
        while self._sign_wanted > self._sign_done:
            upto = self._sign_wanted
            await self._sign_logged(upto)
            self._sign_done = upto

    async def _sign_logged(self, upto: int | None = None) -> Checkpoint | None:
        started = time.perf_counter()
        try:
            made = await self.signer.sign(upto)
        except Exception as exc:  # the events are committed; a later batch or the timer signs instead
            log.error("audit_checkpoint_failed", error_type=type(exc).__name__)
            return None
        if made is not None:
            log.info(
                "audit_checkpoint",
                size=made.size,
                key_id=made.key_id,
                ms=round((time.perf_counter() - started) * 1000, 2),
            )
        return made

    async def signing_idle(self) -> None:
        """Wait for a checkpoint started by a batch to finish (tests, shutdown)."""
        if self._signing is not None:
            with contextlib.suppress(Exception):
                await self._signing

    async def register_key(self) -> None:
        """Record this process's public key in the log so exports carry it (idempotent)."""
        await self.signer.register_key()

    async def checkpoint(self) -> Checkpoint | None:
        """Sign a checkpoint at the trusted head unless one already covers it."""
        await self.signing_idle()
        return await self.signer.sign()

    async def run_checkpoints(self) -> None:
        """Every `checkpoint_seconds`, sign the head if it moved (runs for the app's lifetime)."""
        while True:
            await asyncio.sleep(self.checkpoint_seconds)
            await self._sign_logged()

    async def close(self) -> None:
        """Drain the queue (every queued event is appended), sign the tail, then stop the writer."""
        await self.writer.drain()
        await self.signing_idle()
        with contextlib.suppress(Exception):
            await self.signer.sign()
        await self.writer.close()
        self.head.close()


__all__ = ["Appended", "AuditLog", "alert_content"]
