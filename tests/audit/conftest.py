"""Audit fixtures: the real audit log on this worker's database, sample records, and owner access."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

import psycopg
import pytest
from psycopg import sql

from gateway.audit.log import AuditLog
from gateway.audit.record import AccessRecord
from gateway.auth.principal import Principal
from gateway.db.migrate import upgrade
from gateway.db.pool import create_pool
from gateway.db.urls import DatabaseUrls, resolve_database, start_embedded
from gateway.settings import Settings

REASON = "Section 47 enquiry, case ref CP-2026-0112"
OFFICER = Principal(
    subject="officer-1",
    issuer="https://dev-issuer.attendance-gateway.local",
    organisation="LA-202",
    organisation_type="la",
    roles=("attendance_officer",),
    la_code=202,
)


@pytest.fixture
def app_conn(db_urls: DatabaseUrls) -> Iterator[psycopg.Connection[tuple[Any, ...]]]:
    """A connection as the application's least-privilege role."""
    with psycopg.connect(db_urls.app, autocommit=True) as conn:
        yield conn


@pytest.fixture
async def audit_log(settings: Settings, db_urls: DatabaseUrls) -> AsyncIterator[AuditLog]:
    """The real AuditLog on this worker's database, through the application role's pool."""
    pool = create_pool(db_urls.app, 1, 4)
    await pool.open(wait=True)
    log = AuditLog.from_settings(settings.audit, pool)
    await log.register_key()
    try:
        yield log
    finally:
        await log.close()
        await pool.close()


def sample_record(i: int) -> AccessRecord:
    """A varied, realistic access record: the i-th request of a small fictional day."""
    record = AccessRecord(
        request_id=f"sample-{i:06d}", method="GET", route="/v1/pupils/{upn}", client="10.0.0.7"
    )
    record.principal = OFFICER
    record.purpose = "attendance-improvement"
    record.rows_returned = i % 7
    record.subject_upns = {f"A202{i:09d}X"} if i % 3 else set()
    return record


async def append_samples(log: AuditLog, count: int, start: int = 0) -> list[int]:
    seqs = []
    for i in range(start, start + count):
        appended = await log.append(sample_record(i), status=200 if i % 5 else 403, duration_s=0.002)
        seqs.append(appended.seq)
    return seqs


def _copy_settings(settings: Settings, database_name: str) -> Settings:
    return settings.model_copy(update={"database_name": database_name})


def fresh_database(settings: Settings, name: str, template: str | None = None) -> DatabaseUrls:
    """Drop and create database `name` on the test server (from `template` if given)."""
    server_url = start_embedded(settings.pg_data_dir)
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if template is not None:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(template)
                )
            )
    return resolve_database(_copy_settings(settings, name))


TEMPLATE_EVENTS = 120


@pytest.fixture(scope="session")
def tamper_template(settings: Settings, db_urls: DatabaseUrls) -> str:
    """A migrated database holding 120 events, checkpoints at 50, 100 and 120: copied for each tamper test."""
    name = f"{settings.database_name}_audit_tpl"
    urls = fresh_database(settings, name)
    upgrade(urls, settings.app_db_role)

    async def fill() -> None:
        pool = create_pool(urls.app, 1, 2)
        await pool.open(wait=True)
        try:
            log = AuditLog.from_settings(settings.audit, pool)
            await log.register_key()
            for i in range(TEMPLATE_EVENTS):
                await append_samples(log, 1, start=i)
                await log.signing_idle()  # so the checkpoints fall exactly at 50 and 100
            await log.close()  # and the last one at 120
        finally:
            await pool.close()

    asyncio.run(fill())
    return name


@pytest.fixture
def tampered_db(settings: Settings, tamper_template: str) -> Iterator[DatabaseUrls]:
    """A private copy of the template log that a test may attack as superuser."""
    name = f"{settings.database_name}_audit_victim"
    urls = fresh_database(settings, name, template=tamper_template)
    yield urls
    fresh_database(settings, name)  # leave an empty database behind, not a tampered log
