"""The edge's outermost layer: a request id for every request, bound to the log context and echoed back,
and the access log line (method, route template, status; never query strings or bodies)."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import structlog
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from gateway.edge.scope_state import REQUEST_ID_KEY

log = structlog.get_logger("gateway.access")
_VALID_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def request_id_for(supplied: bytes) -> str:
    """The client's x-request-id when it is a plain token of 8-64 characters, else a fresh one."""
    text = supplied.decode("latin-1")
    return text if _VALID_ID.fullmatch(text) else uuid.uuid4().hex


def route_template(scope: Scope) -> str:
    """The matched route's template (never the raw path, which may hold identifiers), or "unmatched"."""
    template = scope.get("path_template")
    if template:
        return str(template)
    paths = getattr(scope.get("route_handler"), "paths", None)
    return sorted(paths)[0] if paths else "unmatched"


def request_id_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # type: ignore[comparison-overlap]
            await app(scope, receive, send)
            return
        request_id = request_id_for(dict(scope["headers"]).get(b"x-request-id", b""))
        scope.setdefault("state", {})[REQUEST_ID_KEY] = request_id
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status_holder: dict[str, int] = {}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                headers: list[Any] = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await app(scope, receive, send_with_id)
        finally:
            log.info(
                "request",
                method=scope.get("method"),
                route=route_template(scope),
                status=status_holder.get("status"),
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
            )
            structlog.contextvars.clear_contextvars()

    return middleware
