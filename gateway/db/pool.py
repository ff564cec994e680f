"""The application's async connection pool (psycopg 3): a bounded wait for a connection, and reconnection
with a short, capped backoff so the gateway serves again within seconds of the database returning."""

from __future__ import annotations

from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool
from psycopg_pool.base import AttemptWithBackoff

DEFAULT_WAIT_SECONDS = 3.0
DEFAULT_RECONNECT_MAX_DELAY = 0.5
CONNECT_TIMEOUT_SECONDS = 3  # libpq's: a host that does not answer must not hold a reconnection attempt


async def _configure(conn: AsyncConnection[object]) -> None:
    await conn.set_autocommit(True)
    # Statements run for an API caller must not hang a worker forever.
    await conn.execute("SET statement_timeout = '30s'")


class CappedBackoff(AttemptWithBackoff):
    """psycopg_pool's reconnection backoff starts at 1 s and doubles without a ceiling, so after a minute's
    outage the next attempt may be a minute away (measured: 80-120 s to recover). Start at 0.1 s, cap it."""

    INITIAL_DELAY = 0.1

    def __init__(self, *, timeout: float, max_delay: float) -> None:
        super().__init__(timeout=timeout)
        self.max_delay = max_delay

    def update_delay(self, now: float) -> None:
        super().update_delay(now)
        self.delay = min(self.delay, self.max_delay)


class GatewayPool(AsyncConnectionPool[Any]):
    """AsyncConnectionPool whose reconnection attempts use CappedBackoff.

    psycopg_pool has no public setting for the backoff; `_add_connection` is where it creates the attempt
    (psycopg-pool 3.3, pinned in requirements.lock). tests/audit/test_pool_recovery.py stops and restarts a
    real PostgreSQL and fails if a new version changes this."""

    reconnect_max_delay: float = DEFAULT_RECONNECT_MAX_DELAY

    async def _add_connection(self, attempt: AttemptWithBackoff | None, growing: bool = False) -> None:
        if attempt is None:
            attempt = CappedBackoff(timeout=self.reconnect_timeout, max_delay=self.reconnect_max_delay)
        await super()._add_connection(attempt, growing=growing)


def create_pool(
    url: str,
    min_size: int = 2,
    max_size: int = 10,
    *,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
    reconnect_max_delay: float = DEFAULT_RECONNECT_MAX_DELAY,
) -> GatewayPool:
    """Build (but do not open) the pool; the app's lifespan opens and closes it.

    A caller waits at most `wait_seconds` for a connection, then gets psycopg_pool.PoolTimeout (a 503 at
    the edge). Each connection is checked as it is handed out, so connections a restarted server dropped are
    replaced instead of failing the request that drew them."""
    pool = GatewayPool(
        url,
        min_size=min_size,
        max_size=max_size,
        open=False,
        configure=_configure,
        check=AsyncConnectionPool.check_connection,
        timeout=wait_seconds,
        kwargs={"row_factory": dict_row, "connect_timeout": CONNECT_TIMEOUT_SECONDS},
        name="gateway",
    )
    pool.reconnect_max_delay = reconnect_max_delay
    return pool
