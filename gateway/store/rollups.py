"""Rollups kept current by ingest: per school-day-group, per school-day and per enrolment-week, from deltas or from scratch."""

from __future__ import annotations

from typing import Final

from psycopg import AsyncConnection

from gateway.store.codes import CODE_COUNT, ordinals_in
from gateway.store.cumulative import REBUILD_ALL

GROUP_KEY: Final = "urn, date, year_group, fsm, sen_provision, sex, ethnicity_major"
# The rollup's primary key: the distribution key and one integer for the five group columns.
GROUP_PK: Final = "la_code, urn, date, gid"
# school_day's: one row per school-day, the distribution key first.
DAY_PK: Final = "la_code, urn, date"


_P, _AEA, _AUTH, _UNAUTH = (ordinals_in(c) for c in ("P", "AEA", "AUTH", "UNAUTH"))
_NC = ordinals_in("NC")
_POSSIBLE = _P + _AEA + _AUTH + _UNAUTH


# Column p carries the change in `pupils` (enrolments with at least one mark that day).
_CODE_ARRAY: Final = (
    "ARRAY["
    + ", ".join(f"coalesce(sum(n) FILTER (WHERE o = {i}), 0)" for i in range(1, CODE_COUNT + 1))
    + "]::integer[]"
)


# Elementwise sum written out: an SQL function call per upserted row costs tens of microseconds.
def _array_add(table: str) -> str:
    return (
        "ARRAY["
        + ", ".join(f"{table}.code_counts[{i}] + excluded.code_counts[{i}]" for i in range(1, CODE_COUNT + 1))
        + "]::integer[]"
    )


def _array_sum(ordinals: tuple[int, ...]) -> str:
    return "(" + " + ".join(f"a[{o}]" for o in ordinals) + ")"


async def create_enrolment_groups(conn: AsyncConnection[object], where: str, analyze: bool = True) -> None:
    """Temp table enrolment_groups: each enrolment's stable pupil group `gid` (see gateway.store.groups).

    Aggregating on (urn, date, gid) integers is much cheaper than on the five grouping columns (two of
    them text); the columns are joined back from pupil_groups once per group. `where` filters
    enrolments `e`. Marks ingest also looks enrolments up here by (urn, upn) and checks their
    admission..leaving dates. `analyze`: gather planner statistics (worth it when big queries join the
    table; not for a hash join's build side).
    """
    await conn.execute("DROP TABLE IF EXISTS enrolment_groups")
    await conn.execute(
        f"""CREATE TEMP TABLE enrolment_groups ON COMMIT DROP AS
            SELECT e.enrolment_id, e.urn, e.la_code, e.gid::integer AS gid, e.record_key,
                   p.upn::text AS upn, e.admission_date, e.leaving_date
            FROM enrolments e JOIN pupils p ON p.pupil_id = e.pupil_id
            WHERE {where}"""
    )
    if analyze:
        await conn.execute("ANALYZE enrolment_groups")


_MEASURES: Final = "pupils, possible, present, aea, authorised, unauthorised, not_counted, code_counts"


def _spread(keys: str, by_code: str) -> str:
    """Per `keys`, the pupils and per-code array from (keys, o, n, p) rows, with the category totals.

    Only the few per-code sums are spread into the array (one FILTER per code: costly per row), and the
    category totals are sums of the per-code counts, computed once per row of the result.
    """
    return f"""
        SELECT {keys}, pupils, {_array_sum(_POSSIBLE)}, {_array_sum(_P)}, {_array_sum(_AEA)},
               {_array_sum(_AUTH)}, {_array_sum(_UNAUTH)}, {_array_sum(_NC)}, a
        FROM (
            SELECT {keys}, coalesce(sum(p), 0) AS pupils, {_CODE_ARRAY} AS a
            FROM ({by_code}) AS c
            GROUP BY {keys}
        ) AS agg"""


