"""The `protect` span (issue 17 item 2): disclosure control (each protect_* function) runs inside a span of
its own, a child of the request, that names which kind of table was protected and nothing else; an error in
it marks the span by its type only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from litestar.testing import TestClient
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode

from gateway.edge.tracing import traced, tracer_provider, use_provider
from tests.api.conftest import PERIOD, Tokens

CASEWORK = {"purpose": "attendance-support", "agreement": "la-attendance-support"}


@pytest.fixture
def exporter() -> Iterator[InMemorySpanExporter]:
    memory = InMemorySpanExporter()
    use_provider(tracer_provider(memory, batch=False))
    try:
        yield memory
    finally:
        use_provider(None)


def test_a_protected_summary_is_a_protect_span_inside_its_request(
    exporter: InMemorySpanExporter, client: TestClient[Any], tokens: Tokens, areas: dict[str, Any]
) -> None:
    params = {**CASEWORK, **PERIOD, "reason": "Termly targeting meeting", "level": "school"}
    response = client.get(
        "/v1/attendance/summary",
        params={**params, "la_code": areas["own"]["la_code"]},
        headers=tokens.headers("la-attendance"),
    )
    assert response.status_code == 200, response.text
    spans = exporter.get_finished_spans()
    (protect,) = [s for s in spans if s.name == "protect"]
    (request,) = [s for s in spans if s.name == "request"]
    assert protect.parent is not None
    assert protect.parent.span_id == request.context.span_id
    assert dict(protect.attributes or {}) == {"protect.kind": "summary"}
    assert protect.status.status_code == StatusCode.UNSET
    # Nothing of the table (no count, no school) is in the span.
    text = orjson.dumps([dict(protect.attributes or {}), [e.name for e in protect.events]])
    assert str(areas["own"]["urn"]).encode() not in text


def test_an_error_in_protection_marks_its_span_by_type_only(exporter: InMemorySpanExporter) -> None:
    @traced("protect", **{"protect.kind": "test"})
    def refuse(cells: int) -> int:
        raise ValueError(f"cell with {cells} pupils")

    with pytest.raises(ValueError, match="cell with 3 pupils"):
        refuse(3)
    (span,) = exporter.get_finished_spans()
    assert (span.name, span.status.status_code, span.status.description) == (
        "protect",
        StatusCode.ERROR,
        "ValueError",
    )
    assert span.events == ()


def test_a_traced_function_returns_its_value_with_tracing_off() -> None:
    @traced("protect", **{"protect.kind": "test"})
    def double(value: int) -> int:
        return value * 2

    assert double(21) == 42
    assert double.__name__ == "double"
