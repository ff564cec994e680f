"""ASGI middleware for console routes: the session cookie becomes the bearer token the edge verifies.

It runs inside the audit middleware and before authentication, so a page view is authenticated (the
token verified as any API call's is) and audited like every request. Console routes accept no
Authorization header of their own: a page is reached through a session or not at all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import quote

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from gateway.console.rendering import security_headers
from gateway.console.runtime import ConsoleRuntime, console_runtime
from gateway.console.sessions import SESSION_COOKIE, Session
from gateway.edge.scope_state import access_record

SESSION_STATE_KEY = "console_session"
SIGNED_OUT_PATH = "/console/signed-out"


def is_console_route(handler: Any) -> bool:
    opt = getattr(handler, "opt", None) or {}
    return bool(opt.get("console"))


def is_public(handler: Any) -> bool:
    opt = getattr(handler, "opt", None) or {}
    return bool(opt.get("public"))


def cookie_value(headers: list[tuple[bytes, bytes]], name: str) -> str | None:
    for key, value in headers:
        if key == b"cookie":
            try:
                jar = SimpleCookie(value.decode("latin-1"))
            except CookieError:
                continue
            if name in jar:
                return jar[name].value
    return None


def session_of(scope: Any) -> Session | None:
    session = (scope.get("state") or {}).get(SESSION_STATE_KEY)
    return session if isinstance(session, Session) else None


def expired_cookie(runtime: ConsoleRuntime) -> bytes:
    secure = "; Secure" if runtime.secure_cookies else ""
    return f"{SESSION_COOKIE}=; Path=/console; Max-Age=0; HttpOnly; SameSite=Lax{secure}".encode()


async def current_session(runtime: ConsoleRuntime, cookie: str | None) -> Session | None:
    """The signed-in session a cookie names, its access token refreshed if it is about to expire."""
    session_id = runtime.keys.verify(cookie)
    if session_id is None:
        return None
    session = await runtime.sessions.get(session_id)
    if session is None:
        return None
    margin = timedelta(seconds=runtime.settings.console.refresh_margin_seconds)
    if session.tokens.access_expires_at - margin <= datetime.now(UTC):
        return await runtime.sessions.refresh(session, runtime.oidc.refresh)
    return session


def console_session_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        handler = scope.get("route_handler")
        if scope["type"] != ScopeType.HTTP or not is_console_route(handler):
            await app(scope, receive, send)
            return
        runtime = console_runtime(scope["app"])
        headers = [(k, v) for k, v in scope["headers"] if k != b"authorization"]
        cookie = cookie_value(headers, SESSION_COOKIE)
        session = await current_session(runtime, cookie)
        scope.setdefault("state", {})[SESSION_STATE_KEY] = session
        if session is not None:
            headers.append((b"authorization", f"Bearer {session.tokens.access_token}".encode()))
        scope["headers"] = headers
        if session is None and not is_public(handler):
            record = access_record(scope)
            if record is not None:
                record.auth_error = "session-expired" if cookie else "no-session"
            reason = "expired" if cookie else "signed-out"
            location = f"{SIGNED_OUT_PATH}?reason={reason}&next={quote(str(scope.get('path', '/console/')))}"
            response_headers = [(k.lower().encode(), v.encode()) for k, v in security_headers().items()] + [
                (b"location", location.encode()),
                (b"content-length", b"0"),
            ]
            if cookie:
                response_headers.append((b"set-cookie", expired_cookie(runtime)))
            await send({"type": "http.response.start", "status": 303, "headers": response_headers})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            return
        await app(scope, receive, send)

    return middleware
