"""The signer trusts only the head it produced: a forged or rewritten log is never signed; it raises an alert
in the log and stops; an operator's acceptance resumes it."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import psycopg
import pytest

from gateway.audit.chain import event_hash, event_leaf
from gateway.audit.event import event_content
from gateway.audit.keys import public_key_of, read_signing_key
from gateway.audit.log import AuditLog
from gateway.audit.signer import EXTEND_CHUNK
from gateway.db.pool import create_pool
from gateway.db.urls import DatabaseUrls
from gateway.settings import AuditSettings, Settings
from tests.audit.conftest import TEMPLATE_EVENTS, sample_record


@pytest.fixture
def owner(tampered_db: DatabaseUrls) -> Iterator[psycopg.Connection[Any]]:
    """The database owner's session: the insider the signer must not trust."""
    with psycopg.connect(tampered_db.admin, autocommit=True) as conn:
        yield conn


@pytest.fixture
def audit_settings(settings: Settings, tmp_path: Path) -> AuditSettings:
    """This test's own head file; no grace for unclaimed events (the second look decides)."""
    return settings.audit.model_copy(
        update={"head_file": tmp_path / "head.json", "unclaimed_grace_seconds": 0.0, "checkpoint_every": 1000}
    )


async def _log(urls: DatabaseUrls, audit: AuditSettings) -> tuple[AuditLog, Any]:
    pool = create_pool(urls.app, 1, 4)
    await pool.open(wait=True)
    return AuditLog.from_settings(audit, pool), pool


@pytest.fixture
async def victim_log(tampered_db: DatabaseUrls, audit_settings: AuditSettings) -> AsyncIterator[AuditLog]:
    log, pool = await _log(tampered_db, audit_settings)
    try:
        yield log
    finally:
        await log.close()
        await pool.close()


def forge(owner: psycopg.Connection[Any], i: int) -> int:
    """The owner appends an event of their own through the raw append (as an insider could)."""
    content, subjects = event_content(
        sample_record(i), status=200, duration_s=0.001, occurred_at=datetime.now(UTC), subject_key=bytes(32)
    )
    row = owner.execute("SELECT seq FROM audit_append(%s, %s)", (content, subjects)).fetchone()
    assert row is not None
    return int(row[0])


def newest_checkpoint(owner: psycopg.Connection[Any]) -> int:
    row = owner.execute("SELECT max(size) FROM audit_checkpoints").fetchone()
    assert row is not None
    return int(row[0])


def alerts(owner: psycopg.Connection[Any]) -> list[tuple[str, str]]:
    rows = owner.execute("SELECT content FROM audit_events WHERE outcome = 'alert' ORDER BY seq").fetchall()
    return [(orjson.loads(r[0])["alert"], orjson.loads(r[0])["detail"]) for r in rows]


async def test_a_new_head_file_starts_from_the_newest_checkpoint_its_key_signed(
    victim_log: AuditLog, owner: psycopg.Connection[Any]
) -> None:
    assert await victim_log.checkpoint() is None  # nothing new since the template's checkpoint at 120
    head = victim_log.head.load()
    assert head is not None
    last = owner.execute("SELECT event_hash FROM audit_events WHERE seq = %s", (TEMPLATE_EVENTS,)).fetchone()
    assert last is not None
    assert (head.size, head.last_hash, head.signed_size, head.halted) == (
        TEMPLATE_EVENTS,
        bytes(last[0]),
        TEMPLATE_EVENTS,
        None,
    )


async def test_events_this_gateway_appended_are_signed(
    victim_log: AuditLog, owner: psycopg.Connection[Any]
) -> None:
    for i in range(3):
        await victim_log.append(sample_record(i), status=200, duration_s=0.001)
    made = await victim_log.checkpoint()
    assert made is not None
    assert made.size == newest_checkpoint(owner) == TEMPLATE_EVENTS + 3


