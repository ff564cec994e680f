"""A second, independent Rego implementation (regorus, via opa-eval) must reach the same decisions as regopy.

OPA itself cannot run here (no binary ships in any reachable registry), so this is the portability check
for the policies: golden samples and generated inputs, compared document for document. regorus's sprintf
drops the space that follows a %v, so reason messages are compared with whitespace removed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import opa_eval
import pytest
import regopy
from hypothesis import HealthCheck, given, settings

from gateway.policy.bundle import load_bundle
from gateway.policy.rego_engine import RegoEngine, evaluate
from tests.policy.conftest import POLICIES
from tests.policy.test_authorisation_matrix import inputs

SAMPLES = sorted((POLICIES / "samples").glob("*.json"))


def single_module(root: Path) -> str:
    """regorus (as opa-eval wraps it) reads one file: the package's modules joined under one header."""
    bodies = []
    for text in load_bundle(root).modules.values():
        assert text.count("package gateway\n") == 1
        bodies.append(re.sub(r"^(package gateway|import rego\.v1)\n", "", text, flags=re.MULTILINE))
    return "package gateway\n\nimport rego.v1\n\n" + "\n\n".join(bodies)


@pytest.fixture(scope="module")
def regorus(tmp_path_factory: pytest.TempPathFactory) -> opa_eval.OpaEval:
    path = tmp_path_factory.mktemp("regorus") / "gateway.rego"
    path.write_text(single_module(POLICIES))
    data = json.dumps(load_bundle(POLICIES).data)
    return opa_eval.OpaEval(str(path), data_json=data, query="data.gateway.decision")


def comparable(document: Any) -> Any:
    if isinstance(document, dict):
        return {k: re.sub(r"\s+", "", v) if k == "message" else comparable(v) for k, v in document.items()}
    if isinstance(document, list):
        return [comparable(v) for v in document]
    return document


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_regorus_reaches_the_golden_decision(regorus: opa_eval.OpaEval, path: Path) -> None:
    sample = json.loads(path.read_text())
    assert comparable(regorus.evaluate_parsed(json.dumps(sample["input"]))) == comparable(sample["expected"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=inputs())
def test_both_engines_decide_alike(
    rego_engine: RegoEngine, regorus: opa_eval.OpaEval, doc: dict[str, Any]
) -> None:
    ours = evaluate(regopy.Interpreter(), rego_engine._bundle, doc)
    theirs = regorus.evaluate_parsed(json.dumps(doc))
    assert comparable(ours) == comparable(theirs)
