"""Pages: the Jinja environment (GOV.UK Frontend macros), the security headers, and the static assets."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import (
    ChainableUndefined,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
)
from litestar import Response, Router
from litestar.datastructures import CacheControlHeader
from litestar.enums import MediaType
from litestar.static_files import create_static_files_router

HERE = Path(__file__).resolve().parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"
STATIC_PATH = "/console/static"
# Built by `make assets` from the npm lock (govuk-frontend); not committed.
GOVUK_DIR = STATIC_DIR / "govuk"
SERVICE_NAME = "Attendance data gateway"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """One environment per process. ChainableUndefined: the GOV.UK macros test optional params by chaining."""
    loader = ChoiceLoader(
        [
            FileSystemLoader(TEMPLATES_DIR),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    env = Environment(loader=loader, autoescape=True, undefined=ChainableUndefined)
    env.filters["figure"] = figure
    env.filters["pupil_value"] = pupil_value
    return env


def pupil_value(value: Any, field: str) -> str:
    """A pupil record's field as shown: year 0 is Reception; everything else as `figure` shows it."""
    if field == "year_group" and value == 0:
        return "Reception"
    return figure(value)


def figure(value: Any, unit: str = "") -> str:
    """A published cell as shown: counts with thousands separators, rates to one decimal place, and the
    statistical symbols (c, low, x, z) exactly as they are, explained by the page's legend."""
    if value is None:
        return "x"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}{unit}"
    if isinstance(value, float):
        return f"{value:,.1f}{unit}"
    return str(value)


def content_security_policy(form_action: Iterable[str] = ()) -> str:
    """No inline script or style, nothing from another origin; forms post only where named."""
    targets = " ".join(["'self'", *sorted(set(form_action))])
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
        f"connect-src 'self'; manifest-src 'self'; form-action {targets}; frame-ancestors 'none'; "
        "base-uri 'none'"
    )


def security_headers(form_action: Iterable[str] = ()) -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(form_action),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }


def render(template: str, context: Mapping[str, Any]) -> str:
    return (
        environment()
        .get_template(template)
        .render(
            service_name=SERVICE_NAME, static=STATIC_PATH, asset_path=STATIC_PATH + "/govuk/assets", **context
        )
    )


def page(
    template: str,
    context: Mapping[str, Any],
    *,
    status_code: int = 200,
    form_action: Iterable[str] = (),
    headers: Mapping[str, str] | None = None,
    cookies: list[Any] | None = None,
) -> Response[str]:
    """An HTML page with the console's security headers."""
    return Response(
        render(template, context),
        status_code=status_code,
        media_type=MediaType.HTML,
        headers={**security_headers(form_action), **(headers or {})},
        cookies=cookies,
    )


def redirect(location: str, *, cookies: list[Any] | None = None, status_code: int = 303) -> Response[str]:
    return Response(
        "",
        status_code=status_code,
        headers={"Location": location, **security_headers()},
        cookies=cookies,
    )


def static_router() -> Router:
    """The console's own files and the built GOV.UK Frontend assets, served by the gateway (no CDN)."""
    return create_static_files_router(
        path=STATIC_PATH,
        directories=[STATIC_DIR],
        opt={"public": True},
        include_in_schema=False,
        cache_control=CacheControlHeader(public=True, max_age=3600),
    )
