"""`gateway policies` on a bundle that does not compile, an undecidable input, and a failing Rego test."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.policy.conftest import POLICIES
from tests.policy.test_cli import run
from tests.policy.test_engine import write_module


def test_revision_of_a_bundle_that_does_not_compile_is_an_error(tmp_path: Path) -> None:
    bundle = tmp_path / "policies"
    shutil.copytree(POLICIES, bundle)
    write_module(bundle, "package gateway\n\ndecision := {\n")
    code, output = run(bundle, "revision")
    assert code == 1
    assert output.startswith("Error: the policy bundle does not compile: ")


def test_decide_reports_an_undefined_decision(tmp_path: Path) -> None:
    bundle = tmp_path / "policies"
    shutil.copytree(POLICIES, bundle)
    write_module(bundle, 'package gateway\n\ndecision := {"allow": false} if input.never\n')
    assert run(bundle, "decide", "-", stdin="{}") == (1, "Error: the decision is undefined\n")


def test_a_failing_rego_test_is_named_and_fails_the_command(tmp_path: Path) -> None:
    bundle = tmp_path / "policies"
    shutil.copytree(POLICIES, bundle)
    (bundle / "gateway" / "extra_test.rego").write_text("package gateway.extra_test\n\ntest_never if false\n")
    code, output = run(bundle, "test")
    assert code == 1
    assert "FAIL gateway.extra_test.test_never" in output.splitlines()
