"""Names a generated client reads (issue 15 item 5): each operation's id is its handler's name, and every
enumeration is one named schema referred to wherever it appears, so a generator makes one `Phase` type
and not one per operation; the parameter validator follows those references."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar, get
from litestar.openapi import OpenAPIConfig

from gateway.api.openapi_docs import NAMED_ENUMS, document_clean_names
from gateway.edge.parameters import ParameterContract, resolve_references

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = json.loads((ROOT / "openapi" / "openapi.json").read_text())
SCHEMAS = DOCUMENT["components"]["schemas"]


def _enums(node: Any, where: str) -> list[tuple[str, tuple[Any, ...]]]:
    found: list[tuple[str, tuple[Any, ...]]] = []
    if isinstance(node, dict):
        if "enum" in node:
            found.append((where, tuple(node["enum"])))
        for key, value in node.items():
            found += _enums(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _enums(value, f"{where}/{index}")
    return found


def test_every_enumeration_is_one_named_schema() -> None:
    enums = _enums(DOCUMENT, "#")
    expected = [(f"#/components/schemas/{name}", values) for values, (name, _) in NAMED_ENUMS.items()]
    assert sorted(enums) == sorted(expected)
    assert len({values for _, values in enums}) == len(enums) == 14


def test_the_phase_parameter_of_every_table_refers_to_the_one_phase() -> None:
    phases = {
        path: next(p["schema"] for p in item["get"]["parameters"] if p["name"] == "phase")
        for path, item in DOCUMENT["paths"].items()
        if path.startswith("/v1/attendance/")
    }
    reference = {"$ref": "#/components/schemas/Phase"}
    assert {path: schema["oneOf"] for path, schema in phases.items()} == {
        path: [reference, {"type": "null"}] for path in phases
    }
    assert SCHEMAS["Phase"]["enum"] == ["primary", "secondary", "special"]


def test_operation_ids_are_the_handlers_names() -> None:
    ids = {
        (method, path): operation["operationId"]
        for path, item in DOCUMENT["paths"].items()
        for method, operation in item.items()
    }
    assert ids[("get", "/v1/attendance/summary")] == "attendanceSummary"
    assert ids[("get", "/v1/me")] == "me"
    assert ids[("post", "/v1/extracts")] == "createExtract"
    assert len(set(ids.values())) == len(ids)


def test_two_operations_with_one_handler_name_stop_the_app() -> None:
    async def listing() -> str:
        return "x"

    app = Litestar(
        [get("/a")(listing), get("/b")(listing)], openapi_config=OpenAPIConfig(title="t", version="1")
    )
    with pytest.raises(RuntimeError, match="operation id listing of GET"):
        document_clean_names(app)


def test_the_validator_reads_a_referenced_enumeration() -> None:
    contract = ParameterContract()
    contract.load(DOCUMENT)
    rules = contract.rules_for("/v1/attendance/summary", "GET")
    assert rules is not None
    by_name = {rule.name: rule for rule in rules}
    assert by_name["phase"].enum == frozenset({"primary", "secondary", "special"})
    assert by_name["level"].enum == frozenset({"national", "region", "la", "school", "trust"})


def test_resolving_references_leaves_everything_else_as_it_is() -> None:
    document = {"components": {"schemas": {"A": {"enum": ["x"], "type": "string"}}}}
    node = {"oneOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}], "description": "d", "n": 1}
    assert resolve_references(node, document) == {
        "oneOf": [{"enum": ["x"], "type": "string"}, {"type": "null"}],
        "description": "d",
        "n": 1,
    }
    assert resolve_references({"$ref": "https://elsewhere/x"}, document) == {"$ref": "https://elsewhere/x"}
