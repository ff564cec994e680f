"""The audit keys: the Ed25519 checkpoint signing key and the HMAC key for pupil (subject) hashes."""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import os
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
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
    return read_signing_key(path)


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


def fingerprint_of(public_key: bytes) -> str:
    """What verifiers pin: the SHA-256 of the raw public key, in hex (the key id is its first 16 digits)."""
    return hashlib.sha256(public_key).hexdigest()


def key_id_of(public_key: bytes) -> str:
    """A short, stable name for a public key: the first 16 hex digits of its SHA-256."""
    return fingerprint_of(public_key)[:16]


@dataclass(frozen=True, slots=True)
class PublicKey:
    """A checkpoint verification key as published at GET /v1/audit/keys."""

    key_id: str
    public_key: bytes

    @property
    def algorithm(self) -> str:
        return "Ed25519"

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(self.public_key)

    def as_dict(self) -> dict[str, str]:
        return {
            "key_id": self.key_id,
            "algorithm": self.algorithm,
            "public_key": base64.b64encode(self.public_key).decode(),
            "fingerprint": self.fingerprint,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PublicKey:
        """A key as published; raises ValueError for anything malformed or inconsistent."""
        if not isinstance(data, Mapping):
            raise ValueError("a key is not a JSON object")
        if data.get("algorithm", "Ed25519") != "Ed25519":
            raise ValueError(f"unsupported key algorithm {data.get('algorithm')!r}")
        try:
            raw = base64.b64decode(str(data["public_key"]), validate=True)
            key_id = str(data["key_id"])
        except (KeyError, binascii.Error) as exc:
            raise ValueError(f"malformed key: {type(exc).__name__}") from None
        if len(raw) != 32:
            raise ValueError(f"key {key_id!r} is not a 32-byte Ed25519 public key")
        if key_id_of(raw) != key_id:
            raise ValueError(f"key id {key_id!r} does not match its public key")
        if "fingerprint" in data and data["fingerprint"] != fingerprint_of(raw):
            raise ValueError(f"key {key_id!r}: fingerprint does not match its public key")
        return cls(key_id=key_id, public_key=raw)


def public_key_of(private: Ed25519PrivateKey) -> PublicKey:
    raw = raw_public_key(private.public_key())
    return PublicKey(key_id=key_id_of(raw), public_key=raw)


def normalise_upn(upn: str) -> str:
    return upn.strip().upper()


def subject_hash(subject_key: bytes, upn: str) -> bytes:
    """HMAC-SHA256 of a normalised UPN: the only form in which a pupil appears in the audit log."""
    return hmac.new(subject_key, normalise_upn(upn).encode(), hashlib.sha256).digest()


def read_signing_key(path: Path) -> Ed25519PrivateKey:
    """An existing Ed25519 private key (never creates one)."""
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(loaded, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 private key")
    return loaded


def load_public_keys(path: Path) -> dict[str, PublicKey]:
    """Public keys from a file: the JSON of GET /v1/audit/keys, or a list of its key objects."""
    data = orjson.loads(path.read_bytes())
    items = data["keys"] if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ValueError(f"{path} holds no list of keys")
    return {key.key_id: key for key in (PublicKey.from_dict(item) for item in items)}


def pin_by_fingerprint(candidates: Iterable[PublicKey], fingerprints: Iterable[str]) -> dict[str, PublicKey]:
    """The candidate keys whose full fingerprint is one of `fingerprints` (case and ':' ignored)."""
    wanted = {f.lower().replace(":", "").removeprefix("sha256") for f in fingerprints}
    return {k.key_id: k for k in candidates if k.fingerprint in wanted}


@dataclass(frozen=True, slots=True)
class ConfiguredKeys:
    """The keys this deployment is configured with, never read from the database they protect: the current
    checkpoint key, keys it replaced (still valid for old checkpoints), and the witnesses' keys."""

    current: PublicKey | None
    retired: tuple[PublicKey, ...] = ()
    witnesses: tuple[PublicKey, ...] = ()

    @property
    def signers(self) -> dict[str, PublicKey]:
        keys = [*self.retired, *([self.current] if self.current else [])]
        return {k.key_id: k for k in keys}

    @property
    def witness_keys(self) -> dict[str, PublicKey]:
        return {k.key_id: k for k in self.witnesses}

    def as_dict(self) -> dict[str, Any]:
        """The document GET /v1/audit/keys serves."""
        return {
            "keys": [k.as_dict() for k in self.signers.values()],
            "current": None if self.current is None else self.current.key_id,
            "witnesses": [k.as_dict() for k in self.witnesses],
        }


def configured_keys(
    current: PublicKey | None, retired_file: Path | None, witness_file: Path | None
) -> ConfiguredKeys:
    retired = tuple(load_public_keys(retired_file).values()) if retired_file else ()
    witnesses = tuple(load_public_keys(witness_file).values()) if witness_file else ()
    return ConfiguredKeys(current=current, retired=retired, witnesses=witnesses)
