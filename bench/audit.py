"""Benchmark: audit appends by 4, 16 and 64 concurrent requests over two gateway processes (group commit: chain,
subject index, checkpoints) against plain committed inserts in the same run; verification speed over 1M events."""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import queue
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from gateway.audit.chain import GENESIS, event_hash, event_leaf
from gateway.audit.checkpoint import sign_checkpoint
from gateway.audit.event import event_content
from gateway.audit.keys import load_or_create_signing_key, load_or_create_subject_key, public_key_of
from gateway.audit.log import AuditLog
from gateway.audit.merkle import Frontier
from gateway.audit.parallel import verify_database_parallel
from gateway.audit.reader import db_checkpoints, db_events, db_head
from gateway.audit.record import AccessRecord
from gateway.audit.verify import verify_log
from gateway.auth.principal import Principal
from gateway.db.migrate import upgrade
from gateway.db.pool import create_pool
from gateway.db.urls import DatabaseUrls, resolve_database, start_embedded
from gateway.observability import configure_logging
from gateway.policy.decision import Decision, Obligations, Reason, RowFilter
from gateway.settings import AuditSettings, Settings

DATABASE = "gateway_bench_audit"
CHECKPOINT_EVERY = 1000
PRINCIPALS = [
    Principal("officer@la-202", "https://dev-issuer.attendance-gateway.local", "la-202", "la", ("safeguarding",), 202),
    Principal("analyst@dwp", "https://dev-issuer.attendance-gateway.local", "dwp", "ogd", ("analyst",)),
    Principal("head@school-100001", "https://dev-issuer.attendance-gateway.local", "school-100001", "school",
              ("school_staff",), None, 100001),
]  # fmt: skip
DECISION = Decision(
    allow=True,
    reasons=(
        Reason("ALLOW_AGREEMENT", "Allowed under agreement la-safeguarding.", "Children Act 2004 s.11"),
    ),
    obligations=Obligations(
        agreement="la-safeguarding",
        legal_gateway="Children Act 2004 s.11",
        purpose="safeguarding",
        fields=("upn", "forename", "surname", "session_marks"),
        row_filter=RowFilter(la_codes=(202,)),
        granularity="identifiable",
        row_cap=1000,
        reason_required=True,
    ),
    revision="3f2a9c1d",
    engine="rego",
)


def sample_record(i: int) -> AccessRecord:
    """A realistic request record: a named officer, a decision, a reason and one or two pupils."""
    record = AccessRecord(
        request_id=f"{i:032x}", method="GET", route="/v1/pupils/{upn}", client="10.20.30.40",
        principal=PRINCIPALS[i % len(PRINCIPALS)], action="pupils.attendance", purpose="safeguarding",
        agreement="la-safeguarding", reason_given=True, reason_text="Section 47 enquiry, case ref CP-2026-0112",
        params={"date_from": "2025-09-01", "date_to": "2026-01-09"}, decision=DECISION, rows_returned=180,
    )  # fmt: skip
    record.subject_upns = {f"A202{i % 1_000_000:09d}X"} | ({f"B202{i % 999:09d}Y"} if i % 4 == 0 else set())
    return record


def fresh_database(settings: Settings) -> DatabaseUrls:
    server = start_embedded(settings.pg_data_dir)
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(settings.database_name))
        )
    urls = resolve_database(settings)
    upgrade(urls, settings.app_db_role)
    with psycopg.connect(urls.admin, autocommit=True) as conn:
        # The baseline: the same rows, no key, no chain, no index, no trigger, one plain committed INSERT each.
        conn.execute(
            "CREATE TABLE bench_plain (content text, prev_hash bytea, event_hash bytea, leaf_hash bytea,"
            " subjects bytea[])"
        )
        conn.execute(f"GRANT INSERT ON bench_plain TO {settings.app_db_role}")
    return urls


