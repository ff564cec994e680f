"""The authentication middleware: a Principal in scope["user"], or a 401 problem recorded for the audit."""

from __future__ import annotations

from typing import Any

from litestar.enums import ScopeType
from litestar.handlers import BaseRouteHandler
from litestar.types import ASGIApp, Receive, Scope, Send

from gateway.auth.errors import AuthError
from gateway.context import access_record
from gateway.policy.guard import is_public
from gateway.problems import send_problem


def authentication_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        handler = scope.get("route_handler")
        if scope["type"] != ScopeType.HTTP or (isinstance(handler, BaseRouteHandler) and is_public(handler)):
            await app(scope, receive, send)
            return
        authenticator = scope["app"].state.services.authenticator
        header = _authorization(scope)
        try:
            if authenticator is None:
                raise AuthError("unknown-issuer", "No token issuer is configured.")
            principal = await authenticator.authenticate(header)
        except AuthError as exc:
            record = access_record(scope)  # type: ignore[arg-type]
            if record is not None:
                record.auth_error = exc.kind
            await send_problem(send, exc.problem(), (scope.get("state") or {}).get("request_id"))
            return
        scope["user"] = principal
        await app(scope, receive, send)

    return middleware


def _authorization(scope: Scope) -> str | None:
    values: list[Any] = [v for k, v in scope["headers"] if k == b"authorization"]
    if len(values) != 1:
        return None if not values else "multiple"  # two Authorization headers are malformed, never merged
    return bytes(values[0]).decode("latin-1")
