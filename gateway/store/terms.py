"""Per-enrolment term rows and school, LA and trust cells, kept exact by ingest from deltas (or rebuilt).

`enrolment_term` holds one row per enrolment and period with cells (academic year, term: see
gateway.store.calendar.CELL_KINDS): possible, attended, authorised and unauthorised sessions. Cells hold,
per area, period and breakdown cell (dimension, value; see gateway.store.groups), the enrolments with
possible sessions, their sessions, how many are persistently (10%+) and severely (50%+) absent, and the
record-key sums of those three counts for cell-key perturbation.

Maintenance is by difference: each upsert of enrolment_term returns every changed row before and after
(PostgreSQL 18's RETURNING old.*, new.*), so an enrolment that crosses the persistent-absence line moves
between counts exactly, and the differences are summed into the cells in the same statement.
"""

from __future__ import annotations

from typing import Final

from psycopg import AsyncConnection

MEASURES: Final = (
    "enrolments", "possible", "attended", "authorised", "unauthorised", "persistent", "severe",
    "rk_enrolments", "rk_persistent", "rk_severe",
)  # fmt: skip
CELL_TABLES: Final = ("school_cell", "la_cell", "trust_cell")
_CELL_KEYS: Final = {
    "school_cell": ("la_code", "urn", "period_id", "dim", "val"),
    "la_cell": ("la_code", "period_id", "dim", "val"),
    "trust_cell": ("trust_id", "period_id", "dim", "val"),
}

# Status of one enrolment_term row `r` (possible, attended, authorised, unauthorised), as integers.
_COUNTED = "({r}.possible > 0)::integer"
_PERSISTENT = "({r}.possible > 0 AND ({r}.authorised + {r}.unauthorised) * 10 >= {r}.possible)::integer"
_SEVERE = "({r}.possible > 0 AND ({r}.authorised + {r}.unauthorised) * 2 >= {r}.possible)::integer"


def _status(r: str) -> dict[str, str]:
    """Each measure's contribution of one enrolment_term row (record keys applied later)."""
    return {
        "enrolments": _COUNTED.format(r=r),
        "possible": f"{r}.possible::integer",
        "attended": f"{r}.attended::integer",
        "authorised": f"{r}.authorised::integer",
        "unauthorised": f"{r}.unauthorised::integer",
        "persistent": _PERSISTENT.format(r=r),
        "severe": _SEVERE.format(r=r),
    }


_BASE: Final = MEASURES[:7]
_RK: Final = {"rk_enrolments": "enrolments", "rk_persistent": "persistent", "rk_severe": "severe"}


def _sum(name: str, cast: str = "integer") -> str:
    return f"sum({name})::{'bigint' if name.startswith('rk_') else cast} AS {name}"


def cells_statement(ctes: str, source: str) -> str:
    """One statement adding signed per-enrolment contributions into all three cell tables.

    `ctes`: leading common table expressions (without WITH), possibly data-modifying; `source` names a
    relation with (urn, la_code, period_id, gid, record_key, enrolments .. severe). Contributions are
    summed per pupil group first (one integer key), then spread into the breakdown cells of each group.
    """
    measures = ", ".join(_sum(m) for m in _BASE)
    rk = ", ".join(f"sum(record_key::bigint * {base})::bigint AS {name}" for name, base in _RK.items())
    all_sums = ", ".join(_sum(m) for m in MEASURES)
    nonzero = " OR ".join(f"sum({m}) <> 0" for m in MEASURES)
    prefix = f"WITH {ctes}," if ctes else "WITH"
    return f"""
        {prefix} by_gid AS (
            SELECT urn, la_code, period_id, gid, {measures}, {rk}
            FROM {source} AS src GROUP BY urn, la_code, period_id, gid
        ), by_cell AS MATERIALIZED (
            SELECT b.la_code, b.urn, b.period_id, gc.dim, gc.val, {all_sums}
            FROM by_gid b JOIN group_cells gc ON gc.gid = b.gid
            GROUP BY b.la_code, b.urn, b.period_id, gc.dim, gc.val
            HAVING {nonzero}
        ), school AS (
            {_cell_upsert("school_cell", "SELECT * FROM by_cell")}
        ), la AS (
            {
        _cell_upsert(
            "la_cell", f"SELECT la_code, period_id, dim, val, {all_sums} FROM by_cell GROUP BY 1, 2, 3, 4"
        )
    }
        )
        {
        _cell_upsert(
            "trust_cell",
            f"SELECT s.trust_id, b.period_id, b.dim, b.val, {all_sums.replace('sum(', 'sum(b.')}"
            " FROM by_cell b JOIN schools s ON s.urn = b.urn WHERE s.trust_id IS NOT NULL GROUP BY 1, 2, 3, 4",
        )
    }
    """


