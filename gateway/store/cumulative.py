"""The cumulative weekly rollup: per enrolment and week, running totals to the end of that week.

`enrolment_week_cumulative` holds, for every row of `enrolment_week`, the enrolment's totals over all its
weeks up to and including that one (possible, attended, absent, unauthorised), beside that week's own
values (`w_*`). A total over any run of weeks is then a difference of two rows, so early warning reads
a few rows per enrolment instead of every week of the period. Ingest keeps it in the batch's transaction:
after `enrolment_week` changes, `refresh_cumulative` rewrites the touched enrolments' rows from the first
week that changed.
"""

from __future__ import annotations

from typing import Final

from psycopg import AsyncConnection


def _rows(base: str | None) -> str:
    """The running sums, continued from `base` (the enrolment's totals before the first rewritten week)."""
    sums = {
        "possible": "ew.possible",
        "attended": "ew.present + ew.aea",
        "absent": "ew.authorised + ew.unauthorised",
        "unauthorised": "ew.unauthorised",
    }
    start = "" if base is None else base + "."
    totals = ", ".join(
        f"{start}{name} + " * (base is not None) + f"sum({v}) OVER w" for name, v in sums.items()
    )
    return f" SELECT ew.la_code, ew.enrolment_id, ew.week_start, ew.urn, {totals}, {', '.join(sums.values())}"


_INSERT: Final = (
    "INSERT INTO enrolment_week_cumulative (la_code, enrolment_id, week_start, urn, possible, attended,"
    " absent, unauthorised, w_possible, w_attended, w_absent, w_unauthorised)"
)
_WINDOW: Final = " WINDOW w AS (PARTITION BY ew.la_code, ew.enrolment_id ORDER BY ew.week_start)"

# Every row from `enrolment_week` (migration backfill and full rebuild).
REBUILD_ALL: Final = (
    "DELETE FROM enrolment_week_cumulative; " + _INSERT + _rows(None) + " FROM enrolment_week ew" + _WINDOW
)


def refresh_statements(touched: str) -> list[str]:
    """Statements that rewrite the rows of the enrolments in `touched` from their first changed week.

    `touched` is a query of (la_code, enrolment_id, week_start) rows, one or more per enrolment; the
    earliest week_start of each enrolment is where its running totals are recomputed from.
    """
    return [
        "CREATE TEMP TABLE cumulative_from ON COMMIT DROP AS"
        f" SELECT la_code, enrolment_id, min(week_start) AS week_start"
        f" FROM ({touched}) AS t(la_code, enrolment_id, week_start) GROUP BY 1, 2",
        "DELETE FROM enrolment_week_cumulative c USING cumulative_from f"
        " WHERE c.la_code = f.la_code AND c.enrolment_id = f.enrolment_id AND c.week_start >= f.week_start",
        _INSERT + _rows("b") + " FROM cumulative_from f JOIN enrolment_week ew ON ew.la_code = f.la_code"
        " AND ew.enrolment_id = f.enrolment_id AND ew.week_start >= f.week_start"
        " CROSS JOIN LATERAL (SELECT coalesce(max(c.possible), 0) AS possible,"
        " coalesce(max(c.attended), 0) AS attended, coalesce(max(c.absent), 0) AS absent,"
        " coalesce(max(c.unauthorised), 0) AS unauthorised FROM (SELECT * FROM enrolment_week_cumulative p"
        " WHERE p.la_code = f.la_code AND p.enrolment_id = f.enrolment_id AND p.week_start < f.week_start"
        " ORDER BY p.week_start DESC LIMIT 1) AS c) AS b" + _WINDOW,
        "DROP TABLE cumulative_from",
    ]


async def refresh_cumulative(conn: AsyncConnection[object], touched: str) -> None:
    """Rewrite the cumulative rows of the enrolments in `touched` (see `refresh_statements`)."""
    for statement in refresh_statements(touched):
        await conn.execute(statement)
