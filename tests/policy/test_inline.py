"""Inline decisions: a bundle that proves cheap in the pool is decided on the calling thread, and loses it."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
import regopy

from gateway.policy.decision import Decision
from gateway.policy.embedded import INLINE_AFTER
from gateway.policy.engine import PolicyEngineError
from gateway.policy.rego_calls import set_input
from gateway.policy.rego_engine import RegoEngine
from gateway.policy.regorus_engine import RegorusEngine
from tests.policy.conftest import POLICIES
from tests.policy.test_engine import ALLOWED, write_module

# Slow only when asked: seconds of counting in rego-cpp and about 0.5-2 s in regorus (whose program stops at
# its instruction limit, so the interpreter counts), well over the budget and timeout below. At a tenth of
# this (80,000 numbers) regorus sometimes finished inside the 100 ms timeout on a quiet machine, and the
# timeout test did not raise (CI of stop 21).
SLOW_WHEN_ASKED = (
    "package gateway\n\n"
    'decision := {"allow": false, "reasons": [{"code": "FAST", "message": "m"}]} if input.action != "slow"\n\n'
    'decision := {"allow": false, "reasons": [{"code": "SLOW", "message": sprintf("%v", [n])}]} if {\n'
    '\tinput.action == "slow"\n'
    "\tn := count([x | some x in numbers.range(1, 800000); x % 7 == 0])\n}\n"
)


class WatchedRegorus(RegorusEngine):
    """The real engine, noting which thread ran each evaluation."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.threads: list[str] = []

    def evaluate(self, policy_input: dict[str, Any]) -> Decision:
        self.threads.append(threading.current_thread().name)
        return super().evaluate(policy_input)


class WatchedRegopy(RegoEngine):
    """The same for regopy."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.threads: list[str] = []

    def evaluate(self, policy_input: dict[str, Any]) -> Decision:
        self.threads.append(threading.current_thread().name)
        return super().evaluate(policy_input)


WATCHED = [WatchedRegorus, WatchedRegopy]
Watched = type[WatchedRegorus] | type[WatchedRegopy]


def pooled(engine: WatchedRegorus | WatchedRegopy, name: str) -> bool:
    return name.startswith(engine.name)


@pytest.fixture
def bundle_copy(tmp_path: Path) -> Path:
    target = tmp_path / "policies"
    shutil.copytree(POLICIES, target)
    return target


@pytest.mark.parametrize("watched", WATCHED)
async def test_a_cheap_bundle_is_decided_inline_after_proving_itself_in_the_pool(watched: Watched) -> None:
    engine = watched(POLICIES, watch=False, cache_entries=0, inline_budget_ms=10_000, timeout_ms=10_000)
    decisions = [await engine.decide(ALLOWED) for _ in range(INLINE_AFTER + 3)]
    engine.close()
    assert [pooled(engine, name) for name in engine.threads] == [True] * INLINE_AFTER + [False] * 3
    assert all(d == decisions[0] for d in decisions)


@pytest.mark.parametrize("watched", WATCHED)
async def test_a_zero_budget_keeps_every_decision_in_the_pool(watched: Watched) -> None:
    engine = watched(POLICIES, watch=False, cache_entries=0, inline_budget_ms=0)
    for _ in range(INLINE_AFTER + 3):
        await engine.decide(ALLOWED)
    engine.close()
    assert all(pooled(engine, name) for name in engine.threads)


@pytest.mark.parametrize("watched", WATCHED)
async def test_an_inline_decision_over_the_timeout_fails_closed_and_returns_to_the_pool(
    watched: Watched,
    bundle_copy: Path,
) -> None:
    write_module(bundle_copy, SLOW_WHEN_ASKED)
    engine = watched(bundle_copy, watch=False, cache_entries=0, inline_budget_ms=20, timeout_ms=10_000)
    for _ in range(INLINE_AFTER):
        await engine.decide(ALLOWED)
    engine.timeout_s = 0.1  # once inline: the pooled warm-up must not time out on a busy machine
    with pytest.raises(PolicyEngineError, match="longer than 100 ms"):
        await engine.decide({**ALLOWED, "action": "slow"})
    await engine.decide(ALLOWED)
    engine.close()
    assert [pooled(engine, name) for name in engine.threads[-2:]] == [False, True]


@pytest.mark.parametrize("watched", WATCHED)
async def test_a_reloaded_bundle_proves_itself_in_the_pool_again(watched: Watched, bundle_copy: Path) -> None:
    engine = watched(bundle_copy, watch=False, cache_entries=0, inline_budget_ms=10_000, timeout_ms=10_000)
    for _ in range(INLINE_AFTER):
        await engine.decide(ALLOWED)
    await engine.reload()
    await engine.decide(ALLOWED)
    engine.close()
    assert pooled(engine, engine.threads[-1])


def test_an_input_rego_cannot_hold_is_refused() -> None:
    engine = RegoEngine(POLICIES, watch=False)
    with pytest.raises(PolicyEngineError, match="raised an error"):
        engine.evaluate({**ALLOWED, "now": object()})
    with pytest.raises(PolicyEngineError, match="raised an error"):
        engine.evaluate({**ALLOWED, "request": {**ALLOWED["request"], "la_code": 2**70}})
    engine.close()


def test_input_values_reach_the_policy_as_given() -> None:
    interpreter = regopy.Interpreter()
    value = {
        "s": "é\u2603",
        "i": -(2**62),
        "f": 0.5,
        "t": True,
        "n": None,
        "l": [1, [2]],
        "tu": (3,),
        "o": {},
    }
    set_input(interpreter, value)
    assert interpreter.query("x := input").results[0].bindings["x"] == {**value, "tu": [3]}
