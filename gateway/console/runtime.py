"""The console's long-lived parts for one app: session keys and store, and the OIDC client, built on first use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from psycopg_pool import AsyncConnectionPool

from gateway.console.oidc import OidcClient
from gateway.console.sessions import SessionKeys, SessionStore, load_session_key
from gateway.settings import Settings


@dataclass(frozen=True, slots=True)
class ConsoleRuntime:
    settings: Settings
    keys: SessionKeys
    sessions: SessionStore
    oidc: OidcClient

    @property
    def secure_cookies(self) -> bool:
        return self.settings.environment != "development"


def console_client_secret(settings: Settings) -> str:
    if settings.console.client_secret is not None:
        return settings.console.client_secret.get_secret_value()
    if settings.environment == "production":
        raise RuntimeError("GATEWAY_CONSOLE__CLIENT_SECRET is required in production")
    # Development and tests: the development identity provider's registry holds the console's secret.
    from gateway.idp.registry import CONSOLE_CLIENT_ID, load_registry

    client = load_registry(settings.idp.clients_dir, settings.idp.console_redirect_uris).get(
        CONSOLE_CLIENT_ID
    )
    assert client is not None
    return client.secret


def build_runtime(settings: Settings, pool: AsyncConnectionPool[Any]) -> ConsoleRuntime:
    """Built when the services open (the session key is read or, outside production, created)."""
    keys = SessionKeys(
        load_session_key(settings.console.session_key_file, create=settings.environment != "production")
    )
    oidc = OidcClient(
        settings.console.issuer or settings.auth.dev_idp_issuer,
        settings.console.client_id,
        console_client_secret(settings),
        settings.console.redirect_uri,
    )
    return ConsoleRuntime(settings, keys, SessionStore(pool, keys), oidc)


def console_runtime(app: Any) -> ConsoleRuntime:
    runtime = app.state.services.console
    assert isinstance(runtime, ConsoleRuntime)
    return runtime
