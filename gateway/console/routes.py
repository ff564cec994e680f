"""Console routes: sign-in (authorization code + PKCE), the callback, sign-out, and the signed-in home page."""

from __future__ import annotations

import time
from typing import Any

from cryptography.exceptions import InvalidTag
from litestar import Request, Response, Router, get, post
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.handlers import BaseRouteHandler

from gateway.auth.principal import Principal
from gateway.console.casework import CASEWORK_ROUTES
from gateway.console.dpo import DPO_ROUTES, verify_api_router
from gateway.console.errors import CONSOLE_EXCEPTION_HANDLERS
from gateway.console.feed import FEED_PAGE_ROUTES
from gateway.console.la import LA_ROUTES
from gateway.console.middleware import SIGNED_OUT_PATH, session_of
from gateway.console.national import NATIONAL_ROUTES
from gateway.console.oidc import PendingSignIn, SignInError
from gateway.console.pages import HELD, navigation
from gateway.console.rendering import page, redirect, static_router
from gateway.console.runtime import ConsoleRuntime, console_runtime
from gateway.console.school import SCHOOL_ROUTES
from gateway.console.sessions import SESSION_COOKIE
from gateway.edge.governed import Governed, Requested, governed_route
from gateway.edge.problems import ProblemError

HOME = "/console/"
SIGNIN_COOKIE = "gateway_console_signin"
SIGNIN_SECONDS = 600
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ORGANISATION_TYPES = {
    "dfe": "Department for Education",
    "ogd": "Other government department",
    "la": "Local authority",
    "school": "School",
    "aggregator": "Register aggregator",
    "trust": "Multi-academy trust",
}


async def csrf_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Every form the console accepts carries its session's CSRF token; without it: 403, nothing done."""
    if connection.scope.get("method") not in UNSAFE_METHODS:
        return
    session = session_of(connection.scope)
    form = await Request(connection.scope, connection.receive).form()
    runtime = console_runtime(connection.app)
    if session is None or not runtime.keys.check_csrf(session.session_id, form.get("csrf_token")):
        raise ProblemError(
            403, "csrf-token-invalid", "The form's CSRF token is missing or wrong; nothing was done."
        )


def _cookie(runtime: ConsoleRuntime, key: str, value: str, *, path: str, max_age: int) -> Cookie:
    return Cookie(
        key=key,
        value=value,
        path=path,
        max_age=max_age,
        httponly=True,
        secure=runtime.secure_cookies,
        samesite="lax",  # the issuer sends the browser back by a top-level GET: Strict would drop it
    )


def _safe_next(value: str | None) -> str:
    """Only a console path (never another site) is a place to return to after sign-in."""
    if value and value.startswith(HOME) and not value.startswith("//") and "\\" not in value:
        return value
    return HOME


@get("/sign-in", opt={"public": True})
async def sign_in(request: Request[Any, Any, Any]) -> Response[str]:
    next = request.query_params.get("next")
    runtime = console_runtime(request.app)
    try:
        url, pending = await runtime.oidc.start()
    except SignInError as exc:
        return _sign_in_failed(str(exc))
    sealed = runtime.keys.seal({**pending.as_dict(), "next": _safe_next(next)}, context=b"sign-in")
    cookie = _cookie(runtime, SIGNIN_COOKIE, sealed.hex(), path="/console/callback", max_age=SIGNIN_SECONDS)
    return redirect(url, cookies=[cookie])


def _sign_in_failed(reason: str, status_code: int = 502) -> Response[str]:
    return page(
        "message.html",
        {
            "title": "Sign-in failed",
            "paragraphs": [f"You are not signed in: {reason}."],
            "link": {"href": "/console/sign-in", "text": "Try signing in again"},
        },
        status_code=status_code,
    )


