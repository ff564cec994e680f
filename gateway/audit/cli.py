"""`gateway audit`: verify the log (database or export) and its proofs, export it, sign a checkpoint, witness
it, and show or accept the signer's trusted head."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
import orjson
import psycopg

from gateway.audit.cli_keys import public_keys_command
from gateway.audit.keys import (
    PublicKey,
    configured_keys,
    load_public_keys,
    pin_by_fingerprint,
    public_key_of,
    read_signing_key,
)
from gateway.audit.reader import (
    ExportFile,
    db_checkpoints,
    db_cosignatures,
    db_events,
    db_head,
    db_keys,
    db_witness_keys,
    write_export,
)
from gateway.audit.verify import (
    Finding,
    Report,
    verify_consistency_document,
    verify_inclusion_document,
    verify_log,
)
from gateway.settings import Settings

if TYPE_CHECKING:
    from gateway.audit.checkpoint import Checkpoint
    from gateway.audit.log import AuditLog

T = TypeVar("T")

# The search columns must say what the hashed content says; checked in the database, 50 at a time.
COLUMN_DRIFT_SQL = """
SELECT e.seq FROM audit_events e, LATERAL (SELECT e.content::jsonb AS d) x
WHERE e.occurred_at IS DISTINCT FROM audit_time(d ->> 'time')
   OR e.request_id IS DISTINCT FROM d ->> 'request_id'
   OR e.organisation IS DISTINCT FROM d -> 'principal' ->> 'organisation'
   OR e.principal_subject IS DISTINCT FROM d -> 'principal' ->> 'subject'
   OR e.agreement IS DISTINCT FROM d ->> 'agreement'
   OR e.legal_gateway IS DISTINCT FROM d ->> 'legal_gateway'
   OR e.purpose IS DISTINCT FROM d ->> 'purpose'
   OR e.outcome IS DISTINCT FROM d ->> 'outcome'
   OR e.route IS DISTINCT FROM d ->> 'route'
ORDER BY e.seq LIMIT 50
"""

# Every pupil an event's content names must be in the subject index, and nothing else.
SUBJECT_DRIFT_SQL = """
WITH named AS (
    SELECT e.seq, decode(h, 'hex') AS subject_hash
    FROM audit_events e, jsonb_array_elements_text(e.content::jsonb -> 'subjects') AS h
)
SELECT coalesce(n.seq, i.seq) AS seq FROM named n FULL JOIN audit_subjects i USING (seq, subject_hash)
WHERE n.seq IS NULL OR i.seq IS NULL
ORDER BY 1 LIMIT 50
"""


def _settings(ctx: click.Context) -> Settings:
    obj = ctx.find_root().obj
    if not isinstance(obj, Settings):
        raise click.UsageError("settings are not loaded")
    return obj


@click.group()
def audit() -> None:
    """The tamper-evident audit log: verify, export, checkpoint, witness, the signer's head."""


audit.add_command(public_keys_command)


def verify_database(
    conn: psycopg.Connection[Any],
    keys: dict[str, PublicKey] | None = None,
    *,
    url: str | None = None,
    witness_keys: dict[str, PublicKey] | None = None,
) -> Report:
    """Verify chain, tree, checkpoints (and cosignatures, with witness keys), tree head, search columns and
    subject index in the database. Without `keys`, the keys the log itself carries are used: that proves
    nothing against whoever controls the database (Report.keys_pinned is False).

    With `url`, the per-event hashing runs in worker processes (see gateway.audit.parallel)."""
    if url is not None:
        from gateway.audit.parallel import verify_database_parallel

        report = verify_database_parallel(url, keys, witness_keys=witness_keys)
    else:
        report = verify_log(
            db_events(conn),
            db_checkpoints(conn),
            keys if keys is not None else db_keys(conn),
            db_head(conn),
            db_cosignatures(conn),
            witness_keys,
        )
    report.keys_pinned = keys is not None
    for (seq,) in conn.execute(COLUMN_DRIFT_SQL).fetchall():
        report.add(
            Finding("columns-altered", f"event {seq}: search columns disagree with its content", int(seq))
        )
    for (seq,) in conn.execute(SUBJECT_DRIFT_SQL).fetchall():
        report.add(
            Finding("index-altered", f"event {seq}: subject index disagrees with its content", int(seq))
        )
    return report


