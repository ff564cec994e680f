"""One batch per file, all-or-nothing: record it, load it by kind, keep rollups current, summarise it."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final

import psycopg
import structlog
from psycopg import AsyncConnection
from psycopg.rows import tuple_row

from gateway.ingest.counts import BatchCounts
from gateway.ingest.feed import KIND_ORDER, FeedError, FeedKind, FeedOrigin, WriteScope, WrongFormatError
from gateway.ingest.marks import ingest_marks
from gateway.ingest.roster import ingest_roster, ingest_schools
from gateway.ingest.source import Format, Source, read_header

log = structlog.get_logger("gateway.ingest")
TEMP_BUFFERS = "1GB"  # session-local, allocated only as staging tables grow


@dataclass
class IngestSummary:
    """What one file did to the store. `reasons` counts rejects by reason code."""

    batch_id: int
    kind: str
    source_name: str
    accepted: int
    updated: int
    unchanged: int
    rejected: int
    seconds: float
    reasons: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


_LOADERS = {FeedKind.SCHOOLS: ingest_schools, FeedKind.ROSTER: ingest_roster, FeedKind.MARKS: ingest_marks}

# For the feed conformance record: from the staging table of each kind's valid rows (every loader creates
# it, and it lives until the batch's transaction ends), the schools they name and, for marks, the sessions
# dated before the day the batch was received (now() is the transaction's start: when the batch arrived;
# the day is England's).
_ORIGIN_FACTS: Final = {
    FeedKind.SCHOOLS: "SELECT coalesce(array_agg(DISTINCT urn) FILTER (WHERE urn IS NOT NULL), '{}'), 0 FROM stage_schools",
    FeedKind.ROSTER: "SELECT coalesce(array_agg(DISTINCT urn) FILTER (WHERE urn IS NOT NULL), '{}'), 0 FROM stage_roster",
    # Grouped first (a hash aggregate): array_agg(DISTINCT) sorts every valid row, 1.4 s of a 2 M-mark batch.
    FeedKind.MARKS: "SELECT coalesce(array_agg(urn_i) FILTER (WHERE urn_i IS NOT NULL), '{}'), coalesce(sum(late), 0)"
    " FROM (SELECT urn_i, count(*) FILTER (WHERE d < (now() AT TIME ZONE 'Europe/London')::date) AS late"
    " FROM checked_marks WHERE reason_code IS NULL GROUP BY urn_i) AS by_school",
}


async def _origin_facts(conn: AsyncConnection[Any], kind: FeedKind) -> tuple[list[int], int]:
    """The schools a batch's valid rows named, and its late sessions."""
    cur = conn.cursor(row_factory=tuple_row)
    await cur.execute(_ORIGIN_FACTS[kind])
    row = await cur.fetchone()
    assert row is not None
    return sorted(int(u) for u in row[0]), int(row[1])


async def ingest_source(
    conn: AsyncConnection[Any],
    source: Source,
    expected_kind: FeedKind | None = None,
    *,
    expected_format: Format | None = None,
    write_scope: WriteScope | None = None,
    origin: FeedOrigin = FeedOrigin(),
) -> IngestSummary:
    """Load one file as one batch in one transaction: on any error nothing of it remains.

    FeedError if the file is not a feed at all (or not of `expected_kind`); WrongFormatError if it is not
    in `expected_format`. With a `write_scope`, rows for schools outside it are rejected as
    not_your_school (None: an operator's ingest, every school). `origin` is recorded with the batch.
    """
    started = time.perf_counter()
    header = read_header(source)
    if expected_format is not None and header.format != expected_format:
        raise WrongFormatError(f"{source.name}: expected {expected_format}, found {header.format}")
    if expected_kind is not None and header.kind != expected_kind:
        raise FeedError(f"{source.name}: expected a {expected_kind} file, found {header.kind}")
    await _roomy_temp_buffers(conn)
    async with conn.transaction():
        cur = conn.cursor(row_factory=tuple_row)
        await cur.execute(
            "INSERT INTO ingest_batches (feed_kind, source_name, content_sha256, mis_product, mis_version,"
            " sender) VALUES (%s, %s, '', %s, %s, %s) RETURNING batch_id",
            (header.kind.value, source.name, origin.mis_product, origin.mis_version, origin.sender),
        )
        row = await cur.fetchone()
        assert row is not None
        batch_id = int(row[0])
        counts: BatchCounts = await _LOADERS[header.kind](conn, batch_id, source, header, write_scope)
        urns, late = await _origin_facts(conn, header.kind)
        await conn.execute(
            """UPDATE ingest_batches SET content_sha256 = %s, finished_at = clock_timestamp(),
                 accepted = %s, updated = %s, unchanged = %s, rejected = %s, urns = %s, late_sessions = %s
               WHERE batch_id = %s""",
            (
                source.sha256(),
                counts.accepted,
                counts.updated,
                counts.unchanged,
                counts.rejected,
                urns,
                late,
                batch_id,
            ),
        )
    summary = IngestSummary(
        batch_id=batch_id,
        kind=header.kind.value,
        source_name=source.name,
        accepted=counts.accepted,
        updated=counts.updated,
        unchanged=counts.unchanged,
        rejected=counts.rejected,
        seconds=round(time.perf_counter() - started, 3),
        reasons=dict(sorted(counts.reasons.items())),
    )
    # Counts and reason codes only: never a row, a UPN or a name.
    log.info("ingest.batch", **summary.as_dict())
    return summary


