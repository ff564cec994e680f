"""The register of schools as DfE data management changes it: a school's phase and type, and the data version."""

from __future__ import annotations

from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import tuple_row


class RegisterError(Exception):
    """A register change that cannot be made (`code` names why); nothing was written."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


async def record_data_change(conn: AsyncConnection[Any], feed_kind: str, action: str, change: str) -> None:
    """Record a data-management change as a one-row batch of `feed_kind`: the data version that keys every
    cached aggregate and ETag (gateway/store/cache.py) is the batches' count, so caches follow the change.
    `change` (no pupil data: URNs, codes and pseudonyms only) is hashed as the batch's content."""
    await conn.execute(
        """INSERT INTO ingest_batches (feed_kind, source_name, content_sha256, finished_at, updated)
           VALUES (%s, %s, encode(sha256(convert_to(%s, 'UTF8')), 'hex'), now(), 1)""",
        (feed_kind, f"data-management: {action}", change),
    )


async def reclassify_school(
    conn: AsyncConnection[Any], urn: int, phase: str, school_type: str
) -> tuple[str, str]:
    """Change a school's phase and type (the data-management action `schools.reclassify`); returns the old
    (phase, type) and writes nothing when they are already the new ones. The caller holds the transaction.

    Phase and type live on the school's register row only: every phase filter and comparator joins
    `schools`, so no rollup or cell carries them and none needs rebuilding."""
    cur = conn.cursor(row_factory=tuple_row)
    await cur.execute("SELECT phase, school_type FROM schools WHERE urn = %s FOR UPDATE", (urn,))
    found = await cur.fetchone()
    if found is None:
        raise RegisterError("unknown-school", f"No school in the store has the URN {urn}.")
    old = (str(found[0]), str(found[1]))
    if old == (phase, school_type):
        return old
    await conn.execute(
        "UPDATE schools SET phase = %s, school_type = %s WHERE urn = %s", (phase, school_type, urn)
    )
    await record_data_change(
        conn, "schools", f"schools.reclassify {urn}", f"{urn}:{old[0]}:{old[1]}->{phase}:{school_type}"
    )
    return old
