"""Shared fixtures: a real embedded PostgreSQL per test worker, migrated once, and the app on it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from gateway.db.migrate import upgrade
from gateway.db.urls import DatabaseUrls, release_embedded, resolve_database, start_embedded
from gateway.settings import AuditSettings, AuthSettings, PrivacySettings, Settings

ROOT = Path(__file__).resolve().parent.parent
# One embedded server for the whole run (tests/ops runs a session of its own elsewhere to prove it stops).
TEST_PG_DIR = Path(os.environ.get("GATEWAY_TEST_PG_DIR") or ROOT / "var" / "test-pgdata")


def _worker() -> str:
    # Without xdist, the process id keeps concurrent runs on one machine out of each other's databases.
    return os.environ.get("PYTEST_XDIST_WORKER") or f"p{os.getpid()}"


@pytest.fixture(scope="session", autouse=True)
def embedded_test_server() -> Iterator[None]:
    """Set up first and torn down last: the test server stops when the last process using it finishes."""
    yield
    release_embedded(TEST_PG_DIR)


@pytest.fixture(scope="session")
def key_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("keys")


@pytest.fixture(scope="session")
def settings(key_dir: Path) -> Settings:
    """Settings for a fresh, worker-private database on the shared embedded test server."""
    return Settings(
        database_url=None,
        pg_data_dir=TEST_PG_DIR,
        database_name=f"gateway_test_{_worker()}",
        var_dir=key_dir,
        environment="test",
        log_json=True,
        auth=AuthSettings(dev_key_dir=key_dir / "dev-issuer"),
        privacy=PrivacySettings(keyring_file=key_dir / "pseudonym-keyring.json"),
        audit=AuditSettings(
            signing_key_file=key_dir / "audit-signing-key.pem",
            subject_key_file=key_dir / "audit-subject-key.bin",
            checkpoint_every=50,
        ),
    )


@pytest.fixture(scope="session")
def db_urls(settings: Settings) -> Iterator[DatabaseUrls]:
    """Drop and recreate this worker's database, then migrate it to head."""
    server_url = start_embedded(settings.pg_data_dir)
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(settings.database_name))
        )
    urls = resolve_database(settings)
    upgrade(urls, settings.app_db_role)
    yield urls
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(settings.database_name))
        )


@pytest.fixture
def admin_conn(db_urls: DatabaseUrls) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """An owner connection for arranging and inspecting the store directly."""
    with psycopg.connect(db_urls.admin, autocommit=True) as conn:
        yield conn
