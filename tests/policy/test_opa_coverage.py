"""OPA's evaluator for an undefined or failing document, test discovery, and the OPA engine without a server."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gateway.policy.bundle import PolicyBundle, load_bundle
from gateway.policy.engine import PolicyEngineError
from gateway.policy.opa_bridge import opa_document, opa_evaluator, rego_tests
from gateway.policy.opa_engine import OPAEngine
from tests.policy.conftest import POLICIES

MODULE = "package t\n\nresult := 1 if input.a\n\nresult := 2 if input.b\n"


def test_an_undefined_document_is_an_undefined_decision() -> None:
    engine = opa_evaluator({"t.rego": MODULE}, {})
    try:
        with pytest.raises(PolicyEngineError, match=r"^the decision is undefined$"):
            opa_document(engine, "data.t.result", {})
        assert opa_document(engine, "data.t.result", {"a": True}) == 1
    finally:
        engine.close()


def test_two_values_for_one_rule_are_a_policy_error() -> None:
    engine = opa_evaluator({"t.rego": MODULE}, {})
    try:
        with pytest.raises(PolicyEngineError, match=r"^the policy raised an error$"):
            opa_document(engine, "data.t.result", {"a": True, "b": True})
    finally:
        engine.close()


def test_a_test_module_without_a_package_contributes_no_tests() -> None:
    bundle = PolicyBundle(Path("."), {}, {"a_test.rego": "package a_test\n\ntest_one if true\n"}, {}, "r", {})
    extra = {"loose_test.rego": "# no package line\ntest_two if true\n"}
    assert rego_tests(bundle, extra) == ["a_test.test_one"]


def test_the_entrypoint_must_be_a_data_reference() -> None:
    with pytest.raises(ValueError, match=r"^the policy entrypoint must be a data reference, not 'gateway'$"):
        OPAEngine("http://127.0.0.1:9", bundle_dir=POLICIES, entrypoint="gateway")


async def test_a_server_that_cannot_take_the_bundle_is_not_healthy() -> None:
    # Pushing the bundle is part of the session: an unreachable server fails there, and that is unhealthy.
    engine = OPAEngine("http://127.0.0.1:9", bundle_dir=POLICIES, push_bundle=True, timeout_ms=500)
    assert await engine.healthy() is False
    engine.close()


async def test_reload_without_pushing_rereads_the_bundle_and_sends_nothing(tmp_path: Path) -> None:
    bundle = tmp_path / "policies"
    shutil.copytree(POLICIES, bundle)
    engine = OPAEngine("http://127.0.0.1:9", bundle_dir=bundle, push_bundle=False)
    before = engine.revision
    decision = bundle / "gateway" / "decision.rego"
    decision.write_text(decision.read_text() + "\n# edited\n")
    assert await engine.reload() == load_bundle(bundle).revision
    assert engine.revision != before
    engine.close()
    assert engine._client is None


def test_closing_an_engine_that_never_connected_does_nothing() -> None:
    engine = OPAEngine("http://127.0.0.1:9", bundle_dir=POLICIES)
    engine.close()
    assert engine._client is None
    assert engine._closing is None
