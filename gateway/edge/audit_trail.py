"""The audit trail around the whole app: every request that is not public (or is public and audited),
matched or not (404 and 405 included), is appended to the audit log before its response may start."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

import orjson
import structlog
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from gateway.audit.event import query_params
from gateway.audit.record import AccessRecord
from gateway.edge.problems import PROBLEM_MEDIA_TYPE, problem_body
from gateway.edge.public import is_unaudited_request
from gateway.edge.request_id import route_template
from gateway.edge.scope_state import ACCESS_STATE_KEY, client_request_id_of, problem_instance, request_id_of
from gateway.edge.tracing import annotate, span

log = structlog.get_logger("gateway.audit")

UNAVAILABLE_DETAIL = "The access could not be recorded in the audit log, so no data was returned."


class EventSink(Protocol):
    """What the trail needs from the audit log: append one event built from the access record."""

    async def append(
        self, record: AccessRecord, *, status: int, duration_s: float, request_params: dict[str, Any]
    ) -> object: ...


async def send_audit_unavailable(send: Send, instance: str | None) -> None:
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


INT64 = (-(2**63), 2**63 - 1)


def recordable(value: Any) -> Any:
    """A parsed path parameter as the event can hold it: an integer past 64 bits (which JSON in the
    database cannot hold, and which would make the audit write fail) is recorded as its digits."""
    if isinstance(value, int) and not isinstance(value, bool) and not INT64[0] <= value <= INT64[1]:
        return str(value)
    return value


def audit_trail(app: ASGIApp, event_sink: Callable[[], EventSink | None]) -> ASGIApp:
    """Create the AccessRecord, then append the event (committed, on disk) before forwarding the response
    start; if the append fails the client gets 503 problem+json instead, and none of the handler's body.

    It wraps the app's whole handler (routing and exception handling included), so it sees the response
    the exception handlers made of any error, and requests that matched no route."""

    async def trail(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        client = scope.get("client")
        record = AccessRecord(
            request_id=request_id_of(scope) or "",
            method=str(scope.get("method", "")),
            route="unmatched",
            client=client[0] if client else None,
            client_request_id=client_request_id_of(scope),
        )
        state[ACCESS_STATE_KEY] = record
        started = time.perf_counter()
        progress = {"refused": False}

        async def record_event(status: int) -> bool:
            record.route = route_template(scope)
            params: dict[str, Any] = {
                **query_params(scope.get("query_string", b"")),
                **{k: recordable(v) for k, v in scope.get("path_params", {}).items()},
            }
            sink = event_sink()
            if sink is None:
                log.error("audit_write_failed", error_type="AuditLogMissing", route=record.route)
                return False
            try:
                with span("audit", **{"http.response.status_code": status}) as current:
                    await sink.append(
                        record, status=status, duration_s=time.perf_counter() - started, request_params=params
                    )
                    annotate(current, **{"audit.outcome": record.outcome(status)})
            except Exception as exc:
                # The type only: a database error message can quote the event's content.
                log.error("audit_write_failed", error_type=type(exc).__name__, route=record.route)
                return False
            return True

        async def audited_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                # The framework's automatic OPTIONS answer counts as public for authentication (it carries
                # only an Allow header) but is audited like any request to the path it names.
                if is_unaudited_request(scope) and scope.get("method") != "OPTIONS":
                    await send(message)
                    return
                if not await record_event(int(message["status"])):
                    progress["refused"] = True
                    await send_audit_unavailable(send, problem_instance(scope))
                    return
            elif message["type"] == "http.response.body" and progress["refused"]:
                return  # the handler's body must not follow a refused start
            await send(message)

        await app(scope, receive, audited_send)

    return trail
