"""Golden samples (policies/samples/*.json): each input gets exactly its expected decision from every engine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gateway.policy.embedded import EmbeddedEngine
from gateway.policy.engine import decision_from_document
from tests.policy.conftest import POLICIES

SAMPLES = sorted((POLICIES / "samples").glob("*.json"))


def load(path: Path) -> dict[str, Any]:
    sample = json.loads(path.read_text())
    assert set(sample) == {"description", "input", "expected"}
    return sample  # type: ignore[no-any-return]


def test_there_are_allow_and_deny_samples() -> None:
    outcomes = [load(p)["expected"]["allow"] for p in SAMPLES]
    assert (outcomes.count(True), outcomes.count(False)) == (16, 5)


@pytest.mark.parametrize("engine_name", ["regorus_engine", "rego_engine"])
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
async def test_engine_decision_matches_sample(
    request: pytest.FixtureRequest, engine_name: str, path: Path
) -> None:
    engine: EmbeddedEngine[Any] = request.getfixturevalue(engine_name)
    sample = load(path)
    expected = decision_from_document(sample["expected"], revision=engine.revision, engine=engine.name)
    assert await engine.decide(sample["input"]) == expected
