"""`gateway audit public-keys`: the configured public keys, as GET /v1/audit/keys serves them, read from the
key files (never the database). Save its output to pin the keys, and as the retired-keys file before a
signing-key rotation (docs/operations.md, "Rotate the audit signing key")."""

from __future__ import annotations

import click
import orjson

from gateway.audit.keys import configured_keys, public_key_of, read_signing_key


@click.command("public-keys")
@click.pass_context
def public_keys_command(ctx: click.Context) -> None:
    """Print the signing key's public key and the retired ones (audit.retired_keys_file) as JSON."""
    from gateway.audit.cli import _settings  # the group's module imports this one

    audit = _settings(ctx).audit
    if not audit.signing_key_file.exists():
        raise click.ClickException(f"no signing key at {audit.signing_key_file}")
    current = public_key_of(read_signing_key(audit.signing_key_file))
    keys = configured_keys(current, audit.retired_keys_file, audit.witness_keys_file)
    click.echo(orjson.dumps(keys.as_dict(), option=orjson.OPT_INDENT_2).decode())