async def test_an_event_forged_by_the_owner_is_never_signed_and_signing_stops(
    victim_log: AuditLog, owner: psycopg.Connection[Any]
) -> None:
    await victim_log.checkpoint()
    forged = forge(owner, 500)
    for i in range(3):
        await victim_log.append(sample_record(i), status=200, duration_s=0.001)
    assert await victim_log.checkpoint() is None  # first look: perhaps another process's claim is on its way
    assert victim_log.signer.halted is None
    assert await victim_log.checkpoint() is None  # second look, after the grace period: an alert
    reason = f"event {forged} was not produced by this gateway (unclaimed for 0 s)"
    assert victim_log.signer.halted == reason
    assert alerts(owner) == [("signer-halted", reason)]
    for i in range(3, 5):
        await victim_log.append(sample_record(i), status=200, duration_s=0.001)
    assert await victim_log.checkpoint() is None  # it stays stopped
    assert newest_checkpoint(owner) == TEMPLATE_EVENTS


async def test_signing_over_many_chunks_stops_at_a_forged_event_in_a_later_chunk(
    victim_log: AuditLog, owner: psycopg.Connection[Any]
) -> None:
    # The signer hashes EXTEND_CHUNK events between turns of the event loop; the head it reaches is the same.
    await victim_log.checkpoint()
    genuine = 2 * EXTEND_CHUNK + EXTEND_CHUNK // 2
    for i in range(genuine):
        await victim_log.append(sample_record(i), status=200, duration_s=0.001)
    forged = forge(owner, 900)
    await victim_log.append(sample_record(genuine), status=200, duration_s=0.001)
    made = await victim_log.checkpoint()  # everything before the forged event, which is still "perhaps late"
    assert made is not None
    assert made.size == forged - 1 == TEMPLATE_EVENTS + genuine
    assert victim_log.signer.halted is None
    assert await victim_log.checkpoint() is None
    assert victim_log.signer.halted == f"event {forged} was not produced by this gateway (unclaimed for 0 s)"


async def test_a_late_claim_from_another_process_within_the_grace_period_is_trusted(
    tampered_db: DatabaseUrls, audit_settings: AuditSettings, owner: psycopg.Connection[Any]
) -> None:
    patient = audit_settings.model_copy(update={"unclaimed_grace_seconds": 3600.0})
    first, first_pool = await _log(tampered_db, patient)
    second, second_pool = await _log(tampered_db, patient)
    try:
        await first.checkpoint()
        done = await second.append(sample_record(1), status=200, duration_s=0.001)
        claims = second.head.claims()
        second.head.claims_path.unlink()  # as if its claim had not reached the journal yet
        assert await first.checkpoint() is None
        assert first.head.load().suspect_seq == done.seq  # type: ignore[union-attr]
        second.head.record(sorted(claims))  # ...and now it has
        made = await first.checkpoint()
        assert made is not None
        assert made.size == done.seq
        assert first.signer.halted is None
        assert alerts(owner) == []
    finally:
        for log, pool in ((first, first_pool), (second, second_pool)):
            await log.close()
            await pool.close()


async def test_history_rewritten_below_the_head_stops_signing_at_once(
    victim_log: AuditLog, owner: psycopg.Connection[Any]
) -> None:
    await victim_log.checkpoint()
    owner.execute("ALTER TABLE audit_events DISABLE TRIGGER ALL")
    row = owner.execute(
        "SELECT prev_hash, content FROM audit_events WHERE seq = %s", (TEMPLATE_EVENTS,)
    ).fetchone()
    assert row is not None
    content = row[1].replace('"status":200', '"status":204').replace('"status":403', '"status":404')
    new = event_hash(bytes(row[0]), TEMPLATE_EVENTS, content)
    owner.execute(
        "UPDATE audit_events SET content = %s, event_hash = %s, leaf_hash = %s WHERE seq = %s",
        (content, new, event_leaf(new), TEMPLATE_EVENTS),
    )
    owner.execute("ALTER TABLE audit_events ENABLE ALWAYS TRIGGER audit_events_append_only")
    assert await victim_log.checkpoint() is None
    reason = f"event {TEMPLATE_EVENTS} no longer has the hash this signer recorded"
    assert victim_log.signer.halted == reason
    assert alerts(owner) == [("signer-halted", reason)]


