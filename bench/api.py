"""Benchmark: the governed API under a real ASGI server (2 workers) against the same SQL run directly.

Loads at least 20 million marks (the synthetic generator through the real ingest; cached between runs),
starts `gateway serve --workers 2` on loopback, drives it with wrk (from Debian's `wrk` package; the
bench installs it with apt-get if missing), and runs the summary's own SQL through psycopg in the same
run. Latency figures come from a single connection (one request at a time) so that they compare with
the direct figures; requests per second from 8 concurrent connections.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import psycopg
from psycopg.rows import dict_row

from gateway.auth.devissuer import keygen
from gateway.auth.personas import persona_claims
from gateway.db.urls import resolve_database
from gateway.demo import prepare_demo_data
from gateway.observability import configure_logging
from gateway.policy.decision import RowFilter
from gateway.settings import (
    AuditSettings,
    AuthSettings,
    PolicySettings,
    PrivacySettings,
    Settings,
    environment_for,
)
from gateway.store.aggregates import Period, summary_rows
from gateway.store.scope import AreaFilter
from gateway.synth.generate import SynthParams

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "bench-api"
DATA_PERIOD = (date(2025, 9, 1), date(2025, 12, 19))
# The autumn term as whole weeks (Monday 1 September to Sunday 21 December): read from the weekly rollup.
PERIOD = (date(2025, 9, 1), date(2025, 12, 21))
REASON = "Termly targeting meeting"


UNLIMITED = 100_000_000  # requests a minute: no limit a benchmark can reach (None would not reach the server)


def unlimited_bundle() -> Path:
    """The policy bundle with its agreements' request limits lifted (bench/api.py measures the governed
    path's speed, and wrk at full speed runs into `rate_limit_per_minute` within a second); every rule and
    every other datum is the repository's own."""
    bundle = VAR / "policies-unlimited"
    shutil.rmtree(bundle, ignore_errors=True)
    shutil.copytree(ROOT / "policies", bundle)
    agreements = bundle / "data" / "agreements" / "data.json"
    doc = json.loads(agreements.read_text())
    for agreement in doc.values():
        if isinstance(agreement, dict):
            agreement["rate_limit_per_minute"] = UNLIMITED
    agreements.write_text(json.dumps(doc, indent=2))
    return bundle


def bench_settings(port: int) -> Settings:
    keys = VAR / "keys"
    return Settings(
        policy=PolicySettings(bundle_dir=unlimited_bundle()),
        rate_limit_default_per_minute=UNLIMITED,
        pg_data_dir=ROOT / "var" / "bench-pgdata",
        database_name=os.environ.get("BENCH_API_DATABASE", "gateway_bench_api"),
        var_dir=VAR,
        port=port,
        log_level="WARNING",
        auth=AuthSettings(dev_key_dir=keys / "dev-issuer"),
        privacy=PrivacySettings(keyring_file=keys / "pseudonym-keyring.json"),
        audit=AuditSettings(signing_key_file=keys / "audit.pem", subject_key_file=keys / "audit-subject.bin"),
    )


def environment(settings: Settings) -> dict[str, str]:
    return {**os.environ, **environment_for(settings), "GATEWAY_LOG_LEVEL": "WARNING"}


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, capture_output=True)
    return shutil.which("wrk") or "wrk"


