"""The pure verifier over an in-memory log: any single edit, deletion or swap is found at the right event."""

from __future__ import annotations

from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from gateway.audit.chain import GENESIS, event_hash, event_leaf
from gateway.audit.checkpoint import Checkpoint, sign_checkpoint
from gateway.audit.keys import PublicKey, public_key_of
from gateway.audit.merkle import Frontier
from gateway.audit.verify import EventRow, Head, verify_log

KEY = Ed25519PrivateKey.generate()
KEYS: dict[str, PublicKey] = {public_key_of(KEY).key_id: public_key_of(KEY)}
EVERY = 8


def build_log(size: int) -> tuple[list[EventRow], list[Checkpoint], Head]:
    rows, checkpoints, frontier, prev = [], [], Frontier(), GENESIS
    now = datetime(2026, 1, 12, 9, 30, tzinfo=UTC)
    for seq in range(1, size + 1):
        content = f'{{"request_id":"r{seq}","status":200}}'
        current = event_hash(prev, seq, content)
        rows.append(EventRow(seq, content, prev, current, event_leaf(current)))
        frontier.append(event_leaf(current))
        if seq % EVERY == 0:
            checkpoints.append(sign_checkpoint(KEY, seq, frontier.root(), now))
        prev = current
    return rows, checkpoints, Head(size, prev)


def test_an_untouched_log_verifies_with_every_checkpoint() -> None:
    rows, checkpoints, head = build_log(40)
    report = verify_log(rows, checkpoints, KEYS, head)
    assert report.ok
    assert (report.events, report.checkpoints) == (40, 5)


def test_an_unknown_signing_key_is_reported() -> None:
    rows, checkpoints, head = build_log(16)
    report = verify_log(rows, checkpoints, {}, head)
    assert [f.kind for f in report.findings] == ["bad-signature", "bad-signature"]


@settings(max_examples=60, deadline=None)
@given(size=st.integers(2, 60), data=st.data())
def test_any_edited_event_is_named_first(size: int, data: st.DataObject) -> None:
    rows, checkpoints, head = build_log(size)
    target = data.draw(st.integers(1, size))
    edited = rows[target - 1]
    rows[target - 1] = edited._replace(content=edited.content.replace("200", "204"))
    assert verify_log(rows, checkpoints, KEYS, head).first_bad_seq == target


@settings(max_examples=60, deadline=None)
@given(size=st.integers(2, 60), data=st.data())
def test_any_deleted_event_is_named_first(size: int, data: st.DataObject) -> None:
    rows, checkpoints, head = build_log(size)
    target = data.draw(st.integers(1, size))
    del rows[target - 1]
    report = verify_log(rows, checkpoints, KEYS, head)
    assert report.first_bad_seq == target
    assert not report.ok


@settings(max_examples=60, deadline=None)
@given(size=st.integers(3, 60), data=st.data())
def test_any_swap_of_neighbours_is_named_first(size: int, data: st.DataObject) -> None:
    rows, checkpoints, head = build_log(size)
    target = data.draw(st.integers(1, size - 1))
    a, b = rows[target - 1], rows[target]
    rows[target - 1], rows[target] = b._replace(seq=a.seq), a._replace(seq=b.seq)
    assert verify_log(rows, checkpoints, KEYS, head).first_bad_seq == target
