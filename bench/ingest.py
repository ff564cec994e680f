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
from typing import Final

import psycopg
from psycopg import sql
from stdnum.gb.upn import calc_check_digit

from gateway.db.migrate import upgrade
from gateway.db.urls import DatabaseUrls, resolve_database, start_embedded
from gateway.ingest.feed import COLUMNS, FeedKind
from gateway.ingest.run import ingest_source
from gateway.ingest.source import Source
from gateway.ingest.validate import MAX_DAYS_AHEAD
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
    """The first `count` weekdays from START; refuses more than the academic year holds."""
    if count > len(YEAR_DAYS):
        raise ShapeError(
            f"{count} school days do not fit in the academic year from {START} ({len(YEAR_DAYS)} weekdays):"
            " marks dated more than 366 days after recorded_at are rejected (date_far_ahead)"
        )
    return YEAR_DAYS[:count]


class ShapeError(ValueError):
    """A feed shape that would not be a valid run (its marks would be rejected)."""


def _weekdays_of_year() -> list[date]:
    """Weekdays from START to the end of its academic year (31 August), all within MAX_DAYS_AHEAD of
    RECORDED, so every mark is accepted."""
    days, day, end = [], START, date(START.year + 1, 8, 31)
    assert (end - START).days <= MAX_DAYS_AHEAD
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


YEAR_DAYS: Final = _weekdays_of_year()
MAX_ENROLMENTS: Final = len(BENCH_LAS) * 9000 * PUPILS_PER_SCHOOL  # establishment numbers x UPN serials


def feed_shape(marks: int, enrolments: int | None = None) -> tuple[int, int]:
    """(enrolments, school days) with enrolments x days x 2 >= marks and every mark valid. By default
    10,000 enrolments, raised when the marks would need more school days than the academic year holds
    (14 M marks: 26,924 enrolments over 260 days); `enrolments` = marks / 2 makes one national-sized day."""
    if marks < 1:
        raise ShapeError("--marks must be at least 1")
    if enrolments is None:
        enrolments = max(min(10_000, -(-marks // 2)), -(-marks // (2 * len(YEAR_DAYS))))
    if not 1 <= enrolments <= MAX_ENROLMENTS:
        raise ShapeError(f"--enrolments must be 1..{MAX_ENROLMENTS} (the bench's schools and UPNs)")
    days = -(-marks // (2 * enrolments))
    school_days(days)  # refuses a shape beyond the academic year
    return enrolments, days


def write_roster(
    folder: Path, enrolments: int, rng: random.Random
) -> tuple[Path, Path, list[tuple[int, str]]]:
    """A schools file and a roster of `enrolments` enrolments (500 a school); their (urn, upn)s."""
    n_schools = -(-enrolments // PUPILS_PER_SCHOOL)
    schools = folder / "schools.csv"
    roster = folder / "roster.csv"
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
    return schools, roster, pupils


def write_feed(
    folder: Path, marks: int, seed: int, enrolments: int | None = None
) -> tuple[Path, Path, Path, int]:
    """Schools, a roster and `marks` marks (enrolments x school days x 2 sessions; see feed_shape)."""
    rng = random.Random(seed)
    enrolments, n_days = feed_shape(marks, enrolments)
    days = school_days(n_days)
    schools, roster, pupils = write_roster(folder, enrolments, rng)
    feed = folder / "marks.csv"
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


def fresh_database(settings: Settings) -> DatabaseUrls:
    """The bench's own database (`settings.database_name`) on the embedded server, dropped, recreated and
    migrated to head; its URLs."""
    server = start_embedded(settings.pg_data_dir)
    with psycopg.connect(server, autocommit=True) as conn:
        name = sql.Identifier(settings.database_name)
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
    urls = resolve_database(settings)
    upgrade(urls, settings.app_db_role)
    return urls


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
        help="enrolments in the roster (default 10,000, or more when the marks need more school days than"
        " the academic year holds; marks / 2 is one national-sized day)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    try:
        feed_shape(args.marks, args.enrolments)
    except ShapeError as exc:
        parser.error(str(exc))  # exit 2 before any database work

    settings = Settings(database_name=DATABASE, log_level="WARNING")
    configure_logging(settings.log_level, json=True)  # logs to stderr; stdout carries the result only
    urls = fresh_database(settings)

    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as folder:
        schools, roster, feed, written = write_feed(Path(folder), args.marks, args.seed, args.enrolments)
        _, summary_schools = asyncio.run(timed_ingest(urls.admin, schools))
        roster_seconds, summary_roster = asyncio.run(timed_ingest(urls.admin, roster))
        copy_before = plain_copy(urls.admin, feed)
        seconds, summary = asyncio.run(timed_ingest(urls.admin, feed))
        copy_after = plain_copy(urls.admin, feed)
        # The same file again: every row is compared with the stored mark and found unchanged.
        again_seconds, again = asyncio.run(timed_ingest(urls.admin, feed))
        feed_mb = feed.stat().st_size / 1e6

    copy_rows_per_s = max(copy_before, copy_after)  # the faster baseline makes the ratio conservative
    rows_per_s = written / seconds
    # A run is valid only if every row of every file was accepted: a rejected mark is cheaper than a stored
    # one, so a run with rejects would overstate the rate.
    rejected = summary["rejected"] + summary_roster["rejected"] + summary_schools["rejected"]
    valid = rejected == 0 and summary["accepted"] == written and again["unchanged"] == written
    result = {
        "valid": valid,
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
        "days": -(-written // (2 * max(1, summary_roster["accepted"]))),
        "copy_rows_per_s_runs": [round(copy_before), round(copy_after)],
        "roster_seconds": round(roster_seconds, 3),
        "rejected_roster": summary_roster["rejected"] + summary_schools["rejected"],
    }
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>22}: {value}")
    if not valid:
        print(
            "INVALID RUN: rows were rejected or not all marks were stored; do not report it", file=sys.stderr
        )
    sys.exit(0 if valid else 1)


if __name__ == "__main__":
    main()
