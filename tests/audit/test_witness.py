"""The witness co-signs only checkpoints signed by a pinned gateway key whose tree extends the last one it
co-signed; the verifier checks both signatures."""

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

from gateway.audit.chain import event_hash, event_leaf
from gateway.audit.checkpoint import sign_checkpoint
from gateway.audit.cli import audit, verify_database
from gateway.audit.keys import PublicKey, public_key_of, read_signing_key
from gateway.audit.log import AuditLog
from gateway.audit.merkle import root_of
from gateway.audit.witness import WitnessState, witness_once
from gateway.db.pool import create_pool
from gateway.db.urls import DatabaseUrls
from gateway.settings import Settings
from tests.audit.conftest import TEMPLATE_EVENTS, sample_record
from tests.audit.test_pinning import resign_everything

WITNESS = Ed25519PrivateKey.generate()
WITNESS_KEYS = {public_key_of(WITNESS).key_id: public_key_of(WITNESS)}


@pytest.fixture
def gateway_keys(settings: Settings) -> dict[str, PublicKey]:
    key = public_key_of(read_signing_key(settings.audit.signing_key_file))
    return {key.key_id: key}


@pytest.fixture
def witness_conn(tampered_db: DatabaseUrls) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(tampered_db.app, autocommit=True) as conn:
        yield conn


@pytest.fixture
def owner(tampered_db: DatabaseUrls) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(tampered_db.admin, autocommit=True) as conn:
        yield conn


async def _gateway_appends(settings: Settings, urls: DatabaseUrls, head_file: Path, count: int) -> int:
    pool = create_pool(urls.app, 1, 2)
    await pool.open(wait=True)
    log = AuditLog.from_settings(settings.audit.model_copy(update={"head_file": head_file}), pool)
    try:
        for i in range(count):
            await log.append(sample_record(i), status=200, duration_s=0.001)
        made = await log.checkpoint()
        assert made is not None
        return made.size
    finally:
        await log.close()
        await pool.close()


async def test_the_witness_cosigns_consistent_checkpoints_one_after_another(
    settings: Settings,
    tampered_db: DatabaseUrls,
    witness_conn: psycopg.Connection[Any],
    owner: psycopg.Connection[Any],
    gateway_keys: dict[str, PublicKey],
    tmp_path: Path,
) -> None:
    state = tmp_path / "witness.json"
    first = witness_once(witness_conn, WITNESS, gateway_keys, state)
    assert (first.status, first.size) == ("cosigned", TEMPLATE_EVENTS)
    size = await _gateway_appends(settings, tampered_db, tmp_path / "head.json", 5)
    second = witness_once(witness_conn, WITNESS, gateway_keys, state)
    assert (second.status, second.size) == ("cosigned", size)
    assert WitnessState.load(state).size == size
    again = witness_once(witness_conn, WITNESS, gateway_keys, state)
    assert (again.status, again.detail) == ("already-cosigned", f"size {size} is already co-signed")
    report = verify_database(owner, gateway_keys, witness_keys=WITNESS_KEYS)
    assert report.findings == []
    assert (report.cosignatures, report.witnessed_size) == (2, size)


def test_the_witness_refuses_a_checkpoint_no_pinned_key_signed(
    witness_conn: psycopg.Connection[Any],
    owner: psycopg.Connection[Any],
    gateway_keys: dict[str, PublicKey],
    tmp_path: Path,
) -> None:
    for table in ("audit_events", "audit_checkpoints"):
        owner.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
    resign_everything(owner)
    result = witness_once(witness_conn, WITNESS, gateway_keys, tmp_path / "witness.json")
    assert (result.status, result.detail) == (
        "refused",
        f"the checkpoint at size {TEMPLATE_EVENTS} is not signed by a pinned key",
    )
    assert owner.execute("SELECT count(*) FROM audit_cosignatures").fetchone() == (0,)


