"""docs/operations.md is run as written: every `# runbook:` block, in bash with `set -euo pipefail`, against a
private deployment (its own keys, database and, where a block needs one, a served gateway)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import psycopg
import pytest
from psycopg import sql

from gateway.db import embedded
from gateway.db.urls import start_embedded
from gateway.settings import AuditSettings, PrivacySettings, Settings
from tests.ops.conftest import (
    ED25519_JWK,
    ROOT,
    child_env,
    free_port,
    postgres_processes,
    private_pg_dir,
    private_settings,
    remove_pg_dir,
    wait_until_ready,
)

RUNBOOK = ROOT / "docs" / "operations.md"
BLOCK = re.compile(
    r"^(?P<indent>[ ]*)```sh\n(?P=indent)# runbook: (?P<name>[a-z-]+)\n(?P<body>.*?)^(?P=indent)```",
    re.MULTILINE | re.DOTALL,
)
EVERY_PROCEDURE = {
    "provision-keys",
    "deploy",
    "configure-issuers",
    "embedded-database",
    "backup",
    "restore",
    "rotate-pseudonym-keys",
    "rotate-audit-signing-key",  # run by tests/ops/test_runbook_audit_key.py, on a deployment of its own
    "audit-writes-failing",
    "suspected-disclosure",
    "transparency-report",
}


def runbook_blocks() -> dict[str, str]:
    blocks: dict[str, str] = {}
    for match in BLOCK.finditer(RUNBOOK.read_text()):
        assert match["name"] not in blocks, f"two runbook blocks are named {match['name']}"
        blocks[match["name"]] = textwrap.dedent(match["body"])
    return blocks


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Deployment:
    folder: Path
    settings: Settings
    env: dict[str, str]
    outputs: dict[str, str]

    def run(self, name: str, **variables: str) -> str:
        """Run runbook block `name`; returns what it printed (stdout and stderr), failing on a non-zero exit."""
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", runbook_blocks()[name]],
            env={**self.env, **variables},
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        output = done.stdout + done.stderr
        assert done.returncode == 0, f"runbook {name} exited {done.returncode}:\n{output[-3000:]}"
        return output


def _drop(server_url: str, name: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(scope="module")
def deployment(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """Provisioned and deployed by the runbook's own first two procedures, on this worker's test server."""
    folder = tmp_path_factory.mktemp("runbook")
    secrets = folder / "secrets"
    own = private_settings(folder).model_copy(
        update={
            "pg_data_dir": settings.pg_data_dir,
            "database_name": f"{settings.database_name}_runbook",
            "audit": AuditSettings(
                signing_key_file=secrets / "audit-signing-key.pem",
                subject_key_file=secrets / "audit-subject-key.bin",
            ),
            "privacy": PrivacySettings(keyring_file=secrets / "pseudonym-keyring.json"),
        }
    )
    server_url = start_embedded(settings.pg_data_dir)
    _drop(server_url, own.database_name)
    env = {**child_env(own), "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env["SECRETS"] = str(secrets)
    ready = Deployment(folder, own, env, {})
    ready.outputs["provision-keys"] = ready.run("provision-keys")
    ready.outputs["deploy"] = ready.run("deploy")
    yield ready
    _drop(server_url, own.database_name)


@dataclass
class Served:
    url: str
    dpo_token: str
    pinned_keys: Path


@pytest.fixture(scope="module")
def served(deployment: Deployment) -> Iterator[Served]:
    """`gateway serve` on the deployment, a DfE DPO's token from the development issuer, and the pinned keys
    saved as the runbook says (GET /v1/audit/keys after the first start)."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gateway.cli", "serve", "--port", str(port)],
        env=deployment.env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(url, server)
        token = subprocess.run(
            [sys.executable, "-m", "gateway.cli", "tokens", "issue", "--persona", "dfe-dpo"],
            env=deployment.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        pinned = deployment.folder / "pinned-keys.json"
        pinned.write_bytes(httpx.get(url + "/v1/audit/keys", timeout=10).content)
        yield Served(url, token, pinned)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)


def _incident_variables(served: Served) -> dict[str, str]:
    now = datetime.now(UTC)
    return {
        "GATEWAY_URL": served.url,
        "DPO_TOKEN": served.dpo_token,
        "PINNED_KEYS": str(served.pinned_keys),
        "FROM": _stamp(now - timedelta(hours=1)),
        "TO": _stamp(now + timedelta(hours=1)),
    }


def test_every_runbook_block_is_one_of_the_procedures_run_here() -> None:
    assert set(runbook_blocks()) == EVERY_PROCEDURE


