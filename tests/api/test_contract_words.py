"""The committed contract is complete: every operation, parameter and schema property is described, every
operation has an example, every authenticated operation declares its 429, every data operation its cache
headers and 304."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = json.loads((ROOT / "openapi" / "openapi.json").read_text())
METHODS = {"get", "head", "post", "put", "patch", "delete"}
OPERATIONS = [
    (method, path, operation)
    for path, item in DOCUMENT["paths"].items()
    for method, operation in item.items()
    if method in METHODS
]


def _has_example(operation: dict[str, Any]) -> bool:
    bodies = [
        content
        for status, response in operation["responses"].items()
        if status.startswith("2")
        for content in (response.get("content") or {}).values()
    ]
    bodies += list((operation.get("requestBody") or {}).get("content", {}).values())
    return any("example" in c or "examples" in c for c in bodies)


def test_the_document_has_operations_and_schemas_to_check() -> None:
    assert len(OPERATIONS) == 30
    assert len(DOCUMENT["components"]["schemas"]) == 78  # 64 objects and 14 named enumerations


def test_every_operation_has_a_summary_and_a_description() -> None:
    missing = [(m, p) for m, p, op in OPERATIONS if not op.get("summary") or not op.get("description")]
    assert missing == []


def test_every_parameter_has_a_description() -> None:
    missing = [
        (m, p, param["name"])
        for m, p, op in OPERATIONS
        for param in op.get("parameters", [])
        if not param.get("description")
    ]
    assert missing == []


def test_every_schema_property_has_a_description() -> None:
    missing = [
        (name, prop)
        for name, schema in DOCUMENT["components"]["schemas"].items()
        for prop, sub in (schema.get("properties") or {}).items()
        if not sub.get("description")
    ]
    assert missing == []


def test_every_operation_has_an_example() -> None:
    assert [(m, p) for m, p, op in OPERATIONS if not _has_example(op)] == []


def test_every_operation_needing_a_token_declares_429_with_retry_after() -> None:
    authenticated = [(m, p, op) for m, p, op in OPERATIONS if "401" in op["responses"]]
    assert len(authenticated) == 24
    for _method, _path, operation in authenticated:
        refused = operation["responses"]["429"]
        assert refused["headers"]["Retry-After"]["schema"] == {"type": "integer", "minimum": 1}
        assert refused["content"]["application/problem+json"]["schema"] == {
            "$ref": "#/components/schemas/Problem"
        }


def test_data_operations_declare_their_cache_headers_and_304() -> None:
    data = {
        (m, p)
        for m, p, op in OPERATIONS
        if "Data-Version" in (op["responses"].get("200", {}).get("headers") or {})
    }
    assert data == {
        ("get", "/v1/attendance/summary"),
        ("get", "/v1/attendance/daily"),
        ("get", "/v1/attendance/closures"),
        ("get", "/v1/pupils"),
        ("get", "/v1/pupils/{upn}/attendance"),
        ("get", "/v1/early-warning"),
        ("get", "/v1/schools/{urn}/benchmark"),
        ("post", "/v1/extracts"),
    }
    for method, path in data:
        responses = DOCUMENT["paths"][path][method]["responses"]
        assert ("ETag" in responses["200"]["headers"]) is (method == "get")
        assert ("304" in responses) is (method == "get")


def test_errors_have_one_shape() -> None:
    problem = DOCUMENT["components"]["schemas"]["Problem"]["properties"]
    item = problem["errors"]["oneOf"][0]["items"]
    assert item == {"$ref": "#/components/schemas/ProblemItem"}
    assert set(DOCUMENT["components"]["schemas"]["ProblemItem"]["properties"]) == {
        "field",
        "source",
        "message",
    }
