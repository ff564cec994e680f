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
from gateway.edge.tracing import annotate, span


class TokenVerifier(Protocol):
    async def authenticate(self, header: str | None) -> Principal: ...


class TokenUseRecord(Protocol):
    """Where single-use tokens are remembered: True the first time (issuer, jti) is presented."""

    async def first_use(self, issuer: str, jti: str, expires_at: int) -> bool: ...


REPLAYED = AuthError("token-replayed", "This token may be used once and has been used already.")


def _header_text(text: str) -> str:
    """Printable ASCII only, no quotes or backslashes: a header value that cannot break the response."""
    return "".join(c if " " <= c <= "~" and c not in '"\\' else "?" for c in text)


def auth_problem(error: AuthError) -> ProblemError:
    """401 problem+json with WWW-Authenticate; the description is ours, never token content (and is
    reduced to printable ASCII in the header all the same)."""
    safe = _header_text(error.description)
    return ProblemError(
        401,
        error.kind,
        error.description,
        title="Unauthenticated",
        headers={"WWW-Authenticate": f'Bearer error="invalid_token", error_description="{safe}"'},
    )


def authentication_middleware(
    app: ASGIApp,
    verifier: Callable[[], TokenVerifier | None],
    token_uses: Callable[[], TokenUseRecord | None] = lambda: None,
) -> ASGIApp:
    """A Principal in scope["user"] (and on the request's access record) for every non-public route;
    `verifier` gives the running app's authenticator (None while the services are closed: every token is
    then refused); a single-use token's second presentation is refused through `token_uses`."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or is_public_request(scope):
            await app(scope, receive, send)
            return
        token_verifier = verifier()
        header = _authorization(scope)
        try:
            with span("authenticate") as current:
                if token_verifier is None:
                    raise AuthError("unknown-issuer", "No token issuer is configured.")
                try:
                    principal = await token_verifier.authenticate(header)
                    if principal.single_use:
                        await _first_use(principal, token_uses())
                except AuthError as exc:
                    annotate(current, **{"auth.outcome": exc.kind})
                    raise
                annotate(current, **{"auth.outcome": "ok"})
        except AuthError as exc:
            record = access_record(scope)
            if record is not None:
                record.auth_error = exc.kind
            await send_problem(send, auth_problem(exc), problem_instance(scope))
            return
        scope["user"] = principal
        record = access_record(scope)
        if record is not None:  # whatever happens next (a 400, a 404), the event names who asked
            record.principal = principal
        await app(scope, receive, send)

    return middleware


async def _first_use(principal: Principal, uses: TokenUseRecord | None) -> None:
    if uses is None or principal.token_id is None or principal.expires_at is None:
        raise REPLAYED  # nowhere to remember it, so it cannot be honoured even once
    if not await uses.first_use(principal.issuer, principal.token_id, principal.expires_at):
        raise REPLAYED


def _authorization(scope: Scope) -> str | None:
    values: list[Any] = [v for k, v in scope["headers"] if k == b"authorization"]
    if len(values) != 1:
        return None if not values else "multiple"  # two Authorization headers are malformed, never merged
    return bytes(values[0]).decode("latin-1")
