"""`gateway ingest FILE...` and `gateway feed check FILE...`."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import click
import psycopg

from gateway.ingest.feed import FeedError
from gateway.observability import configure_logging
from gateway.settings import Settings


def _admin_url(ctx: click.Context) -> str:
    settings = ctx.find_object(Settings)
    if settings is None:  # the `gateway` group puts Settings on the context before any subcommand runs
        raise click.UsageError("no settings on the command context")
    from gateway.db.urls import resolve_database

    configure_logging(settings.log_level, settings.log_json)
    return resolve_database(settings).admin


@click.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--rebuild-rollups",
    is_flag=True,
    help="Recompute the rollups, term rows and cells from raw marks afterwards.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per file instead of a table.")
@click.pass_context
def ingest(ctx: click.Context, files: tuple[Path, ...], rebuild_rollups: bool, as_json: bool) -> None:
    """Load feed files (schools, rosters, marks; CSV or NDJSON, optionally gzipped) into the store.

    Each file is one all-or-nothing batch. Files are loaded schools first, then rosters, then marks;
    within a kind by name without suffixes (a day's marks before its -corrections file).
    Bad rows are kept in ingest_rejects with their reason; they do not fail the batch.
    """
    from gateway.ingest.run import ingest_paths
    from gateway.store.rollups import rebuild_rollups as rebuild
    from gateway.store.terms import rebuild_terms

    if not files and not rebuild_rollups:
        raise click.UsageError("give at least one FILE, or --rebuild-rollups")
    url = _admin_url(ctx)
    try:
        summaries = asyncio.run(ingest_paths(url, list(files)))
    except (FeedError, psycopg.Error) as exc:
        click.echo(f"ingest failed, batch rolled back: {exc}", err=True)
        sys.exit(1)
    for s in summaries:
        if as_json:
            click.echo(json.dumps(s.as_dict(), sort_keys=True))
        else:
            reasons = ", ".join(f"{k} {v}" for k, v in s.reasons.items()) or "none"
            click.echo(
                f"{s.source_name} ({s.kind}, batch {s.batch_id}): accepted {s.accepted}, updated {s.updated},"
                f" unchanged {s.unchanged}, rejected {s.rejected} [{reasons}] in {s.seconds:.2f}s"
            )
    if rebuild_rollups:

        async def _rebuild() -> None:
            async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
                await rebuild(conn)
                await rebuild_terms(conn)

        asyncio.run(_rebuild())
        click.echo("rollups, term rows and cells rebuilt from marks")


@click.group()
def feed() -> None:
    """The aggregator feed contract (docs/feed.md, docs/feed.schema.json)."""


@feed.command("check")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--against-db",
    is_flag=True,
    help="Also check schools and enrolments against the store (otherwise only against files in this run).",
)
@click.option("--json", "as_json", is_flag=True, help="Print findings as JSON lines.")
@click.option(
    "--pack",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Run a feed test pack (a directory with manifest.json, e.g. docs/feed-tests) instead of FILES.",
)
@click.pass_context
def check(
    ctx: click.Context, files: tuple[Path, ...], against_db: bool, as_json: bool, pack: Path | None
) -> None:
    """Validate feed files without loading them; every problem is reported with its line. Exit 1 if any.

    With --pack, run the test pack and say pass or fail for each of its files (exit 1 on any failure)."""
    if pack is not None:
        if files or against_db:
            raise click.UsageError("--pack takes no FILES and no --against-db")
        _check_pack(pack, as_json)
        return
    if not files:
        raise click.UsageError("give FILES to check, or --pack DIR")
    from gateway.ingest.check import Known, check_files, known_from_store

    known = known_from_store(_admin_url(ctx)) if against_db else Known()
    report = check_files(list(files), known)
    for finding in report.findings:
        if as_json:
            click.echo(json.dumps({"file": finding.file, "line": finding.line, "reason": finding.reason,
                                   "text": finding.text}))  # fmt: skip
        else:
            click.echo(str(finding))
    summary = f"{report.files} file(s), {report.rows} row(s), {len(report.findings)} problem(s)"
    click.echo(summary, err=True)
    sys.exit(0 if report.ok else 1)


def _check_pack(pack: Path, as_json: bool) -> None:
    from gateway.ingest.pack import PackError, run_pack

    try:
        results = run_pack(pack)
    except PackError as exc:
        raise click.ClickException(str(exc)) from exc
    for r in results:
        verdict = "pass" if r.ok else "FAIL"
        if as_json:
            click.echo(json.dumps({"file": r.file, "pass": r.ok, "expected": r.expected.as_dict(),
                                   "found": r.found.as_dict()}))  # fmt: skip
        else:
            detail = "" if r.ok else f" (expected {r.expected.as_dict()}, found {r.found.as_dict()})"
            click.echo(
                f"{verdict} {r.file}: {r.found.accepted} accepted, {r.found.as_dict()['rejected'] or 'none'} rejected{detail}"
            )
    failed = sum(not r.ok for r in results)
    click.echo(f"{len(results)} file(s), {failed} failed", err=True)
    sys.exit(1 if failed else 0)
