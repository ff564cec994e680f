"""The audit log's read side for officers: event filters, checkpoints, the tree, search, subject lookups,
counts for the transparency report and export, all compiled to SQL (scope included, never in Python)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg import AsyncConnection, sql
from psycopg.rows import dict_row, tuple_row

from gateway.audit.checkpoint import Checkpoint, Cosignature
from gateway.audit.keys import PublicKey
from gateway.audit.merkle import BLOCK, BlockedTree

EVENT_COLUMNS = (
    "seq, content, prev_hash, event_hash, occurred_at, organisation, principal_subject, agreement,"
    " legal_gateway, purpose, outcome, route"
)
REPORT_DIMENSIONS = ("organisation", "legal_gateway", "purpose", "decision")
CHECKPOINT_COLUMNS = "size, root, signed_at, key_id, signature"


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Which events a read may see: the officer's organisations (None: all) and the search's filters."""

    organisations: tuple[str, ...] | None = None
    organisation: str | None = None
    agreement: str | None = None
    legal_gateway: str | None = None
    decision: str | None = None
    route: str | None = None
    time_from: datetime | None = None
    time_to: datetime | None = None
    after: int | None = None

    def predicate(self, alias: str = "") -> tuple[sql.Composable, list[Any]]:
        """One SQL predicate over audit_events (optionally aliased) and its parameters, in order."""
        prefix = f"{alias}." if alias else ""

        def column(name: str) -> sql.Composable:
            return sql.SQL(prefix + name)

        clauses: list[sql.Composable] = []
        params: list[Any] = []

        def add(name: str, operator: str, value: Any) -> None:
            clauses.append(sql.SQL("{} {} %s").format(column(name), sql.SQL(operator)))
            params.append(value)

        if self.organisations is not None:
            clauses.append(sql.SQL("{} = ANY(%s)").format(column("organisation")))
            params.append(list(self.organisations))
        for name, operator, value in (
            ("organisation", "=", self.organisation),
            ("agreement", "=", self.agreement),
            ("legal_gateway", "=", self.legal_gateway),
            ("outcome", "=", self.decision),
            ("route", "=", self.route),
            ("occurred_at", ">=", self.time_from),
            ("occurred_at", "<", self.time_to),
            ("seq", ">", self.after),
        ):
            if value is not None:
                add(name, operator, value)
        if not clauses:
            return sql.SQL("TRUE"), params
        return sql.SQL(" AND ").join(clauses), params


async def search_events(conn: AsyncConnection[Any], where: EventFilter, limit: int) -> list[dict[str, Any]]:
    """Up to `limit + 1` events in log order (the extra row says whether another page exists)."""
    predicate, params = where.predicate()
    query = sql.SQL("SELECT {} FROM audit_events WHERE {} ORDER BY seq LIMIT %s").format(
        sql.SQL(EVENT_COLUMNS), predicate
    )
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(query, [*params, limit + 1])
        return await cur.fetchall()


async def subject_accesses(
    conn: AsyncConnection[Any], subject_hash: bytes, where: EventFilter, limit: int
) -> list[dict[str, Any]]:
    """Events indexed under a pupil's keyed hash (the UPN itself is never stored), up to `limit + 1`."""
    predicate, params = where.predicate("e")
    query = sql.SQL(
        "SELECT e.seq, e.occurred_at, e.organisation, e.principal_subject, e.route, e.purpose, e.legal_gateway,"
        " e.agreement, e.outcome, e.content::jsonb ->> 'reason_text' AS reason_text"
        " FROM audit_subjects s JOIN audit_events e USING (seq)"
        " WHERE s.subject_hash = %s AND {} ORDER BY e.seq LIMIT %s"
    ).format(predicate)
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(query, [subject_hash, *params, limit + 1])
        return await cur.fetchall()


async def event(conn: AsyncConnection[Any], seq: int, where: EventFilter) -> dict[str, Any] | None:
    predicate, params = where.predicate()
    query = sql.SQL("SELECT {} FROM audit_events WHERE seq = %s AND {}").format(
        sql.SQL(EVENT_COLUMNS), predicate
    )
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(query, [seq, *params])
        return await cur.fetchone()


def _checkpoint(row: dict[str, Any]) -> Checkpoint:
    return Checkpoint(
        row["size"], bytes(row["root"]), row["signed_at"], row["key_id"], bytes(row["signature"])
    )


async def checkpoint(conn: AsyncConnection[Any], size: int | None = None) -> Checkpoint | None:
    """The checkpoint at `size`, or the latest one."""
    async with conn.cursor(row_factory=dict_row) as cur:
        if size is None:
            await cur.execute(
                f"SELECT {CHECKPOINT_COLUMNS} FROM audit_checkpoints ORDER BY size DESC LIMIT 1"
            )
        else:
            await cur.execute(f"SELECT {CHECKPOINT_COLUMNS} FROM audit_checkpoints WHERE size = %s", (size,))
        row = await cur.fetchone()
    return None if row is None else _checkpoint(row)


