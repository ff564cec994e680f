"""`gateway policies`: revision, a decision for an input file, golden samples, lint and the Rego tests."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

import click

from gateway.policy.bundle import load_bundle
from gateway.policy.decision import obligations_as_dict
from gateway.policy.embedded import EmbeddedEngine
from gateway.policy.engine import PolicyEngineError
from gateway.settings import PolicySettings, Settings

ENGINES = click.Choice(["regorus", "regopy"])
pass_settings = click.make_pass_decorator(Settings)


@click.group()
def policies() -> None:
    """Policy bundle: revision, decisions, golden samples, lint and Rego tests."""


def embedded_engine(settings: PolicySettings, engine: str) -> EmbeddedEngine[Any]:
    if engine == "regopy":
        from gateway.policy.rego_engine import RegoEngine

        return RegoEngine(settings.bundle_dir, entrypoint=settings.entrypoint, watch=False, workers=1)
    from gateway.policy.regorus_engine import RegorusEngine

    return RegorusEngine(settings.bundle_dir, entrypoint=settings.entrypoint, watch=False, workers=1)


@policies.command("revision")
@pass_settings
def revision(gateway_settings: Settings) -> None:
    """Compile the bundle and print its revision (SHA-256 over its modules and data)."""
    settings = gateway_settings.policy
    try:
        engine = embedded_engine(settings, "regorus")
    except PolicyEngineError as exc:
        raise click.ClickException(str(exc)) from exc
    engine.close()
    click.echo(engine.revision)


@policies.command("decide")
@click.argument("input_file", type=click.File("r"))
@click.option("--engine", "engine_name", type=ENGINES, default="regorus", show_default=True)
@pass_settings
def decide(gateway_settings: Settings, input_file: TextIO, engine_name: str) -> None:
    """Print the decision for a policy input document (JSON; `-` reads standard input)."""
    engine = embedded_engine(gateway_settings.policy, engine_name)
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
@click.option("--engine", "engine_name", type=ENGINES, default="regorus", show_default=True)
@pass_settings
def samples(gateway_settings: Settings, engine_name: str) -> None:
    """Check every golden sample (policies/samples/*.json) against an embedded engine."""
    settings = gateway_settings.policy
    engine = embedded_engine(settings, engine_name)
    failures = 0
    paths = sorted(Path(settings.bundle_dir, "samples").glob("*.json"))
    for path in paths:
        sample = json.loads(path.read_text())
        decision = engine.evaluate(sample["input"])
        got = {
            "allow": decision.allow,
            "reasons": [r.as_dict() for r in decision.reasons],
            "obligations": obligations_as_dict(decision.obligations) if decision.allow else None,
        }
        same = got == sample["expected"]
        failures += not same
        click.echo(f"{'ok  ' if same else 'FAIL'} {path.stem}")
    engine.close()
    click.echo(f"{len(paths) - failures}/{len(paths)} samples agree (revision {engine.revision[:12]})")
    if failures:
        sys.exit(1)


@policies.command("lint")
@pass_settings
def lint(gateway_settings: Settings) -> None:
    """OPA's compiler and strict-mode checks, and the project's rules (gateway.policy.lint)."""
    from gateway.policy.lint import lint_bundle

    bundle = load_bundle(gateway_settings.policy.bundle_dir)
    findings = lint_bundle(bundle)
    for finding in findings:
        click.echo(str(finding))
    click.echo(f"{len(findings)} findings in {len(bundle.modules) + len(bundle.test_modules)} modules")
    if findings:
        sys.exit(1)


@policies.command("test")
@click.option("--min-coverage", type=float, default=95.0, show_default=True, help="Percent of policy lines.")
@pass_settings
def rego_test(gateway_settings: Settings, min_coverage: float) -> None:
    """Run the Rego tests on OPA's evaluator and report its line coverage of the policy modules."""
    from gateway.policy.opa_bridge import run_rego_tests

    report = run_rego_tests(load_bundle(gateway_settings.policy.bundle_dir))
    for name in report.failed:
        click.echo(f"FAIL {name}")
    for module, ranges in report.not_covered.items():
        click.echo(
            f"not covered: {module} lines " + ", ".join(f"{a}-{b}" if a != b else str(a) for a, b in ranges)
        )
    passed = len(report.results) - len(report.failed)
    click.echo(
        f"{passed}/{len(report.results)} Rego tests pass; coverage {report.coverage:.1f}% of policy lines"
    )
    if report.failed or report.coverage < min_coverage:
        sys.exit(1)
