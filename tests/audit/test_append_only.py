"""Audit tables are append-only: the app role lacks the privileges, and triggers stop everyone else."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from gateway.audit.log import AuditLog
from tests.audit.conftest import append_samples

TABLES = (
    "audit_events",
    "audit_subjects",
    "audit_checkpoints",
    "audit_keys",
    "audit_subtrees",
    "audit_cosignatures",
)
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
    if table in ("audit_checkpoints", "audit_cosignatures"):
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


@pytest.mark.parametrize(
    ("statement", "refused"),
    [
        ("INSERT INTO audit_keys (key_id, algorithm, public_key) VALUES ('k', 'Ed25519', '\\x00')", "table audit_keys"),
        (
            "INSERT INTO audit_checkpoints (size, root, signed_at, key_id, signature, frontier)"
            " VALUES (1, '\\x00', now(), 'k', '\\x00', '{}')",
            "table audit_checkpoints",
        ),
        ("INSERT INTO audit_cosignatures VALUES (1, 'k', '\\x00', '\\x00', now(), '\\x00')", "table audit_cosignatures"),
        ("SELECT audit_append('{}', '{}')", "function audit_append"),
        ("SELECT audit_event_is_valid('{}')", "function audit_event_is_valid"),
    ],
)  # fmt: skip
def test_app_role_has_only_the_narrow_doors(
    app_conn: psycopg.Connection[Any], statement: str, refused: str
) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match=f"permission denied for {refused}"):
        app_conn.execute(statement)


def test_a_checkpoint_door_refuses_a_size_beyond_the_head(app_conn: psycopg.Connection[Any]) -> None:
    with pytest.raises(psycopg.errors.CheckViolation, match="no checkpoint beyond the log's head"):
        app_conn.execute(
            "SELECT audit_add_checkpoint(%s, %s, now(), 'k', %s, %s)", (10**12, bytes(32), bytes(64), [])
        )


@pytest.mark.usefixtures("some_events")
def test_a_checkpoint_door_refuses_an_unregistered_key(app_conn: psycopg.Connection[Any]) -> None:
    with pytest.raises(psycopg.errors.ForeignKeyViolation, match="checkpoint key is not registered"):
        app_conn.execute(
            "SELECT audit_add_checkpoint(1, %s, now(), 'not-a-key', %s, %s)",
            (bytes(32), bytes(64), [bytes(32)]),
        )


@pytest.mark.usefixtures("some_events")
def test_a_checkpoint_door_refuses_a_malformed_checkpoint(
    app_conn: psycopg.Connection[Any], audit_log: AuditLog
) -> None:
    with pytest.raises(psycopg.errors.InvalidParameterValue, match="malformed checkpoint"):
        app_conn.execute(
            "SELECT audit_add_checkpoint(1, %s, now(), %s, %s, %s)",
            (bytes(31), audit_log.public_key.key_id, bytes(64), [bytes(32)]),
        )


def test_the_key_door_names_a_key_by_its_hash(app_conn: psycopg.Connection[Any]) -> None:
    from gateway.audit.keys import key_id_of

    assert app_conn.execute("SELECT audit_register_key(%s)", (b"\x07" * 32,)).fetchone() == (
        key_id_of(b"\x07" * 32),
    )
    with pytest.raises(psycopg.errors.InvalidParameterValue, match="32 bytes"):
        app_conn.execute("SELECT audit_register_key(%s)", (b"\x07" * 31,))
