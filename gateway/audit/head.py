"""The signer's own record of the log, kept outside the database: the head it trusts (size, last hash, tree
frontier) and the events this host's writers produced since (claims). The signer signs only heads that
extend its trusted head through events it can match, one by one, to a claim."""

from __future__ import annotations

import binascii
import contextlib
import fcntl
import hashlib
import os
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, NamedTuple

import orjson
from psycopg.conninfo import conninfo_to_dict

from gateway.audit.chain import GENESIS, event_hash
from gateway.audit.merkle import Frontier, leaf_hash

Claim = tuple[int, bytes]  # (seq, event hash) of an event a writer on this host appended


class StoredEvent(NamedTuple):
    seq: int
    content: str
    prev_hash: bytes
    event_hash: bytes


@dataclass(frozen=True, slots=True)
class TrustedHead:
    """The newest point of the log this signer vouches for; `frontier` gives the tree root at `size`."""

    size: int = 0
    last_hash: bytes = GENESIS
    frontier: tuple[bytes, ...] = ()
    signed_size: int = 0  # the newest checkpoint signed from this record
    halted: str | None = None  # why signing stopped (an operator must act before it resumes)
    suspect_seq: int | None = None  # an event after the head that no claim matches (yet)
    suspect_since: float | None = None  # wall-clock time it was first seen, shared by this host's processes

    def tree(self) -> Frontier:
        return Frontier(self.size, self.frontier)

    def as_json(self) -> bytes:
        return orjson.dumps(
            {
                "size": self.size,
                "last_hash": self.last_hash.hex(),
                "frontier": [h.hex() for h in self.frontier],
                "signed_size": self.signed_size,
                "halted": self.halted,
                "suspect_seq": self.suspect_seq,
                "suspect_since": self.suspect_since,
            },
            option=orjson.OPT_INDENT_2,
        )

    @classmethod
    def from_json(cls, data: bytes) -> TrustedHead:
        doc: dict[str, Any] = orjson.loads(data)
        head = cls(
            size=int(doc["size"]),
            last_hash=bytes.fromhex(doc["last_hash"]),
            frontier=tuple(bytes.fromhex(h) for h in doc["frontier"]),
            signed_size=int(doc["signed_size"]),
            halted=doc.get("halted"),
            suspect_seq=doc.get("suspect_seq"),
            suspect_since=doc.get("suspect_since"),
        )
        head.tree()  # raises ValueError if the frontier does not match the size
        return head


ProblemKind = Literal["rewritten", "unclaimed"]


@dataclass(frozen=True, slots=True)
class HeadProblem:
    """Why the head could not be extended further: `rewritten` is proof the database no longer holds what
    was produced; `unclaimed` is an event no writer here produced (or one whose claim is still on its way)."""

    kind: ProblemKind
    seq: int
    detail: str


@dataclass(frozen=True, slots=True)
class Extension:
    head: TrustedHead
    problem: HeadProblem | None = None


def extend_head(head: TrustedHead, events: Iterable[StoredEvent], claims: set[Claim]) -> Extension:
    """Walk stored events from the trusted head (the first must be the head's own event, unless the head is
    empty) and advance over each one that chains from it, hashes to what it says, and was claimed."""
    size, last, tree = head.size, head.last_hash, head.tree()
    rows = iter(events)
    if size > 0:
        anchor = next(rows, None)
        if anchor is None or anchor.seq != size:
            return Extension(head, HeadProblem("rewritten", size, f"event {size} is no longer in the log"))
        if anchor.event_hash != last:
            return Extension(
                head,
                HeadProblem("rewritten", size, f"event {size} no longer has the hash this signer recorded"),
            )
    problem = None
    for row in rows:
        expected = size + 1
        if row.seq != expected:
            problem = HeadProblem(
                "rewritten", expected, f"event {expected} is missing before event {row.seq}"
            )
            break
        computed = event_hash(last, row.seq, row.content)
        if row.prev_hash != last or computed != row.event_hash:
            problem = HeadProblem(
                "rewritten", row.seq, f"event {row.seq} does not chain from the head this signer recorded"
            )
            break
        if (row.seq, computed) not in claims:
            problem = HeadProblem("unclaimed", row.seq, f"event {row.seq} was not produced by this gateway")
            break
        tree.append(leaf_hash(computed))
        size, last = row.seq, computed
    advanced = replace(head, size=size, last_hash=last, frontier=tuple(tree.hashes))
    return Extension(advanced, problem)