def parse_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(wrk: str, url: str, token: str, *, connections: int, seconds: int) -> dict[str, float]:
    out = subprocess.run(
        [
            wrk,
            f"-t{min(2, connections)}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            f"Authorization: Bearer {token}",
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    latency = dict(re.findall(r"^\s*(50|99)(?:\.0+)?%\s+(\S+)\s*$", out, re.MULTILINE))
    if "50" not in latency or "99" not in latency:
        raise RuntimeError(f"could not read wrk's latency distribution:\n{out}")
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise RuntimeError(f"wrk saw {non2xx.group(1)} failed responses for {url}")
    return {
        "p50_ms": parse_ms(latency["50"]),
        "p99_ms": parse_ms(latency["99"]),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
    }


def wait_ready(base: str, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the gateway exited during start-up")
        try:
            if httpx.get(base + "/health/ready", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError("the gateway did not become ready")


def busiest_la(admin_url: str) -> int:
    with psycopg.connect(admin_url) as conn:
        row = conn.execute(
            "SELECT la_code FROM enrolments GROUP BY la_code ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
    assert row is not None
    return int(row[0])


def extract_area(admin_url: str, target: int = 10_000) -> dict[str, Any]:
    """The LA and phase whose enrolment count is nearest `target` (the extract returns one row each)."""
    with psycopg.connect(admin_url) as conn:
        rows = conn.execute(
            "SELECT e.la_code, s.phase, count(*) FROM enrolments e JOIN schools s USING (urn) GROUP BY 1, 2"
        ).fetchall()
    la_code, phase, _ = min(rows, key=lambda r: abs(int(r[2]) - target))
    return {"la_code": int(la_code), "phase": str(phase)}


async def direct_summary_ms(app_url: str, la_code: int, repeats: int) -> list[float]:
    """The summary's own SQL through psycopg, as the application role, with the same scope and period."""
    timings = []
    async with await psycopg.AsyncConnection.connect(app_url, autocommit=True, row_factory=dict_row) as conn:
        for _ in range(repeats):
            started = time.perf_counter()
            await summary_rows(
                conn,
                level="la",
                period=Period(*PERIOD),
                row_filter=RowFilter(la_codes=(la_code,)),
                area=AreaFilter(la_code=la_code),
                breakdown=None,
            )
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--schools", type=int, default=400, help="Schools to synthesise (400 gives ~21M marks)."
    )
    parser.add_argument("--seconds", type=int, default=10, help="Seconds per wrk run.")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    configure_logging("WARNING", json=True)
    settings = bench_settings(args.port)
    started = time.perf_counter()
    summary = prepare_demo_data(
        settings,
        SynthParams(schools=args.schools, start=DATA_PERIOD[0], end=DATA_PERIOD[1], seed=20251),
        progress=lambda line: print(line, file=sys.stderr),
    )
    load_seconds = time.perf_counter() - started
    urls = resolve_database(settings)
    with psycopg.connect(urls.admin, autocommit=True) as conn:  # fresh statistics and visibility map
        conn.execute("VACUUM ANALYZE enrolment_week")
        conn.execute("ANALYZE")
    la_code = busiest_la(urls.admin)
    area = extract_area(urls.admin)
    issuer = keygen(settings.auth)
    la_token = issuer.issue(persona_claims("la-attendance", la_code=la_code), ttl_seconds=3600)
    dwp_token = issuer.issue(persona_claims("ogd-analyst"), ttl_seconds=3600)
    wrk = ensure_wrk()

    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gateway.cli", "serve", "--workers", "2", "--port", str(args.port)],
        env=environment(settings),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_ready(base, server)
        common = {
            "purpose": "attendance-support",
            "agreement": "la-attendance-support",
            "reason": REASON,
            "date_from": PERIOD[0].isoformat(),
            "date_to": PERIOD[1].isoformat(),
        }
        summary_url = f"{base}/v1/attendance/summary?" + urlencode(
            {**common, "level": "la", "la_code": la_code}
        )
        pupils_url = f"{base}/v1/pupils?" + urlencode({**common, "criterion": "persistent", "limit": 100})
        for url in (summary_url, pupils_url):  # warm both workers' pools and caches
            for _ in range(4):
                httpx.get(url, headers={"Authorization": f"Bearer {la_token}"}, timeout=60).raise_for_status()
        summary_one = run_wrk(wrk, summary_url, la_token, connections=1, seconds=args.seconds)
        summary_many = run_wrk(wrk, summary_url, la_token, connections=8, seconds=args.seconds)
        pupils_one = run_wrk(wrk, pupils_url, la_token, connections=1, seconds=args.seconds)
        extract_body = {
            "purpose": "multiple-disadvantages",
            "agreement": "dwp-dea-s35",
            "date_from": PERIOD[0].isoformat(),
            "date_to": PERIOD[1].isoformat(),
            **area,
        }
        extract_times, extract_rows = [], 0
        for _ in range(3):
            t0 = time.perf_counter()
            response = httpx.post(
                f"{base}/v1/extracts",
                json=extract_body,
                headers={"Authorization": f"Bearer {dwp_token}"},
                timeout=300,
            )
            response.raise_for_status()
            extract_rows = response.text.count("\n") - 1  # the last line is the extract's summary
            extract_times.append(time.perf_counter() - t0)
    finally:
        server.terminate()
        server.wait(timeout=60)
    # The same summary with the aggregate cache off: the governed path's own overhead over the raw SQL.
    uncached = subprocess.Popen(
        [sys.executable, "-m", "gateway.cli", "serve", "--workers", "2", "--port", str(args.port)],
        env={**environment(settings), "GATEWAY_AGGREGATE_CACHE_ENTRIES": "0"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_ready(base, uncached)
        for _ in range(4):
            httpx.get(
                summary_url, headers={"Authorization": f"Bearer {la_token}"}, timeout=60
            ).raise_for_status()
        summary_uncached = run_wrk(wrk, summary_url, la_token, connections=1, seconds=args.seconds)
    finally:
        uncached.terminate()
        uncached.wait(timeout=60)
    direct = asyncio.run(
        direct_summary_ms(urls.app, la_code, repeats=max(20, int(summary_one["rps"] * 2) or 20))
    )
    direct_p50 = statistics.median(direct)
    result = {
        "marks": summary.marks,
        "enrolments": summary.enrolments,
        "load_seconds": round(load_seconds, 1),
        "la_code": la_code,
        "summary_p50_ms": round(summary_one["p50_ms"], 2),
        "summary_p99_ms": round(summary_one["p99_ms"], 2),
        "summary_rps": round(summary_many["rps"], 1),
        "summary_p50_ms_8_connections": round(summary_many["p50_ms"], 2),
        "pupils_p50_ms": round(pupils_one["p50_ms"], 2),
        "pupils_p99_ms": round(pupils_one["p99_ms"], 2),
        "extract_rows": extract_rows,
        "extract_seconds": round(statistics.median(extract_times), 3),
        "summary_uncached_p50_ms": round(summary_uncached["p50_ms"], 2),
        "summary_uncached_p99_ms": round(summary_uncached["p99_ms"], 2),
        "direct_summary_p50_ms": round(direct_p50, 2),
        # Governed (aggregate cache off) over direct: what authentication, policy, disclosure control and a
        # committed audit event add to the same SQL. The cached figure is summary_p50_ms.
        "overhead_ratio": round(summary_uncached["p50_ms"] / direct_p50, 3),
        "cached_over_direct": round(summary_one["p50_ms"] / direct_p50, 3),
    }
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
