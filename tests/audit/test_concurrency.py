"""Gateway processes on one host, each with its own group-commit writer and many concurrent requests, get one
gap-free order and one valid chain, and their shared signer signs it all without an alert."""

from __future__ import annotations

import asyncio
import multiprocessing
from typing import Any

import psycopg

from gateway.audit.keys import public_key_of, read_signing_key
from gateway.audit.log import AuditLog
from gateway.audit.reader import db_checkpoints, db_events, db_head
from gateway.audit.verify import verify_log
from gateway.db.pool import create_pool
from gateway.db.urls import DatabaseUrls
from gateway.settings import Settings
from tests.audit.conftest import fresh_database, sample_record

PROCESSES = 4
REQUESTS = 16  # concurrent requests in each process
ROUNDS = 5  # each request appends this many events, one after another


def _gateway_process(app_url: str, settings: Settings, process: int, out: Any) -> None:
    async def request(log: AuditLog, n: int) -> list[int]:
        seqs = []
        for r in range(ROUNDS):
            done = await log.append(
                sample_record(process * 10_000 + n * 100 + r), status=200, duration_s=0.001
            )
            seqs.append(done.seq)
        return seqs

    async def run() -> tuple[list[int], int]:
        pool = create_pool(app_url, 1, 2)
        await pool.open(wait=True)
        try:
            log = AuditLog.from_settings(settings.audit, pool)
            await log.register_key()
            results = await asyncio.gather(*(request(log, n) for n in range(REQUESTS)))
            batches = log.writer.batches
            await log.close()
            return [s for seqs in results for s in seqs], batches
        finally:
            await pool.close()

    out.put(asyncio.run(run()))


def test_gateway_processes_produce_one_gap_free_signed_chain(
    settings: Settings, db_urls: DatabaseUrls
) -> None:
    urls = fresh_database(settings, f"{settings.database_name}_audit_procs")
    from gateway.db.migrate import upgrade

    upgrade(urls, settings.app_db_role)
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    procs = [
        context.Process(target=_gateway_process, args=(urls.app, settings, p, results))
        for p in range(PROCESSES)
    ]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=180) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert [p.exitcode for p in procs] == [0] * PROCESSES
    total = PROCESSES * REQUESTS * ROUNDS
    assert sorted(s for seqs, _ in outcomes for s in seqs) == list(range(1, total + 1))
    assert all(batches < REQUESTS * ROUNDS for _, batches in outcomes)  # requests shared commits
    key = public_key_of(read_signing_key(settings.audit.signing_key_file))
    with psycopg.connect(urls.admin, autocommit=True) as conn:
        report = verify_log(db_events(conn), db_checkpoints(conn), {key.key_id: key}, db_head(conn))
        found_alerts = conn.execute("SELECT count(*) FROM audit_events WHERE outcome = 'alert'").fetchone()
    assert report.findings == []
    assert (report.events, report.signed_size, report.unsigned_events) == (total, total, 0)
    assert found_alerts == (0,)
    fresh_database(settings, f"{settings.database_name}_audit_procs")
