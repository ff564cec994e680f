"""Appends are sequenced and chained in the database exactly as the verifier recomputes them."""

from __future__ import annotations

from typing import Any

import psycopg

from gateway.audit.chain import GENESIS, event_hash, event_leaf
from gateway.audit.checkpoint import Checkpoint, verify_checkpoint
from gateway.audit.log import AuditLog
from gateway.audit.merkle import root_of
from tests.audit.conftest import append_samples


def _rows(conn: psycopg.Connection[Any], first: int, last: int) -> list[tuple[Any, ...]]:
    return conn.execute(
        "SELECT seq, content, prev_hash, event_hash, leaf_hash FROM audit_events"
        " WHERE seq BETWEEN %s AND %s ORDER BY seq",
        (first, last),
    ).fetchall()


async def test_appends_get_consecutive_positions(audit_log: AuditLog) -> None:
    seqs = await append_samples(audit_log, 5)
    assert seqs == list(range(seqs[0], seqs[0] + 5))


async def test_database_hashes_equal_the_python_chain(
    audit_log: AuditLog, admin_conn: psycopg.Connection[Any]
) -> None:
    seqs = await append_samples(audit_log, 4)
    rows = _rows(admin_conn, seqs[0] - 1 if seqs[0] > 1 else 1, seqs[-1])
    prev = GENESIS if rows[0][0] == 1 else bytes(rows[0][3])
    for seq, content, stored_prev, stored_event, stored_leaf in rows[(0 if rows[0][0] == 1 else 1) :]:
        assert bytes(stored_prev) == prev
        assert bytes(stored_event) == event_hash(prev, seq, content)
        assert bytes(stored_leaf) == event_leaf(bytes(stored_event))
        prev = bytes(stored_event)


async def test_checkpoint_is_signed_after_the_batch_that_crosses_every_n_events(
    audit_log: AuditLog, admin_conn: psycopg.Connection[Any]
) -> None:
    await audit_log.checkpoint()  # start from a signed head
    every = audit_log.checkpoint_every
    head = admin_conn.execute("SELECT max(seq) FROM audit_events").fetchone()
    assert head is not None
    to_next = every - head[0] % every
    appended = [await audit_log.append(_record(i), status=200, duration_s=0.001) for i in range(to_next)]
    await audit_log.signing_idle()
    sizes = [r[0] for r in admin_conn.execute("SELECT size FROM audit_checkpoints WHERE size > %s", head)]
    assert sizes == [appended[-1].seq]
    row = admin_conn.execute(
        "SELECT size, root, signed_at, key_id, signature FROM audit_checkpoints WHERE size = %s", (sizes[0],)
    ).fetchone()
    assert row is not None
    checkpoint = Checkpoint(int(row[0]), bytes(row[1]), row[2], str(row[3]), bytes(row[4]))
    leaves = [bytes(r[0]) for r in admin_conn.execute("SELECT leaf_hash FROM audit_events ORDER BY seq")]
    assert checkpoint.root == root_of(leaves, 0, checkpoint.size)
    assert verify_checkpoint(checkpoint, {audit_log.public_key.key_id: audit_log.public_key})


async def test_timed_checkpoint_signs_the_current_head_once(
    audit_log: AuditLog, admin_conn: psycopg.Connection[Any]
) -> None:
    await append_samples(audit_log, 3)
    made = await audit_log.checkpoint()
    again = await audit_log.checkpoint()
    assert await audit_log._sign_logged() is None  # the timer's path: nothing new, nothing logged
    head = admin_conn.execute("SELECT max(seq) FROM audit_events").fetchone()
    assert made is not None
    assert (made.size,) == head
    assert again is None


def _record(i: int) -> Any:
    from tests.audit.conftest import sample_record

    return sample_record(i)


async def test_timer_signs_a_checkpoint_every_t_seconds(
    audit_log: AuditLog, admin_conn: psycopg.Connection[Any]
) -> None:
    import asyncio

    audit_log.checkpoint_seconds = 0.05
    await append_samples(audit_log, 2)
    timer = asyncio.create_task(audit_log.run_checkpoints())
    try:
        for _ in range(100):
            await asyncio.sleep(0.05)
            latest = admin_conn.execute("SELECT max(size) FROM audit_checkpoints").fetchone()
            head = admin_conn.execute("SELECT max(seq) FROM audit_events").fetchone()
            if latest == head:
                break
    finally:
        timer.cancel()
    assert latest == head


async def test_crossings_during_a_signature_are_each_signed_after_it(
    settings: Any, db_urls: Any, admin_conn: psycopg.Connection[Any]
) -> None:
    from gateway.db.pool import create_pool

    pool = create_pool(db_urls.app, 1, 4)
    await pool.open(wait=True)
    log = AuditLog.from_settings(settings.audit.model_copy(update={"checkpoint_every": 1}), pool)
    try:
        await log.checkpoint()
        async with log.signer._lock:  # a signature is being made
            first = await log.append(_record(1), status=200, duration_s=0.001)
            second = await log.append(_record(2), status=200, duration_s=0.001)
        await log.signing_idle()
        sizes = [
            r[0]
            for r in admin_conn.execute("SELECT size FROM audit_checkpoints WHERE size >= %s", (first.seq,))
        ]
        assert sizes == [first.seq, second.seq]
    finally:
        await log.close()
        await pool.close()


async def test_a_checkpoint_that_cannot_be_stored_is_logged_and_signed_later(
    audit_log: AuditLog, admin_conn: psycopg.Connection[Any], settings: Any
) -> None:
    from structlog.testing import capture_logs

    function = "audit_add_checkpoint(bigint, bytea, timestamptz, text, bytea, bytea[])"
    await audit_log.append(_record(1), status=200, duration_s=0.001)
    admin_conn.execute(f"REVOKE EXECUTE ON FUNCTION {function} FROM {settings.app_db_role}")
    try:
        with capture_logs() as logs:
            await audit_log._sign_logged()
    finally:
        admin_conn.execute(f"GRANT EXECUTE ON FUNCTION {function} TO {settings.app_db_role}")
    assert logs == [
        {"event": "audit_checkpoint_failed", "error_type": "InsufficientPrivilege", "log_level": "error"}
    ]
    made = await audit_log.checkpoint()
    head = admin_conn.execute("SELECT max(seq) FROM audit_events").fetchone()
    assert made is not None
    assert (made.size,) == head


async def test_an_alert_that_cannot_be_recorded_is_logged(audit_log: AuditLog) -> None:
    from structlog.testing import capture_logs

    await audit_log.writer.close()
    with capture_logs() as logs:
        await audit_log.alert("signer-halted", "test reason")
    assert logs == [
        {"event": "audit_alert", "alert": "signer-halted", "detail": "test reason", "log_level": "error"},
        {
            "event": "audit_alert_not_recorded",
            "alert": "signer-halted",
            "error_type": "AuditUnavailableError",
            "log_level": "error",
        },
    ]
