"""A test session stops the embedded server it started (the session fixture in tests/conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gateway.db import embedded
from tests.ops.conftest import ROOT, postgres_processes


def test_a_test_session_on_two_workers_leaves_no_postgres_running(tmp_path: Path) -> None:
    data_dir = tmp_path / "pgdata"
    env = {**os.environ, "GATEWAY_TEST_PG_DIR": str(data_dir)}
    done = subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-q", "-n", "2", "-p", "no:cacheprovider"),
            # Its own temporary folder: by default it would reset pytest-of-<user> to 0700, and (run as root)
            # pgserver's own OS user could then no longer reach this test's data directory.
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
