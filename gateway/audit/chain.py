"""The hash chain: each event's hash commits to the previous event's hash, its position and its content."""

from __future__ import annotations

import hashlib

from gateway.audit.merkle import leaf_hash

GENESIS = bytes(32)  # the "previous hash" of event 1


def content_digest(content: str) -> bytes:
    return hashlib.sha256(content.encode()).digest()


def event_hash(prev_hash: bytes, seq: int, content: str) -> bytes:
    """SHA-256(prev_hash || seq as 8 bytes big-endian || SHA-256(content)); audit_append computes the same."""
    return hashlib.sha256(prev_hash + seq.to_bytes(8, "big") + content_digest(content)).digest()


def event_leaf(event: bytes) -> bytes:
    """The Merkle leaf of an event is its chained hash, so the tree also commits to the order."""
    return leaf_hash(event)
