"""Policy fixtures: the real bundle under policies/ on every engine, compiled once per worker."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from gateway.policy.bundle import load_bundle
from gateway.policy.opa_bridge import opa_evaluator
from gateway.policy.rego_engine import RegoEngine
from gateway.policy.regorus_engine import RegorusEngine
from tests.policy.strategies import NOWS, POLICIES, ROOT, decision_input, principal

NOW = NOWS[1]

__all__ = ["NOW", "POLICIES", "ROOT", "decision_input", "principal"]


@pytest.fixture(scope="session")
def regorus_engine() -> Iterator[RegorusEngine]:
    engine = RegorusEngine(POLICIES, watch=False)
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def rego_engine() -> Iterator[RegoEngine]:
    """The regopy engine (its former name is kept for the guard's tests)."""
    engine = RegoEngine(POLICIES, watch=False)
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def opa() -> Iterator[Any]:
    """OPA's own evaluator holding the bundle: the reference every engine is held to."""
    bundle = load_bundle(POLICIES)
    engine = opa_evaluator(bundle.modules, bundle.data)
    yield engine
    engine.close()
