"""The application's async connection pool (psycopg 3)."""

from __future__ import annotations

from psycopg import AsyncConnection
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool


async def _configure(conn: AsyncConnection[object]) -> None:
    await conn.set_autocommit(True)
    # Statements run for an API caller must not hang a worker forever.
    await conn.execute("SET statement_timeout = '30s'")


def create_pool(url: str, min_size: int = 2, max_size: int = 10) -> AsyncConnectionPool:
    """Build (but do not open) the pool; the app's lifespan opens and closes it."""
    return AsyncConnectionPool(
        url,
        min_size=min_size,
        max_size=max_size,
        open=False,
        configure=_configure,
        kwargs={"row_factory": dict_row},
        name="gateway",
    )