def _requesters(
    kind: str,
    app_url: str,
    audit: AuditSettings,
    first: int,
    requesters: int,
    each: int,
    barrier: Any,
    out: Any,
) -> None:
    """One gateway process: `requesters` concurrent requests, each appending `each` events one after another
    (kind "append": through the group-commit AuditLog; "plain": one committed INSERT per event)."""

    async def run() -> tuple[float, float, list[float], int]:
        # plain: one open connection per requester before the clock starts; append: the writer's and the
        # flusher's, plus one (gateway.audit.writer.OVERLAP_MIN_POOL, the smallest pool that overlaps flushes).
        size = requesters if kind == "plain" else 3
        pool = create_pool(app_url, size, size, wait_seconds=30)
        await pool.open(wait=True, timeout=60)
        log = AuditLog.from_settings(audit, pool)
        waits: list[float] = []

        async def request(r: int) -> None:
            for i in range(each):
                record = sample_record((first + r) * each + i)
                started = time.perf_counter()
                if kind == "append":
                    await log.append(record, status=200, duration_s=0.004)
                else:
                    content, subjects = event_content(
                        record, status=200, duration_s=0.004, occurred_at=datetime.now(UTC),
                        subject_key=log.subject_key,
                    )  # fmt: skip
                    digest = event_hash(GENESIS, 1, content)
                    async with pool.connection() as conn:
                        await conn.execute(
                            "INSERT INTO bench_plain VALUES (%s, %s, %s, %s, %s)",
                            (content, GENESIS, digest, event_leaf(digest), subjects),
                            prepare=True,
                        )
                waits.append(time.perf_counter() - started)

        try:
            barrier.wait(timeout=120)  # a sibling that died before the start breaks it
            started = time.perf_counter()
            await asyncio.gather(*(request(r) for r in range(requesters)))
            ended = time.perf_counter()
            batches = log.writer.batches
            await log.close()
            return started, ended, waits, batches
        finally:
            await pool.close()

    out.put(asyncio.run(run()))


def _collect(kind: str, procs: list[Any], out: Any, limit_s: float = 1800.0) -> list[Any]:
    """Each process's result; a process that died (or a run past `limit_s`) ends the bench at once, its
    siblings killed, rather than waiting on results that will never come."""
    results: list[Any] = []
    deadline = time.monotonic() + limit_s
    while len(results) < len(procs):
        try:
            results.append(out.get(timeout=1.0))
        except queue.Empty:
            dead = [p.exitcode for p in procs if p.exitcode not in (None, 0)]
            if dead or time.monotonic() > deadline:
                for p in procs:
                    p.kill()
                raise SystemExit(
                    f"a {kind} process died (exit code {dead[0]})"
                    if dead
                    else f"{kind} run over {limit_s:.0f} s"
                ) from None
    return results


