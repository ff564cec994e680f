"""The composition root's container: long-lived components built once per process and shared by routes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from psycopg_pool import AsyncConnectionPool

from gateway.db.urls import DatabaseUrls
from gateway.settings import Settings


@dataclass
class Services:
    settings: Settings
    db: DatabaseUrls
    pool: AsyncConnectionPool
    # Filled by each stage's factory in gateway.app (typed loosely here to keep this module import-light).
    authenticator: Any = None
    policy_engine: Any = None
    keyring: Any = None
    audit: Any = None
    aggregate_cache: Any = None
    extras: dict[str, Any] = field(default_factory=dict)
