"""The regopy engine: the bundle compiled once by rego-cpp, queried from one interpreter per thread."""

from __future__ import annotations

import ctypes
import json
from dataclasses import dataclass
from typing import Any

from gateway.policy import cxx_runtime  # noqa: F401  (must be loaded before regopy)

# isort: split
import regopy

from gateway.policy.bundle import PolicyBundle
from gateway.policy.embedded import EmbeddedEngine
from gateway.policy.engine import PolicyEngineError
from gateway.policy.rego_calls import query_entrypoint, set_input


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
    # rego-cpp reports a module's faults as it is added (above); a build that is not ok is rego-cpp's own
    # failure, which no bundle has been found to provoke. It fails closed.
    if not compiled.ok():
        raise PolicyEngineError("the policy bundle does not compile")  # pragma: no cover
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


class RegoEngine(EmbeddedEngine[CompiledBundle]):
    """PolicyEngine on regopy (rego-cpp): the bundle built once per revision, one interpreter per thread.

    The second embedded engine (GATEWAY_POLICY__ENGINE=regopy) and a cross-check in the tests.
    """

    name = "regopy"

    def compile(self, source: PolicyBundle) -> CompiledBundle:
        return compile_bundle(source, self.entrypoint)

    def evaluate_document(self, compiled: CompiledBundle, state: dict[str, Any], policy_input: Any) -> Any:
        interpreter = state.get("interpreter")
        if interpreter is None:
            interpreter = state["interpreter"] = regopy.Interpreter()
        return evaluate(interpreter, compiled, policy_input)
