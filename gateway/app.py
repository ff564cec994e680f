"""The Litestar app factory: the composition root that wires every stage of the request path."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme

from gateway import __version__
from gateway.api import attendance, benchmark, extracts, ingest, pupils
from gateway.api.health import live, ready
from gateway.api.openapi_docs import document_raw_request_bodies, document_streamed_responses
from gateway.audit.api import AUDIT_ROUTES
from gateway.audit.log import AuditLog
from gateway.audit.middleware import audit_middleware
from gateway.auth.authenticator import Authenticator
from gateway.auth.middleware import authentication_middleware
from gateway.db.pool import create_pool
from gateway.db.urls import resolve_database
from gateway.middleware import request_id_middleware
from gateway.observability import configure_logging
from gateway.policy.factory import build_policy_engine
from gateway.policy.guard import check_routes_declare_policy
from gateway.policy.routes import POLICY_ROUTES
from gateway.privacy.keyring import Keyring, KeyringError, load_keyring, write_keyring
from gateway.problems import EXCEPTION_HANDLERS
from gateway.services import Services
from gateway.settings import Settings, load_settings
from gateway.store.cache import AggregateCache


def build_services(settings: Settings) -> Services:
    db = resolve_database(settings)
    pool = create_pool(
        db.app,
        settings.pool_min_size,
        settings.pool_max_size,
        wait_seconds=settings.pool_wait_seconds,
        reconnect_max_delay=settings.pool_reconnect_max_delay,
    )
    services = Services(settings=settings, db=db, pool=pool)
    services.authenticator = Authenticator(settings.auth)
    services.policy_engine = build_policy_engine(settings.policy)
    services.audit = AuditLog.from_settings(settings.audit, pool)
    services.keyring = pseudonym_keyring(settings)
    services.aggregate_cache = AggregateCache(settings.aggregate_cache_entries)
    return services


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


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="Attendance data gateway",
        version=__version__,
        description=(
            "The governed door to England's daily school attendance data. Every data request names a "
            "purpose and a data-sharing agreement, is decided by Rego policy, is served in the form the "
            "agreement allows, and is recorded in a tamper-evident audit log."
        ),
        components=Components(
            security_schemes={
                "bearer": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT"),
            }
        ),
        use_handler_docstrings=True,
        path="/schema",
    )


def create_app(settings: Settings | None = None) -> Litestar:
    """Build the gateway. Reads the environment only when no settings are passed."""
    settings = settings or load_settings()
    configure_logging(settings.log_level, settings.log_json)
    services = build_services(settings)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        await services.pool.open(wait=True, timeout=30)
        await services.audit.register_key()
        checkpoints = asyncio.create_task(services.audit.run_checkpoints())
        try:
            yield
        finally:
            checkpoints.cancel()
            with contextlib.suppress(Exception):  # drain queued events, sign the tail; never block shutdown
                await services.audit.close()
            await services.pool.close()
            services.policy_engine.close()

    app = Litestar(
        route_handlers=[
            live,
            ready,
            *attendance.ROUTES,
            *pupils.ROUTES,
            *benchmark.ROUTES,
            *extracts.ROUTES,
            *ingest.ROUTES,
            *POLICY_ROUTES,
            *AUDIT_ROUTES,
        ],
        middleware=[request_id_middleware, audit_middleware, authentication_middleware],
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=[lifespan],
        openapi_config=openapi_config(),
        state=_state(services),
        debug=False,
        logging_config=None,  # logging is ours (gateway.observability); Litestar's default would replace it
    )
    check_routes_declare_policy(app)
    document_streamed_responses(app)
    document_raw_request_bodies(app)  # a data route without a declared policy never starts
    return app


def _state(services: Services) -> State:
    return State({"services": services})
