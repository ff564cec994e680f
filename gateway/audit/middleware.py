"""ASGI middleware: record every non-public request in the audit log before its response may start."""

from __future__ import annotations

import time
from typing import Any

import orjson
import structlog
from litestar.enums import ScopeType
from litestar.exceptions import HTTPException
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from gateway.audit.event import query_params
from gateway.context import ACCESS_STATE_KEY, AccessRecord
from gateway.problems import PROBLEM_MEDIA_TYPE, ProblemError, problem_body

log = structlog.get_logger("gateway.audit")

UNAVAILABLE_DETAIL = "The access could not be recorded in the audit log, so no data was returned."


def _route_template(scope: Scope) -> str:
    template = scope.get("path_template")
    if template:
        return str(template)
    handler = scope.get("route_handler")
    paths = getattr(handler, "paths", None)
    return sorted(paths)[0] if paths else "unmatched"


def _is_public(scope: Scope) -> bool:
    handler = scope.get("route_handler")
    opt = getattr(handler, "opt", None) or {}
    return bool(opt.get("public"))


def _audit_log(scope: Scope) -> Any:
    app = scope.get("litestar_app") or scope.get("app")
    services = getattr(getattr(app, "state", None), "services", None)
    return getattr(services, "audit", None)


async def send_audit_unavailable(send: Send, request_id: str | None) -> None:
    instance = f"urn:request:{request_id}" if request_id else None
    body = orjson.dumps(
        problem_body(503, "audit-unavailable", "Audit log unavailable", UNAVAILABLE_DETAIL, instance)
    )
    await send(
        {
            "type": "http.response.start",
            "status": 503,
            "headers": [
                (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
                (b"retry-after", b"5"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body, "more_body": False})


def _status_of(exc: Exception) -> int:
    """The status gateway.problems' handlers answer an exception with."""
    if isinstance(exc, ProblemError):
        return exc.status
    if isinstance(exc, HTTPException):
        return exc.status_code
    return 500


def audit_middleware(app: ASGIApp) -> ASGIApp:
    """Create the AccessRecord, then append the event (committed, on disk) before forwarding the response
    start; if the append fails the client gets 503 problem+json instead, and none of the handler's body."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or _is_public(scope):
            await app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        request_id = str(state.get("request_id") or "")
        client = scope.get("client")
        record = AccessRecord(
            request_id=request_id,
            method=str(scope.get("method", "")),
            route=_route_template(scope),
            client=client[0] if client else None,
        )
        state[ACCESS_STATE_KEY] = record
        params: dict[str, Any] = {
            **query_params(scope.get("query_string", b"")),
            **scope.get("path_params", {}),
        }
        audit = _audit_log(scope)
        started = time.perf_counter()
        progress = {"started": False, "refused": False}

        async def record_event(status: int) -> bool:
            if audit is None:
                log.error("audit_write_failed", error_type="AuditLogMissing", route=record.route)
                return False
            try:
                await audit.append(
                    record, status=status, duration_s=time.perf_counter() - started, request_params=params
                )
            except Exception as exc:
                # The type only: a database error message can quote the event's content.
                log.error("audit_write_failed", error_type=type(exc).__name__, route=record.route)
                return False
            return True

        async def audited_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                if not await record_event(int(message["status"])):
                    progress["refused"] = True
                    await send_audit_unavailable(send, request_id)
                    return
                progress["started"] = True
            elif message["type"] == "http.response.body" and progress["refused"]:
                return  # the handler's body must not follow a refused start
            await send(message)

        try:
            await app(scope, receive, audited_send)
        except Exception as exc:
            if progress["started"] or progress["refused"]:
                raise
            # Raised before any response (e.g. by authentication): record the status the error handlers will
            # send, then let them send it.
            status = _status_of(exc)
            if status >= 500:
                record.failure = record.failure or "unhandled-error"
            if not await record_event(status):
                await send_audit_unavailable(send, request_id)
                return
            raise

    return middleware
