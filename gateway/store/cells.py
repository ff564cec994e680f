"""Reads for whole named periods (terms, academic years, year to date) from the cells and enrolment_term.

Each function returns exactly the rows of its date-range counterpart in gateway.store.aggregates or
gateway.store.pupils for the period's dates, so callers can switch by period kind. Scope is the same
compiled SQL (gateway.store.scope) on tables that carry la_code and urn.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Final

from psycopg import AsyncConnection, sql

from gateway.policy.decision import RowFilter
from gateway.store.aggregates import Breakdown, Level
from gateway.store.groups import DIMENSIONS
from gateway.store.scope import AreaFilter, Predicate, combined

_AREA: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "national": (),
    "region": (("la.region", "region"),),
    "la": (("la.region", "region"), ("c.la_code", "la_code"), ("la.name", "la_name")),
    "school": (
        ("la.region", "region"), ("c.la_code", "la_code"), ("la.name", "la_name"), ("c.urn", "urn"),
        ("s.name", "school_name"),
    ),
    "trust": (("t.trust_id", "trust_id"), ("t.name", "trust_name")),
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


def _trust_cells_answer(level: Level, row_filter: RowFilter, area: AreaFilter) -> bool:
    """Trust cells hold whole trusts: no LA, school, region or phase may narrow them."""
    narrowed = (area.region, area.la_code, area.urn, area.phase, row_filter.la_codes, row_filter.urns)
    return level == "trust" and all(v is None for v in narrowed)


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
    params: dict[str, Any] = {"period": period_id, "dim": dim}
    joins = ""
    if _trust_cells_answer(level, row_filter, area):
        table, joins = "trust_cell", " JOIN trusts t ON t.trust_id = c.trust_id"
        where = _trust_cell_scope(row_filter, area)
    else:
        by_school = level in ("school", "trust") or any(
            v is not None
            for v in (row_filter.urns, row_filter.trust_ids, area.urn, area.phase, area.trust_id)
        )
        table = "school_cell" if by_school else "la_cell"
        # LA cells carry no urn: the scope and narrowing only refer to it when by_school is set.
        where = combined(row_filter, replace(area, year_group=None), "c")
        joins = " JOIN local_authorities la ON la.la_code = c.la_code"
        if level in ("school", "trust"):
            joins += " JOIN schools s ON s.urn = c.urn"
        if level == "trust":
            joins += " JOIN trusts t ON t.trust_id = s.trust_id"
    params.update(where.params)
    value = sql.SQL("TRUE")
    if area.year_group is not None:
        value = sql.SQL("c.val = %(year_group)s")
        params["year_group"] = area.year_group
    cols = [f"{expr} AS {alias}" for expr, alias in _AREA[level]]
    keys = [alias for _, alias in _AREA[level]] + ["grp"]
    grp = "cl.label" if breakdown else "NULL::text"
    positions = ", ".join(str(i) for i in range(1, len(keys) + 1))  # output names clash with c's columns
    query = sql.SQL(
        "SELECT "
        + "".join(c + ", " for c in cols)
        + grp
        + " AS grp, "
        + _SUMS
        + " FROM "
        + table
        + " c"
        + joins
        + " JOIN cell_labels cl ON cl.dim = c.dim AND cl.val = c.val"
        " WHERE c.period_id = %(period)s AND c.dim = %(dim)s AND {} AND {}"
        " GROUP BY " + positions + " HAVING sum(c.enrolments) > 0 ORDER BY " + positions
    ).format(value, where.sql)
    cur = await conn.execute(query, params)
    return await cur.fetchall()


def _trust_cell_scope(row_filter: RowFilter, area: AreaFilter) -> Predicate:
    """The row filter's trusts and the request's trust on trust_cell `c` (which has no urn)."""
    parts: list[sql.Composable] = []
    params: dict[str, Any] = {}
    if row_filter.trust_ids is not None:
        parts.append(sql.SQL("c.trust_id = ANY(%(rf_trust)s)"))
        params["rf_trust"] = list(row_filter.trust_ids)
    if area.trust_id is not None:
        parts.append(sql.SQL("c.trust_id = %(af_trust)s"))
        params["af_trust"] = area.trust_id
    return Predicate(sql.SQL(" AND ").join([sql.SQL("TRUE"), *parts]), params)


async def term_school_profiles(
    conn: AsyncConnection[Any], *, period_id: int, phase: str | None = None
) -> list[dict[str, Any]]:
    """school_profiles for a whole period: per school in England, from its total and FSM cells."""
    query = sql.SQL(
        "SELECT c.urn, c.la_code, s.trust_id, s.phase, c.enrolments, coalesce(f.enrolments, 0) AS fsm_enrolments,"
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
