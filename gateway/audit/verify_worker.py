"""What a verifier worker process runs (gateway.audit.parallel starts them): check one chunk of events and
build its subtree. Kept apart so that a spawned worker imports only this, psycopg and merkle."""

from __future__ import annotations

import hashlib
from typing import Any, NamedTuple

import psycopg

from gateway.audit.merkle import LEAF_PREFIX, levels_of, prefix_frontier

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


def open_connection(url: str) -> None:
    global _worker_conn
    _worker_conn = psycopg.connect(url, autocommit=True)


def check_chunk(task: tuple[int, int, tuple[int, ...]]) -> Chunk:
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
