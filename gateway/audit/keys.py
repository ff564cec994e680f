"""The audit keys: the Ed25519 checkpoint signing key and the HMAC key for pupil (subject) hashes."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

SUBJECT_KEY_BYTES = 32


def _write_private(path: Path, data: bytes) -> None:
    """Create `path` readable by the owner only; never overwrite an existing key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def load_or_create_signing_key(path: Path) -> Ed25519PrivateKey:
    """The checkpoint signing key from a PEM file, generated on first use."""
    if not path.exists():
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        with contextlib.suppress(FileExistsError):  # another worker created it first: use theirs
            _write_private(path, pem)
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(loaded, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 private key")
    return loaded


def load_or_create_subject_key(path: Path) -> bytes:
    """The HMAC key for pupil identifiers in the audit log, generated on first use."""
    if not path.exists():
        with contextlib.suppress(FileExistsError):
            _write_private(path, secrets.token_bytes(SUBJECT_KEY_BYTES))
    key = path.read_bytes()
    if len(key) < SUBJECT_KEY_BYTES:
        raise ValueError(f"{path} holds a subject key shorter than {SUBJECT_KEY_BYTES} bytes")
    return key


def raw_public_key(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id_of(public_key: bytes) -> str:
    """A short, stable name for a public key: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(public_key).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class PublicKey:
    """A checkpoint verification key as published at GET /v1/audit/keys."""

    key_id: str
    public_key: bytes

    @property
    def algorithm(self) -> str:
        return "Ed25519"

    def as_dict(self) -> dict[str, str]:
        return {
            "key_id": self.key_id,
            "algorithm": self.algorithm,
            "public_key": base64.b64encode(self.public_key).decode(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> PublicKey:
        if data.get("algorithm", "Ed25519") != "Ed25519":
            raise ValueError(f"unsupported key algorithm {data.get('algorithm')!r}")
        raw = base64.b64decode(data["public_key"], validate=True)
        if key_id_of(raw) != data["key_id"]:
            raise ValueError(f"key id {data['key_id']!r} does not match its public key")
        return cls(key_id=data["key_id"], public_key=raw)


def public_key_of(private: Ed25519PrivateKey) -> PublicKey:
    raw = raw_public_key(private.public_key())
    return PublicKey(key_id=key_id_of(raw), public_key=raw)


def normalise_upn(upn: str) -> str:
    return upn.strip().upper()


def subject_hash(subject_key: bytes, upn: str) -> bytes:
    """HMAC-SHA256 of a normalised UPN: the only form in which a pupil appears in the audit log."""
    return hmac.new(subject_key, normalise_upn(upn).encode(), hashlib.sha256).digest()
