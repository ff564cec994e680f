"""The first batch of a day: the marks insert and the rollups' deltas in one statement, under its planner
settings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from psycopg import AsyncConnection
from psycopg.rows import tuple_row

from gateway.store.load_months import month_inserts
from gateway.store.rollups import enrolment_week_upsert, school_day_upserts

# No stored mark can conflict, so one statement and one pass over the valid rows of `checked_marks` do the
# plain insert into marks and the rollups' deltas. An AM mark starts a pupil-day; a PM mark does unless the
# batch has the same enrolment's AM mark that day (a hash join on the AM rows: about half the cost of
# sorting every row for a window). Two valid rows for one session make the insert fail with a unique
# violation (the caller falls back), as does a school-day rollup row that a concurrent batch of the same day
# committed meanwhile. `{inserts}`: the marks inserts (gateway.store.load_months.month_inserts; only rows
# for an indexed partition are sorted).
_STATEMENT: Final = f"""
    WITH v AS MATERIALIZED (
        SELECT c.enrolment_id, c.d, c.sess, c.la_code, c.urn_i, c.code, c.ts, c.o, c.cat, c.wk, c.gid, c.e_la,
               CASE WHEN c.sess = 1 AND am.enrolment_id IS NOT NULL THEN 0 ELSE 1 END AS p
        FROM checked_marks c
        LEFT JOIN (SELECT enrolment_id, d FROM checked_marks WHERE reason_code IS NULL AND sess = 0) am
            ON c.sess = 1 AND am.enrolment_id = c.enrolment_id AND am.d = c.d
        WHERE c.reason_code IS NULL
    ), {{inserts}}, {
    school_day_upserts(
        "SELECT urn_i AS urn, d AS date, gid, e_la AS la_code, o, 1 AS n, p FROM v", insert_only=True
    )
}
    {
    enrolment_week_upsert("SELECT enrolment_id, wk AS week_start, la_code, urn_i AS urn, cat, 1 AS n FROM v")
}
"""

# The staged rows have no statistics (analysing them costs more than it saves elsewhere), so the planner
# guesses a handful of AM rows and, allowed to, loops over them for every row: a 108,000-mark day took
# 20+ minutes. With nested loops off it hashes. tests/ingest/test_fresh_merge_plan.py holds the plan to it.
PLANNER_SETTINGS: Final = {"enable_nestloop": "off"}


def fresh_merge_statement(months: Sequence[str]) -> str:
    """The statement, `months` being the begun month tables (gateway.store.load_months.begin_months)."""
    return _STATEMENT.replace("{inserts}", month_inserts(months, "v"))


async def fresh_merge(conn: AsyncConnection[object], batch_id: int, months: Sequence[str]) -> None:
    """Run it inside the caller's transaction, under PLANNER_SETTINGS: set locally, then put back as they
    were (a failure rolls the caller's savepoint back, and the settings with it)."""
    cur = conn.cursor(row_factory=tuple_row)
    before = {}
    for name, value in PLANNER_SETTINGS.items():
        await cur.execute("SELECT current_setting(%s)", (name,))
        row = await cur.fetchone()
        assert row is not None
        before[name] = str(row[0])
        await conn.execute("SELECT set_config(%s, %s, true)", (name, value))
    await conn.execute(fresh_merge_statement(months), {"batch": batch_id})
    for name, value in before.items():
        await conn.execute("SELECT set_config(%s, %s, true)", (name, value))
