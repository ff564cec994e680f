"""OpenTelemetry traces of the request path, exported by OTLP (HTTP/protobuf) only when configured.

Off by default: with no `tracing_otlp_endpoint` (`GATEWAY_TRACING_OTLP_ENDPOINT`) no tracer provider is
installed and every span below is a no-op. When on, each request is one `request` span with children
`authenticate`, `decide`, `query` (aggregate reads through the governed request) and `audit`; pupil-level
reads and the disclosure-control (protect) stage are not yet spans of their own (docs/operations.md).

Attributes pass the log redactor (gateway.observability.redact_sensitive): sensitive keys are dropped and
JWTs and UPNs masked in any string, and the only attributes set are the route template (never the raw
path), the method, the status, decision outcome and reason codes, the bundle revision, and the audit
outcome. Request ids, tokens, URNs, UPNs and query strings are never attributes."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import Any, ParamSpec, TypeVar

from litestar.types import ASGIApp, Message, Receive, Scope, Send
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor, SpanExporter
from opentelemetry.trace import Span, Status, StatusCode

from gateway import __version__
from gateway.edge.request_id import route_template
from gateway.observability import redact_sensitive

TRACER_NAME = "gateway"
SPAN_NAMES = ("request", "authenticate", "decide", "query", "protect", "audit")
P = ParamSpec("P")
R = TypeVar("R")


def tracer_provider(exporter: SpanExporter, *, batch: bool = True) -> TracerProvider:
    """A provider that sends spans to `exporter` (OTLP in service, the SDK's in-memory one in tests)."""
    provider = TracerProvider(
        resource=Resource.create({"service.name": "attendance-gateway", "service.version": __version__})
    )
    provider.add_span_processor(BatchSpanProcessor(exporter) if batch else SimpleSpanProcessor(exporter))
    return provider


# The gateway's own provider, not OpenTelemetry's process-global one (which may be set only once): None is
# off, and every span is a no-op.
_installed: dict[str, TracerProvider | None] = {"provider": None}


def use_provider(provider: TracerProvider | None) -> None:
    _installed["provider"] = provider


def configure_tracing(endpoint: str | None) -> TracerProvider | None:
    """Install the OTLP exporter when an endpoint is configured; otherwise leave tracing off."""
    if not endpoint:
        return None
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    provider = tracer_provider(OTLPSpanExporter(endpoint=endpoint))
    use_provider(provider)
    return provider


def safe_attributes(attributes: dict[str, Any]) -> dict[str, Any]:
    """The attributes as the log redactor leaves them; values OpenTelemetry cannot hold become strings."""
    cleaned = redact_sensitive(None, "", dict(attributes))
    out: dict[str, Any] = {}
    for key, value in cleaned.items():
        if value is None:
            continue
        if isinstance(value, list | tuple):
            out[key] = [str(v) for v in value]
        elif isinstance(value, bool | int | float | str):
            out[key] = value
        else:
            out[key] = str(value)
    return out


@contextlib.contextmanager
def span(name: str, **attributes: Any) -> Iterator[Span]:
    """A child of the current span (a no-op while tracing is off). An exception marks the span as an error
    by its type only: its message, like a log line's, could quote what the request held."""
    provider = _installed["provider"]
    if provider is None:
        yield trace.INVALID_SPAN
        return
    tracer = provider.get_tracer(TRACER_NAME)
    with tracer.start_as_current_span(
        name, attributes=safe_attributes(attributes), record_exception=False, set_status_on_exception=False
    ) as current:
        try:
            yield current
        except BaseException as exc:
            current.set_status(Status(StatusCode.ERROR, type(exc).__name__))
            raise


def traced(name: str, **attributes: Any) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Run a (synchronous) function inside span `name`: how disclosure control's protect_* functions get
    their `protect` span without each caller wrapping them."""

    def wrap(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def inner(*args: P.args, **kwargs: P.kwargs) -> R:
            with span(name, **attributes):
                return function(*args, **kwargs)

        return inner

    return wrap


def annotate(current: Span, **attributes: Any) -> None:
    if current.is_recording():
        current.set_attributes(safe_attributes(attributes))


def traced_requests(app: ASGIApp) -> ASGIApp:
    """One `request` span per HTTP request, named by its route template and status once they are known."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # type: ignore[comparison-overlap]
            await app(scope, receive, send)
            return
        status = {"code": 500}

        async def observed(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = int(message["status"])
            await send(message)

        with span("request", **{"http.request.method": str(scope.get("method", ""))}) as current:
            try:
                await app(scope, receive, observed)
            finally:
                annotate(
                    current,
                    **{"http.route": route_template(scope), "http.response.status_code": status["code"]},
                )
                if status["code"] >= 500:
                    current.set_status(Status(StatusCode.ERROR))

    return middleware


__all__ = [
    "SPAN_NAMES",
    "annotate",
    "configure_tracing",
    "span",
    "traced",
    "traced_requests",
    "tracer_provider",
    "use_provider",
]
