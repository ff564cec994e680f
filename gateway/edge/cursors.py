"""One cursor format for the whole API: opaque, HMAC-signed, bound to the route that issued it.

A cursor carries the last key a page ended on (an enrolment id, an audit sequence number). Clients
must not read or make them: a cursor is `base64url(kind "." position) "." base64url(tag)`, and the tag is
HMAC-SHA256 under a key of the gateway's, so an edited or foreign cursor is refused (400) rather than
being read as a position in someone else's listing.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from gateway.edge.problems import ProblemError

KEY_BYTES = 32
TAG_BYTES = 16  # a truncated HMAC-SHA256 tag: 128 bits is ample against forgery of a page position


def load_or_create_cursor_key(path: Path) -> bytes:
    """The signing key, created (owner-only) on first use; a key of the wrong size is refused."""
    if path.exists():
        key = path.read_bytes()
        if len(key) != KEY_BYTES:
            raise ValueError(f"the cursor key in {path} must be {KEY_BYTES} bytes")
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(KEY_BYTES)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(key)
    return key


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def invalid_cursor() -> ProblemError:
    return ProblemError(
        400,
        "invalid-cursor",
        "The cursor is not one this gateway issued; start again without it.",
        errors=[{"field": "cursor", "message": "malformed cursor"}],
    )


class Cursors:
    """Signs and opens cursors of one key. `kind` names the listing (e.g. "pupils.list")."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError(f"a cursor key is {KEY_BYTES} bytes")
        self._key = key

    def _tag(self, payload: bytes) -> bytes:
        return hmac.new(self._key, payload, hashlib.sha256).digest()[:TAG_BYTES]

    def encode(self, kind: str, position: int) -> str:
        payload = f"{kind}.{position}".encode()
        return f"{_b64(payload)}.{_b64(self._tag(payload))}"

    def decode(self, kind: str, cursor: str | None) -> int | None:
        """The position a cursor of this listing carries (None without one); anything else is a 400."""
        if cursor is None:
            return None
        body, dot, tag_text = cursor.partition(".")
        try:
            payload, tag = _unb64(body), _unb64(tag_text)
        except (ValueError, binascii.Error) as exc:
            raise invalid_cursor() from exc
        if not dot or not hmac.compare_digest(tag, self._tag(payload)):
            raise invalid_cursor()
        issued_for, _, position = payload.decode("ascii", "replace").rpartition(".")
        if issued_for != kind or not position.isdigit():
            raise invalid_cursor()
        return int(position)
