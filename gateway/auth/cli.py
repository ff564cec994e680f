"""`gateway tokens`: make the development issuer's key and mint persona tokens signed by it."""

from __future__ import annotations

import re

import click

from gateway.auth.devissuer import keygen as make_key
from gateway.auth.devissuer import load_dev_issuer
from gateway.auth.personas import DEFAULT_LA, DEFAULT_URN, PERSONAS, persona_claims
from gateway.settings import Settings

_TTL = re.compile(r"^(\d+)([smhd]?)$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_ttl(text: str) -> int:
    match = _TTL.match(text.strip())
    if not match or int(match.group(1)) <= 0:
        raise click.BadParameter(f"{text!r} is not a duration like 30m, 1h or 2d")
    return int(match.group(1)) * _UNITS[match.group(2)]


pass_settings = click.make_pass_decorator(Settings)


@click.group()
def tokens() -> None:
    """Development issuer: keys and persona tokens."""


@tokens.command("keygen")
@click.option("--rotate", is_flag=True, help="Make a new key; old public keys stay in the JWKS.")
@pass_settings
def keygen(settings: Settings, rotate: bool) -> None:
    """Create the development issuer's Ed25519 key (idempotent without --rotate)."""
    issuer = make_key(settings.auth, rotate=rotate)
    click.echo(f"development issuer {issuer.issuer} key {issuer.kid} in {settings.auth.dev_key_dir}")


@tokens.command("issue")
@click.option("--persona", required=True, type=click.Choice(sorted(PERSONAS)))
@click.option(
    "--la", "la_code", type=int, default=DEFAULT_LA, show_default=True, help="LA code (LA personas)."
)
@click.option("--urn", type=int, default=DEFAULT_URN, show_default=True, help="School URN (school personas).")
@click.option("--ttl", default="1h", show_default=True, help="Lifetime, e.g. 30m, 1h, 2d.")
@pass_settings
def issue(settings: Settings, persona: str, la_code: int, urn: int, ttl: str) -> None:
    """Print a signed token for a persona."""
    try:
        issuer = load_dev_issuer(settings.auth)
    except FileNotFoundError as exc:
        if settings.environment == "production":
            raise click.ClickException(str(exc)) from exc
        # Outside production the key is made on first use, as the pseudonym keyring is.
        issuer = make_key(settings.auth)
    click.echo(issuer.issue(persona_claims(persona, la_code=la_code, urn=urn), ttl_seconds=parse_ttl(ttl)))


@tokens.command("personas")
def personas() -> None:
    """List the personas and what each stands for."""
    for persona in PERSONAS.values():
        click.echo(
            f"{persona.name:22} {persona.organisation_type:10} {','.join(persona.roles):22} {persona.description}"
        )
