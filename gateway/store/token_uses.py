"""Which single-use tokens have been presented: one row per (issuer, jti) until the token expires."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from psycopg_pool import AsyncConnectionPool


class TokenUses:
    """Remembers single-use tokens in PostgreSQL, so a replay is refused by every gateway process."""

    def __init__(self, pool: AsyncConnectionPool[Any]) -> None:
        self.pool = pool

    async def first_use(self, issuer: str, jti: str, expires_at: int) -> bool:
        """True the first time (issuer, jti) is presented; False for every later presentation."""
        expiry = datetime.fromtimestamp(expires_at, UTC)
        async with self.pool.connection() as conn:
            # Expired rows can go: a token past its exp is refused before it gets here.
            await conn.execute("DELETE FROM token_uses WHERE expires_at < now() - interval '1 hour'")
            cursor = await conn.execute(
                "INSERT INTO token_uses (issuer, jti, expires_at) VALUES (%s, %s, %s)"
                " ON CONFLICT (issuer, jti) DO NOTHING",
                (issuer, jti, expiry),
            )
            return bool(cursor.rowcount == 1)