async def _roomy_temp_buffers(conn: AsyncConnection[Any]) -> None:
    """Keep the staging tables of a large batch in memory (the default 8MB pages them to disk files).

    PostgreSQL allows this only before a session first touches a temporary table; later batches on the
    same connection keep the value set by the first.
    """
    with contextlib.suppress(psycopg.errors.InvalidParameterValue):
        async with conn.transaction():
            await conn.execute(f"SET temp_buffers = '{TEMP_BUFFERS}'")


async def ingest_stream(
    conn_or_url: AsyncConnection[Any] | str,
    kind: FeedKind | str | None,
    source_name: str,
    data: bytes | Iterable[bytes],
) -> IngestSummary:
    """Ingest one feed file given as bytes or an iterable of byte chunks (e.g. an HTTP body).

    `conn_or_url`: an open async connection (its row factory does not matter; it must not be inside a
    transaction the caller wants to keep separate) or a connection URL. The role needs the store's
    INSERT/UPDATE grants and EXECUTE on ensure_marks_partitions (the application role has both).
    `kind`: the expected kind, or None to take it from the header. Same code path as `gateway ingest`.
    """
    source = (
        Source.from_bytes(source_name, data)
        if isinstance(data, bytes)
        else Source.from_chunks(source_name, data)
    )
    expected = FeedKind(kind) if kind is not None else None
    try:
        if isinstance(conn_or_url, str):
            async with await psycopg.AsyncConnection.connect(conn_or_url, autocommit=True) as conn:
                return await ingest_source(conn, source, expected)
        return await ingest_source(conn_or_url, source, expected)
    finally:
        source.close()


_SUFFIXES: Final = (".gz", ".csv", ".ndjson", ".jsonl", ".json")


def _stem(path: Path) -> str:
    """The name without its feed and compression suffixes: marks-2025-09-03.csv.gz -> marks-2025-09-03."""
    name = path.name
    for suffix in _SUFFIXES:
        name = name.removesuffix(suffix)
    return name


def order_for_run(paths: Sequence[Path]) -> list[tuple[Path, FeedKind]]:
    """Schools first, then rosters, then marks, so marks find their enrolments; within a kind by name
    without suffixes, so a day's file comes before its corrections (marks-D before marks-D-corrections,
    where a plain sort of full names puts "-corrections.csv" before ".csv")."""
    kinds = [(path, read_header(Source.from_path(path)).kind) for path in paths]
    return sorted(kinds, key=lambda pk: (KIND_ORDER[pk[1]], _stem(pk[0]), str(pk[0])))


async def ingest_paths(url: str, paths: Sequence[Path]) -> list[IngestSummary]:
    """Ingest files in run order, each its own batch. Stops at the first file that fails."""
    summaries = []
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        for path, kind in order_for_run(paths):
            summaries.append(await ingest_source(conn, Source.from_path(path), kind))
    return summaries
