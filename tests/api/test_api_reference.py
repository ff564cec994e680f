"""The self-hosted API reference at /schema: every script and stylesheet is served by the gateway itself
(no CDN), under a Content-Security-Policy with no inline script, and a real Chromium renders the operation
list from it with no console error and no request leaving loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
import yaml
from playwright.sync_api import sync_playwright

from gateway.api.api_reference import BUILT_FILES, CSP
from gateway.app import create_app
from gateway.console.assets import SOURCE_MAP, SWAGGER_DIST, build_reference
from gateway.db import DatabaseUrls
from gateway.settings import Settings
from tests.api.live import serve_in_thread
from tests.console.conftest import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = json.loads((ROOT / "openapi" / "openapi.json").read_text())
# Rendering the whole contract as YAML (pure-Python PyYAML) takes seconds on a loaded machine.
TIMEOUT = 60.0
OPERATIONS = sum(
    1 for item in CONTRACT["paths"].values() for method in item if method in {"get", "post", "put", "delete"}
)


class Assets(HTMLParser):
    """The URLs a page loads (script src, link href) and whether it has any inline script."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts = 0
        self.csp: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script":
            self._in_script = True
            if found.get("src"):
                self.urls.append(str(found["src"]))
        if tag == "link" and found.get("rel") == "stylesheet":
            self.urls.append(str(found["href"]))
        if tag == "meta" and found.get("http-equiv") == "Content-Security-Policy":
            self.csp.append(str(found["content"]))

    def handle_endtag(self, tag: str) -> None:
        self._in_script = self._in_script and tag != "script"

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts += 1


@pytest.fixture(scope="module")
def live(settings: Settings, db_urls: DatabaseUrls) -> Iterator[str]:
    with serve_in_thread(create_app(settings)) as url:
        yield url


def _assets(live: str, path: str) -> Assets:
    response = httpx.get(live + path, timeout=TIMEOUT)
    assert (response.status_code, response.headers["content-type"]) == (200, "text/html; charset=utf-8")
    parsed = Assets()
    parsed.feed(response.text)
    return parsed


@pytest.mark.parametrize("path", ["/schema", "/schema/swagger"])
def test_every_asset_of_the_reference_page_is_same_origin_and_served(live: str, path: str) -> None:
    parsed = _assets(live, path)
    assert sorted(urlsplit(u).path for u in parsed.urls) == [
        "/schema/assets/reference.js",
        "/schema/assets/swagger-ui-bundle.js",
        "/schema/assets/swagger-ui.css",
    ]
    for url in parsed.urls:
        absolute = urljoin(live + path, url)
        assert urlsplit(absolute).netloc == urlsplit(live).netloc
        assert httpx.get(absolute, timeout=TIMEOUT).status_code == 200
    assert (parsed.inline_scripts, parsed.csp) == (0, [CSP])


def test_the_csp_allows_no_other_origin_and_no_inline_script() -> None:
    directives = dict(d.strip().split(" ", 1) for d in CSP.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert directives["connect-src"] == "'self'"
    assert "unsafe-inline" not in CSP
    assert "http" not in CSP


@pytest.mark.parametrize("path", ["/schema/redoc", "/schema/rapidoc", "/schema/elements"])
def test_the_frameworks_cdn_pages_are_not_served(live: str, path: str) -> None:
    assert httpx.get(live + path, timeout=TIMEOUT).status_code == 404


def test_the_contract_is_still_served_as_json_and_yaml(live: str) -> None:
    assert (
        httpx.get(live + "/schema/openapi.json", timeout=TIMEOUT).json()["paths"].keys()
        == CONTRACT["paths"].keys()
    )
    assert (
        yaml.safe_load(httpx.get(live + "/schema/openapi.yaml", timeout=TIMEOUT).text)["paths"].keys()
        == CONTRACT["paths"].keys()
    )


def test_chromium_renders_every_operation_with_nothing_from_outside(live: str) -> None:
    requests: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.on("console", lambda m: errors.append(m.text) if m.type in {"error", "warning"} else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(live + "/schema")
            page.wait_for_selector(".opblock", timeout=30_000)
            page.wait_for_load_state("networkidle")
            operations = page.locator(".opblock").count()
            title = page.locator(".info .title").inner_text()
        finally:
            browser.close()
    assert operations == OPERATIONS
    assert title.startswith(CONTRACT["info"]["title"])
    assert errors == [], errors
    outside = [u for u in requests if urlsplit(u).hostname != "127.0.0.1" and not u.startswith("data:")]
    assert outside == []
    assert f"{live}/schema/openapi.json" in requests


def test_build_reference_copies_the_locked_files_without_source_maps(tmp_path: Path) -> None:
    build_reference(ROOT, tmp_path)
    for name in BUILT_FILES:
        source = (ROOT / SWAGGER_DIST / name).read_text()
        assert (tmp_path / name).read_text() == SOURCE_MAP.sub("", source)
        assert "sourceMappingURL" not in (tmp_path / name).read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(BUILT_FILES)


def test_build_reference_without_npm_ci_says_so(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="run `npm ci` first"):
        build_reference(tmp_path, tmp_path)
