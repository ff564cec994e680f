"""An OPA server for the tests: OPA's REST API over HTTP, evaluated by OPA's own Go evaluator (the bridge).

What OPA's server binary would do for the gateway, and no more: serve a bundle directory as `opa run
--server --bundle DIR` lays it out (modules, and data.json files by directory; tests and samples left
out, as the gateway's revision leaves them out), accept policies and data pushed through the Policy and
Data APIs (PUT /v1/policies/{id}, PUT /v1/data/{path}), evaluate POST /v1/data/{path} with the request's
input, and answer GET /health. The evaluation is real OPA (v1/rego); the HTTP layer is this file's.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from gateway.policy.bundle import load_bundle
from gateway.policy.engine import PolicyEngineError
from gateway.policy.opa_bridge import opa_evaluator


class OPAServer:
    """Counts requests; can be made slow or failing for the failure tests."""

    def __init__(self, bundle_dir: Path | None = None) -> None:
        self.modules: dict[str, str] = {}
        self.data: dict[str, Any] = {}
        if bundle_dir is not None:
            bundle = load_bundle(bundle_dir)
            self.modules, self.data = dict(bundle.modules), json.loads(json.dumps(bundle.data))
        self.delay = 0.0
        self.fail = False
        self.requests: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._engine: Any = None
        self._rebuild()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def _rebuild(self) -> str | None:
        """Recompile after a change; the error text if the policies do not compile (the old engine stays)."""
        if not self.modules:
            return None
        try:
            engine = opa_evaluator(self.modules, self.data)
        except PolicyEngineError as exc:
            return str(exc)
        previous, self._engine = self._engine, engine
        if previous is not None:
            previous.close()
        return None

    def evaluate(self, path: str, policy_input: Any) -> tuple[int, dict[str, Any]]:
        from opa_bindings import OpaError, OpaUndefinedError

        with self._lock:
            if self._engine is None:
                return 200, {}
            try:
                return 200, {"result": self._engine.eval_document(path.replace("/", "."), policy_input)}
            except OpaUndefinedError:
                return 200, {}  # OPA's answer for an undefined document: no "result"
            except OpaError as exc:
                return 500, {"code": "internal_error", "message": exc.message}

    def put_policy(self, policy_id: str, text: str) -> tuple[int, dict[str, Any]]:
        with self._lock:
            previous = self.modules.get(policy_id)
            self.modules[policy_id] = text
            error = self._rebuild()
            if error is None:
                return 200, {}
            if previous is None:
                del self.modules[policy_id]
            else:
                self.modules[policy_id] = previous
            return 400, {"code": "invalid_parameter", "message": error}

    def put_data(self, path: str, document: Any) -> tuple[int, dict[str, Any] | None]:
        with self._lock:
            parts = [p for p in path.split("/") if p]
            node = self.data
            for part in parts[:-1]:
                node = node.setdefault(part, {})
            if parts:
                node[parts[-1]] = document
            elif isinstance(document, dict):
                self.data = document
            self._rebuild()
            return 204, None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("Content-Length", "0")))

            def _reply(self, status: int, document: Any = None) -> None:
                body = b"" if document is None else json.dumps(document).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    return  # the client gave up waiting (the slow-server test)

            def do_GET(self) -> None:
                server.requests.append(("GET", self.path))
                if self.path.split("?")[0] == "/health":
                    self._reply(200 if server._engine is not None else 500, {})
                else:
                    self._reply(404, {"code": "resource_not_found", "message": self.path})

            def do_PUT(self) -> None:
                server.requests.append(("PUT", self.path))
                body = self._body()
                if self.path.startswith("/v1/policies/"):
                    self._reply(*server.put_policy(self.path.removeprefix("/v1/policies/"), body.decode()))
                elif self.path.startswith("/v1/data"):
                    self._reply(*server.put_data(self.path.removeprefix("/v1/data"), json.loads(body)))
                else:
                    self._reply(404, {"code": "resource_not_found", "message": self.path})

            def do_POST(self) -> None:
                server.requests.append(("POST", self.path))
                document = json.loads(self._body() or b"{}")
                time.sleep(server.delay)
                if server.fail:
                    self._reply(500, {"code": "internal_error", "message": "eval failed"})
                elif self.path.startswith("/v1/data/"):
                    path = self.path.removeprefix("/v1/data/").split("?")[0]
                    self._reply(*server.evaluate(path, document.get("input")))
                else:
                    self._reply(404, {"code": "resource_not_found", "message": self.path})

            def log_message(self, *args: Any) -> None:
                return

        return Handler

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._engine is not None:
            self._engine.close()