def _on_conflict(table: str, key: str) -> str:
    sets = ", ".join(f"{m} = {table}.{m} + excluded.{m}" for m in _MEASURES.split(", ") if m != "code_counts")
    return f" ON CONFLICT ({key}) DO UPDATE SET {sets}, code_counts = {_array_add(table)}"


def school_day_upserts(source: str, insert_only: bool = False) -> str:
    """CTEs adding the (urn, date, gid, la_code, o, n, p) rows of `source` into both school-day rollups.

    n counts marks with code ordinal o, p pupil-days (either may be negative; o may be NULL when n is 0).
    `gid` refers to pupil_groups. Rows are first summed per code (a cheap integer hash aggregate), once
    for both rollups: school_day_group per (urn, date, gid), and school_day per (urn, date) from the same
    sums. Both are additive, and an enrolment is in one group a day, so a school-day's row of school_day
    stays the sum of its group rows (pupils included) after any sequence of deltas; the two rollups have
    rows for the same school-days. `insert_only`: the rows are known to be new (a plain insert, cheaper
    than the speculative insertion of ON CONFLICT; a row that exists after all fails the statement with a
    unique violation). Used as `WITH {this} SELECT ...` or among a statement's other CTEs.
    """
    group_conflict = "" if insert_only else _on_conflict("school_day_group", GROUP_PK)
    day_conflict = "" if insert_only else _on_conflict("school_day", DAY_PK)
    day_codes = (
        "SELECT urn, date, la_code, o, sum(n)::integer AS n, sum(p)::integer AS p"
        " FROM by_code GROUP BY urn, date, la_code, o"
    )
    return f"""
        by_code AS MATERIALIZED (
            SELECT urn, date, gid, la_code, o, sum(n)::integer AS n, sum(p)::integer AS p
            FROM ({source}) AS src
            GROUP BY urn, date, gid, la_code, o
        ), group_rows AS (
            INSERT INTO school_day_group ({GROUP_KEY}, la_code, gid, {_MEASURES})
            SELECT s.urn, s.date, g.year_group, g.fsm, g.sen_provision, g.sex, g.ethnicity_major, s.la_code,
                   s.gid, s.pupils, s.possible, s.present, s.aea, s.authorised, s.unauthorised, s.not_counted, s.a
            FROM ({_spread("urn, date, gid, la_code", "SELECT * FROM by_code")})
                AS s (urn, date, gid, la_code, pupils, possible, present, aea, authorised, unauthorised,
                      not_counted, a)
            JOIN pupil_groups g ON g.gid = s.gid
            {group_conflict}
        ), day_rows AS (
            INSERT INTO school_day (urn, date, la_code, {_MEASURES})
            {_spread("urn, date, la_code", day_codes)}
            {day_conflict}
        )"""


def school_day_upsert_statement(source: str) -> str:
    """school_day_upserts as a statement of its own."""
    return f"WITH {school_day_upserts(source)} SELECT"


def _cat_sum(*categories: str) -> str:
    names = ", ".join(f"'{c}'" for c in categories)
    return f"coalesce(sum(n) FILTER (WHERE cat IN ({names})), 0)"


def enrolment_week_upsert(source: str) -> str:
    """Add the (enrolment_id, week_start, la_code, urn, cat, n) rows of `source` into enrolment_week."""
    return f"""
        INSERT INTO enrolment_week (enrolment_id, week_start, la_code, urn, possible, present, aea,
                                    authorised, unauthorised)
        SELECT enrolment_id, week_start, la_code, urn, {_cat_sum("P", "AEA", "AUTH", "UNAUTH")},
               {_cat_sum("P")}, {_cat_sum("AEA")}, {_cat_sum("AUTH")}, {_cat_sum("UNAUTH")}
        FROM (
            SELECT enrolment_id, week_start, la_code, urn, cat, sum(n)::integer AS n
            FROM ({source}) AS src
            GROUP BY enrolment_id, week_start, la_code, urn, cat
        ) AS by_cat
        GROUP BY enrolment_id, week_start, la_code, urn
        ON CONFLICT (la_code, enrolment_id, week_start) DO UPDATE SET
            possible = enrolment_week.possible + excluded.possible,
            present = enrolment_week.present + excluded.present,
            aea = enrolment_week.aea + excluded.aea,
            authorised = enrolment_week.authorised + excluded.authorised,
            unauthorised = enrolment_week.unauthorised + excluded.unauthorised
    """


