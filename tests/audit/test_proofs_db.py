"""Proofs served from the cached block roots agree with the signed checkpoints on a log of 2,000+ events."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from gateway.audit.event import event_content
from gateway.audit.log import AuditLog
from gateway.audit.merkle import BLOCK, consistency_path, inclusion_path, verify_consistency, verify_inclusion
from gateway.audit.store import tree as read_tree
from gateway.db.pool import create_pool
from gateway.db.urls import DatabaseUrls
from gateway.settings import Settings
from tests.audit.conftest import TEMPLATE_EVENTS, sample_record

EXTRA = 2 * BLOCK + 37


async def test_block_cache_serves_proofs_that_verify(
    settings: Settings, tampered_db: DatabaseUrls, tmp_path: Path
) -> None:
    content, _ = event_content(
        sample_record(1), status=200, duration_s=0.001, occurred_at=datetime.now(UTC), subject_key=bytes(32)
    )
    pool = create_pool(tampered_db.app, 1, 2)
    await pool.open(wait=True)
    log = AuditLog.from_settings(
        settings.audit.model_copy(update={"head_file": tmp_path / "head.json", "checkpoint_every": 0}), pool
    )
    try:
        await asyncio.gather(*(log.append_content(content) for _ in range(EXTRA)))
        first = await log.checkpoint()
        await asyncio.gather(*(log.append_content(content) for _ in range(5)))
        second = await log.checkpoint()
        assert first is not None
        assert second is not None
        assert first.size == TEMPLATE_EVENTS + EXTRA
        with psycopg.connect(tampered_db.admin, autocommit=True) as conn:
            cached = conn.execute("SELECT count(*) FROM audit_subtrees").fetchone()
            leaves = {
                int(seq): bytes(leaf)
                for seq, leaf in conn.execute(
                    "SELECT seq, leaf_hash FROM audit_events WHERE seq IN (5, 1500, 2100)"
                )
            }
        assert cached == (first.size // BLOCK,)
        for seq in (5, 1500, 2100):
            async with pool.connection() as conn:
                tree = await read_tree(conn, second.size, [seq - 1])
            path = inclusion_path(tree.root, seq - 1, second.size)
            assert verify_inclusion(leaves[seq], seq - 1, second.size, path, second.root)
        async with pool.connection() as conn:
            tree = await read_tree(conn, second.size, [first.size - 1, first.size])
        path = consistency_path(tree.root, first.size, second.size)
        assert verify_consistency(first.size, second.size, first.root, second.root, path)
    finally:
        await log.close()
        await pool.close()
