"""`gateway demo`: migrate, generate (cached) and ingest an LA-sized dataset, summarise it, then serve."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Final

import click
import psycopg

from gateway.db.urls import DatabaseUrls
from gateway.settings import Settings
from gateway.synth.generate import Manifest, SynthParams, generate

# An LA-sized dataset: 150 schools over the whole autumn term 2025.
DEMO_PARAMS: Final = SynthParams(schools=150, start=date(2025, 9, 1), end=date(2025, 12, 19), seed=2025)
_FEED_ORDER: Final = {"schools": 0, "roster": 1, "marks": 2, "corrections": 3}


class DemoDataError(RuntimeError):
    """The demo dataset could not be loaded as generated."""


@dataclass(frozen=True)
class Headline:
    """Headline figures computed from the store's per-enrolment rollup (never from raw marks)."""

    enrolments: int
    possible_sessions: int
    overall_absence_pct: float
    persistent_absence_pct: float
    severe_absence_pct: float


@dataclass(frozen=True)
class DemoSummary:
    """What the demo loaded: enough to print, and for benchmarks to know the data is in place."""

    data_dir: Path
    manifest: Manifest
    generated: bool
    generate_seconds: float
    files_ingested: int
    files_skipped: int
    ingest_seconds: float
    schools: int
    local_authorities: list[tuple[int, str, str, int]]  # code, name, region, schools
    pupils: int
    enrolments: int
    marks: int
    first_date: date | None
    last_date: date | None
    headline: Headline
    events: list[dict[str, Any]] = field(default_factory=list)


def demo_data_dir(settings: Settings, params: SynthParams = DEMO_PARAMS) -> Path:
    """Where the dataset for `params` is cached: one folder per parameter set and generator version."""
    return settings.var_dir / "demo-data" / params.key()


