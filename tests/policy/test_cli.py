"""`gateway policies`: revision, decide and the golden-sample check from the command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from gateway.cli import main
from gateway.policy.bundle import load_bundle
from tests.policy.conftest import POLICIES


def run(bundle: Path, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["policies", *args], env={"GATEWAY_POLICY__BUNDLE_DIR": str(bundle)}, input=stdin
    )
    return result.exit_code, result.output


def test_revision_is_the_bundle_hash() -> None:
    assert run(POLICIES, "revision") == (0, load_bundle(POLICIES).revision + "\n")


def test_decide_prints_the_decision() -> None:
    sample = json.loads((POLICIES / "samples" / "home-office-expired.json").read_text())
    code, output = run(POLICIES, "decide", "-", stdin=json.dumps(sample["input"]))
    document = json.loads(output)
    assert code == 0
    assert (document["allow"], document["reasons"], document["obligations"]) == (
        False, sample["expected"]["reasons"], None,
    )  # fmt: skip


def test_samples_pass_on_the_real_bundle() -> None:
    code, output = run(POLICIES, "samples")
    assert code == 0
    assert output.splitlines()[-1].startswith("21/21 samples agree")


def test_samples_fail_when_the_policy_drifts(tmp_path: Path) -> None:
    bundle = tmp_path / "policies"
    shutil.copytree(POLICIES, bundle)
    path = bundle / "data" / "agreements" / "data.json"
    data = json.loads(path.read_text())
    data["dwp-dea-s35"]["fields"].append("upn")
    path.write_text(json.dumps(data))
    code, output = run(bundle, "samples")
    assert code == 1
    assert "FAIL dwp-extract-with-names" in output


def test_lint_finds_nothing_in_the_real_bundle() -> None:
    code, output = run(POLICIES, "lint")
    assert (code, output.splitlines()[-1]) == (0, "0 findings in 9 modules")


def test_lint_reports_a_negated_call(tmp_path: Path) -> None:
    bundle = tmp_path / "policies"
    shutil.copytree(POLICIES, bundle)
    scope = bundle / "gateway" / "scope.rego"
    scope.write_text(scope.read_text().replace("\tnot principal_has_la\n", "\tnot is_number(principal_la)\n"))
    code, output = run(bundle, "lint")
    assert code == 1
    assert output.splitlines()[0] == "gateway/scope.rego:35: negated call: name the condition in a rule"


def test_rego_tests_pass_with_full_coverage() -> None:
    code, output = run(POLICIES, "test")
    assert (code, output.splitlines()[-1]) == (0, "69/69 Rego tests pass; coverage 100.0% of policy lines")


def test_rego_tests_fail_below_the_coverage_asked_for(tmp_path: Path) -> None:
    bundle = tmp_path / "policies"
    shutil.copytree(POLICIES, bundle)
    (bundle / "gateway" / "extra.rego").write_text(
        "package gateway\n\nimport rego.v1\n\nunused if input.x == 1\n"
    )
    code, output = run(bundle, "test", "--min-coverage", "100")
    assert code == 1
    assert "not covered: gateway/extra.rego lines 5" in output


def test_samples_on_regopy() -> None:
    code, output = run(POLICIES, "samples", "--engine", "regopy")
    assert code == 0
    assert output.splitlines()[-1].startswith("21/21 samples agree")
