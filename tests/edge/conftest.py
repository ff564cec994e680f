"""Edge fixtures: the real edge (request id, audit trail, problem handlers) around probe routes that stand in
for the stages, on this worker's database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import psycopg
import pytest
from litestar import Litestar, Request, get
from litestar.datastructures import State
from litestar.params import FromPath
from litestar.response import Stream
from litestar.testing import TestClient

from gateway.api.audit import AUDIT_LOG_ROUTES
from gateway.api.audit_proofs import AUDIT_PROOF_ROUTES
from gateway.app import build_app
from gateway.auth.authenticator import Authenticator
from gateway.auth.devissuer import DevIssuer, keygen
from gateway.db.urls import DatabaseUrls
from gateway.edge.problems import ProblemError
from gateway.edge.scope_state import access_record
from gateway.policy.rego_engine import RegoEngine
from gateway.services import Runtime, Services
from gateway.settings import AuthSettings, Settings
from tests.audit.conftest import OFFICER, REASON
from tests.policy.conftest import POLICIES

PROBE = {"policy_action": "test.probe"}


def _record(request: Request[Any, Any, Any]) -> Any:
    record = access_record(request.scope)
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
    """The real edge (request id, audit trail, problem handlers) around probe routes and the audit routes."""
    return build_app(
        Runtime(settings),
        [
            probe_pupil,
            probe_reasoned,
            probe_stream,
            probe_denied,
            probe_broken,
            *AUDIT_LOG_ROUTES,
            *AUDIT_PROOF_ROUTES,
        ],
        checkpoints=False,
        authenticate=False,
    )


@pytest.fixture
def probe_client(settings: Settings, db_urls: DatabaseUrls) -> Iterator[TestClient[Litestar]]:
    with TestClient(app=build_probe_app(settings)) as client:
        yield client


# The caller's x-request-id is recorded beside the gateway's own id: tests find their events by it.
BY_CLIENT_ID = "(content::jsonb ->> 'client_request_id') = %s"


def event_for(admin_conn: psycopg.Connection[Any], client_request_id: str) -> tuple[Any, ...]:
    rows = admin_conn.execute(
        f"SELECT seq, content, outcome, route, organisation FROM audit_events WHERE {BY_CLIENT_ID}",
        (client_request_id,),
    ).fetchall()
    assert len(rows) == 1, f"{len(rows)} audit events for request {client_request_id}"
    return tuple(rows[0])


@pytest.fixture(scope="session")
def rego_engine() -> Iterator[RegoEngine]:
    """The real policies on the embedded Rego engine."""
    engine = RegoEngine(POLICIES, watch=False)
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def auth_settings(tmp_path_factory: pytest.TempPathFactory) -> AuthSettings:
    return AuthSettings(dev_key_dir=tmp_path_factory.mktemp("edge-issuer"), jwks_refetch_min_seconds=0.0)


@pytest.fixture(scope="session")
def dev_issuer(auth_settings: AuthSettings) -> DevIssuer:
    return keygen(auth_settings)


@pytest.fixture
def authenticator(auth_settings: AuthSettings, dev_issuer: DevIssuer) -> Authenticator:
    return Authenticator(auth_settings)
