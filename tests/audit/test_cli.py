"""`gateway audit checkpoint | head | accept-head | witness` as an operator runs them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner

from gateway.audit.cli import audit
from gateway.db.urls import DatabaseUrls
from gateway.settings import Settings
from tests.audit.conftest import TEMPLATE_EVENTS
from tests.audit.test_signer import forge


@pytest.fixture
def operator(settings: Settings, tampered_db: DatabaseUrls, tmp_path: Path) -> Settings:
    """Settings for the victim log, with this test's own head file and no grace for unclaimed events."""
    audit_settings = settings.audit.model_copy(
        update={
            "head_file": tmp_path / "head.json",
            "unclaimed_grace_seconds": 0.0,
            "witness_key_file": tmp_path / "witness.pem",
            "witness_state_file": tmp_path / "witness.json",
        }
    )
    return settings.model_copy(
        update={"database_name": f"{settings.database_name}_audit_victim", "audit": audit_settings}
    )


@pytest.fixture
def owner(tampered_db: DatabaseUrls) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(tampered_db.admin, autocommit=True) as conn:
        yield conn


def run(settings: Settings, *args: str) -> Any:
    return CliRunner().invoke(audit, list(args), obj=settings)


def test_head_before_and_after_the_first_checkpoint(operator: Settings) -> None:
    assert run(operator, "head").stdout.startswith("no head file yet")
    assert run(operator, "checkpoint").stdout == "head already signed\n"
    shown = run(operator, "head")
    assert (shown.exit_code, shown.stdout.split(",")[0]) == (0, f"trusted head: size {TEMPLATE_EVENTS}")


def test_a_stopped_signer_is_shown_and_accepted_after_review(
    operator: Settings, owner: psycopg.Connection[Any]
) -> None:
    run(operator, "checkpoint")
    forged = forge(owner, 900)
    run(operator, "checkpoint")  # first look
    stopped = run(operator, "checkpoint")  # second look: it stops
    reason = f"event {forged} was not produced by this gateway (unclaimed for 0 s)"
    assert stopped.exit_code == 1
    assert stopped.stderr == f"Error: signing is stopped: {reason}\n"
    shown = run(operator, "head")
    assert (shown.exit_code, shown.stdout.splitlines()[-1]) == (1, f"SIGNING STOPPED: {reason}")
    accepted = run(operator, "accept-head", "--yes")
    assert accepted.exit_code == 0, accepted.output
    # (structlog writes to stdout here, unconfigured: the last line is the command's own)
    last = accepted.stdout.splitlines()[-1]
    assert last == f"trusted head moved from {TEMPLATE_EVENTS} to {forged + 1}; signing resumes"
    # The command's own shutdown signed the new head, its acceptance event included.
    assert run(operator, "checkpoint").stdout.splitlines()[-1] == "head already signed"
    assert owner.execute("SELECT max(size) FROM audit_checkpoints").fetchone() == (forged + 2,)


def test_acceptance_of_a_broken_chain_is_refused(operator: Settings, owner: psycopg.Connection[Any]) -> None:
    run(operator, "checkpoint")
    forged = forge(owner, 900)
    owner.execute("ALTER TABLE audit_events DISABLE TRIGGER ALL")
    owner.execute("UPDATE audit_events SET content = content || ' ' WHERE seq = %s", (forged,))
    refused = run(operator, "accept-head", "--yes")
    assert refused.exit_code == 1
    assert (
        refused.stderr
        == f"Error: refused: event {forged} does not chain from the head this signer recorded\n"
    )


def test_the_witness_command_refuses_without_pinned_gateway_keys(operator: Settings, tmp_path: Path) -> None:
    elsewhere = operator.model_copy(
        update={"audit": operator.audit.model_copy(update={"signing_key_file": tmp_path / "absent.pem"})}
    )
    result = run(elsewhere, "witness")
    assert result.exit_code == 1
    assert result.stderr == "Error: no pinned gateway keys: a witness must not trust the database's\n"


def test_the_witness_command_fails_when_it_refuses(
    operator: Settings, owner: psycopg.Connection[Any], tmp_path: Path
) -> None:
    import json

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from gateway.audit.keys import public_key_of

    stranger = tmp_path / "stranger.json"
    stranger.write_text(json.dumps({"keys": [public_key_of(Ed25519PrivateKey.generate()).as_dict()]}))
    result = run(operator, "witness", "--keys", str(stranger))
    assert result.exit_code == 1
    assert (
        f"refused: the checkpoint at size {TEMPLATE_EVENTS} is not signed by a pinned key (gateway keys: 1 pinned"
        " by file)" in result.stdout
    )


def test_commands_need_settings() -> None:
    result = CliRunner().invoke(audit, ["checkpoint"])
    assert result.exit_code == 2
    assert "Error: settings are not loaded" in result.stderr


def test_export_writes_the_whole_log(operator: Settings, tmp_path: Path) -> None:
    out = tmp_path / "audit.ndjson"
    result = run(operator, "export", "--out", str(out))
    assert result.stdout == f"wrote {TEMPLATE_EVENTS} events to {out}\n"
    assert sum(1 for line in out.read_text().splitlines() if '"type":"event"' in line) == TEMPLATE_EVENTS


def test_the_witness_command_can_keep_witnessing(operator: Settings) -> None:
    result = run(operator, "witness", "--interval", "0.01", "--count", "2")
    assert result.exit_code == 0, result.output
    outcomes = [line.split(":")[0] for line in result.stdout.splitlines()[1:]]
    assert outcomes == ["cosigned", "already-cosigned"]


def test_many_findings_are_summarised(operator: Settings, owner: psycopg.Connection[Any]) -> None:
    owner.execute("ALTER TABLE audit_events DISABLE TRIGGER ALL")
    owner.execute("UPDATE audit_events SET content = content || ' ' WHERE seq <= 60")
    result = run(operator, "verify")
    assert result.exit_code == 1
    assert "  ... and 13 more" in result.stdout  # 60 edits + 3 root mismatches, 50 listed


def test_a_proof_that_does_not_verify_fails_the_command(
    operator: Settings, owner: psycopg.Connection[Any], tmp_path: Path
) -> None:
    import json

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from gateway.audit.checkpoint import sign_checkpoint
    from gateway.audit.keys import public_key_of, read_signing_key
    from gateway.audit.reader import db_checkpoints

    real = public_key_of(read_signing_key(operator.audit.signing_key_file))
    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps({"keys": [real.as_dict()]}))
    at_50, at_100 = (cp for cp in db_checkpoints(owner) if cp.size in (50, 100))
    stranger = sign_checkpoint(Ed25519PrivateKey.generate(), 100, at_100.root, at_100.signed_at)
    consistency = tmp_path / "consistency.json"
    consistency.write_text(json.dumps({"from": at_50.as_dict(), "to": stranger.as_dict(), "path": []}))
    inclusion = tmp_path / "inclusion.json"
    inclusion.write_text(
        json.dumps({"seq": 3, "event_hash": "00" * 32, "path": [], "checkpoint": stranger.as_dict()})
    )
    result = CliRunner().invoke(
        audit, ["verify", "--keys", str(keys), "--proof", str(consistency), "--proof", str(inclusion)]
    )
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "proof consistency.json: FAILED: checkpoint at size 100 is not signed by a known key",
        "proof consistency.json: FAILED: the tree at size 100 does not extend the tree at size 50",
        "proof inclusion.json: FAILED: checkpoint at size 100 is not signed by a known key",
        "proof inclusion.json: FAILED: event 3 is not included in the tree signed at size 100",
    ]
