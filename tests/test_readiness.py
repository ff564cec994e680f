"""Readiness explains itself: every dependency with its reason, and 503 while audit events cannot be committed."""

from __future__ import annotations

from typing import Any

import psycopg
from litestar.testing import TestClient

from gateway.api.health import pool_saturation
from gateway.app import create_app
from gateway.audit.writer import APPEND_FUNCTION
from gateway.db.urls import DatabaseUrls
from gateway.settings import Settings

CHECKS = {"audit_signer", "audit_writer", "database", "keyring", "policy_bundle", "pool"}


def test_ready_reports_each_dependency_with_its_reason(settings: Settings, db_urls: DatabaseUrls) -> None:
    with TestClient(app=create_app(settings)) as client:
        response = client.get("/health/ready")
        services = client.app.state.services
        revision, key_id = services.policy_engine.revision, services.audit.public_key.key_id
        current = services.keyring.current_version
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"], set(body["checks"])) == ("ok", "ok", CHECKS)
    checks = body["checks"]
    assert all(check["ok"] is True and check["reason"] for check in checks.values())
    assert checks["policy_bundle"]["revision"] == revision
    assert checks["audit_signer"]["key_id"] == key_id
    assert checks["keyring"]["current_version"] == current
    assert checks["pool"]["max_size"] == settings.pool_max_size
    assert checks["database"]["reason"].endswith("writable, audit append permitted")


def test_not_ready_while_the_application_may_not_append_audit_events(
    settings: Settings, db_urls: DatabaseUrls, admin_conn: psycopg.Connection[Any]
) -> None:
    role = settings.app_db_role
    with TestClient(app=create_app(settings)) as client:
        admin_conn.execute(f"REVOKE EXECUTE ON FUNCTION {APPEND_FUNCTION} FROM {role}")
        try:
            response = client.get("/health/ready")
        finally:
            admin_conn.execute(f"GRANT EXECUTE ON FUNCTION {APPEND_FUNCTION} TO {role}")
        again = client.get("/health/ready")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"].endswith("/not-ready")
    assert body["checks"]["database"] == {
        "ok": False,
        "reason": f"the application role may not execute {APPEND_FUNCTION}",
    }
    assert body["detail"] == f"Not ready: database: the application role may not execute {APPEND_FUNCTION}."
    assert again.status_code == 200


def test_not_ready_after_a_failed_audit_batch_until_one_commits(
    settings: Settings, db_urls: DatabaseUrls, admin_conn: psycopg.Connection[Any]
) -> None:
    role = settings.app_db_role
    with TestClient(app=create_app(settings)) as client:
        admin_conn.execute(f"REVOKE EXECUTE ON FUNCTION {APPEND_FUNCTION} FROM {role}")
        try:
            refused = client.get("/v1/attendance/daily")  # no token: a 401 that must still be audited
        finally:
            admin_conn.execute(f"GRANT EXECUTE ON FUNCTION {APPEND_FUNCTION} TO {role}")
        after_failure = client.get("/health/ready")
        recorded = client.get("/v1/attendance/daily")  # the next event commits
        after_commit = client.get("/health/ready")
    assert refused.status_code == 503
    assert refused.json()["type"].endswith("/audit-unavailable")
    assert after_failure.status_code == 503
    failing = {name for name, check in after_failure.json()["checks"].items() if not check["ok"]}
    assert failing == {"audit_writer"}
    assert "failed" in after_failure.json()["checks"]["audit_writer"]["reason"]
    assert recorded.status_code == 401
    assert after_commit.status_code == 200
    assert after_commit.json()["checks"]["audit_writer"]["reason"].startswith("last batch committed")


def test_the_pool_is_saturated_only_when_every_connection_is_in_use_and_requests_wait() -> None:
    full = {"pool_size": 4, "pool_available": 0, "requests_waiting": 3}
    assert pool_saturation(full, 4) == {
        "ok": False,
        "reason": "3 requests waiting for one of 4 connections, all in use",
        "in_use": 4,
        "max_size": 4,
        "waiting": 3,
    }
    # Still growing (the pool may open more), or nobody waiting: not saturated.
    assert pool_saturation({**full, "pool_size": 3}, 4)["ok"] is True
    assert (
        pool_saturation({**full, "requests_waiting": 0}, 4)["reason"]
        == "4 of 4 connections in use, 0 waiting"
    )
