"""Errors on console routes: a GOV.UK error page for a browser, problem+json for the page scripts' fetches.

The edge's handlers still run first (they name a server-side failure in the request's audit event); only
the body differs. A page that prompts for something the policy requires (a reason) re-renders its prompt
with the policy's message instead of a bare error."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException

from gateway.console.rendering import page
from gateway.edge.problems import (
    ProblemError,
    handle_http,
    handle_problem,
    handle_unexpected,
    handle_validation,
)

PROMPT_STATE_KEY = "console_prompt"  # a prompting route's requested() leaves (template, context) here
REASON_REQUIRED = "DENY_REASON_REQUIRED"
TITLES = {
    400: "There is a problem with the request",
    403: "You cannot see this page",
    404: "Page not found",
    422: "There is a problem with the request",
    500: "Sorry, there is a problem with the service",
    503: "Sorry, the service is unavailable",
}


def wants_html(request: Request[Any, Any, Any]) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept or not accept


def _html(
    request: Request[Any, Any, Any], status: int, detail: str, reasons: list[dict[str, Any]] | None
) -> Response[str]:
    prompt = request.scope.get("state", {}).get(PROMPT_STATE_KEY)
    codes = {str(r.get("code")) for r in reasons or []}
    if prompt is not None and REASON_REQUIRED in codes:
        template, context = prompt
        message = next(str(r.get("message")) for r in reasons or [] if r.get("code") == REASON_REQUIRED)
        return page(template, {**context, "reason_error": message}, status_code=status)
    return page(
        "error.html",
        {
            "title": TITLES.get(status, "There is a problem"),
            "status": status,
            "detail": detail,
            "reasons": reasons or [],
        },
        status_code=status,
    )


def console_problem(request: Request[Any, Any, Any], exc: ProblemError) -> Response[Any]:
    json_response = handle_problem(request, exc)
    if not wants_html(request):
        return json_response
    return _html(request, exc.status, exc.detail, exc.extra.get("reasons"))


def console_validation(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    json_response = handle_validation(request, exc)
    if not wants_html(request):
        return json_response
    detail = str(json_response.content.get("detail", "")) if isinstance(json_response.content, dict) else ""
    return _html(request, 400, detail, None)


def console_http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    json_response = handle_http(request, exc)
    if not wants_html(request):
        return json_response
    return _html(request, exc.status_code, str(exc.detail), None)


def console_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    json_response = handle_unexpected(request, exc)
    if not wants_html(request):
        return json_response
    return _html(request, 500, "The gateway could not complete the request; no data was shown.", None)


CONSOLE_EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    ProblemError: console_problem,
    ValidationException: console_validation,
    HTTPException: console_http,
    Exception: console_unexpected,
}
