"""The policy routes on the real gateway: explain answers without data, reload needs the policy-admin role."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from tests.api.conftest import Tokens


def test_explain_answers_without_data(client: TestClient[Any], tokens: Tokens) -> None:
    params = {
        "action": "extracts.create",
        "agreement": "dwp-dea-s35",
        "purpose": "multiple-disadvantages",
        "fields": "pupil_ref,upn",
    }
    response = client.get("/v1/decisions/explain", params=params, headers=tokens.headers("ogd-analyst"))
    body = response.json()
    assert response.status_code == 200
    assert (body["action"], body["allow"], body["obligations"]) == ("extracts.create", False, None)
    assert body["reasons"] == [
        {
            "code": "DENY_FIELD_OUTSIDE_AGREEMENT",
            "message": "The fields upn are outside the agreement dwp-dea-s35.",
            "citation": "UK GDPR Art. 5(1)(c) data minimisation",
        }
    ]


def test_explain_of_an_allowed_request_shows_the_obligations(client: TestClient[Any], tokens: Tokens) -> None:
    params = {"action": "extracts.create", "agreement": "dwp-dea-s35", "purpose": "multiple-disadvantages"}
    body = client.get("/v1/decisions/explain", params=params, headers=tokens.headers("ogd-analyst")).json()
    assert body["allow"] is True
    assert (body["obligations"]["pseudonym_domain"], body["obligations"]["pseudonym_method"]) == (
        "dwp",
        "hmac",
    )
    assert body["obligations"]["disclosure_profile"]["name"] == "ogd-aggregate"


def test_reload_needs_the_policy_admin_role(client: TestClient[Any], tokens: Tokens) -> None:
    revision = client.app.state.services.policy_engine.revision
    denied = client.post("/v1/admin/policies/reload", headers=tokens.headers("dfe-dpo"))
    allowed = client.post("/v1/admin/policies/reload", headers=tokens.headers("policy-admin"))
    assert [r["code"] for r in denied.json()["reasons"]] == ["DENY_ROLE"]
    assert (allowed.status_code, allowed.json()) == (
        200,
        {"previous_revision": revision, "revision": revision},
    )
