"""Benchmark: loading the bench roster (bench/ingest.py's schools and enrolments) into an empty store, then
the same roster again (every row unchanged), at one or more sizes, to see how roster load time grows."""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.ingest import MAX_ENROLMENTS, fresh_database, timed_ingest, write_roster  # noqa: E402
from gateway.db.urls import start_embedded  # noqa: E402
from gateway.observability import configure_logging  # noqa: E402
from gateway.settings import Settings  # noqa: E402

DATABASE = "gateway_bench_roster"


def run_size(settings: Settings, enrolments: int, seed: int) -> dict[str, object]:
    """One size on a fresh database: write the files, load schools, the roster, the roster again."""
    urls = fresh_database(settings)
    with tempfile.TemporaryDirectory(prefix="bench-roster-") as folder:
        started = time.perf_counter()
        schools, roster, _ = write_roster(Path(folder), enrolments, random.Random(seed))
        write_seconds = time.perf_counter() - started
        _, summary_schools = asyncio.run(timed_ingest(urls.admin, schools))
        seconds, first = asyncio.run(timed_ingest(urls.admin, roster))
        again_seconds, again = asyncio.run(timed_ingest(urls.admin, roster))
        roster_mb = roster.stat().st_size / 1e6
    with psycopg.connect(start_embedded(settings.pg_data_dir), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DATABASE)))
    valid = (
        first["accepted"] == enrolments
        and again["unchanged"] == enrolments
        and first["rejected"] == again["rejected"] == summary_schools["rejected"] == 0
    )
    return {
        "enrolments": enrolments,
        "valid": valid,
        "seconds": round(seconds, 3),
        "rows_per_s": round(enrolments / seconds),
        "reload_seconds": round(again_seconds, 3),
        "reload_unchanged": again["unchanged"],
        "write_seconds": round(write_seconds, 3),
        "roster_mb": round(roster_mb, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--enrolments", type=int, nargs="+", default=[100_000], help="one or more roster sizes"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    if any(not 1 <= n <= MAX_ENROLMENTS for n in args.enrolments):
        parser.error(f"--enrolments must be 1..{MAX_ENROLMENTS}")
    settings = Settings(database_name=DATABASE, log_level="WARNING")
    configure_logging(settings.log_level, json=True)  # logs to stderr; stdout carries the result only
    sizes = []
    for n in args.enrolments:
        sizes.append(run_size(settings, n, args.seed))
        print(json.dumps(sizes[-1]), file=sys.stderr, flush=True)  # progress: one line per size
    first, last = sizes[0], sizes[-1]
    result = {
        "sizes": sizes,
        # Seconds per enrolment at the largest size over the smallest: 1.0 is linear growth.
        "per_row_growth": round(
            (float(str(last["seconds"])) / int(str(last["enrolments"])))
            / (float(str(first["seconds"])) / int(str(first["enrolments"]))),
            2,
        ),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if args.json:
        print(json.dumps(result))
    else:
        for size in sizes:
            print(size)
        print({k: v for k, v in result.items() if k != "sizes"})
    sys.exit(0 if all(s["valid"] for s in sizes) else 1)


if __name__ == "__main__":
    main()
