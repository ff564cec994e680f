"""Liveness and readiness probes (public: no data, no policy)."""

from __future__ import annotations

from typing import Any

from litestar import get
from litestar.di import NamedDependency

from gateway.edge.problems import ProblemError, problem_responses
from gateway.edge.public import PUBLIC
from gateway.services import Services


@get("/health/live", opt=PUBLIC, summary="Liveness probe", tags=["health"], sync_to_thread=False)
def live() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@get(
    "/health/ready",
    opt=PUBLIC,
    summary="Readiness probe: the database answers",
    tags=["health"],
    responses=problem_responses(503),
)
async def ready(services: NamedDependency[Services]) -> dict[str, Any]:
    """Ready when the database answers a query through the application's pool."""
    try:
        async with services.pool.connection(timeout=2.0) as conn:
            cur = await conn.execute("SELECT 1 AS ok")
            await cur.fetchone()
    except Exception as exc:
        raise ProblemError(503, "not-ready", "The database is not reachable.") from exc
    return {"status": "ok", "database": "ok"}
