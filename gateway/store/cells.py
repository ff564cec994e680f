"""Reads for whole named periods (terms, academic years, year to date) from the cells and enrolment_term.

Each function returns exactly the rows of its date-range counterpart in gateway.store.aggregates or
gateway.store.pupils for the period's dates, so callers can switch by period kind. Scope is the same
compiled SQL (gateway.store.scope) on tables that carry la_code and urn.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from psycopg import AsyncConnection, sql

from gateway.policy.decision import RowFilter
from gateway.store.aggregates import Breakdown, Level, Period
from gateway.store.groups import DIMENSIONS
from gateway.store.pupils import Criterion, Page, criterion_sql, rolling_unauthorised_cte, select_list
from gateway.store.scope import AreaFilter, Predicate, combined, scope_predicate

_AREA: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "national": (),
    "region": (("la.region", "region"),),
    "la": (("la.region", "region"), ("c.la_code", "la_code"), ("la.name", "la_name")),
    "school": (
        ("la.region", "region"), ("c.la_code", "la_code"), ("la.name", "la_name"), ("c.urn", "urn"),
        ("s.name", "school_name"),
    ),
}  # fmt: skip
_SUMS: Final = (
    "sum(c.enrolments)::int AS enrolments, sum(c.possible)::bigint AS possible,"
    " sum(c.attended)::bigint AS attended, sum(c.authorised + c.unauthorised)::bigint AS absent,"
    " sum(c.authorised)::bigint AS authorised, sum(c.unauthorised)::bigint AS unauthorised,"
    " sum(c.persistent)::int AS persistent, sum(c.severe)::int AS severe,"
    " sum(c.rk_enrolments)::bigint AS rk_enrolments, sum(c.rk_persistent)::bigint AS rk_persistent,"
    " sum(c.rk_severe)::bigint AS rk_severe"
)


def cells_answer(area: AreaFilter, breakdown: Breakdown | None, with_tops: bool = False) -> bool:
    """Whether the cells hold this summary: one breakdown at a time (a year-group filter is the year-group
    dimension, so it combines with no other breakdown); dominance tops need per-enrolment rows."""
    if with_tops:
        return False
    return area.year_group is None or breakdown in (None, "year_group")


async def term_summary_rows(
    conn: AsyncConnection[Any],
    *,
    level: Level,
    period_id: int,
    row_filter: RowFilter,
    area: AreaFilter,
    breakdown: Breakdown | None,
) -> list[dict[str, Any]]:
    """summary_rows (without tops) for a whole period with cells. Check cells_answer first."""
    if not cells_answer(area, breakdown):
        raise ValueError("the cells hold one breakdown at a time; use summary_rows for this request")
    dim = DIMENSIONS[breakdown or ("year_group" if area.year_group is not None else "all")]
    by_school = (
        level == "school" or row_filter.urns is not None or area.urn is not None or area.phase is not None
    )
    table = "school_cell" if by_school else "la_cell"
    # LA cells carry no urn: the scope and narrowing only refer to it when by_school is set.
    where = combined(
        row_filter, AreaFilter(region=area.region, la_code=area.la_code, urn=area.urn, phase=area.phase), "c"
    )
    params: dict[str, Any] = {**where.params, "period": period_id, "dim": dim}
    value = sql.SQL("TRUE")
    if area.year_group is not None:
        value = sql.SQL("c.val = %(year_group)s")
        params["year_group"] = area.year_group
    cols = [f"{expr} AS {alias}" for expr, alias in _AREA[level]]
    keys = [alias for _, alias in _AREA[level]] + ["grp"]
    grp = "cl.label" if breakdown else "NULL::text"
    positions = ", ".join(str(i) for i in range(1, len(keys) + 1))  # output names clash with c's columns
    query = sql.SQL(
        "SELECT " + "".join(c + ", " for c in cols) + grp + " AS grp, " + _SUMS + " FROM " + table + " c"
        " JOIN local_authorities la ON la.la_code = c.la_code"
        + (" JOIN schools s ON s.urn = c.urn" if level == "school" else "")
        + " JOIN cell_labels cl ON cl.dim = c.dim AND cl.val = c.val"
        " WHERE c.period_id = %(period)s AND c.dim = %(dim)s AND {} AND {}"
        " GROUP BY " + positions + " HAVING sum(c.enrolments) > 0 ORDER BY " + positions
    ).format(value, where.sql)
    cur = await conn.execute(query, params)
    return await cur.fetchall()


async def trust_summary_rows(
    conn: AsyncConnection[Any], *, trust_id: int, period_id: int, breakdown: Breakdown | None
) -> list[dict[str, Any]]:
    """One trust's cells: (trust_id, trust_name, grp) and the summary measures."""
    grp = "cl.label" if breakdown else "NULL::text"
    query = sql.SQL(
        "SELECT c.trust_id, t.name AS trust_name, " + grp + " AS grp, " + _SUMS + " FROM trust_cell c"
        " JOIN trusts t ON t.trust_id = c.trust_id JOIN cell_labels cl ON cl.dim = c.dim AND cl.val = c.val"
        " WHERE c.trust_id = %(trust)s AND c.period_id = %(period)s AND c.dim = %(dim)s"
        " GROUP BY 1, 2, 3 HAVING sum(c.enrolments) > 0 ORDER BY 1, 2, 3"
    )
    params = {"trust": trust_id, "period": period_id, "dim": DIMENSIONS[breakdown or "all"]}
    cur = await conn.execute(query, params)
    return await cur.fetchall()


