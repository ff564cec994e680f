"""The guard: authorize() records and refuses; the start-up check refuses routes that skip the prologue."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar, Request, get
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.params import FromQuery
from litestar.testing import TestClient
from litestar.types import ASGIApp, Receive, Scope, Send

from gateway.audit.record import AccessRecord
from gateway.auth.authenticator import Authenticator
from gateway.auth.devissuer import DevIssuer, keygen
from gateway.auth.personas import persona_claims
from gateway.edge.authentication import authentication_middleware
from gateway.edge.governed import GOVERNED_DEPENDENCIES, Governed, Requested, governed_route
from gateway.edge.guard import PolicyDeclarationError, authorize, check_routes_declare_policy
from gateway.edge.problems import EXCEPTION_HANDLERS
from gateway.edge.scope_state import ACCESS_STATE_KEY
from gateway.policy.engine import PolicyEngine
from gateway.policy.rego_engine import RegoEngine
from gateway.services import Services
from gateway.settings import AuthSettings, Settings
from tests.policy.conftest import POLICIES

RECORDS: list[AccessRecord] = []
REASON = "Section 47 enquiry, case ref CP-2026-0112"
ENGINE: dict[str, PolicyEngine] = {}


def record_middleware(app: ASGIApp) -> ASGIApp:
    """Stands where the audit trail stands: it creates the request's AccessRecord."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        record = AccessRecord(request_id="r1", method=scope.get("method", "GET"), route=scope["path"])
        RECORDS.append(record)
        scope.setdefault("state", {})[ACCESS_STATE_KEY] = record
        await app(scope, receive, send)

    return middleware


@get("/v1/pupils", opt={"policy_action": "pupils.list"})
async def pupils(
    request: Request[Any, Any, Any],
    agreement: FromQuery[str | None] = None,
    purpose: FromQuery[str | None] = None,
    reason: FromQuery[str | None] = None,
    la_code: FromQuery[int | None] = None,
) -> dict[str, Any]:
    decision = await authorize(
        request,
        ENGINE["engine"],
        action="pupils.list",
        purpose=purpose,
        agreement=agreement,
        reason=reason,
        resource={"level": "la", "la_code": la_code, "fields": ["upn", "surname"]},
    )
    return {"la_codes": decision.obligations.row_filter.la_codes, "fields": decision.obligations.fields}


@pytest.fixture(scope="module")
def issuer(tmp_path_factory: pytest.TempPathFactory) -> tuple[AuthSettings, DevIssuer]:
    auth = AuthSettings(dev_key_dir=tmp_path_factory.mktemp("guard-issuer"))
    return auth, keygen(auth)


def make_client(auth: AuthSettings, engine: PolicyEngine) -> TestClient[Litestar]:
    RECORDS.clear()
    ENGINE["engine"] = engine
    authenticator = Authenticator(auth)
    app = Litestar(
        [pupils],
        middleware=[
            record_middleware,
            DefineMiddleware(authentication_middleware, verifier=lambda: authenticator),
        ],
        exception_handlers=EXCEPTION_HANDLERS,
    )
    return TestClient(app)


@pytest.fixture
def client(issuer: tuple[AuthSettings, DevIssuer], rego_engine: RegoEngine) -> Iterator[TestClient[Litestar]]:
    with make_client(issuer[0], rego_engine) as test_client:
        yield test_client


def bearer(issuer: tuple[AuthSettings, DevIssuer], persona: str) -> dict[str, str]:
    return {"Authorization": "Bearer " + issuer[1].issue(persona_claims(persona, la_code=202, urn=100001))}


def test_allowed_request_gets_obligations_and_is_recorded(
    client: TestClient[Litestar], issuer: tuple[AuthSettings, DevIssuer]
) -> None:
    params = {"agreement": "la-safeguarding", "purpose": "child-protection-enquiry", "reason": REASON}
    response = client.get("/v1/pupils", params=params, headers=bearer(issuer, "la-safeguarding"))
    assert (response.status_code, response.json()) == (200, {"la_codes": [202], "fields": ["surname", "upn"]})
    record = RECORDS[-1]
    assert record.principal is not None
    assert record.principal.organisation == "la-202"
    assert (record.action, record.purpose, record.agreement) == (
        "pupils.list", "child-protection-enquiry", "la-safeguarding",
    )  # fmt: skip
    assert (record.reason_given, record.reason_text) == (True, REASON)
    assert record.decision is not None
    assert record.decision.allow


