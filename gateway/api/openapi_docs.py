"""OpenAPI details Litestar cannot infer: streamed responses that come in more than one media type."""

from __future__ import annotations

from litestar import Litestar
from litestar.openapi.spec import OpenAPIFormat, OpenAPIMediaType, OpenAPIType, RequestBody, Schema

STREAM_MEDIA_TYPES = "stream_media_types"
REQUEST_MEDIA_TYPES = "request_media_types"


def document_streamed_responses(app: Litestar) -> None:
    """Every handler with opt["stream_media_types"] documents its 200 body as text in each of those types."""
    openapi = app.openapi_schema
    paths = openapi.paths or {}
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            media_types = handler.opt.get(STREAM_MEDIA_TYPES)
            if not media_types or route.path_format not in paths:
                continue
            for method in handler.http_methods:
                operation = getattr(paths[route.path_format], method.lower(), None)
                if operation is None or operation.responses is None or "200" not in operation.responses:
                    continue
                response = operation.responses["200"]
                response.content = {
                    media_type: OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING))
                    for media_type in media_types
                }


def document_raw_request_bodies(app: Litestar) -> None:
    """Handlers that read the raw body (opt["request_media_types"]) document it as a required file."""
    paths = app.openapi_schema.paths or {}
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            media_types = handler.opt.get(REQUEST_MEDIA_TYPES)
            if not media_types or route.path_format not in paths:
                continue
            for method in handler.http_methods:
                operation = getattr(paths[route.path_format], method.lower(), None)
                if operation is None:
                    continue
                operation.request_body = RequestBody(
                    content={
                        media_type: OpenAPIMediaType(
                            schema=Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)
                        )
                        for media_type in media_types
                    },
                    description="The feed file, as documented in docs/feed.md.",
                    required=True,
                )
