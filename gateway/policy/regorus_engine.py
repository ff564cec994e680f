"""The default engine: regorus (the Rust Rego engine), its compiled RVM form where it agrees with the interpreter.

Per bundle revision the modules are parsed once and, unless turned off, compiled once into an RVM program.
The program is used only if it reaches exactly the interpreter's document on every probe input (the golden
samples and inputs drawn from the bundle's data, gateway.policy.probes); otherwise, and for any input the
program fails on, the interpreter decides. regorus' engines and programs belong to the thread that made
them (pyo3 refuses to move or free them elsewhere), so each thread builds its own from the parsed sources
(about 2 ms) and the serialized program, and holds them in an `Evaluators` that only that thread frees.
"""

from __future__ import annotations

import itertools
import threading
import time
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
# CPU seconds the probes may take. A bundle too slow to probe in that time is interpreted (and a bundle that
# slow is refused its decisions by the timeout anyway); the real bundle's 600 probes take about 0.3 s.
PROBE_BUDGET_S = 2.0

# Evaluators let go of on a thread that did not make them, waiting for their own thread to free them (an
# orphan of a thread that has ended stays: freeing it anywhere else is what pyo3 refuses).
_ORPHANS: dict[int, list[tuple[Any, Any]]] = {}
_THREAD = threading.local()
_THREAD_NUMBERS = itertools.count(1)


def thread_number() -> int:
    """A number for the calling thread, never reused (thread idents are, once a thread ends)."""
    number: int | None = getattr(_THREAD, "number", None)
    if number is None:
        number = _THREAD.number = next(_THREAD_NUMBERS)
    return number


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
        # An exception keeps its frames alive and may be freed on another thread; regorus objects must not
        # be, so the engine goes here, before raising.
        del engine
        raise PolicyEngineError(f"the policy bundle does not compile: {str(exc).strip()[:2000]}") from None
    return engine


def input_json(policy_input: Any) -> str:
    try:
        return orjson.dumps(policy_input).decode()
    except TypeError as exc:  # a value JSON cannot hold: a set, a non-string key, an integer over 64 bits
        raise PolicyEngineError("the policy input cannot be written as JSON") from exc


class Evaluators:
    """One thread's interpreter and program VM for one bundle, built on first use.

    Methods reach the regorus objects only through attributes, never through locals, so that an exception
    (whose frames may be freed on any thread) holds this wrapper and not them; a wrapper let go of on
    another thread hands them back to their own thread, which frees them on its next decision.
    """

    def __init__(self, source: PolicyBundle, entrypoint: str, program: bytes | None, data_json: str) -> None:
        self._owner = thread_number()
        self._source, self._entrypoint, self._program, self._data_json = (
            source,
            entrypoint,
            program,
            data_json,
        )
        self._engine: regorus.Engine | None = None
        self._vm: regorus.Rvm | None = None

    def interpret(self, text: str) -> Any:
        """The entrypoint's value by the interpreter, or PolicyEngineError (an error or undefined)."""
        if self._engine is None:
            self._engine = interpreter(self._source)
        try:
            self._engine.set_input_json(text)
            raw = self._engine.eval_rule_as_json(self._entrypoint).encode()
        except RuntimeError:
            raise PolicyEngineError("the policy raised an error") from None
        if raw == UNDEFINED:
            raise PolicyEngineError("the decision is undefined")
        return orjson.loads(raw)

    def run_program(self, text: str) -> Any:
        """The program's value (RuntimeError when it fails; the string "<undefined>" when undefined)."""
        if self._program is None:
            raise RuntimeError("no program")
        if self._vm is None:
            loaded, _ = regorus.Program.deserialize_binary(self._program)
            self._vm = regorus.Rvm()
            self._vm.load_program(loaded)
            self._vm.set_data_json(self._data_json)
            del loaded
        self._vm.set_input_json(text)
        return orjson.loads(self._vm.execute())

    def __del__(self) -> None:
        try:
            if thread_number() != self._owner and (self._engine is not None or self._vm is not None):
                _ORPHANS.setdefault(self._owner, []).append((self._engine, self._vm))
        except Exception:  # the interpreter is shutting down: there is no thread left to hand them to
            return


def compile_regorus(source: PolicyBundle, entrypoint: str, *, use_program: bool = True) -> RegorusBundle:
    """Parse the bundle, compile it to a program, and keep the program only if it agrees on every probe."""
    if not entrypoint.startswith("data.") or len(entrypoint) <= len("data."):
        raise ValueError(f"the policy entrypoint must be a data reference, not {entrypoint!r}")
    interpreter(source)  # raises for a bundle that does not parse
    modules = tuple(sorted(source.modules.items()))
    data_json = orjson.dumps(source.data).decode()
    if not use_program:
        return RegorusBundle(source, modules, data_json, entrypoint, None, 0)
    try:
        program = serialized_program(data_json, modules, entrypoint)
    except PolicyEngineError as exc:  # a construct the compiler does not take: the interpreter decides
        log.warning("policy_program_unavailable", error=str(exc)[:300])
        return RegorusBundle(source, modules, data_json, entrypoint, None, 0)
    key = (source.revision, entrypoint)
    mismatches = _PROBED.get(key)
    if mismatches is None:
        evaluators = Evaluators(source, entrypoint, program, data_json)
        mismatches = _PROBED[key] = program_mismatches(evaluators, probe_inputs(source))
    if mismatches:
        log.warning("policy_program_disagrees", mismatches=mismatches, revision=source.revision)
        return RegorusBundle(source, modules, data_json, entrypoint, None, mismatches)
    return RegorusBundle(source, modules, data_json, entrypoint, program, 0)


def serialized_program(data_json: str, modules: tuple[tuple[str, str], ...], entrypoint: str) -> bytes:
    try:
        return bytes(
            regorus.Program.compile_from_modules(data_json, list(modules), [entrypoint]).serialize_binary()
        )
    except RuntimeError as exc:
        raise PolicyEngineError(str(exc).strip()) from None


def program_mismatches(evaluators: Evaluators, inputs: list[Any], budget_s: float = PROBE_BUDGET_S) -> int:
    """How many inputs the program answers differently from the interpreter (an error counts, and so does
    running out of the CPU budget before the last input)."""
    mismatches = 0
    deadline = time.thread_time() + budget_s
    for policy_input in inputs:
        if time.thread_time() > deadline:
            return mismatches + 1
        text = input_json(policy_input)
        try:
            expected: Any = evaluators.interpret(text)
        except PolicyEngineError as exc:
            expected = str(exc)
        try:
            got = evaluators.run_program(text)
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
        if _ORPHANS:
            _ORPHANS.pop(thread_number(), None)  # this thread's own, freed where they were made
        text = input_json(policy_input)
        evaluators: Evaluators | None = state.get("evaluators")
        if evaluators is None:
            evaluators = state["evaluators"] = Evaluators(
                compiled.source, compiled.entrypoint, compiled.program, compiled.data_json
            )
        if compiled.program is not None:
            try:
                document = evaluators.run_program(text)
            except RuntimeError:
                document = None  # the interpreter decides this one (and says why if it fails too)
            if isinstance(document, dict):
                return document
        return evaluators.interpret(text)
