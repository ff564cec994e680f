"""The self-hosted API reference at /schema: Swagger UI from the npm lock (built into REFERENCE_DIR by
`make assets`), served by the gateway under /schema/assets, started by an external script under a
Content-Security-Policy that allows nothing from another origin and no inline script or style.

Litestar's own SwaggerRenderPlugin takes local `js_url`/`css_url`, but its page starts Swagger UI with an
inline <script>, which a strict CSP forbids: hence this small plugin of our own."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from litestar import Request, Router
from litestar.datastructures import CacheControlHeader
from litestar.openapi.plugins import OpenAPIRenderPlugin
from litestar.static_files import create_static_files_router

from gateway.edge.public import PUBLIC

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
ASSETS = "/assets"  # under the OpenAPI path (/schema)
# Built by `make assets` (gateway.console.assets) from node_modules/swagger-ui-dist; reference.js is ours.
BUILT_FILES = ("swagger-ui-bundle.js", "swagger-ui.css")
# As a <meta> because a render plugin answers a body only. Swagger UI's stylesheet draws its icons as data:
# images; connect-src lets "Try it out" call this gateway (and no other origin).
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'none'; base-uri 'none'"
)
PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}: API reference</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{assets}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi_url}"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="{assets}/reference.js"></script>
</body>
</html>
"""


class SelfHostedSwaggerUI(OpenAPIRenderPlugin):
    """Swagger UI at /schema and /schema/swagger, every asset from this gateway."""

    def __init__(self, openapi_path: str) -> None:
        super().__init__(path=["/", "/swagger"])
        self.assets = openapi_path.rstrip("/") + ASSETS

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        return PAGE.format(
            csp=CSP,
            title=html.escape(str(openapi_schema["info"]["title"])),
            assets=html.escape(self.assets),
            openapi_url=html.escape(self.get_openapi_json_route(request)),
        ).encode()

    def receive_router(self, router: Router) -> None:
        router.register(
            create_static_files_router(
                path=ASSETS,
                directories=[REFERENCE_DIR],
                opt=PUBLIC,
                include_in_schema=False,
                cache_control=CacheControlHeader(public=True, max_age=3600),
            )
        )
