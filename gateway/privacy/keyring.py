"""The pseudonym keyring: versioned master keys, HKDF-derived per-domain keys, and their JSON form."""

from __future__ import annotations

import base64
import json
import os
import re
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from gateway.settings import PrivacySettings

KEYRING_FORMAT = "attendance-gateway/pseudonym-keyring/v1"
MASTER_KEY_BYTES = 32
# A fixed, public salt: the master key carries the entropy; the salt only separates this use of HKDF.
HKDF_SALT = b"attendance-gateway/pseudonyms/2024"
DOMAIN_PATTERN = re.compile(r"^[a-z][a-z0-9-]{0,62}$")

KeyPurpose = Literal["hmac", "siv"]
# One-way tokens use an HMAC-SHA256 key; reversible tokens use AES-256-SIV, which takes a 64-byte key.
DERIVED_KEY_BYTES: dict[KeyPurpose, int] = {"hmac": 32, "siv": 64}


class KeyringError(ValueError):
    """The keyring is missing, malformed, or lacks the version asked for (the message never holds key bytes)."""


class UnknownKeyVersionError(KeyringError):
    """A token names a key version this keyring does not hold."""


def check_domain(domain: str) -> str:
    """Pseudonym domains appear inside tokens, so they must be short, lowercase and dot-free."""
    if not isinstance(domain, str) or not DOMAIN_PATTERN.fullmatch(domain):
        raise KeyringError(f"invalid pseudonym domain {domain!r}: use lowercase letters, digits and '-'")
    return domain


class Keyring:
    """Master keys by version; the newest (or the one named current) signs new tokens, all verify."""

    __slots__ = ("_cache", "_created", "_current", "_lock", "_secrets")

    def __init__(
        self,
        secrets: Mapping[int, bytes],
        *,
        current: int | None = None,
        created: Mapping[int, str] | None = None,
    ) -> None:
        if not secrets:
            raise KeyringError("a keyring needs at least one key version")
        for version, secret in secrets.items():
            if not isinstance(version, int) or version < 1:
                raise KeyringError(f"key versions are positive integers, got {version!r}")
            if len(secret) != MASTER_KEY_BYTES:
                raise KeyringError(f"key version {version} must be {MASTER_KEY_BYTES} bytes")
        self._secrets: dict[int, bytes] = dict(secrets)
        self._current = max(self._secrets) if current is None else current
        if self._current not in self._secrets:
            raise KeyringError(f"current key version {self._current} is not in the keyring")
        self._created: dict[int, str] = dict(created or {})
        self._cache: dict[tuple[KeyPurpose, str, int], bytes] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Keyring(versions={self.versions}, current={self._current})"

    __str__ = __repr__

    @property
    def current_version(self) -> int:
        return self._current

    @property
    def versions(self) -> list[int]:
        return sorted(self._secrets)

    def derived_key(self, purpose: KeyPurpose, domain: str, version: int) -> bytes:
        """The key for one (purpose, domain, version), derived once with HKDF-SHA256 and cached."""
        cache_key = (purpose, domain, version)
        cached = self._cache.get(cache_key)
        if cached is not None:
            return cached
        check_domain(domain)
        secret = self._secrets.get(version)
        if secret is None:
            raise UnknownKeyVersionError(f"no pseudonym key version {version}")
        info = f"attendance-gateway pseudonym|{purpose}|v{version}|{domain}".encode()
        key = HKDF(
            algorithm=hashes.SHA256(), length=DERIVED_KEY_BYTES[purpose], salt=HKDF_SALT, info=info
        ).derive(secret)
        with self._lock:
            self._cache[cache_key] = key
        return key

    def rotated(self) -> Keyring:
        """A new keyring with a fresh version after the newest; older versions keep verifying."""
        version = max(self._secrets) + 1
        secrets = {**self._secrets, version: os.urandom(MASTER_KEY_BYTES)}
        created = {**self._created, version: _now()}
        return Keyring(secrets, current=version, created=created)

    @classmethod
    def generate(cls) -> Keyring:
        return cls({1: os.urandom(MASTER_KEY_BYTES)}, created={1: _now()})

    def to_json(self) -> str:
        """The keyring file's text (holds secrets: write it only to a 0600 file or a secret store)."""
        document: dict[str, Any] = {
            "format": KEYRING_FORMAT,
            "current": self._current,
            "keys": [
                {
                    "version": version,
                    "key": base64.b64encode(self._secrets[version]).decode("ascii"),
                    "created": self._created.get(version),
                }
                for version in self.versions
            ],
        }
        return json.dumps(document, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Keyring:
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            # The position only: the decoder's message would quote the (secret) text around it.
            raise KeyringError(f"keyring is not valid JSON (line {error.lineno})") from None
        if not isinstance(document, dict) or document.get("format") != KEYRING_FORMAT:
            raise KeyringError(f"keyring format must be {KEYRING_FORMAT!r}")
        keys = document.get("keys")
        if not isinstance(keys, list) or not keys:
            raise KeyringError("keyring 'keys' must be a non-empty list")
        secrets: dict[int, bytes] = {}
        created: dict[int, str] = {}
        for entry in keys:
            if not isinstance(entry, dict) or not isinstance(entry.get("version"), int):
                raise KeyringError("each keyring entry needs an integer 'version'")
            version = entry["version"]
            if version in secrets:
                raise KeyringError(f"key version {version} appears twice")
            try:
                secrets[version] = base64.b64decode(str(entry.get("key", "")), validate=True)
            except ValueError:
                raise KeyringError(f"key version {version} is not valid base64") from None
            if isinstance(entry.get("created"), str):
                created[version] = entry["created"]
        current = document.get("current")
        if current is not None and not isinstance(current, int):
            raise KeyringError("keyring 'current' must be an integer")
        return cls(secrets, current=current, created=created)


def load_keyring(privacy: PrivacySettings) -> Keyring:
    """The keyring from the environment (GATEWAY_PRIVACY__KEYRING_JSON) if set, else from the file."""
    if privacy.keyring_json is not None:
        return Keyring.from_json(privacy.keyring_json.get_secret_value())
    path = privacy.keyring_file
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KeyringError(f"no pseudonym keyring at {path}: run `gateway pseudonyms keygen`") from None
    return Keyring.from_json(text)


def write_keyring(keyring: Keyring, path: Path) -> None:
    """Write the keyring atomically with owner-only permissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(keyring.to_json())
    os.replace(temporary, path)


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()
