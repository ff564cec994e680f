"""Verify a large log in the database with several processes: events and each chunk's subtree in the workers,
the links between chunks and the few hundred chunk roots here."""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.machinery import ModuleSpec

import psycopg

from gateway.audit.chain import GENESIS
from gateway.audit.checkpoint import verify_checkpoint
from gateway.audit.keys import PublicKey
from gateway.audit.merkle import Frontier
from gateway.audit.reader import (
    db_checkpoints,
    db_cosignatures,
    db_events,
    db_head,
    db_keys,
)
from gateway.audit.verify import (
    Report,
    check_checkpoints,
    check_cosignatures,
    verify_log,
)
from gateway.audit.verify_worker import check_chunk, open_connection

CHUNK = 1 << 15  # a power of two: each full chunk is one aligned subtree of the RFC 9162 tree


@contextmanager
def _workers_skip_main() -> Iterator[None]:
    """While the pool starts: a spawned worker re-runs the parent's __main__ module (the bench script, or
    the `gateway` console script, which imports the whole CLI) unless that module's spec names a `__main__`
    module, which multiprocessing leaves alone (multiprocessing.spawn.get_preparation_data and
    _fixup_main_from_name). The workers need none of it (their code is in verify_worker, found by name), so
    the spec says so while they start, and is then put back."""
    main = sys.modules["__main__"]
    saved = main.__spec__
    main.__spec__ = ModuleSpec("gateway.audit.verify_worker.__main__", None)
    try:
        yield
    finally:
        main.__spec__ = saved


def verify_database_parallel(
    url: str,
    keys: dict[str, PublicKey] | None = None,
    workers: int = 2,
    chunk: int = CHUNK,
    witness_keys: dict[str, PublicKey] | None = None,
) -> Report:
    """The same verdict as verify_log over the database, faster; any anomaly is re-walked sequentially so the
    findings (and the first bad event) come from the one careful implementation."""
    if chunk < 1 or chunk & (chunk - 1):
        raise ValueError(f"chunk must be a power of two, not {chunk}")
    # spawn, not fork: a fork of a process with other threads (a server, a test worker, a logging listener)
    # can inherit a held lock and hang; the workers import only verify_worker (hashlib, psycopg, merkle), not
    # the caller's __main__. The pool starts first: its processes import and connect while this one reads the
    # checkpoints, and the signatures are checked here while the workers hash the first chunks.
    context = multiprocessing.get_context("spawn")
    with _workers_skip_main():
        pool = context.Pool(workers, initializer=open_connection, initargs=(url,))
    with pool, psycopg.connect(url, autocommit=True) as conn:
        checkpoints, head = db_checkpoints(conn), db_head(conn)
        cosignatures = db_cosignatures(conn)
        keys = keys if keys is not None else db_keys(conn)
        row = conn.execute("SELECT coalesce(max(seq), 0), count(*) FROM audit_events").fetchone()
        assert row is not None
        size, count = int(row[0]), int(row[1])

        def sequential() -> Report:
            pool.terminate()
            return verify_log(db_events(conn), checkpoints, keys, head, cosignatures, witness_keys)

        if size != count or size != head.size:
            return sequential()
        pending = sorted(checkpoints, key=lambda c: c.size)
        signed_roots = {cp.size: cp.root for cp in pending}
        if any(signed_roots.get(c.size) != c.root for c in cosignatures):
            return sequential()  # a cosignature over a root no checkpoint signed: let the walk locate it
        sizes = [cp.size for cp in pending]
        tasks = [
            (start, end, tuple(s for s in sizes if start < s < end))
            for start, end in ((start, min(start + chunk, size)) for start in range(0, size, chunk))
        ]
        parts = pool.imap(check_chunk, tasks)  # the workers start on the chunks now
        if not all(verify_checkpoint(cp, keys) for cp in pending):
            return sequential()
        frontier = Frontier()
        prev = GENESIS
        position = 0
        for part in parts:
            if not part.ok or (part.first_prev is not None and part.first_prev != prev):
                return sequential()
            # The checkpoints inside the chunk: this log's frontier so far joined with the chunk's prefix.
            for mark, hashes in part.marks:
                at_mark = frontier.copy()
                at_mark.extend(mark - part.first, hashes)
                if at_mark.root() != pending[position].root:
                    return sequential()
                position += 1
            frontier.extend(part.last - part.first, part.hashes)
            while position < len(pending) and pending[position].size == frontier.size:
                if frontier.root() != pending[position].root:
                    return sequential()
                position += 1
            prev = part.last_hash if part.last_hash is not None else prev
        if position != len(pending) or prev != head.last_hash:
            return sequential()
        report = Report(events=frontier.size, last_root=frontier.root())
        check_checkpoints(report, pending, keys, signed_roots)  # every root was matched above
        if witness_keys is not None:
            check_cosignatures(report, cosignatures, witness_keys, signed_roots)
        return report