# A code's version on a mark's date; validity is by the mark's date, never by when it was recorded.
CODE_ON_DATE: Final = (
    "c.code = {code} AND {day} >= c.valid_from AND (c.valid_to IS NULL OR {day} < c.valid_to)"
)


def _marks_source(where: str) -> str:
    join = CODE_ON_DATE.format(code="m.code", day="m.date")
    return f"""
        SELECT g.urn, m.date, g.gid, g.la_code, c.ordinal AS o, count(*)::integer AS n, 0 AS p
        FROM marks m
        JOIN enrolment_groups g ON g.enrolment_id = m.enrolment_id
        JOIN attendance_codes c ON {join}
        WHERE {where}
        GROUP BY 1, 2, 3, 4, 5
        UNION ALL
        SELECT g.urn, m.date, g.gid, g.la_code, NULL, 0, count(DISTINCT m.enrolment_id)::integer
        FROM marks m
        JOIN enrolment_groups g ON g.enrolment_id = m.enrolment_id
        WHERE {where}
        GROUP BY 1, 2, 3, 4
    """


def _weeks_source(where: str) -> str:
    join = CODE_ON_DATE.format(code="m.code", day="m.date")
    return f"""
        SELECT m.enrolment_id, date_trunc('week', m.date)::date AS week_start, m.la_code, m.urn,
               c.category AS cat, count(*)::integer AS n
        FROM marks m JOIN attendance_codes c ON {join}
        WHERE {where}
        GROUP BY 1, 2, 3, 4, 5
    """


async def rebuild_rollups(conn: AsyncConnection[object]) -> None:
    """Recompute the rollups from raw marks (repair, and the tests' reference). Runs in one transaction."""
    async with conn.transaction():
        await conn.execute(
            "LOCK TABLE school_day_group, school_day, enrolment_week, enrolment_week_cumulative IN EXCLUSIVE MODE"
        )
        await conn.execute("DELETE FROM school_day_group")
        await conn.execute("DELETE FROM school_day")
        await conn.execute("DELETE FROM enrolment_week")
        await create_enrolment_groups(conn, "TRUE")
        await conn.execute(school_day_upsert_statement(_marks_source("TRUE")))
        await conn.execute(enrolment_week_upsert(_weeks_source("TRUE")))
        await conn.execute(REBUILD_ALL)


async def rebuild_school_days_of(conn: AsyncConnection[object], changes_table: str) -> None:
    """Recompute school_day_group and school_day for every (urn, date) on which an enrolment in `changes_table` has marks.

    Used when a roster changes an enrolment's grouping (year group, FSM, SEN, sex, ethnicity): its past
    marks move from one group to another. The caller holds the transaction.
    """
    await conn.execute(
        f"CREATE TEMP TABLE regroup_days ON COMMIT DROP AS"
        f" SELECT DISTINCT m.urn, m.date FROM marks m JOIN {changes_table} x USING (enrolment_id)"
    )
    await rebuild_school_days(conn, "regroup_days")
    await conn.execute("DROP TABLE regroup_days")


async def rebuild_school_days(conn: AsyncConnection[object], days_table: str) -> None:
    """Recompute school_day_group and school_day for the (urn, date) rows of `days_table` from raw marks (a pupil merge
    names the days whose marks moved). The caller holds the transaction."""
    for table in ("school_day_group", "school_day"):
        await conn.execute(
            f"DELETE FROM {table} g USING {days_table} r WHERE g.urn = r.urn AND g.date = r.date"
        )
    await create_enrolment_groups(conn, f"e.urn IN (SELECT urn FROM {days_table})")
    where = f"(m.urn, m.date) IN (SELECT urn, date FROM {days_table})"
    await conn.execute(school_day_upsert_statement(_marks_source(where)))
