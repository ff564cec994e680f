"""`gateway restore`: a backup into an empty database, in one transaction, then checked against its manifest."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import IsolationLevel, sql

from gateway.db.embedded import binary
from gateway.db.urls import DatabaseUrls, libpq_command_target
from gateway.ops.backup import DUMP_FILE, KEYS_FILE, BackupError, Manifest, run_pg_tool, sha256_file
from gateway.ops.facts import DatabaseFacts, collect, differences


class RestoreError(BackupError):
    """Nothing was restored (or the restore did not match its manifest); the message says why."""


@dataclass(frozen=True)
class RestoreReport:
    manifest: Manifest
    found: DatabaseFacts
    mismatches: list[str]
    keys_file: Path

    @property
    def ok(self) -> bool:
        return not self.mismatches


def check_backup(folder: Path) -> Manifest:
    """The manifest, once the dump beside it is the very file it describes."""
    manifest = Manifest.read(folder)
    dump = folder / DUMP_FILE
    if not dump.exists():
        raise RestoreError(f"{folder} has no {DUMP_FILE}")
    if sha256_file(dump) != manifest.dump_sha256:
        raise RestoreError(f"{dump} is not the dump the manifest describes (SHA-256 differs): it is damaged")
    return manifest


def database_contents(conn: psycopg.Connection[Any]) -> list[str]:
    """Relations, functions and types the restore would collide with in schema public."""
    rows = conn.execute(
        """SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public'
           UNION ALL
           SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
           ORDER BY 1 LIMIT 6"""
    ).fetchall()
    return [str(r[0]) for r in rows]


def ensure_app_role(conn: psycopg.Connection[Any], role: str) -> None:
    """The application role the dump grants to (roles belong to the server, so a dump does not carry them)."""
    found = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
    if found is None:
        conn.execute(
            sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION").format(
                sql.Identifier(role)
            )
        )


def restore_backup(
    folder: Path, urls: DatabaseUrls, app_role: str, *, bin_dir: Path | None = None
) -> RestoreReport:
    """Restore `folder` into the (empty) database at `urls.admin` and compare it with the manifest.

    pg_restore runs as one transaction that stops at the first error, so a failed restore leaves the database
    as empty as it found it. Objects are owned by the restoring (owner) role, as after `gateway db upgrade`."""
    manifest = check_backup(folder)
    if manifest.app_role != app_role:
        raise RestoreError(
            f"the backup grants to role {manifest.app_role!r} but this gateway uses {app_role!r}:"
            f" set GATEWAY_APP_DB_ROLE={manifest.app_role} to restore it"
        )
    pg_restore = (bin_dir / "pg_restore") if bin_dir else binary("pg_restore")
    dump = folder / DUMP_FILE
    run_pg_tool([str(pg_restore), "--list", str(dump)], {}, "pg_restore (reading the dump)")
    with psycopg.connect(urls.admin, autocommit=True) as conn:
        present = database_contents(conn)
        if present:
            raise RestoreError(
                "the target database is not empty (it holds "
                + ", ".join(present[:5])
                + (", ..." if len(present) > 5 else "")
                + "): restore only into a new, empty database"
            )
        ensure_app_role(conn, app_role)
    target, env = libpq_command_target(urls.admin)
    run_pg_tool(
        [
            str(pg_restore),
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            f"--dbname={target}",
            str(dump),
        ],
        env,
        "pg_restore",
    )
    with psycopg.connect(urls.admin) as conn:
        conn.isolation_level = IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        found = collect(conn)
        conn.rollback()
    with psycopg.connect(urls.admin, autocommit=True) as conn:
        # A dump carries no planner statistics or visibility map; the read paths' index-only scans need both.
        conn.execute("VACUUM (ANALYZE)")
    return RestoreReport(
        manifest=manifest,
        found=found,
        mismatches=differences(manifest.facts, found),
        keys_file=folder / KEYS_FILE,
    )
