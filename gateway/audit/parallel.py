"""Verify a large log in the database with several processes: events and each chunk's subtree in the workers,
the links between chunks and the few hundred chunk roots here."""

from __future__ import annotations

import hashlib
import multiprocessing
from typing import Any, NamedTuple

import psycopg

from gateway.audit.chain import GENESIS
from gateway.audit.checkpoint import verify_checkpoint
from gateway.audit.keys import PublicKey
from gateway.audit.merkle import LEAF_PREFIX, Frontier, levels_of, prefix_frontier
from gateway.audit.reader import db_checkpoints, db_cosignatures, db_events, db_head, db_keys
from gateway.audit.verify import Report, check_checkpoints, check_cosignatures, verify_log

CHUNK = 1 << 15  # a power of two: each full chunk is one aligned subtree of the RFC 9162 tree
# Content comes as its UTF-8 bytes (what the chain hashes): no decoding into str and back.
CHUNK_SQL = (
    "SELECT seq, convert_to(content, 'UTF8'), prev_hash, event_hash, leaf_hash FROM audit_events"
    " WHERE seq > %s AND seq <= %s ORDER BY seq"
)
_worker_conn: psycopg.Connection[Any] | None = None


class Chunk(NamedTuple):
    """What a worker found in events (first, last]: whether each is self-consistent and linked, the frontier of
    its leaves, and the frontier of its leaves up to each checkpoint size asked for inside it."""

    first: int
    last: int
    ok: bool
    first_prev: bytes | None
    last_hash: bytes | None
    hashes: tuple[bytes, ...]
    marks: tuple[tuple[int, tuple[bytes, ...]], ...] = ()


def _open(url: str) -> None:
    global _worker_conn
    _worker_conn = psycopg.connect(url, autocommit=True)


def _check_chunk(task: tuple[int, int, tuple[int, ...]]) -> Chunk:
    first, last, marks = task
    assert _worker_conn is not None
    rows = _worker_conn.execute(CHUNK_SQL, (first, last), binary=True).fetchall()
    sha256 = hashlib.sha256
    leaves: list[bytes] = []
    expected, prev = first + 1, None
    for seq, content, stored_prev, stored_event, stored_leaf in rows:
        linked = seq == expected and (prev is None or stored_prev == prev)
        computed = sha256(stored_prev + seq.to_bytes(8, "big") + sha256(content).digest()).digest()
        if not linked or computed != stored_event or sha256(LEAF_PREFIX + computed).digest() != stored_leaf:
            return Chunk(first, last, False, None, None, ())
        leaves.append(stored_leaf)
        prev, expected = stored_event, seq + 1
    complete = expected == last + 1
    levels = levels_of(leaves)
    at = tuple((m, tuple(prefix_frontier(levels, m - first))) for m in marks if m - first <= len(leaves))
    hashes = tuple(prefix_frontier(levels, len(leaves)))
    return Chunk(first, last, complete, rows[0][2] if rows else None, prev, hashes, at)


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
    with psycopg.connect(url, autocommit=True) as conn:
        checkpoints, head = db_checkpoints(conn), db_head(conn)
        cosignatures = db_cosignatures(conn)
        keys = keys if keys is not None else db_keys(conn)
        row = conn.execute("SELECT coalesce(max(seq), 0), count(*) FROM audit_events").fetchone()
        assert row is not None
        size, count = int(row[0]), int(row[1])

        def sequential() -> Report:
            return verify_log(db_events(conn), checkpoints, keys, head, cosignatures, witness_keys)

        if size != count or size != head.size:
            return sequential()
        pending = sorted(checkpoints, key=lambda c: c.size)
        if not all(verify_checkpoint(cp, keys) for cp in pending):
            return sequential()
        signed_roots = {cp.size: cp.root for cp in pending}
        if any(signed_roots.get(c.size) != c.root for c in cosignatures):
            return sequential()  # a cosignature over a root no checkpoint signed: let the walk locate it
        sizes = [cp.size for cp in pending]
        tasks = [
            (start, end, tuple(s for s in sizes if start < s < end))
            for start, end in ((start, min(start + chunk, size)) for start in range(0, size, chunk))
        ]
        # spawn, not fork: a fork of a process with other threads (a server, a test worker, a logging
        # listener) can inherit a held lock and hang; the workers import only this module.
        context = multiprocessing.get_context("spawn")
        frontier = Frontier()
        prev = GENESIS
        position = 0
        with context.Pool(workers, initializer=_open, initargs=(url,)) as pool:
            for part in pool.imap(_check_chunk, tasks):
                if not part.ok or (part.first_prev is not None and part.first_prev != prev):
                    pool.terminate()
                    return sequential()
                # The checkpoints inside the chunk: this log's frontier so far joined with the chunk's prefix.
                for mark, hashes in part.marks:
                    at_mark = frontier.copy()
                    at_mark.extend(mark - part.first, hashes)
                    if at_mark.root() != pending[position].root:
                        pool.terminate()
                        return sequential()
                    position += 1
                frontier.extend(part.last - part.first, part.hashes)
                while position < len(pending) and pending[position].size == frontier.size:
                    if frontier.root() != pending[position].root:
                        pool.terminate()
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
