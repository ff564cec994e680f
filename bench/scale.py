"""Benchmark: the store's read functions at three sizes of history (1x, 4x, 8x), uncached p50 and p99.

The store is filled by a documented SQL generator, not by ingest, because 20-160 M marks through ingest
take hours on a small machine. It writes exactly the rows ingest writes: schools, pupils (with their
pupil_upns), enrolments with their stable pupil group and record key, marks (code, recorded_at, batch),
and then the rollups, term rows and cells through the same rebuild statements that the property tests
hold equal to ingest's incremental maintenance (gateway.store.rollups.rebuild_rollups,
gateway.store.terms.REBUILD_STATEMENTS). Sizes grow by history: 1x is the latest term, 4x the latest
four terms, 8x the latest eight, for the same schools and pupils, as the national store grows by days.

Timed are the store's query objects, the one entry point the API's routes call (gateway.store.queries),
without the aggregate cache or HTTP: the busiest LA's term and year-to-date summary and the national
summary by region (term cells), a school benchmark's profiles (term cells), the first page of persistent
absentees (enrolment_term) and casework (a pupil's enrolments and session history over the academic
year). The baseline, timed in the same run, is the same LA term summary given as plain dates, which the
query object reads from the weekly rollup plus edge days.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import psycopg
from psycopg.rows import dict_row

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.ingest import fresh_database  # noqa: E402
from gateway.db.urls import resolve_database  # noqa: E402
from gateway.observability import configure_logging  # noqa: E402
from gateway.policy.decision import RowFilter  # noqa: E402
from gateway.settings import Settings  # noqa: E402
from gateway.store.aggregates import Period  # noqa: E402
from gateway.store.calendar import AcademicPeriod, period_by_name  # noqa: E402
from gateway.store.queries import (  # noqa: E402
    PupilListQuery,
    PupilRecordQuery,
    SchoolProfilesQuery,
    SummaryQuery,
)
from gateway.store.rollups import rebuild_rollups  # noqa: E402
from gateway.store.scope import Scope  # noqa: E402
from gateway.store.terms import REBUILD_STATEMENTS  # noqa: E402
from gateway.synth.calendar import is_school_day  # noqa: E402

DATABASE = "gateway_bench_scale"
# The latest eight terms of the calendar, newest last; 1x reads the last one, 4x the last four.
TERMS = (
    "spring-2024",
    "summer-2024",
    "autumn-2024",
    "spring-2025",
    "summer-2025",
    "autumn-2025",
    "spring-2026",
    "summer-2026",
)
LAS = (330, 202, 352, 383, 873, 908)  # the first is the busiest: it gets a third of the schools
PUPILS_PER_SCHOOL = 250
FIELDS = [
    "upn",
    "forename",
    "surname",
    "year_group",
    "possible_sessions",
    "absence_rate",
    "persistent_absence",
]

# --- the generator (one statement per table; all randomness from setseed, so runs repeat) ---
_SCHOOLS = """
    INSERT INTO schools (urn, name, la_code, estab_number, phase, school_type)
    SELECT 100000 + s, 'Scale school ' || s, la.la_code, 1000 + s, CASE WHEN s %% 6 = 0 THEN 'secondary' ELSE 'primary' END,
           'community'
    FROM generate_series(1, %(schools)s) AS s,
         LATERAL (SELECT (%(las)s::int[])[CASE WHEN s %% 3 = 0 THEN 1 ELSE 2 + s %% (array_length(%(las)s::int[], 1) - 1) END]
                  AS la_code) AS la
