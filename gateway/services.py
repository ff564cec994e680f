"""The composition root's services: long-lived components, opened once per process and shared by routes.

`Runtime` is what the app factory builds (no I/O: nothing is started or read); the app's lifespan opens
the services (starting the embedded database, creating keys on first start) and closes them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from psycopg_pool import AsyncConnectionPool

from gateway.audit.log import AuditLog
from gateway.auth.authenticator import Authenticator
from gateway.console.runtime import ConsoleRuntime, build_runtime
from gateway.db.pool import create_pool
from gateway.db.urls import DatabaseUrls, resolve_database
from gateway.edge.cursors import Cursors, load_or_create_cursor_key
from gateway.edge.rate_limit import RateLimiter, rate_limits_from_policy_data
from gateway.policy.bundle import load_bundle
from gateway.policy.engine import PolicyEngine
from gateway.policy.factory import build_policy_engine
from gateway.privacy.keyring import Keyring, KeyringError, load_keyring, write_keyring
from gateway.settings import Settings
from gateway.store.cache import AggregateCache
from gateway.store.token_uses import TokenUses


@dataclass(frozen=True, slots=True)
class Services:
    settings: Settings
    db: DatabaseUrls
    pool: AsyncConnectionPool[Any]
    authenticator: Authenticator
    policy_engine: PolicyEngine
    audit: AuditLog
    keyring: Keyring
    aggregate_cache: AggregateCache
    cursors: Cursors
    # Disclosure profiles by name, from the policy bundle's data: for releases that no agreement's decision
    # names a profile for (the published transparency report of the audit log).
    disclosure_profiles: Mapping[str, Mapping[str, Any]]
    # The web console's session keys and store and its OIDC client.
    console: ConsoleRuntime
    # Single-use tokens already presented (refused if presented again).
    token_uses: TokenUses
    # Per-client request limits, declared per agreement in the policy data (held in this process).
    rate_limiter: RateLimiter


class ServicesUnavailableError(RuntimeError):
    """A request arrived while the services were not open (before start-up or after shut-down)."""


def pseudonym_keyring(settings: Settings) -> Keyring:
    """The configured keyring; outside production a missing one is created (and kept) on first start."""
    try:
        return load_keyring(settings.privacy)
    except KeyringError:
        if settings.environment == "production":
            raise
        keyring = Keyring.generate()
        write_keyring(keyring, settings.privacy.keyring_file)
        return keyring


def disclosure_profiles(settings: Settings) -> dict[str, dict[str, Any]]:
    """The bundle's disclosure profiles (`data.data.disclosure_profiles`, as the Rego reads them)."""
    profiles = load_bundle(settings.policy.bundle_dir).data.get("data", {}).get("disclosure_profiles", {})
    if not isinstance(profiles, dict):
        raise ValueError("policy data disclosure_profiles must be an object of profiles")
    return profiles


@asynccontextmanager
async def open_services(settings: Settings) -> AsyncIterator[Services]:
    """Start (or connect to) the database, open the pool, load or create keys, compile the policies."""
    db = resolve_database(settings)
    pool = create_pool(
        db.app,
        settings.pool_min_size,
        settings.pool_max_size,
        wait_seconds=settings.pool_wait_seconds,
        reconnect_max_delay=settings.pool_reconnect_max_delay,
    )
    await pool.open(wait=True, timeout=30)
    try:
        audit = AuditLog.from_settings(settings.audit, pool)
        await audit.register_key()
        engine = build_policy_engine(settings.policy)
        try:
            yield Services(
                settings=settings,
                db=db,
                pool=pool,
                authenticator=Authenticator(settings.auth),
                policy_engine=engine,
                audit=audit,
                keyring=pseudonym_keyring(settings),
                aggregate_cache=AggregateCache(settings.aggregate_cache_entries),
                cursors=Cursors(load_or_create_cursor_key(settings.cursor_key_file)),
                disclosure_profiles=disclosure_profiles(settings),
                console=build_runtime(settings, pool),
                token_uses=TokenUses(pool),
                rate_limiter=RateLimiter(
                    rate_limits_from_policy_data(
                        load_bundle(settings.policy.bundle_dir).data, settings.rate_limit_default_per_minute
                    )
                ),
            )
        finally:
            engine.close()
    finally:
        await pool.close()


class Runtime:
    """The app's handle on its services: empty until the lifespan opens them."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._services: Services | None = None

    @property
    def services(self) -> Services:
        if self._services is None:
            raise ServicesUnavailableError("the gateway's services are not open")
        return self._services

    @property
    def is_open(self) -> bool:
        return self._services is not None

    @asynccontextmanager
    async def running(self) -> AsyncIterator[Services]:
        async with open_services(self.settings) as services:
            self._services = services
            try:
                yield services
            finally:
                self._services = None
