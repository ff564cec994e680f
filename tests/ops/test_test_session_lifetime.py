"""A test session stops the embedded server it started (the session fixture in tests/conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gateway.db import embedded
from tests.ops.conftest import ROOT, postgres_processes, private_pg_dir, remove_pg_dir


def test_a_test_session_on_two_workers_leaves_no_postgres_running(tmp_path: Path) -> None:
    data_dir = private_pg_dir("session")
    try:
        _run_session_and_check(data_dir, tmp_path)
    finally:
        if not postgres_processes(data_dir):
            remove_pg_dir(data_dir)


def _run_session_and_check(data_dir: Path, tmp_path: Path) -> None:
    env = {**os.environ, "GATEWAY_TEST_PG_DIR": str(data_dir)}
    done = subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-q", "-n", "2", "-p", "no:cacheprovider"),
            # Its own temporary folder, so that this run leaves pytest-of-<user> alone (see PG_HOME).
            f"--basetemp={tmp_path / 'session'}",
            "tests/ops/session_probe.py",
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    assert "2 passed" in done.stdout
    state = embedded.status(data_dir)
    assert (state.initialised, state.running, state.holders) == (True, False, ())
    assert postgres_processes(data_dir) == []
