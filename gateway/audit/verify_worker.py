"""What a verifier worker process runs (gateway.audit.parallel starts them): check one chunk of events and
build its subtree. Kept apart so that a spawned worker imports only this, psycopg and merkle."""

from __future__ import annotations

import hashlib
from itertools import repeat
from typing import Any, Literal, NamedTuple

import psycopg

from gateway.audit.merkle import LEAF_PREFIX, levels_of, prefix_frontier

GROUP = 1024  # events per fetched row
# One row per GROUP events, each column an array in seq order: a million events are a thousand rows, not a
# million, so psycopg's per-row work and the protocol's per-row messages all but vanish (the arrays are
# loaded by psycopg's C loaders, one bytes or int per element). Content comes as its UTF-8 bytes (what the
# chain hashes): no decoding into str and back. The chain, the links and the leaves are all checked here,
# against the stored columns, exactly as when the rows came one by one.
GROUPS_SQL = (
    "SELECT e.* FROM generate_series(%(first)s::bigint, %(last)s::bigint - 1, %(group)s::bigint) AS g(start),"
    " LATERAL (SELECT array_agg(seq ORDER BY seq), array_agg(convert_to(content, 'UTF8') ORDER BY seq),"
    " array_agg(prev_hash ORDER BY seq), array_agg(event_hash ORDER BY seq), array_agg(leaf_hash ORDER BY seq)"
    " FROM audit_events WHERE seq > g.start AND seq <= least(g.start + %(group)s::bigint, %(last)s::bigint)) AS e"
    " ORDER BY g.start"
)
BIG: Literal["big"] = "big"
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


def fetch_columns(
    first: int, last: int, group: int = GROUP
) -> tuple[list[int], list[bytes], list[bytes], list[bytes], list[bytes]]:
    """Events (first, last] as five lists in seq order: seq, content bytes, prev, event and leaf hashes."""
    assert _worker_conn is not None
    rows = _worker_conn.execute(
        GROUPS_SQL, {"first": first, "last": last, "group": group}, binary=True
    ).fetchall()
    columns: tuple[list[Any], ...] = ([], [], [], [], [])
    for row in rows:
        if row[0] is not None:  # a group with no events (past the log's end) aggregates to NULLs
            for column, values in zip(columns, row, strict=True):
                column.extend(values)
    seqs, contents, prevs, events, leaves = columns
    return seqs, contents, prevs, events, leaves


def check_chunk(task: tuple[int, int, tuple[int, ...]]) -> Chunk:
    first, last, marks = task
    seqs, contents, prevs, events, leaves = fetch_columns(first, last)
    # Whole-list comparisons (in C): positions first + 1, first + 2, ... with no gap, and each event's stored
    # prev_hash equal to the stored hash of the event before it.
    if seqs != list(range(first + 1, first + 1 + len(seqs))) or prevs[1:] != events[:-1]:
        return Chunk(first, last, False, None, None, ())
    sha256 = hashlib.sha256
    for prev, position, content, stored_event, stored_leaf in zip(
        prevs, map(int.to_bytes, seqs, repeat(8), repeat(BIG)), contents, events, leaves, strict=True
    ):
        computed = sha256(prev + position + sha256(content).digest()).digest()
        if computed != stored_event or sha256(LEAF_PREFIX + computed).digest() != stored_leaf:
            return Chunk(first, last, False, None, None, ())
    levels = levels_of(leaves)
    at = tuple((m, tuple(prefix_frontier(levels, m - first))) for m in marks if m - first <= len(leaves))
    hashes = tuple(prefix_frontier(levels, len(leaves)))
    complete = len(seqs) == last - first
    return Chunk(
        first, last, complete, prevs[0] if prevs else None, events[-1] if events else None, hashes, at
    )