def throughput(
    kind: str, urls: DatabaseUrls, audit: AuditSettings, requesters: int, total: int, processes: int
) -> dict[str, float]:
    """Events per second with `requesters` concurrent requests spread over `processes` gateway processes."""
    context = multiprocessing.get_context("fork")
    barrier, out = context.Barrier(processes), context.Queue()
    per_process = [
        requesters // processes + (1 if p < requesters % processes else 0) for p in range(processes)
    ]
    each = max(1, total // requesters)
    procs, first = [], 0
    for count in per_process:
        procs.append(
            context.Process(
                target=_requesters, args=(kind, urls.app, audit, first, count, each, barrier, out)
            )
        )
        first += count
    for p in procs:
        p.start()
    results = _collect(kind, procs, out)
    for p in procs:
        p.join()
    if any(p.exitcode for p in procs):
        raise SystemExit(f"a {kind} process failed")
    waits = sorted(w for r in results for w in r[2])
    span = max(r[1] for r in results) - min(r[0] for r in results)
    batches = sum(r[3] for r in results)
    return {
        "per_s": len(waits) / span,
        "p50_wait_ms": waits[len(waits) // 2] * 1000,
        "p99_wait_ms": waits[min(len(waits) - 1, int(len(waits) * 0.99))] * 1000,
        "events": len(waits),
        "mean_batch": len(waits) / batches if batches else 0.0,
    }


def generate_log(urls: DatabaseUrls, audit: AuditSettings, events: int) -> None:
    """Write `events` chained events and their signed checkpoints straight into the bench database (COPY)."""
    key = load_or_create_signing_key(audit.signing_key_file)
    subject_key = load_or_create_subject_key(audit.subject_key_file)
    built = [
        event_content(sample_record(i), status=200, duration_s=0.004, occurred_at=datetime.now(UTC),
                      subject_key=subject_key)
        for i in range(97)
    ]  # fmt: skip
    templates = [content for content, _ in built]
    frontier = Frontier()
    prev = GENESIS
    checkpoints = []
    now = datetime.now(UTC)
    with psycopg.connect(urls.admin, autocommit=True) as conn:
        # The search columns exactly as audit_append derives them from each template's content.
        columns = [_search_columns(t) for t in templates]
        with (
            conn.cursor() as cur,
            cur.copy(
                "COPY audit_events (seq, content, prev_hash, event_hash, leaf_hash, occurred_at, request_id,"
                " organisation, principal_subject, agreement, legal_gateway, purpose, outcome, route) FROM STDIN"
            ) as copy,
        ):
            for seq in range(1, events + 1):
                content = templates[seq % len(templates)]
                current = event_hash(prev, seq, content)
                leaf = event_leaf(current)
                copy.write_row((seq, content, prev, current, leaf, *columns[seq % len(templates)]))
                frontier.append(leaf)
                prev = current
                if seq % CHECKPOINT_EVERY == 0 or seq == events:
                    checkpoints.append(
                        (sign_checkpoint(key, seq, frontier.root(), now), list(frontier.hashes))
                    )
        with conn.cursor() as cur, cur.copy("COPY audit_subjects (subject_hash, seq) FROM STDIN") as copy:
            for seq in range(1, events + 1):
                for subject in built[seq % len(built)][1]:
                    copy.write_row((subject, seq))
        public = public_key_of(key)
        conn.execute(
            "INSERT INTO audit_keys (key_id, algorithm, public_key) VALUES (%s, 'Ed25519', %s) ON CONFLICT DO NOTHING",
            (public.key_id, public.public_key),
        )
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO audit_checkpoints (size, root, signed_at, key_id, signature, frontier)"
                " VALUES (%s, %s, %s, %s, %s, %s)",
                [(c.size, c.root, c.signed_at, c.key_id, c.signature, f) for c, f in checkpoints],
            )
        conn.execute("VACUUM ANALYZE audit_events")


def _search_columns(content: str) -> tuple[Any, ...]:
    doc = json.loads(content)
    principal = doc["principal"] or {}
    return (
        datetime.fromisoformat(doc["time"]), doc["request_id"], principal.get("organisation"), principal.get("subject"),
        doc["agreement"], doc["legal_gateway"], doc["purpose"], doc["outcome"], doc["route"],
    )  # fmt: skip


def verification_rate(urls: DatabaseUrls, workers: int) -> tuple[float, float, int, bool]:
    """Chain + tree + every checkpoint, read from the database, as `gateway audit verify` does it."""
    started = time.perf_counter()
    report = verify_database_parallel(urls.admin, workers=workers)
    elapsed = time.perf_counter() - started
    return report.events / elapsed, elapsed, report.checkpoints, report.ok


def fdatasync_us(directory: Path, rounds: int = 200) -> float:
    """The disk's flush latency where PostgreSQL keeps its WAL: every durable commit waits for one."""
    probe = directory / "bench-fsync-probe"
    fd = os.open(probe, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        started = time.perf_counter()
        for _ in range(rounds):
            os.pwrite(fd, b"x" * 8192, 0)
            os.fdatasync(fd)
        return (time.perf_counter() - started) / rounds * 1e6
    finally:
        os.close(fd)
        probe.unlink()


def round_trip_us(url: str, rounds: int = 200) -> float:
    """One query's round trip to the server (`SELECT 1`): the writer makes at least one per batch."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT 1", prepare=True)  # connected, prepared: only the round trip is left to time
        started = time.perf_counter()
        for _ in range(rounds):
            conn.execute("SELECT 1", prepare=True)
        return (time.perf_counter() - started) / rounds * 1e6


def closed_loop_ceiling_per_s(requesters: int, flush_us: float, trip_us: float) -> float:
    """What the disk allows a closed loop: each requester waits for its own durable commit, so at best one flush
    and one round trip per event (however large the batches, a requester has one event in each)."""
    return requesters / ((flush_us + trip_us) / 1e6)


def appended_log_verifies(urls: DatabaseUrls, audit: AuditSettings) -> tuple[bool, int, int]:
    """The mixed log the appends left (several processes' batches, their checkpoints) against the pinned key."""
    key = public_key_of(load_or_create_signing_key(audit.signing_key_file))
    with psycopg.connect(urls.admin, autocommit=True) as conn:
        report = verify_log(db_events(conn), db_checkpoints(conn), {key.key_id: key}, db_head(conn))
    return report.ok, report.events, report.unsigned_events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requesters", type=int, nargs="+", default=[4, 16, 64], help="concurrent requests")
    parser.add_argument("--appends", type=int, default=12_000, help="events appended per measurement")
    parser.add_argument("--processes", type=int, default=2, help="gateway processes sharing the requests")
    parser.add_argument("--events", type=int, default=1_000_000, help="events in the verified log")
    parser.add_argument(
        "--verify-workers", type=int, default=2, help="processes hashing events when verifying"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    settings = Settings(database_name=DATABASE, log_level="WARNING")
    # As the gateway's processes log (and to stderr, so --json prints only the result on stdout).
    configure_logging(settings.log_level, json=True)
    keys = settings.var_dir / "bench-keys"
    audit = AuditSettings(
        signing_key_file=keys / "audit-signing-key.pem",
        subject_key_file=keys / "audit-subject-key.bin",
        checkpoint_every=CHECKPOINT_EVERY,
        head_file=keys / "audit-head-bench.json",
    )
    Path(keys).mkdir(parents=True, exist_ok=True)
    urls = fresh_database(settings)
    for stale in keys.glob("audit-head-bench.json*"):  # the head of the previous run's (dropped) log
        stale.unlink()
    flush_us = fdatasync_us(settings.pg_data_dir)
    trip_us = round_trip_us(urls.app)
    by_requesters: dict[str, dict[str, float]] = {}
    for requesters in args.requesters:
        # The baseline is measured before and after the appends (and averaged): the disk is shared, so this
        # keeps a change in its load from being read as a difference between the two paths.
        before = throughput("plain", urls, audit, requesters, args.appends, args.processes)
        appended = throughput("append", urls, audit, requesters, args.appends, args.processes)
        after = throughput("plain", urls, audit, requesters, args.appends, args.processes)
        plain = (before["per_s"] + after["per_s"]) / 2
        ceiling = closed_loop_ceiling_per_s(requesters, flush_us, trip_us)
        by_requesters[str(requesters)] = {
            "appends_per_s": round(appended["per_s"]),
            "plain_inserts_per_s": round(plain),
            "append_ratio": round(appended["per_s"] / plain, 3),
            "p50_wait_ms": round(appended["p50_wait_ms"], 2),
            "p99_wait_ms": round(appended["p99_wait_ms"], 2),
            "plain_p99_wait_ms": round((before["p99_wait_ms"] + after["p99_wait_ms"]) / 2, 2),
            "mean_batch": round(appended["mean_batch"], 1),
            "closed_loop_ceiling_per_s": round(ceiling),
            "of_ceiling": round(appended["per_s"] / ceiling, 3),
        }
    log_ok, log_events, unsigned = appended_log_verifies(urls, audit)
    urls = fresh_database(settings)  # an empty log again, for the generated one
    started = time.perf_counter()
    generate_log(urls, audit, args.events)
    generated_s = time.perf_counter() - started
    verified, verify_s, checkpoints, ok = verification_rate(urls, args.verify_workers)
    headline = by_requesters.get("16") or next(iter(by_requesters.values()))
    result = {
        "appends_per_s": headline["appends_per_s"],
        "plain_inserts_per_s": headline["plain_inserts_per_s"],
        "append_ratio": headline["append_ratio"],
        "p99_wait_ms": headline["p99_wait_ms"],
        # requesters / (fdatasync + one round trip): the most a closed loop can append on this disk.
        "closed_loop_ceiling_per_s": headline["closed_loop_ceiling_per_s"],
        "of_ceiling": headline["of_ceiling"],
        "verified_per_s": round(verified),
        "by_requesters": by_requesters,
        "processes": args.processes,
        "appends_measured": args.appends,
        "appended_log_ok": log_ok,
        "appended_log_events": log_events,
        "appended_log_unsigned": unsigned,
        "checkpoint_every": CHECKPOINT_EVERY,
        "verified_events": args.events,
        "verified_checkpoints": checkpoints,
        "verification_ok": ok,
        "verify_workers": args.verify_workers,
        "verify_s": round(verify_s, 2),
        # Building the verified log (real chain, real signed checkpoints, written by COPY) is not measured.
        "generate_s": round(generated_s, 1),
        # Context: a requester waiting for its own durable commit waits at least one flush.
        "fdatasync_us": round(flush_us),
        "round_trip_us": round(trip_us),
    }
    if args.json:
        print(json.dumps(result))
    else:
        for name, value in result.items():
            print(f"{name:>22}: {value}")
    if not (ok and log_ok):
        sys.exit(1)


if __name__ == "__main__":
    main()
