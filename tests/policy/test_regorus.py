"""The regorus engine: its compiled program decides only where it agrees with the interpreter, per bundle."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from structlog.testing import capture_logs

from gateway.policy.bundle import load_bundle
from gateway.policy.engine import PolicyEngineError
from gateway.policy.probes import probe_inputs
from gateway.policy.regorus_engine import Evaluators, RegorusEngine, program_mismatches
from tests.policy.conftest import POLICIES
from tests.policy.test_engine import ALLOWED

# regorus' program adds an undefined key to a set where the interpreter (and OPA) add nothing.
PROGRAM_QUIRK = (
    "package gateway\n\nimport rego.v1\n\n"
    "nicknames contains input.principal.nickname if true\n\n"
    'decision := {"allow": false, "reasons": [{"code": "NICKNAMES", "message": sprintf("%v", [count(nicknames)])}]}\n'
)
# The compiler does not take `with` yet: the interpreter decides.
NOT_COMPILED = (
    "package gateway\n\nimport rego.v1\n\n"
    'decision := {"allow": false, "reasons": [{"code": "WITH", "message": "m"}]} if {\n'
    "\tinput.action with input.action as true\n}\n"
)


def bundle_of(tmp_path: Path, text: str) -> Path:
    (tmp_path / "gateway").mkdir(parents=True)
    (tmp_path / "gateway" / "decision.rego").write_text(text)
    return tmp_path


def test_the_real_bundle_is_decided_by_its_program(regorus_engine: RegorusEngine) -> None:
    compiled = regorus_engine._compiled
    assert (regorus_engine.program_in_use, compiled.program_mismatches) == (True, 0)


def test_program_and_interpreter_agree_on_every_probe_of_the_real_bundle(
    regorus_engine: RegorusEngine,
) -> None:
    compiled = regorus_engine._compiled
    assert compiled.program is not None
    probes = probe_inputs(compiled.source)
    evaluators = Evaluators(compiled.source, compiled.entrypoint, compiled.program, compiled.data_json)
    assert len(probes) > 500
    assert program_mismatches(evaluators, probes) == 0


def test_a_program_that_disagrees_is_not_used(tmp_path: Path) -> None:
    with capture_logs() as logs:
        engine = RegorusEngine(bundle_of(tmp_path, PROGRAM_QUIRK), watch=False)
    decision = engine.evaluate(ALLOWED)
    engine.close()
    assert (engine.program_in_use, engine._compiled.program_mismatches) == (False, 2)
    assert decision.reasons[0].message == "0"  # the interpreter's (and OPA's) answer; the program says 1
    assert [e["event"] for e in logs if e["log_level"] == "warning"] == ["policy_program_disagrees"]


def test_a_bundle_the_compiler_does_not_take_is_interpreted(tmp_path: Path) -> None:
    with capture_logs() as logs:
        engine = RegorusEngine(bundle_of(tmp_path, NOT_COMPILED), watch=False)
    decision = engine.evaluate({"action": "pupils.list"})
    engine.close()
    assert (engine.program_in_use, decision.reason_codes) == (False, ["WITH"])
    assert [e["event"] for e in logs if e["log_level"] == "warning"] == ["policy_program_unavailable"]


def test_the_program_can_be_turned_off(regorus_engine: RegorusEngine) -> None:
    engine = RegorusEngine(POLICIES, watch=False, use_program=False)
    decision, reference = engine.evaluate(ALLOWED), regorus_engine.evaluate(ALLOWED)
    engine.close()
    assert (engine.program_in_use, decision) == (False, reference)


def test_an_input_json_cannot_hold_is_refused(regorus_engine: RegorusEngine) -> None:
    for bad in ({**ALLOWED, "now": object()}, {**ALLOWED, "request": {1: "x"}}, {**ALLOWED, "n": 2**70}):
        with pytest.raises(PolicyEngineError, match="cannot be written as JSON"):
            regorus_engine.evaluate(bad)


def test_a_policy_error_is_an_engine_error(tmp_path: Path) -> None:
    text = 'package gateway\n\nimport rego.v1\n\ndecision := {"allow": count(input.action) > 0}\n'
    engine = RegorusEngine(bundle_of(tmp_path, text), watch=False)
    with pytest.raises(PolicyEngineError, match="raised an error"):
        engine.evaluate({"action": 7})
    engine.close()


def test_a_bad_entrypoint_is_refused() -> None:
    with pytest.raises(ValueError, match="data reference"):
        RegorusEngine(POLICIES, entrypoint="gateway.decision", watch=False)


def test_each_thread_decides_with_its_own_evaluators(regorus_engine: RegorusEngine) -> None:
    results: list[object] = []

    def decide() -> None:
        results.append(regorus_engine.evaluate(ALLOWED))
        results.append(id(regorus_engine.thread_state()["evaluators"]))

    worker = threading.Thread(target=decide)
    worker.start()
    worker.join()
    main_decision = regorus_engine.evaluate(ALLOWED)
    assert results[0] == main_decision
    assert results[1] != id(regorus_engine.thread_state()["evaluators"])


def test_probing_stops_at_its_budget(regorus_engine: RegorusEngine) -> None:
    compiled = regorus_engine._compiled
    assert compiled.program is not None
    evaluators = Evaluators(compiled.source, compiled.entrypoint, compiled.program, compiled.data_json)
    assert program_mismatches(evaluators, probe_inputs(compiled.source), budget_s=0.0) == 1


def test_the_revision_is_the_bundle_hash(regorus_engine: RegorusEngine) -> None:
    assert regorus_engine.revision == load_bundle(POLICIES).revision
