"""The app factory builds, and its probes report the database."""

from __future__ import annotations

import re

from litestar.testing import TestClient

from gateway.app import create_app
from gateway.db.urls import DatabaseUrls
from gateway.settings import Settings


def test_live_answers_ok(settings: Settings, db_urls: DatabaseUrls) -> None:
    with TestClient(app=create_app(settings)) as client:
        response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_checks_the_database(settings: Settings, db_urls: DatabaseUrls) -> None:
    with TestClient(app=create_app(settings)) as client:
        response = client.get("/health/ready")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["database"]) == ("ok", "ok")


def test_unknown_route_is_problem_json(settings: Settings, db_urls: DatabaseUrls) -> None:
    with TestClient(app=create_app(settings)) as client:
        response = client.get("/no/such/route")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 404
    assert body["type"].endswith("/not-found")


def test_every_response_carries_the_gateways_own_request_id(
    settings: Settings, db_urls: DatabaseUrls
) -> None:
    """A caller's x-request-id is recorded beside the gateway's id (tests/edge), never sent back instead."""
    with TestClient(app=create_app(settings)) as client:
        response = client.get("/health/live", headers={"x-request-id": "abcdef123456"})
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["x-request-id"])
