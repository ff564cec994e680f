"""Deprecation and Sunset headers on anything marked deprecated (docs/changelog.md, deprecation policy).

A route marks itself with `**deprecated_route(Deprecation(...))`: the contract shows `deprecated: true`
and every answer carries `Deprecation` (RFC 9745: `@<seconds since the epoch>` of the day it was
deprecated), `Sunset` (RFC 8594: the HTTP date it stops answering) and `Link: </schema>;
rel="deprecation"` (and `rel="successor-version"` when a replacement is named).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from email.utils import format_datetime
from typing import Any

from litestar.enums import ScopeType
from litestar.handlers import BaseRouteHandler
from litestar.types import ASGIApp, Message, Receive, Scope, Send

DEPRECATION_KEY = "deprecation"
DEPRECATION_INFO = "/schema"  # the live contract (served by the gateway), where it is marked deprecated


@dataclass(frozen=True, slots=True)
class Deprecation:
    deprecated_on: date
    sunset_on: date
    successor: str | None = None  # path of the replacement, if any

    def headers(self) -> list[tuple[bytes, bytes]]:
        since = int(datetime.combine(self.deprecated_on, time(), UTC).timestamp())
        sunset = format_datetime(datetime.combine(self.sunset_on, time(), UTC), usegmt=True)
        links = [f'<{DEPRECATION_INFO}>; rel="deprecation"']
        if self.successor:
            links.append(f'<{self.successor}>; rel="successor-version"')
        return [
            (b"deprecation", f"@{since}".encode()),
            (b"sunset", sunset.encode()),
            (b"link", ", ".join(links).encode()),
        ]


def deprecated_route(deprecation: Deprecation) -> dict[str, Any]:
    """Route keyword arguments: the contract marks it deprecated, the middleware adds the headers."""
    return {"deprecated": True, "opt": {DEPRECATION_KEY: deprecation}}


def deprecation_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return

        async def marked_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                handler = scope.get("route_handler")
                found = handler.opt.get(DEPRECATION_KEY) if isinstance(handler, BaseRouteHandler) else None
                if isinstance(found, Deprecation):
                    message = {**message, "headers": [*message.get("headers", ()), *found.headers()]}
            await send(message)

        await app(scope, receive, marked_send)

    return middleware