def ensure_dataset(folder: Path, params: SynthParams) -> tuple[Manifest, bool, float]:
    """Reuse the dataset in `folder` if complete, else generate it (atomically). Returns (manifest,
    generated, seconds)."""
    manifest_path = folder / "manifest.json"
    if manifest_path.exists():
        manifest = Manifest.read(manifest_path)
        if manifest.parameters.get("key") == params.key():
            return manifest, False, 0.0
    started = time.perf_counter()
    staging = folder.with_name(f"{folder.name}.tmp-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    manifest = generate(params, staging)
    shutil.rmtree(folder, ignore_errors=True)
    staging.rename(folder)
    return manifest, True, time.perf_counter() - started


def feed_files(folder: Path, manifest: Manifest) -> list[tuple[Path, str, str]]:
    """(path, kind, sha256) in load order: schools, roster, then each day's marks before its corrections."""
    entries = sorted(
        manifest.files, key=lambda f: (_FEED_ORDER[f["kind"]] > 1, f.get("date", ""), _FEED_ORDER[f["kind"]])
    )
    return [(folder / f["name"], f["kind"], f["sha256"]) for f in entries]


def already_ingested(urls: DatabaseUrls) -> set[tuple[str, str]]:
    """(source name, content SHA-256) of every batch the store finished."""
    with psycopg.connect(urls.admin) as conn:
        rows = conn.execute(
            "SELECT source_name, content_sha256 FROM ingest_batches WHERE finished_at IS NOT NULL"
        ).fetchall()
    return {(str(name), str(digest)) for name, digest in rows}


# Who the demo's batches say made and sent them (the feed conformance record, /console/feed): the generator
# stands in for the schools' MIS and the loader for the sending aggregator, named as what they are.
DEMO_MIS_PRODUCT: Final = "Synthetic MIS (demo generator)"
DEMO_SENDER: Final = "demo-loader"


def ingest_files(
    urls: DatabaseUrls,
    files: Sequence[tuple[Path, str, str]],
    progress: Callable[[str], None] | None = None,
    generator_version: str | None = None,
) -> tuple[int, int, float]:
    """Ingest the files not yet loaded (ingest is idempotent anyway: this only saves time), each recorded as
    made by DEMO_MIS_PRODUCT at `generator_version` and sent by DEMO_SENDER. Returns (ingested, skipped,
    seconds)."""
    done = already_ingested(urls)
    todo = [(path, kind) for path, kind, digest in files if (path.name, digest) not in done]
    started = time.perf_counter()
    if todo:
        asyncio.run(_ingest(urls.admin, todo, generator_version, progress))
    return len(todo), len(files) - len(todo), time.perf_counter() - started


async def _ingest(
    url: str, todo: list[tuple[Path, str]], version: str | None, progress: Callable[[str], None] | None
) -> None:
    from gateway.ingest.feed import FeedKind, FeedOrigin
    from gateway.ingest.run import ingest_source
    from gateway.ingest.source import Source

    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        for number, (path, kind) in enumerate(todo, start=1):
            expected = FeedKind.MARKS if kind == "corrections" else FeedKind(kind)
            origin = FeedOrigin(mis_product=DEMO_MIS_PRODUCT, mis_version=version, sender=DEMO_SENDER)
            summary = await ingest_source(conn, Source.from_path(path), expected, origin=origin)
            if summary.rejected:
                # Generated data must load whole: a reject here is a generator or ingest bug.
                raise DemoDataError(f"{path.name}: {summary.rejected} rows rejected ({summary.reasons})")
            if progress is not None and (number % 10 == 0 or number == len(todo)):
                progress(f"  ingested {number}/{len(todo)} files ({path.name})")


def headline(conn: psycopg.Connection[Any]) -> Headline:
    """Overall, persistent (>= 10%) and severe (>= 50%) absence per enrolment over everything loaded."""
    row = conn.execute(
        """
        WITH per_enrolment AS (
            SELECT enrolment_id, sum(possible) AS possible, sum(authorised + unauthorised) AS absent
            FROM enrolment_week GROUP BY enrolment_id HAVING sum(possible) > 0
        )
        SELECT count(*), coalesce(sum(possible), 0), coalesce(sum(absent), 0),
               count(*) FILTER (WHERE absent * 10 >= possible), count(*) FILTER (WHERE absent * 2 >= possible)
        FROM per_enrolment
        """
    ).fetchone()
    assert row is not None
    enrolments, possible, absent, persistent, severe = (int(v) for v in row)

    def pct(numerator: int, denominator: int) -> float:
        return round(100.0 * numerator / denominator, 2) if denominator else 0.0

    return Headline(
        enrolments=enrolments,
        possible_sessions=possible,
        overall_absence_pct=pct(absent, possible),
        persistent_absence_pct=pct(persistent, enrolments),
        severe_absence_pct=pct(severe, enrolments),
    )


def _store_counts(urls: DatabaseUrls) -> dict[str, Any]:
    with psycopg.connect(urls.admin) as conn:
        las = conn.execute(
            """SELECT s.la_code, la.name, la.region, count(*) FROM schools s
               JOIN local_authorities la USING (la_code) GROUP BY 1, 2, 3 ORDER BY 1"""
        ).fetchall()
        counts = conn.execute(
            """SELECT (SELECT count(*) FROM schools), (SELECT count(*) FROM pupils),
                      (SELECT count(*) FROM enrolments), (SELECT count(*) FROM marks),
                      (SELECT min(date) FROM school_day_group), (SELECT max(date) FROM school_day_group)"""
        ).fetchone()
        assert counts is not None
        return {
            "las": [(int(c), str(n), str(r), int(k)) for c, n, r, k in las],
            "schools": int(counts[0]),
            "pupils": int(counts[1]),
            "enrolments": int(counts[2]),
            "marks": int(counts[3]),
            "first_date": counts[4],
            "last_date": counts[5],
            "headline": headline(conn),
        }


def prepare_demo_data(
    settings: Settings, params: SynthParams = DEMO_PARAMS, progress: Callable[[str], None] | None = None
) -> DemoSummary:
    """Database up and migrated, dataset generated (or reused) and ingested (or already there)."""
    from gateway.db.migrate import upgrade
    from gateway.db.urls import resolve_database

    urls = resolve_database(settings)
    upgrade(urls, settings.app_db_role)
    folder = demo_data_dir(settings, params)
    folder.parent.mkdir(parents=True, exist_ok=True)
    manifest, generated, generate_seconds = ensure_dataset(folder, params)
    if progress is not None:
        verb = f"generated in {generate_seconds:.1f} s" if generated else "cached"
        progress(f"dataset {folder} ({verb})")
    ingested, skipped, ingest_seconds = ingest_files(
        urls, feed_files(folder, manifest), progress, manifest.generator_version
    )
    store = _store_counts(urls)
    return DemoSummary(
        data_dir=folder,
        manifest=manifest,
        generated=generated,
        generate_seconds=generate_seconds,
        files_ingested=ingested,
        files_skipped=skipped,
        ingest_seconds=ingest_seconds,
        schools=store["schools"],
        local_authorities=store["las"],
        pupils=store["pupils"],
        enrolments=store["enrolments"],
        marks=store["marks"],
        first_date=store["first_date"],
        last_date=store["last_date"],
        headline=store["headline"],
        events=manifest.events,
    )


def describe_event(event: dict[str, Any]) -> str:
    if event["kind"] == "strike":
        return (
            f"strike day {event['date']}: {len(event['closed_urns'])} schools closed (Y4), "
            f"{len(event['restricted_urns'])} restricted (Y3 for year groups sent home)"
        )
    if event["kind"] == "religious_festival":
        return f"{event['name']} on {event['date']}: religious observance (R) among pupils who celebrate it"
    label = {"planned_closure": "planned closure (#)", "unexpected_closure": "unexpected closure (Y4)"}
    return f"{label.get(event['kind'], event['kind'])} at URN {event['urn']} on {event['date']}"


def summary_lines(summary: DemoSummary) -> list[str]:
    """The human summary printed before the server starts (counts and events only, no pupil data)."""
    h = summary.headline
    return [
        "Attendance gateway demo: loaded",
        f"  data        {summary.data_dir} ({summary.files_ingested} files ingested in "
        f"{summary.ingest_seconds:.1f} s, {summary.files_skipped} already loaded)",
        f"  schools     {summary.schools} in {len(summary.local_authorities)} local authorities:",
        *(
            f"                {code} {name} ({region}): {n} schools"
            for code, name, region, n in summary.local_authorities
        ),
        f"  pupils      {summary.pupils:,} ({summary.enrolments:,} enrolments)",
        f"  marks       {summary.marks:,} sessions from {summary.first_date} to {summary.last_date} "
        f"({summary.manifest.counts['school_days']} school days, "
        f"{summary.manifest.counts['corrections']:,} later corrections applied)",
        f"  headline    overall absence {h.overall_absence_pct}%, persistent absence {h.persistent_absence_pct}%, "
        f"severe absence {h.severe_absence_pct}% of {h.enrolments:,} enrolments",
        "  events",
        *(f"                {describe_event(e)}" for e in summary.events),
    ]


def example_school(manifest: Manifest, folder: Path) -> tuple[int, int]:
    """An LA code and one of its secondary schools (or any school) for the example tokens."""
    import csv

    la_code = int(manifest.local_authorities[0]["la_code"])
    with (folder / "schools.csv").open(encoding="utf-8", newline="") as stream:
        schools = [row for row in csv.DictReader(stream) if int(row["la_code"]) == la_code]
    secondary = [row for row in schools if row["phase"] == "secondary"] or schools
    return la_code, int(secondary[0]["urn"])


def sign_in_lines(
    settings: Settings, la_code: int, urn: int, period: tuple[date, date] | None = None
) -> list[str]:
    """How to sign in: the console, the identity provider's discovery URL and a client-credentials call."""
    if importlib.util.find_spec("gateway.idp.instructions") is None:
        return ["Sign-in: the development identity provider is not available in this build."]
    instructions = importlib.import_module("gateway.idp.instructions")
    lines: list[str] = instructions.sign_in_lines(settings, la_code, urn, period)
    return lines


def serve(settings: Settings) -> None:
    import uvicorn

    from gateway.edge.serving import UVICORN_OPTIONS

    uvicorn.run(
        "gateway.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        **UVICORN_OPTIONS,
    )


@click.command()
@click.option("--no-serve", is_flag=True, help="Load and summarise only; do not start the server.")
@click.option(
    "--keep-database",
    is_flag=True,
    help="Leave the embedded PostgreSQL running on exit (gateway db stop stops it).",
)
@click.pass_context
def demo(ctx: click.Context, no_serve: bool, keep_database: bool) -> None:
    """Load an LA-sized synthetic dataset (150 schools, autumn 2025) and serve the gateway on it."""
    from gateway.db.urls import embedded_lifetime
    from gateway.observability import configure_logging

    settings = ctx.find_object(Settings)
    if settings is None:  # the `gateway` group puts Settings on the context before any subcommand runs
        raise click.UsageError("no settings on the command context")
    # Loading prints its own progress; per-batch ingest logs would bury it.
    configure_logging("WARNING", settings.log_json)
    # The embedded database lives as long as the demo (Ctrl-C included) unless asked to keep it.
    ctx.call_on_close(
        lambda: click.echo(database_farewell(settings), err=True)
    )  # runs last: after the lifetime below
    ctx.with_resource(embedded_lifetime(settings, keep=keep_database))
    try:
        summary = prepare_demo_data(settings, progress=click.echo)
    except DemoDataError as exc:
        raise click.ClickException(str(exc)) from exc
    for line in summary_lines(summary):
        click.echo(line)
    la_code, urn = example_school(summary.manifest, summary.data_dir)
    period = (summary.first_date, summary.last_date) if summary.first_date and summary.last_date else None
    for line in sign_in_lines(settings, la_code, urn, period):
        click.echo(line)
    if no_serve:
        return
    click.echo(f"Serving on http://{settings.host}:{settings.port} (Ctrl-C to stop)")
    configure_logging(settings.log_level, settings.log_json)
    if settings.environment != "production":
        from gateway.idp.cli import serve_in_background

        serve_in_background(settings)  # the development identity provider, beside the gateway
    serve(settings)


def database_farewell(settings: Settings) -> str:
    """What became of the embedded database as the demo exits (said after the lifetime above has ended)."""
    if settings.database_url:
        return "database: external (DATABASE_URL), left as it is"
    from gateway.db.embedded import status

    state = status(settings.pg_data_dir)
    if not state.running:
        return f"database: embedded PostgreSQL in {state.data_dir} stopped"
    why = "kept" if state.kept else "still held by " + ", ".join(h.describe() for h in state.holders)
    return f"database: embedded PostgreSQL in {state.data_dir} left running ({why}; gateway db stop stops it)"
