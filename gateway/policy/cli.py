"""`gateway policies`: the bundle's revision, a decision for an input file, and the golden-sample check."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

import click

from gateway.policy.bundle import load_bundle
from gateway.policy.decision import obligations_as_dict
from gateway.policy.engine import PolicyEngineError
from gateway.policy.rego_engine import RegoEngine, compile_bundle
from gateway.settings import Settings

pass_settings = click.make_pass_decorator(Settings)


@click.group()
def policies() -> None:
    """Policy bundle: revision, decisions and golden samples."""


@policies.command("revision")
@pass_settings
def revision(gateway_settings: Settings) -> None:
    """Compile the bundle and print its revision (SHA-256 over its modules and data)."""
    settings = gateway_settings.policy
    try:
        compiled = compile_bundle(load_bundle(settings.bundle_dir), settings.entrypoint)
    except PolicyEngineError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(compiled.source.revision)


@policies.command("decide")
@click.argument("input_file", type=click.File("r"))
@pass_settings
def decide(gateway_settings: Settings, input_file: TextIO) -> None:
    """Print the decision for a policy input document (JSON; `-` reads standard input)."""
    settings = gateway_settings.policy
    engine = RegoEngine(settings.bundle_dir, entrypoint=settings.entrypoint, watch=False)
    try:
        decision = engine.evaluate(json.load(input_file))
    except PolicyEngineError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        engine.close()
    document = {
        "allow": decision.allow,
        "reasons": [r.as_dict() for r in decision.reasons],
        "obligations": obligations_as_dict(decision.obligations) if decision.allow else None,
        "revision": decision.revision,
    }
    click.echo(json.dumps(document, indent=2))


@policies.command("samples")
@pass_settings
def samples(gateway_settings: Settings) -> None:
    """Check every golden sample (policies/samples/*.json) against the embedded engine."""
    settings = gateway_settings.policy
    engine = RegoEngine(settings.bundle_dir, entrypoint=settings.entrypoint, watch=False)
    failures = 0
    paths = sorted(Path(settings.bundle_dir, "samples").glob("*.json"))
    for path in paths:
        sample = json.loads(path.read_text())
        decision = engine.evaluate(sample["input"])
        expected = sample["expected"]
        got = {
            "allow": decision.allow,
            "reasons": [r.as_dict() for r in decision.reasons],
            "obligations": obligations_as_dict(decision.obligations) if decision.allow else None,
        }
        same = got == expected
        failures += not same
        click.echo(f"{'ok  ' if same else 'FAIL'} {path.stem}")
    engine.close()
    click.echo(f"{len(paths) - failures}/{len(paths)} samples agree (revision {engine.revision[:12]})")
    if failures:
        sys.exit(1)
