"""Keys are pinned, never read back from the database they protect: a full rewrite re-signed with a key the
owner slipped into audit_keys fails verification, the keys route serves only the configured keys, and the
verifier says loudly when nothing is pinned."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from litestar import Litestar
from litestar.testing import TestClient

from gateway.audit.chain import event_hash, event_leaf
from gateway.audit.checkpoint import sign_checkpoint
from gateway.audit.cli import UNPINNED_WARNING, audit, verify_database
from gateway.audit.keys import public_key_of, read_signing_key
from gateway.audit.merkle import Frontier
from gateway.audit.reader import write_export
from gateway.db.urls import DatabaseUrls
from gateway.settings import Settings
from tests.audit.conftest import TEMPLATE_EVENTS
from tests.audit.test_signer import forge


@pytest.fixture
def attacker(tampered_db: DatabaseUrls) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(tampered_db.admin, autocommit=True) as conn:
        for table in ("audit_events", "audit_checkpoints"):
            conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
        yield conn


@pytest.fixture
def victim_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"database_name": f"{settings.database_name}_audit_victim"})


def resign_everything(conn: psycopg.Connection[Any]) -> str:
    """Edit event 37, rehash every later event, replace every checkpoint with one signed by a key of the
    attacker's own, registered in audit_keys: the issue's full rewrite. Returns the attacker's key id."""
    rows = conn.execute("SELECT seq, content, prev_hash FROM audit_events ORDER BY seq").fetchall()
    key = Ed25519PrivateKey.generate()
    public = public_key_of(key)
    prev, tree, signed = bytes(rows[0][2]), Frontier(), []
    for seq, content, _ in rows:
        if seq == 37:
            content = content.replace('"status":200', '"status":204').replace('"status":403', '"status":404')
        new = event_hash(prev, seq, content)
        conn.execute(
            "UPDATE audit_events SET content = %s, prev_hash = %s, event_hash = %s, leaf_hash = %s WHERE seq = %s",
            (content, prev, new, event_leaf(new), seq),
        )
        tree.append(event_leaf(new))
        if seq in (50, 100, TEMPLATE_EVENTS):
            signed.append((sign_checkpoint(key, seq, tree.root(), datetime.now(UTC)), list(tree.hashes)))
        prev = new
    conn.execute("DELETE FROM audit_checkpoints")
    conn.execute("SELECT audit_register_key(%s)", (public.public_key,))
    for cp, frontier in signed:
        conn.execute(
            "INSERT INTO audit_checkpoints (size, root, signed_at, key_id, signature, frontier)"
            " VALUES (%s, %s, %s, %s, %s, %s)",
            (cp.size, cp.root, cp.signed_at, cp.key_id, cp.signature, frontier),
        )
    return public.key_id


def test_a_resigned_rewrite_passes_only_when_nothing_is_pinned(
    attacker: psycopg.Connection[Any], victim_settings: Settings, tmp_path: Path
) -> None:
    resign_everything(attacker)
    unpinned = verify_database(attacker)
    assert (unpinned.ok, unpinned.keys_pinned) == (True, False)  # what the issue found: it proves nothing
    runner = CliRunner()
    configured = runner.invoke(audit, ["verify"], obj=victim_settings)
    assert configured.exit_code == 1
    assert "gateway keys: 1 configured" in configured.stdout
    assert configured.stdout.count("bad-signature: checkpoint at size") == 3
    real = public_key_of(read_signing_key(victim_settings.audit.signing_key_file))
    by_fingerprint = runner.invoke(audit, ["verify", "--fingerprint", real.fingerprint], obj=victim_settings)
    assert by_fingerprint.exit_code == 1
    # The real key is in the table too: pinned by its fingerprint, it is the only one trusted.
    assert "gateway keys: 1 pinned by fingerprint" in by_fingerprint.stdout
    keys_file = tmp_path / "keys.json"
    keys_file.write_text(json.dumps({"keys": [real.as_dict()]}))
    by_file = runner.invoke(audit, ["verify", "--keys", str(keys_file)], obj=victim_settings)
    assert by_file.exit_code == 1
    assert "gateway keys: 1 pinned by file" in by_file.stdout


