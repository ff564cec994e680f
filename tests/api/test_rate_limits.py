"""Per-client rate limits declared per agreement in the policy data: 429 problem+json with Retry-After at the
edge, one audit event per refused request, one bucket per client and agreement."""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from typing import Any

import orjson
import psycopg
import pytest
from litestar.testing import TestClient

from gateway.app import create_app
from gateway.auth.personas import persona_claims
from gateway.auth.principal import Principal
from gateway.demo import DemoSummary
from gateway.edge.rate_limit import RateLimiter, RateLimits, rate_limits_from_policy_data
from gateway.policy.bundle import load_bundle
from gateway.settings import Settings
from tests.api.conftest import PERIOD, Tokens, audit_count

ONS = {"purpose": "official-statistics", "agreement": "ons-srsa-s45a", **PERIOD}
LIMIT = 3  # the test bundle's ons-srsa-s45a limit, requests a minute


@pytest.fixture(scope="module")
def limited_client(
    api_settings: Settings, loaded: DemoSummary, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient[Any]]:
    """The gateway on the API tests' data with a copy of the policies whose ONS agreement allows 3 a minute."""
    bundle = tmp_path_factory.mktemp("limited") / "policies"
    shutil.copytree(api_settings.policy.bundle_dir, bundle)
    agreements_file = bundle / "data" / "agreements" / "data.json"
    agreements = json.loads(agreements_file.read_text())
    agreements["ons-srsa-s45a"]["rate_limit_per_minute"] = LIMIT
    agreements_file.write_text(json.dumps(agreements))
    settings = api_settings.model_copy(
        update={"policy": api_settings.policy.model_copy(update={"bundle_dir": bundle})}
    )
    with TestClient(app=create_app(settings)) as client:
        yield client


def _get(client: TestClient[Any], headers: dict[str, str]) -> Any:
    return client.get(
        "/v1/attendance/summary", params=ONS, headers={**headers, "x-request-id": f"rl-{uuid.uuid4().hex}"}
    )


def _event(store: psycopg.Connection[Any], request_id: str) -> dict[str, Any]:
    rows = store.execute("SELECT content FROM audit_events WHERE request_id = %s", (request_id,)).fetchall()
    assert len(rows) == 1
    content = rows[0][0]
    return dict(orjson.loads(content) if isinstance(content, (str, bytes)) else content)


def test_the_request_over_the_limit_is_429_with_retry_after_and_one_audit_event(
    limited_client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    headers = tokens.headers("ons-statistician")
    statuses = [_get(limited_client, headers).status_code for _ in range(LIMIT)]
    refused = _get(limited_client, headers)
    assert statuses == [200] * LIMIT
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("application/problem+json")
    body = refused.json()
    assert body["type"].rsplit("/", 1)[-1] == "rate-limited"
    assert "3 requests a minute under the agreement ons-srsa-s45a" in body["detail"]
    # 3 a minute: the next request is allowed 20 s after the first of the burst.
    assert 1 <= int(refused.headers["retry-after"]) <= 20
    request_id = refused.headers["x-request-id"]
    assert audit_count(store, request_id) == 1
    event = _event(store, request_id)
    assert (event["status"], event["outcome"], event["failure"], event["agreement"]) == (
        429, "failed", "rate-limited", "ons-srsa-s45a",
    )  # fmt: skip
    assert event["allow"] is None  # refused before the policy was asked
    assert event["principal"]["subject"] == persona_claims("ons-statistician")["sub"]


def test_another_client_under_the_same_agreement_has_its_own_limit(
    limited_client: TestClient[Any], tokens: Tokens
) -> None:
    claims = {**persona_claims("ons-statistician"), "sub": f"other-{uuid.uuid4().hex[:8]}"}
    headers = {"Authorization": f"Bearer {tokens.issuer.issue(claims)}"}
    statuses = [_get(limited_client, headers).status_code for _ in range(LIMIT + 1)]
    assert statuses == [200] * LIMIT + [429]


def test_the_unlimited_default_is_not_applied_to_an_agreement_with_a_limit() -> None:
    limits = RateLimits(per_agreement={"a": 2}, default_per_minute=None)
    assert (limits.limit_for("a"), limits.limit_for(None), limits.limit_for("b")) == (2, None, None)


def test_gcra_allows_the_burst_then_one_per_interval() -> None:
    now = [1000.0]
    limiter = RateLimiter(RateLimits(per_agreement={"a": 3}, default_per_minute=None), clock=lambda: now[0])
    principal = _principal()
    burst = [limiter.acquire(principal, "a") for _ in range(3)]
    refused = limiter.acquire(principal, "a")
    now[0] += 20.0
    after_interval = [limiter.acquire(principal, "a"), limiter.acquire(principal, "a")]
    assert burst == [None, None, None]
    assert refused == pytest.approx(20.0)
    assert after_interval[0] is None
    assert after_interval[1] == pytest.approx(20.0)


def test_every_agreement_in_the_bundle_declares_a_limit(api_settings: Settings) -> None:
    data = load_bundle(api_settings.policy.bundle_dir).data
    limits = rate_limits_from_policy_data(data, None)
    assert set(limits.per_agreement) == set(data["data"]["agreements"])


@pytest.mark.parametrize("value", [0, -1, 1.5, "60", True])
def test_a_malformed_limit_in_the_policy_data_is_refused(value: object) -> None:
    data = {"data": {"agreements": {"x": {"rate_limit_per_minute": value}}}}
    with pytest.raises(ValueError, match="rate_limit_per_minute"):
        rate_limits_from_policy_data(data, None)


def _principal() -> Principal:
    return Principal(
        subject="s", issuer="https://issuer.example", organisation="o", organisation_type="ogd", roles=("r",)
    )
