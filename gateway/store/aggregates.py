"""Aggregate queries over the rollups (summary, daily series, closures, benchmarks), scope compiled in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from psycopg import AsyncConnection, sql

from gateway.policy.decision import RowFilter
from gateway.store.periods import plan_period
from gateway.store.scope import AreaFilter, Predicate, combined

Level = Literal["national", "region", "la", "school", "trust"]
Breakdown = Literal["fsm", "sen", "sex", "ethnicity", "year_group"]

# Pupil-group expressions over enrolments `e` and pupils `p`.
BREAKDOWN_SQL: dict[str, str] = {
    "fsm": "CASE WHEN e.fsm THEN 'FSM eligible' ELSE 'not FSM eligible' END",
    "sen": "CASE e.sen_provision WHEN 'E' THEN 'EHC plan' WHEN 'K' THEN 'SEN support' ELSE 'no SEN' END",
    "sex": "CASE p.sex WHEN 'F' THEN 'female' ELSE 'male' END",
    "ethnicity": "p.ethnicity_major",
    "year_group": "CASE WHEN e.year_group = 0 THEN 'Reception' ELSE 'Year ' || e.year_group END",
}
# The same groups over the school-day rollup `g`.
BREAKDOWN_SQL_DAY: dict[str, str] = {
    "fsm": "CASE WHEN g.fsm THEN 'FSM eligible' ELSE 'not FSM eligible' END",
    "sen": "CASE g.sen_provision WHEN 'E' THEN 'EHC plan' WHEN 'K' THEN 'SEN support' ELSE 'no SEN' END",
    "sex": "CASE g.sex WHEN 'F' THEN 'female' ELSE 'male' END",
    "ethnicity": "g.ethnicity_major",
    "year_group": "CASE WHEN g.year_group = 0 THEN 'Reception' ELSE 'Year ' || g.year_group END",
}
CATEGORY_COLUMNS = (
    "(c.category <> 'NC')::int",
    "(c.category IN ('P', 'AEA'))::int",
    "(c.category = 'AUTH')::int",
    "(c.category = 'UNAUTH')::int",
)
CODE_JOIN = (
    "JOIN attendance_codes c ON c.code = m.code AND m.date >= c.valid_from "
    "AND (c.valid_to IS NULL OR m.date < c.valid_to)"
)


@dataclass(frozen=True, slots=True)
class Period:
    """Dates (inclusive), and the academic period whose cells hold exactly these dates, if one does.

    `cell_period` is set only by gateway.store.named_periods (a whole term or academic year, or year to
    date with nothing received after it); readers with a cell path use it, the others read the dates.
    """

    date_from: date
    date_to: date
    cell_period: int | None = None


def per_enrolment_cte(period: Period, row_filter: RowFilter, area: AreaFilter) -> Predicate:
    """`pe(enrolment_id, possible, attended, authorised, unauthorised)` over the period, in scope.

    When the period's cells hold its dates, each enrolment's row for the period (enrolment_term, kept by
    ingest with the cells); otherwise whole weeks from the weekly rollup and edge days from raw marks (at
    most 12 days of them). Both give the same rows (tests/store/test_cell_reads.py).
    """
    if period.cell_period is not None:
        return enrolment_term_cte(period.cell_period, row_filter, area)
    return weeks_and_edges_cte(period, row_filter, area)


def enrolment_term_cte(period_id: int, row_filter: RowFilter, area: AreaFilter) -> Predicate:
    """`pe` for a whole period with cells, from enrolment_term."""
    w = combined(row_filter, area, "et")
    body = sql.SQL(
        "pe AS (SELECT et.enrolment_id, et.possible::int AS possible, et.attended::int AS attended,"
        " et.authorised::int AS authorised, et.unauthorised::int AS unauthorised FROM enrolment_term et"
        " WHERE et.period_id = %(term_period)s AND et.possible > 0 AND {})"
    ).format(w.sql)
    return Predicate(body, {**w.params, "term_period": period_id})


_PE_MEASURES = ("possible", "attended", "authorised", "unauthorised")


def weeks_and_edges_cte(period: Period, row_filter: RowFilter, area: AreaFilter) -> Predicate:
    """`pe` for any dates: whole weeks from enrolment_week, edge days from marks.

    Each source is summed per enrolment on its own, and the two sums are then joined. Summing their
    UNION ALL in one GROUP BY gave the same rows, but the planner cannot estimate the groups of a union
    (it assumes 200, and a third of them after the HAVING), so it planned the joins after it as loops for
    a handful of rows: the busiest LA's term in bench/scale.py's 20 M-mark store, 49,750 enrolments,
    went through a nested loop over every school and took 4.4 s, 5.3 s of 9.3 s in that loop. Grouped
    per table, the estimate comes from the table's statistics.
    """
    plan = plan_period(period.date_from, period.date_to)
    sums: list[sql.Composable] = []
    params: dict[str, Any] = {}
    if plan.has_weeks:
        w = combined(row_filter, area, "ew")
        sums.append(
            sql.SQL(
                "SELECT ew.enrolment_id, sum(ew.possible) AS possible, sum(ew.present + ew.aea) AS attended,"
                " sum(ew.authorised) AS authorised, sum(ew.unauthorised) AS unauthorised FROM enrolment_week ew"
                " WHERE ew.week_start BETWEEN %(wk_first)s AND %(wk_last)s AND {} GROUP BY ew.enrolment_id"
            ).format(w.sql)
        )
        params.update(w.params, wk_first=plan.first_week, wk_last=plan.last_week)
    if plan.edges:
        m = combined(row_filter, area, "m")
        ranges = sql.SQL(" OR ").join(
            sql.SQL("m.date BETWEEN {} AND {}").format(
                sql.Placeholder(f"edge{i}_lo"), sql.Placeholder(f"edge{i}_hi")
            )
            for i in range(len(plan.edges))
        )
        for i, (lo, hi) in enumerate(plan.edges):
            params[f"edge{i}_lo"], params[f"edge{i}_hi"] = lo, hi
        sums.append(
            sql.SQL(
                "SELECT m.enrolment_id, "
                + ", ".join(f"sum({c}) AS {n}" for c, n in zip(CATEGORY_COLUMNS, _PE_MEASURES, strict=True))
                + " FROM marks m "
                + CODE_JOIN
                + " WHERE ({}) AND {} GROUP BY m.enrolment_id"
            ).format(ranges, m.sql)
        )
        params.update(m.params)
    # One source, or the two joined (an enrolment may have marks in only one of them).
    aliases = ("w", "d")[: len(sums)]
    total = {n: " + ".join(f"coalesce({a}.{n}, 0)" for a in aliases) for n in _PE_MEASURES}
    body = sql.SQL(
        "pe AS (SELECT coalesce("
        + ", ".join(f"{a}.enrolment_id" for a in aliases)
        + ") AS enrolment_id, "
        + ", ".join(f"({v})::int AS {n}" for n, v in total.items())
        + " FROM {} WHERE "
        + total["possible"]
        + " > 0)"
    ).format(
        sql.SQL("({}) AS w").format(sums[0])
        if len(sums) == 1
        else sql.SQL("({}) AS w FULL JOIN ({}) AS d ON d.enrolment_id = w.enrolment_id").format(*sums)
    )
    return Predicate(body, params)


PA_SQL = "(pe.authorised + pe.unauthorised) * 10 >= pe.possible"
SEVERE_SQL = "(pe.authorised + pe.unauthorised) * 2 >= pe.possible"


# Columns naming an area at each level: the hierarchy England > region > LA > school.
AREA_COLUMNS: dict[str, tuple[str, ...]] = {
    "national": (),
    "region": ("la.region",),
    "la": ("la.region", "s.la_code", "la.name"),
    "school": ("la.region", "s.la_code", "la.name", "s.urn", "s.name"),
    "trust": ("s.trust_id", "t.name"),
}
AREA_ALIASES: dict[str, tuple[str, ...]] = {
    "national": (),
    "region": ("region",),
    "la": ("region", "la_code", "la_name"),
    "school": ("region", "la_code", "la_name", "urn", "school_name"),
    "trust": ("trust_id", "trust_name"),
}
SESSION_MEASURES = ("possible", "attended", "absent", "authorised", "unauthorised")


def day_rollup(area: AreaFilter) -> tuple[sql.Composable, sql.Composable, dict[str, Any]]:
    """The school-day rollup a reader sums as `g`, its pupil filter, and that filter's parameters.

    school_day (one row per school-day) when no pupil-level narrowing applies; school_day_group (a row
    per pupil group, about 65 per school-day) only for a year group. Ingest keeps each school_day row the
    sum of its school-day's group rows (gateway.store.rollups), and the scope predicates name only
    la_code and urn, which both have, so the answers are the same (tests/store/test_cell_reads.py).
    """
    if area.year_group is None:
        return sql.SQL("school_day"), sql.SQL("TRUE"), {}
    return (
        sql.SQL("school_day_group"),
        sql.SQL("g.year_group = %(year_group)s"),
        {"year_group": area.year_group},
    )


def trust_join(level: Level) -> str:
    """Trust-level rows name the school's trust; schools outside a trust have no trust row."""
    return " JOIN trusts t ON t.trust_id = s.trust_id" if level == "trust" else ""