def verify_export(
    path: Path, keys: dict[str, PublicKey] | None = None, witness_keys: dict[str, PublicKey] | None = None
) -> Report:
    """Verify an NDJSON export; lines that cannot be read are findings. Without `keys`, the export's own
    keys are used (Report.keys_pinned is False)."""
    export = ExportFile(path)
    report = verify_log(
        export.events(),
        export.checkpoints,
        keys if keys is not None else export.keys,
        cosignatures=export.cosignatures,
        witness_keys=witness_keys,
    )
    report.keys_pinned = keys is not None
    for finding in export.findings:
        report.add(finding)
    return report


UNPINNED_WARNING = (
    "WARNING: no pinned keys. The checkpoints were checked against keys read from the log itself, which\n"
    "proves NOTHING against whoever controls the database: its owner can rewrite the log and sign it with a\n"
    "key of their own. Pin the gateway's keys with --keys FILE (from GET /v1/audit/keys, fetched and kept\n"
    "beforehand) or --fingerprint SHA256, or run this where the gateway's signing key is configured."
)


def resolve_pins(
    settings: Settings | None,
    keys_file: Path | None,
    fingerprints: tuple[str, ...],
    candidates: dict[str, PublicKey],
    witness: bool = False,
) -> tuple[dict[str, PublicKey] | None, str]:
    """The keys to trust and where they came from: a file, fingerprints (matched against `candidates`), or,
    with neither, what the settings configure (never the database). None when nothing is pinned."""
    if keys_file is not None or fingerprints:
        pinned = load_public_keys(keys_file) if keys_file else {}
        pinned |= pin_by_fingerprint(candidates.values(), fingerprints)
        source = " and ".join(
            x for x in ("file" if keys_file else "", "fingerprint" if fingerprints else "") if x
        )
        return pinned, f"{len(pinned)} pinned by {source}"
    if settings is None:
        return None, "none pinned"
    audit_settings = settings.audit
    if witness:
        if audit_settings.witness_keys_file is None:
            return None, "none pinned"
        keys = load_public_keys(audit_settings.witness_keys_file)
        return keys, f"{len(keys)} configured"
    current = (
        public_key_of(read_signing_key(audit_settings.signing_key_file))
        if audit_settings.signing_key_file.exists()
        else None
    )
    configured = configured_keys(current, audit_settings.retired_keys_file, None)
    if not configured.signers:
        return None, "none pinned"
    return configured.signers, f"{len(configured.signers)} configured"


def _echo_report(report: Report, as_json: bool, key_source: str, witness_source: str) -> None:
    if not report.keys_pinned:
        click.echo(UNPINNED_WARNING, err=True)
    if as_json:
        click.echo(orjson.dumps(report.as_dict()).decode())
        return
    root = report.last_root.hex() if report.last_root else "-"
    click.echo(f"events: {report.events}  checkpoints checked: {report.checkpoints}  root: {root}")
    click.echo(f"gateway keys: {key_source}  witness keys: {witness_source}")
    if report.unsigned_events:
        click.echo(
            f"unsigned: events {report.signed_size + 1}..{report.events} ({report.unsigned_events}) come after"
            " the newest verified checkpoint; no signature vouches for them yet"
        )
    if report.witness_keys_pinned:
        click.echo(
            f"witnessed: {report.cosignatures} cosignatures checked, up to size {report.witnessed_size}"
        )
    if report.ok:
        click.echo("OK: chain, tree and every checkpoint signature verify")
        return
    if report.first_bad_seq is not None:
        click.echo(f"FAILED: first bad event is {report.first_bad_seq}")
    else:
        click.echo("FAILED")
    for finding in report.findings:
        click.echo(f"  {finding.kind}: {finding.detail}")
    if report.more_findings:
        click.echo(f"  ... and {report.more_findings} more")


