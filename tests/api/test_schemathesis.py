"""schemathesis against the live gateway for several personas, and a recorder of (route, status) pairs.

Generated requests (valid and invalid) must never cause a server error and every response must conform
to the committed OpenAPI document. Half the generated requests carry the persona's own valid purpose and
agreement so that allowed paths are exercised too. Every documented status of every route must have been
seen by the end of the module; statuses fuzzing rarely reaches (503, 404) are produced by real means:
a policy engine that cannot be reached, a pupil outside the caller's scope.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from gateway.app import create_app
from gateway.settings import PolicySettings, Settings
from tests.api.conftest import PERIOD, Tokens
from tests.api.live import serve_in_thread

pytestmark = pytest.mark.xdist_group("contract")

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "openapi" / "openapi.json"
SCHEMA = schemathesis.openapi.from_path(COMMITTED)
SCHEMA.config.generation.update(max_examples=5)

# What each persona would honestly send (purpose, agreement, reason); used in half the generated cases.
PERSONAS: dict[str, dict[str, str]] = {
    "la-attendance": {
        "purpose": "attendance-support",
        "agreement": "la-attendance-support",
        "reason": "Termly targeting meeting",
    },
    "ogd-analyst": {"purpose": "multiple-disadvantages", "agreement": "dwp-dea-s35"},
    "ons-statistician": {"purpose": "official-statistics", "agreement": "ons-srsa-s45a"},
    "school-lead": {"purpose": "school-improvement", "agreement": "school-benchmark"},
    "dfe-dpo": {"purpose": "audit-oversight", "dpo_agreement": "dpo-oversight-dfe"},
    "aggregator": {"purpose": "data-collection", "agreement": "aggregator-collection"},
}
RECORDED: set[tuple[str, str, int]] = set()


def documented() -> set[tuple[str, str, int]]:
    document = json.loads(COMMITTED.read_text())
    return {
        (method.upper(), path, int(status))
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        for status in operation["responses"]
    }


@pytest.fixture(scope="module")
def live_url(api_settings: Settings, loaded: Any) -> Iterator[str]:
    with serve_in_thread(create_app(api_settings)) as url:
        yield url


@pytest.fixture(scope="module")
def unreachable_policy_url(api_settings: Settings, loaded: Any) -> Iterator[str]:
    """The same gateway configured for an OPA server that is not there: every decision fails."""
    broken = api_settings.model_copy(
        update={"policy": PolicySettings(engine="opa", opa_url="http://127.0.0.1:9", timeout_ms=300)}
    )
    with serve_in_thread(create_app(broken)) as url:
        yield url


def _choose(case: Any) -> tuple[str, bool]:
    digest = zlib.crc32(f"{case.method} {case.path} {case.query} {case.path_parameters}".encode())
    names = sorted(PERSONAS)
    return names[digest % len(names)], digest % 2 == 0


@SCHEMA.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_gateway_conforms_to_its_contract(case: Any, live_url: str, tokens: Tokens) -> None:
    persona, honest = _choose(case)
    if honest and isinstance(case.query, dict):
        declared = {p.name for p in case.operation.query}
        case.query.update({k: v for k, v in PERSONAS[persona].items() if k in declared})
    if honest and isinstance(case.body, dict):
        case.body.update({k: v for k, v in PERSONAS[persona].items() if k in ("purpose", "agreement")})
    response = case.call(base_url=live_url, headers=tokens.headers(persona))
    RECORDED.add((case.method.upper(), case.path, response.status_code))
    # A policy may refuse a well-formed request (403): that is the product working, not a failure.
    case.validate_response(response, excluded_checks=[positive_data_acceptance])


def _concrete(template: str, areas: dict[str, Any]) -> str:
    return (
        template.replace("{upn}", str(areas["own"]["upn"]))
        .replace("{urn}", str(areas["own"]["urn"]))
        .replace("{seq}", "1")
    )


def _record(method: str, template: str, response: httpx.Response) -> None:
    RECORDED.add((method, template, response.status_code))


def test_without_a_token_every_governed_route_is_401(live_url: str) -> None:
    for method, path, status in sorted(documented()):
        if status != 401:
            continue
        url = live_url + path.replace("{upn}", "A886123400001").replace("{urn}", "100001").replace(
            "{seq}", "1"
        )
        response = httpx.request(method, url, timeout=30)
        assert response.status_code == 401, (method, path)
        assert response.headers["www-authenticate"].startswith("Bearer")
        _record(method, path, response)


def test_when_the_policy_engine_is_unreachable_no_data_leaves(
    unreachable_policy_url: str, tokens: Tokens, areas: dict[str, Any]
) -> None:
    params = {
        **PERIOD,
        "purpose": "official-statistics",
        "agreement": "ons-srsa-s45a",
        "date": "2025-10-01",
        "action": "attendance.summary",
        "from": "2025-09-01T00:00:00Z",
        "to": "2026-09-01T00:00:00Z",
    }
    body = {"purpose": "official-statistics", "agreement": "ons-srsa-s45a", **PERIOD}
    for method, path, status in sorted(documented()):
        if status != 503 or path.startswith("/health"):
            continue
        extra: dict[str, Any] = {"headers": tokens.headers("dfe-dpo")}
        if path == "/v1/extracts":
            extra["json"] = body
        elif method == "POST":
            extra["content"] = b"urn\n"
            extra["headers"] = {**tokens.headers("dfe-dpo"), "content-type": "text/csv"}
        query = {**params, "from": 1, "to": 2} if path == "/v1/audit/consistency" else params
        response = httpx.request(
            method,
            unreachable_policy_url + _concrete(path, areas),
            params=query,
            timeout=30,
            **extra,
        )
        assert response.status_code == 503, (method, path, response.text)
        assert response.json()["type"].endswith("/policy-engine-unavailable")
        _record(method, path, response)
