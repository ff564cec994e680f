"""`gateway idp`: run the development identity provider and show its clients."""

from __future__ import annotations

import threading
from urllib.parse import urlsplit

import click

from gateway.settings import Settings


@click.group()
def idp() -> None:
    """Development identity provider (OpenID Connect): personas and service clients."""


def serve_in_background(settings: Settings) -> threading.Thread:
    """The provider in a daemon thread of this process (for `gateway demo`, beside the gateway)."""
    import uvicorn

    from gateway.edge.serving import UVICORN_OPTIONS
    from gateway.idp.app import create_idp_app

    issuer = urlsplit(settings.auth.dev_idp_issuer)
    config = uvicorn.Config(
        create_idp_app(settings),
        host=issuer.hostname or "127.0.0.1",
        port=issuer.port or 8001,
        **UVICORN_OPTIONS,
    )
    thread = threading.Thread(target=uvicorn.Server(config).run, name="idp", daemon=True)
    thread.start()
    return thread


pass_settings = click.make_pass_decorator(Settings)


@idp.command("serve")
@pass_settings
def serve(settings: Settings) -> None:
    """Serve the provider on the host and port of its issuer URL (auth.dev_idp_issuer)."""
    import uvicorn

    from gateway.edge.serving import UVICORN_OPTIONS
    from gateway.idp.app import create_idp_app

    if settings.environment == "production":
        raise click.ClickException("the development identity provider does not run in production")
    issuer = urlsplit(settings.auth.dev_idp_issuer)
    uvicorn.run(
        create_idp_app(settings),
        host=issuer.hostname or "127.0.0.1",
        port=issuer.port or 8001,
        **UVICORN_OPTIONS,
    )


@idp.command("clients")
@pass_settings
def clients(settings: Settings) -> None:
    """List the registered clients, their grant types and where each service client's key is."""
    from gateway.idp.registry import load_registry

    registry = load_registry(settings.idp.clients_dir, settings.idp.console_redirect_uris)
    for client in registry.clients.values():
        key = f" key {registry.client_key_file(client.client_id)}" if client.public_jwk else ""
        click.echo(f"{client.client_id:24} {','.join(client.grant_types):34}{key}")
    click.echo(f"secrets: {settings.idp.clients_dir / 'clients.json'} (mode 0600)")
