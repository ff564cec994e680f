"""/metrics (issue 17 item 1): scraped from a live server, for the configured token only, with every family the
issue lists, counts that match what was asked and what the database holds, and no label that carries an
identifier."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import psycopg
import pytest
from litestar.testing import TestClient
from pydantic import SecretStr

from gateway.app import create_app
from gateway.demo import DemoSummary
from gateway.edge.metrics import route_label, samples_of
from gateway.settings import Settings
from tests.api.conftest import PERIOD, Tokens
from tests.api.live import serve_in_thread

SCRAPE_TOKEN = "scrape-token-for-tests-only"
CASEWORK = {"purpose": "attendance-support", "agreement": "la-attendance-support"}
CLIENT_REQUEST_ID = "client-supplied-id-4f1c"

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]

# Every family the issue names, by the sample names that show it.
EXPECTED = {
    "gateway_http_requests_total",
    "gateway_http_request_duration_seconds_bucket",
    "gateway_policy_decisions_total",
    "gateway_policy_decision_reasons_total",
    "gateway_policy_decision_duration_seconds_bucket",
    "gateway_decision_cache_hit_ratio",
    "gateway_audit_queue_depth",
    "gateway_audit_batch_size_bucket",
    "gateway_audit_commit_duration_seconds_bucket",
    "gateway_audit_checkpoint_age_seconds",
    "gateway_db_pool_in_use",
    "gateway_db_pool_waiting",
    "gateway_ingest_batches_total",
    "gateway_ingest_rows_total",
    "gateway_data_version",
    "gateway_latest_ingested_session_timestamp_seconds",
    "gateway_metrics_database_up",
}


@pytest.fixture(scope="module")
def live(api_settings: Settings, loaded: DemoSummary) -> Iterator[str]:
    settings = api_settings.model_copy(update={"metrics_token": SecretStr(SCRAPE_TOKEN)})
    with serve_in_thread(create_app(settings)) as url:
        yield url


def scrape(url: str) -> tuple[str, Samples]:
    response = httpx.get(f"{url}/metrics", headers={"Authorization": f"Bearer {SCRAPE_TOKEN}"}, timeout=30)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("text/plain; version=")
    samples = {(name, frozenset(labels.items())): v for name, labels, v in samples_of(response.text)}
    return response.text, samples


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


@pytest.fixture(scope="module")
def traffic(live: str, tokens: Tokens, areas: dict[str, Any]) -> tuple[Samples, Samples, str, dict[str, int]]:
    """A scrape, then an allowed pupil lookup, a denied one, a bad token and an unmatched path (each naming a
    UPN or a URN), then a scrape."""
    _, before = scrape(live)
    upn, urn = areas["own"]["upn"], areas["own"]["urn"]
    casework = {**CASEWORK, **PERIOD}
    headers = {**tokens.headers("la-attendance"), "x-request-id": CLIENT_REQUEST_ID}
    bearer = headers["Authorization"].removeprefix("Bearer ")
    with httpx.Client(base_url=live, timeout=60) as http:
        responses = [
            http.get(
                f"/v1/pupils/{upn}/attendance",
                params={**casework, "reason": "weekly case review"},
                headers=headers,
            ),
            http.get(f"/v1/pupils/{upn}/attendance", params=casework, headers=headers),
            http.get(f"/v1/schools/{urn}/benchmark", headers={"Authorization": "Bearer not-a-jwt"}),
            http.get(f"/v1/nothing/{upn}/{urn}", headers=headers),
        ]
    assert [r.status_code for r in responses] == [200, 403, 401, 404], [r.text[:300] for r in responses]
    text, after = scrape(live)
    return before, after, text, {"upn": upn, "urn": urn, "token": bearer}  # type: ignore[dict-item]


def test_metrics_answer_only_the_configured_token(live: str, client: TestClient[Any]) -> None:
    assert httpx.get(f"{live}/metrics", timeout=30).status_code == 401
    wrong = httpx.get(f"{live}/metrics", headers={"Authorization": "Bearer nope"}, timeout=30)
    assert (wrong.status_code, wrong.headers["content-type"]) == (401, "application/problem+json")
    assert wrong.headers["www-authenticate"] == 'Bearer realm="metrics"'
    assert "gateway_" not in wrong.text
    unconfigured = client.get("/metrics", headers={"Authorization": f"Bearer {SCRAPE_TOKEN}"})
    assert unconfigured.status_code == 404  # the session's app has no metrics_token: no endpoint


def test_every_family_the_issue_lists_is_exposed(traffic: tuple[Samples, Samples, str, Any]) -> None:
    """Each family by a sample, or (rejected rows, when nothing was rejected) by its declared type."""
    names = {name for name, _ in traffic[1]}
    declared = {line.split()[2] for line in traffic[2].splitlines() if line.startswith("# TYPE ")}
    assert {
        name for name in EXPECTED if name not in names and name.removesuffix("_total") not in declared
    } == set()


def test_requests_are_counted_by_route_template_method_and_status(
    traffic: tuple[Samples, Samples, str, Any],
) -> None:
    before, after, _, _ = traffic
    counted = {
        ("/v1/pupils/{upn}/attendance", "200"),
        ("/v1/pupils/{upn}/attendance", "403"),
        ("/v1/schools/{urn}/benchmark", "401"),
        ("unmatched", "404"),
    }
    for route, status in counted:
        labels = {"route": route, "method": "GET", "status": status}
        assert (
            value(after, "gateway_http_requests_total", **labels)
            - value(before, "gateway_http_requests_total", **labels)
            == 1.0
        ), (route, status)
        assert (
            value(after, "gateway_http_request_duration_seconds_count", **labels)
            - value(before, "gateway_http_request_duration_seconds_count", **labels)
            == 1.0
        )


def test_decisions_are_counted_by_outcome_and_reason(traffic: tuple[Samples, Samples, str, Any]) -> None:
    before, after, _, _ = traffic
    name = "gateway_policy_decisions_total"
    assert value(after, name, outcome="allow") - value(before, name, outcome="allow") == 1.0
    assert value(after, name, outcome="deny") - value(before, name, outcome="deny") == 1.0
    reasons = "gateway_policy_decision_reasons_total"
    required = {"outcome": "deny", "reason": "DENY_REASON_REQUIRED"}
    assert value(after, reasons, **required) - value(before, reasons, **required) == 1.0
    timed = "gateway_policy_decision_duration_seconds_count"
    assert value(after, timed, outcome="allow") - value(before, timed, outcome="allow") == 1.0


def test_audit_batches_hold_exactly_the_audited_requests(traffic: tuple[Samples, Samples, str, Any]) -> None:
    """Four audited requests (scrapes are not audited): the batch-size histogram's sum grows by four."""
    before, after, _, _ = traffic
    name = "gateway_audit_batch_size_sum"
    assert value(after, name) - value(before, name) == 4.0
    assert value(after, "gateway_audit_queue_depth") == 0.0
    assert value(after, "gateway_audit_unsigned_events") == value(after, "gateway_audit_head_size") - value(
        after, "gateway_audit_signed_size"
    )


