"""Removing release-ledger rows in tests, as the table's owner (the ledger is append-only for the gateway:
its trigger is lifted for this one DELETE and restored in the same transaction)."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql


def delete_releases(owner: psycopg.Connection[Any], request_id: str | None = None) -> None:
    """Delete every release, or only those of one request id."""
    where = sql.SQL("") if request_id is None else sql.SQL(" WHERE request_id = {}").format(request_id)
    with owner.transaction():
        owner.execute("ALTER TABLE release_ledger DISABLE TRIGGER release_ledger_append_only")
        owner.execute(sql.SQL("DELETE FROM release_ledger{}").format(where))
        owner.execute("ALTER TABLE release_ledger ENABLE ALWAYS TRIGGER release_ledger_append_only")
