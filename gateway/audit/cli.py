"""`gateway audit`: verify the log (database or export) and its proofs, export it, sign a checkpoint."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import click
import orjson
import psycopg

from gateway.audit.keys import PublicKey
from gateway.audit.reader import (
    ExportFile,
    db_checkpoints,
    db_events,
    db_head,
    db_keys,
    load_keys_file,
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
    """The tamper-evident audit log: verify, export, checkpoint."""


def verify_database(
    conn: psycopg.Connection[Any], keys: dict[str, PublicKey] | None = None, *, url: str | None = None
) -> Report:
    """Verify chain, tree, checkpoints, tree head, search columns and subject index in the database.

    With `url`, the per-event hashing runs in worker processes (see gateway.audit.parallel)."""
    if url is not None:
        from gateway.audit.parallel import verify_database_parallel

        report = verify_database_parallel(url, keys)
    else:
        report = verify_log(db_events(conn), db_checkpoints(conn), keys or db_keys(conn), db_head(conn))
    for (seq,) in conn.execute(COLUMN_DRIFT_SQL).fetchall():
        report.add(
            Finding("columns-altered", f"event {seq}: search columns disagree with its content", int(seq))
        )
    for (seq,) in conn.execute(SUBJECT_DRIFT_SQL).fetchall():
        report.add(
            Finding("index-altered", f"event {seq}: subject index disagrees with its content", int(seq))
        )
    return report


def verify_export(path: Path, keys: dict[str, PublicKey] | None = None) -> Report:
    export = ExportFile(path)
    return verify_log(export.events(), export.checkpoints, keys or export.keys)


def _echo_report(report: Report, as_json: bool) -> None:
    if as_json:
        click.echo(orjson.dumps(report.as_dict()).decode())
        return
    root = report.last_root.hex() if report.last_root else "-"
    click.echo(f"events: {report.events}  checkpoints checked: {report.checkpoints}  root: {root}")
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
    help="Trust only these keys (the JSON of GET /v1/audit/keys) instead of the ones in the log.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@click.pass_context
def verify_command(
    ctx: click.Context,
    export_file: Path | None,
    proof_files: tuple[Path, ...],
    keys_file: Path | None,
    as_json: bool,
) -> None:
    """Check the chain, the Merkle tree and every checkpoint signature; name the first bad event."""
    pinned = load_keys_file(keys_file) if keys_file else None
    failed = False
    keys: dict[str, PublicKey]
    if export_file is not None:
        report = verify_export(export_file, pinned)
        keys = pinned or ExportFile(export_file).keys
    elif proof_files and pinned is not None:
        report = None  # proofs alone, against pinned keys: no log access needed
        keys = pinned
    else:
        from gateway.db.urls import resolve_database

        urls = resolve_database(_settings(ctx))
        with psycopg.connect(urls.admin, autocommit=True) as conn:
            report = verify_database(conn, pinned, url=urls.admin)
            keys = pinned or db_keys(conn)
    if report is not None:
        _echo_report(report, as_json)
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


@audit.command("checkpoint")
@click.pass_context
def checkpoint_command(ctx: click.Context) -> None:
    """Sign a checkpoint at the current head now."""
    from gateway.audit.log import AuditLog
    from gateway.db.pool import create_pool
    from gateway.db.urls import resolve_database

    settings = _settings(ctx)
    urls = resolve_database(settings)

    async def run() -> None:
        pool = create_pool(urls.app, 1, 1)
        await pool.open(wait=True)
        try:
            log = AuditLog.from_settings(settings.audit, pool)
            await log.register_key()
            made = await log.checkpoint()
        finally:
            await pool.close()
        click.echo("head already signed" if made is None else f"signed checkpoint at size {made.size}")

    asyncio.run(run())
