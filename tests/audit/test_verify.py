"""The pure verifier over an in-memory log: any single edit, deletion or swap is found at the right event."""

from __future__ import annotations

from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import event, given, settings
from hypothesis import strategies as st

from gateway.audit.chain import GENESIS, event_hash, event_leaf
from gateway.audit.checkpoint import Checkpoint, Cosignature, cosign, sign_checkpoint
from gateway.audit.keys import PublicKey, public_key_of
from gateway.audit.merkle import Frontier
from gateway.audit.verify import MAX_FINDINGS, EventRow, Head, verify_log

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
    event(_where(target, size))
    edited = rows[target - 1]
    rows[target - 1] = edited._replace(content=edited.content.replace("200", "204"))
    assert verify_log(rows, checkpoints, KEYS, head).first_bad_seq == target


@settings(max_examples=60, deadline=None)
@given(size=st.integers(2, 60), data=st.data())
def test_any_deleted_event_is_named_first(size: int, data: st.DataObject) -> None:
    rows, checkpoints, head = build_log(size)
    target = data.draw(st.integers(1, size))
    event(_where(target, size))
    del rows[target - 1]
    report = verify_log(rows, checkpoints, KEYS, head)
    assert report.first_bad_seq == target
    assert not report.ok


@settings(max_examples=60, deadline=None)
@given(size=st.integers(3, 60), data=st.data())
def test_any_swap_of_neighbours_is_named_first(size: int, data: st.DataObject) -> None:
    rows, checkpoints, head = build_log(size)
    target = data.draw(st.integers(1, size - 1))
    event(_where(target, size - 1))
    a, b = rows[target - 1], rows[target]
    rows[target - 1], rows[target] = b._replace(seq=a.seq), a._replace(seq=b.seq)
    assert verify_log(rows, checkpoints, KEYS, head).first_bad_seq == target


def _where(target: int, size: int) -> str:
    return "the first event" if target == 1 else "the last event" if target == size else "a middle event"


def _cosigned(size: int, checkpoints: list[Checkpoint], root: bytes | None = None) -> Cosignature:
    at = datetime(2026, 1, 12, 10, tzinfo=UTC)
    target = next((c for c in checkpoints if c.size == size), None)
    return cosign(WITNESS, size, root if root is not None else (target.root if target else bytes(32)), at)


WITNESS = Ed25519PrivateKey.generate()
WITNESS_KEYS: dict[str, PublicKey] = {public_key_of(WITNESS).key_id: public_key_of(WITNESS)}


def test_cosignatures_are_checked_only_against_pinned_witness_keys() -> None:
    rows, checkpoints, head = build_log(24)
    good = _cosigned(16, checkpoints)
    unknown = cosign(
        Ed25519PrivateKey.generate(), 24, checkpoints[-1].root, datetime(2026, 1, 12, tzinfo=UTC)
    )
    report = verify_log(rows, checkpoints, KEYS, head, [good, unknown], WITNESS_KEYS)
    assert [(f.kind, f.checkpoint_size) for f in report.findings] == [("bad-cosignature", 24)]
    assert (report.cosignatures, report.witnessed_size, report.witness_keys_pinned) == (2, 16, True)
    unchecked = verify_log(rows, checkpoints, KEYS, head, [good, unknown])
    assert (unchecked.ok, unchecked.cosignatures, unchecked.witness_keys_pinned) == (True, 0, False)


def test_a_cosignature_over_another_root_or_beyond_the_log_is_a_finding() -> None:
    rows, checkpoints, head = build_log(16)
    wrong_root = _cosigned(8, checkpoints, root=bytes(32))
    beyond = _cosigned(40, checkpoints, root=bytes(32))
    report = verify_log(rows, checkpoints, KEYS, head, [wrong_root, beyond], WITNESS_KEYS)
    assert [(f.kind, f.checkpoint_size) for f in report.findings] == [("root-mismatch", 8), ("truncated", 40)]
    assert report.witnessed_size == 0


def test_the_signed_size_is_the_newest_checkpoint_whose_signature_and_root_verify() -> None:
    rows, checkpoints, head = build_log(30)
    forged = checkpoints[-1].__class__(
        24, checkpoints[-1].root, checkpoints[-1].signed_at, "0" * 16, bytes(64)
    )
    report = verify_log(rows, [*checkpoints[:-1], forged], KEYS, head)
    assert (report.signed_size, report.unsigned_events) == (16, 14)


def test_findings_beyond_the_limit_are_counted() -> None:
    rows, _, head = build_log(60)
    altered = [r._replace(leaf_hash=bytes(32)) for r in rows]
    report = verify_log(altered, [], KEYS, head)
    assert (len(report.findings), report.more_findings) == (MAX_FINDINGS, 60 - MAX_FINDINGS)
    assert {f.kind for f in report.findings} == {"leaf-altered"}
    assert report.as_dict()["more_findings"] == 10


def test_an_event_out_of_order_is_named() -> None:
    rows, _, _ = build_log(6)
    rows.insert(4, rows[1])  # event 2 again, after event 4
    report = verify_log(rows, [], KEYS)
    assert report.findings[0].as_dict() == {
        "kind": "out-of-order",
        "detail": "event 2 appears after event 4",
        "seq": 2,
        "checkpoint_size": None,
    }


def test_a_skipped_position_with_a_consistent_chain_is_a_missing_event() -> None:
    rows, _, _ = build_log(6)
    prev = rows[4].event_hash
    renumbered = event_hash(prev, 7, rows[5].content)  # event 6 dropped, the next chained as event 7
    rows[5] = EventRow(7, rows[5].content, prev, renumbered, bytes(32))
    report = verify_log(rows, [], KEYS)
    assert [(f.kind, f.seq) for f in report.findings] == [("missing-events", 6), ("leaf-altered", 7)]


def test_a_skipped_position_with_an_intact_leaf_is_only_a_missing_event() -> None:
    rows, _, _ = build_log(6)
    prev = rows[4].event_hash
    renumbered = event_hash(prev, 7, rows[5].content)
    rows[5] = EventRow(7, rows[5].content, prev, renumbered, event_leaf(renumbered))
    assert [(f.kind, f.seq) for f in verify_log(rows, [], KEYS).findings] == [("missing-events", 6)]


def test_a_head_whose_last_hash_differs_from_the_walk_is_a_head_mismatch() -> None:
    rows, checkpoints, head = build_log(10)
    report = verify_log(rows, checkpoints, KEYS, Head(head.size, bytes(32)))
    assert [(f.kind, f.seq) for f in report.findings] == [("head-mismatch", 10)]


def test_a_head_smaller_than_the_walk_is_a_head_behind() -> None:
    rows, checkpoints, _ = build_log(10)
    report = verify_log(rows, checkpoints, KEYS, Head(9, rows[8].event_hash))
    assert [(f.kind, f.seq) for f in report.findings] == [("head-behind", 10)]
