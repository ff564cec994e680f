"""The Litestar app factory: the composition root that wires every stage of the request path.

Building the app does no I/O (so `gateway openapi` needs no database): the lifespan opens the services
(database, pool, keys, policy engine) and the checkpoint signer, and closes them on shut-down."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar
from litestar.config.compression import CompressionConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.middleware.compression import CompressionMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, YamlRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.types import ControllerRouterHandler

from gateway import __version__
from gateway.api import admin, admin_pupils, attendance, benchmark, extracts, ingest, pupils
from gateway.api.api_reference import SelfHostedSwaggerUI
from gateway.api.audit import AUDIT_LOG_ROUTES
from gateway.api.audit_proofs import AUDIT_PROOF_ROUTES
from gateway.api.contract_docs import document_operations, document_properties, document_security
from gateway.api.feed_checks import FEED_CHECK_ROUTES
from gateway.api.feed_conformance import FEED_CONFORMANCE_ROUTES
from gateway.api.health import live, ready
from gateway.api.me import ME_ROUTES
from gateway.api.openapi_docs import (
    document_alternative_bodies,
    document_clean_names,
    document_http_cache,
    document_rate_limits,
    document_raw_request_bodies,
    document_streamed_responses,
)
from gateway.api.policy import POLICY_ROUTES
from gateway.api.problem_types import PROBLEM_ROUTES
from gateway.console.middleware import console_session_middleware
from gateway.console.routes import CONSOLE_ROUTES
from gateway.edge.audit_trail import EventSink, audit_trail
from gateway.edge.authentication import TokenVerifier, authentication_middleware
from gateway.edge.deprecation import deprecation_middleware
from gateway.edge.governed import GOVERNED_DEPENDENCIES
from gateway.edge.guard import check_routes_declare_policy
from gateway.edge.http_cache import http_cache_middleware
from gateway.edge.metrics import metrics, request_metrics
from gateway.edge.parameters import ParameterContract, install_parameter_contract, parameter_middleware
from gateway.edge.problems import EXCEPTION_HANDLERS
from gateway.edge.rate_limit import RateLimiter, rate_limit_middleware
from gateway.edge.request_id import request_id_middleware
from gateway.edge.tracing import configure_tracing, traced_requests
from gateway.observability import configure_logging
from gateway.services import Runtime, Services
from gateway.settings import Settings, load_settings, refuse_unsafe_production
from gateway.store.token_uses import TokenUses

# gzip for responses over a small size (Litestar's middleware, around the audit trail: see build_app).
COMPRESSION = CompressionConfig(backend="gzip", minimum_size=1024, gzip_compress_level=6)

ROUTES: tuple[ControllerRouterHandler, ...] = (
    live,
    ready,
    metrics,
    *attendance.ROUTES,
    *pupils.ROUTES,
    *benchmark.ROUTES,
    *extracts.ROUTES,
    *ingest.ROUTES,
    *POLICY_ROUTES,
    *ME_ROUTES,
    *FEED_CONFORMANCE_ROUTES,
    *FEED_CHECK_ROUTES,
    *PROBLEM_ROUTES,
    *admin.ROUTES,
    *admin_pupils.ROUTES,
    *AUDIT_LOG_ROUTES,
    *AUDIT_PROOF_ROUTES,
    *CONSOLE_ROUTES,
)


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
        # The reference page at /schema (and /schema/swagger) and the contract at /schema/openapi.json and
        # .yaml, every asset served by the gateway itself: Litestar's other pages load from a CDN.
        render_plugins=[SelfHostedSwaggerUI("/schema"), JsonRenderPlugin(), YamlRenderPlugin()],
    )


def build_app(
    runtime: Runtime,
    route_handlers: Sequence[ControllerRouterHandler],
    *,
    checkpoints: bool = True,
    authenticate: bool = True,
    openapi: OpenAPIConfig | None = None,
    contract: ParameterContract | None = None,
) -> Litestar:
    """The edge around `route_handlers`: request id and audit trail around the whole app, authentication
    before each route, the governed prologue as a dependency, problem+json for every error.

    `checkpoints=False` runs no checkpoint signer, `authenticate=False` no authentication (for the audit
    trail's own tests, whose probe routes stand in for it); the gateway itself always has both. With a
    `contract`, every non-public route's parameters are checked against it after authentication (the
    caller loads it from the finished OpenAPI document: `install_parameter_contract`)."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        async with runtime.running() as services:
            app.state.services = (
                services  # for tools and tests that reach the running services; routes use DI
            )
            signer = asyncio.create_task(services.audit.run_checkpoints()) if checkpoints else None
            try:
                yield
            finally:
                if signer is not None:
                    signer.cancel()
                with contextlib.suppress(Exception):  # drain queued events, sign the tail; never block
                    await services.audit.close()
                del app.state.services

    def provide_services() -> Services:
        return runtime.services

    def verifier() -> TokenVerifier | None:
        return runtime.services.authenticator if runtime.is_open else None

    def token_uses() -> TokenUses | None:
        return runtime.services.token_uses if runtime.is_open else None

    def limiter() -> RateLimiter | None:
        return runtime.services.rate_limiter if runtime.is_open else None

    def sink() -> EventSink | None:
        return runtime.services.audit if runtime.is_open else None

    middleware: list[DefineMiddleware | Any] = (
        [
            console_session_middleware,  # a console page's session becomes its bearer token
            DefineMiddleware(authentication_middleware, verifier=verifier, token_uses=token_uses),
            DefineMiddleware(rate_limit_middleware, limiter=limiter),  # needs the principal
        ]
        if authenticate
        else []
    )
    if contract is not None:
        middleware.append(DefineMiddleware(parameter_middleware, contract=contract))
    app = Litestar(
        route_handlers=list(route_handlers),
        middleware=middleware,
        dependencies={"services": Provide(provide_services, sync_to_thread=False), **GOVERNED_DEPENDENCIES},
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=[lifespan],
        openapi_config=openapi,
        state=State(),
        debug=False,
        logging_config=None,  # logging is ours (gateway.observability); Litestar's default would replace it
    )
    # Outside Litestar's routing and exception handling, so 404s, 405s and every error response pass them.
    # Inside the trail: caching (304, HEAD) and deprecation headers, so the trail records what is sent.
    # Outside it: gzip, which holds a response's start until its first body chunk (inside, a stream's
    # body would begin before its event is committed), and metrics, so a response the trail replaces with
    # its 503 counts as the 503 it was.
    inner = http_cache_middleware(deprecation_middleware(app.asgi_handler))
    trail = CompressionMiddleware(audit_trail(inner, sink), COMPRESSION)
    app.asgi_handler = traced_requests(request_id_middleware(request_metrics(trail)))
    return app


def create_app(settings: Settings | None = None) -> Litestar:
    """Build the gateway. Reads the environment only when no settings are passed; starts nothing."""
    settings = settings or load_settings()
    configure_logging(settings.log_level, settings.log_json)
    configure_tracing(settings.tracing_otlp_endpoint)
    refuse_unsafe_production(settings)
    contract = ParameterContract()
    app = build_app(Runtime(settings), ROUTES, openapi=openapi_config(), contract=contract)
    check_routes_declare_policy(app)  # a data route without a declared policy never starts
    document_streamed_responses(app)
    document_raw_request_bodies(app)
    document_rate_limits(app)
    document_http_cache(app)
    document_alternative_bodies(app)
    document_properties(app)
    document_operations(app)
    document_security(app)
    document_clean_names(app)  # last: operation ids and named enumerations for generated clients
    install_parameter_contract(app, contract)  # and one whose contract leaves a bound unstated neither
    return app


__all__ = ["ROUTES", "build_app", "create_app"]