def _cell_upsert(table: str, rows: str) -> str:
    keys = _CELL_KEYS[table]
    sets = ", ".join(f"{m} = c.{m} + excluded.{m}" for m in MEASURES)
    return f"""INSERT INTO {table} AS c ({", ".join(keys)}, {", ".join(MEASURES)}) {rows}
            ON CONFLICT ({", ".join(keys)}) DO UPDATE SET {sets}"""


# The periods with cells a day belongs to (its academic year, and its term if any), as two columns
# for a small table of distinct days (a join per mark would cost a lookup per row).
PERIOD_IDS_OF_DAY: Final = (
    "(SELECT pd.period_id FROM period_days pd WHERE pd.day = {day} AND pd.period_id % 10 = 0) AS year_pid,"
    " (SELECT pd.period_id FROM period_days pd WHERE pd.day = {day} AND pd.period_id % 10 <> 0) AS term_pid"
)


def term_delta_statement(source: str, groups: str) -> str:
    """Add the signed marks of `source` into enrolment_term and, by difference, into the cells.

    `source` yields (enrolment_id, la_code, urn, period_id, cat, n): n marks of category cat (negative
    for a mark's old code) counted in a period with cells (see PERIOD_IDS_OF_DAY). `groups` names a
    relation with (enrolment_id, gid, record_key) for every enrolment in `source` (ingest's
    enrolment_groups).
    """
    new, old = _status("new"), _status("old")
    deltas = ", ".join(f"{new[m]} - coalesce({old[m]}, 0) AS {m}" for m in _BASE)
    sets = ", ".join(
        f"{m} = t.{m} + excluded.{m}" for m in ("possible", "attended", "authorised", "unauthorised")
    )
    changed = " OR ".join(
        f"excluded.{m} <> 0" for m in ("possible", "attended", "authorised", "unauthorised")
    )
    ctes = f"""
        up AS (
            INSERT INTO enrolment_term AS t (la_code, period_id, enrolment_id, urn, possible, attended,
                                             authorised, unauthorised)
            SELECT la_code, period_id, enrolment_id, urn,
                   coalesce(sum(n) FILTER (WHERE cat <> 'NC'), 0), coalesce(sum(n) FILTER (WHERE cat IN ('P', 'AEA')), 0),
                   coalesce(sum(n) FILTER (WHERE cat = 'AUTH'), 0), coalesce(sum(n) FILTER (WHERE cat = 'UNAUTH'), 0)
            FROM (
                SELECT src.la_code, src.period_id, src.enrolment_id, src.urn, src.cat, sum(src.n)::integer AS n
                FROM ({source}) AS src
                GROUP BY 1, 2, 3, 4, 5
            ) AS by_cat
            GROUP BY la_code, period_id, enrolment_id, urn
            ON CONFLICT (la_code, period_id, enrolment_id) DO UPDATE SET {sets}
            WHERE {changed}
            RETURNING new.urn, new.la_code, new.period_id, new.enrolment_id, {deltas}
        ), contributions AS (
            SELECT up.*, g.gid, g.record_key FROM up JOIN {groups} g ON g.enrolment_id = up.enrolment_id
        )"""
    return cells_statement(ctes, "contributions")


def _row_contributions(sign: str, gid: str) -> str:
    """Contributions of enrolment_term rows `et` (joined to enrolments `e`) with a sign and a group."""
    status = _status("et")
    return ", ".join([f"et.urn, et.la_code, et.period_id, {gid} AS gid, e.record_key"] + [
        f"{sign} * {status[m]} AS {m}" for m in _BASE
    ])  # fmt: skip


