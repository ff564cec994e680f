"""Benchmark: audit appends (4 writers, chain + index + checkpoints) against plain inserts; verification speed."""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
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
from gateway.audit.record import AccessRecord
from gateway.auth.principal import Principal
from gateway.db.migrate import upgrade
from gateway.db.pool import create_pool
from gateway.db.urls import DatabaseUrls, resolve_database, start_embedded
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
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DATABASE)))
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


def _writer(
    kind: str, app_url: str, audit: AuditSettings, writer: int, count: int, barrier: Any, out: Any
) -> None:
    async def run() -> tuple[float, float]:
        pool = create_pool(app_url, 1, 1)
        await pool.open(wait=True)
        log = AuditLog.from_settings(audit, pool)
        records = [sample_record(writer * count + i) for i in range(count)]
        barrier.wait()
        started = time.perf_counter()
        try:
            if kind == "append":
                for record in records:
                    await log.append(record, status=200, duration_s=0.004)
            else:
                async with pool.connection() as conn:
                    for record in records:
                        content, subjects = event_content(
                            record, status=200, duration_s=0.004, occurred_at=datetime.now(UTC),
                            subject_key=log.subject_key,
                        )  # fmt: skip
                        digest = event_hash(GENESIS, 1, content)
                        await conn.execute(
                            "INSERT INTO bench_plain VALUES (%s, %s, %s, %s, %s)",
                            (content, GENESIS, digest, event_leaf(digest), subjects),
                            prepare=True,
                        )
            return started, time.perf_counter()
        finally:
            await pool.close()

    out.put(asyncio.run(run()))


def throughput(kind: str, urls: DatabaseUrls, audit: AuditSettings, writers: int, count: int) -> float:
    context = multiprocessing.get_context("fork")
    barrier, out = context.Barrier(writers), context.Queue()
    procs = [
        context.Process(target=_writer, args=(kind, urls.app, audit, w, count, barrier, out))
        for w in range(writers)
    ]
    for p in procs:
        p.start()
    spans = [out.get(timeout=1800) for _ in procs]
    for p in procs:
        p.join()
    if any(p.exitcode for p in procs):
        raise SystemExit(f"a {kind} writer failed")
    return writers * count / (max(s[1] for s in spans) - min(s[0] for s in spans))


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


def verification_rate(urls: DatabaseUrls, workers: int) -> tuple[float, int, bool]:
    """Chain + tree + every checkpoint, read from the database, as `gateway audit verify` does it."""
    started = time.perf_counter()
    report = verify_database_parallel(urls.admin, workers=workers)
    elapsed = time.perf_counter() - started
    return report.events / elapsed, report.checkpoints, report.ok


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--appends", type=int, default=3000, help="appends per writer")
    parser.add_argument("--events", type=int, default=1_000_000, help="events in the verified log")
    parser.add_argument(
        "--verify-workers", type=int, default=2, help="processes hashing events when verifying"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    settings = Settings(database_name=DATABASE, log_level="WARNING")
    keys = settings.var_dir / "bench-keys"
    audit = AuditSettings(
        signing_key_file=keys / "audit-signing-key.pem",
        subject_key_file=keys / "audit-subject-key.bin",
        checkpoint_every=CHECKPOINT_EVERY,
    )
    Path(keys).mkdir(parents=True, exist_ok=True)
    urls = fresh_database(settings)
    flush_us = fdatasync_us(settings.pg_data_dir)
    # The baseline is measured before and after the appends (and averaged): the disk is shared, so this
    # keeps a change in its load from being read as a difference between the two paths.
    plain_before = throughput("plain", urls, audit, args.writers, args.appends)
    appends = throughput("append", urls, audit, args.writers, args.appends)
    plain = (plain_before + throughput("plain", urls, audit, args.writers, args.appends)) / 2
    urls = fresh_database(settings)  # an empty log again, for the generated one
    generate_log(urls, audit, args.events)
    verified, checkpoints, ok = verification_rate(urls, args.verify_workers)
    result = {
        "appends_per_s": round(appends),
        "plain_inserts_per_s": round(plain),
        "append_ratio": round(appends / plain, 3),
        "verified_per_s": round(verified),
        "writers": args.writers,
        "appends_measured": args.writers * args.appends,
        "checkpoint_every": CHECKPOINT_EVERY,
        "verified_events": args.events,
        "verified_checkpoints": checkpoints,
        "verification_ok": ok,
        "verify_workers": args.verify_workers,
        # Context: with W writers each waiting for its own durable commit, W / flush latency bounds both rates.
        "fdatasync_us": round(flush_us),
    }
    if args.json:
        print(json.dumps(result))
    else:
        for name, value in result.items():
            print(f"{name:>22}: {value}")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
