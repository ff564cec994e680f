"""The Rego tests beside every policy file, run through regopy (each test's input from inputs[<name>])."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import regopy

from gateway.policy.bundle import load_bundle
from tests.policy.conftest import POLICIES

TEST_RULE = re.compile(r"^(test_(?:allow|deny)_\w+) if \{", re.MULTILINE)


def rego_test_names(root: Path) -> list[str]:
    return [
        name for path in sorted(root.rglob("*_test.rego")) for name in TEST_RULE.findall(path.read_text())
    ]


class RegoTestRunner:
    """The bundle plus its test modules, with one entrypoint per test rule."""

    def __init__(self, root: Path, extra_modules: dict[str, str] | None = None) -> None:
        bundle = load_bundle(root)
        builder = regopy.Interpreter()
        modules = {**bundle.modules, **bundle.test_modules, **(extra_modules or {})}
        for name, text in sorted(modules.items()):
            builder.add_module(name, text)
        builder.add_data_json(json.dumps(bundle.data))
        self.names = sorted(
            {n for text in modules.values() if "_test" in text for n in TEST_RULE.findall(text)}
        )
        self.compiled = builder.build(
            None, ["gateway_test/inputs", *(f"gateway_test/{n}" for n in self.names)]
        )
        self.interpreter = regopy.Interpreter()
        self.inputs: dict[str, Any] = self._query("gateway_test/inputs")

    def _query(self, entrypoint: str) -> Any:
        text = str(self.interpreter.query_bundle_entrypoint(self.compiled, entrypoint))
        return None if text == "undefined" else json.loads(text)["expressions"][0]

    def passes(self, name: str) -> bool:
        self.interpreter.set_input(regopy.Input(self.inputs[name]))
        return bool(self._query(f"gateway_test/{name}") is True)


@pytest.fixture(scope="module")
def runner() -> RegoTestRunner:
    return RegoTestRunner(POLICIES)


@pytest.mark.parametrize("name", rego_test_names(POLICIES))
def test_rego_rule_holds(runner: RegoTestRunner, name: str) -> None:
    assert runner.passes(name)


def test_every_policy_file_has_a_sibling_test_file() -> None:
    policy_files = [p for p in POLICIES.rglob("*.rego") if not p.name.endswith("_test.rego")]
    assert policy_files
    missing = [str(p) for p in policy_files if not p.with_name(p.stem + "_test.rego").exists()]
    assert missing == []


def test_every_rego_test_has_its_input() -> None:
    runner = RegoTestRunner(POLICIES)
    assert sorted(runner.inputs) == sorted(rego_test_names(POLICIES))


def test_a_wrong_expectation_fails() -> None:
    wrong = {
        "gateway/wrong_test.rego": (
            "package gateway_test\n\nimport data.gateway\n\n"
            'inputs["test_deny_wrong_expectation"] := {"action": "pupils.list"}\n\n'
            'test_deny_wrong_expectation if {\n\tgateway.decision == {"allow": true}\n}\n'
        )
    }
    runner = RegoTestRunner(POLICIES, extra_modules=wrong)
    assert runner.passes("test_deny_wrong_expectation") is False
