"""Benchmark: the national daily read (England and every region, the whole data range) from school_day
against the same read over school_day_group's rows, same database, same run, alternating.

The store's own daily_rows_by_region is timed both ways: as it is (school_day), and with a temporary view
named school_day over school_day_group's rows in front of the table, which makes it run exactly the query
it ran before school_day existed (it sums whatever rows it reads per school-day). No aggregate cache is
involved (the function is called directly), so every read is a cold one in the gateway's sense. The rows
must be the same both ways, or the run fails. Default database: the one bench/ingest.py leaves behind.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from typing import Any

import psycopg
from psycopg.rows import dict_row

from gateway.db.urls import resolve_database
from gateway.policy.decision import RowFilter
from gateway.settings import Settings
from gateway.store.aggregates import Period, daily_rows_by_region
from gateway.store.scope import AreaFilter

AS_GROUP_ROWS = (
    "CREATE TEMP VIEW school_day AS SELECT la_code, urn, date, pupils, possible, present, aea, authorised,"
    " unauthorised, not_counted, code_counts FROM public.school_day_group"
)


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
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.database, args.repeats))))


if __name__ == "__main__":
    main()
