"""Benchmark: `gateway backup` and `gateway restore` on a synthetic store against bare pg_dump / pg_restore.

The baseline is what an operator would run by hand: `pg_dump --format=custom` of the same database, and
`pg_restore --single-transaction` into an empty database followed by `VACUUM (ANALYZE)`. The gateway's
backup adds the snapshot's facts (exact row counts of every table, rollup digests) and the dump's SHA-256;
its restore adds the SHA-256 check, the emptiness check and the facts again. Both runs in the same process,
same database, back to back."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from gateway.db.embedded import binary
from gateway.db.urls import libpq_command_target, resolve_database, start_embedded
from gateway.demo import prepare_demo_data
from gateway.observability import configure_logging
from gateway.ops.backup import make_backup, run_pg_tool
from gateway.ops.restore import restore_backup
from gateway.settings import Settings
from gateway.synth.generate import SynthParams

DATABASE = "gateway_bench_backup"


def recreate(server_url: str, name: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schools", type=int, default=20)
    parser.add_argument(
        "--database",
        default=None,
        help="back up this loaded database instead (e.g. gateway, after make demo)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    settings = Settings(database_name=args.database or DATABASE, log_level="WARNING")
    configure_logging(settings.log_level, json=True)
    if args.database is None:
        prepare_demo_data(
            settings,
            SynthParams(schools=args.schools, start=date(2025, 9, 1), end=date(2025, 10, 24), seed=31),
            progress=lambda line: print(line, file=sys.stderr),
        )
    urls = resolve_database(settings)
    server_url = start_embedded(settings.pg_data_dir)
    with psycopg.connect(urls.admin, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
    with psycopg.connect(urls.admin) as conn:
        row = conn.execute("SELECT (SELECT count(*) FROM schools), (SELECT count(*) FROM marks)").fetchone()
    assert row is not None
    result: dict[str, Any] = {
        "database": settings.database_name,
        "schools": int(row[0]),
        "marks": int(row[1]),
    }
    with tempfile.TemporaryDirectory(prefix="bench-backup-") as folder:
        target, env = libpq_command_target(urls.admin)
        plain = Path(folder) / "plain.dump"
        started = time.perf_counter()
        run_pg_tool(
            [str(binary("pg_dump")), "--format=custom", f"--file={plain}", f"--dbname={target}"],
            env,
            "pg_dump",
        )
        result["pg_dump_s"] = round(time.perf_counter() - started, 2)

        started = time.perf_counter()
        manifest = make_backup(settings, urls, Path(folder) / "gateway-backup")
        result["backup_s"] = round(time.perf_counter() - started, 2)
        result["dump_mb"] = round(manifest.dump_bytes / 1e6, 1)

        baseline_db, gateway_db = f"{DATABASE}_plain", f"{DATABASE}_restored"
        recreate(server_url, baseline_db)
        plain_urls = resolve_database(settings.model_copy(update={"database_name": baseline_db}))
        plain_target, plain_env = libpq_command_target(plain_urls.admin)
        started = time.perf_counter()
        run_pg_tool(
            [
                str(binary("pg_restore")),
                "--single-transaction",
                "--exit-on-error",
                "--no-owner",
                f"--dbname={plain_target}",
                str(plain),
            ],
            plain_env,
            "pg_restore",
        )
        with psycopg.connect(plain_urls.admin, autocommit=True) as conn:
            conn.execute("VACUUM (ANALYZE)")
        result["pg_restore_s"] = round(time.perf_counter() - started, 2)

        recreate(server_url, gateway_db)
        restored_urls = resolve_database(settings.model_copy(update={"database_name": gateway_db}))
        started = time.perf_counter()
        report = restore_backup(Path(folder) / "gateway-backup", restored_urls, settings.app_db_role)
        result["restore_s"] = round(time.perf_counter() - started, 2)
        result["restore_matches"] = report.ok
        for name in (baseline_db, gateway_db):
            with psycopg.connect(server_url, autocommit=True) as conn:
                conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
    result["backup_ratio"] = round(result["backup_s"] / result["pg_dump_s"], 2)
    result["restore_ratio"] = round(result["restore_s"] / result["pg_restore_s"], 2)
    print(json.dumps(result) if args.json else "\n".join(f"{k}: {v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