async def summary_rows(
    conn: AsyncConnection[Any],
    *,
    level: Level,
    period: Period,
    row_filter: RowFilter,
    area: AreaFilter,
    breakdown: Breakdown | None,
    with_tops: bool = False,
) -> list[dict[str, Any]]:
    """Leaf cells: one row per (area at `level`, group), with record-key sums (and top contributions)."""
    pe = per_enrolment_cte(period, row_filter, area)
    group_expr = BREAKDOWN_SQL[breakdown] if breakdown else "NULL::text"
    params = dict(pe.params)
    year_filter = sql.SQL("TRUE")
    if area.year_group is not None:
        year_filter = sql.SQL("e.year_group = %(year_group)s")
        params["year_group"] = area.year_group
    area_cols = [
        f"{expr} AS {alias}" for expr, alias in zip(AREA_COLUMNS[level], AREA_ALIASES[level], strict=True)
    ]
    keys = [*AREA_ALIASES[level], "grp"]
    tops = (
        "".join(f", (array_agg({m} ORDER BY {m} DESC))[1:2] AS {m}__top" for m in SESSION_MEASURES)
        if with_tops
        else ""
    )
    query = sql.SQL(
        "WITH {pe}, r AS ("
        " SELECT " + "".join(c + ", " for c in area_cols) + group_expr + " AS grp,"
        " pe.possible, pe.attended, pe.authorised + pe.unauthorised AS absent, pe.authorised, pe.unauthorised,"
        " e.record_key, " + PA_SQL + " AS persistent, " + SEVERE_SQL + " AS severe"
        " FROM pe JOIN enrolments e USING (enrolment_id) JOIN pupils p USING (pupil_id)"
        " JOIN schools s ON s.urn = e.urn JOIN local_authorities la ON la.la_code = s.la_code"
        + trust_join(level)
        + " WHERE {year_filter})"
        " SELECT " + ", ".join(keys) + ", count(*)::int AS enrolments,"
        " sum(possible)::bigint AS possible, sum(attended)::bigint AS attended, sum(absent)::bigint AS absent,"
        " sum(authorised)::bigint AS authorised, sum(unauthorised)::bigint AS unauthorised,"
        " count(*) FILTER (WHERE persistent)::int AS persistent, count(*) FILTER (WHERE severe)::int AS severe,"
        " sum(record_key)::bigint AS rk_enrolments,"
        " coalesce(sum(record_key) FILTER (WHERE persistent), 0)::bigint AS rk_persistent,"
        " coalesce(sum(record_key) FILTER (WHERE severe), 0)::bigint AS rk_severe" + tops + ""
        " FROM r GROUP BY " + ", ".join(keys) + " ORDER BY " + ", ".join(keys)
    ).format(pe=pe.sql, year_filter=year_filter)
    cur = await conn.execute(query, params)
    return await cur.fetchall()