@audit.command("verify")
@click.option(
    "--export",
    "export_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Verify this NDJSON export instead of the database.",
)
@click.option(
    "--proof",
    "proof_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Also check an inclusion or consistency proof saved from the API (repeatable).",
)
@click.option(
    "--keys",
    "keys_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Trust only these gateway keys (the JSON of GET /v1/audit/keys).",
)
@click.option("--fingerprint", "fingerprints", multiple=True, help="Trust the gateway key with this SHA-256.")
@click.option(
    "--witness-keys",
    "witness_keys_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Check cosignatures against these witness keys.",
)
@click.option("--witness-fingerprint", "witness_fingerprints", multiple=True, help="A witness key's SHA-256.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@click.pass_context
def verify_command(
    ctx: click.Context,
    export_file: Path | None,
    proof_files: tuple[Path, ...],
    keys_file: Path | None,
    fingerprints: tuple[str, ...],
    witness_keys_file: Path | None,
    witness_fingerprints: tuple[str, ...],
    as_json: bool,
) -> None:
    """Check the chain, the Merkle tree, every checkpoint signature and (with witness keys) every
    cosignature; name the first bad event and the unsigned tail."""
    obj = ctx.find_root().obj
    settings = obj if isinstance(obj, Settings) else None  # proofs against a keys file need none
    report: Report | None = None
    proofs_only = bool(proof_files) and keys_file is not None and not fingerprints and export_file is None
    admin_url: str | None = None
    candidates: dict[str, PublicKey] = {}
    witness_candidates: dict[str, PublicKey] = {}
    if export_file is not None:
        export = ExportFile(export_file)
        candidates, witness_candidates = export.keys, export.witness_keys
    elif not proofs_only:  # proofs alone, against a keys file, need no access to the log
        from gateway.db.urls import resolve_database

        admin_url = resolve_database(_settings(ctx)).admin
        with psycopg.connect(admin_url, autocommit=True) as conn:
            candidates, witness_candidates = db_keys(conn), db_witness_keys(conn)
    pinned, key_source = resolve_pins(settings, keys_file, fingerprints, candidates)
    witness_keys, witness_source = resolve_pins(
        settings, witness_keys_file, witness_fingerprints, witness_candidates, witness=True
    )
    if export_file is not None:
        report = verify_export(export_file, pinned, witness_keys)
    elif admin_url is not None:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            report = verify_database(conn, pinned, url=admin_url, witness_keys=witness_keys)
    failed = False
    keys = pinned if pinned is not None else candidates
    if report is not None:
        _echo_report(report, as_json, key_source, witness_source)
        failed = not report.ok
    for proof_file in proof_files:
        document = orjson.loads(proof_file.read_bytes())
        problems = (
            verify_consistency_document(document, keys)
            if "from" in document and "to" in document
            else verify_inclusion_document(document, keys)
        )
        if problems:
            failed = True
            for problem in problems:
                click.echo(f"proof {proof_file.name}: FAILED: {problem}")
        else:
            click.echo(f"proof {proof_file.name}: OK")
    if failed:
        sys.exit(1)


@audit.command("export")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.pass_context
def export_command(ctx: click.Context, out: Path) -> None:
    """Write the whole log (keys, checkpoints, events) as NDJSON for offline verification."""
    from gateway.db.urls import resolve_database

    urls = resolve_database(_settings(ctx))
    with psycopg.connect(urls.admin, autocommit=True) as conn:
        count = write_export(conn, out)
    click.echo(f"wrote {count} events to {out}")


def _with_log(ctx: click.Context, action: Callable[[AuditLog], Awaitable[T]]) -> T:
    """Run `action` on this host's AuditLog (same keys and head file as the gateway), on a one-connection pool."""
    from gateway.audit.log import AuditLog
    from gateway.db.pool import create_pool
    from gateway.db.urls import resolve_database

    settings = _settings(ctx)
    urls = resolve_database(settings)

    async def run() -> T:
        pool = create_pool(urls.app, 1, 2)
        await pool.open(wait=True)
        try:
            log = AuditLog.from_settings(settings.audit, pool)
            await log.register_key()
            try:
                return await action(log)
            finally:
                await log.close()
        finally:
            await pool.close()

    return asyncio.run(run())


@audit.command("checkpoint")
@click.pass_context
def checkpoint_command(ctx: click.Context) -> None:
    """Sign a checkpoint at the trusted head now (events this host's gateway produced)."""

    async def sign(log: AuditLog) -> Checkpoint | None:
        made = await log.checkpoint()
        if made is None and log.signer.halted:
            raise click.ClickException(f"signing is stopped: {log.signer.halted}")
        return made

    made = _with_log(ctx, sign)
    click.echo("head already signed" if made is None else f"signed checkpoint at size {made.size}")


@audit.command("head")
@click.pass_context
def head_command(ctx: click.Context) -> None:
    """Show the signer's trusted head (from its file beside the signing key) and whether signing stopped."""

    async def show(log: AuditLog) -> None:
        head = log.head.load()
        if head is None:
            click.echo(f"no head file yet ({log.head.path})")
            return
        click.echo(
            f"trusted head: size {head.size}, last hash {head.last_hash.hex()}, signed {head.signed_size}"
        )
        if head.halted:
            click.echo(f"SIGNING STOPPED: {head.halted}")
            sys.exit(1)

    _with_log(ctx, show)


@audit.command("accept-head")
@click.confirmation_option(prompt="Trust every event now in the database as if this gateway had produced it?")
@click.pass_context
def accept_head_command(ctx: click.Context) -> None:
    """After investigating an alert: trust the database's head if its events chain from the trusted head,
    and resume signing. The acceptance is itself recorded in the log."""

    async def accept(log: AuditLog) -> tuple[int, int]:
        try:
            return await log.signer.accept()
        except ValueError as exc:
            raise click.ClickException(f"refused: {exc}") from None

    old, new = _with_log(ctx, accept)
    click.echo(f"trusted head moved from {old} to {new}; signing resumes")


@audit.command("witness")
@click.option(
    "--keys",
    "keys_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The gateway keys to require (default: the configured ones).",
)
@click.option(
    "--fingerprint", "fingerprints", multiple=True, help="Require the gateway key with this SHA-256."
)
@click.option("--interval", type=float, default=None, help="Keep witnessing, every this many seconds.")
@click.option("--count", type=int, default=None, help="With --interval: stop after this many rounds.")
@click.pass_context
def witness_command(
    ctx: click.Context,
    keys_file: Path | None,
    fingerprints: tuple[str, ...],
    interval: float | None,
    count: int | None,
) -> None:
    """Co-sign the newest checkpoint with the witness key, after checking it is signed by a pinned gateway
    key and that the log's events extend the last checkpoint this witness co-signed."""
    import time

    from gateway.audit.keys import load_or_create_signing_key
    from gateway.audit.witness import witness_once
    from gateway.db.urls import resolve_database

    settings = _settings(ctx)
    urls = resolve_database(settings)
    key = load_or_create_signing_key(settings.audit.witness_key_file)
    click.echo(f"witness key {public_key_of(key).key_id} (fingerprint {public_key_of(key).fingerprint})")
    rounds = 0
    while True:
        rounds += 1
        with psycopg.connect(urls.app, autocommit=True) as conn:
            pins, source = resolve_pins(settings, keys_file, fingerprints, db_keys(conn))
            if not pins:
                raise click.ClickException("no pinned gateway keys: a witness must not trust the database's")
            result = witness_once(conn, key, pins, settings.audit.witness_state_file)
        click.echo(f"{result.status}: {result.detail} (gateway keys: {source})")
        if result.status == "refused":
            sys.exit(1)
        if interval is None or (count is not None and rounds >= count):
            return
        time.sleep(interval)
