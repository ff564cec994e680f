"""Complete the OpenAPI document: property descriptions and examples (from contract_words), parameter
descriptions, and one example per operation composed from its schema's property examples."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.openapi.spec import OpenAPIResponse, Operation, Reference, Schema

from gateway.api.contract_words import OPERATION_EXAMPLES, PARAMETER_WORDS, words_for

METHODS = ("get", "head", "post", "put", "patch", "delete")
# Bodies that are not JSON: an example each, in words a reader can check against docs/.
TEXT_EXAMPLES = {
    "application/x-ndjson": '{"pupil_ref":"p-3f9a","year_group":7,"absence_rate":12.5}\n'
    '{"summary":{"rows":1,"data_version":"42.57","request_id":"3f9a2c"}}\n',
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
            if example is not None and sub.examples is None:
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
                if content.example is not None or content.examples:
                    continue
                known = OPERATION_EXAMPLES.get((method, path))
                text = TEXT_EXAMPLES.get(media_type)
                content.example = known or text or example_of(content.schema, schemas)
