"""Response shapes of the audit routes (documented in OpenAPI; checked by schemathesis)."""

from __future__ import annotations

from typing import Any

import msgspec

from gateway.audit.checkpoint import Checkpoint, Cosignature
from gateway.audit.keys import PublicKey


class KeyView(msgspec.Struct, kw_only=True):
    key_id: str
    algorithm: str
    public_key: str  # base64
    fingerprint: str  # SHA-256 of the raw public key, hex: what a verifier pins

    @classmethod
    def of(cls, key: PublicKey) -> KeyView:
        return cls(**key.as_dict())


class KeysResponse(msgspec.Struct, kw_only=True):
    keys: list[KeyView]  # the signer's configured keys: the current one and those it replaced
    current: str | None
    witnesses: list[KeyView]  # the keys of independent witnesses that co-sign consistent checkpoints


class CheckpointView(msgspec.Struct, kw_only=True):
    size: int
    root: str  # hex
    signed_at: str  # RFC 3339
    key_id: str
    signature: str  # base64 Ed25519 signature

    @classmethod
    def of(cls, checkpoint: Checkpoint) -> CheckpointView:
        return cls(**checkpoint.as_dict())


class CosignatureView(msgspec.Struct, kw_only=True):
    """A witness's Ed25519 signature over the checkpoint's size, root and its own time (verify it with the
    witness key you pinned: the message is `gateway.audit.checkpoint.cosignature_message`)."""

    size: int
    root: str  # hex
    signed_at: str  # RFC 3339, the witness's time
    key_id: str  # the witness key's id
    signature: str  # base64


class LatestCheckpointView(CheckpointView, kw_only=True):
    cosignatures: list[CosignatureView]  # every witness that co-signed this checkpoint

    @classmethod
    def with_cosignatures(
        cls, checkpoint: Checkpoint, cosignatures: list[Cosignature]
    ) -> LatestCheckpointView:
        return cls(
            **checkpoint.as_dict(), cosignatures=[CosignatureView(**c.as_dict()) for c in cosignatures]
        )


class OversightScope(msgspec.Struct, kw_only=True):
    organisations: list[str] | None  # None: every organisation


class EventView(msgspec.Struct, kw_only=True):
    seq: int
    event_hash: str
    prev_hash: str
    event: dict[str, Any]


class EventsPage(msgspec.Struct, kw_only=True):
    events: list[EventView]
    next_cursor: str | None
    scope: OversightScope


class SubjectAccess(msgspec.Struct, kw_only=True):
    seq: int
    time: str
    organisation: str | None
    who: str | None
    route: str
    purpose: str | None
    legal_gateway: str | None
    agreement: str | None
    outcome: str
    reason_text: str | None
    # A caseworker gave a reason that this caller's roles may not read (see REASON_READER_ROLES).
    reason_withheld: bool = False


class SubjectAccesses(msgspec.Struct, kw_only=True):
    subject: str  # the pupil's keyed hash, never the UPN
    accesses: list[SubjectAccess]
    next_cursor: str | None


class InclusionProof(msgspec.Struct, kw_only=True):
    seq: int
    leaf_index: int
    tree_size: int
    prev_hash: str
    event_hash: str
    content: str
    path: list[str]
    checkpoint: CheckpointView


class ConsistencyProof(msgspec.Struct, kw_only=True):
    older: CheckpointView = msgspec.field(name="from")
    newer: CheckpointView = msgspec.field(name="to")
    path: list[str]


class ReportPeriod(msgspec.Struct, kw_only=True):
    start: str = msgspec.field(name="from")
    end: str = msgspec.field(name="to")


class TransparencyReport(msgspec.Struct, kw_only=True):
    period: ReportPeriod
    scope: OversightScope
    total: int | None  # None: suppressed
    by: dict[str, dict[str, int | None]]
    disclosure_rule: str