"""
_PUPILS = """
    INSERT INTO pupils (pupil_id, upn, forename, surname, date_of_birth, sex, ethnicity, ethnicity_major, recorded_at)
    OVERRIDING SYSTEM VALUE
    SELECT k, upn_check_letter('X' || body) || body, 'Pupil', 'Scale' || k, date '2015-01-01' + (k %% 3000),
           CASE WHEN random() < 0.5 THEN 'F' ELSE 'M' END, e.code, e.major, %(recorded)s
    FROM (SELECT k, lpad((s.la_code)::text, 3, '0') || lpad(s.estab_number::text, 4, '0') || '24'
                 || lpad((k %% %(per)s)::text, 3, '0') AS body
          FROM generate_series(0, %(pupils)s - 1) AS k JOIN schools s ON s.urn = 100001 + k / %(per)s) AS b,
         LATERAL (SELECT * FROM (VALUES ('WBRI', 'White'), ('WOTH', 'White'), ('APKN', 'Asian'), ('BAFR', 'Black'),
                  ('MWBC', 'Mixed'), ('CHNE', 'Chinese'), ('OOTH', 'Other'), ('WBRI', 'White')) AS v(code, major)
                  OFFSET (k * 7919) %% 8 LIMIT 1) AS e;
    INSERT INTO pupil_upns SELECT upn, pupil_id FROM pupils;
    SELECT setval(pg_get_serial_sequence('pupils', 'pupil_id'), (SELECT max(pupil_id) FROM pupils));
"""
# Each pupil's draws are made once, in a materialised CTE: drawn inside the join to pupil_groups, a volatile
# draw can be evaluated per candidate group and give a pupil two enrolments.
_ENROLMENTS = """
    WITH y AS MATERIALIZED (
        SELECT p.pupil_id, p.sex, p.ethnicity_major, s.urn, s.la_code,
               CASE WHEN s.phase = 'primary' THEN (p.pupil_id %% 7)::smallint ELSE (7 + p.pupil_id %% 5)::smallint END
                   AS year_group,
               random() < 0.25 AS fsm,
               CASE WHEN random() < 0.13 THEN 'K' WHEN random() < 0.05 THEN 'E' ELSE 'N' END AS sen,
               floor(random() * 256)::smallint AS record_key
        FROM pupils p JOIN schools s ON s.urn = 100001 + p.pupil_id / %(per)s
    )
    INSERT INTO enrolments (pupil_id, urn, la_code, year_group, fsm, sen_provision, looked_after,
        previously_looked_after, child_in_need, child_protection_plan, admission_date, leaving_date, record_key,
        recorded_at, gid)
    SELECT y.pupil_id, y.urn, y.la_code, y.year_group, y.fsm, y.sen, false, false, false, false, %(admitted)s, NULL,
           y.record_key, %(recorded)s, g.gid
    FROM y JOIN pupil_groups g ON (g.year_group, g.fsm, g.sen_provision, g.sex, g.ethnicity_major)
                                = (y.year_group, y.fsm, y.sen, y.sex, y.ethnicity_major)
"""
# Each enrolment's absence propensity is fixed (a long right tail: about three in ten are persistently
# absent); each session draws illness, other unauthorised, medical, holiday or lateness from it.
# The draw r is made per row in a subquery's select list (a volatile select list is never flattened): as
# an uncorrelated LATERAL (SELECT random()) it was drawn once for all rows, and every mark was present.
_MARKS = """
    INSERT INTO marks (enrolment_id, date, session, la_code, urn, code, recorded_at, batch_id)
    SELECT x.enrolment_id, x.day, x.sess, x.la_code, x.urn,
           CASE WHEN x.r < x.p * 0.6 THEN 'I' WHEN x.r < x.p * 0.85 THEN 'O' WHEN x.r < x.p * 0.93 THEN 'M'
                WHEN x.r < x.p THEN 'G' WHEN x.r < x.p + 0.02 THEN 'L' WHEN x.sess = 0 THEN '/' ELSE '\\' END,
           x.day + time '16:00' AT TIME ZONE 'UTC', %(batch)s
    FROM (
        SELECT e.enrolment_id, e.la_code, e.urn, d.day, sess,
               0.015 + 0.35 * power(((e.enrolment_id * 2654435761) %% 1000) / 1000.0, 4) AS p, random() AS r
        FROM enrolments e
        CROSS JOIN unnest(%(days)s::date[]) AS d(day)
        CROSS JOIN generate_series(0, 1) AS sess
    ) AS x
