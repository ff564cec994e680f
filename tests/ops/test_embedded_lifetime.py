"""Leave nothing running: the embedded PostgreSQL stops when the last process that holds it leaves, however
it leaves (normal exit, SIGTERM, SIGINT, a worker killed), unless it was asked to keep it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from gateway.cli import main
from gateway.db import embedded
from gateway.settings import Settings
from tests.ops.conftest import (
    GATEWAY,
    ROOT,
    child_env,
    free_port,
    has_exited,
    postgres_processes,
    private_pg_dir,
    private_settings,
    remove_pg_dir,
    wait_until_ready,
)

# A child that holds the server until its stdin closes, then exits normally.
HOLD_UNTIL_STDIN_CLOSES = (
    "import sys; from pathlib import Path; from gateway.db.urls import start_embedded;"
    " start_embedded(Path(sys.argv[1])); print('held', flush=True); sys.stdin.read()"
)


@pytest.fixture(scope="module")
def lifetime_settings(ops_folder: Path) -> Iterator[Settings]:
    """A data directory of this module's own, initialised and migrated once by `gateway db upgrade`."""
    settings = private_settings(ops_folder, private_pg_dir("lifetime"))
    done = subprocess.run(
        [*GATEWAY, "db", "upgrade"],
        env=child_env(settings),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    yield settings
    remove_pg_dir(settings.pg_data_dir)


@pytest.fixture
def data_dir(lifetime_settings: Settings) -> Path:
    path = lifetime_settings.pg_data_dir.resolve()
    assert not embedded.status(path).running, "a previous test left the server running"
    return path


def _holders_within(data_dir: Path, expected: int, *, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while len(embedded.status(data_dir).holders) != expected:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def _held_by_child(data_dir: Path) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD_UNTIL_STDIN_CLOSES, str(data_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "held"
    return child


def test_a_one_shot_command_stops_the_server_it_started(data_dir: Path) -> None:
    """`gateway db upgrade` (run by the fixture, and again here) leaves no PostgreSQL process behind."""
    assert postgres_processes(data_dir) == []
    assert embedded.status(data_dir).initialised


def test_the_last_holder_stops_the_server_on_release(data_dir: Path) -> None:
    embedded.start(data_dir)
    state = embedded.status(data_dir)
    assert (state.running, state.holders) == (True, (embedded.Holder.this_process(),))
    assert embedded.release(data_dir) is True
    assert embedded.status(data_dir).running is False
    assert postgres_processes(data_dir) == []


def test_a_holder_that_died_without_cleaning_up_does_not_keep_the_server_alive(data_dir: Path) -> None:
    """The fault behind the servers found running after make test: a holder killed before its exit handlers."""
    killed = _held_by_child(data_dir)
    killed.kill()  # SIGKILL: no exit handler runs, its entry stays in the holders file
    killed.communicate()  # reaps it and closes its pipes
    recorded = json.loads((data_dir / embedded.HOLDERS_FILE).read_text())
    assert [entry["pid"] for entry in recorded] == [killed.pid]
    embedded.start(data_dir)
    assert embedded.status(data_dir).holders == (embedded.Holder.this_process(),)
    assert embedded.release(data_dir) is True
    assert postgres_processes(data_dir) == []


def test_a_reused_pid_is_not_the_same_holder() -> None:
    me = embedded.Holder.this_process()
    assert me.alive() is True
    assert embedded.Holder(me.pid, me.started - 5.0).alive() is False


def test_another_living_holder_keeps_the_server_until_it_leaves(data_dir: Path) -> None:
    child = _held_by_child(data_dir)
    embedded.start(data_dir)
    assert embedded.release(data_dir) is False
    assert embedded.status(data_dir).running is True
    child.communicate("")  # closes its stdin: the child exits normally, the last holder
    assert child.returncode == 0
    assert embedded.status(data_dir).running is False
    assert postgres_processes(data_dir) == []


def test_a_kept_server_outlives_its_holders_until_db_stop(
    data_dir: Path, lifetime_settings: Settings
) -> None:
    embedded.start(data_dir, keep=True)
    assert embedded.release(data_dir) is False
    state = embedded.status(data_dir)
    assert (state.running, state.kept, state.holders) == (True, True, ())
    result = CliRunner().invoke(main, ["db", "stop"], env=child_env(lifetime_settings))
    assert (result.exit_code, result.output) == (0, "stopped\n")
    state = embedded.status(data_dir)
    assert (state.running, state.kept) == (False, False)
    assert postgres_processes(data_dir) == []


def test_db_stop_refuses_while_a_gateway_process_holds_the_server(
    data_dir: Path, lifetime_settings: Settings
) -> None:
    child = _held_by_child(data_dir)
    try:
        refused = CliRunner().invoke(main, ["db", "stop"], env=child_env(lifetime_settings))
        assert refused.exit_code == 1
        assert f"still in use by {child.pid} (python" in refused.output
        assert embedded.status(data_dir).running is True
        forced = CliRunner().invoke(main, ["db", "stop", "--force"], env=child_env(lifetime_settings))
        assert (forced.exit_code, forced.output) == (0, "stopped\n")
        assert postgres_processes(data_dir) == []
    finally:
        child.communicate("")


def test_db_status_names_the_holders(data_dir: Path, lifetime_settings: Settings) -> None:
    child = _held_by_child(data_dir)
    try:
        result = CliRunner().invoke(main, ["db", "status"], env=child_env(lifetime_settings))
        assert result.exit_code == 0
        lines = result.output.splitlines()
        assert lines[0] == f"embedded PostgreSQL in {data_dir}"
        assert lines[1].startswith(f"  running (pid {embedded.status(data_dir).pid}, socket ")
        assert lines[2].startswith(f"  held by: {child.pid} (python")
    finally:
        child.communicate("")
    stopped = CliRunner().invoke(main, ["db", "status"], env=child_env(lifetime_settings))
    assert stopped.output.splitlines()[1:] == ["  stopped", "  held by: none"]


@pytest.mark.parametrize(
    ("stop_signal", "workers"),
    [(signal.SIGTERM, 1), (signal.SIGINT, 1), (signal.SIGTERM, 2)],
    ids=["sigterm", "sigint", "sigterm-2-workers"],
)
def test_no_postgres_survives_gateway_serve_stopped_by_a_signal(
    data_dir: Path, lifetime_settings: Settings, stop_signal: signal.Signals, workers: int
) -> None:
    port = free_port()
    server = subprocess.Popen(
        [*GATEWAY, "serve", "--port", str(port), "--workers", str(workers)],
        env=child_env(lifetime_settings),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, so a failure below can stop its workers too
    )
    try:
        wait_until_ready(f"http://127.0.0.1:{port}", server)
        postmaster = embedded.status(data_dir).pid
        assert postmaster is not None
        # Ready means one worker answers; with several, the others may still be starting (and becoming
        # holders) on a loaded machine, so wait for all of them before the signal.
        assert _holders_within(data_dir, 1 + (workers if workers > 1 else 0), timeout=60) is True
        server.send_signal(stop_signal)
        server.wait(timeout=60)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    assert has_exited(postmaster)
    assert postgres_processes(data_dir) == []
    assert embedded.status(data_dir).running is False
