"""Benchmark: the national daily read (England and every region, the whole data range) from school_day
against the same read over school_day_group's rows, same database, same run, alternating.

The store's own daily_rows_by_region is timed both ways: as it is (school_day), and with a temporary view
named school_day over school_day_group's rows in front of the table, which makes it run exactly the query
it ran before school_day existed (it sums whatever rows it reads per school-day). No aggregate cache is
involved (the function is called directly), so every read is a cold one in the gateway's sense. The rows
must be the same both ways, or the run fails. Default database: the one bench/ingest.py leaves behind;
`--build` first makes a database of the demo set's shape instead (200 schools over the LAs, 100 school days,
65 group rows per school-day: 1.3 M school_day_group rows, school_day from migration 0021's backfill).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import statistics
import time
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from gateway.db.migrate import upgrade
from gateway.db.urls import resolve_database, start_embedded
from gateway.policy.decision import RowFilter
from gateway.settings import Settings
from gateway.store.aggregates import Period, daily_rows_by_region
from gateway.store.scope import AreaFilter

AS_GROUP_ROWS = (
    "CREATE TEMP VIEW school_day AS SELECT la_code, urn, date, pupils, possible, present, aea, authorised,"
    " unauthorised, not_counted, code_counts FROM public.school_day_group"
)

MIGRATION = Path(__file__).parents[1] / "gateway" / "db" / "migrations" / "versions" / "0021_school_day.py"
# Group rows of one shape (the reads sum them whatever their group columns hold); LAs round-robin.
DEMO_SHAPE = """
    INSERT INTO school_day_group (urn, date, year_group, fsm, sen_provision, sex, ethnicity_major, la_code, gid,
        pupils, possible, present, aea, authorised, unauthorised, not_counted, code_counts)
    SELECT 100001 + s, d::date, gid % 7, gid % 2 = 0, 'N', CASE WHEN gid % 3 = 0 THEN 'F' ELSE 'M' END, 'WBRI',
           las[1 + s % cardinality(las)], gid, 5, 10, 9, 0, 1, 0, 0, array_fill(0, ARRAY[40])
    FROM (SELECT array_agg(la_code ORDER BY la_code) AS las FROM local_authorities) AS l,
         generate_series(0, 199) s, generate_series('2024-09-02'::date, '2025-01-17'::date, '1 day') d,
         generate_series(1, 65) gid
    WHERE extract(isodow FROM d) < 6
"""


def build(database: str) -> None:
    """A fresh database of the demo set's rollup shape (see the module's docstring)."""
    settings = Settings(database_name=database, log_level="WARNING")
    server = start_embedded(settings.pg_data_dir)
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))
    urls = resolve_database(settings)
    upgrade(urls, settings.app_db_role)
    spec = importlib.util.spec_from_file_location("migration_0021", MIGRATION)
    assert spec is not None
    assert spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    with psycopg.connect(urls.admin, autocommit=True) as conn:
        conn.execute(DEMO_SHAPE)
        conn.execute(migration.BACKFILL)
        conn.execute("ANALYZE school_day_group")
        conn.execute("ANALYZE school_day")


async def _timed(conn: psycopg.AsyncConnection[Any], period: Period) -> tuple[float, list[dict[str, Any]]]:
    started = time.perf_counter()
    rows = await daily_rows_by_region(conn, period=period, row_filter=RowFilter(), area=AreaFilter())
    return time.perf_counter() - started, rows


async def run(database: str, repeats: int) -> dict[str, Any]:
    urls = resolve_database(Settings(database_name=database, log_level="WARNING"))
    async with await psycopg.AsyncConnection.connect(
        urls.admin, autocommit=True, row_factory=dict_row
    ) as conn:
        cur = await conn.execute(
            "SELECT min(date) AS lo, max(date) AS hi, count(*) AS groups,"
            " count(DISTINCT (urn, date)) AS school_days FROM school_day_group"
        )
        facts = await cur.fetchone()
        assert facts is not None
        period = Period(facts["lo"], facts["hi"])
        days: list[float] = []
        groups: list[float] = []
        for _ in range(repeats):
            seconds, from_days = await _timed(conn, period)
            days.append(seconds)
            async with conn.transaction(force_rollback=True):
                await conn.execute(AS_GROUP_ROWS)
                seconds, from_groups = await _timed(conn, period)
            groups.append(seconds)
            assert from_days == from_groups, "school_day and school_day_group disagree"

    def ms(xs: list[float], q: float) -> float:
        return round(statistics.quantiles(xs, n=100, method="inclusive")[int(q) - 1] * 1000, 1)

    return {
        "school_day_group_rows": facts["groups"],
        "school_days": facts["school_days"],
        "period": [period.date_from.isoformat(), period.date_to.isoformat()],
        "repeats": repeats,
        "school_day_p50_ms": ms(days, 50),
        "school_day_p99_ms": ms(days, 99),
        "school_day_group_p50_ms": ms(groups, 50),
        "school_day_group_p99_ms": ms(groups, 99),
        "ratio_p50": round(statistics.median(days) / statistics.median(groups), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", default="gateway_bench")
    parser.add_argument("--repeats", type=int, default=21)
    parser.add_argument("--build", action="store_true", help="first build a demo-shaped --database")
    args = parser.parse_args()
    if args.build:
        build(args.database)
    print(json.dumps(asyncio.run(run(args.database, args.repeats))))


if __name__ == "__main__":
    main()