"""


def school_days(term: AcademicPeriod) -> list[date]:
    days = [term.date_from + timedelta(days=i) for i in range((term.date_to - term.date_from).days + 1)]
    return [d for d in days if is_school_day(d)]


def generate_base(conn: psycopg.Connection[Any], schools: int) -> None:
    conn.execute("SELECT setseed(0.42)")
    params = {"schools": schools, "las": list(LAS), "pupils": schools * PUPILS_PER_SCHOOL, "per": PUPILS_PER_SCHOOL,
              "recorded": "2023-09-01T07:00:00Z", "admitted": date(2023, 9, 1)}  # fmt: skip
    for text in (_SCHOOLS, _PUPILS, _ENROLMENTS):
        for statement in filter(str.strip, text.split(";\n")):
            conn.execute(statement, params)


def add_terms(conn: psycopg.Connection[Any], terms: list[AcademicPeriod]) -> None:
    """Marks for whole terms, then every rollup, term row and cell rebuilt from all marks."""
    row = conn.execute(
        "INSERT INTO ingest_batches (feed_kind, source_name, content_sha256, finished_at)"
        " VALUES ('marks', 'bench-scale-generator', 'generated', now()) RETURNING batch_id"
    ).fetchone()
    assert row is not None
    for term in terms:
        days = school_days(term)
        conn.execute("SELECT ensure_marks_partitions(%s, %s)", (days[0], days[-1]))
        conn.execute(_MARKS, {"days": days, "batch": row[0]})


async def rebuild(url: str) -> None:
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        await conn.execute("SET work_mem = '512MB'")
        await rebuild_rollups(conn)
        async with conn.transaction():
            for statement in REBUILD_STATEMENTS:
                await conn.execute(statement)


async def timed(fn: Callable[[], Awaitable[object]], repeats: int) -> tuple[float, float]:
    """p50 and p99 in milliseconds (after one warm-up call)."""
    await fn()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        await fn()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return round(statistics.median(times), 3), round(times[min(len(times) - 1, int(0.99 * len(times)))], 3)


async def measure(url: str, repeats: int) -> dict[str, float]:
    """Each read through the store's query objects, as the API calls them: the period decides the path
    (a whole term or year with cells reads the cells; other dates the weekly rollup and edge days)."""
    term, year = period_by_name()[TERMS[-1]], period_by_name()["2025-26"]
    term_cells = Period(term.date_from, term.date_to, cell_period=term.period_id)
    year_cells = Period(year.date_from, year.date_to, cell_period=year.period_id)
    term_dates = Period(term.date_from, term.date_to)  # the same dates without cells: the baseline path
    busiest = Scope(RowFilter(la_codes=(LAS[0],)))
    async with await psycopg.AsyncConnection.connect(url, row_factory=dict_row) as conn:
        cur = await conn.execute("SELECT p.upn, s.phase FROM pupils p JOIN enrolments e USING (pupil_id)"
                                 " JOIN schools s ON s.urn = e.urn WHERE e.la_code = %s ORDER BY p.pupil_id LIMIT 1",
                                 (LAS[0],))  # fmt: skip
        pupil = await cur.fetchone()
        assert pupil is not None

        def la(period: Period) -> Callable[[], Awaitable[object]]:
            return lambda: SummaryQuery(level="la", period=period, scope=busiest, breakdown=None).fetch(conn)

        async def casework() -> object:
            record = PupilRecordQuery(
                upn=pupil["upn"], period=year_cells, scope=busiest, fields=("upn", "urn")
            )
            found = await record.enrolments(conn)
            return await record.marks(conn, [int(r["_enrolment_id"]) for r in found])

        persistent = PupilListQuery(criterion="persistent", min_rate=None, period=term_cells, scope=busiest,
                                    fields=tuple(FIELDS), after=0, limit=50)  # fmt: skip
        figures = {
            "la_summary": await timed(la(term_cells), repeats),
            "la_ytd_summary": await timed(la(year_cells), repeats),
            "national_summary": await timed(lambda: SummaryQuery(
                level="region", period=term_cells, scope=Scope(RowFilter()), breakdown=None).fetch(conn), repeats),
            "benchmark": await timed(lambda: SchoolProfilesQuery(term_cells, pupil["phase"]).fetch(conn), repeats),
            "pupils": await timed(lambda: persistent.fetch(conn), repeats),
            "casework": await timed(casework, repeats),
            "la_summary_dates_baseline": await timed(la(term_dates), max(3, repeats // 5)),
        }  # fmt: skip
        # A first page with rows: a store without persistent absentees would time a scan that finds none.
        page_rows = len((await persistent.fetch(conn)).rows)
    out: dict[str, float] = {"pupils_page_rows": page_rows}
    for name, (p50, p99) in figures.items():
        out[f"{name}_p50_ms"], out[f"{name}_p99_ms"] = p50, p99
    return out


def measure_existing(url: str, repeats: int) -> None:
    """Print one size's figures for the store as it stands (a previous run's largest size)."""
    with psycopg.connect(url, autocommit=True) as conn:
        marks = int(conn.execute("SELECT count(*) FROM marks").fetchone()[0])  # type: ignore[index]
    print(json.dumps({"marks": marks, "measured_only": True, **asyncio.run(measure(url, repeats))}))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base-marks", type=int, default=20_000_000, help="marks at 1x (the latest term)")
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument(
        "--multiples",
        default="1,4,8",
        help="sizes as multiples of the base, comma-separated (growth: last/first)",
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--measure-only",
        action="store_true",
        help="time the store a previous run left (its largest size), without loading anything",
    )
    args = parser.parse_args()
    settings = Settings(database_name=DATABASE, log_level="WARNING")
    configure_logging(settings.log_level, json=True)
    if args.measure_only:
        measure_existing(resolve_database(settings).admin, args.repeats)
        return
    urls = fresh_database(settings)
    terms = [period_by_name()[t] for t in TERMS]
    per_enrolment = 2 * len(school_days(terms[-1]))
    schools = max(len(LAS), round(args.base_marks / per_enrolment / PUPILS_PER_SCHOOL))
    sizes, loaded, started = [], 0, time.perf_counter()
    with psycopg.connect(urls.admin, autocommit=True) as conn:
        conn.execute("SET work_mem = '512MB'")
        generate_base(conn, schools)
    multiples = sorted({int(m) for m in args.multiples.split(",")})
    for multiple in multiples:
        with psycopg.connect(urls.admin, autocommit=True) as conn:
            add_terms(conn, terms[len(terms) - multiple : len(terms) - loaded])
        loaded = multiple
        asyncio.run(rebuild(urls.admin))
        with psycopg.connect(urls.admin, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
            marks = int(conn.execute("SELECT count(*) FROM marks").fetchone()[0])  # type: ignore[index]
        sizes.append({"multiple": multiple, "marks": marks, "elapsed_s": round(time.perf_counter() - started, 1),
                      **asyncio.run(measure(urls.admin, args.repeats))})  # fmt: skip
        # Each size as it is done: a long run's partial result.
        print(json.dumps(sizes[-1]), file=sys.stderr, flush=True)
    keys = ("la_summary_p50_ms", "la_ytd_summary_p50_ms", "national_summary_p50_ms", "benchmark_p50_ms",
            "pupils_p50_ms", "casework_p50_ms", "la_summary_dates_baseline_p50_ms")  # fmt: skip
    result = {
        "loaded_by": "SQL generator (bench/scale.py docstring): the rows ingest writes; rollups, term rows and cells"
        " by the rebuild statements ingest's maintenance is tested against",
        "timed": "the store's query objects the API calls (gateway.store.queries), uncached, without HTTP",
        "schools": schools,
        "enrolments": schools * PUPILS_PER_SCHOOL,
        "load_seconds": round(time.perf_counter() - started, 1),
        "sizes": sizes,
        "growth": {k: round(sizes[-1][k] / sizes[0][k], 2) if sizes[0][k] else None for k in keys},
    }
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
