"""Console fixtures: the development identity provider and the gateway, both real servers on the embedded
database, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from gateway.app import create_app
from gateway.db.urls import DatabaseUrls
from gateway.idp.app import create_idp_app
from gateway.idp.server import DevAuthorizationServer
from gateway.settings import ConsoleSettings, IdpSettings, Settings
from tests.console.servers import bound_socket, serve_on, url_of

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = ROOT / "var" / "test-screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Headless flags for this machine (see the machine notes): no sandbox as root, no background networking.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class Live:
    gateway: str
    idp: str
    settings: Settings
    idp_server: DevAuthorizationServer


@pytest.fixture(scope="session")
def live(settings: Settings, db_urls: DatabaseUrls, key_dir: Path) -> Iterator[Live]:
    gateway_sock, idp_sock = bound_socket(), bound_socket()
    gateway_url, idp_url = url_of(gateway_sock), url_of(idp_sock)
    live_settings = settings.model_copy(
        update={
            "auth": settings.auth.model_copy(update={"dev_idp_issuer": idp_url}),
            "idp": IdpSettings(
                clients_dir=key_dir / "idp",
                access_token_seconds=300,
                console_redirect_uris=[f"{gateway_url}/console/callback"],
            ),
            "console": ConsoleSettings(
                redirect_uri=f"{gateway_url}/console/callback",
                session_key_file=key_dir / "console-session-key.bin",
            ),
        }
    )
    idp_app = create_idp_app(live_settings)
    with serve_on(idp_app, idp_sock), serve_on(create_app(live_settings), gateway_sock):
        yield Live(gateway_url, idp_url, live_settings, idp_app.state.authorization_server)


# Module scope, not session: Playwright's sync API runs an event loop in this thread while it is open, and
# the rest of the suite (asyncio.run, pytest-asyncio) must not find one running.
@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def sign_in(page: Page, live: Live, persona: str, *, la_code: int = 202, urn: int = 100001) -> None:
    """Through the real authorization-code flow: the console sends the browser to the picker and back."""
    page.goto(f"{live.gateway}/console/sign-in")
    page.wait_for_url(f"{live.idp}/authorize?*")
    page.check(f"input[name=persona][value='{persona}']")
    page.fill("#la_code", str(la_code))
    page.fill("#urn", str(urn))
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{live.gateway}/console/")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core, from the npm lock, run in the page (evaluated by the driver, so the page's CSP stands)."""
    page.evaluate(AXE.read_text())
    result: list[dict[str, Any]] = page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',"
        " 'wcag22aa', 'best-practice']})).violations.map(v => ({id: v.id, nodes: v.nodes.length}))"
    )
    return result


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
