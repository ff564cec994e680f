"""A batch that committed but whose flush wait then failed is committed (issue 13; found by bench/load.py
during a PostgreSQL restart): the client gets the handler's answer, the log records that same answer, once.

The fault is real: the application role loses EXECUTE on audit_sync(), so the append commits and the flush
wait that follows it is refused by the database."""

from __future__ import annotations

from typing import Any

import psycopg
from litestar.testing import TestClient

from gateway.app import create_app
from gateway.audit.log import AuditLog
from gateway.audit.writer import APPEND_FUNCTION, Committed
from gateway.db.urls import DatabaseUrls
from gateway.settings import Settings
from tests.audit.conftest import sample_record

SYNC_FUNCTION = "audit_sync()"


def events_for(admin_conn: psycopg.Connection[Any], instance: str) -> list[tuple[int, str]]:
    request_id = instance.removeprefix("urn:request:")
    rows = admin_conn.execute(
        "SELECT (content::jsonb ->> 'status')::int, outcome FROM audit_events WHERE request_id = %s",
        (request_id,),
    ).fetchall()
    return [(int(status), str(outcome)) for status, outcome in rows]


def test_a_batch_whose_flush_wait_fails_after_commit_is_answered_as_committed(
    settings: Settings, db_urls: DatabaseUrls, admin_conn: psycopg.Connection[Any]
) -> None:
    role = settings.app_db_role
    with TestClient(app=create_app(settings)) as client:
        writer = client.app.state.services.audit.writer
        admin_conn.execute(f"REVOKE EXECUTE ON FUNCTION {SYNC_FUNCTION} FROM {role}")
        try:
            response = client.get("/v1/attendance/daily")  # no token: a 401 that must be audited
        finally:
            admin_conn.execute(f"GRANT EXECUTE ON FUNCTION {SYNC_FUNCTION} TO {role}")
        failure = writer.last_failure
    assert response.status_code == 401, response.text
    assert events_for(admin_conn, response.json()["instance"]) == [(401, "unauthenticated")]
    assert failure is None  # the batch counted as committed, so readiness does not fail for it


def test_a_batch_that_never_committed_still_fails_every_waiter(
    settings: Settings, db_urls: DatabaseUrls, admin_conn: psycopg.Connection[Any]
) -> None:
    """The other side: the append itself is refused, so nothing is in the log and the client gets 503."""
    role = settings.app_db_role
    before = admin_conn.execute("SELECT count(*) FROM audit_events").fetchone()
    with TestClient(app=create_app(settings)) as client:
        admin_conn.execute(f"REVOKE EXECUTE ON FUNCTION {APPEND_FUNCTION} FROM {role}")
        try:
            response = client.get("/v1/attendance/daily")
        finally:
            admin_conn.execute(f"GRANT EXECUTE ON FUNCTION {APPEND_FUNCTION} TO {role}")
        after = admin_conn.execute("SELECT count(*) FROM audit_events").fetchone()
    assert response.status_code == 503
    assert response.json()["type"].endswith("/audit-unavailable")
    assert events_for(admin_conn, response.json()["instance"]) == []
    assert after == before


async def test_a_batch_the_log_does_not_hold_is_not_confirmed(audit_log: AuditLog) -> None:
    """Confirmation trusts only the hashes this writer computed: events the log does not hold (here, a
    position far past its head) are not confirmed, so their waiters get the original failure."""
    done = await audit_log.append(sample_record(1), status=200, duration_s=0.001)
    absent = [Committed(done.seq + 1000, bytes(32))]
    assert await audit_log.writer._confirm(absent, "OperationalError") is False
    wrong = [Committed(done.seq, bytes(32))]  # a position the log holds, with another hash
    assert await audit_log.writer._confirm(wrong, "OperationalError") is False
