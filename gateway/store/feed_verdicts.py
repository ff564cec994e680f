"""The conformance checker's verdicts on the published feed test pack, one row per check a supplier ran
(POST /v1/feed/conformance/checks). The public record shows each MIS product and version's latest verdict.
Supplier facts only: product, version, sender, pack, outcome counts per file. Never a pupil."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from psycopg import AsyncConnection
from psycopg.rows import tuple_row
from psycopg.types.json import Jsonb

_INSERT: Final = """
INSERT INTO feed_pack_verdicts (mis_product, mis_version, sender, pack_version, pack_digest, passed, files)
VALUES (%s, %s, %s, %s, %s, %s, %s)
RETURNING verdict_id, checked_at
"""
# The latest verdict of each product and version (ties on the clock broken by the later row).
_LATEST: Final = """
SELECT DISTINCT ON (mis_product, mis_version) mis_product, mis_version, passed, checked_at, pack_version
FROM feed_pack_verdicts
ORDER BY mis_product, mis_version, checked_at DESC, verdict_id DESC
"""


@dataclass(frozen=True, slots=True)
class Recorded:
    verdict_id: int
    checked_at: datetime


@dataclass(frozen=True, slots=True)
class LatestVerdict:
    passed: bool
    checked_at: datetime
    pack_version: str


@dataclass(frozen=True, slots=True)
class Verdict:
    """One check's outcome, as recorded: `files` holds each file's expected and found counts."""

    mis_product: str
    mis_version: str | None
    sender: str
    pack_version: str
    pack_digest: str
    passed: bool
    files: list[dict[str, Any]]


async def record_verdict(conn: AsyncConnection[Any], verdict: Verdict) -> Recorded:
    cur = conn.cursor(row_factory=tuple_row)
    await cur.execute(
        _INSERT,
        (
            verdict.mis_product,
            verdict.mis_version,
            verdict.sender,
            verdict.pack_version,
            verdict.pack_digest,
            verdict.passed,
            Jsonb(verdict.files),
        ),
    )
    row = await cur.fetchone()
    assert row is not None  # INSERT ... RETURNING answers its row
    return Recorded(int(row[0]), row[1])


async def latest_verdicts(conn: AsyncConnection[Any]) -> dict[tuple[str, str | None], LatestVerdict]:
    cur = conn.cursor(row_factory=tuple_row)
    await cur.execute(_LATEST)
    return {
        (str(product), None if version is None else str(version)): LatestVerdict(
            bool(passed), checked_at, str(pv)
        )
        for product, version, passed, checked_at, pv in await cur.fetchall()
    }
