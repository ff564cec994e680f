"""Audit routes: the public checkpoint keys, and the data protection officers' tools (behind policy)."""

from __future__ import annotations

from typing import Any

from litestar import get
from litestar.datastructures import State
from psycopg.rows import dict_row

from gateway.audit.keys import PublicKey
from gateway.services import Services

PUBLIC = {"public": True}


@get("/v1/audit/keys", opt=PUBLIC, summary="Checkpoint verification keys", tags=["audit"])
async def audit_keys(state: State) -> dict[str, Any]:
    """The Ed25519 public keys that sign the audit log's checkpoints (every key ever used, oldest first)."""
    services: Services = state.services
    current = services.audit.public_key
    async with services.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
        await cur.execute("SELECT key_id, public_key FROM audit_keys ORDER BY created_at, key_id")
        rows = await cur.fetchall()
    keys = {r["key_id"]: PublicKey(r["key_id"], bytes(r["public_key"])) for r in rows}
    keys.setdefault(current.key_id, current)
    return {"keys": [k.as_dict() for k in keys.values()], "current": current.key_id}


AUDIT_ROUTES: list[Any] = [audit_keys]
