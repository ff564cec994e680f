"""The embedded engine: the bundle compiled once by regopy (rego-cpp), queried from worker threads."""

from __future__ import annotations

import asyncio
import ctypes
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
from gateway.policy.rego_calls import query_entrypoint, set_input

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
        set_input(interpreter, policy_input)
        expressions = query_entrypoint(interpreter, bundle.compiled, bundle.entrypoint.encode())
    except (regopy.RegoError, ValueError, ctypes.ArgumentError) as exc:
        # ValueError: an input value rego-cpp cannot hold, or output that does not parse;
        # ArgumentError: an integer beyond 64 bits.
        raise PolicyEngineError("the policy raised an error") from exc
    if len(expressions) != 1:
        raise PolicyEngineError("the decision is undefined")
    return expressions[0]


# Pooled decisions in a row that must each finish within the inline budget before decisions run inline.
INLINE_AFTER = 8


class RegoEngine:
    """PolicyEngine on regopy, one interpreter per thread.

    A decision is a few hundred microseconds of C++, less than handing it to a worker thread and back
    costs on a busy machine. So once a bundle has shown itself cheap (INLINE_AFTER pooled decisions in a
    row within `inline_budget_ms` of CPU time) decisions run on the calling thread; one that overruns the
    budget sends the next ones back to the pool, where the timeout is enforced while waiting. A reload
    starts over.
    """

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
        inline_budget_ms: float = 5.0,
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
        self.inline_budget_s = inline_budget_ms / 1000
        self._cheap_streak = 0  # pooled decisions in a row within the inline budget, for this bundle

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
        key = cache_key(self.revision, policy_input) if self.cache.max_entries > 0 else None
        if key is not None:
            cached = self.cache.get(key)
            if cached is not None:
                return cached
        if self._cheap_streak >= INLINE_AFTER:
            decision = self._decide_inline(policy_input)
        else:
            decision = await self._decide_pooled(policy_input)
        if key is not None and decision.revision == self.revision:  # not across a reload meanwhile
            self.cache.put(key, decision)
        return decision

    def _decide_inline(self, policy_input: dict[str, Any]) -> Decision:
        started, started_cpu = time.perf_counter(), time.thread_time()
        try:
            decision = self.evaluate(policy_input)
        finally:
            # The budget is on CPU time, what the decision costs; waiting for a busy core does not count.
            if time.thread_time() - started_cpu > self.inline_budget_s:
                self._cheap_streak = 0
            elapsed = time.perf_counter() - started
        # Too late is too late, as it is for a pooled decision: fail closed, whatever it decided.
        if elapsed > self.timeout_s:
            raise PolicyEngineError(f"the policy took longer than {self.timeout_s * 1000:.0f} ms")
        return decision

    async def _decide_pooled(self, policy_input: dict[str, Any]) -> Decision:
        loop = asyncio.get_running_loop()
        revision = self.revision
        future = loop.run_in_executor(self._executor, self._timed_evaluate, policy_input)
        try:
            decision, cpu = await asyncio.wait_for(future, self.timeout_s)
        except TimeoutError as exc:
            self._cheap_streak = 0
            raise PolicyEngineError(f"the policy took longer than {self.timeout_s * 1000:.0f} ms") from exc
        if revision == self.revision:
            self._cheap_streak = self._cheap_streak + 1 if cpu <= self.inline_budget_s else 0
        return decision

    def _timed_evaluate(self, policy_input: dict[str, Any]) -> tuple[Decision, float]:
        """The decision and the CPU time it took this worker thread."""
        started = time.thread_time()
        decision = self.evaluate(policy_input)
        return decision, time.thread_time() - started

    async def reload(self) -> str:
        """Recompile from disk; a bundle that fails to compile leaves the running one in place."""
        async with self._reload_lock:
            loop = asyncio.get_running_loop()
            fresh = await loop.run_in_executor(
                self._executor, lambda: compile_bundle(load_bundle(self.bundle_dir), self.entrypoint)
            )
            previous = self._bundle.source.revision
            self._bundle = fresh
            self._cheap_streak = 0  # the new bundle proves itself cheap in the pool first
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