def test_denied_request_is_a_403_with_reasons(
    client: TestClient[Litestar], issuer: tuple[AuthSettings, DevIssuer], rego_engine: RegoEngine
) -> None:
    params = {
        "agreement": "la-safeguarding",
        "purpose": "child-protection-enquiry",
        "reason": REASON,
        "la_code": 330,
    }
    response = client.get("/v1/pupils", params=params, headers=bearer(issuer, "la-safeguarding"))
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "/problems/access-denied"
    assert body["reasons"] == [
        {
            "code": "DENY_SCOPE_OUTSIDE_PRINCIPAL",
            "message": "LA 202 may only see its own area, not LA 330.",
            "citation": "UK GDPR Art. 5(1)(c) data minimisation; the agreement's area scope",
        }
    ]
    assert body["revision"] == rego_engine.revision
    assert RECORDS[-1].decision is not None
    assert RECORDS[-1].decision.allow is False


def test_engine_failure_is_a_503_and_never_data(
    issuer: tuple[AuthSettings, DevIssuer], tmp_path: Path
) -> None:
    shutil.copytree(POLICIES, tmp_path / "policies")
    (tmp_path / "policies" / "gateway" / "slow.rego").write_text(
        "package gateway\n\nslow := count([x | some x in numbers.range(1, 300000); x % 7 == 0])\n"
    )
    decision = (tmp_path / "policies" / "gateway" / "decision.rego").read_text()
    decision = decision.replace("allow if {\n", "allow if {\n\tslow > 0\n", 1)
    (tmp_path / "policies" / "gateway" / "decision.rego").write_text(decision)
    engine = RegoEngine(tmp_path / "policies", watch=False, timeout_ms=2)
    with make_client(issuer[0], engine) as slow_client:
        params = {"agreement": "la-safeguarding", "purpose": "child-protection-enquiry", "reason": REASON}
        response = slow_client.get("/v1/pupils", params=params, headers=bearer(issuer, "la-safeguarding"))
    engine.close()
    assert response.status_code == 503
    assert response.json()["type"].endswith("/policy-engine-unavailable")
    assert "la_codes" not in response.text
    assert (RECORDS[-1].failure, RECORDS[-1].decision) == ("policy-engine-unavailable", None)


def test_app_without_a_declared_policy_refuses_to_start() -> None:
    @get("/v1/secret", sync_to_thread=False)
    def secret() -> str:
        return "data"

    with pytest.raises(PolicyDeclarationError, match="/v1/secret"):
        check_routes_declare_policy(Litestar([secret]))


def test_an_unknown_policy_action_is_refused_too() -> None:
    @get("/v1/secret", opt={"policy_action": "secrets.read"}, sync_to_thread=False)
    def secret() -> str:
        return "data"

    with pytest.raises(PolicyDeclarationError, match=r"secrets\.read"):
        check_routes_declare_policy(Litestar([secret]))


def test_a_route_that_does_not_take_the_prologue_is_refused() -> None:
    @get("/v1/attendance/summary", opt={"policy_action": "attendance.summary"}, sync_to_thread=False)
    def summary() -> str:
        return "data decided by nobody"

    with pytest.raises(PolicyDeclarationError, match="does not take `gov: Governed`"):
        check_routes_declare_policy(Litestar([summary]))


def _request() -> Requested:
    return Requested()


def _no_services() -> Services:
    raise AssertionError("the start-up check runs no request")


EDGE_DEPENDENCIES = {**GOVERNED_DEPENDENCIES, "services": Provide(_no_services, sync_to_thread=False)}


def test_a_route_that_takes_the_prologue_without_declaring_its_request_is_refused() -> None:
    @get("/v1/attendance/summary", opt={"policy_action": "attendance.summary"})
    async def summary(gov: Governed[Requested]) -> str:
        return "data"

    with pytest.raises(PolicyDeclarationError, match="does not take `gov: Governed`"):
        check_routes_declare_policy(Litestar([summary], dependencies=EDGE_DEPENDENCIES))


def test_a_declared_governed_route_passes_the_check() -> None:
    @get("/v1/attendance/summary", **governed_route("attendance.summary", requested=_request))
    async def summary(gov: Governed[Requested]) -> str:
        return "data"

    check_routes_declare_policy(Litestar([summary], dependencies=EDGE_DEPENDENCIES))  # raises otherwise


def test_the_gateway_declares_a_policy_on_every_route(settings: Settings) -> None:
    from gateway.app import create_app

    app = create_app(settings)  # raises PolicyDeclarationError otherwise; builds without a database
    declared = {h.opt.get("policy_action") for r in app.routes for h in getattr(r, "route_handlers", [])}
    assert {"decisions.explain", "policies.reload", "audit.report", "pupils.list"} <= declared
