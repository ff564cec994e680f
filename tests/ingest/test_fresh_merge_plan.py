"""A day's first batch is planned with hash joins, never a nested loop over the staged rows.

The staged rows have no statistics, and the planner, allowed to, loops over its guess of a handful of AM
rows for every row: a 108,000-mark day took 20+ minutes. The plans are read from a real day's batch: the
ingest runs inside an outer transaction, so its checked_marks (dropped at commit) is still there after it,
unanalysed, as the merge saw it.
"""

from __future__ import annotations

from typing import Any

import orjson
import psycopg

from gateway.ingest.feed import FeedKind
from gateway.ingest.fresh_merge import PLANNER_SETTINGS, fresh_merge_statement
from tests.ingest.conftest import ingest
from tests.ingest.feeds import csv_bytes, mark, pupil

PUPILS = 1_000  # 2,000 marks: already enough for the planner to loop when it may
DAY = "2024-09-16"


def _looped_joins(node: dict[str, Any]) -> list[dict[str, Any]]:
    """Nested Loop nodes under `node` (itself included) that read checked_marks on both sides."""
    found = []
    children = node.get("Plans", [])
    if node["Node Type"] == "Nested Loop" and all(
        "checked_marks" in _relations(child) for child in children[:2]
    ):
        found.append(node)
    for child in children:
        found.extend(_looped_joins(child))
    return found


def _relations(node: dict[str, Any]) -> set[str]:
    names = {node["Relation Name"]} if "Relation Name" in node else set()
    for child in node.get("Plans", []):
        names |= _relations(child)
    return names


async def _plan_after_a_days_batch(
    conn: psycopg.AsyncConnection[tuple[object, ...]], settings: dict[str, str]
) -> dict[str, Any]:
    """The fresh merge's plan (EXPLAIN, not run) under `settings`, over a real batch's checked rows."""
    await ingest(conn, FeedKind.ROSTER, csv_bytes(FeedKind.ROSTER, [pupil(s) for s in range(PUPILS)]))
    rows = [
        mark(s, DAY, session, code) for s in range(PUPILS) for session, code in (("AM", "/"), ("PM", "\\"))
    ]
    async with conn.transaction(force_rollback=True):
        summary = await ingest(conn, FeedKind.MARKS, csv_bytes(FeedKind.MARKS, rows))
        assert (summary.accepted, summary.rejected) == (2 * PUPILS, 0)
        for name, value in settings.items():
            await conn.execute("SELECT set_config(%s, %s, true)", (name, value))
        cur = await conn.execute(  # type: ignore[call-overload]
            "EXPLAIN (FORMAT JSON) " + fresh_merge_statement([]), {"batch": summary.batch_id}
        )
        row = await cur.fetchone()
    assert row is not None
    plan = row[0] if isinstance(row[0], list) else orjson.loads(row[0])
    return dict(plan[0]["Plan"])


async def test_the_fresh_merge_under_its_settings_joins_the_staged_rows_by_hash(aconn) -> None:
    plan = await _plan_after_a_days_batch(aconn, PLANNER_SETTINGS)
    assert _looped_joins(plan) == []
    assert "checked_marks" in _relations(plan)


async def test_without_its_settings_the_planner_would_loop_over_the_staged_rows(aconn) -> None:
    """The setting is what keeps the loop out: without it the same batch is planned as a loop."""
    plan = await _plan_after_a_days_batch(aconn, {})
    assert len(_looped_joins(plan)) == 1
