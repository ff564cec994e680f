"""Signed checkpoints: the tree size, root and time, signed with Ed25519 under a published key."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Self

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from gateway.audit.keys import PublicKey, public_key_of

ORIGIN = "attendance-gateway/audit/v1"


@dataclass(frozen=True, slots=True)
class SignedHead:
    """A signature over a tree size, root and time under a key: the fields and wire form that a checkpoint
    and a witness's cosignature share."""

    size: int
    root: bytes
    signed_at: datetime
    key_id: str
    signature: bytes

    def as_dict(self) -> dict[str, Any]:
        return {
            "size": self.size,
            "root": self.root.hex(),
            "signed_at": format_time(self.signed_at),
            "key_id": self.key_id,
            "signature": base64.b64encode(self.signature).decode(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        return cls(
            size=int(data["size"]),
            root=bytes.fromhex(data["root"]),
            signed_at=datetime.fromisoformat(data["signed_at"]),
            key_id=str(data["key_id"]),
            signature=base64.b64decode(data["signature"], validate=True),
        )


@dataclass(frozen=True, slots=True)
class Checkpoint(SignedHead):
    """The gateway's own signed checkpoint."""


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def checkpoint_message(size: int, root: bytes, signed_at: datetime, key_id: str) -> bytes:
    """The exact bytes signed: a small text note naming the log, so a signature cannot be reused elsewhere."""
    return f"{ORIGIN}\n{size}\n{root.hex()}\n{format_time(signed_at)}\n{key_id}\n".encode()


def sign_checkpoint(key: Ed25519PrivateKey, size: int, root: bytes, signed_at: datetime) -> Checkpoint:
    signed_at = signed_at.astimezone(UTC)
    key_id = public_key_of(key).key_id
    signature = key.sign(checkpoint_message(size, root, signed_at, key_id))
    return Checkpoint(size=size, root=root, signed_at=signed_at, key_id=key_id, signature=signature)


def verify_checkpoint(checkpoint: Checkpoint, keys: dict[str, PublicKey]) -> bool:
    """True when a known key signed exactly this size, root and time."""
    key = keys.get(checkpoint.key_id)
    if key is None:
        return False
    message = checkpoint_message(checkpoint.size, checkpoint.root, checkpoint.signed_at, checkpoint.key_id)
    try:
        Ed25519PublicKey.from_public_bytes(key.public_key).verify(checkpoint.signature, message)
    except InvalidSignature:
        return False
    return True


@dataclass(frozen=True, slots=True)
class Cosignature(SignedHead):
    """A witness's signature over a checkpoint's size and root, made only after it found the tree at that
    size consistent with the last one it co-signed (as witnesses co-sign Tessera's checkpoints)."""


def cosignature_message(size: int, root: bytes, signed_at: datetime, key_id: str) -> bytes:
    """The bytes a witness signs: distinct from a checkpoint's, so neither signature can pass as the other."""
    return f"{ORIGIN}\ncosignature\n{size}\n{root.hex()}\n{format_time(signed_at)}\n{key_id}\n".encode()


def cosign(key: Ed25519PrivateKey, size: int, root: bytes, signed_at: datetime) -> Cosignature:
    signed_at = signed_at.astimezone(UTC)
    key_id = public_key_of(key).key_id
    signature = key.sign(cosignature_message(size, root, signed_at, key_id))
    return Cosignature(size=size, root=root, signed_at=signed_at, key_id=key_id, signature=signature)


def verify_cosignature(cosignature: Cosignature, keys: dict[str, PublicKey]) -> bool:
    """True when a known witness key signed exactly this size, root and time."""
    key = keys.get(cosignature.key_id)
    if key is None:
        return False
    message = cosignature_message(
        cosignature.size, cosignature.root, cosignature.signed_at, cosignature.key_id
    )
    try:
        Ed25519PublicKey.from_public_bytes(key.public_key).verify(cosignature.signature, message)
    except InvalidSignature:
        return False
    return True