async def code_session_rows(
    conn: AsyncConnection[Any],
    *,
    level: Level,
    period: Period,
    row_filter: RowFilter,
    area: AreaFilter,
    breakdown: Breakdown | None,
) -> list[dict[str, Any]]:
    """Sessions per code ordinal per (area, group) from the school-day rollup, exact to the day."""
    g = combined(row_filter, area, "g")
    group_expr = BREAKDOWN_SQL_DAY[breakdown] if breakdown else "NULL::text"
    table, year_filter, year_params = day_rollup(area)
    if breakdown is not None:
        table = sql.SQL("school_day_group")  # the groups are its columns
    params = {**g.params, **year_params, "d_from": period.date_from, "d_to": period.date_to}
    area_cols = [
        f"{expr} AS {alias}" for expr, alias in zip(AREA_COLUMNS[level], AREA_ALIASES[level], strict=True)
    ]
    keys = [*AREA_ALIASES[level], "grp", "ordinal"]
    query = sql.SQL(
        "SELECT " + "".join(c + ", " for c in area_cols) + group_expr + " AS grp, u.ord::int AS ordinal,"
        " sum(u.n)::bigint AS sessions"
        " FROM {} g JOIN schools s ON s.urn = g.urn"
        " JOIN local_authorities la ON la.la_code = s.la_code" + trust_join(level) + ","
        " unnest(g.code_counts) WITH ORDINALITY AS u(n, ord)"
        " WHERE g.date BETWEEN %(d_from)s AND %(d_to)s AND {} AND {} AND u.n > 0"
        " GROUP BY " + ", ".join(str(i) for i in range(1, len(keys) + 1))
    ).format(table, g.sql, year_filter)
    cur = await conn.execute(query, params)
    return await cur.fetchall()


