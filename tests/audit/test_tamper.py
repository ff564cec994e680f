"""Tampering with the stored log as superuser (triggers disabled first) is detected and located."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner

from gateway.audit.chain import event_hash, event_leaf
from gateway.audit.cli import audit, verify_database, verify_export
from gateway.audit.reader import write_export
from gateway.audit.verify import Report
from gateway.db.urls import DatabaseUrls
from gateway.settings import Settings
from tests.audit.conftest import TEMPLATE_EVENTS


@pytest.fixture
def attacker(tampered_db: DatabaseUrls) -> Iterator[psycopg.Connection[Any]]:
    """A superuser session that has switched off the append-only triggers, as an attacker would."""
    with psycopg.connect(tampered_db.admin, autocommit=True) as conn:
        for table in ("audit_events", "audit_subjects", "audit_checkpoints"):
            conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
        yield conn


def _verify(conn: psycopg.Connection[Any]) -> Report:
    return verify_database(conn)


def _kinds(report: Report) -> list[str]:
    return sorted({f.kind for f in report.findings})


def test_untouched_log_verifies(attacker: psycopg.Connection[Any]) -> None:
    report = _verify(attacker)
    assert report.ok, report.findings
    assert (report.events, report.checkpoints) == (TEMPLATE_EVENTS, 3)


def test_edited_event_is_named(attacker: psycopg.Connection[Any]) -> None:
    attacker.execute(
        "UPDATE audit_events SET content = replace(content, '\"status\":200', '\"status\":204') WHERE seq = 37"
    )
    report = _verify(attacker)
    assert report.first_bad_seq == 37
    assert _kinds(report) == ["content-altered", "root-mismatch"]
    assert [f.checkpoint_size for f in report.findings if f.kind == "root-mismatch"] == [50, 100, 120]


def test_deleted_event_is_named(attacker: psycopg.Connection[Any]) -> None:
    attacker.execute("DELETE FROM audit_subjects WHERE seq = 61")
    attacker.execute("DELETE FROM audit_events WHERE seq = 61")
    report = _verify(attacker)
    assert report.first_bad_seq == 61
    assert "missing-events" in _kinds(report)
    assert report.findings[0].detail == "events 61 are missing before event 62"


def test_reordered_events_are_named(attacker: psycopg.Connection[Any]) -> None:
    attacker.execute("UPDATE audit_subjects SET seq = 41 - seq WHERE seq IN (20, 21)")
    attacker.execute("UPDATE audit_events SET seq = 1000000 WHERE seq = 20")
    attacker.execute("UPDATE audit_events SET seq = 20 WHERE seq = 21")
    attacker.execute("UPDATE audit_events SET seq = 21 WHERE seq = 1000000")
    report = _verify(attacker)
    assert report.first_bad_seq == 20
    assert {f.seq for f in report.findings if f.kind == "content-altered"} == {20, 21}


def test_truncated_tail_is_detected(attacker: psycopg.Connection[Any]) -> None:
    attacker.execute("DELETE FROM audit_subjects WHERE seq > 110")
    attacker.execute("DELETE FROM audit_events WHERE seq > 110")
    report = _verify(attacker)
    assert report.first_bad_seq == 111
    assert _kinds(report) == ["truncated"]


def test_rehashed_rewrite_is_caught_by_the_signed_checkpoints(attacker: psycopg.Connection[Any]) -> None:
    """An attacker who edits an event and recomputes every later hash still cannot re-sign the roots."""
    rows = attacker.execute(
        "SELECT seq, content, prev_hash FROM audit_events WHERE seq >= 37 ORDER BY seq"
    ).fetchall()
    prev = bytes(rows[0][2])
    for seq, content, _ in rows:
        if seq == 37:
            content = content.replace('"status":200', '"status":204')
        new = event_hash(prev, seq, content)
        attacker.execute(
            "UPDATE audit_events SET content = %s, prev_hash = %s, event_hash = %s, leaf_hash = %s WHERE seq = %s",
            (content, prev, new, event_leaf(new), seq),
        )
        prev = new
    report = _verify(attacker)
    root_findings = [f for f in report.findings if f.kind == "root-mismatch"]
    assert [f.checkpoint_size for f in root_findings] == [50, 100, 120]
    assert root_findings[0].detail.endswith("the change lies in events 1..50")


def test_forged_checkpoint_signature_is_detected(attacker: psycopg.Connection[Any]) -> None:
    attacker.execute(
        "UPDATE audit_checkpoints SET signature = decode(repeat('00', 64), 'hex') WHERE size = 100"
    )
    report = _verify(attacker)
    assert [(f.kind, f.checkpoint_size) for f in report.findings] == [("bad-signature", 100)]


def test_edited_search_column_is_named(attacker: psycopg.Connection[Any]) -> None:
    attacker.execute("UPDATE audit_events SET organisation = 'LA-999' WHERE seq = 12")
    report = _verify(attacker)
    assert [(f.kind, f.seq) for f in report.findings] == [("columns-altered", 12)]


def test_removed_subject_index_entry_is_named(attacker: psycopg.Connection[Any]) -> None:
    attacker.execute("DELETE FROM audit_subjects WHERE seq = 8")
    report = _verify(attacker)
    assert [(f.kind, f.seq) for f in report.findings] == [("index-altered", 8)]


def test_edited_export_line_is_named(attacker: psycopg.Connection[Any], tmp_path: Path) -> None:
    export = tmp_path / "audit.ndjson"
    assert write_export(attacker, export) == TEMPLATE_EVENTS
    assert verify_export(export).ok
    lines = export.read_text().splitlines()
    for i, line in enumerate(lines):
        item = json.loads(line)
        if item.get("seq") == 90:
            item["content"] = item["content"].replace('"rows_returned":5', '"rows_returned":500')
            lines[i] = json.dumps(item, separators=(",", ":"))
    export.write_text("\n".join(lines) + "\n")
    report = verify_export(export)
    assert report.first_bad_seq == 90


def test_cli_names_the_first_bad_event_and_fails(
    attacker: psycopg.Connection[Any], tampered_db: DatabaseUrls, settings: Settings
) -> None:
    attacker.execute("UPDATE audit_events SET content = content || ' ' WHERE seq = 44")
    victim = settings.model_copy(update={"database_name": f"{settings.database_name}_audit_victim"})
    result = CliRunner().invoke(audit, ["verify"], obj=victim)
    assert result.exit_code == 1
    assert "FAILED: first bad event is 44" in result.output
    assert "content-altered: event 44: content does not match its hash" in result.output


def test_parallel_verifier_accepts_an_untouched_log(tampered_db: DatabaseUrls) -> None:
    from gateway.audit.parallel import verify_database_parallel

    report = verify_database_parallel(tampered_db.admin, workers=2, chunk=16)
    assert report.ok, report.findings
    assert (report.events, report.checkpoints) == (TEMPLATE_EVENTS, 3)


@pytest.mark.parametrize(
    ("attack", "first_bad"),
    [
        ("UPDATE audit_events SET content = content || ' ' WHERE seq = 37", 37),
        ("DELETE FROM audit_events WHERE seq = 33", 33),  # the first event of a chunk of 16
        ("UPDATE audit_events SET prev_hash = event_hash WHERE seq = 49", 49),
    ],
)
def test_parallel_verifier_names_the_same_first_bad_event(
    attacker: psycopg.Connection[Any], tampered_db: DatabaseUrls, attack: str, first_bad: int
) -> None:
    from gateway.audit.parallel import verify_database_parallel

    attacker.execute(attack)
    report = verify_database_parallel(tampered_db.admin, workers=2, chunk=16)
    assert report.first_bad_seq == first_bad
    assert report.first_bad_seq == _verify(attacker).first_bad_seq


def _rehash_from(attacker: psycopg.Connection[Any], first: int) -> None:
    rows = attacker.execute(
        "SELECT seq, content, prev_hash FROM audit_events WHERE seq >= %s ORDER BY seq", (first,)
    ).fetchall()
    prev = bytes(rows[0][2])
    for seq, content, _ in rows:
        content = content + " " if seq == first else content
        new = event_hash(prev, seq, content)
        attacker.execute(
            "UPDATE audit_events SET content = %s, prev_hash = %s, event_hash = %s, leaf_hash = %s WHERE seq = %s",
            (content, prev, new, event_leaf(new), seq),
        )
        prev = new


@pytest.mark.parametrize("attack", ["rehash", "truncate"])
def test_parallel_verifier_reports_what_the_sequential_walk_reports(
    attacker: psycopg.Connection[Any], tampered_db: DatabaseUrls, attack: str
) -> None:
    from gateway.audit.parallel import verify_database_parallel

    if attack == "rehash":
        _rehash_from(attacker, 61)  # every chunk and link is consistent; only the signed roots disagree
    else:
        attacker.execute("DELETE FROM audit_subjects WHERE seq > 110")
        attacker.execute("DELETE FROM audit_events WHERE seq > 110")
    parallel = verify_database_parallel(tampered_db.admin, workers=2, chunk=16)
    sequential = _verify(attacker)
    assert [f.as_dict() for f in parallel.findings] == [f.as_dict() for f in sequential.findings]
    assert _kinds(parallel) == (["root-mismatch"] if attack == "rehash" else ["truncated"])


def test_parallel_verifier_checks_cosignatures(
    tampered_db: DatabaseUrls, settings: Settings, tmp_path: Path
) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from gateway.audit.keys import public_key_of, read_signing_key
    from gateway.audit.parallel import verify_database_parallel
    from gateway.audit.witness import witness_once

    key = public_key_of(read_signing_key(settings.audit.signing_key_file))
    witness = Ed25519PrivateKey.generate()
    with psycopg.connect(tampered_db.app, autocommit=True) as conn:
        assert witness_once(conn, witness, {key.key_id: key}, tmp_path / "w.json").status == "cosigned"
    witnesses = {public_key_of(witness).key_id: public_key_of(witness)}
    report = verify_database_parallel(tampered_db.admin, {key.key_id: key}, chunk=16, witness_keys=witnesses)
    assert (report.ok, report.signed_size, report.witnessed_size) == (True, TEMPLATE_EVENTS, TEMPLATE_EVENTS)
    with psycopg.connect(tampered_db.admin, autocommit=True) as owner:
        owner.execute("ALTER TABLE audit_cosignatures DISABLE TRIGGER ALL")
        owner.execute("UPDATE audit_cosignatures SET root = decode(repeat('00', 32), 'hex')")
    forged = verify_database_parallel(tampered_db.admin, {key.key_id: key}, chunk=16, witness_keys=witnesses)
    assert [(f.kind, f.checkpoint_size) for f in forged.findings] == [
        ("bad-cosignature", TEMPLATE_EVENTS),
        ("root-mismatch", TEMPLATE_EVENTS),
    ]


def test_a_failure_while_reading_the_log_reaches_the_verifier(settings: Settings) -> None:
    from gateway.audit.reader import db_events
    from gateway.db.urls import start_embedded

    server = start_embedded(settings.pg_data_dir)  # its `postgres` database has no audit tables
    with (
        psycopg.connect(server, autocommit=True) as conn,
        pytest.raises(psycopg.errors.UndefinedTable, match="audit_events"),
    ):
        list(db_events(conn))
