"""Audit tables are append-only: the app role lacks the privileges, and triggers stop everyone else."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from gateway.audit.log import AuditLog
from tests.audit.conftest import append_samples

TABLES = ("audit_events", "audit_subjects", "audit_checkpoints", "audit_keys", "audit_subtrees")
CHANGES = {
    "update": "UPDATE {t} SET seq = seq",
    "delete": "DELETE FROM {t}",
    "truncate": "TRUNCATE {t} CASCADE",
}


@pytest.fixture
async def some_events(audit_log: AuditLog) -> None:
    await append_samples(audit_log, 3)
    await audit_log.checkpoint()


def _change(table: str, kind: str) -> str:
    statement = CHANGES[kind].format(t=table)
    if table in ("audit_checkpoints",):
        statement = statement.replace("seq = seq", "size = size")
    if table == "audit_keys":
        statement = statement.replace("seq = seq", "key_id = key_id")
    if table == "audit_subtrees":
        statement = statement.replace("seq = seq", "idx = idx")
    return statement


@pytest.mark.usefixtures("some_events")
@pytest.mark.parametrize("kind", sorted(CHANGES))
@pytest.mark.parametrize("table", TABLES)
def test_app_role_cannot_change_audit_rows(app_conn: psycopg.Connection[Any], table: str, kind: str) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match=f"permission denied for table {table}"):
        app_conn.execute(_change(table, kind))


@pytest.mark.usefixtures("some_events")
@pytest.mark.parametrize("kind", sorted(CHANGES))
@pytest.mark.parametrize("table", TABLES)
def test_superuser_changes_are_rejected_by_triggers(
    admin_conn: psycopg.Connection[Any], table: str, kind: str
) -> None:
    verb = {"update": "UPDATE", "delete": "DELETE", "truncate": "TRUNCATE"}[kind]
    with pytest.raises(
        psycopg.errors.InsufficientPrivilege, match=f"audit table {table} is append-only: {verb}"
    ):
        admin_conn.execute(_change(table, kind))


@pytest.mark.usefixtures("some_events")
def test_triggers_fire_even_in_replica_mode(admin_conn: psycopg.Connection[Any]) -> None:
    with admin_conn.transaction():
        admin_conn.execute("SET LOCAL session_replication_role = replica")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only: DELETE"):
            admin_conn.execute("DELETE FROM audit_events")
        raise psycopg.Rollback()


def test_app_role_cannot_insert_events_outside_the_chain(app_conn: psycopg.Connection[Any]) -> None:
    with pytest.raises(
        psycopg.errors.InsufficientPrivilege, match="permission denied for table audit_events"
    ):
        app_conn.execute(
            "INSERT INTO audit_events (seq, content, prev_hash, event_hash, leaf_hash, occurred_at, outcome, route)"
            " VALUES (999999, '{}', '', '', '', now(), 'allowed', '/')"
        )
