"""Writers in several processes get one gap-free order and one valid chain."""

from __future__ import annotations

import asyncio
import multiprocessing
from typing import Any

import psycopg

from gateway.audit.log import AuditLog
from gateway.audit.reader import db_checkpoints, db_events, db_keys
from gateway.audit.verify import verify_log
from gateway.db.pool import create_pool
from gateway.db.urls import DatabaseUrls
from gateway.settings import Settings
from tests.audit.conftest import append_samples

WRITERS = 4
PER_WRITER = 40


def _writer(app_url: str, settings: Settings, writer: int, out: Any) -> None:
    async def run() -> list[int]:
        pool = create_pool(app_url, 1, 1)
        await pool.open(wait=True)
        try:
            log = AuditLog.from_settings(settings.audit, pool)
            return await append_samples(log, PER_WRITER, start=writer * 1000)
        finally:
            await pool.close()

    out.put(asyncio.run(run()))


def test_concurrent_processes_produce_a_gap_free_valid_chain(
    settings: Settings, db_urls: DatabaseUrls
) -> None:
    urls = db_urls
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    workers = [context.Process(target=_writer, args=(urls.app, settings, w, results)) for w in range(WRITERS)]
    for w in workers:
        w.start()
    seqs = sorted(s for _ in workers for s in results.get(timeout=120))
    for w in workers:
        w.join(timeout=60)
    assert [w.exitcode for w in workers] == [0] * WRITERS
    assert seqs == list(range(seqs[0], seqs[0] + WRITERS * PER_WRITER))
    with psycopg.connect(urls.admin, autocommit=True) as conn:
        report = verify_log(db_events(conn), db_checkpoints(conn), db_keys(conn))
        every = {c.size for c in db_checkpoints(conn) if c.size % settings.audit.checkpoint_every == 0}
    assert report.ok, report.findings
    assert report.events >= WRITERS * PER_WRITER
    # Every multiple of N the writers passed was signed by whichever writer reached it.
    passed = {s for s in seqs if s % settings.audit.checkpoint_every == 0}
    assert passed <= every
    assert len(passed) >= 3
