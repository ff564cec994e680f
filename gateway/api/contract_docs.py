"""Complete the OpenAPI document: property descriptions and examples (from contract_words), parameter
descriptions, and one example per operation composed from its schema's property examples."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from litestar import Litestar
from litestar.openapi.spec import (
    OAuthFlow,
    OAuthFlows,
    OpenAPIFormat,
    OpenAPIResponse,
    Operation,
    Reference,
    Schema,
    SecurityScheme,
)

from gateway.api.contract_words import NULL_EXAMPLE, OPERATION_EXAMPLES, PARAMETER_WORDS, words_for

METHODS = ("get", "head", "post", "put", "patch", "delete")
# Bodies that are not JSON: an example each, in words a reader can check against docs/.
TEXT_EXAMPLES = {
    "application/x-ndjson": '{"pupil_ref":"p-3f9a","year_group":7,"absence_rate":12.5}\n'
    '{"_summary":{"rows":1,"data_version":"42.57","data_as_of":"2025-10-24","request_id":"3f9a2c"}}\n',
    "text/csv": "pupil_ref,year_group,absence_rate\r\np-3f9a,7,12.5\r\n",
}
FEED_EXAMPLE = (
    "urn,upn,date,session,code,recorded_at\n100001,E886200112345,2025-09-15,AM,/,2025-09-15T09:12:00+01:00\n"
)


def _schemas(app: Litestar) -> dict[str, Schema]:
    components = app.openapi_schema.components
    return dict(components.schemas or {}) if components is not None else {}


def document_properties(app: Litestar) -> None:
    """Every property of every component schema gets its description (and a scalar example)."""
    for name, schema in _schemas(app).items():
        for prop, sub in (schema.properties or {}).items():
            words = words_for(name, prop)
            if words is None:
                continue
            description, example = words
            if isinstance(sub, Reference):
                sub.description = sub.description or description  # OpenAPI 3.1 allows it beside $ref
                continue
            if sub.description is None:
                sub.description = description
            if example is NULL_EXAMPLE:
                sub.examples = [None]
            elif example is not None and sub.examples is None:
                sub.examples = [example]


def example_of(node: Schema | Reference | None, schemas: dict[str, Schema], depth: int = 0) -> Any:
    """An example value for a schema, from its own examples or composed from its properties'."""
    if node is None or depth > 16:
        return None
    if isinstance(node, Reference):
        return example_of(schemas.get(node.ref.rsplit("/", 1)[-1]), schemas, depth + 1)
    if node.examples:
        return node.examples[0]
    if node.example is not None:
        return node.example
    if node.properties:
        return {k: example_of(v, schemas, depth + 1) for k, v in node.properties.items()}
    if node.items is not None:
        item = example_of(node.items, schemas, depth + 1)
        return [] if item is None else [item]
    for choice in node.all_of or node.one_of or node.any_of or ():
        value = example_of(choice, schemas, depth + 1)
        if value is not None:
            return value
    if node.enum:
        return node.enum[0]
    return None


def either_shape(node: Schema | Reference | None) -> Schema | Reference | None:
    """A table's 200 is its numeric shape or its (deprecated) symbols shape: `anyOf`, not Litestar's `oneOf`,
    because a numeric answer with no null measure also fits the symbols shape's schema (which allows
    members it does not name), so "exactly one" would be false."""
    if not isinstance(node, Schema) or not node.one_of:
        return node
    names = [c.ref.rsplit("/", 1)[-1] for c in node.one_of if isinstance(c, Reference)]
    if len(names) == 2 and names[0] == f"Numeric{names[1]}":
        return replace(node, one_of=None, any_of=node.one_of)
    return node


def _operations(app: Litestar) -> list[tuple[str, str, Operation]]:
    found: list[tuple[str, str, Operation]] = []
    for path, item in (app.openapi_schema.paths or {}).items():
        for method in METHODS:
            operation = getattr(item, method, None)
            if isinstance(operation, Operation):
                found.append((path, method, operation))
    return found


