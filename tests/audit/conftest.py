"""Audit fixtures: an app with the real audit middleware on this worker's database, and owner access."""

from __future__ import annotations

import asyncio
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
from psycopg import sql

from gateway.app import build_services
from gateway.audit.api import AUDIT_ROUTES
from gateway.audit.log import AuditLog
from gateway.audit.middleware import audit_middleware
from gateway.auth.principal import Principal
from gateway.context import AccessRecord, access_record
from gateway.db.migrate import upgrade
from gateway.db.pool import create_pool
from gateway.db.urls import DatabaseUrls, resolve_database, start_embedded
from gateway.middleware import request_id_middleware
from gateway.problems import EXCEPTION_HANDLERS, ProblemError
from gateway.services import Services
from gateway.settings import Settings

PROBE = {"policy_action": "test.probe"}
REASON = "Section 47 enquiry, case ref CP-2026-0112"
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


@get("/probe/reasoned", opt=PROBE)
async def probe_reasoned(request: Request[Any, Any, Any]) -> dict[str, str]:
    record = _record(request)
    record.reason_text = REASON
    record.reason_given = True
    return {"ok": "yes"}


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
            await services.audit.close()
            await services.pool.close()

    return Litestar(
        route_handlers=[probe_pupil, probe_reasoned, probe_stream, probe_denied, probe_broken, *AUDIT_ROUTES],
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


@pytest.fixture
async def audit_log(settings: Settings, db_urls: DatabaseUrls) -> AsyncIterator[AuditLog]:
    """The real AuditLog on this worker's database, through the application role's pool."""
    pool = create_pool(db_urls.app, 1, 4)
    await pool.open(wait=True)
    log = AuditLog.from_settings(settings.audit, pool)
    await log.register_key()
    try:
        yield log
    finally:
        await log.close()
        await pool.close()


def sample_record(i: int) -> AccessRecord:
    """A varied, realistic access record: the i-th request of a small fictional day."""
    record = AccessRecord(
        request_id=f"sample-{i:06d}", method="GET", route="/v1/pupils/{upn}", client="10.0.0.7"
    )
    record.principal = OFFICER
    record.purpose = "attendance-improvement"
    record.rows_returned = i % 7
    record.subject_upns = {f"A202{i:09d}X"} if i % 3 else set()
    return record


async def append_samples(log: AuditLog, count: int, start: int = 0) -> list[int]:
    seqs = []
    for i in range(start, start + count):
        appended = await log.append(sample_record(i), status=200 if i % 5 else 403, duration_s=0.002)
        seqs.append(appended.seq)
    return seqs


def _copy_settings(settings: Settings, database_name: str) -> Settings:
    return settings.model_copy(update={"database_name": database_name})


def fresh_database(settings: Settings, name: str, template: str | None = None) -> DatabaseUrls:
    """Drop and create database `name` on the test server (from `template` if given)."""
    server_url = start_embedded(settings.pg_data_dir)
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if template is not None:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(template)
                )
            )
    return resolve_database(_copy_settings(settings, name))


TEMPLATE_EVENTS = 120


@pytest.fixture(scope="session")
def tamper_template(settings: Settings, db_urls: DatabaseUrls) -> str:
    """A migrated database holding 120 events, checkpoints at 50, 100 and 120: copied for each tamper test."""
    name = f"{settings.database_name}_audit_tpl"
    urls = fresh_database(settings, name)
    upgrade(urls, settings.app_db_role)

    async def fill() -> None:
        pool = create_pool(urls.app, 1, 2)
        await pool.open(wait=True)
        try:
            log = AuditLog.from_settings(settings.audit, pool)
            await log.register_key()
            for i in range(TEMPLATE_EVENTS):
                await append_samples(log, 1, start=i)
                await log.signing_idle()  # so the checkpoints fall exactly at 50 and 100
            await log.close()  # and the last one at 120
        finally:
            await pool.close()

    asyncio.run(fill())
    return name


@pytest.fixture
def tampered_db(settings: Settings, tamper_template: str) -> Iterator[DatabaseUrls]:
    """A private copy of the template log that a test may attack as superuser."""
    name = f"{settings.database_name}_audit_victim"
    urls = fresh_database(settings, name, template=tamper_template)
    yield urls
    fresh_database(settings, name)  # leave an empty database behind, not a tampered log
