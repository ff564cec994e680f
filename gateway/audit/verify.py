"""Verify the audit log offline: chain, Merkle tree, checkpoint signatures and proofs (pure functions)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from gateway.audit.chain import GENESIS, event_hash
from gateway.audit.checkpoint import Checkpoint, Cosignature, verify_checkpoint, verify_cosignature
from gateway.audit.keys import PublicKey
from gateway.audit.merkle import LEAF_PREFIX, Frontier, leaf_hash, verify_consistency, verify_inclusion

MAX_FINDINGS = 50


class EventRow(NamedTuple):
    """One stored event as the verifier sees it (from the database or an export); a plain tuple will do."""

    seq: int
    content: str
    prev_hash: bytes
    event_hash: bytes
    leaf_hash: bytes


EventTuple = tuple[int, str, bytes, bytes, bytes]


@dataclass(frozen=True, slots=True)
class Finding:
    """Something that does not verify, located at an event (seq) or a checkpoint (size)."""

    kind: str
    detail: str
    seq: int | None = None
    checkpoint_size: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "detail": self.detail,
            "seq": self.seq,
            "checkpoint_size": self.checkpoint_size,
        }


@dataclass(frozen=True, slots=True)
class Head:
    """The database's tree head: what the writer believes the log is."""

    size: int
    last_hash: bytes


@dataclass(slots=True)
class Report:
    events: int = 0
    checkpoints: int = 0
    last_root: bytes | None = None
    findings: list[Finding] = field(default_factory=list)
    more_findings: int = 0
    signed_size: int = 0  # the newest checkpoint whose signature and root both verify
    cosignatures: int = 0  # cosignatures checked (0 when no witness key is pinned)
    witnessed_size: int = 0  # the newest size a pinned witness co-signed and the events reproduce
    keys_pinned: bool = True  # False: checked against keys the log itself carries (proves nothing)
    witness_keys_pinned: bool = False

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def unsigned_events(self) -> int:
        """Events after the newest verified checkpoint: no signature vouches for them yet."""
        return max(0, self.events - self.signed_size)

    @property
    def first_bad_seq(self) -> int | None:
        located = [f.seq for f in self.findings if f.seq is not None]
        return min(located) if located else None

    def add(self, finding: Finding) -> None:
        if len(self.findings) < MAX_FINDINGS:
            self.findings.append(finding)
        else:
            self.more_findings += 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "events": self.events,
            "checkpoints": self.checkpoints,
            "root": None if self.last_root is None else self.last_root.hex(),
            "first_bad_seq": self.first_bad_seq,
            "findings": [f.as_dict() for f in self.findings],
            "more_findings": self.more_findings,
            "signed_size": self.signed_size,
            "unsigned_events": self.unsigned_events,
            "cosignatures": self.cosignatures,
            "witnessed_size": self.witnessed_size,
            "keys_pinned": self.keys_pinned,
            "witness_keys_pinned": self.witness_keys_pinned,
        }


def _check_event(row: EventRow, expected_seq: int, prev: bytes, report: Report) -> tuple[bytes, bytes]:
    """Check one event against the running chain.

    Returns the hash the chain continues from and the hash the tree is built from: the tree always uses what
    the content recomputes to, so a rewrite shows against the signed roots even where the chain resyncs.
    """
    if row.seq != expected_seq:
        if row.seq > expected_seq:
            missing = f"{expected_seq}" if row.seq == expected_seq + 1 else f"{expected_seq}..{row.seq - 1}"
            report.add(
                Finding(
                    "missing-events", f"events {missing} are missing before event {row.seq}", expected_seq
                )
            )
        else:
            report.add(
                Finding("out-of-order", f"event {row.seq} appears after event {expected_seq - 1}", row.seq)
            )
    computed = event_hash(prev, row.seq, row.content)
    if computed == row.event_hash and row.prev_hash == prev:
        if leaf_hash(computed) != row.leaf_hash:
            report.add(
                Finding(
                    "leaf-altered", f"event {row.seq}: stored leaf hash is not the hash of the event", row.seq
                )
            )
        return computed, computed
    if event_hash(row.prev_hash, row.seq, row.content) == row.event_hash:
        # The event is intact on its own: it is the link to its predecessor that is broken.
        report.add(
            Finding(
                "chain-broken",
                f"event {row.seq}: previous hash does not match event {row.seq - 1}"
                " (an event was removed, reordered, or altered and rehashed)",
                row.seq,
            )
        )
    else:
        report.add(Finding("content-altered", f"event {row.seq}: content does not match its hash", row.seq))
    return row.event_hash, computed  # resynchronise on the stored hash so only this event is reported


def verify_log(
    events: Iterable[EventTuple],
    checkpoints: Sequence[Checkpoint],
    keys: dict[str, PublicKey],
    head: Head | None = None,
    cosignatures: Sequence[Cosignature] = (),
    witness_keys: dict[str, PublicKey] | None = None,
) -> Report:
    """Walk the events in order, recomputing chain and tree; check every checkpoint (and, with witness keys,
    every cosignature) against the tree."""
    report = Report()
    pending = sorted(checkpoints, key=lambda c: c.size)
    marks = sorted({c.size for c in pending} | {c.size for c in cosignatures})
    roots_at: dict[int, bytes] = {}
    frontier = Frontier()
    prev = GENESIS
    expected = 1
    position = 0
    next_mark = marks[0] if marks else -1
    sha256 = hashlib.sha256
    count = 0
    for row in events:
        seq, content, stored_prev, stored_event, stored_leaf = row
        # The common case inline (this loop is the verifier's whole cost); anything odd goes to _check_event.
        computed = sha256(prev + seq.to_bytes(8, "big") + sha256(content.encode()).digest()).digest()
        if seq == expected and computed == stored_event and stored_prev == prev:
            leaf = sha256(LEAF_PREFIX + computed).digest()
            if leaf != stored_leaf:
                report.add(
                    Finding(
                        "leaf-altered", f"event {seq}: stored leaf hash is not the hash of the event", seq
                    )
                )
            prev = computed
        else:
            prev, tree_hash = _check_event(EventRow(*row), expected, prev, report)
            leaf = leaf_hash(tree_hash)
        expected = seq + 1
        frontier.append(leaf)
        count += 1
        if count == next_mark:
            roots_at[count] = frontier.root()
            position += 1
            next_mark = marks[position] if position < len(marks) else -1
    report.events = count
    report.last_root = frontier.root()
    check_checkpoints(report, pending, keys, roots_at)
    if witness_keys is not None:
        check_cosignatures(report, cosignatures, witness_keys, roots_at)
    if head is not None:
        _check_head(head, frontier, prev, report)
    return report