def regroup_statement(changes: str) -> str:
    """Move the cells of enrolments whose pupil group changed: `changes` has (enrolment_id, old_gid,
    new_gid); each of their enrolment_term rows leaves its old group's cells and joins the new one's."""
    rows = f"""
        moved AS (
            SELECT {_row_contributions("x.sign", "x.gid")}
            FROM {changes} r JOIN enrolment_term et ON et.enrolment_id = r.enrolment_id
            JOIN enrolments e ON e.enrolment_id = r.enrolment_id
            CROSS JOIN LATERAL (VALUES (r.old_gid, -1), (r.new_gid, 1)) AS x(gid, sign)
            WHERE r.old_gid <> r.new_gid
        )"""
    return cells_statement(rows, "moved")


# Schools whose LA or trust changed (moved_schools: urn, old_la, new_la, old_trust, new_trust): the
# school's cells leave the old LA's and trust's cells and join the new ones'. Run after the LA code has
# been rewritten on the school's rows.
_MOVE_CELLS: Final = [
    _cell_upsert(
        "la_cell",
        f"SELECT x.la, c.period_id, c.dim, c.val, {', '.join(f'sum(x.sign * c.{m})' for m in MEASURES)}"
        " FROM moved_schools m JOIN school_cell c ON c.urn = m.urn"
        " CROSS JOIN LATERAL (VALUES (m.old_la, -1), (m.new_la, 1)) AS x(la, sign)"
        " WHERE m.old_la <> m.new_la GROUP BY 1, 2, 3, 4",
    ),
    _cell_upsert(
        "trust_cell",
        f"SELECT x.trust, c.period_id, c.dim, c.val, {', '.join(f'sum(x.sign * c.{m})' for m in MEASURES)}"
        " FROM moved_schools m JOIN school_cell c ON c.urn = m.urn"
        " CROSS JOIN LATERAL (VALUES (m.old_trust, -1), (m.new_trust, 1)) AS x(trust, sign)"
        " WHERE x.trust IS NOT NULL AND m.old_trust IS DISTINCT FROM m.new_trust GROUP BY 1, 2, 3, 4",
    ),
]


async def move_school_cells(conn: AsyncConnection[object]) -> None:
    """Apply the moves listed in the temp table moved_schools (the caller holds the transaction)."""
    for statement in _MOVE_CELLS:
        await conn.execute(statement)


# From scratch: enrolment_term from raw marks, then the cells from enrolment_term through the same
# statement the deltas use. Plain SQL, so the migration that creates the tables can run it too.
REBUILD_STATEMENTS: Final = (
    "DELETE FROM trust_cell",
    "DELETE FROM la_cell",
    "DELETE FROM school_cell",
    "DELETE FROM enrolment_term",
    """INSERT INTO enrolment_term (la_code, period_id, enrolment_id, urn, possible, attended, authorised,
                                   unauthorised)
       SELECT m.la_code, pd.period_id, m.enrolment_id, m.urn, count(*) FILTER (WHERE c.category <> 'NC'),
              count(*) FILTER (WHERE c.category IN ('P', 'AEA')), count(*) FILTER (WHERE c.category = 'AUTH'),
              count(*) FILTER (WHERE c.category = 'UNAUTH')
       FROM marks m
       JOIN attendance_codes c ON c.code = m.code AND m.date >= c.valid_from
            AND (c.valid_to IS NULL OR m.date < c.valid_to)
       JOIN period_days pd ON pd.day = m.date
       GROUP BY 1, 2, 3, 4""",
    cells_statement(
        f"rows AS (SELECT {_row_contributions('1', 'e.gid')}"
        " FROM enrolment_term et JOIN enrolments e ON e.enrolment_id = et.enrolment_id)",
        "rows",
    ),
)


async def rebuild_terms(conn: AsyncConnection[object]) -> None:
    """Recompute enrolment_term and every cell from raw marks, in one transaction (repair)."""
    async with conn.transaction():
        await conn.execute("LOCK TABLE enrolment_term, school_cell, la_cell, trust_cell IN EXCLUSIVE MODE")
        for statement in REBUILD_STATEMENTS:
            await conn.execute(statement)