async def checkpoints(conn: AsyncConnection[Any]) -> list[Checkpoint]:
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(f"SELECT {CHECKPOINT_COLUMNS} FROM audit_checkpoints ORDER BY size")
        return [_checkpoint(r) for r in await cur.fetchall()]


async def cosignatures(conn: AsyncConnection[Any], size: int | None = None) -> list[Cosignature]:
    """The witnesses' cosignatures (of the checkpoint at `size`, or all), by size then witness key."""
    where, params = ("WHERE size = %s", (size,)) if size is not None else ("", ())
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(
            f"SELECT {CHECKPOINT_COLUMNS} FROM audit_cosignatures {where} ORDER BY size, key_id", params
        )
        return [
            Cosignature(r["size"], bytes(r["root"]), r["signed_at"], r["key_id"], bytes(r["signature"]))
            for r in await cur.fetchall()
        ]


async def witness_keys(conn: AsyncConnection[Any]) -> list[PublicKey]:
    """The witness keys the cosignatures name, as `gateway audit export` writes them (pin them, never trust
    them: a verifier checks cosignatures against witness keys it was given)."""
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute("SELECT DISTINCT key_id, public_key FROM audit_cosignatures ORDER BY key_id")
        return [PublicKey(r["key_id"], bytes(r["public_key"])) for r in await cur.fetchall()]


async def public_keys(conn: AsyncConnection[Any]) -> list[PublicKey]:
    """Every key that ever signed a checkpoint, oldest first."""
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute("SELECT key_id, public_key FROM audit_keys ORDER BY created_at, key_id")
        return [PublicKey(r["key_id"], bytes(r["public_key"])) for r in await cur.fetchall()]


async def tree(conn: AsyncConnection[Any], size: int, points: Sequence[int]) -> BlockedTree:
    """Cached block roots below `size`, and the leaves of the blocks around `points` and at the tail."""
    wanted = sorted({p // BLOCK for p in points if 0 <= p < size} | {(size - 1) // BLOCK})
    async with conn.cursor(row_factory=tuple_row, binary=True) as cur:
        await cur.execute("SELECT root FROM audit_subtrees WHERE idx < %s ORDER BY idx", (size // BLOCK,))
        blocks = [bytes(r[0]) for r in await cur.fetchall()]
        if len(blocks) != size // BLOCK:
            blocks, wanted = [], list(range(-(-size // BLOCK)))  # cache incomplete: read every leaf
        leaves: dict[int, bytes] = {}
        for b in wanted:
            await cur.execute(
                "SELECT seq, leaf_hash FROM audit_events WHERE seq > %s AND seq <= %s ORDER BY seq",
                (b * BLOCK, min((b + 1) * BLOCK, size)),
            )
            leaves.update((int(r[0]) - 1, bytes(r[1])) for r in await cur.fetchall())
    return BlockedTree(blocks, leaves)


async def report_counts(conn: AsyncConnection[Any], where: EventFilter) -> dict[str, dict[str, int]]:
    """Events per organisation, legal gateway, purpose and outcome (exact: the caller protects them)."""
    predicate, params = where.predicate()
    query = sql.SQL(
        "SELECT dimension, value, count(*) AS n FROM ("
        " SELECT 'organisation' AS dimension, coalesce(organisation, '(unauthenticated)') AS value"
        "   FROM audit_events WHERE {w}"
        " UNION ALL SELECT 'legal_gateway', coalesce(legal_gateway, '(none)') FROM audit_events WHERE {w}"
        " UNION ALL SELECT 'purpose', coalesce(purpose, '(none)') FROM audit_events WHERE {w}"
        " UNION ALL SELECT 'decision', outcome FROM audit_events WHERE {w}"
        ") t GROUP BY dimension, value"
    ).format(w=predicate)
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(query, params * 4)
        rows = await cur.fetchall()
    counts: dict[str, dict[str, int]] = {d: {} for d in REPORT_DIMENSIONS}
    for r in rows:
        counts[r["dimension"]][r["value"]] = int(r["n"])
    return counts


async def export_events(
    conn: AsyncConnection[Any], where: EventFilter, cap: int | None
) -> list[dict[str, Any]]:
    """Events in log order; at most `cap + 1` (so the caller can tell the cap was passed)."""
    predicate, params = where.predicate()
    query = sql.SQL("SELECT {} FROM audit_events WHERE {} ORDER BY seq LIMIT %s").format(
        sql.SQL(EVENT_COLUMNS), predicate
    )
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(query, [*params, (cap + 1) if cap else None])
        return await cur.fetchall()