def test_provisioning_creates_each_secret_file_owner_only(deployment: Deployment) -> None:
    secrets = Path(deployment.env["SECRETS"])
    assert deployment.outputs["provision-keys"].splitlines()[:3] == [
        f"created {secrets / 'audit-signing-key.pem'}",
        f"created {secrets / 'audit-subject-key.bin'}",
        f"created {secrets / 'pseudonym-keyring.json'}",
    ]
    assert sorted((p.name, p.stat().st_mode & 0o777) for p in secrets.iterdir()) == [
        ("audit-signing-key.pem", 0o600),
        ("audit-subject-key.bin", 0o600),
        ("pseudonym-keyring.json", 0o600),
    ]


def test_deploy_migrates_and_the_doctor_finds_nothing_to_fix(deployment: Deployment) -> None:
    lines = deployment.outputs["deploy"].splitlines()
    assert lines[0].startswith("schema at revision ")
    assert "OK    database.migrations: schema at " in deployment.outputs["deploy"]
    assert lines[-1].startswith("0 to fix, ")


def test_configure_issuers(deployment: Deployment, issuer_base: str) -> None:
    output = deployment.run(
        "configure-issuers", ISSUER="https://login.example.gov.uk", JWKS_URL=f"{issuer_base}/jwks.json"
    )
    assert (
        f"OK    issuer https://login.example.gov.uk: {issuer_base}/jwks.json: 1 usable keys ({ED25519_JWK['kid']})"
        in output
    )
    assert "dev-issuer" not in output


def test_embedded_database(deployment: Deployment) -> None:
    data_dir = private_pg_dir("runbook")
    env = {"GATEWAY_PG_DATA_DIR": str(data_dir), "GATEWAY_DATABASE_NAME": "gateway"}
    output = deployment.run("embedded-database", **env)
    lines = output.splitlines()
    assert lines[0] == f"postgresql://postgres:@/gateway?host={data_dir}"
    assert "  kept: left running when its holders exit (gateway db stop stops it)" in lines
    assert lines[-4:] == ["stopped", f"embedded PostgreSQL in {data_dir}", "  stopped", "  held by: none"]
    assert postgres_processes(data_dir) == []
    assert embedded.status(data_dir).running is False
    remove_pg_dir(data_dir)


def test_backup_then_restore(deployment: Deployment, settings: Settings) -> None:
    backup_dir = deployment.folder / "backup-1"
    restore_database = f"{settings.database_name}_runbook_restored"
    server_url = start_embedded(settings.pg_data_dir)
    _drop(server_url, restore_database)
    try:
        backed_up = deployment.run("backup", BACKUP_DIR=str(backup_dir))
        assert backed_up.startswith(f"backup written to {backup_dir} (")
        restored = deployment.run("restore", BACKUP_DIR=str(backup_dir), RESTORE_DATABASE=restore_database)
        assert "  every table's row count, the rollups and the audit head match the manifest" in restored
        assert "OK: chain, tree and every checkpoint signature verify" in restored
        assert restored.splitlines()[-1].startswith("0 to fix, ")
    finally:
        _drop(server_url, restore_database)


def test_rotate_pseudonym_keys(deployment: Deployment) -> None:
    output = deployment.run("rotate-pseudonym-keys")
    before, rotated, after = output.splitlines()
    assert before == "versions [1], current 1"
    assert rotated.endswith(": versions [1, 2], current 2")
    assert after == "versions [1, 2], current 2"


def test_when_audit_writes_fail(deployment: Deployment, served: Served) -> None:
    output = deployment.run("audit-writes-failing", **_incident_variables(served))
    assert output.startswith('{"status":"ok","database":"ok","checks":{')
    assert "OK    database.app_role: the application role gateway_app connects" in output
    assert "OK: chain, tree and every checkpoint signature verify" in output


def test_suspected_disclosure(deployment: Deployment, served: Served) -> None:
    evidence = deployment.folder / "evidence"
    output = deployment.run("suspected-disclosure", EVIDENCE_DIR=str(evidence), **_incident_variables(served))
    assert "OK: chain, tree and every checkpoint signature verify" in output
    assert sorted(p.name for p in evidence.iterdir()) == ["audit.ndjson", "database", "events.json"]
    assert isinstance(json.loads((evidence / "events.json").read_text())["events"], list)


def test_publish_the_transparency_report(deployment: Deployment, served: Served) -> None:
    deployment.run("transparency-report", **_incident_variables(served))
    report = json.loads((deployment.folder / "transparency-report.json").read_text())
    assert report["disclosure_rule"].startswith("Counts below 10 are suppressed (null).")