def head_file_for(signing_key_file: Path, conninfo: str) -> Path:
    """The default head file: beside the signing key, one per database (named by server and database)."""
    params = conninfo_to_dict(conninfo)
    where = f"{params.get('host', '')}|{params.get('port', '')}|{params.get('dbname', '')}"
    tag = hashlib.sha256(where.encode()).hexdigest()[:12]
    return signing_key_file.parent / f"audit-head-{params.get('dbname', 'db')}-{tag}.json"


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_synced(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    _write_synced(tmp, data)
    os.replace(tmp, path)
    _fsync_dir(path.parent)


@dataclass
class HeadStore:
    """The head file, its claims journal and their lock file, shared by every gateway process on a host.

    Writers append claims under a shared lock (one write(2) per batch, O_APPEND); the signer rewrites the
    head and compacts the journal under the exclusive lock. Claims are not fsynced: they survive a process
    crash (the page cache has them) and an OS crash can lose only the last moments' claims, which makes the
    signer stop and raise an alert, never sign something it did not produce."""

    path: Path
    _journal_fd: int | None = field(default=None, init=False, repr=False)
    _journal_ino: int | None = field(default=None, init=False, repr=False)
    _lock_fd: int | None = field(default=None, init=False, repr=False)  # the writers' shared-lock descriptor
    _lock_pid: int | None = field(default=None, init=False, repr=False)  # the process that opened it
    _record_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @property
    def claims_path(self) -> Path:
        return self.path.with_name(self.path.name + ".claims")

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    @contextlib.contextmanager
    def _locked(self, mode: int) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, mode)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def exclusive(self) -> contextlib.AbstractContextManager[None]:
        return self._locked(fcntl.LOCK_EX)

    def record(self, claims: Sequence[Claim], *, block: bool = True) -> None:
        """Append claims to the journal (called by the writer after each batch, before it releases anyone).
        With block=False, raises BlockingIOError instead of waiting for the signer's exclusive lock.

        The shared lock is taken on a descriptor kept open (per process: a forked child opens its own, as
        flock is shared by everything that inherited one descriptor), so a batch costs a lock, a stat and a
        write rather than also a mkdir, an open and a close; `_record_lock` keeps two threads of one process
        from unlocking each other."""
        data = "".join(f"{seq} {digest.hex()}\n" for seq, digest in claims).encode()
        if not self._record_lock.acquire(blocking=block):  # another thread of ours is waiting for the lock
            raise BlockingIOError("the claims journal is being written by another thread")
        try:
            fd = self._shared_lock_fd()
            fcntl.flock(fd, fcntl.LOCK_SH if block else fcntl.LOCK_SH | fcntl.LOCK_NB)
            try:
                os.write(self._open_journal(), data)
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            self._record_lock.release()

    def _shared_lock_fd(self) -> int:
        if self._lock_fd is None or self._lock_pid != os.getpid():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._lock_fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            self._lock_pid = os.getpid()
        return self._lock_fd

    def _open_journal(self) -> int:
        # The signer compacts the journal by renaming a new file over it; reopen when that happened.
        try:
            current = os.stat(self.claims_path).st_ino
        except FileNotFoundError:
            current = None
        if self._journal_fd is None or current != self._journal_ino:
            if self._journal_fd is not None:
                os.close(self._journal_fd)
            self._journal_fd = os.open(self.claims_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            self._journal_ino = os.fstat(self._journal_fd).st_ino
        return self._journal_fd

    def close(self) -> None:
        if self._journal_fd is not None:
            os.close(self._journal_fd)
            self._journal_fd = self._journal_ino = None
        if self._lock_fd is not None and self._lock_pid == os.getpid():
            os.close(self._lock_fd)
        self._lock_fd = self._lock_pid = None

    def claims(self, after: int = 0) -> set[Claim]:
        """Every claim in the journal beyond event `after` (a torn last line, from a crash mid-write, is
        ignored). Read at every signing, over every process's claims: parsed without a split or a context
        manager per line (that was about half of a signing's time)."""
        found: set[Claim] = set()
        for number, digest in self._entries(after):
            try:
                found.add((number, binascii.unhexlify(digest)))
            except binascii.Error:
                continue
        return found

    def _entries(self, after: int) -> Iterator[tuple[int, bytes]]:
        """(position, hex digest) of each well-formed journal line beyond `after`."""
        try:
            data = self.claims_path.read_bytes()
        except FileNotFoundError:
            return
        for line in data.split(b"\n"):
            seq, _, digest = line.partition(b" ")
            if len(digest) == 64 and seq.isdigit() and int(seq) > after:
                yield int(seq), digest

    def load(self) -> TrustedHead | None:
        try:
            return TrustedHead.from_json(self.path.read_bytes())
        except FileNotFoundError:
            return None

    def save(self, head: TrustedHead) -> None:
        """Replace the head file (fsynced: this is the record that must survive anything)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(self.path, head.as_json())

    def stage(self, head: TrustedHead) -> Path:
        """Write and fsync `head` beside the head file under a name of its own (mkstemp), without the lock:
        a disk flush can take hundreds of milliseconds under load, and every writer's claims wait while the
        exclusive lock is held. install() then puts it in place under the lock."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=self.path.name + ".", suffix=".staged", dir=self.path.parent)
        try:
            os.write(fd, head.as_json())
            os.fsync(fd)
        finally:
            os.close(fd)
        return Path(name)

    def install(self, staged: Path) -> None:
        """Rename a staged head over the head file (call under the exclusive lock; sync_dir() after it)."""
        os.replace(staged, self.path)

    def sync_dir(self) -> None:
        """Make the last install() durable (after the lock is released: the rename is already visible)."""
        _fsync_dir(self.path.parent)

    def compact(self, after: int) -> None:
        """Keep only claims beyond `after` (call under the exclusive lock), sorted by position, each line as
        it was (claims() ignores one whose digest is not hex, here as everywhere)."""
        keep = sorted(self._entries(after))
        tmp = self.claims_path.with_name(self.claims_path.name + ".tmp")
        tmp.write_bytes(b"".join(b"%d %s\n" % entry for entry in keep))
        os.replace(tmp, self.claims_path)
