"""The governed prologue and epilogue on the real edge and services: a handler that forgets the epilogue
answers 500 with none of its data; one that releases records its rows; explain and reload go through it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
import psycopg
import pytest
from litestar import Litestar, get
from litestar.params import FromQuery
from litestar.testing import TestClient

from gateway.app import build_app
from gateway.auth.devissuer import DevIssuer, keygen
from gateway.auth.personas import persona_claims
from gateway.db.urls import DatabaseUrls
from gateway.edge.governed import Governed, Requested, governed_route
from gateway.edge.guard import check_routes_declare_policy
from gateway.services import Runtime
from gateway.settings import Settings
from tests.edge.conftest import event_for

ONS = {"purpose": "official-statistics", "agreement": "ons-srsa-s45a"}


def ons_request(purpose: FromQuery[str], agreement: FromQuery[str]) -> Requested:
    return Requested(purpose=purpose, agreement=agreement, resource="attendance_aggregate", level="national")


@get("/v1/attendance/summary", **governed_route("attendance.summary", requested=ons_request))
async def forgets_the_epilogue(gov: Governed[Requested]) -> dict[str, Any]:
    return {"secret": "rows nobody recorded"}


@get("/v1/attendance/daily", **governed_route("attendance.daily", requested=ons_request))
async def releases(gov: Governed[Requested]) -> dict[str, Any]:
    governance = gov.release(3, ["T838123456789"])
    return {"rows": 3, "agreement": governance.agreement, "revision": governance.policy_revision}


@pytest.fixture
def issuer(settings: Settings) -> DevIssuer:
    return keygen(settings.auth)


@pytest.fixture
def governed_client(
    settings: Settings, db_urls: DatabaseUrls, issuer: DevIssuer
) -> Iterator[TestClient[Litestar]]:
    app = build_app(Runtime(settings), [forgets_the_epilogue, releases], checkpoints=False)
    check_routes_declare_policy(app)
    with TestClient(app) as client:
        yield client


def _ons(issuer: DevIssuer, request_id: str) -> dict[str, str]:
    token = issuer.issue(persona_claims("ons-statistician"))
    return {"Authorization": f"Bearer {token}", "x-request-id": request_id}


def test_a_handler_that_skips_the_epilogue_sends_nothing(
    governed_client: TestClient[Litestar], issuer: DevIssuer, admin_conn: psycopg.Connection[Any]
) -> None:
    response = governed_client.get(
        "/v1/attendance/summary", params=ONS, headers=_ons(issuer, "no-epilogue-0001")
    )
    assert (response.status_code, response.json()["type"].rsplit("/", 1)[-1]) == (500, "internal-error")
    assert "rows nobody recorded" not in response.text
    _, content, outcome, *_ = event_for(admin_conn, "no-epilogue-0001")
    event = orjson.loads(content)
    assert (outcome, event["failure"], event["allow"], event["rows_returned"]) == (
        "failed", "unhandled-error", True, None,
    )  # fmt: skip


def test_the_epilogue_records_rows_and_subjects_and_gives_the_governance(
    governed_client: TestClient[Litestar], issuer: DevIssuer, admin_conn: psycopg.Connection[Any]
) -> None:
    response = governed_client.get(
        "/v1/attendance/daily", params=ONS, headers=_ons(issuer, "epilogue-ok-0001")
    )
    body = response.json()
    assert (response.status_code, body["rows"], body["agreement"]) == (200, 3, "ons-srsa-s45a")
    _, content, outcome, *_ = event_for(admin_conn, "epilogue-ok-0001")
    event = orjson.loads(content)
    assert (outcome, event["action"], event["rows_returned"], len(event["subjects"])) == (
        "allowed", "attendance.daily", 3, 1,
    )  # fmt: skip
    assert event["policy_revision"] == body["revision"]


def test_a_denied_request_never_reaches_the_handler(
    governed_client: TestClient[Litestar], issuer: DevIssuer, admin_conn: psycopg.Connection[Any]
) -> None:
    params = {"purpose": "official-statistics", "agreement": "dwp-dea-s35"}
    response = governed_client.get(
        "/v1/attendance/summary", params=params, headers=_ons(issuer, "denied-gov-0001")
    )
    assert (response.status_code, response.json()["type"].rsplit("/", 1)[-1]) == (403, "access-denied")
    _, content, outcome, *_ = event_for(admin_conn, "denied-gov-0001")
    assert (outcome, orjson.loads(content)["failure"]) == ("denied", None)


def test_an_unknown_route_is_audited_too(
    governed_client: TestClient[Litestar], admin_conn: psycopg.Connection[Any]
) -> None:
    response = governed_client.get("/v1/nowhere/123456", headers={"x-request-id": "unmatched-00001"})
    assert (response.status_code, response.json()["type"].rsplit("/", 1)[-1]) == (404, "not-found")
    _, content, outcome, route, _ = event_for(admin_conn, "unmatched-00001")
    assert (outcome, route, orjson.loads(content)["status"]) == ("failed", "unmatched", 404)
