"""The committed OpenAPI document is the app's, and every non-public operation needs a bearer token."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gateway.app import create_app
from gateway.cli import openapi_document
from gateway.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "openapi" / "openapi.json"
PUBLIC = {
    ("get", "/health/live"),
    ("get", "/health/ready"),
    ("get", "/v1/audit/keys"),
    ("get", "/v1/feed/conformance"),
}


def test_committed_openapi_matches_the_app(api_settings: Settings, loaded: Any) -> None:
    generated = openapi_document(create_app(api_settings))
    assert generated == COMMITTED.read_text(), (
        "openapi/openapi.json is stale: run `make openapi` and commit it"
    )


def test_every_non_public_operation_declares_the_bearer_scheme() -> None:
    document = json.loads(COMMITTED.read_text())
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "A JWT from a trusted issuer",
    }
    assert schemes["oidc"]["openIdConnectUrl"].endswith("/.well-known/openid-configuration")
    assert schemes["clientCredentials"]["flows"]["clientCredentials"]["tokenUrl"].endswith("/token")
    missing = [
        (method, path)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if (method, path) not in PUBLIC
        and not path.startswith("/problems")
        and operation.get("security") != [{"bearer": []}, {"oidc": []}, {"clientCredentials": ["gateway"]}]
    ]
    assert missing == []
