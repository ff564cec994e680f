"""OPA's evaluator is the reference: regorus (interpreter and compiled program) and regopy reach its decision
document byte for byte, on every golden sample and on generated inputs from the decision contract."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pytest
import regopy
from hypothesis import HealthCheck, event, given, settings

from gateway.policy.opa_bridge import opa_document
from gateway.policy.rego_engine import RegoEngine, evaluate
from gateway.policy.regorus_engine import Evaluators, RegorusEngine, input_json
from tests.policy.conftest import POLICIES
from tests.policy.strategies import decision_inputs

SAMPLES = sorted((POLICIES / "samples").glob("*.json"))
ENTRYPOINT = "data.gateway.decision"
EVERY_REASON = {
    "ALLOW_AGREEMENT", "ALLOW_SELF_SERVICE", "ALLOW_ROLE", "DENY_UNKNOWN_ACTION", "DENY_RESOURCE_MISMATCH",
    "DENY_ROLE", "DENY_ROLE_NOT_IN_AGREEMENT", "DENY_NO_AGREEMENT", "DENY_AGREEMENT_NOT_HELD",
    "DENY_ACTION_NOT_COVERED", "DENY_AGREEMENT_EXPIRED", "DENY_AGREEMENT_NOT_YET_VALID",
    "DENY_GATEWAY_REQUESTER", "DENY_PURPOSE_REQUIRED", "DENY_PURPOSE_NOT_PERMITTED", "DENY_GRANULARITY",
    "DENY_FIELD_OUTSIDE_AGREEMENT", "DENY_REASON_REQUIRED", "DENY_SCOPE_OUTSIDE_PRINCIPAL",
}  # fmt: skip


class Engines:
    """One evaluator of each kind on this thread, each returning the canonical bytes of its document."""

    def __init__(self, regorus_engine: RegorusEngine, rego_engine: RegoEngine, opa: Any) -> None:
        compiled = regorus_engine._compiled
        assert compiled.program is not None
        self.regorus = Evaluators(compiled.source, compiled.entrypoint, compiled.program, compiled.data_json)
        self.regopy = regopy.Interpreter()
        self.rego_engine = rego_engine
        self.opa = opa

    def documents(self, doc: dict[str, Any]) -> dict[str, bytes]:
        text = input_json(doc)
        return {
            "opa": canonical(opa_document(self.opa, ENTRYPOINT, doc)),
            "regorus": canonical(self.regorus.interpret(text)),
            "regorus-program": canonical(self.regorus.run_program(text)),
            "regopy": canonical(evaluate(self.regopy, self.rego_engine._compiled, doc)),
        }


def canonical(document: Any) -> bytes:
    return orjson.dumps(document, option=orjson.OPT_SORT_KEYS)


@pytest.fixture(scope="module")
def engines(regorus_engine: RegorusEngine, rego_engine: RegoEngine, opa: Any) -> Engines:
    return Engines(regorus_engine, rego_engine, opa)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_every_engine_reaches_the_golden_decision_byte_for_byte(engines: Engines, path: Path) -> None:
    sample = json.loads(path.read_text())
    documents = engines.documents(sample["input"])
    assert documents == dict.fromkeys(documents, canonical(sample["expected"]))


def test_every_engine_agrees_with_opa_on_generated_inputs(engines: Engines) -> None:
    seen: Counter[str] = Counter()

    @settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
    @given(doc=decision_inputs)
    def agree(doc: dict[str, Any]) -> None:
        documents = engines.documents(doc)
        assert documents == dict.fromkeys(documents, documents["opa"])
        decision = json.loads(documents["opa"])
        codes = {r["code"] for r in decision["reasons"]}
        event("allowed" if decision["allow"] else "denied")
        seen.update(codes | {"inputs"})

    agree()
    # The generated cases exercised the property: a thousand inputs, a fair share allowed, every reason.
    assert seen["inputs"] >= 1000
    assert seen["ALLOW_AGREEMENT"] >= 150
    assert sorted(EVERY_REASON - set(seen)) == []
