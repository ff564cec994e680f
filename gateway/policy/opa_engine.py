"""The OPA engine: the same bundle served by an OPA server, queried through opa-python-client."""

from __future__ import annotations

import asyncio
import contextlib
import re
from typing import Any
from urllib.parse import urlparse

import structlog
from opa_client.opa_async import AsyncOpaClient

from gateway.policy.bundle import PolicyBundle, load_bundle
from gateway.policy.decision import Decision
from gateway.policy.engine import PolicyEngineError, decision_from_document

log = structlog.get_logger("gateway.policy")


PACKAGE_LINE = re.compile(r"^package ([\w.]+)\s*$")
IMPORT_LINE = re.compile(r"^import \S.*$")


def merged_modules(bundle: PolicyBundle) -> dict[str, str]:
    """The bundle's modules joined into one module per package (package clause and imports once).

    The METADATA block above each file's package clause is left out: one module has one package clause.
    """
    imports: dict[str, list[str]] = {}
    bodies: dict[str, list[str]] = {}
    for _, text in sorted(bundle.modules.items()):
        lines = text.splitlines()
        clause = next(i for i, line in enumerate(lines) if PACKAGE_LINE.match(line))
        package = PACKAGE_LINE.match(lines[clause]).group(1)  # type: ignore[union-attr]
        body = [line for line in lines[clause + 1 :] if not IMPORT_LINE.match(line)]
        for line in lines[clause + 1 :]:
            if IMPORT_LINE.match(line) and line not in imports.setdefault(package, []):
                imports[package].append(line)
        bodies.setdefault(package, []).append("\n".join(body).strip("\n"))
    return {
        package: "\n".join([f"package {package}", "", *imports.get(package, []), "", "\n\n".join(parts), ""])
        for package, parts in bodies.items()
    }


class OPAEngine:
    """PolicyEngine on an OPA server. With `push_bundle` the gateway uploads its bundle (modules and data)
    itself; otherwise the server must already serve the same `policies/` directory."""

    name = "opa"

    def __init__(
        self,
        opa_url: str,
        *,
        bundle_dir: Any,
        entrypoint: str = "data.gateway.decision",
        timeout_ms: int = 500,
        push_bundle: bool = False,
    ) -> None:
        parsed = urlparse(opa_url)
        if parsed.scheme not in {"http", "https"} or not parsed.hostname:
            raise ValueError(f"the OPA URL must be http(s)://host:port, not {opa_url!r}")
        self.host = parsed.hostname
        self.port = parsed.port or (443 if parsed.scheme == "https" else 8181)
        self.ssl = parsed.scheme == "https"
        self.bundle_dir = bundle_dir
        if not entrypoint.startswith("data."):
            raise ValueError(f"the policy entrypoint must be a data reference, not {entrypoint!r}")
        self.package, _, self.rule = entrypoint.removeprefix("data.").rpartition(".")
        self.timeout_s = timeout_ms / 1000
        self.push_bundle = push_bundle
        self._bundle: PolicyBundle = load_bundle(bundle_dir)
        self._client: AsyncOpaClient | None = None
        self._pushed = False
        self._lock = asyncio.Lock()
        self._closing: asyncio.Task[None] | None = None

    @property
    def revision(self) -> str:
        return self._bundle.revision

    async def _session(self) -> AsyncOpaClient:
        async with self._lock:
            if self._client is None:
                client = AsyncOpaClient(
                    host=self.host, port=self.port, ssl=self.ssl, timeout=self.timeout_s, retries=0
                )
                await (
                    client._init_session()
                )  # the client's own session set-up (it is otherwise only a context manager)
                self._client = client
            if self.push_bundle and not self._pushed:
                await self._push(self._client, self._bundle)
                self._pushed = True
            return self._client

    async def _push(self, client: AsyncOpaClient, bundle: PolicyBundle) -> None:
        # Data first, then one module per package: OPA compiles each module it is given together with those
        # it holds, and modules of one package refer to each other's rules, so none compiles alone.
        for key, document in bundle.data.items():
            await client.update_or_create_data(document, key)
        for package, text in sorted(merged_modules(bundle).items()):
            await client.update_policy_from_string(text, package.replace(".", "/"), rego_compat=False)

    async def decide(self, policy_input: dict[str, Any]) -> Decision:
        try:
            client = await self._session()
            result = await asyncio.wait_for(
                client.query_rule(policy_input, self.package, self.rule), self.timeout_s
            )
        except TimeoutError as exc:
            raise PolicyEngineError("the OPA server did not answer in time") from exc
        except Exception as exc:  # any transport or server error is a failure to decide: deny
            raise PolicyEngineError(f"the OPA server failed: {type(exc).__name__}") from exc
        if not isinstance(result, dict) or "result" not in result:
            raise PolicyEngineError("the decision is undefined")
        return decision_from_document(result["result"], revision=self._bundle.revision, engine=self.name)

    async def healthy(self) -> bool:
        """Whether the server answers its health check (GET /health) with 200."""
        try:
            client = await self._session()
            return bool(await asyncio.wait_for(client.check_health(), self.timeout_s))
        except Exception:  # unreachable, refusing or slow: not healthy
            return False

    async def reload(self) -> str:
        fresh = load_bundle(self.bundle_dir)
        if self.push_bundle:
            client = await self._session()
            try:
                await self._push(client, fresh)
            except Exception as exc:
                raise PolicyEngineError(f"the OPA server refused the bundle: {type(exc).__name__}") from exc
        self._bundle = fresh
        return fresh.revision

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None and client._session is not None:
            session = client._session
            with contextlib.suppress(RuntimeError):  # no running loop: the process is ending anyway
                self._closing = asyncio.get_running_loop().create_task(session.close())