def test_the_witness_refuses_history_rewritten_below_what_it_cosigned(
    settings: Settings,
    witness_conn: psycopg.Connection[Any],
    owner: psycopg.Connection[Any],
    gateway_keys: dict[str, PublicKey],
    tmp_path: Path,
) -> None:
    """Even a checkpoint signed with the gateway's real key (a compromised signer) is refused if its tree does
    not extend the one the witness co-signed."""
    state = tmp_path / "witness.json"
    assert witness_once(witness_conn, WITNESS, gateway_keys, state).status == "cosigned"
    owner.execute("ALTER TABLE audit_events DISABLE TRIGGER ALL")
    rows = owner.execute(
        "SELECT seq, content, prev_hash FROM audit_events WHERE seq >= 37 ORDER BY seq"
    ).fetchall()
    prev = bytes(rows[0][2])
    for seq, content, _ in rows:
        content = content.replace('"status":200', '"status":204') if seq == 37 else content
        new = event_hash(prev, seq, content)
        owner.execute(
            "UPDATE audit_events SET content = %s, prev_hash = %s, event_hash = %s, leaf_hash = %s WHERE seq = %s",
            (content, prev, new, event_leaf(new), seq),
        )
        prev = new
    content = rows[-1][1]
    new = event_hash(prev, TEMPLATE_EVENTS + 1, content)
    owner.execute(
        "INSERT INTO audit_events (seq, content, prev_hash, event_hash, leaf_hash, occurred_at, outcome, route)"
        " VALUES (%s, %s, %s, %s, %s, now(), 'allowed', '/x')",
        (TEMPLATE_EVENTS + 1, content, prev, new, event_leaf(new)),
    )
    leaves = [bytes(r[0]) for r in owner.execute("SELECT leaf_hash FROM audit_events ORDER BY seq")]
    forged = sign_checkpoint(
        read_signing_key(settings.audit.signing_key_file), len(leaves), root_of(leaves), datetime.now(UTC)
    )
    owner.execute(
        "INSERT INTO audit_checkpoints (size, root, signed_at, key_id, signature, frontier)"
        " VALUES (%s, %s, %s, %s, %s, '{}')",
        (forged.size, forged.root, forged.signed_at, forged.key_id, forged.signature),
    )
    result = witness_once(witness_conn, WITNESS, gateway_keys, state)
    assert (result.status, result.detail) == (
        "refused",
        f"event {TEMPLATE_EVENTS + 1} does not extend the tree co-signed at size {TEMPLATE_EVENTS}",
    )
    assert WitnessState.load(state).size == TEMPLATE_EVENTS


def test_the_verifier_names_a_forged_cosignature(
    witness_conn: psycopg.Connection[Any],
    owner: psycopg.Connection[Any],
    gateway_keys: dict[str, PublicKey],
    tmp_path: Path,
) -> None:
    assert witness_once(witness_conn, WITNESS, gateway_keys, tmp_path / "witness.json").status == "cosigned"
    owner.execute("ALTER TABLE audit_cosignatures DISABLE TRIGGER ALL")
    owner.execute("UPDATE audit_cosignatures SET signature = decode(repeat('00', 64), 'hex')")
    report = verify_database(owner, gateway_keys, witness_keys=WITNESS_KEYS)
    assert [(f.kind, f.checkpoint_size) for f in report.findings] == [("bad-cosignature", TEMPLATE_EVENTS)]
    assert report.witnessed_size == 0


def test_the_witness_command_cosigns_and_the_verifier_checks_both(
    settings: Settings, tampered_db: DatabaseUrls, tmp_path: Path
) -> None:
    witness_key_file, witness_keys_file = tmp_path / "witness-key.pem", tmp_path / "witness-keys.json"
    audit_settings = settings.audit.model_copy(
        update={"witness_key_file": witness_key_file, "witness_state_file": tmp_path / "witness-state.json"}
    )
    victim = settings.model_copy(
        update={"database_name": f"{settings.database_name}_audit_victim", "audit": audit_settings}
    )
    runner = CliRunner()
    cosigned = runner.invoke(audit, ["witness"], obj=victim)
    assert cosigned.exit_code == 0, cosigned.output
    assert f"cosigned: co-signed the checkpoint at size {TEMPLATE_EVENTS} (gateway keys: 1 configured)" in (
        cosigned.stdout
    )
    witness_public = public_key_of(read_signing_key(witness_key_file))
    witness_keys_file.write_text(json.dumps({"keys": [witness_public.as_dict()]}))
    checked = victim.model_copy(
        update={"audit": audit_settings.model_copy(update={"witness_keys_file": witness_keys_file})}
    )
    verified = runner.invoke(audit, ["verify"], obj=checked)
    assert verified.exit_code == 0, verified.output
    assert f"witnessed: 1 cosignatures checked, up to size {TEMPLATE_EVENTS}" in verified.stdout


