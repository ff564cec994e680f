"""The one rule for which routes are public: no token, no policy, no audit event (health, keys, API docs);
and public routes that publish figures, which take no token and no policy but are audited like any request
(`PUBLIC_AUDITED`: the feed conformance record)."""

from __future__ import annotations

from litestar.handlers import BaseRouteHandler
from litestar.types import Scope

PUBLIC = {"public": True}
PUBLIC_AUDITED = {"public": True, "audited": True}


def is_public(handler: BaseRouteHandler) -> bool:
    """Public handlers: opt {"public": True}, and the framework's own API-description pages."""
    if handler.opt.get("public") is True:
        return True
    module = getattr(getattr(handler, "fn", None), "__module__", "") or ""
    return module.startswith("litestar.")


def is_public_request(scope: Scope) -> bool:
    """The request matched a public route (an unmatched request, a 404 or 405, is not public)."""
    handler = scope.get("route_handler")
    return isinstance(handler, BaseRouteHandler) and is_public(handler)


def is_unaudited_request(scope: Scope) -> bool:
    """The request matched a public route that is not audited."""
    handler = scope.get("route_handler")
    return is_public_request(scope) and not (
        isinstance(handler, BaseRouteHandler) and handler.opt.get("audited")
    )
