"""`gateway backup`, `restore`, `doctor`, `provision-keys`, and what `gateway db status` / `db stop` print."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import orjson

from gateway.settings import Settings


def _settings(ctx: click.Context) -> Settings:
    obj = ctx.find_root().obj
    if not isinstance(obj, Settings):
        raise click.UsageError("settings are not loaded")
    return obj


BIN_DIR_OPTION = click.option(
    "--pg-bin",
    "bin_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder with pg_dump/pg_restore to use (default: the embedded server's, PostgreSQL 18).",
)


@click.command()
@click.option("--out", type=click.Path(path_type=Path), required=True, help="A new folder for the backup.")
@click.option(
    "--keys",
    "keys_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Also pin these public keys (the saved JSON of GET /v1/audit/keys), e.g. keys retired by rotation.",
)
@BIN_DIR_OPTION
@click.pass_context
def backup(ctx: click.Context, out: Path, keys_file: Path | None, bin_dir: Path | None) -> None:
    """Back up the store and the audit log (pg_dump, custom format) with a manifest and the pinned keys."""
    from gateway.audit.keys import load_public_keys
    from gateway.db.urls import resolve_database
    from gateway.ops.backup import BackupError, make_backup

    settings = _settings(ctx)
    extra = load_public_keys(keys_file) if keys_file else None
    try:
        manifest = make_backup(settings, resolve_database(settings), out, extra_keys=extra, bin_dir=bin_dir)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    facts = manifest.facts
    click.echo(f"backup written to {out} ({manifest.dump_bytes:,} bytes, schema {facts.schema_revision})")
    click.echo(f"  tables: {len(facts.tables)}, rows: {sum(facts.tables.values()):,}")
    click.echo(
        f"  audit events: {facts.audit.get('head_seq', 0)}, last checkpoint: {facts.audit.get('last_checkpoint_size')}"
    )
    pinned = ", ".join(k["key_id"] for k in manifest.pinned_keys) or "none (no signing key file)"
    click.echo(f"  pinned audit keys: {pinned}")
    for key in manifest.database_keys:
        if not key["pinned"]:
            click.echo(
                f"  warning: audit_keys holds {key['key_id']}, which is not pinned; if it is a retired signing key,"
                " back up again with --keys and its published public key",
                err=True,
            )


@click.command()
@click.option(
    "--from",
    "folder",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    required=True,
    help="A folder written by `gateway backup`.",
)
@BIN_DIR_OPTION
@click.pass_context
def restore(ctx: click.Context, folder: Path, bin_dir: Path | None) -> None:
    """Restore a backup into an empty database and check it against the backup's manifest."""
    from gateway.db.urls import resolve_database
    from gateway.ops.restore import RestoreError, restore_backup

    settings = _settings(ctx)
    try:
        report = restore_backup(folder, resolve_database(settings), settings.app_db_role, bin_dir=bin_dir)
    except RestoreError as error:
        raise click.ClickException(str(error)) from error
    facts = report.found
    click.echo(f"restored {folder} (backup of {report.manifest.created_at}, schema {facts.schema_revision})")
    click.echo(f"  tables: {len(facts.tables)}, rows: {sum(facts.tables.values()):,}")
    if not report.ok:
        for line in report.mismatches:
            click.echo(f"  MISMATCH {line}", err=True)
        raise click.ClickException("the restored database differs from the backup's manifest")
    click.echo("  every table's row count, the rollups and the audit head match the manifest")
    click.echo(f"next: gateway audit verify --keys {report.keys_file}")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the findings as one JSON object.")
@click.pass_context
def doctor(ctx: click.Context, as_json: bool) -> None:
    """Check this deployment's configuration and say what to fix; exits 1 if anything must be fixed."""
    import httpx

    from gateway.ops.doctor import report_lines, run_doctor

    settings = _settings(ctx)
    with httpx.Client(follow_redirects=False) as client:
        findings = run_doctor(settings, client)
    if as_json:
        document = {
            "ok": all(f.status != "fail" for f in findings),
            "findings": [f.as_dict() for f in findings],
        }
        click.echo(orjson.dumps(document).decode())
    else:
        for line in report_lines(findings):
            click.echo(line)
    if any(f.status == "fail" for f in findings):
        sys.exit(1)


@click.command("provision-keys")
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Where to create them.",
)
def provision_keys(folder: Path) -> None:
    """Create a new deployment's secret files, owner-only (0600): the audit signing and subject keys and the
    pseudonym keyring. An existing file is kept, never overwritten."""
    from gateway.audit.keys import load_or_create_signing_key, load_or_create_subject_key
    from gateway.privacy.keyring import Keyring, write_keyring

    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    signing, subject, keyring = (
        folder / "audit-signing-key.pem",
        folder / "audit-subject-key.bin",
        folder / "pseudonym-keyring.json",
    )
    existed = {path: path.exists() for path in (signing, subject, keyring)}
    load_or_create_signing_key(signing)
    load_or_create_subject_key(subject)
    if not existed[keyring]:
        write_keyring(Keyring.generate(), keyring)
    for path, was_there in existed.items():
        click.echo(f"{'kept' if was_there else 'created'} {path}")
    click.echo("configure the gateway with:")
    click.echo(f"  GATEWAY_AUDIT__SIGNING_KEY_FILE={signing}")
    click.echo(f"  GATEWAY_AUDIT__SUBJECT_KEY_FILE={subject}")
    click.echo(f"  GATEWAY_PRIVACY__KEYRING_FILE={keyring}")


def db_status_command(settings: Settings) -> None:
    """`gateway db status`."""
    if settings.database_url:
        from gateway.db.urls import redacted

        click.echo(f"external PostgreSQL ({redacted(settings.database_url)}): not managed by the gateway")
        return
    from gateway.db.embedded import status, status_lines

    for line in status_lines(status(settings.pg_data_dir)):
        click.echo(line)


def db_stop_command(settings: Settings, *, force: bool) -> None:
    """`gateway db stop`."""
    if settings.database_url:
        raise click.ClickException("DATABASE_URL is set: that server is not the gateway's to stop")
    from gateway.db.embedded import stop

    outcome = stop(settings.pg_data_dir, force=force)
    if outcome.refused_for:
        holders = ", ".join(h.describe() for h in outcome.refused_for)
        raise click.ClickException(f"still in use by {holders}: stop those first, or use --force")
    click.echo("stopped" if outcome.stopped else "not running")
