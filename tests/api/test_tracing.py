"""Traces (issue 17 item 2): off by default; when a provider is installed each request is a `request` span
with `authenticate`, `decide` and `audit` children, and no attribute carries pupil data, a reason's text or a
token. The exporter is the OpenTelemetry SDK's in-memory one (its real exporter for tests)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from litestar.testing import TestClient
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from gateway.edge.tracing import configure_tracing, span, tracer_provider, use_provider
from tests.api.conftest import PERIOD, Tokens

CASEWORK = {"purpose": "attendance-support", "agreement": "la-attendance-support"}
REASON = "Weekly case review for Ms Example"


@pytest.fixture
def exporter() -> Iterator[InMemorySpanExporter]:
    memory = InMemorySpanExporter()
    use_provider(tracer_provider(memory, batch=False))
    try:
        yield memory
    finally:
        use_provider(None)


def by_trace(spans: tuple[ReadableSpan, ...]) -> dict[int, list[ReadableSpan]]:
    traces: dict[int, list[ReadableSpan]] = {}
    for s in spans:
        assert s.context is not None
        traces.setdefault(s.context.trace_id, []).append(s)
    return traces


def test_tracing_is_off_unless_an_endpoint_is_configured() -> None:
    assert configure_tracing(None) is None
    with span("decide") as current:
        assert current.is_recording() is False


def test_a_request_is_one_trace_of_the_stages_with_no_identifier_or_token(
    exporter: InMemorySpanExporter, client: TestClient[Any], tokens: Tokens, areas: dict[str, Any]
) -> None:
    upn, urn = areas["own"]["upn"], areas["own"]["urn"]
    headers = tokens.headers("la-attendance")
    allowed = client.get(
        f"/v1/pupils/{upn}/attendance", params={**CASEWORK, **PERIOD, "reason": REASON}, headers=headers
    )
    refused = client.get(f"/v1/schools/{urn}/benchmark", headers={"Authorization": "Bearer not-a-jwt"})
    assert (allowed.status_code, refused.status_code) == (200, 401)
    traces = list(by_trace(exporter.get_finished_spans()).values())
    assert len(traces) == 2
    names = [sorted(s.name for s in spans) for spans in traces]
    assert names == [["audit", "authenticate", "decide", "request"], ["audit", "authenticate", "request"]]
    for spans in traces:
        root = next(s for s in spans if s.name == "request")
        assert all(
            s.parent is not None and s.parent.span_id == root.context.span_id for s in spans if s is not root
        )
    first = {s.name: dict(s.attributes or {}) for s in traces[0]}
    assert first["request"]["http.route"] == "/v1/pupils/{upn}/attendance"
    assert first["request"]["http.response.status_code"] == 200
    assert first["decide"]["decision.outcome"] == "allow"
    assert first["authenticate"]["auth.outcome"] == "ok"
    assert first["audit"]["audit.outcome"] == "allowed"
    second = {s.name: dict(s.attributes or {}) for s in traces[1]}
    assert second["authenticate"]["auth.outcome"] == "malformed-token"
    text = orjson.dumps(
        [[dict(s.attributes or {}), s.name, [e.name for e in s.events]] for t in traces for s in t]
    )
    token = headers["Authorization"].removeprefix("Bearer ")
    for secret in (upn, str(urn), REASON, token, "not-a-jwt", allowed.headers["x-request-id"]):
        assert secret.encode() not in text


def test_an_aggregate_read_is_a_query_span_inside_its_request(
    exporter: InMemorySpanExporter, client: TestClient[Any], tokens: Tokens, areas: dict[str, Any]
) -> None:
    params = {**CASEWORK, **PERIOD, "reason": "Termly targeting meeting", "level": "la"}
    response = client.get(
        "/v1/attendance/summary",
        params={**params, "la_code": areas["own"]["la_code"]},
        headers=tokens.headers("la-attendance"),
    )
    assert response.status_code == 200, response.text
    spans = exporter.get_finished_spans()
    assert sorted(s.name for s in spans) == ["audit", "authenticate", "decide", "protect", "query", "request"]
    query = next(s for s in spans if s.name == "query")
    assert set((query.attributes or {}).keys()) == {"query.kind"}