async def test_a_head_file_that_goes_back_stops_signing(
    victim_log: AuditLog, owner: psycopg.Connection[Any]
) -> None:
    await victim_log.checkpoint()
    saved = victim_log.head.path.read_bytes()
    await victim_log.append(sample_record(1), status=200, duration_s=0.001)
    await victim_log.checkpoint()
    victim_log.head.path.write_bytes(saved)  # someone restores the older head file
    assert await victim_log.checkpoint() is None
    reason = f"the head file went back from size {TEMPLATE_EVENTS + 1} to {TEMPLATE_EVENTS}"
    assert victim_log.signer.halted == reason
    assert alerts(owner) == [("signer-halted", reason)]


async def test_an_operator_can_accept_the_head_after_review(
    victim_log: AuditLog, owner: psycopg.Connection[Any]
) -> None:
    await victim_log.checkpoint()
    forged = forge(owner, 500)
    await victim_log.checkpoint()
    await victim_log.checkpoint()
    assert victim_log.signer.halted is not None
    old, new = await victim_log.signer.accept()
    assert (old, new) == (TEMPLATE_EVENTS, forged + 1)  # the forged event and the alert about it
    assert victim_log.signer.halted is None
    await victim_log.append(sample_record(1), status=200, duration_s=0.001)
    made = await victim_log.checkpoint()
    assert made is not None
    assert made.size == forged + 3  # + the acceptance, recorded in the log, + the new event
    assert [kind for kind, _ in alerts(owner)] == ["signer-halted", "head-accepted"]
    assert (
        alerts(owner)[1][1]
        == f"an operator accepted events {TEMPLATE_EVENTS + 1}..{forged + 1} as the trusted head"
    )


async def test_acceptance_is_refused_when_the_events_do_not_chain(
    victim_log: AuditLog, owner: psycopg.Connection[Any]
) -> None:
    await victim_log.checkpoint()
    forged = forge(owner, 500)
    owner.execute("ALTER TABLE audit_events DISABLE TRIGGER ALL")
    owner.execute("UPDATE audit_events SET content = content || ' ' WHERE seq = %s", (forged,))
    owner.execute("ALTER TABLE audit_events ENABLE ALWAYS TRIGGER audit_events_append_only")
    with pytest.raises(ValueError, match=f"event {forged} does not chain from the head this signer recorded"):
        await victim_log.signer.accept()


async def test_a_signer_with_a_new_key_trusts_checkpoints_of_the_key_it_replaced(
    tampered_db: DatabaseUrls, audit_settings: AuditSettings, settings: Settings, tmp_path: Path
) -> None:
    old_key = read_signing_key(settings.audit.signing_key_file)
    retired = tmp_path / "retired.json"
    retired.write_bytes(orjson.dumps({"keys": [public_key_of(old_key).as_dict()]}))
    rotated = audit_settings.model_copy(
        update={"signing_key_file": tmp_path / "new-key.pem", "unclaimed_grace_seconds": 3600.0}
    )
    for retired_file, trusted in ((None, 0), (retired, TEMPLATE_EVENTS)):
        shutil.rmtree(tmp_path / "state", ignore_errors=True)
        audit = rotated.model_copy(
            update={"retired_keys_file": retired_file, "head_file": tmp_path / "state" / "h"}
        )
        log, pool = await _log(tampered_db, audit)
        try:
            await log.register_key()
            await log.checkpoint()
            head = log.head.load()
            assert head is not None
            assert (head.size, head.suspect_seq) == (trusted, None if trusted else 1)
            assert log.published_keys()["keys"] == [
                k.as_dict()
                for k in ([] if retired_file is None else [public_key_of(old_key)]) + [log.public_key]
            ]
        finally:
            await log.close()
            await pool.close()


