"""RFC 9457 problem details: one exception type, stable `type` URIs, and handlers for everything else."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import msgspec
import psycopg
import structlog
from litestar import Request, Response
from litestar.exceptions import HTTPException, NotFoundException, ValidationException
from litestar.exceptions.http_exceptions import MethodNotAllowedException
from litestar.openapi.datastructures import ResponseSpec
from litestar.types import Send

from gateway.edge.scope_state import access_record, problem_instance

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://attendance-gateway.example/problems/"

log = structlog.get_logger("gateway.problems")


class ProblemError(Exception):
    """An error the client should see as problem+json. `kind` becomes the stable `type` URI."""

    def __init__(
        self,
        status: int,
        kind: str,
        detail: str,
        *,
        title: str | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.kind = kind
        self.detail = detail
        self.title = title or HTTPStatus(status).phrase
        self.headers = headers or {}
        self.extra = extra


def problem_body(
    status: int, kind: str, title: str, detail: str, instance: str | None = None, **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {"type": PROBLEM_BASE + kind, "title": title, "status": status, "detail": detail}
    if instance:
        body["instance"] = instance
    body.update(extra)
    return body


def problem_response(
    status: int,
    kind: str,
    detail: str,
    *,
    title: str | None = None,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response[dict[str, Any]]:
    body = problem_body(status, kind, title or HTTPStatus(status).phrase, detail, instance, **extra)
    return Response(content=body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def _note_failure(request: Request[Any, Any, Any], status: int, kind: str) -> None:
    """A server-side failure is named in the request's audit event (the client sees only the problem)."""
    record = access_record(request.scope)
    if record is not None and status >= 500 and record.failure is None:
        record.failure = kind


def handle_problem(request: Request[Any, Any, Any], exc: ProblemError) -> Response[dict[str, Any]]:
    _note_failure(request, exc.status, exc.kind)
    return problem_response(
        exc.status,
        exc.kind,
        exc.detail,
        title=exc.title,
        instance=problem_instance(request.scope),
        headers=exc.headers,
        **exc.extra,
    )


def handle_validation(request: Request[Any, Any, Any], exc: ValidationException) -> Response[dict[str, Any]]:
    errors = exc.extra if isinstance(exc.extra, list) else ([exc.extra] if exc.extra else [])
    named = ", ".join(str(e.get("key") or e.get("source") or "") for e in errors if isinstance(e, dict))
    detail = f"Invalid request parameters: {named}" if named.strip(", ") else str(exc.detail)
    return problem_response(
        400,
        "invalid-request",
        detail,
        title="Invalid request",
        instance=problem_instance(request.scope),
        errors=errors,
    )


HTTP_KINDS = {404: "not-found", 405: "method-not-allowed", 401: "unauthenticated", 403: "forbidden"}


def handle_http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    kind = HTTP_KINDS.get(exc.status_code, "http-error")
    _note_failure(request, exc.status_code, kind)
    return problem_response(
        exc.status_code,
        kind,
        str(exc.detail),
        instance=problem_instance(request.scope),
        headers=exc.headers or None,
    )


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    # Log the type only: exception messages can quote data.
    log.error("unhandled_error", error_type=type(exc).__name__, path=request.scope.get("path"))
    _note_failure(request, 500, "unhandled-error")
    return problem_response(
        500,
        "internal-error",
        "The gateway could not complete the request; no data was returned.",
        instance=problem_instance(request.scope),
    )


DATABASE_RETRY_AFTER_S = 2


def handle_database_unavailable(
    request: Request[Any, Any, Any], exc: psycopg.OperationalError
) -> Response[dict[str, Any]]:
    """No connection within the pool's bounded wait (psycopg_pool.PoolTimeout) or a connection lost: 503."""
    log.error("database_unavailable", error_type=type(exc).__name__, path=request.scope.get("path"))
    _note_failure(request, 503, "database-unavailable")
    return problem_response(
        503,
        "database-unavailable",
        "The database is unavailable or saturated; no data was returned. Try again shortly.",
        title="Database unavailable",
        instance=problem_instance(request.scope),
        headers={"Retry-After": str(DATABASE_RETRY_AFTER_S)},
    )


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    ProblemError: handle_problem,
    psycopg.OperationalError: handle_database_unavailable,
    ValidationException: handle_validation,
    NotFoundException: handle_http,
    MethodNotAllowedException: handle_http,
    HTTPException: handle_http,
    Exception: handle_unexpected,
}


class Problem(msgspec.Struct, kw_only=True):
    """RFC 9457 problem details as this gateway sends them (extension members vary by kind)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    reasons: list[dict[str, Any]] | None = None
    errors: list[dict[str, Any]] | None = None


PROBLEM_DESCRIPTIONS: dict[int, str] = {
    400: "Malformed request (problem+json names the parameter)",
    401: "Missing or invalid bearer token",
    403: "Denied by policy (reasons cite the statute or rule)",
    404: "Not found within your scope",
    413: "Body over a cap (problem+json names the cap); nothing was written",
    415: "Content type not accepted here (problem+json lists those that are)",
    422: "Well-formed but invalid request (problem+json names what was wrong)",
    503: "Policy engine or audit log unavailable: no data was returned",
}


def problem_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI response entries for the problem+json errors a route can return."""
    return {
        status: ResponseSpec(
            data_container=Problem,
            description=PROBLEM_DESCRIPTIONS[status],
            media_type=PROBLEM_MEDIA_TYPE,
            generate_examples=False,
        )
        for status in statuses
    }


async def send_problem(send: Send, problem: ProblemError, instance: str | None = None) -> None:
    """Answer from inside ASGI middleware through `send`, so the edge's outer layers (request id, audit
    trail) see it. Raising from middleware would skip their send wrappers."""
    body = msgspec.json.encode(
        problem_body(problem.status, problem.kind, problem.title, problem.detail, instance, **problem.extra)
    )
    headers = [
        (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
        *((k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in problem.headers.items()),
    ]
    await send({"type": "http.response.start", "status": problem.status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})
