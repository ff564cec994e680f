"""Direct calls into rego-cpp's C API (the library regopy loads): input built value by value, output read once."""

from __future__ import annotations

import ctypes
from collections.abc import Mapping, Sequence, Set
from typing import Any

from gateway.policy import cxx_runtime  # noqa: F401  (must be loaded before regopy)

# isort: split
import orjson
import regopy
from regopy.rego_shared import RegoError, rego

# The same C functions regopy calls, bound once. regopy wraps each value in a Python function that copies
# strings into a fresh ctypes buffer; passing bytes straight to these halves the cost of building an input.
_new_input = rego.regoNewInput
_free_input = rego.regoFreeInput
_set_input = rego.regoSetInput
_str = rego.regoInputString
_int = rego.regoInputInt
_float = rego.regoInputFloat
_bool = rego.regoInputBoolean
_null = rego.regoInputNull
_item = rego.regoInputObjectItem
_object = rego.regoInputObject
_array = rego.regoInputArray
_set = rego.regoInputSet
_query_entrypoint = rego.regoBundleQueryEntrypoint
_output_ok = rego.regoOutputOk
_output_size = rego.regoOutputJSONSize
_output_json = rego.regoOutputJSON
_free_output = rego.regoFreeOutput
_error_size = rego.regoErrorSize
_error = rego.regoError

_OK = 0
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def _add(p_input: int, value: Any) -> int:
    """Push one value onto the input under construction; a non-zero result is rego-cpp's error code."""
    kind = type(value)
    if kind is str:
        return _add_text(p_input, value)
    if kind is dict:
        code = 0
        for key, item in value.items():
            code |= _add_text(p_input, key) if type(key) is str else _add(p_input, key)
            code |= _add(p_input, item) | _item(p_input)
        return code | int(_object(p_input, len(value)))
    if kind is list or kind is tuple:
        code = 0
        for item in value:
            code |= _add(p_input, item)
        return code | int(_array(p_input, len(value)))
    if value is None:
        return int(_null(p_input))
    if kind is bool:
        return int(_bool(p_input, value))
    if kind is int:
        return _add_int(p_input, value)
    if kind is float:
        return int(_float(p_input, value))
    return _add_other(p_input, value)


def _add_text(p_input: int, value: str) -> int:
    # rego-cpp takes C strings: a NUL would end the text there, so "a\x00b" would reach the policy as "a"
    # and could compare equal to a different, shorter value. Refuse it (the decision fails closed).
    if "\x00" in value:
        raise ValueError("a policy input text cannot hold a NUL character")
    return int(_str(p_input, value.encode()))


def _add_int(p_input: int, value: int) -> int:
    # ctypes would silently wrap a larger integer into 64 bits: a different number, so refuse it.
    if not _INT64_MIN <= value <= _INT64_MAX:
        raise ValueError("a policy input integer must fit in 64 bits")
    return int(_int(p_input, value))


def _add_other(p_input: int, value: Any) -> int:
    """Subclasses and other collections, as regopy's own conversion takes them (bool has no subclasses, so
    `_add` has already taken every bool)."""
    if isinstance(value, int):
        return _add_int(p_input, int(value))
    if isinstance(value, float):
        return int(_float(p_input, value))
    if isinstance(value, str):
        return _add_text(p_input, str(value))
    if isinstance(value, Mapping):
        return _add(p_input, dict(value))
    if isinstance(value, Set):
        code = 0
        for item in value:
            code |= _add(p_input, item)
        return code | int(_set(p_input, len(value)))
    if isinstance(value, Sequence):
        return _add(p_input, list(value))
    raise ValueError(f"a policy input cannot hold a {type(value).__name__}")


def set_input(interpreter: regopy.Interpreter, value: Any) -> None:
    """Make `value` the interpreter's input document (rego-cpp copies it; the builder is freed here)."""
    p_input = _new_input()
    try:
        code = _add(p_input, value)
        # The two checks below guard rego-cpp's own failures (out of memory, a builder out of step), which no
        # input built above provokes: `_add` pushes exactly one well-formed value. They fail closed.
        if code != _OK:
            raise RegoError("rego-cpp refused the policy input", code)  # pragma: no cover
        code = _set_input(interpreter._impl, p_input)
        if code != _OK:
            raise RegoError(_error_text(interpreter), code)  # pragma: no cover
    finally:
        _free_input(p_input)


def query_entrypoint(interpreter: regopy.Interpreter, bundle: regopy.Bundle, entrypoint: bytes) -> list[Any]:
    """The entrypoint's expressions for the current input: [] when undefined, or RegoError."""
    p_output = _query_entrypoint(interpreter._impl, bundle._impl, entrypoint)
    # No output at all, an output that cannot be written, and other than one result are rego-cpp failures
    # that no policy or input provokes (an error in the policy is an output that is not ok): fail closed.
    if not p_output:
        raise RegoError(_error_text(interpreter))  # pragma: no cover
    try:
        if not _output_ok(p_output):
            raise RegoError("the policy raised an error")
        size = _output_size(p_output)
        buffer = ctypes.create_string_buffer(size)
        code = _output_json(p_output, buffer, size)
        if code != _OK:
            raise RegoError("rego-cpp could not write the output", code)  # pragma: no cover
        text = buffer.value
    finally:
        _free_output(p_output)
    if text == b"undefined":
        return []
    parsed = orjson.loads(text)
    # One result, as regopy reads it: several results (or none) leave the decision undefined.
    results = parsed if isinstance(parsed, list) else [parsed]
    if len(results) != 1 or not isinstance(results[0], dict):
        return []  # pragma: no cover
    expressions = results[0].get("expressions", [])
    return expressions if isinstance(expressions, list) else []


def _error_text(interpreter: regopy.Interpreter) -> str:  # pragma: no cover (only the failures above)
    size = _error_size(interpreter._impl)
    buffer = ctypes.create_string_buffer(size)
    _error(interpreter._impl, buffer, size)
    return buffer.value.decode("utf-8", "replace")
