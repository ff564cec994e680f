"""The signer's trusted head: it advances only over events that chain from it and were claimed, and its files
survive concurrent writers, compaction and torn writes."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from gateway.audit.chain import GENESIS, event_hash
from gateway.audit.head import HeadStore, StoredEvent, TrustedHead, extend_head, head_file_for
from gateway.audit.merkle import Frontier, leaf_hash


def build(size: int) -> list[StoredEvent]:
    rows, prev = [], GENESIS
    for seq in range(1, size + 1):
        content = f'{{"request_id":"r{seq}"}}'
        current = event_hash(prev, seq, content)
        rows.append(StoredEvent(seq, content, prev, current))
        prev = current
    return rows


def head_at(rows: list[StoredEvent], size: int) -> TrustedHead:
    tree = Frontier()
    for row in rows[:size]:
        tree.append(leaf_hash(row.event_hash))
    last = rows[size - 1].event_hash if size else GENESIS
    return TrustedHead(size=size, last_hash=last, frontier=tuple(tree.hashes), signed_size=size)


@settings(max_examples=80, deadline=None)
@given(size=st.integers(1, 40), data=st.data())
def test_the_head_stops_at_the_first_unclaimed_event(size: int, data: st.DataObject) -> None:
    rows = build(size)
    claimed = data.draw(st.sets(st.integers(1, size)))
    first_unclaimed = min(set(range(1, size + 1)) - claimed, default=None)
    event("all claimed" if first_unclaimed is None else "stops early")
    result = extend_head(TrustedHead(), rows, {(r.seq, r.event_hash) for r in rows if r.seq in claimed})
    reached = size if first_unclaimed is None else first_unclaimed - 1
    expected = head_at(rows, reached)
    assert (result.head.size, result.head.last_hash, result.head.frontier) == (
        expected.size,
        expected.last_hash,
        expected.frontier,
    )
    problem = None if result.problem is None else (result.problem.kind, result.problem.seq)
    assert problem == (None if first_unclaimed is None else ("unclaimed", first_unclaimed))


@settings(max_examples=60, deadline=None)
@given(size=st.integers(2, 30), data=st.data())
def test_an_altered_event_after_the_head_is_a_rewrite(size: int, data: st.DataObject) -> None:
    rows = build(size)
    start = data.draw(st.integers(1, size - 1))
    target = data.draw(st.integers(start + 1, size))
    event("the event just after the head" if target == start + 1 else "a later event")
    rows[target - 1] = rows[target - 1]._replace(content=rows[target - 1].content + " ")
    claims = {(r.seq, r.event_hash) for r in rows}
    result = extend_head(head_at(rows, start), rows[start - 1 :], claims)
    assert result.head.size == target - 1
    assert result.problem is not None
    assert (result.problem.kind, result.problem.seq) == ("rewritten", target)


def test_the_head_event_itself_must_be_unchanged() -> None:
    rows = build(5)
    head = head_at(rows, 3)
    claims = {(r.seq, r.event_hash) for r in rows}
    changed = [rows[2]._replace(event_hash=bytes(32)), *rows[3:]]
    missing = rows[3:]
    for stored, detail in [
        (changed, "event 3 no longer has the hash this signer recorded"),
        (missing, "event 3 is no longer in the log"),
    ]:
        result = extend_head(head, stored, claims)
        assert result.head == head
        assert result.problem is not None
        assert (result.problem.kind, result.problem.detail) == ("rewritten", detail)


def test_a_gap_after_the_head_is_a_rewrite() -> None:
    rows = build(6)
    result = extend_head(head_at(rows, 2), [rows[1], rows[3], rows[4]], {(r.seq, r.event_hash) for r in rows})
    assert result.problem is not None
    assert (result.problem.kind, result.problem.detail) == ("rewritten", "event 3 is missing before event 4")


def test_trusted_head_round_trips_through_its_file(tmp_path: Path) -> None:
    rows = build(7)
    head = TrustedHead(
        size=7,
        last_hash=rows[-1].event_hash,
        frontier=head_at(rows, 7).frontier,
        signed_size=5,
        halted=None,
        suspect_seq=8,
        suspect_since=1767225600.5,
    )
    store = HeadStore(tmp_path / "head.json")
    store.save(head)
    assert store.load() == head
    assert (tmp_path / "head.json").stat().st_mode & 0o777 == 0o600


def test_a_head_file_whose_frontier_does_not_fit_its_size_is_refused() -> None:
    broken = TrustedHead(size=3, frontier=(bytes(32),)).as_json()
    with pytest.raises(ValueError, match="frontier does not match its size"):
        TrustedHead.from_json(broken)


def test_claims_survive_compaction_and_a_torn_last_line(tmp_path: Path) -> None:
    store = HeadStore(tmp_path / "head.json")
    store.record([(1, b"\x01" * 32), (2, b"\x02" * 32)])
    store.record([(3, b"\x03" * 32)])
    with store.claims_path.open("ab") as handle:
        handle.write(b"4 0404")  # a crash in the middle of a write
    assert store.claims() == {(1, b"\x01" * 32), (2, b"\x02" * 32), (3, b"\x03" * 32)}
    with store.exclusive():
        store.compact(2)
    store.record([(5, b"\x05" * 32)])  # the writer notices the new file and appends to it, not the old one
    assert store.claims() == {(3, b"\x03" * 32), (5, b"\x05" * 32)}
    store.close()


def test_claims_beyond_a_position_skip_earlier_and_malformed_lines(tmp_path: Path) -> None:
    store = HeadStore(tmp_path / "head.json")
    store.record([(1, b"\x01" * 32), (2, b"\x02" * 32), (3, b"\x03" * 32)])
    with store.claims_path.open("ab") as handle:
        handle.write(b"4 " + b"zz" * 32 + b"\n")  # not hex
        handle.write(b"-5 " + (b"\x05" * 32).hex().encode() + b"\n")  # not a position
        handle.write(b"6 " + (b"\x06" * 32).hex().encode() + b"\n")
    assert store.claims(after=2) == {(3, b"\x03" * 32), (6, b"\x06" * 32)}
    assert store.claims() == {(1, b"\x01" * 32), (2, b"\x02" * 32), (3, b"\x03" * 32), (6, b"\x06" * 32)}
    store.close()


def test_a_staged_head_is_flushed_outside_the_lock_and_becomes_the_head_only_when_installed(
    tmp_path: Path,
) -> None:
    store = HeadStore(tmp_path / "head.json")
    old, new = head_at(build(3), 2), head_at(build(3), 3)
    store.save(old)
    staged = store.stage(new)  # takes no lock: a writer recording a claim meanwhile does not wait
    store.record([(3, new.last_hash)], block=False)
    assert store.load() == old
    with store.exclusive():
        store.install(staged)
    store.sync_dir()
    assert store.load() == new
    assert not staged.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["head.json", "head.json.claims", "head.json.lock"]
    store.close()


def test_a_writer_that_would_wait_for_the_signer_says_so(tmp_path: Path) -> None:
    store, other = HeadStore(tmp_path / "head.json"), HeadStore(tmp_path / "head.json")
    with other.exclusive(), pytest.raises(BlockingIOError):
        store.record([(1, b"\x01" * 32)], block=False)
    store.record([(1, b"\x01" * 32)], block=False)
    assert store.claims() == {(1, b"\x01" * 32)}
    store.close()


def test_a_second_thread_does_not_wait_behind_one_that_waits_for_the_signer(tmp_path: Path) -> None:
    # Two threads of one process share the descriptor, and flock would let the second unlock the first:
    # while one waits for the signer's exclusive lock, a non-blocking record from another says so at once.
    store, signer = HeadStore(tmp_path / "head.json"), HeadStore(tmp_path / "head.json")
    with signer.exclusive():
        waiting = threading.Thread(target=store.record, args=([(1, b"\x01" * 32)],))
        waiting.start()
        deadline = time.monotonic() + 10
        while not store._record_lock.locked() and time.monotonic() < deadline:
            time.sleep(0.01)
        with pytest.raises(BlockingIOError, match="another thread"):
            store.record([(2, b"\x02" * 32)], block=False)
        assert waiting.is_alive()
    waiting.join(10)
    assert not waiting.is_alive()
    assert store.claims() == {(1, b"\x01" * 32)}
    store.close()


def _record_in_child(store: HeadStore, inherited: int, out: Any) -> None:
    store.record([(2, b"\x02" * 32)], block=False)
    out.put((store._lock_pid == os.getpid(), store._lock_fd != inherited))


def test_a_forked_writer_locks_through_a_descriptor_of_its_own(tmp_path: Path) -> None:
    # flock belongs to the open file description: a child still using its parent's descriptor would share
    # (and release) the parent's lock, so the child opens its own.
    store = HeadStore(tmp_path / "head.json")
    store.record([(1, b"\x01" * 32)], block=False)
    inherited = store._lock_fd
    assert inherited is not None
    context = multiprocessing.get_context("fork")
    out = context.Queue()
    child = context.Process(target=_record_in_child, args=(store, inherited, out))
    child.start()
    child.join(30)
    assert child.exitcode == 0
    assert out.get(timeout=5) == (True, True)
    assert store.claims() == {(1, b"\x01" * 32), (2, b"\x02" * 32)}
    store.close()


def test_each_database_gets_its_own_head_file(tmp_path: Path) -> None:
    key = tmp_path / "audit-signing-key.pem"
    one = head_file_for(key, "postgresql://app@/gateway?host=/run/pg")
    same = head_file_for(key, "postgresql://other_user@/gateway?host=/run/pg")
    other = head_file_for(key, "postgresql://app@/gateway_copy?host=/run/pg")
    assert one == same
    assert one != other
    assert one.parent == tmp_path
    assert one.name.startswith("audit-head-gateway-")
