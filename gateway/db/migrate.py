"""Run Alembic migrations programmatically (`gateway db upgrade`); idempotent."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from gateway.db.urls import DatabaseUrls, sqlalchemy_url

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(admin_url: str, app_role: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", sqlalchemy_url(admin_url).replace("%", "%%"))
    cfg.attributes["app_role"] = app_role
    return cfg


# Held (session advisory lock) while migrating, so replicas starting together migrate one after another.
MIGRATION_LOCK = (7010, 2)


def upgrade(urls: DatabaseUrls, app_role: str, revision: str = "head") -> None:
    """Bring the schema to `revision`. Running it twice, or from several processes at once, changes nothing."""
    import psycopg
    from sqlalchemy.exc import IntegrityError

    with psycopg.connect(urls.admin, autocommit=True) as lock:
        lock.execute("SELECT pg_advisory_lock(%s, %s)", MIGRATION_LOCK)
        try:
            command.upgrade(alembic_config(urls.admin, app_role), revision)
        except IntegrityError as error:
            # The application role belongs to the server, not the database: two databases migrated at once on
            # a new server (the test workers) both find it missing and one loses the race to create it. Its
            # migration rolled back whole; now the role exists, and the retry goes through.
            if not isinstance(error.orig, psycopg.errors.UniqueViolation):
                raise
            command.upgrade(alembic_config(urls.admin, app_role), revision)


def current_revision(urls: DatabaseUrls) -> str | None:
    """The database's schema revision; None for a database `gateway db upgrade` never ran on."""
    import psycopg

    with psycopg.connect(urls.admin) as conn:
        found = conn.execute("SELECT to_regclass('alembic_version') IS NOT NULL").fetchone()
        if found is None or not found[0]:
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return None if row is None else str(row[0])


def head_revision() -> str:
    """The newest revision this code knows (what `gateway db upgrade` brings a database to)."""
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    heads = ScriptDirectory.from_config(cfg).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads: {sorted(heads)}")
    return str(heads[0])
