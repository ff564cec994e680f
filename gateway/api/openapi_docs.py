"""OpenAPI details Litestar cannot infer: streamed responses that come in more than one media type, raw
request bodies, the caching headers of data responses, and the 429 the edge's rate limiter answers before any handler runs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import cast

from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIHeader,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Parameter,
    Reference,
    RequestBody,
    Schema,
)

from gateway.edge.guard import POLICY_ACTION
from gateway.edge.http_cache import CACHE_CONTROL, DATA_ACTIONS, DATA_AS_OF_HEADER, DATA_VERSION_HEADER
from gateway.edge.problems import PROBLEM_DESCRIPTIONS, PROBLEM_MEDIA_TYPE

STREAM_MEDIA_TYPES = "stream_media_types"
REQUEST_MEDIA_TYPES = "request_media_types"
# {media type: example text, or None for a binary body such as Parquet}: a 200 also answered that way
ALSO_MEDIA_TYPES = "also_media_types"


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
    """Handlers with opt["also_media_types"] document their 200 in those types too: text with its example
    (text/csv), or a binary string where the example is None (application/vnd.apache.parquet)."""
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
                    if example is not None
                    else OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY))
                    for media_type, example in extra.items()
                },
            }


# Enumerations the contract names once and refers to wherever they appear, so a generated client has one
# `Phase` type instead of one per operation. Keyed by the values in the order the handlers declare them.
NAMED_ENUMS: dict[tuple[str, ...], tuple[str, str]] = {
    ("primary", "secondary", "special"): ("Phase", "School phase."),
    ("fsm", "sen", "sex", "ethnicity", "year_group"): ("Breakdown", "A pupil group to break areas down by."),
    ("national", "region", "la", "school", "trust"): ("Level", "The unit of an aggregate's rows."),
    ("json", "csv", "parquet"): (
        "TableFormat",
        "An aggregate's representation: json (the default), tidy csv or parquet (typed columns).",
    ),
    ("ndjson", "csv"): ("ExtractFormat", "An extract's or export's representation: NDJSON or CSV."),
    ("persistent", "severe", "rate", "unauthorised_10_in_10", "all"): (
        "Criterion",
        "An early-warning rule.",
    ),
    ("allowed", "denied", "unauthenticated", "failed"): ("DecisionOutcome", "What the gateway decided."),
    ("schools", "roster", "marks"): ("FeedKind", "The kind of a register feed file."),
    ("In force", "Ended", "Not yet in force"): ("AgreementStatus", "Whether an agreement is in force today."),
    ("F", "M"): ("Sex", "A pupil's sex as the school census records it."),
    ("numeric", "symbols"): (
        "MeasureShape",
        "How a JSON table gives its measures: numeric (number or null, status beside it) or symbols "
        "(deprecated: a suppressed measure is its symbol).",
    ),
    ("pass", "fail"): ("CheckVerdict", "The conformance checker's verdict on a feed test pack check."),
    ("pass", "fail", "not-checked"): (
        "PackVerdict",
        "A product's latest verdict on the published feed test pack; not-checked when none was submitted.",
    ),
    ("c", "low", "x", "z"): (
        "MeasureStatus",
        "Why a measure is null: c suppressed, low rounds to zero, x not available, z not applicable.",
    ),
}


def _named(schema: Schema, named: dict[str, Schema]) -> Schema | None:
    """The schema with its enumeration replaced by a reference to the named one (None when it has none)."""
    values = tuple(v for v in schema.enum or () if v is not None)
    if values not in NAMED_ENUMS or schema.title == NAMED_ENUMS[values][0]:  # not the named one itself
        return None
    name, description = NAMED_ENUMS[values]
    named.setdefault(
        name, Schema(type=OpenAPIType.STRING, enum=list(values), title=name, description=description)
    )
    branches: list[Schema | Reference] = [Reference(ref=f"#/components/schemas/{name}")]
    if None in (schema.enum or ()):
        branches.append(Schema(type=OpenAPIType.NULL))
    return replace(schema, type=None, enum=None, one_of=branches)


def _name_enums_in(node: Schema, named: dict[str, Schema]) -> Schema:
    """The node with every enumeration in it, its properties, array items, map values and choices, named."""
    node = _named(node, named) or node
    if isinstance(node.items, Schema):
        node = replace(node, items=_name_enums_in(node.items, named))
    if isinstance(node.additional_properties, Schema):
        node = replace(node, additional_properties=_name_enums_in(node.additional_properties, named))
    if node.one_of:
        node = replace(
            node, one_of=[_name_enums_in(c, named) if isinstance(c, Schema) else c for c in node.one_of]
        )
    if node.properties:
        node.properties = {
            key: _name_enums_in(value, named) if isinstance(value, Schema) else value
            for key, value in node.properties.items()
        }
    return node


def document_clean_names(app: Litestar) -> None:
    """Names a generated client reads: each operation's id is its handler's name (camelCase, unique or the
    app does not build) and every known enumeration is one named schema (NAMED_ENUMS). Run it last."""
    named = app.openapi_schema.components.schemas
    seen: dict[str, str] = {}
    for handler, method, operation in _operations(app):
        head, *rest = handler.handler_name.split("_")
        operation_id = head + "".join(word.capitalize() for word in rest)
        where = f"{method} {handler.paths}"
        if seen.setdefault(operation_id, where) != where:
            raise RuntimeError(f"operation id {operation_id} of {where} is also {seen[operation_id]}'s")
        operation.operation_id = operation_id
        # Litestar writes every parameter as a Parameter with a Schema (never a Reference).
        for parameter in [p for p in operation.parameters or [] if isinstance(p, Parameter)]:
            parameter.schema = _name_enums_in(cast("Schema", parameter.schema), named)
    for key, value in list(named.items()):
        named[key] = _name_enums_in(value, named)
