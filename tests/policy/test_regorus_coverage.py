"""regorus' per-thread evaluators: no program to run, and letting go of one that was never built."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.policy.bundle import PolicyBundle
from gateway.policy.regorus_engine import _ORPHANS, Evaluators


def test_evaluators_without_a_program_refuse_to_run_one_and_still_interpret() -> None:
    source = PolicyBundle(Path("."), {"t.rego": "package t\n\nresult := input.v\n"}, {}, {}, "r", {})
    evaluators = Evaluators(source, "data.t.result", None, "{}")
    with pytest.raises(RuntimeError, match=r"^no program$"):
        evaluators.run_program('{"v": 1}')
    assert evaluators.interpret('{"v": 1}') == 1


def test_letting_go_of_evaluators_that_were_never_built_hands_nothing_on() -> None:
    # As when __init__ failed (or at interpreter shutdown, when the module's globals are gone): the
    # attributes __del__ reads are missing, and it returns quietly instead of raising in a finaliser.
    before = {owner: list(entries) for owner, entries in _ORPHANS.items()}
    half_built = Evaluators.__new__(Evaluators)
    half_built.__del__()  # raises nothing
    after = {owner: list(entries) for owner, entries in _ORPHANS.items()}
    assert after == before
