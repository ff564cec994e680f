"""Per-domain pseudonyms: one-way HMAC-SHA256 tokens and, where the agreement allows, reversible AES-SIV ones.

Token formats (self-describing, so any version still verifies after rotation):

- one-way:    ``p<version>.<domain>.<base32 of the first 20 bytes of HMAC-SHA256(k_hmac, UPN)>``
- reversible: ``r<version>.<domain>.<base32 of AES-256-SIV(k_siv, UPN, ad=[domain, version])>``

Base32 is RFC 4648, lowercase, without padding. ``k_hmac`` and ``k_siv`` are separate keys derived by
HKDF from the keyring's master key for that version and the domain, so tokens from two domains cannot
be linked and a one-way key can never decrypt a reversible token. UPNs are canonicalised (stripped,
uppercased) before keying, so the same pupil always gets the same token within a domain and version.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV

from gateway.privacy.keyring import Keyring, check_domain

PseudonymMethod = Literal["hmac", "siv"]
DIGEST_BYTES = 20  # 160 bits: collision-free in practice for tens of millions of pupils, 32 base32 chars
SHA256_BLOCK = 64
TOKEN_PATTERN = re.compile(
    r"^(?P<kind>[pr])(?P<version>[1-9][0-9]{0,5})\.(?P<domain>[a-z][a-z0-9-]{0,62})\.(?P<body>[a-z2-7]+)$"
)
_ALPHABET = np.frombuffer(b"abcdefghijklmnopqrstuvwxyz234567", dtype=np.uint8)


class PseudonymError(ValueError):
    """A pseudonym could not be made, checked or reversed (messages never include UPNs or keys)."""


class ReversibleNotAllowedError(PseudonymError):
    """Reversible tokens were asked for a domain whose agreement does not allow re-identification."""


class MalformedTokenError(PseudonymError):
    """The text is not a token this gateway issues."""


class DomainMismatchError(PseudonymError):
    """The token belongs to another pseudonym domain than the one the caller may act for."""


@dataclass(frozen=True, slots=True)
class ParsedToken:
    kind: Literal["p", "r"]
    version: int
    domain: str
    body: bytes


def canonical_upn(upn: str) -> str:
    return upn.strip().upper()


def parse_token(token: str) -> ParsedToken:
    match = TOKEN_PATTERN.fullmatch(token.strip())
    if match is None:
        raise MalformedTokenError("not a pseudonym token: expected p<version>.<domain>.<base32> or r<...>")
    body_text = match["body"]
    try:
        body = base64.b32decode(body_text.upper() + "=" * (-len(body_text) % 8))
    except ValueError:
        raise MalformedTokenError("token body is not valid base32") from None
    kind: Literal["p", "r"] = "p" if match["kind"] == "p" else "r"
    if kind == "p" and len(body) != DIGEST_BYTES:
        raise MalformedTokenError(f"one-way token body must be {DIGEST_BYTES} bytes")
    return ParsedToken(kind=kind, version=int(match["version"]), domain=match["domain"], body=body)


def _b32(raw: bytes) -> str:
    return base64.b32encode(raw).decode("ascii").rstrip("=").lower()


class Pseudonymiser:
    """Makes, verifies and reverses tokens with one keyring; derived keys are cached by the keyring."""

    __slots__ = ("_keyring",)

    def __init__(self, keyring: Keyring) -> None:
        self._keyring = keyring

    def __repr__(self) -> str:
        return f"Pseudonymiser({self._keyring!r})"

    @property
    def keyring(self) -> Keyring:
        return self._keyring

    def pseudonymise(
        self,
        upn: str,
        domain: str,
        method: PseudonymMethod = "hmac",
        *,
        reversible_allowed: bool = False,
        version: int | None = None,
    ) -> str:
        """One pupil's token in `domain` under the current key version (or `version`, for tests and replays)."""
        use_version = self._keyring.current_version if version is None else version
        data = canonical_upn(upn).encode()
        if method == "hmac":
            key = self._keyring.derived_key("hmac", domain, use_version)
            digest = hmac.digest(key, data, "sha256")[:DIGEST_BYTES]
            return f"p{use_version}.{domain}.{_b32(digest)}"
        if method == "siv":
            self._check_reversible(reversible_allowed)
            return f"r{use_version}.{domain}.{_b32(self._siv(domain, use_version).encrypt(data, _ad(domain, use_version)))}"
        raise PseudonymError(f"unknown pseudonym method {method!r}: use 'hmac' or 'siv'")

    def pseudonymise_many(
        self,
        upns: Sequence[str],
        domain: str,
        method: PseudonymMethod = "hmac",
        *,
        reversible_allowed: bool = False,
    ) -> list[str]:
        """Tokens for many pupils, in order; the fast path keys SHA-256 once and base32-encodes in bulk."""
        version = self._keyring.current_version
        if method == "siv":
            self._check_reversible(reversible_allowed)
            cipher = self._siv(domain, version)
            ad = _ad(domain, version)
            prefix = f"r{version}.{domain}."
            return [prefix + _b32(cipher.encrypt(canonical_upn(u).encode(), ad)) for u in upns]
        if method != "hmac":
            raise PseudonymError(f"unknown pseudonym method {method!r}: use 'hmac' or 'siv'")
        if not upns:
            return []
        key = self._keyring.derived_key("hmac", domain, version)
        digests = _hmac_sha256_many(key, upns)
        return _encode_tokens(digests, f"p{version}.{domain}.".encode("ascii"), len(upns))

    def verify(self, token: str, upn: str) -> bool:
        """Whether `token` is this pupil's token, under whichever key version it names."""
        try:
            parsed = parse_token(token)
            if parsed.kind == "p":
                key = self._keyring.derived_key("hmac", parsed.domain, parsed.version)
                expected = hmac.digest(key, canonical_upn(upn).encode(), "sha256")[:DIGEST_BYTES]
                return hmac.compare_digest(expected, parsed.body)
            return hmac.compare_digest(self._open(parsed).encode(), canonical_upn(upn).encode())
        except PseudonymError:
            return False
        except ValueError:  # unknown key version or invalid domain: not ours
            return False

    def reidentify(self, token: str, *, domain: str) -> str:
        """The UPN inside a reversible token of `domain` (the caller has already authorised this)."""
        check_domain(domain)
        parsed = parse_token(token)
        if parsed.domain != domain:
            raise DomainMismatchError("token belongs to another pseudonym domain")
        if parsed.kind != "r":
            raise MalformedTokenError("one-way tokens cannot be reversed")
        return self._open(parsed)

    def _open(self, parsed: ParsedToken) -> str:
        try:
            plain = self._siv(parsed.domain, parsed.version).decrypt(
                parsed.body, _ad(parsed.domain, parsed.version)
            )
        except InvalidTag:
            raise MalformedTokenError("token does not authenticate under this keyring") from None
        return plain.decode()

    def _siv(self, domain: str, version: int) -> AESSIV:
        return AESSIV(self._keyring.derived_key("siv", domain, version))

    @staticmethod
    def _check_reversible(reversible_allowed: bool) -> None:
        if not reversible_allowed:
            raise ReversibleNotAllowedError("this pseudonym domain does not allow reversible tokens")