def test_without_pinned_keys_the_verifier_says_it_proves_nothing(
    tampered_db: DatabaseUrls, victim_settings: Settings, tmp_path: Path
) -> None:
    elsewhere = victim_settings.model_copy(
        update={
            "audit": victim_settings.audit.model_copy(update={"signing_key_file": tmp_path / "absent.pem"})
        }
    )
    result = CliRunner().invoke(audit, ["verify"], obj=elsewhere)
    assert result.exit_code == 0
    assert UNPINNED_WARNING in result.stderr
    assert "gateway keys: none pinned" in result.stdout
    as_json = CliRunner().invoke(audit, ["verify", "--json"], obj=elsewhere)
    assert json.loads(as_json.stdout)["keys_pinned"] is False


def test_events_after_the_last_checkpoint_are_reported_unsigned(
    tampered_db: DatabaseUrls, victim_settings: Settings
) -> None:
    with psycopg.connect(tampered_db.admin, autocommit=True) as owner:
        for i in range(3):
            forge(owner, 700 + i)
    result = CliRunner().invoke(audit, ["verify", "--json"], obj=victim_settings)
    report = json.loads(result.stdout)
    assert (report["ok"], report["signed_size"], report["unsigned_events"]) == (True, TEMPLATE_EVENTS, 3)
    text = CliRunner().invoke(audit, ["verify"], obj=victim_settings)
    assert (
        f"unsigned: events {TEMPLATE_EVENTS + 1}..{TEMPLATE_EVENTS + 3} (3) come after the newest verified"
        " checkpoint" in text.stdout
    )


def test_a_bad_key_in_an_export_is_a_finding(
    tampered_db: DatabaseUrls, victim_settings: Settings, tmp_path: Path
) -> None:
    export = tmp_path / "audit.ndjson"
    with psycopg.connect(tampered_db.admin, autocommit=True) as conn:
        write_export(conn, export)
    lines = export.read_text().splitlines()
    key_line = next(i for i, line in enumerate(lines) if '"type":"key"' in line)
    item = json.loads(lines[key_line])
    lines[key_line] = json.dumps({**item, "key_id": "0000000000000000"})
    export.write_text("\n".join(lines) + "\n")
    real = public_key_of(read_signing_key(victim_settings.audit.signing_key_file))
    result = CliRunner().invoke(audit, ["verify", "--export", str(export), "--fingerprint", real.fingerprint])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert (
        f"bad-key: export line {key_line + 1} cannot be read: key id '0000000000000000' does not match its"
        " public key" in result.stdout
    )


def test_a_key_in_an_export_can_be_pinned_by_fingerprint(
    tampered_db: DatabaseUrls, victim_settings: Settings, tmp_path: Path
) -> None:
    export = tmp_path / "audit.ndjson"
    with psycopg.connect(tampered_db.admin, autocommit=True) as conn:
        write_export(conn, export)
    real = public_key_of(read_signing_key(victim_settings.audit.signing_key_file))
    result = CliRunner().invoke(
        audit, ["verify", "--export", str(export), "--fingerprint", real.fingerprint.upper()]
    )
    assert result.exit_code == 0, result.output
    assert "gateway keys: 1 pinned by fingerprint" in result.stdout
    assert UNPINNED_WARNING not in result.stderr


def test_the_keys_route_serves_the_configured_keys_never_the_table(
    probe_client: TestClient[Litestar], admin_conn: psycopg.Connection[Any], settings: Settings
) -> None:
    intruder = public_key_of(Ed25519PrivateKey.generate())
    admin_conn.execute("SELECT audit_register_key(%s)", (intruder.public_key,))
    body = probe_client.get("/v1/audit/keys").json()
    real = public_key_of(read_signing_key(settings.audit.signing_key_file))
    assert body == {"keys": [real.as_dict()], "current": real.key_id, "witnesses": []}
    assert body["keys"][0]["fingerprint"] == real.fingerprint
