"""Authentication at the edge: a Principal in scope["user"], or a 401 problem recorded for the audit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from gateway.auth.errors import AuthError
from gateway.auth.principal import Principal
from gateway.edge.problems import ProblemError, send_problem
from gateway.edge.public import is_public_request
from gateway.edge.scope_state import access_record, problem_instance


class TokenVerifier(Protocol):
    async def authenticate(self, header: str | None) -> Principal: ...


def auth_problem(error: AuthError) -> ProblemError:
    """401 problem+json with WWW-Authenticate; the description is ours, never token content."""
    # Quotes are stripped to keep the header valid.
    safe = error.description.replace('"', "'").replace("\\", "/")
    return ProblemError(
        401,
        error.kind,
        error.description,
        title="Unauthenticated",
        headers={"WWW-Authenticate": f'Bearer error="invalid_token", error_description="{safe}"'},
    )


def authentication_middleware(app: ASGIApp, verifier: Callable[[], TokenVerifier | None]) -> ASGIApp:
    """A Principal in scope["user"] for every non-public route; `verifier` gives the running app's
    authenticator (None while the services are closed: every token is then refused)."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or is_public_request(scope):
            await app(scope, receive, send)
            return
        token_verifier = verifier()
        header = _authorization(scope)
        try:
            if token_verifier is None:
                raise AuthError("unknown-issuer", "No token issuer is configured.")
            principal = await token_verifier.authenticate(header)
        except AuthError as exc:
            record = access_record(scope)
            if record is not None:
                record.auth_error = exc.kind
            await send_problem(send, auth_problem(exc), problem_instance(scope))
            return
        scope["user"] = principal
        await app(scope, receive, send)

    return middleware


def _authorization(scope: Scope) -> str | None:
    values: list[Any] = [v for k, v in scope["headers"] if k == b"authorization"]
    if len(values) != 1:
        return None if not values else "multiple"  # two Authorization headers are malformed, never merged
    return bytes(values[0]).decode("latin-1")
