"""Golden samples (policies/samples/*.json): each input gets exactly its expected decision from every engine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import regopy

from gateway.policy.engine import decision_from_document
from gateway.policy.rego_engine import RegoEngine, evaluate
from tests.policy.conftest import POLICIES

SAMPLES = sorted((POLICIES / "samples").glob("*.json"))


def load(path: Path) -> dict[str, Any]:
    sample = json.loads(path.read_text())
    assert set(sample) == {"description", "input", "expected"}
    return sample


def test_there_are_allow_and_deny_samples() -> None:
    outcomes = [load(p)["expected"]["allow"] for p in SAMPLES]
    assert outcomes.count(True) >= 5
    assert outcomes.count(False) >= 5


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_rego_engine_document_matches_sample(rego_engine: RegoEngine, path: Path) -> None:
    sample = load(path)
    assert evaluate(regopy.Interpreter(), rego_engine._bundle, sample["input"]) == sample["expected"]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
async def test_rego_engine_decision_matches_sample(rego_engine: RegoEngine, path: Path) -> None:
    sample = load(path)
    expected = decision_from_document(sample["expected"], revision=rego_engine.revision, engine="rego")
    assert await rego_engine.decide(sample["input"]) == expected
