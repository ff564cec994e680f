"""Ops fixtures: private settings (own var folder, keys, embedded data directory) and process inspection."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gateway.auth.devissuer import public_jwk
from gateway.settings import AuditSettings, AuthSettings, PrivacySettings, Settings, environment_for

ROOT = Path(__file__).resolve().parents[2]
GATEWAY = [sys.executable, "-m", "gateway.cli"]


def private_settings(folder: Path, pg_data_dir: Path | None = None, **update: object) -> Settings:
    """Settings whose every file lives under `folder`; with `pg_data_dir`, an embedded server of its own."""
    keys = folder / "keys"
    settings = Settings(
        database_url=None,
        pg_data_dir=pg_data_dir or folder / "pgdata",
        var_dir=folder,
        environment="test",
        log_json=True,
        log_level="WARNING",
        auth=AuthSettings(dev_key_dir=keys / "dev-issuer"),
        privacy=PrivacySettings(keyring_file=keys / "pseudonym-keyring.json"),
        audit=AuditSettings(
            signing_key_file=keys / "audit-signing-key.pem", subject_key_file=keys / "audit-subject-key.bin"
        ),
    )
    return settings.model_copy(update=update)


def child_env(settings: Settings) -> dict[str, str]:
    """The environment that makes a `gateway` child process read exactly `settings`."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("GATEWAY_") and "DATABASE_" not in k}
    return {**inherited, **environment_for(settings)}


def postgres_processes(data_dir: Path) -> list[psutil.Process]:
    """Every PostgreSQL server process (postmaster or backend) started on `data_dir`."""
    found = []
    target = str(data_dir.resolve())
    for process in psutil.process_iter(["name", "cmdline"]):
        cmdline = process.info["cmdline"] or []
        if process.info["name"] == "postgres" and target in cmdline:
            found.append(process)
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_ready(base: str, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited before it was ready"
        try:
            if httpx.get(base + "/health/ready", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{base} was not ready within {timeout} s")


# Data directories for servers of the tests' own live in the worktree's var folder, not under pytest's
# temporary folder: run as root, pgserver runs PostgreSQL as its own OS user, and every pytest session
# starting on the machine resets /tmp/pytest-of-root to 0700, which would lock that user out mid-run.
PG_HOME = ROOT / "var" / "test-ops"


def private_pg_dir(label: str) -> Path:
    """A fresh, empty place for a data directory, unique to this process."""
    folder = PG_HOME / f"{label}-{os.getpid()}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder / "pgdata"


def remove_pg_dir(data_dir: Path) -> None:
    """Delete a data directory made by `private_pg_dir` once nothing runs on it."""
    assert postgres_processes(data_dir) == [], f"a server still runs on {data_dir}"
    shutil.rmtree(data_dir.parent, ignore_errors=True)


@pytest.fixture(scope="module")
def ops_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ops")


def has_exited(pid: int, timeout: float = 10.0) -> bool:
    """Whether process `pid` is gone (a zombie counts: it has exited) within `timeout`. pg_ctl stop returns
    once the postmaster removed its pid file, a moment before the process itself ends."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


ED25519_JWK = public_jwk(Ed25519PrivateKey.generate())
P256_JWK = {"kty": "EC", "crv": "P-256", "kid": "ec-1", "x": "AA", "y": "AA"}
ROUTES: dict[str, tuple[int, bytes]] = {
    "/jwks.json": (200, json.dumps({"keys": [ED25519_JWK]}).encode()),
    "/ec-only.json": (200, json.dumps({"keys": [P256_JWK]}).encode()),
    "/not-jwks.json": (200, b'{"issuer": "x"}'),
    "/private.json": (200, json.dumps({"keys": [{**ED25519_JWK, "d": "secret"}]}).encode()),
}


class IssuerHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status, body = ROUTES.get(self.path, (404, b"{}"))
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture(scope="module")
def issuer_base() -> Iterator[str]:
    """A real HTTP server on loopback publishing JWKS documents (the issuer's side of the check)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), IssuerHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
