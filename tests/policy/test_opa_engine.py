"""The OPA engine, through opa-python-client, against an OPA server whose evaluation is OPA's own (the bridge).

The server (tests/policy/opa_server.py) speaks OPA's REST API and evaluates with OPA's Go evaluator; its
HTTP layer is ours, not OPA's server binary. What is tested for real: the client path, serving the bundle
directory as `opa run --bundle` lays it out or pushing it, result parsing, reload, health, and that an
unreachable, slow, undefined or failing server is a deny.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gateway.policy.engine import PolicyEngineError, decision_from_document
from gateway.policy.opa_engine import OPAEngine
from tests.policy.conftest import POLICIES
from tests.policy.opa_server import OPAServer

SAMPLES = sorted((POLICIES / "samples").glob("*.json"))


@pytest.fixture
def server() -> Iterator[OPAServer]:
    """An empty server: the engine pushes its bundle."""
    opa_server = OPAServer()
    yield opa_server
    opa_server.close()


@pytest.fixture
def bundle_server() -> Iterator[OPAServer]:
    """A server holding policies/ as its bundle, as docker-compose's OPA service does."""
    opa_server = OPAServer(POLICIES)
    yield opa_server
    opa_server.close()


def sample(name: str) -> dict[str, Any]:
    return json.loads((POLICIES / "samples" / f"{name}.json").read_text())  # type: ignore[no-any-return]


@pytest.mark.parametrize("push", [True, False], ids=["pushed", "served"])
async def test_the_server_decides_every_golden_sample(
    server: OPAServer, bundle_server: OPAServer, push: bool
) -> None:
    engine = OPAEngine(
        (server if push else bundle_server).url, bundle_dir=POLICIES, push_bundle=push, timeout_ms=2000
    )
    decisions = [await engine.decide(json.loads(p.read_text())["input"]) for p in SAMPLES]
    expected = [
        decision_from_document(json.loads(p.read_text())["expected"], revision=engine.revision, engine="opa")
        for p in SAMPLES
    ]
    engine.close()
    assert decisions == expected


async def test_the_engine_pushes_the_data_then_one_module_per_package(server: OPAServer) -> None:
    engine = OPAEngine(server.url, bundle_dir=POLICIES, push_bundle=True, timeout_ms=2000)
    await engine.decide(sample("dwp-extract")["input"])
    engine.close()
    assert sorted(server.modules) == ["gateway"]
    assert server.requests[:2] == [("PUT", "/v1/data/data"), ("PUT", "/v1/policies/gateway")]
    assert server.requests[-1] == ("POST", "/v1/data/gateway/decision")


async def test_reload_pushes_the_edited_bundle(server: OPAServer, tmp_path: Path) -> None:
    bundle = tmp_path / "policies"
    shutil.copytree(POLICIES, bundle)
    engine = OPAEngine(server.url, bundle_dir=bundle, push_bundle=True, timeout_ms=2000)
    allowed = sample("dwp-extract")["input"]
    assert (await engine.decide(allowed)).allow is True
    agreements = json.loads((bundle / "data" / "agreements" / "data.json").read_text())
    agreements["dwp-dea-s35"]["valid_to"] = "2025-06-30"
    (bundle / "data" / "agreements" / "data.json").write_text(json.dumps(agreements))
    before = engine.revision
    revision = await engine.reload()
    decision = await engine.decide(allowed)
    engine.close()
    assert revision != before
    assert (decision.allow, decision.reason_codes, decision.revision) == (
        False,
        ["DENY_AGREEMENT_EXPIRED"],
        revision,
    )


async def test_a_pushed_module_that_does_not_compile_is_refused(server: OPAServer, tmp_path: Path) -> None:
    bundle = tmp_path / "policies"
    shutil.copytree(POLICIES, bundle)
    engine = OPAEngine(server.url, bundle_dir=bundle, push_bundle=True, timeout_ms=2000)
    await engine.decide(sample("dwp-extract")["input"])
    (bundle / "gateway" / "scope.rego").write_text("package gateway\n\nthis is not rego\n")
    with pytest.raises(PolicyEngineError, match="refused the bundle"):
        await engine.reload()
    decision = await engine.decide(sample("dwp-extract")["input"])
    engine.close()
    assert decision.allow is True  # the server kept the bundle that compiled


async def test_health_follows_the_server(bundle_server: OPAServer) -> None:
    engine = OPAEngine(bundle_server.url, bundle_dir=POLICIES, timeout_ms=2000)
    unreachable = OPAEngine("http://127.0.0.1:9", bundle_dir=POLICIES, timeout_ms=500)
    healthy = (await engine.healthy(), await unreachable.healthy())
    engine.close()
    unreachable.close()
    assert healthy == (True, False)
    assert ("GET", "/health") in bundle_server.requests


async def test_undefined_decision_is_an_error(server: OPAServer) -> None:
    engine = OPAEngine(server.url, bundle_dir=POLICIES, push_bundle=False, timeout_ms=2000)
    with pytest.raises(PolicyEngineError, match="undefined"):
        await engine.decide(sample("dwp-extract")["input"])
    engine.close()


async def test_a_failing_server_is_an_error(server: OPAServer) -> None:
    engine = OPAEngine(server.url, bundle_dir=POLICIES, push_bundle=True, timeout_ms=2000)
    server.fail = True
    with pytest.raises(PolicyEngineError, match="failed"):
        await engine.decide(sample("dwp-extract")["input"])
    engine.close()


async def test_an_evaluation_error_is_an_error(server: OPAServer, tmp_path: Path) -> None:
    bundle = tmp_path / "policies"
    (bundle / "gateway").mkdir(parents=True)
    (bundle / "data").mkdir()
    (bundle / "data" / "data.json").write_text("{}")
    (bundle / "gateway" / "decision.rego").write_text(
        'package gateway\n\nimport rego.v1\n\ndecision := {"allow": count(input.action) > 0}\n'
    )
    engine = OPAEngine(server.url, bundle_dir=bundle, push_bundle=True, timeout_ms=2000)
    with pytest.raises(PolicyEngineError, match="failed"):
        await engine.decide({"action": 7})
    engine.close()


async def test_a_slow_server_times_out(bundle_server: OPAServer) -> None:
    bundle_server.evaluate("gateway/decision", sample("dwp-extract")["input"])  # OPA prepares its query once
    engine = OPAEngine(bundle_server.url, bundle_dir=POLICIES, timeout_ms=1000)
    await engine.decide(sample("dwp-extract")["input"])
    bundle_server.delay = 3.0
    with pytest.raises(PolicyEngineError, match="in time"):
        await engine.decide(sample("dwp-extract")["input"])
    engine.close()


async def test_an_unreachable_server_is_an_error() -> None:
    engine = OPAEngine("http://127.0.0.1:9", bundle_dir=POLICIES, timeout_ms=500)
    with pytest.raises(PolicyEngineError, match="failed"):
        await engine.decide(sample("dwp-extract")["input"])
    engine.close()


def test_the_url_must_be_http() -> None:
    with pytest.raises(ValueError, match="http"):
        OPAEngine("opa:8181", bundle_dir=POLICIES)