async def daily_rows(
    conn: AsyncConnection[Any], *, period: Period, row_filter: RowFilter, area: AreaFilter
) -> list[dict[str, Any]]:
    """A daily series: schools with registers, pupils, sessions by category."""
    g = combined(row_filter, area, "g")
    table, year_filter, year_params = day_rollup(area)
    params = {**g.params, **year_params, "d_from": period.date_from, "d_to": period.date_to}
    # School-days first, then days: hash aggregates instead of count(DISTINCT urn), which sorted every
    # rollup row of the period by (date, urn) (England's year to date in the demo set: 1.3 M rows, 1.0-2.2 s
    # against 0.38-0.41 s; the same rows). The page's first view after each batch waits on this.
    query = sql.SQL(
        "SELECT date, count(*)::int AS schools_with_registers, sum(pupils)::int AS pupils,"
        " sum(possible)::bigint AS possible_sessions, sum(attended)::bigint AS attendance_sessions,"
        " sum(authorised)::bigint AS authorised_sessions, sum(unauthorised)::bigint AS unauthorised_sessions,"
        " sum(not_counted)::bigint AS not_counted_sessions"
        " FROM (SELECT g.date, g.urn, sum(g.pupils) AS pupils, sum(g.possible) AS possible,"
        " sum(g.present + g.aea) AS attended, sum(g.authorised) AS authorised,"
        " sum(g.unauthorised) AS unauthorised, sum(g.not_counted) AS not_counted"
        " FROM {} g WHERE g.date BETWEEN %(d_from)s AND %(d_to)s AND {} AND {}"
        " GROUP BY g.date, g.urn) AS school_days"
        " GROUP BY date ORDER BY date"
    ).format(table, g.sql, year_filter)
    cur = await conn.execute(query, params)
    return await cur.fetchall()


async def daily_rows_by_region(
    conn: AsyncConnection[Any], *, period: Period, row_filter: RowFilter, area: AreaFilter
) -> list[dict[str, Any]]:
    """daily_rows for the area (`region` None) and for each region within it, in one pass over the rollup.

    The national daily page asked for England and then each region: ten reads of the period's rollup
    rows (0.3-0.6 s each on the demo set's year to date, a region with no schools included), which its
    first view after every batch waited on. A school is in one LA and an LA in one region, so the
    grouping sets give each region's rows and the area's exactly as daily_rows does per area.
    """
    g = combined(row_filter, area, "g")
    table, year_filter, year_params = day_rollup(area)
    params = {**g.params, **year_params, "d_from": period.date_from, "d_to": period.date_to}
    query = sql.SQL(
        "SELECT CASE WHEN grouping(la.region) = 1 THEN NULL ELSE la.region END AS region, s.date,"
        " grouping(la.region) = 1 AS whole_area,"
        " count(*)::int AS schools_with_registers, sum(s.pupils)::int AS pupils,"
        " sum(s.possible)::bigint AS possible_sessions, sum(s.attended)::bigint AS attendance_sessions,"
        " sum(s.authorised)::bigint AS authorised_sessions, sum(s.unauthorised)::bigint AS unauthorised_sessions,"
        " sum(s.not_counted)::bigint AS not_counted_sessions"
        " FROM (SELECT g.date, g.la_code, g.urn, sum(g.pupils) AS pupils, sum(g.possible) AS possible,"
        " sum(g.present + g.aea) AS attended, sum(g.authorised) AS authorised,"
        " sum(g.unauthorised) AS unauthorised, sum(g.not_counted) AS not_counted"
        " FROM {} g WHERE g.date BETWEEN %(d_from)s AND %(d_to)s AND {} AND {}"
        " GROUP BY g.date, g.la_code, g.urn) AS s"
        " LEFT JOIN local_authorities la ON la.la_code = s.la_code"
        " GROUP BY GROUPING SETS ((s.date), (la.region, s.date))"
        " ORDER BY whole_area DESC, region, s.date"
    ).format(table, g.sql, year_filter)
    cur = await conn.execute(query, params)
    return await cur.fetchall()


