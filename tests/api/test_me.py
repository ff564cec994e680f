"""`GET /v1/me` on the real gateway: the caller's agreements as the policy engine answers, with what each allows."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import orjson
import psycopg
from litestar.testing import TestClient

from gateway.auth.personas import persona_claims
from gateway.privacy.query_space import describe_query_space
from tests.api.conftest import Tokens

POLICY_DATA = Path(__file__).resolve().parents[2] / "policies" / "data"
AGREEMENTS = json.loads((POLICY_DATA / "agreements" / "data.json").read_text())
PROFILES = json.loads((POLICY_DATA / "disclosure_profiles" / "data.json").read_text())


def _me(client: TestClient[Any], headers: dict[str, str]) -> Any:
    return client.get("/v1/me", headers={**headers, "x-request-id": f"me-{uuid.uuid4().hex}"})


def test_the_dwp_analyst_sees_its_one_agreement_with_what_it_allows(
    client: TestClient[Any], tokens: Tokens
) -> None:
    response = _me(client, tokens.headers("ogd-analyst"))
    assert response.status_code == 200
    body = response.json()
    claims = persona_claims("ogd-analyst")
    assert (body["subject"], body["organisation"], body["roles"]) == (claims["sub"], "dwp", ["analyst"])
    assert body["policy_revision"] == client.app.state.services.policy_engine.revision
    [agreement] = body["agreements"]
    source = AGREEMENTS["dwp-dea-s35"]
    assert agreement == {
        "agreement_id": "dwp-dea-s35",
        "title": source["title"],
        "status": "In force",
        "legal_gateway": "dea2017-s35",
        "purposes": ["multiple-disadvantages"],
        "actions": ["extracts.create", "attendance.summary"],
        "levels": ["national", "region", "la", "school", "trust"],
        "fields": source["fields"],
        "granularity": "pseudonymised",
        "disclosure": {
            "name": "ogd-aggregate",
            "threshold": PROFILES["ogd-aggregate"]["threshold"],
            "zeros_disclosive": PROFILES["ogd-aggregate"]["zeros_disclosive"],
            "round_to": PROFILES["ogd-aggregate"]["round_to"],
            "secondary": PROFILES["ogd-aggregate"]["secondary"],
            "cell_key": PROFILES["ogd-aggregate"]["cell_key"],
            "rate_decimals": PROFILES["ogd-aggregate"]["rate_decimals"],
            "query_space": describe_query_space(PROFILES["ogd-aggregate"]),
            "min_comparator_schools": PROFILES["ogd-aggregate"]["min_comparator_schools"],
        },
        "row_cap": 100000,
        "rate_limit_per_minute": 300,
        "valid_from": "2025-01-01",
        "valid_to": "2026-12-31",
        "dpia": "dpia/dwp-dea-s35.md",
    }


def test_an_la_officer_reaches_only_its_own_la_and_schools(client: TestClient[Any], tokens: Tokens) -> None:
    body = _me(client, tokens.headers("la-attendance")).json()
    assert [(a["agreement_id"], a["levels"]) for a in body["agreements"]] == [
        ("la-attendance-support", ["la", "school"])
    ]
    assert body["la_code"] == tokens.areas["own"]["la_code"]


def test_an_agreement_without_aggregates_reaches_no_level(client: TestClient[Any], tokens: Tokens) -> None:
    body = _me(client, tokens.headers("home-office-analyst")).json()
    assert [(a["agreement_id"], a["status"], a["levels"]) for a in body["agreements"]] == [
        ("home-office-2016", "Ended", [])
    ]


def test_a_caller_with_no_agreement_gets_an_empty_list(client: TestClient[Any], tokens: Tokens) -> None:
    body = _me(client, tokens.headers("policy-admin")).json()
    assert body["agreements"] == []


def test_me_is_decided_and_audited_as_one_event_releasing_nothing(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    response = _me(client, tokens.headers("ons-statistician"))
    request_id = response.headers["x-request-id"]
    rows = store.execute("SELECT content FROM audit_events WHERE request_id = %s", (request_id,)).fetchall()
    assert len(rows) == 1
    content = rows[0][0]
    event = orjson.loads(content) if isinstance(content, (str, bytes)) else content
    assert (event["action"], event["allow"], event["status"], event["rows_returned"]) == (
        "decisions.explain",
        True,
        200,
        0,
    )


def test_me_needs_a_token(client: TestClient[Any]) -> None:
    response = client.get("/v1/me")
    assert (response.status_code, response.json()["type"].rsplit("/", 1)[-1]) == (401, "missing-token")


def test_the_contract_declares_me_with_its_schema_and_429(client: TestClient[Any]) -> None:
    document = client.get("/schema/openapi.json").json()
    operation = document["paths"]["/v1/me"]["get"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Capabilities"
    }
    assert set(operation["responses"]) == {"200", "400", "401", "429", "503"}
    assert operation["responses"]["429"]["headers"]["Retry-After"]["required"] is True
