"""The live schema stays distributable: every large table's unique keys include its distribution column."""

from __future__ import annotations

import psycopg

from gateway.store.distribution import COORDINATOR, DISTRIBUTED, REFERENCE, ROW_COLUMNS

UNIQUE_KEYS = """
    SELECT i.indexrelid::regclass::text, array_agg(a.attname::text ORDER BY a.attname)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey)
    WHERE i.indisunique AND (c.relname = %(table)s OR c.oid IN (
        SELECT inhrelid FROM pg_inherits WHERE inhparent = %(table)s::regclass))
    GROUP BY 1 ORDER BY 1
"""


def test_every_unique_key_of_a_distributed_table_includes_its_distribution_column(
    admin_conn: psycopg.Connection,
) -> None:
    # A marks partition, as ingest creates them, is checked with its parent.
    admin_conn.execute("SELECT ensure_marks_partitions('2025-09-01', '2025-09-30')")
    # And one begun unindexed and attached after its insert, as a month's first batch does (0010).
    admin_conn.execute("DROP TABLE IF EXISTS marks_2039_01")
    admin_conn.execute("SELECT attach_marks_months(begin_marks_months('2039-01-01', '2039-01-31'))")
    checked = 0
    for table, column in DISTRIBUTED.items():
        keys = admin_conn.execute(UNIQUE_KEYS, {"table": table}).fetchall()
        assert keys, f"{table} has no primary key"
        for index, columns in keys:
            assert column in columns, f"{index} on {table} lacks the distribution column {column}"
            checked += 1
    assert checked >= len(DISTRIBUTED) + 2  # every table's primary key and the two partitions'


def test_every_table_with_school_or_pupil_rows_has_a_place_in_the_layout(
    admin_conn: psycopg.Connection,
) -> None:
    rows = admin_conn.execute(
        "SELECT DISTINCT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
        " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
        " AND a.attname = ANY(%s) ORDER BY 1",
        (sorted(ROW_COLUMNS),),
    ).fetchall()
    tables = {str(r[0]) for r in rows}
    placed = set(DISTRIBUTED) | REFERENCE | COORDINATOR
    assert tables - placed == set()
    existing = {
        str(r[0])
        for r in admin_conn.execute(
            "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')"
        )
    }
    assert placed - existing == set()  # the layout names no table that does not exist


def test_the_distribution_column_is_never_null(admin_conn: psycopg.Connection) -> None:
    for table, column in DISTRIBUTED.items():
        row = admin_conn.execute(
            "SELECT a.attnotnull FROM pg_attribute a WHERE a.attrelid = %s::regclass AND a.attname = %s",
            (table, column),
        ).fetchone()
        assert row == (True,), f"{table}.{column} may be NULL"
