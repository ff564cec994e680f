"""What a backup records about its database, and what a restore must find again: row counts of every table,
rollup digests and measure totals, the schema revision and the audit log's head."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import psycopg
from psycopg import sql

# The rollups ingest keeps (aggregate and persistent-absence queries read only these): digested whole.
ROLLUP_TABLES = ("school_day_group", "school_day", "enrolment_week")
ROLLUP_MEASURES = ("possible", "present", "aea", "authorised", "unauthorised")

# Row text depends on these session settings (timestamptz follows TimeZone); fixed, the digest is the same on
# any server that holds the same rows.
STABLE_TEXT_SETTINGS = {"TimeZone": "UTC", "DateStyle": "ISO, YMD", "extra_float_digits": "3"}


@dataclass(frozen=True)
class DatabaseFacts:
    schema_revision: str | None
    tables: dict[str, int]
    rollups: dict[str, dict[str, int | str]]
    audit: dict[str, int | str | None]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DatabaseFacts:
        return cls(
            schema_revision=data["schema_revision"],
            tables={str(k): int(v) for k, v in data["tables"].items()},
            rollups={str(k): dict(v) for k, v in data["rollups"].items()},
            audit=dict(data["audit"]),
        )


def differences(expected: DatabaseFacts, found: DatabaseFacts) -> list[str]:
    """Every way `found` differs from `expected`, one line each (empty: they agree)."""
    lines: list[str] = []
    if expected.schema_revision != found.schema_revision:
        lines.append(f"schema revision: expected {expected.schema_revision}, found {found.schema_revision}")
    for table in sorted(expected.tables.keys() | found.tables.keys()):
        want, got = expected.tables.get(table), found.tables.get(table)
        if want != got:
            lines.append(f"table {table}: expected {_rows(want)}, found {_rows(got)}")
    for table in sorted(expected.rollups.keys() | found.rollups.keys()):
        want_rollup, got_rollup = expected.rollups.get(table, {}), found.rollups.get(table, {})
        for name in sorted(want_rollup.keys() | got_rollup.keys()):
            if want_rollup.get(name) != got_rollup.get(name):
                lines.append(
                    f"rollup {table}.{name}: expected {want_rollup.get(name)}, found {got_rollup.get(name)}"
                )
    for name in sorted(expected.audit.keys() | found.audit.keys()):
        if expected.audit.get(name) != found.audit.get(name):
            lines.append(f"audit {name}: expected {expected.audit.get(name)}, found {found.audit.get(name)}")
    return lines


def _rows(count: int | None) -> str:
    return "no such table" if count is None else f"{count} rows"


def user_tables(conn: psycopg.Connection[Any]) -> list[str]:
    """Ordinary tables (partitions included, partitioned parents not: their rows are the partitions')."""
    rows = conn.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY c.relname"
    ).fetchall()
    return [str(r[0]) for r in rows]


def collect(conn: psycopg.Connection[Any]) -> DatabaseFacts:
    """The facts as `conn`'s transaction sees them (run in one REPEATABLE READ transaction to match a dump)."""
    for name, value in STABLE_TEXT_SETTINGS.items():
        conn.execute("SELECT set_config(%s, %s, true)", (name, value))
    tables = user_tables(conn)
    counts = {
        table: _scalar(conn, sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        for table in tables
    }
    rollups = {table: _rollup(conn, table) for table in ROLLUP_TABLES if table in counts}
    revision = None
    if "alembic_version" in counts:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = None if row is None else str(row[0])
    return DatabaseFacts(
        schema_revision=revision,
        tables=counts,
        rollups=rollups,
        audit=_audit_head(conn) if "audit_events" in counts else {},
    )


def _scalar(conn: psycopg.Connection[Any], query: sql.Composed) -> int:
    row = conn.execute(query).fetchone()
    return 0 if row is None or row[0] is None else int(row[0])


def _rollup(conn: psycopg.Connection[Any], table: str) -> dict[str, int | str]:
    """Rows, an order-independent digest of every row's text (a sum of 64-bit hashes: no sort needed), and
    the total of each measure."""
    columns = {
        str(r[0])
        for r in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = %s",
            (table,),
        ).fetchall()
    }
    measures = [m for m in ROLLUP_MEASURES if m in columns]
    query = sql.SQL(
        "SELECT count(*), coalesce(sum(hashtextextended(t::text, 0)), 0)::text{} FROM {} t"
    ).format(
        sql.SQL("").join(sql.SQL(", coalesce(sum({}), 0)").format(sql.Identifier(m)) for m in measures),
        sql.Identifier(table),
    )
    row = conn.execute(query).fetchone()
    assert row is not None
    out: dict[str, int | str] = {"rows": int(row[0]), "digest": str(row[1])}
    out.update({measure: int(value) for measure, value in zip(measures, row[2:], strict=True)})
    return out


def _audit_head(conn: psycopg.Connection[Any]) -> dict[str, int | str | None]:
    head = conn.execute(
        "SELECT seq, encode(event_hash, 'hex') FROM audit_events ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    checkpoint = conn.execute(
        "SELECT size, encode(root, 'hex'), key_id FROM audit_checkpoints ORDER BY size DESC LIMIT 1"
    ).fetchone()
    return {
        "head_seq": 0 if head is None else int(head[0]),
        "head_hash": None if head is None else str(head[1]),
        "last_checkpoint_size": None if checkpoint is None else int(checkpoint[0]),
        "last_checkpoint_root": None if checkpoint is None else str(checkpoint[1]),
        "last_checkpoint_key": None if checkpoint is None else str(checkpoint[2]),
    }
