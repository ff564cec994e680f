"""The embedded engine: the bundle compiled once by regopy (rego-cpp), queried from worker threads."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gateway.policy import cxx_runtime  # noqa: F401  (must be loaded before regopy)

# isort: split
import regopy
import structlog

from gateway.policy.bundle import PolicyBundle, file_mtimes, load_bundle
from gateway.policy.cache import DecisionCache, cache_key
from gateway.policy.decision import Decision
from gateway.policy.engine import PolicyEngineError, decision_from_document

log = structlog.get_logger("gateway.policy")


@dataclass(frozen=True, slots=True)
class CompiledBundle:
    source: PolicyBundle
    compiled: regopy.Bundle
    entrypoint: str  # regopy form, e.g. "gateway/decision"


def entrypoint_path(entrypoint: str) -> str:
    """`data.gateway.decision` -> `gateway/decision` (regopy's entrypoint form)."""
    if not entrypoint.startswith("data.") or len(entrypoint) <= len("data."):
        raise ValueError(f"the policy entrypoint must be a data reference, not {entrypoint!r}")
    return entrypoint.removeprefix("data.").replace(".", "/")


def compile_bundle(source: PolicyBundle, entrypoint: str) -> CompiledBundle:
    """Add every module and the data document to a builder interpreter and build the bundle once."""
    builder = regopy.Interpreter()
    try:
        for name, text in sorted(source.modules.items()):
            builder.add_module(name, text)
        builder.add_data_json(json.dumps(source.data))
        path = entrypoint_path(entrypoint)
        compiled = builder.build(None, [path])
    except regopy.RegoError as exc:
        raise PolicyEngineError(f"the policy bundle does not compile: {str(exc)[:2000]}") from exc
    if not compiled.ok():
        raise PolicyEngineError("the policy bundle does not compile")
    return CompiledBundle(source, compiled, path)


def evaluate(interpreter: regopy.Interpreter, bundle: CompiledBundle, policy_input: dict[str, Any]) -> Any:
    """One query of the entrypoint; the decision document, or an error for anything else."""
    try:
        interpreter.set_input(regopy.Input(policy_input))
        output = interpreter.query_bundle_entrypoint(bundle.compiled, bundle.entrypoint)
    except (regopy.RegoError, ValueError) as exc:  # ValueError: regopy could not parse the engine's output
        raise PolicyEngineError("the policy raised an error") from exc
    if not output.ok():
        raise PolicyEngineError("the policy raised an error")
    # regopy has already parsed the output JSON (an undefined result parses to no expressions).
    expressions = output.results[0].expressions if len(output.results) == 1 else []
    if not isinstance(expressions, list) or len(expressions) != 1:
        raise PolicyEngineError("the decision is undefined")
    return expressions[0]


class RegoEngine:
    """PolicyEngine on regopy. Decisions run in a small thread pool with one interpreter per thread."""

    name = "rego"

    def __init__(
        self,
        bundle_dir: Path,
        *,
        entrypoint: str = "data.gateway.decision",
        timeout_ms: int = 500,
        watch: bool = True,
        workers: int = 2,
        watch_interval_s: float = 1.0,
        cache_entries: int = 4096,
    ) -> None:
        self.bundle_dir = bundle_dir
        self.entrypoint = entrypoint
        self.timeout_s = timeout_ms / 1000
        self.watch = watch
        self.watch_interval_s = watch_interval_s
        self._bundle = compile_bundle(load_bundle(bundle_dir), entrypoint)  # fail at start-up, not later
        self._local = threading.local()
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="rego")
        self._reload_lock = asyncio.Lock()
        self._last_watch = time.monotonic()
        self.cache = DecisionCache(cache_entries)

    @property
    def revision(self) -> str:
        return self._bundle.source.revision

    def evaluate(self, policy_input: dict[str, Any]) -> Decision:
        """Decide synchronously on the calling thread (used by worker threads, tests and the benchmark)."""
        bundle = self._bundle
        interpreter = getattr(self._local, "interpreter", None)
        if interpreter is None:
            interpreter = self._local.interpreter = regopy.Interpreter()
        document = evaluate(interpreter, bundle, policy_input)
        return decision_from_document(document, revision=bundle.source.revision, engine=self.name)

    async def decide(self, policy_input: dict[str, Any]) -> Decision:
        if self.watch:
            await self._reload_if_changed()
        key = cache_key(self.revision, policy_input)
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._executor, self.evaluate, policy_input)
        try:
            decision = await asyncio.wait_for(future, self.timeout_s)
        except TimeoutError as exc:
            raise PolicyEngineError(f"the policy took longer than {self.timeout_s * 1000:.0f} ms") from exc
        if decision.revision == self.revision:  # not across a reload that happened meanwhile
            self.cache.put(key, decision)
        return decision

    async def reload(self) -> str:
        """Recompile from disk; a bundle that fails to compile leaves the running one in place."""
        async with self._reload_lock:
            loop = asyncio.get_running_loop()
            fresh = await loop.run_in_executor(
                self._executor, lambda: compile_bundle(load_bundle(self.bundle_dir), self.entrypoint)
            )
            previous = self._bundle.source.revision
            self._bundle = fresh
            self.cache.clear()
            log.info("policy_reloaded", previous_revision=previous, revision=fresh.source.revision)
            return fresh.source.revision

    async def _reload_if_changed(self) -> None:
        now = time.monotonic()
        if now - self._last_watch < self.watch_interval_s:
            return
        self._last_watch = now
        if file_mtimes(self.bundle_dir) == self._bundle.source.mtimes:
            return
        try:
            await self.reload()
        except (PolicyEngineError, OSError, ValueError) as exc:
            # Keep deciding with the bundle that compiled; the edit is reported, not half-applied.
            log.error("policy_reload_failed", error=str(exc)[:500])
            self._bundle = CompiledBundle(
                PolicyBundle(
                    self._bundle.source.root,
                    self._bundle.source.modules,
                    self._bundle.source.test_modules,
                    self._bundle.source.data,
                    self._bundle.source.revision,
                    file_mtimes(self.bundle_dir),
                ),
                self._bundle.compiled,
                self._bundle.entrypoint,
            )

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