async def closure_rows(
    conn: AsyncConnection[Any],
    *,
    day: date,
    row_filter: RowFilter,
    area: AreaFilter,
    ordinals: dict[str, int],
) -> list[dict[str, Any]]:
    """Per school on roll that day: sessions marked, closure codes, attendance.

    Whole schools (a year group does not narrow it), so from school_day, one row per school-day.
    """
    s_pred = combined(row_filter, area, "s")
    g_pred = combined(row_filter, area, "g")
    params = {
        **s_pred.params,
        **g_pred.params,
        "day": day,
        "o_hash": ordinals["#"],
        "o_y4": ordinals["Y4"],
        "o_y3": ordinals["Y3"],
    }
    query = sql.SQL(
        "WITH d AS (SELECT g.urn, sum(g.possible + g.not_counted)::int AS marks, sum(g.pupils)::int AS pupils,"
        " sum(g.possible)::int AS possible,"
        " sum(g.present + g.aea)::int AS attended,"
        " sum(coalesce(g.code_counts[%(o_hash)s], 0))::int AS planned_closure,"
        " sum(coalesce(g.code_counts[%(o_y4)s], 0))::int AS unexpected_closure,"
        " sum(coalesce(g.code_counts[%(o_y3)s], 0))::int AS partial_closure"
        " FROM school_day g WHERE g.date = %(day)s AND {g} GROUP BY g.urn)"
        " SELECT s.urn, s.name, s.la_code, la.region, s.phase, coalesce(d.marks, 0) AS marks, coalesce(d.pupils, 0) AS pupils,"
        " coalesce(d.possible, 0) AS possible, coalesce(d.attended, 0) AS attended,"
        " coalesce(d.planned_closure, 0) AS planned_closure, coalesce(d.unexpected_closure, 0) AS unexpected_closure,"
        " coalesce(d.partial_closure, 0) AS partial_closure"
        " FROM schools s JOIN local_authorities la ON la.la_code = s.la_code LEFT JOIN d ON d.urn = s.urn"
        " WHERE {s} AND EXISTS (SELECT 1 FROM enrolments e WHERE e.urn = s.urn AND e.admission_date <= %(day)s"
        " AND (e.leaving_date IS NULL OR e.leaving_date >= %(day)s))"
        " ORDER BY s.urn"
    ).format(g=g_pred.sql, s=s_pred.sql)
    cur = await conn.execute(query, params)
    return await cur.fetchall()


async def school_profiles(
    conn: AsyncConnection[Any], *, period: Period, phase: str | None = None
) -> list[dict[str, Any]]:
    """Per school in England over the period: size, FSM share, sessions and persistent absentees.

    Used for benchmarking; the result is aggregate per school and disclosure-controlled by the caller.
    """
    pe = per_enrolment_cte(period, RowFilter(), AreaFilter(phase=phase))
    query = sql.SQL(
        "WITH {pe} SELECT s.urn, s.la_code, s.trust_id, s.phase, count(*)::int AS enrolments,"
        " count(*) FILTER (WHERE e.fsm)::int AS fsm_enrolments,"
        " sum(pe.possible)::bigint AS possible_sessions, sum(pe.attended)::bigint AS attendance_sessions,"
        " sum(pe.authorised)::bigint AS authorised_sessions, sum(pe.unauthorised)::bigint AS unauthorised_sessions,"
        " count(*) FILTER (WHERE " + PA_SQL + ")::int AS persistent_absentees,"
        " count(*) FILTER (WHERE " + SEVERE_SQL + ")::int AS severe_absentees"
        " FROM pe JOIN enrolments e USING (enrolment_id) JOIN schools s ON s.urn = e.urn GROUP BY s.urn"
    ).format(pe=pe.sql)
    cur = await conn.execute(query, pe.params)
    return await cur.fetchall()