def _ad(domain: str, version: int) -> list[bytes]:
    # Binding domain and version into the SIV tag stops a token being replayed under another domain.
    return [domain.encode(), str(version).encode()]


def _hmac_sha256_many(key: bytes, upns: Sequence[str]) -> bytes:
    """HMAC-SHA256 (RFC 2104) of each UPN, concatenated: the padded key is hashed once, then copied."""
    padded = key.ljust(SHA256_BLOCK, b"\0")
    inner = hashlib.sha256(padded.translate(_IPAD))
    outer = hashlib.sha256(padded.translate(_OPAD))
    inner_copy = inner.copy
    outer_copy = outer.copy
    chunks: list[bytes] = []
    append = chunks.append
    for data in _canonical_bytes(upns):
        h = inner_copy()
        h.update(data)
        o = outer_copy()
        o.update(h.digest())
        append(o.digest())
    return b"".join(chunks)


def _canonical_bytes(upns: Sequence[str]) -> list[bytes]:
    """Each UPN stripped, uppercased and encoded; in bulk (C-level join, upper, split) when that is exact."""
    joined = "\n".join(upns)
    if joined.isascii() and not any(space in joined for space in (" ", "\t", "\r", "\v", "\f")):
        parts = joined.upper().encode().split(b"\n")
        if len(parts) == len(upns):
            return parts
    return [canonical_upn(upn).encode() for upn in upns]


_IPAD = bytes((x ^ 0x36) for x in range(256))
_OPAD = bytes((x ^ 0x5C) for x in range(256))


def _encode_tokens(digests: bytes, prefix: bytes, count: int) -> list[str]:
    """Prefix + lowercase base32 of each digest's first 20 bytes, vectorised (20 bytes = 4 groups of 5)."""
    raw = np.frombuffer(digests, dtype=np.uint8).reshape(count, 32)[:, :DIGEST_BYTES].reshape(-1, 5)
    b0, b1, b2, b3, b4 = (raw[:, i] for i in range(5))
    groups = np.empty((raw.shape[0], 8), dtype=np.uint8)
    groups[:, 0] = b0 >> 3
    groups[:, 1] = ((b0 & 7) << 2) | (b1 >> 6)
    groups[:, 2] = (b1 >> 1) & 31
    groups[:, 3] = ((b1 & 1) << 4) | (b2 >> 4)
    groups[:, 4] = ((b2 & 15) << 1) | (b3 >> 7)
    groups[:, 5] = (b3 >> 2) & 31
    groups[:, 6] = ((b3 & 3) << 3) | (b4 >> 5)
    groups[:, 7] = b4 & 31
    width = len(prefix) + 32 + 1
    text = np.empty((count, width), dtype=np.uint8)
    text[:, : len(prefix)] = np.frombuffer(prefix, dtype=np.uint8)
    text[:, len(prefix) : width - 1] = _ALPHABET[groups].reshape(count, 32)
    text[:, width - 1] = ord("\n")
    # One decode and one C-level split beat a million small string builds.
    return text.tobytes().decode("ascii").split("\n")[:count]
