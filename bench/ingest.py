"""Benchmark: end-to-end marks ingest against a plain COPY of the same rows, same run, same database."""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import psycopg
from psycopg import sql
from stdnum.gb.upn import calc_check_digit

from gateway.db.migrate import upgrade
from gateway.db.urls import resolve_database, start_embedded
from gateway.ingest.feed import COLUMNS, FeedKind
from gateway.ingest.run import ingest_source
from gateway.ingest.source import Source
from gateway.observability import configure_logging
from gateway.settings import Settings

DATABASE = "gateway_bench"
PUPILS_PER_SCHOOL = 500
START = date(2024, 9, 2)
RECORDED = "2024-09-02T16:00:00+01:00"
# Roughly the national session mix (domain brief): mostly present, some illness, lateness, other.
CODE_MIX = [("/", 0.90), ("L", 0.02), ("I", 0.035), ("O", 0.015), ("M", 0.004), ("N", 0.004), ("C", 0.004),
            ("B", 0.003), ("G", 0.004), ("U", 0.003), ("V", 0.008)]  # fmt: skip


# Schools fill one LA's establishment numbers (1000-9999) before the next LA: LA 330 first.
BENCH_LAS = (330, 202, 352, 383, 873, 908, 926, 850, 886, 341)


def _school(s: int) -> tuple[int, int, int]:
    """URN, LA code and establishment number of bench school `s`."""
    return 100001 + s, BENCH_LAS[s // 9000], 1000 + s % 9000


def school_days(count: int) -> list[date]:
    days, day = [], START
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def write_feed(
    folder: Path, marks: int, seed: int, enrolments: int | None = None
) -> tuple[Path, Path, Path, int]:
    """Schools, a roster and `marks` marks (enrolments x school days x 2 sessions). By default 10,000
    enrolments over as many days as needed; `enrolments` = marks / 2 makes one national-sized day."""
    rng = random.Random(seed)
    enrolments = max(1, enrolments or min(10_000, marks // 2))
    n_days = -(-marks // (2 * enrolments))
    days = school_days(n_days)
    n_schools = -(-enrolments // PUPILS_PER_SCHOOL)
    schools = folder / "schools.csv"
    roster = folder / "roster.csv"
    feed = folder / "marks.csv"
    with schools.open("w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS[FeedKind.SCHOOLS])
        for s in range(n_schools):
            urn, la, estab = _school(s)
            w.writerow([urn, f"Bench school {s}", la, estab, "secondary", "community"])
    pupils = []
    with roster.open("w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS[FeedKind.ROSTER])
        for i in range(enrolments):
            urn, la, estab = _school(i // PUPILS_PER_SCHOOL)
            body = f"{la:03d}{estab:04d}24{i % PUPILS_PER_SCHOOL:03d}"
            upn = calc_check_digit(body) + body
            pupils.append((urn, upn))
            w.writerow([urn, upn, "Test", "Pupil", "2012-01-01", rng.choice("FM"),
                        rng.choice(["WBRI", "WOTH", "APKN", "BAFR", "MWBC", "AIND", "CHNE"]), rng.randint(7, 11),
                        rng.choice(["true", "false"]), rng.choice("NNNNK"), "false", "false", "false", "false",
                        "2024-09-02", "", RECORDED])  # fmt: skip
    codes, weights = zip(*CODE_MIX, strict=True)
    written = 0
    with feed.open("w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS[FeedKind.MARKS])
        for day in days:
            iso = day.isoformat()
            drawn = rng.choices(codes, weights, k=2 * len(pupils))
            for k, (urn, upn) in enumerate(pupils):
                for session, name in ((0, "AM"), (1, "PM")):
                    if written == marks:
                        break
                    code = drawn[2 * k + session]
                    if code == "/" and session == 1:
                        code = "\\"
                    w.writerow((urn, upn, iso, name, code, RECORDED))
                    written += 1
    return schools, roster, feed, written


def plain_copy(url: str, feed: Path) -> float:
    """Rows per second of COPY into an unindexed table with the same columns (typed)."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "DROP TABLE IF EXISTS copy_baseline; CREATE UNLOGGED TABLE copy_baseline (urn integer, upn text,"
            " date date, session text, code text, recorded_at timestamptz)"
        )
        started = time.perf_counter()
        with conn.transaction(), conn.cursor() as cur:
            with (
                cur.copy("COPY copy_baseline FROM STDIN (FORMAT csv, HEADER true)") as copy,
                feed.open("rb") as f,
            ):
                while chunk := f.read(1 << 20):
                    copy.write(chunk)
            rows = cur.rowcount
        seconds = time.perf_counter() - started
        conn.execute("DROP TABLE copy_baseline")
    return rows / seconds


async def timed_ingest(url: str, path: Path) -> tuple[float, dict[str, object]]:
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        started = time.perf_counter()
        summary = await ingest_source(conn, Source.from_path(path))
        return time.perf_counter() - started, summary.as_dict()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--marks", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--enrolments",
        type=int,
        default=None,
        help="enrolments in the roster (default 10,000 over as many days as needed; marks / 2 is one day)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    settings = Settings(database_name=DATABASE, log_level="WARNING")
    configure_logging(settings.log_level, json=True)  # logs to stderr; stdout carries the result only
    server = start_embedded(settings.pg_data_dir)
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DATABASE)))
    urls = resolve_database(settings)
    upgrade(urls, settings.app_db_role)

    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as folder:
        schools, roster, feed, written = write_feed(Path(folder), args.marks, args.seed, args.enrolments)
        asyncio.run(timed_ingest(urls.admin, schools))
        _, summary_roster = asyncio.run(timed_ingest(urls.admin, roster))
        copy_before = plain_copy(urls.admin, feed)
        seconds, summary = asyncio.run(timed_ingest(urls.admin, feed))
        copy_after = plain_copy(urls.admin, feed)
        # The same file again: every row is compared with the stored mark and found unchanged.
        again_seconds, again = asyncio.run(timed_ingest(urls.admin, feed))
        feed_mb = feed.stat().st_size / 1e6

    copy_rows_per_s = max(copy_before, copy_after)  # the faster baseline makes the ratio conservative
    rows_per_s = written / seconds
    result = {
        "marks": written,
        "rows_per_s": round(rows_per_s),
        "copy_rows_per_s": round(copy_rows_per_s),
        "ratio": round(rows_per_s / copy_rows_per_s, 3),
        "seconds": round(seconds, 3),
        "accepted": summary["accepted"],
        "rejected": summary["rejected"],
        "reingest_rows_per_s": round(written / again_seconds),
        "reingest_ratio": round(written / again_seconds / copy_rows_per_s, 3),
        "reingest_unchanged": again["unchanged"],
        "feed_mb": round(feed_mb, 1),
        # This process: feed writing and the ingest client (the server has its own memory settings).
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "enrolments": summary_roster["accepted"],
        "days": -(-written // (2 * summary_roster["accepted"])),
        "copy_rows_per_s_runs": [round(copy_before), round(copy_after)],
    }
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>22}: {value}")
    sys.exit(0 if summary["accepted"] == written else 1)


if __name__ == "__main__":
    main()