@get("/callback", opt={"public": True})
async def callback(request: Request[Any, Any, Any]) -> Response[str]:
    runtime = console_runtime(request.app)
    # Read by hand: `state` is a reserved handler argument name in Litestar.
    code, state, error = (request.query_params.get(k) for k in ("code", "state", "error"))
    try:
        saved = runtime.keys.unseal(bytes.fromhex(request.cookies.get(SIGNIN_COOKIE, "")), context=b"sign-in")
        pending = PendingSignIn.from_dict(saved)
    except (ValueError, KeyError, TypeError, InvalidTag):  # absent, stale, forged or from another key
        return _sign_in_failed("the sign-in took too long or was started elsewhere", 400)
    if error or not code or state != pending.state or time.time() - pending.issued_at > SIGNIN_SECONDS:
        return _sign_in_failed("the identity provider did not confirm who you are", 400)
    try:
        signed_in = await runtime.oidc.finish(code, pending)
    except SignInError as exc:
        return _sign_in_failed(str(exc))
    session = await runtime.sessions.create(
        signed_in.subject, runtime.oidc.issuer, signed_in.tokens, runtime.settings.console.session_max_seconds
    )
    cookies = [
        _cookie(
            runtime,
            SESSION_COOKIE,
            runtime.keys.sign(session.session_id),
            path="/console",
            max_age=runtime.settings.console.session_max_seconds,
        ),
        _cookie(runtime, SIGNIN_COOKIE, "", path="/console/callback", max_age=0),
    ]
    return redirect(_safe_next(str(saved.get("next") or HOME)), cookies=cookies)


@post("/sign-out", opt={"public": True}, status_code=303)
async def sign_out(request: Request[Any, Any, Any]) -> Response[str]:
    runtime = console_runtime(request.app)
    session = session_of(request.scope)
    if session is not None:
        await runtime.sessions.end(session.session_id)
    return redirect(
        f"{SIGNED_OUT_PATH}?reason=signed-out",
        cookies=[_cookie(runtime, SESSION_COOKIE, "", path="/console", max_age=0)],
    )


@get("/signed-out", opt={"public": True})
async def signed_out(request: Request[Any, Any, Any]) -> Response[str]:
    expired = request.query_params.get("reason") == "expired"
    target = _safe_next(request.query_params.get("next"))
    return page(
        "message.html",
        {
            "title": "Your session has ended" if expired else "You are signed out",
            "paragraphs": [
                "For your security, you were signed out when your sign-in expired."
                if expired
                else "Sign in to see your organisation's pages."
            ],
            "link": {"href": f"/console/sign-in?next={target}", "text": "Sign in"},
        },
    )


def principal_view(principal: Principal) -> list[dict[str, Any]]:
    rows = [
        ("Signed in as", principal.subject),
        ("Organisation", principal.organisation),
        (
            "Organisation type",
            ORGANISATION_TYPES.get(principal.organisation_type, principal.organisation_type),
        ),
        ("Roles", ", ".join(principal.roles)),
    ]
    if principal.la_code is not None:
        rows.append(("Local authority code", str(principal.la_code)))
    if principal.urn is not None:
        rows.append(("School URN", str(principal.urn)))
    if principal.trust_id is not None:
        rows.append(("Trust", str(principal.trust_id)))
    return [{"key": {"text": k}, "value": {"text": v}} for k, v in rows]


def home_request() -> Requested:
    return Requested()


@get("/", **governed_route("decisions.explain", requested=home_request))
async def home(request: Request[Any, Any, Any], gov: Governed[Requested]) -> Response[str]:
    """The signed-in home page: who you are, your organisation and the agreements you hold."""
    principal = gov.principal
    runtime = gov.services.console
    held = await HELD.of(gov.services, principal)
    gov.release(0)
    session = session_of(request.scope)
    assert session is not None  # the session middleware redirects a page view without one
    return page(
        "home.html",
        {
            "title": "Your account",
            "navigation": navigation(held, HOME),
            "who": principal_view(principal),
            "organisation": principal.organisation,
            "agreements": held,
            "csrf_token": runtime.keys.csrf_token(session.session_id),
        },
    )


def console_router() -> Router:
    """Everything under /console: pages and their static assets (one registration in the app)."""
    return Router(
        path="/console",
        route_handlers=[
            sign_in,
            callback,
            sign_out,
            signed_out,
            home,
            *SCHOOL_ROUTES,
            *LA_ROUTES,
            *CASEWORK_ROUTES,
            *NATIONAL_ROUTES,
            *DPO_ROUTES,
            *FEED_PAGE_ROUTES,
        ],
        opt={"console": True},
        guards=[csrf_guard],
        exception_handlers=CONSOLE_EXCEPTION_HANDLERS,
        include_in_schema=False,
    )


CONSOLE_ROUTES = [console_router(), verify_api_router(), static_router()]
