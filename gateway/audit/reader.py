"""Read the audit log for verification and export: from the database (owner or app role) or an NDJSON export."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import psycopg

from gateway.audit.checkpoint import Checkpoint, Cosignature
from gateway.audit.keys import PublicKey
from gateway.audit.verify import EventRow, EventTuple, Finding, Head

EXPORT_FORMAT = "attendance-gateway-audit-export/v1"


def db_events(conn: psycopg.Connection[Any], batch: int = 20_000) -> Iterator[EventTuple]:
    """Every event in seq order, streamed through a binary server-side cursor; a thread fetches the next
    batch while the caller verifies this one."""
    batches: queue.Queue[list[Any] | BaseException | None] = queue.Queue(maxsize=3)

    def fetch() -> None:
        try:
            with conn.transaction(), conn.cursor(name="audit_events_walk", binary=True) as cur:
                cur.execute(
                    "SELECT seq, content, prev_hash, event_hash, leaf_hash FROM audit_events ORDER BY seq"
                )
                while rows := cur.fetchmany(batch):
                    batches.put(rows)
            batches.put(None)
        except BaseException as exc:  # hand any failure to the consuming thread
            batches.put(exc)

    worker = threading.Thread(target=fetch, name="audit-verify-fetch", daemon=True)
    worker.start()
    while (item := batches.get()) is not None:
        if isinstance(item, BaseException):
            raise item
        yield from item
    worker.join()


def db_checkpoints(conn: psycopg.Connection[Any]) -> list[Checkpoint]:
    rows = conn.execute(
        "SELECT size, root, signed_at, key_id, signature FROM audit_checkpoints ORDER BY size"
    ).fetchall()
    return [Checkpoint(int(r[0]), bytes(r[1]), r[2], str(r[3]), bytes(r[4])) for r in rows]


def db_cosignatures(conn: psycopg.Connection[Any]) -> list[Cosignature]:
    rows = conn.execute(
        "SELECT size, root, signed_at, key_id, signature FROM audit_cosignatures ORDER BY size, key_id"
    ).fetchall()
    return [Cosignature(int(r[0]), bytes(r[1]), r[2], str(r[3]), bytes(r[4])) for r in rows]


def db_witness_keys(conn: psycopg.Connection[Any]) -> dict[str, PublicKey]:
    """The witness keys the cosignatures name (a directory like audit_keys: pin them, never trust them)."""
    rows = conn.execute("SELECT DISTINCT key_id, public_key FROM audit_cosignatures").fetchall()
    return {str(r[0]): PublicKey(str(r[0]), bytes(r[1])) for r in rows}


def db_keys(conn: psycopg.Connection[Any]) -> dict[str, PublicKey]:
    rows = conn.execute("SELECT key_id, public_key FROM audit_keys").fetchall()
    return {str(r[0]): PublicKey(str(r[0]), bytes(r[1])) for r in rows}


def db_head(conn: psycopg.Connection[Any]) -> Head:
    """The tip of the log as the database's index finds it (what the next append will chain from)."""
    row = conn.execute("SELECT seq, event_hash FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()
    return Head(0, bytes(32)) if row is None else Head(int(row[0]), bytes(row[1]))


def event_line(row: EventTuple) -> bytes:
    seq, content, prev_hash, event, leaf = row
    return orjson.dumps(
        {
            "type": "event",
            "seq": seq,
            "content": content,
            "prev_hash": bytes(prev_hash).hex(),
            "event_hash": bytes(event).hex(),
            "leaf_hash": bytes(leaf).hex(),
        }
    )


def write_export(conn: psycopg.Connection[Any], out: Path) -> int:
    """Write the whole log (keys, checkpoints, events) as NDJSON; returns the number of events written."""
    count = 0
    with out.open("wb") as handle:
        handle.write(orjson.dumps({"type": "header", "format": EXPORT_FORMAT}) + b"\n")
        for key in db_keys(conn).values():
            handle.write(orjson.dumps({"type": "key", **key.as_dict()}) + b"\n")
        for cp in db_checkpoints(conn):
            handle.write(orjson.dumps({"type": "checkpoint", **cp.as_dict()}) + b"\n")
        for key in db_witness_keys(conn).values():
            handle.write(orjson.dumps({"type": "witness-key", **key.as_dict()}) + b"\n")
        for cos in db_cosignatures(conn):
            handle.write(orjson.dumps({"type": "cosignature", **cos.as_dict()}) + b"\n")
        for row in db_events(conn):
            handle.write(event_line(row) + b"\n")
            count += 1
    return count


class ExportFile:
    """An NDJSON export read back: keys, checkpoints and cosignatures in memory, events streamed. A line that
    cannot be read (a bad key, a malformed checkpoint) becomes a finding, not an exception."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.keys: dict[str, PublicKey] = {}
        self.checkpoints: list[Checkpoint] = []
        self.cosignatures: list[Cosignature] = []
        self.witness_keys: dict[str, PublicKey] = {}
        self.findings: list[Finding] = []
        with path.open("rb") as handle:
            for number, line in enumerate(handle, start=1):
                if line.startswith(b'{"type":"event"'):
                    continue
                self._read_line(number, line)

    def _read_line(self, number: int, line: bytes) -> None:
        kind: Any = None
        try:
            item = orjson.loads(line)
            kind = item.get("type") if isinstance(item, dict) else None
            if kind in ("key", "witness-key"):
                key = PublicKey.from_dict(item)
                (self.keys if kind == "key" else self.witness_keys)[key.key_id] = key
            elif kind == "checkpoint":
                self.checkpoints.append(Checkpoint.from_dict(item))
            elif kind == "cosignature":
                self.cosignatures.append(Cosignature.from_dict(item))
        except (ValueError, KeyError, TypeError) as exc:
            kind_name = {
                "key": "bad-key",
                "witness-key": "bad-key",
                "checkpoint": "bad-checkpoint",
                "cosignature": "bad-cosignature",
            }
            finding = kind_name.get(str(kind), "bad-line")
            # A key's own error names what is wrong with it; others' messages could quote content.
            reason = str(exc) if finding == "bad-key" and isinstance(exc, ValueError) else type(exc).__name__
            self.findings.append(Finding(finding, f"export line {number} cannot be read: {reason}"))

    def events(self) -> Iterator[EventRow]:
        with self.path.open("rb") as handle:
            for line in handle:
                if not line.startswith(b'{"type":"event"'):
                    continue
                try:
                    item = orjson.loads(line)
                    row = EventRow(
                        int(item["seq"]),
                        str(item["content"]),
                        bytes.fromhex(item["prev_hash"]),
                        bytes.fromhex(item["event_hash"]),
                        bytes.fromhex(item["leaf_hash"]),
                    )
                except (ValueError, KeyError, TypeError):
                    continue  # an unreadable event is a missing one: the walk names it
                yield row
