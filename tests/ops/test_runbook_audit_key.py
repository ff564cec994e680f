"""docs/operations.md's audit signing-key rotation, run as written (issue 17): checkpoints signed before
it verify against the old pinned key, later ones against the new; the pinned file it writes holds both and
verifies the whole log; a verifier pinning only one key reports exactly the other key's checkpoints."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from gateway.audit.keys import PublicKey, load_public_keys, public_key_of, read_signing_key
from gateway.audit.log import AuditLog
from gateway.audit.reader import db_checkpoints, db_events, db_head
from gateway.audit.verify import verify_log
from gateway.db.pool import create_pool
from gateway.db.urls import resolve_database, start_embedded
from gateway.settings import AuditSettings, PrivacySettings, Settings
from tests.audit.conftest import sample_record
from tests.ops.conftest import child_env, private_settings
from tests.ops.test_runbook import Deployment, _drop

EVERY = 10  # a checkpoint every 10 events


@pytest.fixture
def deployment(settings: Settings, tmp_path: Path) -> Iterator[Deployment]:
    """A deployment of its own (secrets, database), provisioned and deployed by the runbook's blocks."""
    secrets = tmp_path / "secrets"
    own = private_settings(tmp_path).model_copy(
        update={
            "pg_data_dir": settings.pg_data_dir,
            "database_name": f"{settings.database_name}_key_rotation",
            "audit": AuditSettings(
                signing_key_file=secrets / "audit-signing-key.pem",
                subject_key_file=secrets / "audit-subject-key.bin",
                checkpoint_every=EVERY,
            ),
            "privacy": PrivacySettings(keyring_file=secrets / "pseudonym-keyring.json"),
        }
    )
    server_url = start_embedded(settings.pg_data_dir)
    _drop(server_url, own.database_name)
    env = {**child_env(own), "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env["SECRETS"] = str(secrets)
    ready = Deployment(tmp_path, own, env, {})
    ready.run("provision-keys")
    ready.run("deploy")
    yield ready
    _drop(server_url, own.database_name)


def serve_events(settings: Settings, first: int, count: int) -> None:
    """What a running gateway does with these key files: append events and sign checkpoints (and a last one
    at shutdown)."""

    async def run() -> None:
        pool = create_pool(resolve_database(settings).app, 1, 2)
        await pool.open(wait=True)
        log = AuditLog.from_settings(settings.audit, pool)
        await log.register_key()
        try:
            for i in range(first, first + count):
                await log.append(sample_record(i), status=200, duration_s=0.001)
        finally:
            await log.close()
            await pool.close()

    asyncio.run(run())


def checkpoint_keys(settings: Settings) -> dict[int, str]:
    with psycopg.connect(resolve_database(settings).admin, autocommit=True) as conn:
        return {cp.size: cp.key_id for cp in db_checkpoints(conn)}


def bad_signatures(settings: Settings, keys: dict[str, PublicKey]) -> list[int | None]:
    with psycopg.connect(resolve_database(settings).admin, autocommit=True) as conn:
        report = verify_log(db_events(conn), db_checkpoints(conn), keys, db_head(conn))
    assert report.events == 55
    return [f.checkpoint_size for f in report.findings if f.kind == "bad-signature"]


def test_rotating_the_audit_signing_key_keeps_old_checkpoints_verifiable(deployment: Deployment) -> None:
    before = deployment.settings
    serve_events(before, 0, 25)  # checkpoints at 10 and 20, and at 25 when it stops
    old = public_key_of(read_signing_key(before.audit.signing_key_file))

    output = deployment.run("rotate-audit-signing-key")

    secrets = Path(deployment.env["SECRETS"])
    assert "OK" in output
    assert list(load_public_keys(secrets / "audit-retired-keys.json")) == [old.key_id]
    new = public_key_of(read_signing_key(before.audit.signing_key_file))
    assert new.key_id != old.key_id
    assert public_key_of(read_signing_key(secrets / "audit-signing-key.retired.pem")) == old
    assert (before.audit.signing_key_file.stat().st_mode & 0o777) == 0o600
    pinned = json.loads((secrets / "pinned-keys.json").read_text())
    assert pinned["current"] == new.key_id
    assert sorted(k["key_id"] for k in pinned["keys"]) == sorted([old.key_id, new.key_id])

    # The gateway started again with the retired-keys file, as step 4 says.
    after = before.model_copy(
        update={
            "audit": before.audit.model_copy(
                update={"retired_keys_file": secrets / "audit-retired-keys.json"}
            )
        }
    )
    serve_events(after, 25, 30)  # checkpoints at 30, 40, 50, and at 55 when it stops

    assert checkpoint_keys(after) == {
        10: old.key_id,
        20: old.key_id,
        25: old.key_id,
        30: new.key_id,
        40: new.key_id,
        50: new.key_id,
        55: new.key_id,
    }
    both = load_public_keys(secrets / "pinned-keys.json")
    assert bad_signatures(after, both) == []
    assert bad_signatures(after, {old.key_id: old}) == [30, 40, 50, 55]
    assert bad_signatures(after, {new.key_id: new}) == [10, 20, 25]
