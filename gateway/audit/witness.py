"""The witness: a second, independent signer (a data protection officer's key, run as its own process) that
co-signs a checkpoint only after checking that a pinned gateway key signed it and that the events give a tree
extending the last one it co-signed."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import orjson
import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gateway.audit.chain import GENESIS, event_hash
from gateway.audit.checkpoint import Checkpoint, Cosignature, cosign, verify_checkpoint
from gateway.audit.keys import PublicKey, public_key_of
from gateway.audit.merkle import Frontier, leaf_hash

LATEST_SQL = (
    "SELECT size, root, signed_at, key_id, signature FROM audit_checkpoints ORDER BY size DESC LIMIT 1"
)
EVENTS_SQL = (
    "SELECT seq, content, prev_hash, event_hash FROM audit_events WHERE seq > %s AND seq <= %s ORDER BY seq"
)
CHUNK = 50_000  # events read at a time
ADD_SQL = "SELECT audit_add_cosignature(%s, %s, %s, %s, %s)"
COSIGNED_SQL = "SELECT 1 FROM audit_cosignatures WHERE size = %s AND key_id = %s"


@dataclass(frozen=True, slots=True)
class WitnessState:
    """The last tree this witness co-signed: its size, root, last event hash and frontier."""

    size: int = 0
    root: bytes = b""
    last_hash: bytes = GENESIS
    frontier: tuple[bytes, ...] = ()

    def as_json(self) -> bytes:
        return orjson.dumps(
            {
                "size": self.size,
                "root": self.root.hex(),
                "last_hash": self.last_hash.hex(),
                "frontier": [h.hex() for h in self.frontier],
            }
        )

    @classmethod
    def load(cls, path: Path) -> WitnessState:
        if not path.exists():
            return cls()
        doc: dict[str, Any] = orjson.loads(path.read_bytes())
        state = cls(
            size=int(doc["size"]),
            root=bytes.fromhex(doc["root"]),
            last_hash=bytes.fromhex(doc["last_hash"]),
            frontier=tuple(bytes.fromhex(h) for h in doc["frontier"]),
        )
        Frontier(state.size, state.frontier)  # raises ValueError if the file is inconsistent
        return state

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, self.as_json())
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)


@dataclass(frozen=True, slots=True)
class WitnessResult:
    status: Literal["cosigned", "already-cosigned", "no-checkpoint", "refused"]
    size: int
    detail: str
    cosignature: Cosignature | None = None


def _refuse(size: int, detail: str) -> WitnessResult:
    return WitnessResult("refused", size, detail)


def extend(state: WitnessState, rows: list[tuple[Any, ...]]) -> tuple[WitnessState, str | None]:
    """Append stored events to the witnessed tree, recomputing each hash; returns the problem, if any."""
    tree, prev, expected = Frontier(state.size, state.frontier), state.last_hash, state.size + 1
    for seq, content, stored_prev, stored_hash in rows:
        computed = event_hash(prev, int(seq), content)
        if int(seq) != expected or bytes(stored_prev) != prev or bytes(stored_hash) != computed:
            return state, f"event {seq} does not extend the tree co-signed at size {state.size}"
        tree.append(leaf_hash(computed))
        prev, expected = computed, expected + 1
    return WitnessState(tree.size, tree.root(), prev, tuple(tree.hashes)), None


def witness_once(
    conn: psycopg.Connection[Any],
    key: Ed25519PrivateKey,
    gateway_keys: dict[str, PublicKey],
    state_file: Path,
) -> WitnessResult:
    """Check the newest checkpoint and co-sign it if it is consistent with the last one co-signed."""
    row = conn.execute(LATEST_SQL).fetchone()
    if row is None:
        return WitnessResult("no-checkpoint", 0, "no checkpoint has been signed yet")
    checkpoint = Checkpoint(int(row[0]), bytes(row[1]), row[2], str(row[3]), bytes(row[4]))
    if not verify_checkpoint(checkpoint, gateway_keys):
        return _refuse(
            checkpoint.size, f"the checkpoint at size {checkpoint.size} is not signed by a pinned key"
        )
    state = WitnessState.load(state_file)
    if checkpoint.size < state.size:
        return _refuse(
            checkpoint.size, f"the newest checkpoint ({checkpoint.size}) is older than {state.size}"
        )
    if checkpoint.size == state.size:
        if checkpoint.root != state.root:
            return _refuse(
                checkpoint.size, f"a different root at size {state.size}, already co-signed (a fork)"
            )
        me = public_key_of(key).key_id
        if conn.execute(COSIGNED_SQL, (state.size, me)).fetchone() is not None:
            return WitnessResult("already-cosigned", state.size, f"size {state.size} is already co-signed")
        return _store(conn, key, state, state_file)
    extended = state
    for start in range(state.size, checkpoint.size, CHUNK):
        rows = conn.execute(EVENTS_SQL, (start, min(start + CHUNK, checkpoint.size))).fetchall()
        extended, problem = extend(extended, rows)
        if problem is not None:
            return _refuse(checkpoint.size, problem)
    if extended.size != checkpoint.size or extended.root != checkpoint.root:
        return _refuse(checkpoint.size, f"the events do not give the root signed at size {checkpoint.size}")
    return _store(conn, key, extended, state_file)


def _store(
    conn: psycopg.Connection[Any], key: Ed25519PrivateKey, state: WitnessState, state_file: Path
) -> WitnessResult:
    cosignature = cosign(key, state.size, state.root, datetime.now(UTC))
    conn.execute(
        ADD_SQL,
        (
            cosignature.size,
            cosignature.root,
            cosignature.signed_at,
            public_key_of(key).public_key,
            cosignature.signature,
        ),
    )
    state.save(state_file)
    return WitnessResult(
        "cosigned", state.size, f"co-signed the checkpoint at size {state.size}", cosignature
    )
