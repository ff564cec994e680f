"""gateway.audit.store, the officers' read side: a tree read without its block cache still proves inclusion
(every leaf is read instead), and event filters compile to SQL on either alias."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
from psycopg.rows import dict_row

from gateway.audit.event import event_content
from gateway.audit.merkle import BLOCK, inclusion_path, root_of, verify_inclusion
from gateway.audit.store import EventFilter, search_events, tree
from gateway.db.urls import DatabaseUrls
from tests.audit.conftest import TEMPLATE_EVENTS, sample_record


async def test_a_tree_without_its_block_cache_reads_every_leaf_and_still_proves(
    tampered_db: DatabaseUrls,
) -> None:
    content, subjects = event_content(
        sample_record(7), status=200, duration_s=0.001, occurred_at=datetime.now(UTC), subject_key=bytes(32)
    )
    # as the owner: the application role may only append through audit_append_batch
    with psycopg.connect(tampered_db.admin, autocommit=True) as conn, conn.pipeline():
        for _ in range(BLOCK + 5 - TEMPLATE_EVENTS):
            conn.execute("SELECT audit_append(%s, %s)", (content, subjects))
    with psycopg.connect(tampered_db.admin, autocommit=True) as conn:
        # As if the cache had never been filled (the table is append-only; this private copy is not).
        conn.execute("ALTER TABLE audit_subtrees DISABLE TRIGGER ALL")
        conn.execute("DELETE FROM audit_subtrees")
        leaves = [bytes(r[0]) for r in conn.execute("SELECT leaf_hash FROM audit_events ORDER BY seq")]
    size = len(leaves)
    assert size == BLOCK + 5
    async with await psycopg.AsyncConnection.connect(tampered_db.app, autocommit=True) as conn:
        blocked = await tree(conn, size, [3, BLOCK + 2])
    for index in (3, BLOCK + 2):
        path = inclusion_path(blocked.root, index, size)
        assert verify_inclusion(leaves[index], index, size, path, root_of(leaves))


async def test_filters_narrow_by_organisation_and_position(tampered_db: DatabaseUrls) -> None:
    async with await psycopg.AsyncConnection.connect(
        tampered_db.app, autocommit=True, row_factory=dict_row
    ) as conn:
        everything = await search_events(conn, EventFilter(), limit=1000)
        theirs = await search_events(conn, EventFilter(organisations=("someone-else",)), limit=1000)
        after = await search_events(conn, EventFilter(organisations=("LA-202",), after=100), limit=1000)
    assert (len(everything), theirs) == (TEMPLATE_EVENTS, [])
    assert [r["seq"] for r in after] == list(range(101, TEMPLATE_EVENTS + 1))


def test_an_aliased_filter_qualifies_every_column() -> None:
    predicate, params = EventFilter(organisations=("dfe",), route="/v1/pupils", after=5).predicate("e")
    assert predicate.as_string() == "e.organisation = ANY(%s) AND e.route = %s AND e.seq > %s"
    assert params == [["dfe"], "/v1/pupils", 5]
