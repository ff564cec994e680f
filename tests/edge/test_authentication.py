"""The authentication middleware: Principal in request.user, 401 problem+json otherwise, public routes skipped."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar, Request, get
from litestar.middleware import DefineMiddleware
from litestar.testing import TestClient
from litestar.types import ASGIApp, Receive, Scope, Send

from gateway.audit.record import AccessRecord
from gateway.auth.authenticator import Authenticator
from gateway.auth.devissuer import DevIssuer
from gateway.auth.errors import AuthError
from gateway.auth.principal import Principal
from gateway.edge.authentication import auth_problem, authentication_middleware
from gateway.edge.problems import EXCEPTION_HANDLERS
from gateway.edge.scope_state import ACCESS_STATE_KEY
from tests.auth.conftest import la_claims

RECORDS: list[AccessRecord] = []


def record_middleware(app: ASGIApp) -> ASGIApp:
    """Stands where the audit middleware stands: it creates the request's AccessRecord."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        record = AccessRecord(request_id="r1", method=scope.get("method", "GET"), route=scope["path"])
        RECORDS.append(record)
        scope.setdefault("state", {})[ACCESS_STATE_KEY] = record
        await app(scope, receive, send)

    return middleware


@get("/private", opt={"policy_action": "decisions.explain"}, sync_to_thread=False)
def private(request: Request[Principal, Any, Any]) -> dict[str, Any]:
    return {"organisation": request.user.organisation, "la_code": request.user.la_code}


@get("/public", opt={"public": True}, sync_to_thread=False)
def public() -> dict[str, str]:
    return {"status": "ok"}


@pytest.fixture
def client(authenticator: Authenticator) -> Iterator[TestClient[Litestar]]:
    RECORDS.clear()
    app = Litestar(
        [private, public],
        middleware=[
            record_middleware,
            DefineMiddleware(authentication_middleware, verifier=lambda: authenticator),
        ],
        exception_handlers=EXCEPTION_HANDLERS,
    )
    with TestClient(app) as test_client:
        yield test_client


def test_valid_token_sets_request_user(client: TestClient[Litestar], dev_issuer: DevIssuer) -> None:
    response = client.get("/private", headers={"Authorization": "Bearer " + dev_issuer.issue(la_claims())})
    assert (response.status_code, response.json()) == (200, {"organisation": "la-202", "la_code": 202})


def test_missing_token_is_a_401_problem(client: TestClient[Litestar]) -> None:
    response = client.get("/private")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith('Bearer error="invalid_token", error_description=')
    assert response.json()["type"] == "/problems/missing-token"


def test_failure_kind_is_recorded_for_the_audit(client: TestClient[Litestar], dev_issuer: DevIssuer) -> None:
    client.get(
        "/private", headers={"Authorization": "Bearer " + dev_issuer.issue(la_claims(aud="elsewhere"))}
    )
    assert [r.auth_error for r in RECORDS] == ["wrong-audience"]


def test_public_route_needs_no_token(client: TestClient[Litestar]) -> None:
    assert client.get("/public").status_code == 200


def test_two_authorization_headers_are_malformed(client: TestClient[Litestar], dev_issuer: DevIssuer) -> None:
    token = dev_issuer.issue(la_claims())
    response = client.get(
        "/private", headers=[("Authorization", f"Bearer {token}"), ("Authorization", f"Bearer {token}")]
    )
    assert response.json()["type"].endswith("/malformed-token")


def test_the_token_never_appears_in_the_problem(client: TestClient[Litestar], dev_issuer: DevIssuer) -> None:
    token = dev_issuer.issue(la_claims(exp=1))
    response = client.get("/private", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert token not in response.text
    assert token.split(".")[1] not in response.headers["www-authenticate"]


async def test_problem_carries_www_authenticate(authenticator: Authenticator) -> None:
    with pytest.raises(AuthError) as caught:
        await authenticator.authenticate("Bearer not.a.jwt")
    problem = auth_problem(caught.value)
    assert (problem.status, problem.kind) == (401, "malformed-token")
    assert problem.headers == {
        "WWW-Authenticate": 'Bearer error="invalid_token", error_description="The bearer token is not a well-formed JWT."'
    }
