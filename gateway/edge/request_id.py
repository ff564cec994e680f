"""The edge's outermost layer: the gateway's own id for every request, bound to the log context and sent
back, the caller's x-request-id kept beside it (for the audit event, never instead of ours), and the access
log line (method, route template, status; never query strings or bodies)."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import structlog
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from gateway.edge.scope_state import CLIENT_REQUEST_ID_KEY, REQUEST_ID_KEY

log = structlog.get_logger("gateway.access")
_VALID_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def new_request_id() -> str:
    """The gateway's id for a request: always its own, so no caller can make two events share one."""
    return uuid.uuid4().hex


def client_request_id(headers: list[tuple[bytes, bytes]]) -> str | None:
    """The caller's x-request-id when there is exactly one and it is a plain token of 8-64 characters."""
    values = [v for k, v in headers if k == b"x-request-id"]
    if len(values) != 1:
        return None
    text = values[0].decode("latin-1")
    return text if _VALID_ID.fullmatch(text) else None


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
        request_id = new_request_id()
        state = scope.setdefault("state", {})
        state[REQUEST_ID_KEY] = request_id
        state[CLIENT_REQUEST_ID_KEY] = client_request_id(list(scope["headers"]))
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
