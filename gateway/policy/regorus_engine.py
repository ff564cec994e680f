"""The default engine: regorus (the Rust Rego engine), its compiled RVM form where it agrees with the interpreter.

Per bundle revision the modules are parsed once and, unless turned off, compiled once into an RVM program.
The program is used only if it reaches exactly the interpreter's document on every probe input (the golden
samples and inputs drawn from the bundle's data, gateway.policy.probes); otherwise, and for any input the
program fails on, the interpreter decides. regorus' engines and programs belong to the thread that made
them, so each thread builds its own from the parsed sources (about 2 ms) and the serialized program.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
import regorus
import structlog

from gateway.policy.bundle import PolicyBundle
from gateway.policy.embedded import EmbeddedEngine
from gateway.policy.engine import PolicyEngineError
from gateway.policy.probes import probe_inputs

log = structlog.get_logger("gateway.policy")

UNDEFINED = b'"<undefined>"'  # what regorus returns for an undefined rule

# Probe verdicts by (revision, entrypoint): the program and the interpreter are pure functions of the bundle,
# so a bundle already probed in this process (a reload of the same files, another engine) is not probed again.
_PROBED: dict[tuple[str, str], int] = {}


@dataclass(frozen=True, slots=True)
class RegorusBundle:
    source: PolicyBundle
    modules: tuple[tuple[str, str], ...]
    data_json: str
    entrypoint: str
    program: bytes | None  # the serialized RVM program, None when the interpreter decides everything
    program_mismatches: int  # probe inputs on which the program and the interpreter disagreed


def interpreter(bundle: PolicyBundle) -> regorus.Engine:
    """A regorus interpreter holding the bundle's modules and data (for this thread only)."""
    engine = regorus.Engine()
    try:
        for name, text in sorted(bundle.modules.items()):
            engine.add_policy(name, text)
        engine.add_data_json(orjson.dumps(bundle.data).decode())
    except RuntimeError as exc:
        raise PolicyEngineError(f"the policy bundle does not compile: {str(exc).strip()[:2000]}") from exc
    return engine


def input_json(policy_input: Any) -> str:
    try:
        return orjson.dumps(policy_input).decode()
    except TypeError as exc:  # a value JSON cannot hold: a set, a non-string key, an integer over 64 bits
        raise PolicyEngineError("the policy input cannot be written as JSON") from exc


def interpret(engine: regorus.Engine, entrypoint: str, text: str) -> Any:
    """The entrypoint's value by the interpreter, or PolicyEngineError (an error or undefined)."""
    try:
        engine.set_input_json(text)
        raw = engine.eval_rule_as_json(entrypoint).encode()
    except RuntimeError as exc:
        raise PolicyEngineError("the policy raised an error") from exc
    if raw == UNDEFINED:
        raise PolicyEngineError("the decision is undefined")
    return orjson.loads(raw)


def run_program(vm: regorus.Rvm, text: str) -> Any:
    """The program's value (RuntimeError on failure, `UNDEFINED` parsed when undefined)."""
    vm.set_input_json(text)
    return orjson.loads(vm.execute())


def program_vm(program: bytes, data_json: str) -> regorus.Rvm:
    loaded, _ = regorus.Program.deserialize_binary(program)
    vm = regorus.Rvm()
    vm.load_program(loaded)
    vm.set_data_json(data_json)
    return vm


def compile_regorus(source: PolicyBundle, entrypoint: str, *, use_program: bool = True) -> RegorusBundle:
    """Parse the bundle, compile it to a program, and keep the program only if it agrees on every probe."""
    if not entrypoint.startswith("data.") or len(entrypoint) <= len("data."):
        raise ValueError(f"the policy entrypoint must be a data reference, not {entrypoint!r}")
    engine = interpreter(source)  # raises for a bundle that does not parse
    modules = tuple(sorted(source.modules.items()))
    data_json = orjson.dumps(source.data).decode()
    if not use_program:
        return RegorusBundle(source, modules, data_json, entrypoint, None, 0)
    try:
        program = regorus.Program.compile_from_modules(data_json, list(modules), [entrypoint]).serialize_binary()
    except RuntimeError as exc:  # a construct the compiler does not take: the interpreter decides
        log.warning("policy_program_unavailable", error=str(exc).strip()[:300])
        return RegorusBundle(source, modules, data_json, entrypoint, None, 0)
    key = (source.revision, entrypoint)
    mismatches = _PROBED.get(key)
    if mismatches is None:
        vm = program_vm(program, data_json)
        mismatches = _PROBED[key] = program_mismatches(engine, vm, entrypoint, probe_inputs(source))
    if mismatches:
        log.warning("policy_program_disagrees", mismatches=mismatches, revision=source.revision)
        return RegorusBundle(source, modules, data_json, entrypoint, None, mismatches)
    return RegorusBundle(source, modules, data_json, entrypoint, bytes(program), 0)


def program_mismatches(engine: regorus.Engine, vm: regorus.Rvm, entrypoint: str, inputs: list[Any]) -> int:
    """How many inputs the program answers differently from the interpreter (an error counts)."""
    mismatches = 0
    for policy_input in inputs:
        text = input_json(policy_input)
        try:
            expected: Any = interpret(engine, entrypoint, text)
        except PolicyEngineError as exc:
            expected = str(exc)
        try:
            got = run_program(vm, text)
        except RuntimeError:
            got = None
        if got == orjson.loads(UNDEFINED):
            got = "the decision is undefined"
        mismatches += got != expected
    return mismatches


class RegorusEngine(EmbeddedEngine[RegorusBundle]):
    """PolicyEngine on regorus: the compiled program where it agrees, the interpreter otherwise."""

    name = "regorus"

    def __init__(self, *args: Any, use_program: bool = True, **kwargs: Any) -> None:
        self.use_program = use_program
        super().__init__(*args, **kwargs)

    @property
    def program_in_use(self) -> bool:
        return self._compiled.program is not None

    def compile(self, source: PolicyBundle) -> RegorusBundle:
        return compile_regorus(source, self.entrypoint, use_program=self.use_program)

    def evaluate_document(self, compiled: RegorusBundle, state: dict[str, Any], policy_input: Any) -> Any:
        text = input_json(policy_input)
        if compiled.program is not None:
            vm = state.get("vm")
            if vm is None:
                vm = state["vm"] = program_vm(compiled.program, compiled.data_json)
            try:
                document = run_program(vm, text)
            except RuntimeError:
                document = None  # the interpreter decides this one (and says why if it fails too)
            if isinstance(document, dict):
                return document
        engine = state.get("interpreter")
        if engine is None:
            engine = state["interpreter"] = interpreter(compiled.source)
        return interpret(engine, compiled.entrypoint, text)
