"""Ops fixtures: private settings (own var folder, keys, embedded data directory) and process inspection."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest

from gateway.settings import AuditSettings, AuthSettings, PrivacySettings, Settings, environment_for

ROOT = Path(__file__).resolve().parents[2]
GATEWAY = [sys.executable, "-m", "gateway.cli"]


def private_settings(folder: Path, **update: object) -> Settings:
    """Settings whose every file lives under `folder`, with an embedded server of its own."""
    keys = folder / "keys"
    settings = Settings(
        database_url=None,
        pg_data_dir=folder / "pgdata",
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


@pytest.fixture(scope="module")
def ops_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Short: the server's socket lives in its data directory and a socket path has ~100 characters at most.
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
