"""Console sessions kept in PostgreSQL: a signed cookie names the session; the row holds the sealed tokens.

The cookie is `<id>.<HMAC-SHA256(key, id)>`; the table keys rows by SHA-256(id) and seals the tokens with
AES-GCM, both under the console's session key (a file of 32 random bytes, mode 0600, made on first use
outside production). CSRF tokens are derived from the session id, so every form is bound to its session."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

SESSION_COOKIE = "gateway_console"
KEY_BYTES = 32


class SessionKeyMissingError(RuntimeError):
    """Production needs its session key provisioned; it is never made on the fly there."""


def load_session_key(path: Path, *, create: bool) -> bytes:
    if path.exists():
        key = path.read_bytes()
        if len(key) != KEY_BYTES:
            raise ValueError(f"the console session key {path} must hold {KEY_BYTES} bytes")
        return key
    if not create:
        raise SessionKeyMissingError(f"no console session key at {path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(KEY_BYTES)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return key


@dataclass(frozen=True, slots=True)
class Tokens:
    access_token: str
    refresh_token: str | None
    access_expires_at: datetime


@dataclass(frozen=True, slots=True)
class Session:
    session_id: str
    subject: str
    issuer: str
    tokens: Tokens
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class SessionKeys:
    """The session key and what is derived from it, one job each."""

    key: bytes

    def _derive(self, label: bytes) -> bytes:
        return hmac.new(self.key, label, hashlib.sha256).digest()

    def sign(self, session_id: str) -> str:
        mac = hmac.new(self._derive(b"cookie"), session_id.encode(), hashlib.sha256).digest()
        return f"{session_id}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"

    def verify(self, cookie: str | None) -> str | None:
        """The session id a cookie carries, if its signature holds."""
        if not cookie or cookie.count(".") != 1:
            return None
        session_id = cookie.split(".", 1)[0]
        return session_id if hmac.compare_digest(self.sign(session_id), cookie) else None

    def csrf_token(self, session_id: str) -> str:
        return hmac.new(self._derive(b"csrf"), session_id.encode(), hashlib.sha256).hexdigest()

    def check_csrf(self, session_id: str, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf_token(session_id), str(token))

    def seal(self, data: dict[str, Any], *, context: bytes) -> bytes:
        nonce = secrets.token_bytes(12)
        return nonce + AESGCM(self._derive(b"seal")).encrypt(nonce, orjson.dumps(data), context)

    def unseal(self, sealed: bytes, *, context: bytes) -> dict[str, Any]:
        plain = AESGCM(self._derive(b"seal")).decrypt(sealed[:12], sealed[12:], context)
        value = orjson.loads(plain)
        if not isinstance(value, dict):
            raise ValueError("sealed value is not an object")
        return value


def id_hash(session_id: str) -> bytes:
    return hashlib.sha256(session_id.encode()).digest()


def _seal_tokens(keys: SessionKeys, session_id: str, tokens: Tokens) -> bytes:
    payload = {"access_token": tokens.access_token, "refresh_token": tokens.refresh_token}
    return keys.seal(payload, context=id_hash(session_id))


class SessionStore:
    """Create, read, refresh and end sessions. Expired rows are never returned and are swept on create."""

    def __init__(self, pool: AsyncConnectionPool, keys: SessionKeys) -> None:
        self.pool = pool
        self.keys = keys

    async def create(self, subject: str, issuer: str, tokens: Tokens, max_seconds: int) -> Session:
        session_id = secrets.token_urlsafe(32)
        expires_at = datetime.now(UTC) + timedelta(seconds=max_seconds)
        async with self.pool.connection() as conn:
            await conn.execute("DELETE FROM console_sessions WHERE expires_at < now()")
            await conn.execute(
                "INSERT INTO console_sessions (id_hash, subject, issuer, sealed_tokens, access_expires_at,"
                " expires_at) VALUES (%s, %s, %s, %s, %s, %s)",
                (
                    id_hash(session_id),
                    subject,
                    issuer,
                    _seal_tokens(self.keys, session_id, tokens),
                    tokens.access_expires_at,
                    expires_at,
                ),
            )
        return Session(session_id, subject, issuer, tokens, expires_at)

    async def get(self, session_id: str) -> Session | None:
        async with self.pool.connection() as conn:
            return await self._read(conn, session_id, lock=False)

    async def _read(self, conn: AsyncConnection[Any], session_id: str, *, lock: bool) -> Session | None:
        cursor = await conn.execute(
            "SELECT subject, issuer, sealed_tokens, access_expires_at, expires_at FROM console_sessions"
            " WHERE id_hash = %s AND expires_at > now()" + (" FOR UPDATE" if lock else ""),
            (id_hash(session_id),),
        )
        row: Any = await cursor.fetchone()  # the pool's rows are dicts
        if row is None:
            return None
        try:
            tokens = self.keys.unseal(bytes(row["sealed_tokens"]), context=id_hash(session_id))
        except (ValueError, InvalidTag):  # a row sealed under another key signs no one in
            return None
        return Session(
            session_id,
            row["subject"],
            row["issuer"],
            Tokens(tokens["access_token"], tokens.get("refresh_token"), row["access_expires_at"]),
            row["expires_at"],
        )

    async def refresh(self, session: Session, renew: Any) -> Session | None:
        """Replace the session's tokens with `await renew(current_tokens)` under a row lock, so two requests
        that both find the token expiring refresh it once; None (and the session ended) if renewal fails."""
        async with self.pool.connection() as conn, conn.transaction():
            current = await self._read(conn, session.session_id, lock=True)
            if current is None:
                return None
            if current.tokens.access_token != session.tokens.access_token:
                return current  # another request refreshed it meanwhile
            fresh: Tokens | None = await renew(current.tokens)
            if fresh is None:
                await conn.execute(
                    "DELETE FROM console_sessions WHERE id_hash = %s", (id_hash(session.session_id),)
                )
                return None
            await conn.execute(
                "UPDATE console_sessions SET sealed_tokens = %s, access_expires_at = %s, refreshed_at = now()"
                " WHERE id_hash = %s",
                (
                    _seal_tokens(self.keys, session.session_id, fresh),
                    fresh.access_expires_at,
                    id_hash(session.session_id),
                ),
            )
        return Session(session.session_id, session.subject, session.issuer, fresh, session.expires_at)

    async def end(self, session_id: str) -> None:
        async with self.pool.connection() as conn:
            await conn.execute("DELETE FROM console_sessions WHERE id_hash = %s", (id_hash(session_id),))
