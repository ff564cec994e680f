"""Audit fixtures: an app with the real audit middleware on this worker's database, and owner access."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import psycopg
import pytest
from litestar import Litestar, Request, get
from litestar.datastructures import State
from litestar.params import FromPath
from litestar.response import Stream
from litestar.testing import TestClient

from gateway.app import build_services
from gateway.audit.api import AUDIT_ROUTES
from gateway.audit.middleware import audit_middleware
from gateway.auth.principal import Principal
from gateway.context import access_record
from gateway.db.urls import DatabaseUrls
from gateway.middleware import request_id_middleware
from gateway.problems import EXCEPTION_HANDLERS, ProblemError
from gateway.services import Services
from gateway.settings import Settings

PROBE = {"policy_action": "test.probe"}
OFFICER = Principal(
    subject="officer-1",
    issuer="https://dev-issuer.attendance-gateway.local",
    organisation="LA-202",
    organisation_type="la",
    roles=("attendance_officer",),
    la_code=202,
)


def _record(request: Request[Any, Any, Any]) -> Any:
    record = access_record(request.scope)  # type: ignore[arg-type]
    assert record is not None
    record.principal = OFFICER
    return record


@get("/probe/pupils/{upn:str}", opt=PROBE)
async def probe_pupil(request: Request[Any, Any, Any], upn: FromPath[str]) -> dict[str, Any]:
    record = _record(request)
    record.subject_upns.add(upn)
    record.rows_returned = 1
    record.purpose = "attendance-improvement"
    return {"pupil": "served"}


@get("/probe/stream", opt=PROBE)
async def probe_stream(request: Request[Any, Any, Any], state: State) -> Stream:
    """Streams one line saying whether this request's event was already committed when the body began."""
    record = _record(request)
    record.rows_returned = 1
    services: Services = state.services
    request_id = record.request_id

    async def body() -> AsyncIterator[bytes]:
        async with services.pool.connection() as conn:
            cur = await conn.execute(
                "SELECT count(*) AS n FROM audit_events WHERE request_id = %s", (request_id,)
            )
            row = await cur.fetchone()
        yield b"event-committed" if row is not None and row["n"] == 1 else b"event-missing"

    return Stream(body())


@get("/probe/denied", opt=PROBE)
async def probe_denied(request: Request[Any, Any, Any]) -> None:
    _record(request)
    raise ProblemError(403, "forbidden", "Denied by policy.")


@get("/probe/broken", opt=PROBE)
async def probe_broken(request: Request[Any, Any, Any]) -> None:
    _record(request)
    raise RuntimeError("handler bug")


def build_probe_app(settings: Settings) -> Litestar:
    services = build_services(settings)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        await services.pool.open(wait=True, timeout=30)
        await services.audit.register_key()
        try:
            yield
        finally:
            await services.pool.close()

    return Litestar(
        route_handlers=[probe_pupil, probe_stream, probe_denied, probe_broken, *AUDIT_ROUTES],
        middleware=[request_id_middleware, audit_middleware],
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=[lifespan],
        state=State({"services": services}),
    )


@pytest.fixture
def probe_client(settings: Settings, db_urls: DatabaseUrls) -> Iterator[TestClient[Litestar]]:
    with TestClient(app=build_probe_app(settings)) as client:
        yield client


@pytest.fixture
def app_conn(db_urls: DatabaseUrls) -> Iterator[psycopg.Connection[tuple[Any, ...]]]:
    """A connection as the application's least-privilege role."""
    with psycopg.connect(db_urls.app, autocommit=True) as conn:
        yield conn


def event_for(admin_conn: psycopg.Connection[Any], request_id: str) -> tuple[Any, ...]:
    row = admin_conn.execute(
        "SELECT seq, content, outcome, route, organisation FROM audit_events WHERE request_id = %s",
        (request_id,),
    ).fetchone()
    assert row is not None, f"no audit event for request {request_id}"
    return tuple(row)