def document_operations(app: Litestar) -> None:
    """Parameters without a description get the shared one; each successful response body gets an
    example (composed from its schema, or a text sample for CSV and NDJSON), and a raw feed body too."""
    schemas = _schemas(app)
    for path, method, operation in _operations(app):
        for parameter in operation.parameters or ():
            if isinstance(parameter, Reference) or parameter.description:
                continue
            if parameter.name in PARAMETER_WORDS:
                parameter.description = PARAMETER_WORDS[parameter.name]
        body = operation.request_body
        if body is not None and not isinstance(body, Reference):
            for media_type, content in (body.content or {}).items():
                if content.example is None and not content.examples:
                    content.example = (
                        FEED_EXAMPLE if media_type == "text/csv" and operation.tags == ["ingest"] else None
                    ) or example_of(content.schema, schemas)
        for status, response in (operation.responses or {}).items():
            if not status.startswith("2") or not isinstance(response, OpenAPIResponse):
                continue
            for media_type, content in (response.content or {}).items():
                content.schema = either_shape(content.schema)
                if content.example is not None or content.examples or _is_binary(content.schema):
                    continue
                known = OPERATION_EXAMPLES.get((method, path))
                text = TEXT_EXAMPLES.get(media_type)
                content.example = known or text or example_of(content.schema, schemas)


def _is_binary(schema: object) -> bool:
    """A binary body (Parquet) has no example a document can hold."""
    return isinstance(schema, Schema) and schema.format == OpenAPIFormat.BINARY


DEV_IDP = "http://127.0.0.1:8001"  # the development identity provider's default (auth.dev_idp_issuer)
SIGN_IN_NOTE = (
    "Every operation that documents a 401 needs `Authorization: Bearer <JWT>` from an issuer the gateway "
    "trusts. A service (a department's system) gets one by OAuth 2.0 client credentials at its identity "
    "provider's token endpoint (found by OpenID Connect discovery); people sign in to the console by "
    "authorization code with PKCE. The URLs below are the development provider's (`make demo`); a "
    "deployment names its own issuers by discovery URL (GATEWAY_AUTH__ISSUERS)."
)
OVERVIEW = (
    "\n\nHTTP: data responses carry `Data-Version` and `Data-As-Of`; GET data responses a weak `ETag` and "
    "`Cache-Control: private, no-cache` (send `If-None-Match` for a 304: the request is still decided and "
    "audited). HEAD is answered wherever GET is, with the same headers and no body. Bodies over 1 KiB are "
    "gzipped for clients that send `Accept-Encoding: gzip`. Every authenticated operation can answer 429 "
    "with `Retry-After`. Every error is RFC 9457 problem+json whose `type` resolves to a page under "
    "`/problems`. Changes and the deprecation policy: docs/changelog.md.\n\n" + SIGN_IN_NOTE
)


def document_security(app: Litestar) -> None:
    """Security schemes for how a token is obtained (OIDC discovery, client credentials) beside the bearer
    scheme the gateway checks; every operation needing a token accepts any of them (the same JWT)."""
    schema = app.openapi_schema
    schema.info.description = (schema.info.description or "") + OVERVIEW
    components = schema.components
    schemes = dict(components.security_schemes or {})
    schemes["bearer"] = SecurityScheme(
        type="http", scheme="bearer", bearer_format="JWT", description="A JWT from a trusted issuer"
    )
    schemes["oidc"] = SecurityScheme(
        type="openIdConnect",
        open_id_connect_url=f"{DEV_IDP}/.well-known/openid-configuration",
        description="OpenID Connect discovery of the identity provider (console sign-in, code + PKCE)",
    )
    schemes["clientCredentials"] = SecurityScheme(
        type="oauth2",
        description="OAuth 2.0 client credentials for a department's service client (secret or private_key_jwt)",
        flows=OAuthFlows(
            client_credentials=OAuthFlow(token_url=f"{DEV_IDP}/token", scopes={"gateway": "Call the gateway"})
        ),
    )
    components.security_schemes = schemes
    for _path, _method, operation in _operations(app):
        if operation.security == [{"bearer": []}]:
            operation.security = [{"bearer": []}, {"oidc": []}, {"clientCredentials": ["gateway"]}]
