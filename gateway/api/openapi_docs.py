"""OpenAPI details Litestar cannot infer: streamed responses that come in more than one media type, raw
request bodies, the caching headers of data responses, and the 429 the edge's rate limiter answers before any handler runs."""

from __future__ import annotations

from collections.abc import Iterator

from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIHeader,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Reference,
    RequestBody,
    Schema,
)

from gateway.edge.guard import POLICY_ACTION
from gateway.edge.http_cache import CACHE_CONTROL, DATA_ACTIONS, DATA_AS_OF_HEADER, DATA_VERSION_HEADER
from gateway.edge.problems import PROBLEM_DESCRIPTIONS, PROBLEM_MEDIA_TYPE

STREAM_MEDIA_TYPES = "stream_media_types"
REQUEST_MEDIA_TYPES = "request_media_types"
ALSO_MEDIA_TYPES = "also_media_types"  # {media type: example text}: a 200 also answered as text


def _operations(app: Litestar) -> Iterator[tuple[HTTPRouteHandler, str, Operation]]:
    """(handler, method, operation) for every handler method the OpenAPI document has an operation for."""
    paths = app.openapi_schema.paths or {}
    for route in app.routes:
        if route.path_format not in paths:
            continue
        for handler in getattr(route, "route_handlers", []):
            for method in handler.http_methods:
                operation = getattr(paths[route.path_format], method.lower(), None)
                if operation is not None:
                    yield handler, method, operation


def document_streamed_responses(app: Litestar) -> None:
    """Every handler with opt["stream_media_types"] documents its 200 body as text in each of those types."""
    for handler, _, operation in _operations(app):
        media_types = handler.opt.get(STREAM_MEDIA_TYPES)
        if not media_types:
            continue
        if operation.responses is None or "200" not in operation.responses:
            continue
        response = operation.responses["200"]
        if isinstance(response, OpenAPIResponse):
            response.content = {
                media_type: OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING))
                for media_type in media_types
            }


def document_raw_request_bodies(app: Litestar) -> None:
    """Handlers that read the raw body (opt["request_media_types"]) document it as a required file."""
    for handler, _, operation in _operations(app):
        media_types = handler.opt.get(REQUEST_MEDIA_TYPES)
        if not media_types:
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


def rate_limited_response() -> OpenAPIResponse:
    return OpenAPIResponse(
        description=PROBLEM_DESCRIPTIONS[429],
        headers={
            "Retry-After": OpenAPIHeader(
                schema=Schema(type=OpenAPIType.INTEGER, minimum=1),
                description="Whole seconds until the client may send its next request under the agreement",
                required=True,
                example=2,
            )
        },
        content={PROBLEM_MEDIA_TYPE: OpenAPIMediaType(schema=Reference(ref="#/components/schemas/Problem"))},
    )


def document_rate_limits(app: Litestar) -> None:
    """Every operation that needs a token (it documents a 401) is rate limited by the edge: it documents
    the 429 and its Retry-After header (gateway/edge/rate_limit.py answers it before any handler)."""
    for path_item in (app.openapi_schema.paths or {}).values():
        for method in ("get", "head", "post", "put", "patch", "delete"):
            operation = getattr(path_item, method, None)
            if operation is None or operation.responses is None or "401" not in operation.responses:
                continue
            operation.responses["429"] = rate_limited_response()


def _header(description: str, example: str) -> OpenAPIHeader:
    return OpenAPIHeader(
        schema=Schema(type=OpenAPIType.STRING), description=description, required=True, example=example
    )


def cache_headers(*, validators: bool) -> dict[str, OpenAPIHeader | Reference]:
    """Data-Version and Data-As-Of on every data answer; ETag and Cache-Control on GET (and HEAD)."""
    headers: dict[str, OpenAPIHeader | Reference] = {
        DATA_VERSION_HEADER: _header(
            "Data version: committed ingest batches and the highest batch id, as count.id", "42.57"
        ),
        DATA_AS_OF_HEADER: OpenAPIHeader(
            schema=Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.DATE),
            description="The latest day with a possible session received (absent before any data is loaded)",
            required=False,
            example="2025-10-24",
        ),
    }
    if not validators:
        return headers
    return {
        **headers,
        "ETag": _header(
            "Weak entity tag of this answer: changes with the data version, the policy revision, the caller's "
            "scope and disclosure profile, the request and the day. Send it back in If-None-Match.",
            'W/"6f1c0d2a9b8e7f60a1b2c3d4e5f60718"',
        ),
        "Cache-Control": _header(
            "The answer may be kept by the caller only, and must be revalidated (each use is decided and "
            "audited again)",
            CACHE_CONTROL,
        ),
    }


def document_http_cache(app: Litestar) -> None:
    """Data operations (policy actions of kind data) declare their caching headers on 200 and the 304
    that an If-None-Match naming the current ETag gets (gateway/edge/http_cache.py)."""
    for handler, method, operation in _operations(app):
        if handler.opt.get(POLICY_ACTION) not in DATA_ACTIONS:
            continue
        if operation.responses is None or "200" not in operation.responses:
            continue
        ok = operation.responses["200"]
        if isinstance(ok, OpenAPIResponse):
            ok.headers = {**(ok.headers or {}), **cache_headers(validators=method == "GET")}
        if method == "GET":
            operation.responses["304"] = OpenAPIResponse(
                description=(
                    "Not modified: If-None-Match named the current ETag. The request was still "
                    "authenticated, decided and audited; no body and no rows."
                ),
                headers=cache_headers(validators=True),
            )


def document_alternative_bodies(app: Litestar) -> None:
    """Handlers with opt["also_media_types"] document their 200 in those text types too (e.g. text/csv)."""
    for handler, _, operation in _operations(app):
        extra = handler.opt.get(ALSO_MEDIA_TYPES)
        if not extra:
            continue
        if operation.responses is None or "200" not in operation.responses:
            continue
        ok = operation.responses["200"]
        if isinstance(ok, OpenAPIResponse):
            ok.content = {
                **(ok.content or {}),
                **{
                    media_type: OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING), example=example)
                    for media_type, example in extra.items()
                },
            }
