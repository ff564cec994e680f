"""Pupil-level queries. The only module that selects identifying pupil columns, and only permitted ones."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from psycopg import AsyncConnection, sql

from gateway.policy.decision import RowFilter
from gateway.store.aggregates import CODE_JOIN, PA_SQL, SEVERE_SQL, Period, per_enrolment_cte
from gateway.store.scope import AreaFilter, combined, scope_predicate

Criterion = Literal["persistent", "severe", "rate", "unauthorised_10_in_10", "all"]

# Field vocabulary (shared with the policies and DPIAs) -> SQL over pupils p, enrolments e, schools s, pe.
PUPIL_FIELDS: dict[str, str] = {
    "upn": "p.upn",
    "forename": "p.forename",
    "surname": "p.surname",
    "date_of_birth": "p.date_of_birth",
    "sex": "p.sex",
    "ethnicity": "p.ethnicity",
    "ethnicity_major": "p.ethnicity_major",
    "year_group": "e.year_group",
    "fsm": "e.fsm",
    "sen_provision": "e.sen_provision",
    "looked_after": "e.looked_after",
    "previously_looked_after": "e.previously_looked_after",
    "child_in_need": "e.child_in_need",
    "child_protection_plan": "e.child_protection_plan",
    "urn": "e.urn",
    "school_name": "s.name",
    "la_code": "e.la_code",
    "admission_date": "e.admission_date",
    "leaving_date": "e.leaving_date",
}
MEASURE_FIELDS: dict[str, str] = {
    "possible_sessions": "pe.possible",
    "attendance_sessions": "pe.attended",
    "authorised_sessions": "pe.authorised",
    "unauthorised_sessions": "pe.unauthorised",
    "absence_rate": "round(100.0 * (pe.authorised + pe.unauthorised) / pe.possible, 1)::float8",
    "persistent_absence": PA_SQL.replace("pe.", "pe."),
    "severe_absence": SEVERE_SQL,
}
# Internal columns: never returned as such. `_subject` feeds the audit subject index and pseudonyms.
SUBJECT = "_subject"


@dataclass(frozen=True, slots=True)
class Page:
    rows: list[dict[str, Any]]
    next_after: int | None


def select_list(fields: Sequence[str], *, with_measures: bool) -> sql.Composable:
    """SELECT list for the permitted fields only, plus the internal subject and keyset columns."""
    exprs: list[sql.Composable] = [sql.SQL("e.enrolment_id AS _enrolment_id"), sql.SQL("p.upn AS " + SUBJECT)]
    for name in fields:
        if name in PUPIL_FIELDS:
            exprs.append(sql.SQL(PUPIL_FIELDS[name] + " AS ") + sql.Identifier(name))
        elif with_measures and name in MEASURE_FIELDS:
            exprs.append(sql.SQL(MEASURE_FIELDS[name] + " AS ") + sql.Identifier(name))
    return sql.SQL(", ").join(exprs)


def criterion_sql(criterion: Criterion) -> str:
    return {
        "persistent": PA_SQL,
        "severe": SEVERE_SQL,
        "rate": "(pe.authorised + pe.unauthorised) * 100.0 >= %(min_rate)s * pe.possible",
        "unauthorised_10_in_10": "e.enrolment_id IN (SELECT enrolment_id FROM rolling)",
        "all": "TRUE",
    }[criterion]


def rolling_unauthorised_cte(
    period: Period, row_filter: RowFilter, area: AreaFilter
) -> tuple[sql.Composable, dict[str, Any]]:
    """Enrolments with 10 or more unauthorised sessions in any 10 consecutive school weeks of the period.

    Needs `pe` (the period's row per enrolment) before it. Only an enrolment whose unauthorised sessions in
    the period, plus those of the first and last week (the only days of the weeks read that can fall outside
    the period), come to 10 or more can have 10 in any 10 weeks; only those candidates' weeks are read, one
    enrolment at a time in enrolment_week's key order (la_code, enrolment_id, week_start), so the window
    needs no sort. Reading every week of the LA and sorting it took 0.6 s for an LA of 12,000 pupils."""
    w = combined(row_filter, area, "ew")
    body = sql.SQL(
        "edge_weeks AS (SELECT ew.enrolment_id, sum(ew.unauthorised) AS unauthorised FROM enrolment_week ew"
        " WHERE ew.week_start IN (%(roll_from)s, %(roll_last)s) AND {w} GROUP BY ew.enrolment_id),"
        " rolling AS (SELECT c.enrolment_id FROM pe c JOIN enrolments ce ON ce.enrolment_id = c.enrolment_id"
        " LEFT JOIN edge_weeks x ON x.enrolment_id = c.enrolment_id"
        " WHERE c.unauthorised + coalesce(x.unauthorised, 0) >= 10 AND EXISTS (SELECT FROM (SELECT"
        " sum(ew.unauthorised) OVER (ORDER BY ew.week_start ROWS BETWEEN 9 PRECEDING AND CURRENT ROW) AS u10"
        " FROM enrolment_week ew WHERE ew.la_code = ce.la_code AND ew.enrolment_id = c.enrolment_id"
        " AND ew.possible > 0 AND ew.week_start BETWEEN %(roll_from)s AND %(roll_to)s AND {w}) AS t"
        " WHERE t.u10 >= 10))"
    ).format(w=w.sql)
    monday_from = period.date_from - timedelta(days=period.date_from.weekday())
    monday_last = period.date_to - timedelta(days=period.date_to.weekday())
    return body, {**w.params, "roll_from": monday_from, "roll_last": monday_last, "roll_to": period.date_to}


async def list_pupils(
    conn: AsyncConnection[Any],
    *,
    criterion: Criterion,
    min_rate: float | None,
    period: Period,
    row_filter: RowFilter,
    area: AreaFilter,
    fields: Sequence[str],
    after: int,
    limit: int,
) -> Page:
    """Pupils in scope meeting the criterion over the period, keyset-paginated by enrolment."""
    pe = per_enrolment_cte(period, row_filter, area)
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
    return _page(rows, limit)


def _page(rows: list[dict[str, Any]], limit: int) -> Page:
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows=rows, next_after=int(rows[-1]["_enrolment_id"]) if more and rows else None)


async def pupil_enrolments(
    conn: AsyncConnection[Any], *, upn: str, row_filter: RowFilter, fields: Sequence[str]
) -> list[dict[str, Any]]:
    """A pupil's enrolments inside the caller's scope (none outside it is ever revealed)."""
    scope_e = scope_predicate(row_filter, "e")
    query = sql.SQL(
        "SELECT {cols} FROM pupils p JOIN enrolments e USING (pupil_id) JOIN schools s ON s.urn = e.urn"
        " WHERE p.upn = %(upn)s AND {scope} ORDER BY e.admission_date, e.enrolment_id"
    ).format(cols=select_list(fields, with_measures=False), scope=scope_e.sql)
    cur = await conn.execute(query, {**scope_e.params, "upn": upn})
    return await cur.fetchall()


async def session_history(
    conn: AsyncConnection[Any], *, enrolment_ids: Sequence[int], period: Period, row_filter: RowFilter
) -> list[dict[str, Any]]:
    """Marks of the given enrolments (already scope-checked) in the period, re-checked against scope."""
    scope_m = scope_predicate(row_filter, "m")
    query = sql.SQL(
        "SELECT m.enrolment_id, m.urn, m.date, CASE m.session WHEN 0 THEN 'AM' ELSE 'PM' END AS session, m.code,"
        " c.category, m.recorded_at FROM marks m " + CODE_JOIN + " WHERE m.enrolment_id = ANY(%(ids)s)"
        " AND m.date BETWEEN %(d_from)s AND %(d_to)s AND {} ORDER BY m.date, m.session"
    ).format(scope_m.sql)
    cur = await conn.execute(
        query,
        {**scope_m.params, "ids": list(enrolment_ids), "d_from": period.date_from, "d_to": period.date_to},
    )
    return await cur.fetchall()


@dataclass(frozen=True, slots=True)
class WarningWindow:
    """The recent window (last `recent_weeks` school weeks up to as_of) against the prior period."""

    period_start: date
    as_of: date
    recent_weeks: int = 4

    @property
    def recent_start(self) -> date:
        monday = self.as_of - timedelta(days=self.as_of.weekday())
        return monday - timedelta(weeks=self.recent_weeks - 1)


EARLY_WARNING_RULES: dict[str, str] = {
    "attendance_drop": "recent.possible >= 10 AND prior.possible >= 10 AND"
    " 100.0 * recent.attended / recent.possible <= 100.0 * prior.attended / prior.possible - %(drop_points)s",
    "newly_persistent": "prior.possible > 0 AND (prior.absent) * 10 < prior.possible"
    " AND (prior.absent + recent.absent) * 10 >= (prior.possible + recent.possible)",
    "newly_severe": "prior.possible > 0 AND (prior.absent) * 2 < prior.possible"
    " AND (prior.absent + recent.absent) * 2 >= (prior.possible + recent.possible)",
    "unauthorised_run": "recent.last2_unauth >= 5 AND prior.unauthorised * 100 < prior.possible",
}
RULE_TEXT: dict[str, str] = {
    "attendance_drop": "Attendance in the last {recent_weeks} school weeks is at least {drop_points} points below "
    "the rest of the period.",
    "newly_persistent": "Newly persistently absent: under 10% absence before the last {recent_weeks} school weeks, "
    "10% or more including them.",
    "newly_severe": "Newly severely absent: under 50% absence before the last {recent_weeks} school weeks, "
    "50% or more including them.",
    "unauthorised_run": "5 or more unauthorised sessions in the last 2 school weeks after a period with under 1% "
    "unauthorised absence.",
}


async def early_warning(
    conn: AsyncConnection[Any],
    *,
    window: WarningWindow,
    row_filter: RowFilter,
    area: AreaFilter,
    fields: Sequence[str],
    drop_points: float,
    after: int,
    limit: int,
) -> Page:
    """Pupils whose attendance is getting worse; each row carries the rules it met (`_rules`)."""
    w = combined(row_filter, area, "ew")
    scope_e = scope_predicate(row_filter, "e", prefix="rf_outer")
    last2 = max(
        window.as_of - timedelta(days=window.as_of.weekday()) - timedelta(weeks=1), window.period_start
    )
    recent_from = max(window.period_start, window.recent_start)
    params: dict[str, Any] = {
        **w.params,
        **scope_e.params,
        "p_start": window.period_start,
        "recent_from": recent_from,
        "read_from": min(recent_from, last2),
        "as_of": window.as_of,
        "last2": last2,
        "drop_points": drop_points,
        "after": after,
        "limit": limit + 1,
    }
    year_filter = "TRUE"
    if area.year_group is not None:
        year_filter = "e.year_group = %(year_group)s"
        params["year_group"] = area.year_group
    rule_cols = ", ".join(f"({expr}) AS rule_{name}" for name, expr in EARLY_WARNING_RULES.items())
    any_rule = " OR ".join(f"({expr})" for expr in EARLY_WARNING_RULES.values())
    cols = select_list(fields, with_measures=False)
    query = sql.SQL(
        # The cumulative rollup's rows in the recent weeks (and the last two) only: running totals never
        # fall, so a total over a run of weeks is max(total) - min(total before the week); the prior weeks'
        # total is the one before the recent weeks less the one before the period (one index probe). An
        # enrolment with none of these weeks meets no rule (every rule needs sessions in them).
        "WITH recent AS (SELECT ew.la_code, ew.enrolment_id, ew.week_start >= %(recent_from)s AS is_recent,"
        " ew.week_start >= %(last2)s AS in_last2, ew.possible, ew.attended, ew.absent, ew.unauthorised,"
        " ew.possible - ew.w_possible AS b_possible, ew.attended - ew.w_attended AS b_attended,"
        " ew.absent - ew.w_absent AS b_absent, ew.unauthorised - ew.w_unauthorised AS b_unauth"
        " FROM enrolment_week_cumulative ew WHERE ew.week_start BETWEEN %(read_from)s AND %(as_of)s AND {w}),"
        " sums AS (SELECT la_code, enrolment_id,"
        " coalesce(max(possible) FILTER (WHERE is_recent) - min(b_possible) FILTER (WHERE is_recent), 0) AS r_possible,"
        " coalesce(max(attended) FILTER (WHERE is_recent) - min(b_attended) FILTER (WHERE is_recent), 0) AS r_attended,"
        " coalesce(max(absent) FILTER (WHERE is_recent) - min(b_absent) FILTER (WHERE is_recent), 0) AS r_absent,"
        " coalesce(max(unauthorised) FILTER (WHERE in_last2) - min(b_unauth) FILTER (WHERE in_last2), 0) AS r_last2,"
        " coalesce(min(b_possible) FILTER (WHERE is_recent), max(possible)) AS b_possible,"
        " coalesce(min(b_attended) FILTER (WHERE is_recent), max(attended)) AS b_attended,"
        " coalesce(min(b_absent) FILTER (WHERE is_recent), max(absent)) AS b_absent,"
        " coalesce(min(b_unauth) FILTER (WHERE is_recent), max(unauthorised)) AS b_unauth"
        " FROM recent GROUP BY la_code, enrolment_id),"
        " agg AS (SELECT s.enrolment_id, s.r_possible, s.r_attended, s.r_absent, s.r_last2,"
        " s.b_possible - coalesce(c.possible, 0) AS p_possible, s.b_attended - coalesce(c.attended, 0) AS p_attended,"
        " s.b_absent - coalesce(c.absent, 0) AS p_absent, s.b_unauth - coalesce(c.unauthorised, 0) AS p_unauth"
        " FROM sums s LEFT JOIN LATERAL (SELECT c.possible, c.attended, c.absent, c.unauthorised"
        " FROM enrolment_week_cumulative c WHERE c.la_code = s.la_code AND c.enrolment_id = s.enrolment_id"
        " AND c.week_start < %(p_start)s ORDER BY c.week_start DESC LIMIT 1) AS c ON TRUE),"
        " flagged AS (SELECT agg.enrolment_id,"
        " coalesce(r_possible, 0) AS r_possible, coalesce(r_attended, 0) AS r_attended,"
        " coalesce(p_possible, 0) AS p_possible, coalesce(p_attended, 0) AS p_attended, " + rule_cols + ""
        " FROM agg, LATERAL (SELECT coalesce(r_possible, 0) AS possible, coalesce(r_attended, 0) AS attended,"
        " coalesce(r_absent, 0) AS absent, coalesce(r_last2, 0) AS last2_unauth) AS recent,"
        " LATERAL (SELECT coalesce(p_possible, 0) AS possible, coalesce(p_attended, 0) AS attended,"
        " coalesce(p_absent, 0) AS absent, coalesce(p_unauth, 0) AS unauthorised) AS prior"
        " WHERE " + any_rule + ")"
        " SELECT {cols}, f.* FROM flagged f JOIN enrolments e ON e.enrolment_id = f.enrolment_id"
        " JOIN pupils p USING (pupil_id) JOIN schools s ON s.urn = e.urn"
        " WHERE {scope} AND "
        + year_filter
        + " AND e.enrolment_id > %(after)s ORDER BY e.enrolment_id LIMIT %(limit)s"
    ).format(w=w.sql, cols=cols, scope=scope_e.sql)
    cur = await conn.execute(query, params)
    rows = await cur.fetchall()
    for row in rows:
        row["_rules"] = [name for name in EARLY_WARNING_RULES if row.pop(f"rule_{name}")]
        row.pop("enrolment_id", None)
    return _page(rows, limit)


async def extract_rows(
    conn: AsyncConnection[Any],
    *,
    period: Period,
    row_filter: RowFilter,
    area: AreaFilter,
    fields: Sequence[str],
    cap: int,
) -> list[dict[str, Any]]:
    """Record-level rows (one per enrolment with possible sessions), at most cap + 1 so a breach is visible."""
    pe = per_enrolment_cte(period, row_filter, area)
    scope_e = scope_predicate(row_filter, "e", prefix="rf_outer")
    params: dict[str, Any] = {**pe.params, **scope_e.params, "cap": cap + 1}
    year_filter = "TRUE"
    if area.year_group is not None:
        year_filter = "e.year_group = %(year_group)s"
        params["year_group"] = area.year_group
    query = sql.SQL(
        "WITH {pe} SELECT {cols} FROM pe JOIN enrolments e USING (enrolment_id) JOIN pupils p USING (pupil_id)"
        " JOIN schools s ON s.urn = e.urn WHERE {scope} AND "
        + year_filter
        + " ORDER BY e.enrolment_id LIMIT %(cap)s"
    ).format(pe=pe.sql, cols=select_list(fields, with_measures=True), scope=scope_e.sql)
    cur = await conn.execute(query, params)
    return await cur.fetchall()
