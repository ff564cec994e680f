"""`gateway pseudonyms`: create, rotate and show the pseudonym keyring (re-identification, which needs
authentication, policy and audit, is added to this group by gateway.reidentify)."""

from __future__ import annotations

from pathlib import Path

import click

from gateway.privacy.keyring import Keyring, KeyringError, load_keyring, write_keyring
from gateway.settings import Settings

pass_settings = click.make_pass_decorator(Settings)


@click.group()
def pseudonyms() -> None:
    """Pseudonym keyring and re-identification."""


@pseudonyms.command("keygen")
@pass_settings
def keygen(settings: Settings) -> None:
    """Create the keyring file with key version 1 (refuses to overwrite an existing one)."""
    path = _writable_keyring_path(settings)
    if path.exists():
        raise click.ClickException(f"a keyring already exists at {path}; use `gateway pseudonyms rotate`")
    keyring = Keyring.generate()
    write_keyring(keyring, path)
    click.echo(f"pseudonym keyring created at {path}: versions {keyring.versions}")


@pseudonyms.command("rotate")
@pass_settings
def rotate(settings: Settings) -> None:
    """Add a new key version; new tokens use it, older versions still verify and reverse."""
    path = _writable_keyring_path(settings)
    try:
        rotated = load_keyring(settings.privacy).rotated()
    except KeyringError as error:
        raise click.ClickException(str(error)) from None
    write_keyring(rotated, path)
    click.echo(f"pseudonym keyring at {path}: versions {rotated.versions}, current {rotated.current_version}")


@pseudonyms.command("show")
@pass_settings
def show(settings: Settings) -> None:
    """Print the keyring's versions (never its keys)."""
    try:
        keyring = load_keyring(settings.privacy)
    except KeyringError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"versions {keyring.versions}, current {keyring.current_version}")


def _writable_keyring_path(settings: Settings) -> Path:
    if settings.privacy.keyring_json is not None:
        raise click.ClickException(
            "the keyring comes from GATEWAY_PRIVACY__KEYRING_JSON; update the secret store instead"
        )
    return settings.privacy.keyring_file