def check_checkpoints(
    report: Report, checkpoints: Sequence[Checkpoint], keys: dict[str, PublicKey], roots_at: dict[int, bytes]
) -> None:
    """Each checkpoint must be signed by a known key and match the root the events give at its size."""
    last_good = 0
    for cp in sorted(checkpoints, key=lambda c: c.size):
        signed = verify_checkpoint(cp, keys)
        if not signed:
            report.add(
                Finding(
                    "bad-signature",
                    f"checkpoint at size {cp.size} is not signed by a known key",
                    checkpoint_size=cp.size,
                )
            )
        root = roots_at.get(cp.size)
        if root is None:
            report.add(
                Finding(
                    "truncated",
                    f"a checkpoint was signed at size {cp.size} but the log holds {report.events} events",
                    seq=report.events + 1,
                    checkpoint_size=cp.size,
                )
            )
            continue
        report.checkpoints += 1
        if root != cp.root:
            report.add(
                Finding(
                    "root-mismatch",
                    f"the first {cp.size} events do not give the root signed at size {cp.size}; the change lies"
                    f" in events {last_good + 1}..{cp.size}",
                    checkpoint_size=cp.size,
                )
            )
            continue
        last_good = cp.size
        if signed:
            report.signed_size = max(report.signed_size, cp.size)


def check_cosignatures(
    report: Report,
    cosignatures: Sequence[Cosignature],
    witness_keys: dict[str, PublicKey],
    roots_at: dict[int, bytes],
) -> None:
    """Each cosignature must be a pinned witness's and match the root the events give at its size."""
    report.witness_keys_pinned = True
    for cos in sorted(cosignatures, key=lambda c: c.size):
        report.cosignatures += 1
        signed = verify_cosignature(cos, witness_keys)
        if not signed:
            report.add(
                Finding(
                    "bad-cosignature",
                    f"the cosignature at size {cos.size} is not signed by a pinned witness key ({cos.key_id})",
                    checkpoint_size=cos.size,
                )
            )
        root = roots_at.get(cos.size)
        if root is None:
            report.add(
                Finding(
                    "truncated",
                    f"a witness co-signed size {cos.size} but the log holds {report.events} events",
                    seq=report.events + 1,
                    checkpoint_size=cos.size,
                )
            )
        elif root != cos.root:
            report.add(
                Finding(
                    "root-mismatch",
                    f"the first {cos.size} events do not give the root a witness co-signed at size {cos.size}",
                    checkpoint_size=cos.size,
                )
            )
        elif signed:
            report.witnessed_size = max(report.witnessed_size, cos.size)


def _check_head(head: Head, frontier: Frontier, last_hash: bytes, report: Report) -> None:
    if head.size != frontier.size:
        report.add(
            Finding(
                "missing-events" if head.size > frontier.size else "head-behind",
                f"the newest event is {head.size} but the walk found {frontier.size} events",
                seq=min(head.size, frontier.size) + 1,
            )
        )
    elif head.last_hash != last_hash:
        report.add(
            Finding("head-mismatch", "the tree head's last hash does not match the events", seq=head.size)
        )


def verify_inclusion_document(document: dict[str, Any], keys: dict[str, PublicKey]) -> list[str]:
    """Check an inclusion proof as served by GET /v1/audit/events/{seq}/proof; returns the problems found."""
    problems: list[str] = []
    checkpoint = Checkpoint.from_dict(document["checkpoint"])
    if not verify_checkpoint(checkpoint, keys):
        problems.append(f"checkpoint at size {checkpoint.size} is not signed by a known key")
    seq = int(document["seq"])
    event = bytes.fromhex(document["event_hash"])
    has_content = "content" in document and "prev_hash" in document
    if has_content and event_hash(bytes.fromhex(document["prev_hash"]), seq, document["content"]) != event:
        problems.append(f"event {seq}: content does not match its hash")
    path = [bytes.fromhex(h) for h in document["path"]]
    if not verify_inclusion(leaf_hash(event), seq - 1, checkpoint.size, path, checkpoint.root):
        problems.append(f"event {seq} is not included in the tree signed at size {checkpoint.size}")
    return problems


def verify_consistency_document(document: dict[str, Any], keys: dict[str, PublicKey]) -> list[str]:
    """Check a consistency proof as served by GET /v1/audit/consistency; returns the problems found."""
    problems: list[str] = []
    first = Checkpoint.from_dict(document["from"])
    second = Checkpoint.from_dict(document["to"])
    for cp in (first, second):
        if not verify_checkpoint(cp, keys):
            problems.append(f"checkpoint at size {cp.size} is not signed by a known key")
    path = [bytes.fromhex(h) for h in document["path"]]
    if not verify_consistency(first.size, second.size, first.root, second.root, path):
        problems.append(f"the tree at size {second.size} does not extend the tree at size {first.size}")
    return problems
