"""The embedded engine's watch interval, an unchanged bundle, and a pooled decision that straddles a reload."""

from __future__ import annotations

import asyncio
import json
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest

from gateway.policy.bundle import load_bundle
from gateway.policy.decision import Decision
from gateway.policy.regorus_engine import RegorusEngine
from tests.policy.conftest import POLICIES
from tests.policy.test_engine import ALLOWED


@pytest.fixture
def bundle_copy(tmp_path: Path) -> Path:
    target = tmp_path / "policies"
    shutil.copytree(POLICIES, target)
    return target


def _withdraw_the_role(root: Path) -> None:
    path = root / "data" / "roles" / "data.json"
    data = json.loads(path.read_text())
    data["safeguarding-officer"]["actions"].remove("pupils.list")
    path.write_text(json.dumps(data))


class HeldRegorus(RegorusEngine):
    """The real engine, whose pooled evaluations wait until the test lets them go."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.started = threading.Event()
        self.release = threading.Event()

    def evaluate(self, policy_input: dict[str, Any]) -> Decision:
        self.started.set()
        self.release.wait(60)
        return super().evaluate(policy_input)


def test_the_engine_exposes_the_bundle_it_decides_with() -> None:
    engine = RegorusEngine(POLICIES, watch=False)
    assert engine.bundle == load_bundle(POLICIES)
    assert engine.bundle.revision == engine.revision
    engine.close()


async def test_an_edit_within_the_watch_interval_is_not_yet_looked_for(bundle_copy: Path) -> None:
    engine = RegorusEngine(bundle_copy, watch=True, watch_interval_s=3600.0)
    before = engine.revision
    _withdraw_the_role(bundle_copy)
    decision = await engine.decide(ALLOWED)
    engine.close()
    assert (decision.allow, decision.revision) == (True, before)


async def test_an_unchanged_bundle_is_not_reloaded(bundle_copy: Path) -> None:
    engine = RegorusEngine(bundle_copy, watch=True, watch_interval_s=0.0)
    before = engine.revision
    compiled = engine._compiled
    decision = await engine.decide(ALLOWED)
    engine.close()
    assert (decision.allow, decision.revision) == (True, before)
    assert engine._compiled is compiled


async def test_a_pooled_decision_that_waits_across_a_reload_is_the_new_bundles_and_not_counted(
    bundle_copy: Path,
) -> None:
    # Asked before the reload, evaluated after it: the new bundle decides (the role is withdrawn) and says
    # so, the decision is cached under the new revision, and it does not count towards that bundle's
    # streak of cheap pooled decisions (the reload started it over).
    engine = HeldRegorus(bundle_copy, watch=False, workers=2, timeout_ms=120_000, inline_budget_ms=10_000)
    before = engine.revision
    pending = asyncio.create_task(engine.decide(ALLOWED))
    assert await asyncio.to_thread(engine.started.wait, 60) is True
    _withdraw_the_role(bundle_copy)
    after = await engine.reload()
    engine.release.set()
    decision = await pending
    engine.close()
    assert after != before
    assert (decision.allow, decision.reason_codes, decision.revision) == (False, ["DENY_ROLE"], after)
    assert len(engine.cache) == 1
    assert engine._cheap_streak == 0
