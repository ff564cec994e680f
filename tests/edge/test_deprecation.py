"""A route marked deprecated says so in the contract and in Deprecation, Sunset and Link headers."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Litestar, get
from litestar.testing import TestClient

from gateway.edge.deprecation import Deprecation, deprecated_route, deprecation_middleware

OLD = Deprecation(date(2026, 9, 1), date(2027, 3, 31), successor="/v2/thing")


@get("/v1/thing", **deprecated_route(OLD), sync_to_thread=False)
def old_thing() -> dict[str, str]:
    return {"thing": "old"}


@get("/v1/other", sync_to_thread=False)
def other() -> dict[str, str]:
    return {"thing": "current"}


def _app() -> Litestar:
    app = Litestar(route_handlers=[old_thing, other])
    app.asgi_handler = deprecation_middleware(app.asgi_handler)
    return app


def test_a_deprecated_route_answers_with_deprecation_sunset_and_link() -> None:
    with TestClient(_app()) as client:
        response = client.get("/v1/thing")
    assert response.status_code == 200
    assert response.headers["deprecation"] == "@1788220800"  # 2026-09-01T00:00:00Z
    assert response.headers["sunset"] == "Wed, 31 Mar 2027 00:00:00 GMT"
    assert response.headers["link"] == '</schema>; rel="deprecation", </v2/thing>; rel="successor-version"'


def test_other_routes_carry_none_of_them() -> None:
    with TestClient(_app()) as client:
        response = client.get("/v1/other")
    assert {"deprecation", "sunset", "link"} & set(response.headers) == set()


def test_the_contract_marks_it_deprecated() -> None:
    document: Any = _app().openapi_schema.to_schema()
    assert document["paths"]["/v1/thing"]["get"]["deprecated"] is True
    assert document["paths"]["/v1/other"]["get"]["deprecated"] is False
