"""Where the database is: an external server from DATABASE_URL, or an embedded PostgreSQL we start."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from gateway.db import embedded
from gateway.settings import Settings

# Data directories whose server settings this process has checked since it last started them.
_tuned: set[Path] = set()


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


def start_embedded(pg_data_dir: Path, *, keep: bool = False) -> str:
    """Start (or join) the embedded PostgreSQL in `pg_data_dir`; return the superuser URL of `postgres`.

    This process holds the server until it exits or calls `release_embedded` (see gateway.db.embedded);
    with `keep` the server is left running after its holders exit."""
    url, started = embedded.start(pg_data_dir, keep=keep)
    path = pg_data_dir.resolve()
    if started or path not in _tuned:
        tune_embedded_for_bulk_load(url)
        _tuned.add(path)
    return url


def release_embedded(pg_data_dir: Path) -> bool:
    """This process is done with the embedded server; returns whether that stopped it (last holder)."""
    return embedded.release(pg_data_dir)


@contextmanager
def embedded_lifetime(settings: Settings, *, keep: bool = False) -> Iterator[None]:
    """For a command that owns the database's lifetime (serve, demo): with no DATABASE_URL, hold the embedded
    server for the block and stop it on leaving unless another process still holds it, or `keep`."""
    if settings.database_url:
        yield
        return
    start_embedded(settings.pg_data_dir, keep=keep)
    try:
        yield
    finally:
        release_embedded(settings.pg_data_dir)


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


def resolve_database(settings: Settings, *, keep_embedded: bool = False) -> DatabaseUrls:
    """Work out both URLs, starting the embedded server and creating the database if needed (with
    `keep_embedded`, the embedded server is left running after this process exits)."""
    if settings.database_url:
        admin = settings.database_admin_url or settings.database_url
        return DatabaseUrls(admin=admin, app=settings.database_url, embedded=False)
    server_url = start_embedded(settings.pg_data_dir, keep=keep_embedded)
    ensure_database_exists(server_url, settings.database_name)
    admin = with_database(server_url, settings.database_name)
    return DatabaseUrls(admin=admin, app=with_user(admin, settings.app_db_role), embedded=True)


def libpq_command_target(url: str) -> tuple[str, dict[str, str]]:
    """(connection string without its password, environment carrying the password) for pg_dump and
    pg_restore: a password on a command line is visible to every user of the machine through ps."""
    params = {k: str(v) for k, v in conninfo_to_dict(url).items() if v is not None}
    password = params.pop("password", "")
    return make_conninfo(**params), ({"PGPASSWORD": password} if password else {})


def redacted(url: str) -> str:
    """`url` fit to print: user, host, port and database, never a password."""
    params = conninfo_to_dict(url)
    params.pop("password", None)
    return make_conninfo(**{k: str(v) for k, v in params.items() if v is not None})
