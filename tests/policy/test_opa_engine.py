"""The OPA engine, through opa-python-client, against a server speaking OPA's REST Data and Policy APIs.

No OPA binary can be installed on this machine (none ships in a reachable registry), so the server here
is a small HTTP server that implements the three OPA endpoints the engine uses (PUT /v1/policies/{id},
PUT /v1/data/{path}, POST /v1/data/{package}/{rule}) and evaluates with regorus, an independent Rego
engine. What is tested for real: the client path, pushing the bundle, result parsing, reload, and that
an unreachable, slow, undefined or failing server is a deny. Whether OPA proper agrees is not tested here.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import opa_eval
import pytest

from gateway.policy.decision import Decision, obligations_as_dict
from gateway.policy.engine import PolicyEngineError, decision_from_document
from gateway.policy.opa_engine import OPAEngine
from tests.policy.conftest import POLICIES
from tests.policy.test_cross_engine import comparable

SAMPLES = sorted((POLICIES / "samples").glob("*.json"))


class RegoServer:
    """OPA's REST API subset, evaluating with regorus. Counts requests; can be made slow or failing."""

    def __init__(self, workdir: Path) -> None:
        self.modules: dict[str, str] = {}
        self.data: dict[str, Any] = {}
        self.evaluator: opa_eval.OpaEval | None = None
        self.delay = 0.0
        self.fail = False
        self.workdir = workdir
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("Content-Length", "0")))

            def _reply(self, status: int, document: Any = None) -> None:
                body = b"" if document is None else json.dumps(document).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_PUT(self) -> None:
                body = self._body()
                if self.path.startswith("/v1/policies/"):
                    server.modules[self.path.removeprefix("/v1/policies/")] = body.decode()
                    server.rebuild()
                    self._reply(200, {})
                elif self.path.startswith("/v1/data/"):
                    server.data[self.path.removeprefix("/v1/data/")] = json.loads(body)
                    server.rebuild()
                    self._reply(204)

            def do_POST(self) -> None:
                document = json.loads(self._body())
                time.sleep(server.delay)
                if server.fail:
                    self._reply(400, {"code": "internal_error", "message": "eval failed"})
                elif self.path != "/v1/data/gateway/decision" or server.evaluator is None:
                    self._reply(200, {})  # OPA's answer for an undefined document: no "result"
                else:
                    self._reply(
                        200, {"result": server.evaluator.evaluate_parsed(json.dumps(document["input"]))}
                    )

            def log_message(self, *args: Any) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def rebuild(self) -> None:
        if not self.modules or "data" not in self.data:
            return
        bodies = [
            re.sub(r"^(package gateway|import rego\.v1)\n", "", t, flags=re.MULTILINE)
            for t in self.modules.values()
        ]
        path = self.workdir / "pushed.rego"
        path.write_text("package gateway\n\nimport rego.v1\n\n" + "\n\n".join(bodies))
        data = json.dumps({"data": self.data["data"]})
        self.evaluator = opa_eval.OpaEval(str(path), data_json=data, query="data.gateway.decision")

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RegoServer]:
    rego_server = RegoServer(tmp_path)
    yield rego_server
    rego_server.close()


def sample(name: str) -> dict[str, Any]:
    return json.loads((POLICIES / "samples" / f"{name}.json").read_text())  # type: ignore[no-any-return]


async def test_pushed_bundle_decides_every_golden_sample(server: RegoServer) -> None:
    engine = OPAEngine(server.url, bundle_dir=POLICIES, push_bundle=True, timeout_ms=2000)
    for path in SAMPLES:
        expected = json.loads(path.read_text())
        decision = await engine.decide(expected["input"])
        wanted = decision_from_document(
            comparable(expected["expected"]), revision=engine.revision, engine="opa"
        )
        got = decision_from_document(comparable_decision(decision), revision=engine.revision, engine="opa")
        assert got == wanted, path.stem
    engine.close()


def comparable_decision(decision: Decision) -> Any:
    return comparable(
        {
            "allow": decision.allow,
            "reasons": [r.as_dict() for r in decision.reasons],
            "obligations": obligations_as_dict(decision.obligations) if decision.allow else None,
        }
    )


async def test_reload_pushes_the_edited_bundle(server: RegoServer, tmp_path: Path) -> None:
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
    assert revision != before
    assert (decision.allow, decision.reason_codes, decision.revision) == (
        False,
        ["DENY_AGREEMENT_EXPIRED"],
        revision,
    )
    engine.close()


async def test_undefined_decision_is_an_error(server: RegoServer) -> None:
    engine = OPAEngine(server.url, bundle_dir=POLICIES, push_bundle=False, timeout_ms=2000)
    with pytest.raises(PolicyEngineError, match="undefined"):
        await engine.decide(sample("dwp-extract")["input"])
    engine.close()


async def test_a_failing_server_is_an_error(server: RegoServer) -> None:
    engine = OPAEngine(server.url, bundle_dir=POLICIES, push_bundle=True, timeout_ms=2000)
    server.fail = True
    with pytest.raises(PolicyEngineError, match="failed"):
        await engine.decide(sample("dwp-extract")["input"])
    engine.close()


async def test_a_slow_server_times_out(server: RegoServer) -> None:
    engine = OPAEngine(server.url, bundle_dir=POLICIES, push_bundle=True, timeout_ms=100)
    await engine.decide(sample("dwp-extract")["input"])
    server.delay = 0.5
    with pytest.raises(PolicyEngineError):
        await engine.decide(sample("dwp-extract")["input"])
    engine.close()


async def test_an_unreachable_server_is_an_error() -> None:
    engine = OPAEngine("http://127.0.0.1:9", bundle_dir=POLICIES, timeout_ms=500)
    with pytest.raises(PolicyEngineError):
        await engine.decide(sample("dwp-extract")["input"])
    engine.close()


def test_the_url_must_be_http() -> None:
    with pytest.raises(ValueError, match="http"):
        OPAEngine("opa:8181", bundle_dir=POLICIES)