def test_ingest_and_data_version_match_the_database(
    traffic: tuple[Samples, Samples, str, Any], store: psycopg.Connection[Any]
) -> None:
    after = traffic[1]
    for feed, batches, accepted, rejected in store.execute(
        "SELECT feed_kind, count(*), sum(accepted), sum(rejected) FROM ingest_batches GROUP BY feed_kind"
    ).fetchall():
        assert value(after, "gateway_ingest_batches_total", feed=feed) == float(batches)
        assert value(after, "gateway_ingest_rows_total", feed=feed, outcome="accepted") == float(accepted)
        assert value(after, "gateway_ingest_rows_total", feed=feed, outcome="rejected") == float(rejected)
    rejects = store.execute(
        "SELECT reason_code, count(*) FROM ingest_rejects GROUP BY reason_code"
    ).fetchall()
    exposed = {
        dict(labels)["reason"]: v
        for (name, labels), v in after.items()
        if name == "gateway_ingest_rejected_rows_total"
    }
    assert exposed == {reason: float(n) for reason, n in rejects}
    top, newest = store.execute(
        "SELECT (SELECT max(batch_id) FROM ingest_batches), "
        "(SELECT extract(epoch FROM max(date)::timestamp) FROM marks)"
    ).fetchone()
    assert value(after, "gateway_data_version") == float(top)
    session = value(after, "gateway_latest_ingested_session_timestamp_seconds")
    assert session - float(newest) in (0.0, 43200.0)  # the newest day, AM or PM
    assert value(after, "gateway_metrics_database_up") == 1.0


def test_no_label_carries_an_identifier(traffic: tuple[Samples, Samples, str, Any]) -> None:
    _, after, text, secrets = traffic
    values = {v for _, labels in after for _, v in labels}
    for secret in (secrets["upn"], str(secrets["urn"]), secrets["token"], CLIENT_REQUEST_ID, SCRAPE_TOKEN):
        assert secret not in text
    assert not any(re.search(r"\d{6}", v) for v in values)  # no URN, LA-and-school number or UPN digits
    assert not any(v.startswith("eyJ") for v in values)  # no JWT
    routes = {v for _, labels in after for k, v in labels if k == "route"}
    assert {"/v1/pupils/{upn}/attendance", "/v1/schools/{urn}/benchmark", "unmatched", "/metrics"} <= routes
    assert all(route_label(route) == route for route in routes)  # templates only, never a raw path