async def term_school_profiles(
    conn: AsyncConnection[Any], *, period_id: int, phase: str | None = None
) -> list[dict[str, Any]]:
    """school_profiles for a whole period: per school in England, from its total and FSM cells."""
    query = sql.SQL(
        "SELECT c.urn, c.la_code, s.phase, c.enrolments, coalesce(f.enrolments, 0) AS fsm_enrolments,"
        " c.possible::bigint AS possible_sessions, c.attended::bigint AS attendance_sessions,"
        " c.authorised::bigint AS authorised_sessions, c.unauthorised::bigint AS unauthorised_sessions,"
        " c.persistent AS persistent_absentees, c.severe AS severe_absentees"
        " FROM school_cell c JOIN schools s ON s.urn = c.urn"
        " LEFT JOIN school_cell f ON f.la_code = c.la_code AND f.urn = c.urn AND f.period_id = c.period_id"
        " AND f.dim = 1 AND f.val = 1"
        " WHERE c.period_id = %(period)s AND c.dim = 0 AND c.enrolments > 0 AND (%(phase)s::text IS NULL OR s.phase = %(phase)s)"
    )
    cur = await conn.execute(query, {"period": period_id, "phase": phase})
    return await cur.fetchall()


def term_per_enrolment_cte(period_id: int, row_filter: RowFilter, area: AreaFilter) -> Predicate:
    """`pe(enrolment_id, possible, attended, authorised, unauthorised)` for a whole period, in scope."""
    w = combined(row_filter, area, "et")
    body = sql.SQL(
        "pe AS (SELECT et.enrolment_id, et.possible::int AS possible, et.attended::int AS attended,"
        " et.authorised::int AS authorised, et.unauthorised::int AS unauthorised FROM enrolment_term et"
        " WHERE et.period_id = %(term_period)s AND et.possible > 0 AND {})"
    ).format(w.sql)
    return Predicate(body, {**w.params, "term_period": period_id})


async def term_list_pupils(
    conn: AsyncConnection[Any],
    *,
    criterion: Criterion,
    min_rate: float | None,
    period_id: int,
    period: Period,
    row_filter: RowFilter,
    area: AreaFilter,
    fields: Sequence[str],
    after: int,
    limit: int,
) -> Page:
    """list_pupils for a whole period (`period`: its dates, for the rolling 10-in-10 criterion)."""
    # The outer query is list_pupils' own; only the per-enrolment source differs.
    pe = term_per_enrolment_cte(period_id, row_filter, area)
    params: dict[str, Any] = {**pe.params, "after": after, "limit": limit + 1, "min_rate": min_rate}
    ctes: list[sql.Composable] = [pe.sql]
    if criterion == "unauthorised_10_in_10":
        rolling, rolling_params = rolling_unauthorised_cte(period, row_filter, area)
        ctes.append(rolling)
        params.update(rolling_params)
    scope_e = scope_predicate(row_filter, "e", prefix="rf_outer")
    params.update(scope_e.params)
    year_filter = "TRUE"
    if area.year_group is not None:
        year_filter = "e.year_group = %(year_group)s"
        params["year_group"] = area.year_group
    query = sql.SQL(
        "WITH {ctes} SELECT {cols} FROM pe JOIN enrolments e USING (enrolment_id) JOIN pupils p USING (pupil_id)"
        " JOIN schools s ON s.urn = e.urn"
        " WHERE {scope} AND " + year_filter + " AND (" + criterion_sql(criterion) + ")"
        " AND e.enrolment_id > %(after)s ORDER BY e.enrolment_id LIMIT %(limit)s"
    ).format(ctes=sql.SQL(", ").join(ctes), cols=select_list(fields, with_measures=True), scope=scope_e.sql)
    cur = await conn.execute(query, params)
    rows = await cur.fetchall()
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows=rows, next_after=int(rows[-1]["_enrolment_id"]) if more and rows else None)
