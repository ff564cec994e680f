"""Weekly attendance of a school beside its LA's other schools and the rest of England (from the weekly rollup).

The three groups are disjoint (the school, the other schools of its LA, every other school in England), so
a caller can add them up into "LA (other schools)" and "England (other schools)" without double counting.
The rows are aggregates per group and week; the caller's disclosure profile decides what of them leaves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from psycopg import AsyncConnection

from gateway.store.queries import Rows

TREND_GROUPS: Final = ("school", "la_others", "rest_of_england")

_WEEKLY: Final = (
    "SELECT ew.week_start,"
    " CASE WHEN ew.urn = %(urn)s THEN 'school' WHEN ew.la_code = %(la_code)s THEN 'la_others'"
    " ELSE 'rest_of_england' END AS grp,"
    " count(DISTINCT ew.urn)::int AS schools, count(*)::int AS enrolments,"
    " sum(ew.possible)::bigint AS possible_sessions, sum(ew.present + ew.aea)::bigint AS attendance_sessions,"
    " sum(ew.authorised)::bigint AS authorised_sessions, sum(ew.unauthorised)::bigint AS unauthorised_sessions"
    " FROM enrolment_week ew WHERE ew.week_start BETWEEN %(first)s AND %(last)s AND ew.possible > 0"
    " GROUP BY 1, 2 ORDER BY 1, 2"
)


async def weekly_groups(
    conn: AsyncConnection[Any], *, urn: int, la_code: int, first_week: date, last_week: date
) -> Rows:
    """Per school week (Monday) and group: schools, enrolments with possible sessions, sessions by category."""
    cur = await conn.execute(
        _WEEKLY, {"urn": urn, "la_code": la_code, "first": first_week, "last": last_week}
    )
    return await cur.fetchall()


@dataclass(frozen=True, slots=True)
class WeeklyComparisonQuery:
    """An aggregate read (cacheable): the school, its LA's other schools and the rest of England by week."""

    urn: int
    la_code: int
    first_week: date
    last_week: date

    async def fetch(self, conn: AsyncConnection[Any]) -> Rows:
        return await weekly_groups(
            conn, urn=self.urn, la_code=self.la_code, first_week=self.first_week, last_week=self.last_week
        )


async def school_la_code(conn: AsyncConnection[Any], urn: int) -> int | None:
    """The LA a school belongs to (schools are reference data, not pupil data)."""
    cur = await conn.execute("SELECT la_code FROM schools WHERE urn = %s", (urn,))
    row = await cur.fetchone()
    return None if row is None else int(row["la_code"])