async def test_a_deleted_head_file_is_written_again_from_memory(victim_log: AuditLog) -> None:
    await victim_log.append(sample_record(1), status=200, duration_s=0.001)
    await victim_log.checkpoint()
    victim_log.head.path.unlink()
    await victim_log.append(sample_record(2), status=200, duration_s=0.001)
    made = await victim_log.checkpoint()
    assert made is not None
    assert made.size == TEMPLATE_EVENTS + 2
    assert victim_log.signer.halted is None


@pytest.mark.parametrize("rehash", [False, True])
async def test_a_new_head_file_refuses_events_that_do_not_reproduce_the_signed_checkpoint(
    victim_log: AuditLog, owner: psycopg.Connection[Any], rehash: bool
) -> None:
    owner.execute("ALTER TABLE audit_events DISABLE TRIGGER ALL")
    rows = owner.execute(
        "SELECT seq, content, prev_hash FROM audit_events WHERE seq >= 37 ORDER BY seq"
    ).fetchall()
    prev = bytes(rows[0][2])
    for seq, content, _ in rows if rehash else rows[:1]:
        content = content + " " if seq == 37 else content
        new = event_hash(prev, seq, content) if rehash else bytes(32)
        owner.execute(
            "UPDATE audit_events SET content = %s, prev_hash = %s, event_hash = %s WHERE seq = %s",
            (content, prev, new, seq),
        )
        prev = new
    owner.execute("ALTER TABLE audit_events ENABLE ALWAYS TRIGGER audit_events_append_only")
    assert await victim_log.checkpoint() is None
    reason = (
        f"the stored events do not give the root signed at {TEMPLATE_EVENTS}"
        if rehash
        else f"event 37 does not match the signed checkpoint at {TEMPLATE_EVENTS}"
    )
    assert victim_log.signer.halted == reason
    assert alerts(owner) == [("signer-halted", reason)]


async def test_the_first_signature_at_a_size_stands(
    tampered_db: DatabaseUrls, audit_settings: AuditSettings, owner: psycopg.Connection[Any], tmp_path: Path
) -> None:
    first, first_pool = await _log(tampered_db, audit_settings)
    other = audit_settings.model_copy(update={"head_file": tmp_path / "other" / "head.json"})
    second, second_pool = await _log(tampered_db, other)
    try:
        await first.checkpoint()
        await second.checkpoint()
        done = await first.append(sample_record(1), status=200, duration_s=0.001)
        second.head.record(sorted(first.head.claims()))  # both hosts' journals hold the claim
        made = await second.checkpoint()
        assert made is not None
        assert await first.checkpoint() is None  # the same size: the stored checkpoint is the other's
        row = owner.execute("SELECT signature FROM audit_checkpoints WHERE size = %s", (done.seq,)).fetchone()
        assert row == (made.signature,)
        assert first.head.load().signed_size == done.seq  # type: ignore[union-attr]
    finally:
        for log, pool in ((first, first_pool), (second, second_pool)):
            await log.close()
            await pool.close()


async def test_the_head_file_keeps_the_furthest_head_and_any_halt(victim_log: AuditLog) -> None:
    from dataclasses import replace

    await victim_log.checkpoint()
    store, signer = victim_log.head, victim_log.signer
    furthest = store.load()
    assert furthest is not None
    behind = replace(furthest, size=0, last_hash=bytes(32), frontier=())
    signer._save(behind)  # another process had already got further: its head stays
    assert store.load() == furthest
    store.save(replace(furthest, halted="stopped elsewhere"))
    signer._save(furthest)  # a halt set by another process is never cleared by a save
    assert store.load().halted == "stopped elsewhere"  # type: ignore[union-attr]


async def test_a_crossing_already_passed_by_another_process_signs_nothing_and_alarms_no_one(
    victim_log: AuditLog,
) -> None:
    await victim_log.checkpoint()  # the trusted head is at the template's 120
    assert await victim_log.signer.sign(upto=50) is None  # a crossing at 50, reported late
    assert victim_log.signer.halted is None
    assert victim_log.head.load().size == TEMPLATE_EVENTS  # type: ignore[union-attr]
