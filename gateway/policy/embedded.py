"""What every embedded engine shares: the decision cache, inline or pooled evaluation, timeout, reload."""

from __future__ import annotations

import asyncio
import threading
import time
import weakref
from abc import ABC, abstractmethod
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Generic, TypeVar

import structlog

from gateway.policy.bundle import PolicyBundle, file_mtimes, load_bundle
from gateway.policy.cache import DecisionCache, cache_key
from gateway.policy.decision import Decision
from gateway.policy.engine import PolicyEngineError, decision_from_document

log = structlog.get_logger("gateway.policy")

# Pooled decisions in a row that must each finish within the inline budget before decisions run inline.
INLINE_AFTER = 8

Compiled = TypeVar("Compiled")

# Each thread's evaluators, by engine. Module-level and never collected, so that an evaluator is only ever
# freed by the thread that made it (regorus refuses to be dropped on another thread): a thread forgets the
# evaluators of engines that are gone when it next adds one of its own, and all of them when it ends.
_THREADS = threading.local()


class EmbeddedEngine(ABC, Generic[Compiled]):
    """PolicyEngine on an in-process Rego engine; subclasses compile a bundle and evaluate one input.

    A decision costs tens to hundreds of microseconds, less than handing it to a worker thread and back
    costs on a busy machine. So once a bundle has shown itself cheap (INLINE_AFTER pooled decisions in a
    row within `inline_budget_ms` of CPU time) decisions run on the calling thread; one that overruns the
    budget sends the next ones back to the pool, where the timeout is enforced while waiting. A reload
    starts over. Evaluators are per thread (`thread_state`), built from the compiled bundle on first use.
    """

    name = "embedded"

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
        self._source = load_bundle(bundle_dir)
        self._compiled = self.compile(self._source)  # fail at start-up, not later
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=self.name)
        self._reload_lock = asyncio.Lock()
        self._last_watch = time.monotonic()
        self._mtimes = self._source.mtimes
        self.cache = DecisionCache(cache_entries)
        self.inline_budget_s = inline_budget_ms / 1000
        self._cheap_streak = 0  # pooled decisions in a row within the inline budget, for this bundle

    @abstractmethod
    def compile(self, source: PolicyBundle) -> Compiled:
        """Compile the bundle once per revision, or raise PolicyEngineError."""

    @abstractmethod
    def evaluate_document(self, compiled: Compiled, state: dict[str, Any], policy_input: Any) -> Any:
        """The entrypoint's value for one input; `state` is this thread's own, for evaluators it keeps."""

    @property
    def revision(self) -> str:
        return self._source.revision

    @property
    def bundle(self) -> PolicyBundle:
        return self._source

    def thread_state(self) -> dict[str, Any]:
        """This thread's evaluators for the current bundle (replaced when the bundle changes)."""
        states: dict[int, tuple[weakref.ref[EmbeddedEngine[Any]], dict[str, Any]]] | None
        states = getattr(_THREADS, "states", None)
        if states is None:
            states = _THREADS.states = {}
        entry = states.get(id(self))
        if entry is not None and entry[0]() is self and entry[1]["_compiled"] is self._compiled:
            return entry[1]
        for key in [key for key, (ref, _) in states.items() if ref() is None]:
            del states[key]
        state: dict[str, Any] = {"_compiled": self._compiled}
        states[id(self)] = (weakref.ref(self), state)
        return state

    def evaluate(self, policy_input: dict[str, Any]) -> Decision:
        """Decide synchronously on the calling thread (used by worker threads, tests and the benchmark)."""
        compiled, revision = self._compiled, self._source.revision
        document = self.evaluate_document(compiled, self.thread_state(), policy_input)
        return decision_from_document(document, revision=revision, engine=self.name)

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
        revision, started = self.revision, time.perf_counter()
        future = loop.run_in_executor(self._executor, self._timed_evaluate, policy_input)
        done, _ = await asyncio.wait({future}, timeout=self.timeout_s)
        # Not done in time, or done late: an engine that holds the GIL while it evaluates (regorus) keeps
        # the timer from firing until it returns. One test for both, so which one a slow decision meets
        # (it depends on when the worker thread starts) changes nothing.
        if not done or time.perf_counter() - started > self.timeout_s:
            future.cancel()  # a decision not yet started never starts; a finished one is dropped
            self._cheap_streak = 0
            raise PolicyEngineError(f"the policy took longer than {self.timeout_s * 1000:.0f} ms")
        decision, cpu = future.result()
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
            source = await loop.run_in_executor(self._executor, load_bundle, self.bundle_dir)
            compiled = await loop.run_in_executor(self._executor, self.compile, source)
            previous = self._source.revision
            self._source, self._compiled, self._mtimes = source, compiled, source.mtimes
            self._cheap_streak = 0  # the new bundle proves itself cheap in the pool first
            self.cache.clear()
            log.info("policy_reloaded", previous_revision=previous, revision=source.revision)
            return source.revision

    async def _reload_if_changed(self) -> None:
        now = time.monotonic()
        if now - self._last_watch < self.watch_interval_s:
            return
        self._last_watch = now
        mtimes = file_mtimes(self.bundle_dir)
        if mtimes == self._mtimes:
            return
        try:
            await self.reload()
        except (PolicyEngineError, OSError, ValueError) as exc:
            # Keep deciding with the bundle that compiled; the edit is reported once, not half-applied.
            log.error("policy_reload_failed", error=str(exc)[:500])
            self._mtimes = mtimes

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
