"""The regopy input builder and output reader on a real rego-cpp interpreter, with a policy that echoes input."""

from __future__ import annotations

import collections
import enum
import types
from pathlib import Path
from typing import Any

import pytest
import regopy
from regopy.rego_shared import RegoError

from gateway.policy.bundle import PolicyBundle
from gateway.policy.engine import PolicyEngineError
from gateway.policy.rego_calls import query_entrypoint
from gateway.policy.rego_engine import CompiledBundle, compile_bundle, evaluate


class Level(enum.IntEnum):
    HIGH = 7


class Share(float):
    pass


class Code(str):
    __slots__ = ()


def _compiled(source: str) -> CompiledBundle:
    return compile_bundle(PolicyBundle(Path("."), {"t.rego": source}, {}, {}, "r", {}), "data.t.result")


@pytest.fixture(scope="module")
def echo() -> CompiledBundle:
    return _compiled("package t\n\nresult := input\n")


@pytest.mark.parametrize(
    ("value", "seen"),
    [
        (None, None),
        (2.5, 2.5),
        (-(2**63), -(2**63)),
        (Level.HIGH, 7),  # an int subclass
        (Share(1.5), 1.5),
        (Code("886"), "886"),
        (collections.OrderedDict(a=1), {"a": 1}),
        (types.MappingProxyType({"b": 2}), {"b": 2}),
        (frozenset({1}), [1]),  # a set reaches the policy as a Rego set, written out as an array
        (range(2), [0, 1]),
        ({1: "a"}, {"1": "a"}),  # a non-text key is built as a value, and Rego writes it as text
    ],
)
def test_other_python_values_reach_the_policy_as_json_values(
    echo: CompiledBundle, value: Any, seen: Any
) -> None:
    assert evaluate(regopy.Interpreter(), echo, {"v": value}) == {"v": seen}


def test_a_value_rego_cannot_hold_is_a_policy_error(echo: CompiledBundle) -> None:
    with pytest.raises(PolicyEngineError, match=r"^the policy raised an error$") as caught:
        evaluate(regopy.Interpreter(), echo, {"v": complex(1, 2)})
    assert isinstance(caught.value.__cause__, ValueError)
    assert str(caught.value.__cause__) == "a policy input cannot hold a complex"


@pytest.mark.parametrize("value", [{"v": "886\x00330"}, {"886\x00330": 1}, {"v": Code("a\x00b")}])
def test_a_text_holding_a_nul_is_refused_not_cut_short(echo: CompiledBundle, value: Any) -> None:
    with pytest.raises(PolicyEngineError, match=r"^the policy raised an error$") as caught:
        evaluate(regopy.Interpreter(), echo, value)
    assert str(caught.value.__cause__) == "a policy input text cannot hold a NUL character"


def test_an_integer_beyond_64_bits_is_refused_not_wrapped(echo: CompiledBundle) -> None:
    with pytest.raises(PolicyEngineError, match=r"^the policy raised an error$") as caught:
        evaluate(regopy.Interpreter(), echo, {"v": 2**63})
    assert str(caught.value.__cause__) == "a policy input integer must fit in 64 bits"


def test_an_undefined_result_is_an_undefined_decision() -> None:
    partial = _compiled("package t\n\nresult := input.x\n")
    with pytest.raises(PolicyEngineError, match=r"^the decision is undefined$"):
        evaluate(regopy.Interpreter(), partial, {})


@pytest.mark.parametrize("entrypoint", ["t.result", "data."])
def test_the_entrypoint_must_name_a_data_document(entrypoint: str) -> None:
    bundle = PolicyBundle(Path("."), {"t.rego": "package t\n\nresult := input\n"}, {}, {}, "r", {})
    with pytest.raises(ValueError, match=r"^the policy entrypoint must be a data reference, not "):
        compile_bundle(bundle, entrypoint)


def test_a_module_that_does_not_parse_is_refused_with_rego_cpp_s_reason() -> None:
    bundle = PolicyBundle(Path("."), {"t.rego": "package t\n\nresult := \n"}, {}, {}, "r", {})
    with pytest.raises(PolicyEngineError, match=r"^the policy bundle does not compile: ") as caught:
        compile_bundle(bundle, "data.t.result")
    assert "t.rego" in str(caught.value)
    assert isinstance(caught.value.__cause__, RegoError)


def test_an_entrypoint_the_bundle_does_not_plan_is_refused(echo: CompiledBundle) -> None:
    interpreter = regopy.Interpreter()
    evaluate(interpreter, echo, {"v": 1})
    with pytest.raises(RegoError):
        query_entrypoint(interpreter, echo.compiled, b"t/nothing")


def test_two_values_for_one_rule_are_a_policy_error() -> None:
    conflicting = _compiled("package t\n\nresult := 1 if input.a\n\nresult := 2 if input.b\n")
    with pytest.raises(PolicyEngineError, match=r"^the policy raised an error$") as caught:
        evaluate(regopy.Interpreter(), conflicting, {"a": True, "b": True})
    assert isinstance(caught.value.__cause__, RegoError)
