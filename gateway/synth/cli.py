"""`gateway synth`: generate a deterministic synthetic dataset in the aggregator feed format."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import click

from gateway.synth.schools import DEFAULT_LAS


def _parse_las(value: str | None) -> tuple[int, ...]:
    if not value:
        return DEFAULT_LAS
    try:
        return tuple(int(part) for part in value.replace(" ", "").split(",") if part)
    except ValueError as exc:
        raise click.BadParameter("LA codes are 3-digit numbers separated by commas, e.g. 202,330") from exc


@click.command()
@click.option(
    "--schools", type=click.IntRange(min=1), default=150, show_default=True, help="Number of schools."
)
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), default="2025-09-01", show_default=True)
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), default="2025-12-19", show_default=True)
@click.option("--seed", type=int, default=2025, show_default=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Output folder.")
@click.option("--las", default=None, help="Comma-separated LA codes (default: six LAs in six regions).")
@click.option(
    "--strike-day", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Default: chosen mid-period."
)
def synth(
    schools: int,
    start: datetime,
    end: datetime,
    seed: int,
    out: Path,
    las: str | None,
    strike_day: datetime | None,
) -> None:
    """Generate schools, rosters and daily registers (same seed, same bytes)."""
    from gateway.synth.calendar import CalendarError
    from gateway.synth.generate import SynthParams, generate

    params = SynthParams(
        schools=schools,
        start=start.date(),
        end=end.date(),
        seed=seed,
        las=_parse_las(las),
        strike_day=strike_day.date() if strike_day else None,
    )
    began = time.perf_counter()
    try:
        manifest = generate(params, out)
    except (CalendarError, ValueError) as exc:
        raise click.UsageError(str(exc)) from exc
    counts = manifest.counts
    overall = manifest.figures["all"]
    click.echo(
        f"wrote {out}: {counts['schools']} schools, {counts['enrolments']} enrolments, {counts['marks']} marks "
        f"over {counts['school_days']} school days, {counts['corrections']} corrections "
        f"in {time.perf_counter() - began:.1f} s"
    )
    click.echo(
        f"absence {overall['overall_absence_pct']}%, persistent absence {overall['persistent_absence_pct']}%, "
        f"severe absence {overall['severe_absence_pct']}%"
    )
    for event in manifest.events:
        click.echo(f"event: {event['kind']} on {event['date']}")