def _drop_checkpoints_from(owner: psycopg.Connection[Any], size: int) -> None:
    owner.execute("ALTER TABLE audit_checkpoints DISABLE TRIGGER ALL")
    owner.execute("DELETE FROM audit_checkpoints WHERE size >= %s", (size,))
    owner.execute("ALTER TABLE audit_checkpoints ENABLE ALWAYS TRIGGER audit_checkpoints_append_only")


def _sign_as_gateway(owner: psycopg.Connection[Any], settings: Settings, size: int, root: bytes) -> None:
    forged = sign_checkpoint(read_signing_key(settings.audit.signing_key_file), size, root, datetime.now(UTC))
    owner.execute(
        "INSERT INTO audit_checkpoints (size, root, signed_at, key_id, signature, frontier)"
        " VALUES (%s, %s, %s, %s, %s, '{}')",
        (forged.size, forged.root, forged.signed_at, forged.key_id, forged.signature),
    )


def test_with_no_checkpoint_there_is_nothing_to_witness(
    witness_conn: psycopg.Connection[Any], owner: psycopg.Connection[Any], gateway_keys: Any, tmp_path: Path
) -> None:
    _drop_checkpoints_from(owner, 1)
    result = witness_once(witness_conn, WITNESS, gateway_keys, tmp_path / "witness.json")
    assert (result.status, result.detail) == ("no-checkpoint", "no checkpoint has been signed yet")


def test_the_witness_refuses_a_log_that_went_back_or_forked(
    settings: Settings,
    witness_conn: psycopg.Connection[Any],
    owner: psycopg.Connection[Any],
    gateway_keys: Any,
    tmp_path: Path,
) -> None:
    state = tmp_path / "witness.json"
    assert witness_once(witness_conn, WITNESS, gateway_keys, state).status == "cosigned"
    _drop_checkpoints_from(owner, TEMPLATE_EVENTS)
    older = witness_once(witness_conn, WITNESS, gateway_keys, state)
    assert (older.status, older.detail) == (
        "refused",
        f"the newest checkpoint (100) is older than {TEMPLATE_EVENTS}",
    )
    _sign_as_gateway(owner, settings, TEMPLATE_EVENTS, bytes(32))
    fork = witness_once(witness_conn, WITNESS, gateway_keys, state)
    assert (fork.status, fork.detail) == (
        "refused",
        f"a different root at size {TEMPLATE_EVENTS}, already co-signed (a fork)",
    )


def test_a_lost_cosignature_is_made_again(
    witness_conn: psycopg.Connection[Any], owner: psycopg.Connection[Any], gateway_keys: Any, tmp_path: Path
) -> None:
    state = tmp_path / "witness.json"
    assert witness_once(witness_conn, WITNESS, gateway_keys, state).status == "cosigned"
    owner.execute("ALTER TABLE audit_cosignatures DISABLE TRIGGER ALL")
    owner.execute("DELETE FROM audit_cosignatures")
    again = witness_once(witness_conn, WITNESS, gateway_keys, state)
    assert (again.status, again.size) == ("cosigned", TEMPLATE_EVENTS)
    assert owner.execute("SELECT count(*) FROM audit_cosignatures").fetchone() == (1,)


async def test_the_witness_refuses_a_root_the_events_do_not_give(
    settings: Settings,
    tampered_db: DatabaseUrls,
    witness_conn: psycopg.Connection[Any],
    owner: psycopg.Connection[Any],
    gateway_keys: Any,
    tmp_path: Path,
) -> None:
    state = tmp_path / "witness.json"
    assert witness_once(witness_conn, WITNESS, gateway_keys, state).status == "cosigned"
    size = await _gateway_appends(settings, tampered_db, tmp_path / "head.json", 3)
    _drop_checkpoints_from(owner, size)
    _sign_as_gateway(owner, settings, size, bytes(32))
    result = witness_once(witness_conn, WITNESS, gateway_keys, state)
    assert (result.status, result.detail) == (
        "refused",
        f"the events do not give the root signed at size {size}",
    )
