"""The `gateway` command line: database, data, tokens, audit and the server."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

import click

from gateway.settings import Settings, load_settings

# Subcommand groups live beside the code they drive; they are imported only when used.
LAZY_COMMANDS: dict[str, str] = {
    "synth": "gateway.synth.cli:synth",
    "ingest": "gateway.ingest.cli:ingest",
    "feed": "gateway.ingest.cli:feed",
    "tokens": "gateway.auth.cli:tokens",
    "idp": "gateway.idp.cli:idp",
    "policies": "gateway.policy.cli:policies",
    "pseudonyms": "gateway.reidentify:pseudonyms",  # the keyring group, with re-identification added
    "audit": "gateway.audit.cli:audit",
    "demo": "gateway.demo:demo",
    "backup": "gateway.ops.cli:backup",
    "restore": "gateway.ops.cli:restore",
    "doctor": "gateway.ops.cli:doctor",
    "provision-keys": "gateway.ops.cli:provision_keys",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS:
            module_name, attr = LAZY_COMMANDS[cmd_name].split(":")
            command = getattr(importlib.import_module(module_name), attr)
            if not isinstance(command, click.Command):
                raise TypeError(f"{LAZY_COMMANDS[cmd_name]} is not a click command")
            return command
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup)
@click.pass_context
def main(ctx: click.Context) -> None:
    """Privacy-governed gateway for England's school attendance data."""
    ctx.obj = load_settings()


def settings_from(ctx: click.Context) -> Settings:
    """The settings the `gateway` group put on the context (stage CLIs use click's pass decorator)."""
    settings = ctx.find_object(Settings)
    if settings is None:
        raise click.UsageError("no settings on the command context")
    return settings


@main.group()
def db() -> None:
    """Database: migrations and connection details."""


@db.command("upgrade")
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """Create or update the schema (idempotent)."""
    from gateway.db.migrate import current_revision, upgrade
    from gateway.db.urls import resolve_database
    from gateway.observability import configure_logging

    settings = settings_from(ctx)
    configure_logging(settings.log_level, settings.log_json)
    urls = resolve_database(settings)
    upgrade(urls, settings.app_db_role)
    click.echo(f"schema at revision {current_revision(urls)}")


@db.command("url")
@click.option("--app", "as_app", is_flag=True, help="The application role's URL instead of the owner's.")
@click.pass_context
def db_url(ctx: click.Context, as_app: bool) -> None:
    """Print the database URL (starting the embedded server if needed, and leaving it running)."""
    from gateway.db.urls import resolve_database

    urls = resolve_database(settings_from(ctx), keep_embedded=True)
    click.echo(urls.app if as_app else urls.admin)


@db.command("status")
@click.pass_context
def db_status(ctx: click.Context) -> None:
    """Whether the embedded PostgreSQL runs, and which processes hold it."""
    from gateway.ops.cli import db_status_command

    db_status_command(settings_from(ctx))


@db.command("stop")
@click.option("--force", is_flag=True, help="Stop it even while gateway processes still hold it.")
@click.pass_context
def db_stop(ctx: click.Context, force: bool) -> None:
    """Stop the embedded PostgreSQL (refused while a running gateway holds it, unless --force)."""
    from gateway.ops.cli import db_stop_command

    db_stop_command(settings_from(ctx), force=force)


@main.command()
@click.option("--host", default=None, help="Interface to listen on (default from settings: 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default from settings: 8000).")
@click.option("--workers", type=int, default=1, show_default=True)
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None, workers: int) -> None:
    """Run the gateway under uvicorn."""
    import uvicorn

    from gateway.db.urls import embedded_lifetime
    from gateway.edge.serving import UVICORN_OPTIONS

    settings = settings_from(ctx)
    ctx.with_resource(embedded_lifetime(settings))  # workers join it; stopped when serve exits
    uvicorn.run(
        "gateway.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        **UVICORN_OPTIONS,
    )


def openapi_document(app: Any) -> str:
    """The app's OpenAPI document as stable, sorted JSON text (what `make openapi` commits)."""
    from litestar.serialization import encode_json

    document = json.loads(encode_json(app.openapi_schema.to_schema()))
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


@main.command()
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Write here instead of stdout.")
@click.pass_context
def openapi(ctx: click.Context, out: Path | None) -> None:
    """Print the OpenAPI document the app serves."""
    from gateway.app import create_app

    text = openapi_document(create_app(settings_from(ctx)))
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text)
        click.echo(f"wrote {out}")


if __name__ == "__main__":
    main()
