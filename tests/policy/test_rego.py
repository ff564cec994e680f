"""The Rego tests beside every policy file, run on OPA's evaluator with its coverage of the policy lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.policy.bundle import PolicyBundle, load_bundle
from gateway.policy.opa_bridge import RegoTestReport, rego_tests, run_rego_tests
from tests.policy.conftest import POLICIES

BUNDLE = load_bundle(POLICIES)


@pytest.fixture(scope="module")
def report() -> RegoTestReport:
    return run_rego_tests(BUNDLE)


@pytest.mark.parametrize("name", rego_tests(BUNDLE))
def test_rego_rule_holds(report: RegoTestReport, name: str) -> None:
    assert report.results[name] is True


def test_the_rego_tests_cover_the_policy(report: RegoTestReport) -> None:
    assert report.not_covered == {}
    assert report.coverage == 100.0
    assert report.covered_lines > 300


def test_every_policy_file_has_a_sibling_test_file() -> None:
    policy_files = [p for p in POLICIES.rglob("*.rego") if not p.name.endswith("_test.rego")]
    assert len(policy_files) == 3
    missing = [str(p) for p in policy_files if not p.with_name(p.stem + "_test.rego").exists()]
    assert missing == []


def test_every_rego_test_has_its_input(report: RegoTestReport) -> None:
    from gateway.policy.opa_bridge import opa_evaluator

    engine = opa_evaluator({**BUNDLE.modules, **BUNDLE.test_modules}, BUNDLE.data)
    inputs = engine.eval_document("gateway_test.inputs")
    engine.close()
    assert sorted(f"gateway_test.{name}" for name in inputs) == sorted(report.results)


TINY_POLICY = 'package tiny\n\nimport rego.v1\n\nallow if input.action == "read"\n\nnever_asked if {\n\tinput.nothing == 1\n}\n'


def tiny_bundle(tmp_path: Path, test_body: str) -> PolicyBundle:
    (tmp_path / "tiny").mkdir()
    (tmp_path / "tiny" / "tiny.rego").write_text(TINY_POLICY)
    (tmp_path / "tiny" / "tiny_test.rego").write_text(
        "package tiny_test\n\nimport rego.v1\n\nimport data.tiny\n\n" + test_body
    )
    return load_bundle(tmp_path)


def test_a_wrong_expectation_fails(tmp_path: Path) -> None:
    bundle = tiny_bundle(
        tmp_path, 'test_allow_write if {\n\ttiny.allow with input as {"action": "write"}\n}\n'
    )
    report = run_rego_tests(bundle)
    assert (report.results, report.failed) == (
        {"tiny_test.test_allow_write": False},
        ["tiny_test.test_allow_write"],
    )


def test_an_untested_rule_shows_in_the_coverage(tmp_path: Path) -> None:
    bundle = tiny_bundle(tmp_path, 'test_allow_read if {\n\ttiny.allow with input as {"action": "read"}\n}\n')
    report = run_rego_tests(bundle)
    assert report.failed == []
    assert report.not_covered == {"tiny/tiny.rego": [(7, 8)]}
    assert (report.covered_lines, report.not_covered_lines) == (1, 2)
