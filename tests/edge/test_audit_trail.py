"""The audit middleware writes one event per non-public request before the response, or answers 503."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import orjson
import psycopg
from litestar import Litestar
from litestar.testing import TestClient

from gateway.audit.writer import APPEND_FUNCTION
from gateway.settings import Settings
from tests.edge.conftest import event_for

UPN = "A202123456789"


def _subject_key(settings: Settings) -> bytes:
    return settings.audit.subject_key_file.read_bytes()


def test_allowed_request_is_recorded_with_route_template_and_outcome(
    probe_client: TestClient[Litestar], admin_conn: psycopg.Connection[Any]
) -> None:
    response = probe_client.get(f"/probe/pupils/{UPN}", headers={"x-request-id": "req-allowed-0001"})
    assert response.status_code == 200
    _, content, outcome, route, organisation = event_for(admin_conn, "req-allowed-0001")
    body = orjson.loads(content)
    assert (outcome, route, organisation) == ("allowed", "/probe/pupils/{upn}", "LA-202")
    assert body["status"] == 200
    assert body["rows_returned"] == 1
    assert body["purpose"] == "attendance-improvement"
    assert body["principal"]["roles"] == ["attendance_officer"]


def test_pupil_identifiers_are_stored_only_as_keyed_hashes(
    probe_client: TestClient[Litestar], admin_conn: psycopg.Connection[Any], settings: Settings
) -> None:
    probe_client.get(f"/probe/pupils/{UPN}?also={UPN}", headers={"x-request-id": "req-hashed-00001"})
    seq, content, *_ = event_for(admin_conn, "req-hashed-00001")
    expected = hmac.new(_subject_key(settings), UPN.encode(), hashlib.sha256).digest()
    assert UPN not in content
    assert orjson.loads(content)["params"] == {
        "also": "hmac-sha256:" + expected.hex(),
        "upn": "hmac-sha256:" + expected.hex(),
    }
    indexed = admin_conn.execute("SELECT subject_hash FROM audit_subjects WHERE seq = %s", (seq,)).fetchall()
    assert [bytes(r[0]) for r in indexed] == [expected]


def test_event_is_committed_before_the_first_byte_of_a_stream(
    probe_client: TestClient[Litestar],
) -> None:
    response = probe_client.get("/probe/stream", headers={"x-request-id": "req-stream-00001"})
    assert response.status_code == 200
    assert response.content == b"event-committed"


def test_denied_request_is_recorded_as_denied(
    probe_client: TestClient[Litestar], admin_conn: psycopg.Connection[Any]
) -> None:
    response = probe_client.get("/probe/denied", headers={"x-request-id": "req-denied-00001"})
    assert response.status_code == 403
    _, content, outcome, *_ = event_for(admin_conn, "req-denied-00001")
    assert outcome == "denied"
    assert orjson.loads(content)["status"] == 403


def test_handler_failure_is_recorded_as_failed(
    probe_client: TestClient[Litestar], admin_conn: psycopg.Connection[Any]
) -> None:
    response = probe_client.get("/probe/broken", headers={"x-request-id": "req-broken-00001"})
    assert response.status_code == 500
    _, content, outcome, *_ = event_for(admin_conn, "req-broken-00001")
    assert outcome == "failed"
    assert orjson.loads(content)["status"] == 500


def test_public_route_is_not_recorded(
    probe_client: TestClient[Litestar], admin_conn: psycopg.Connection[Any]
) -> None:
    response = probe_client.get("/v1/audit/keys", headers={"x-request-id": "req-public-00001"})
    assert response.status_code == 200
    found = admin_conn.execute(
        "SELECT count(*) FROM audit_events WHERE request_id = %s OR (content::jsonb ->> 'client_request_id') = %s",
        (response.headers["x-request-id"], "req-public-00001"),
    ).fetchone()
    assert found == (0,)


def test_options_is_recorded_on_a_governed_path_and_on_a_public_one(
    probe_client: TestClient[Litestar], admin_conn: psycopg.Connection[Any]
) -> None:
    """The framework answers OPTIONS itself (no token needed: only an Allow header), and it is audited."""
    answered = []
    for path, supplied in (("/probe/denied", "req-options-00001"), ("/v1/audit/keys", "req-options-00002")):
        response = probe_client.options(path, headers={"x-request-id": supplied})
        _, content, outcome, route, organisation = event_for(admin_conn, supplied)
        answered.append((response.status_code, orjson.loads(content)["method"], outcome, route, organisation))
    assert answered == [
        (204, "OPTIONS", "allowed", "/probe/denied", None),
        (204, "OPTIONS", "allowed", "/v1/audit/keys", None),
    ]


def test_response_is_503_problem_and_no_data_when_the_audit_write_fails(
    probe_client: TestClient[Litestar], admin_conn: psycopg.Connection[Any], settings: Settings
) -> None:
    role = settings.app_db_role
    admin_conn.execute(f"REVOKE EXECUTE ON FUNCTION {APPEND_FUNCTION} FROM {role}")
    try:
        response = probe_client.get(f"/probe/pupils/{UPN}", headers={"x-request-id": "req-refused-0001"})
        streamed = probe_client.get("/probe/stream", headers={"x-request-id": "req-refused-0002"})
    finally:
        admin_conn.execute(f"GRANT EXECUTE ON FUNCTION {APPEND_FUNCTION} TO {role}")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "/problems/audit-unavailable",
        "title": "Audit log unavailable",
        "status": 503,
        "detail": "The access could not be recorded in the audit log, so no data was returned.",
        "instance": f"urn:request:{response.headers['x-request-id']}",
    }
    assert b"served" not in response.content
    assert streamed.status_code == 503
    assert b"event-" not in streamed.content


def test_response_is_503_when_the_event_table_is_locked_out(
    probe_client: TestClient[Litestar], admin_conn: psycopg.Connection[Any]
) -> None:
    admin_conn.execute("ALTER TABLE audit_events RENAME TO audit_events_moved")
    try:
        response = probe_client.get(f"/probe/pupils/{UPN}", headers={"x-request-id": "req-renamed-001"})
    finally:
        admin_conn.execute("ALTER TABLE audit_events_moved RENAME TO audit_events")
    assert response.status_code == 503
    assert response.json()["type"].endswith("/audit-unavailable")


def test_keys_route_publishes_the_signing_key(probe_client: TestClient[Litestar]) -> None:
    body = probe_client.get("/v1/audit/keys").json()
    current = [k for k in body["keys"] if k["key_id"] == body["current"]]
    assert len(current) == 1
    assert current[0]["algorithm"] == "Ed25519"


def test_free_text_reason_is_stored_for_officers_but_never_logged(
    probe_client: TestClient[Litestar], admin_conn: psycopg.Connection[Any]
) -> None:
    from structlog.testing import capture_logs

    from tests.audit.conftest import REASON

    with capture_logs() as logs:
        probe_client.get("/probe/reasoned", headers={"x-request-id": "req-reasoned-001"})
    _, content, *_ = event_for(admin_conn, "req-reasoned-001")
    assert orjson.loads(content)["reason_text"] == REASON
    assert orjson.loads(content)["reason_given"] is True
    assert REASON not in repr(logs)


def test_failed_audit_write_logs_no_request_data(
    probe_client: TestClient[Litestar], admin_conn: psycopg.Connection[Any], settings: Settings
) -> None:
    from structlog.testing import capture_logs

    role = settings.app_db_role
    admin_conn.execute(f"REVOKE EXECUTE ON FUNCTION {APPEND_FUNCTION} FROM {role}")
    try:
        with capture_logs() as logs:
            probe_client.get(f"/probe/pupils/{UPN}", headers={"x-request-id": "req-refused-0003"})
    finally:
        admin_conn.execute(f"GRANT EXECUTE ON FUNCTION {APPEND_FUNCTION} TO {role}")
    failures = [entry for entry in logs if entry["event"] == "audit_write_failed"]
    assert failures == [
        {
            "event": "audit_write_failed",
            "error_type": "InsufficientPrivilege",
            "route": "/probe/pupils/{upn}",
            "log_level": "error",
        }
    ]
    assert UPN not in repr(logs)
