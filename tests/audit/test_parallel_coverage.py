"""The parallel verifier's worker, run in this process (coverage does not follow spawned workers), and its
fallback to the sequential walk when a checkpoint's signature does not verify."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from gateway.audit import verify_worker
from gateway.audit.chain import GENESIS
from gateway.audit.merkle import Frontier, root_of
from gateway.audit.parallel import verify_database_parallel
from gateway.audit.reader import db_checkpoints, db_cosignatures, db_events, db_head, db_keys
from gateway.audit.verify import verify_log
from gateway.audit.verify_worker import Chunk
from gateway.db.urls import DatabaseUrls
from tests.audit.conftest import TEMPLATE_EVENTS
from tests.audit.test_tamper import _rehash_from


@pytest.fixture
def owner(tampered_db: DatabaseUrls) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(tampered_db.admin, autocommit=True) as conn:
        for table in ("audit_events", "audit_subjects"):
            conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
        yield conn


@pytest.fixture
def worker(tampered_db: DatabaseUrls) -> Iterator[None]:
    """The worker's connection, opened as the pool's initializer opens it in each spawned process."""
    verify_worker.open_connection(tampered_db.admin)
    yield
    assert verify_worker._worker_conn is not None
    verify_worker._worker_conn.close()
    verify_worker._worker_conn = None


def _stored(owner: psycopg.Connection[Any], first: int, last: int) -> list[tuple[bytes, bytes, bytes]]:
    rows = owner.execute(
        "SELECT prev_hash, event_hash, leaf_hash FROM audit_events WHERE seq > %s AND seq <= %s ORDER BY seq",
        (first, last),
    ).fetchall()
    return [(bytes(p), bytes(e), bytes(x)) for p, e, x in rows]


def _frontier(leaves: list[bytes]) -> tuple[bytes, ...]:
    frontier = Frontier()
    for leaf in leaves:
        frontier.append(leaf)
    return tuple(frontier.hashes)


@pytest.mark.usefixtures("worker")
def test_a_worker_reports_an_untouched_chunk_with_its_links_and_leaves(
    owner: psycopg.Connection[Any],
) -> None:
    stored = _stored(owner, 16, 32)
    leaves = [leaf for _, _, leaf in stored]
    assert verify_worker.check_chunk((16, 32, (21,))) == Chunk(
        16, 32, True, stored[0][0], stored[-1][1], (root_of(leaves),), ((21, _frontier(leaves[:5])),)
    )


@pytest.mark.usefixtures("worker")
def test_the_first_chunk_starts_from_genesis(owner: psycopg.Connection[Any]) -> None:
    chunk = verify_worker.check_chunk((0, 16, ()))
    assert (chunk.ok, chunk.first_prev, len(chunk.hashes), chunk.marks) == (True, GENESIS, 1, ())


@pytest.mark.usefixtures("worker")
def test_a_worker_refuses_a_chunk_with_an_altered_event(owner: psycopg.Connection[Any]) -> None:
    owner.execute("UPDATE audit_events SET content = content || ' ' WHERE seq = 20")
    assert verify_worker.check_chunk((16, 32, ())) == Chunk(16, 32, False, None, None, ())


@pytest.mark.usefixtures("worker")
def test_a_worker_refuses_a_chunk_with_a_missing_event(owner: psycopg.Connection[Any]) -> None:
    owner.execute("DELETE FROM audit_subjects WHERE seq = 20")
    owner.execute("DELETE FROM audit_events WHERE seq = 20")
    assert verify_worker.check_chunk((16, 32, ())) == Chunk(16, 32, False, None, None, ())


@pytest.mark.usefixtures("worker")
@pytest.mark.parametrize("column", ["prev_hash", "event_hash", "leaf_hash"])
def test_a_worker_refuses_a_chunk_with_one_altered_stored_hash(
    owner: psycopg.Connection[Any], column: str
) -> None:
    # The content is untouched: only the stored column disagrees (a broken link, chain or leaf).
    owner.execute(f"UPDATE audit_events SET {column} = sha256({column}) WHERE seq = 20")
    assert verify_worker.check_chunk((16, 32, ())) == Chunk(16, 32, False, None, None, ())


@pytest.mark.usefixtures("worker")
@pytest.mark.parametrize(("first", "last"), [(16, 37), (0, 4), (TEMPLATE_EVENTS - 3, TEMPLATE_EVENTS + 9)])
def test_events_fetched_in_groups_are_the_rows_in_seq_order(
    owner: psycopg.Connection[Any], first: int, last: int
) -> None:
    # Groups of 4: several rows per chunk, a last group cut short, and groups past the log's end (no events).
    rows = owner.execute(
        "SELECT seq, convert_to(content, 'UTF8'), prev_hash, event_hash, leaf_hash FROM audit_events"
        " WHERE seq > %s AND seq <= %s ORDER BY seq",
        (first, last),
    ).fetchall()
    expected = [list(column) for column in zip(*rows, strict=True)] if rows else [[], [], [], [], []]
    assert [list(c) for c in verify_worker.fetch_columns(first, last, group=4)] == expected
    assert len(expected[0]) == min(last, TEMPLATE_EVENTS) - first


@pytest.mark.usefixtures("worker")
def test_a_worker_finds_a_chunk_whose_last_events_are_gone_incomplete(owner: psycopg.Connection[Any]) -> None:
    stored = _stored(owner, 16, 30)
    owner.execute("DELETE FROM audit_subjects WHERE seq > 30 AND seq <= 32")
    owner.execute("DELETE FROM audit_events WHERE seq > 30 AND seq <= 32")
    remaining = _frontier([leaf for _, _, leaf in stored])  # 14 leaves: subtrees of 8, 4 and 2
    # A checkpoint size past the events that remain gets no frontier; the chunk is refused anyway.
    assert verify_worker.check_chunk((16, 32, (30, 31))) == Chunk(
        16, 32, False, stored[0][0], stored[-1][1], remaining, ((30, remaining),)
    )


@pytest.mark.usefixtures("worker")
def test_a_worker_given_a_range_past_the_log_finds_nothing() -> None:
    assert verify_worker.check_chunk((TEMPLATE_EVENTS, TEMPLATE_EVENTS + 16, ())) == Chunk(
        TEMPLATE_EVENTS, TEMPLATE_EVENTS + 16, False, None, None, ()
    )


def test_checkpoints_no_given_key_verifies_are_left_to_the_sequential_walk(
    tampered_db: DatabaseUrls, owner: psycopg.Connection[Any]
) -> None:
    report = verify_database_parallel(tampered_db.admin, keys={}, workers=2, chunk=16)
    sequential = verify_log(
        db_events(owner), db_checkpoints(owner), {}, db_head(owner), db_cosignatures(owner)
    )
    assert [f.as_dict() for f in report.findings] == [f.as_dict() for f in sequential.findings]
    assert sorted({f.kind for f in report.findings}) == ["bad-signature"]
    assert [f.checkpoint_size for f in report.findings] == [50, 100, 120]


@pytest.mark.parametrize("chunk", [0, 12, -16])
def test_a_chunk_size_that_is_not_a_power_of_two_is_refused_before_any_work(chunk: int) -> None:
    # Each full chunk must be one aligned subtree of the tree; nothing is read from the (unreachable) database.
    with pytest.raises(ValueError, match=f"chunk must be a power of two, not {chunk}"):
        verify_database_parallel("postgresql://nobody@/unreachable?host=/nonexistent", chunk=chunk)


@pytest.mark.parametrize(("first", "inside"), [(49, True), (113, False)])
def test_a_signed_root_that_does_not_match_goes_to_the_sequential_walk(
    tampered_db: DatabaseUrls, owner: psycopg.Connection[Any], first: int, inside: bool
) -> None:
    assert TEMPLATE_EVENTS == 120  # the checkpoints are at 50, 100 and 120
    # Events from `first` on are rewritten with a consistent chain, so every chunk and link checks out and only
    # the signed roots disagree: checkpoint 50 lies inside the chunk (48, 64], checkpoint 120 ends the log.
    _rehash_from(owner, first)
    report = verify_database_parallel(tampered_db.admin, workers=2, chunk=16)
    sequential = verify_log(
        db_events(owner), db_checkpoints(owner), db_keys(owner), db_head(owner), db_cosignatures(owner)
    )
    assert [f.as_dict() for f in report.findings] == [f.as_dict() for f in sequential.findings]
    mismatched = [50, 100, 120] if inside else [120]
    assert [(f.kind, f.checkpoint_size) for f in report.findings] == [
        ("root-mismatch", s) for s in mismatched
    ]


def test_spawned_verifier_workers_do_not_rerun_the_callers_main_module() -> None:
    """While the pool starts, multiprocessing's own preparation data (what a spawned child runs before its
    task) names no main module to re-run; afterwards the caller's main module is as it was."""
    import multiprocessing.spawn
    import sys

    from gateway.audit.parallel import _workers_skip_main

    main = sys.modules["__main__"]
    spec = main.__spec__
    with _workers_skip_main():
        data = multiprocessing.spawn.get_preparation_data("verifier")
    assert "init_main_from_path" not in data
    assert data["init_main_from_name"] == "gateway.audit.verify_worker.__main__"
    assert main.__spec__ is spec
