"""Console fixtures: the development identity provider and the gateway, both real servers on the embedded
database, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import psycopg
import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from psycopg import sql

from gateway.app import create_app
from gateway.db.urls import resolve_database, start_embedded
from gateway.demo import DemoSummary, prepare_demo_data
from gateway.idp.app import create_idp_app
from gateway.idp.server import DevAuthorizationServer
from gateway.settings import ConsoleSettings, IdpSettings, Settings
from gateway.synth.generate import SynthParams
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


# Two LAs (202 and 330, so one can try to see the other's), 8 schools, the first half of autumn 2025 with its
# strike day: every page has data, and the set builds in seconds.
CONSOLE_DATA = SynthParams(schools=8, start=date(2025, 9, 1), end=date(2025, 10, 24), seed=14, las=(202, 330))


@dataclass(frozen=True)
class Live:
    gateway: str
    idp: str
    settings: Settings
    idp_server: DevAuthorizationServer
    data: DemoSummary


@pytest.fixture(scope="session")
def console_settings(settings: Settings) -> Iterator[Settings]:
    """The console tests' own database (the worker's shared one stays empty for the tests that need it so)."""
    server_url = start_embedded(settings.pg_data_dir)
    name = f"{settings.database_name}_console"
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(drop)
    # What these tests check is which pages and data each persona gets. On a loaded CI machine (two pytest
    # workers and Chromium on two cores) one decision took over the default 500 ms and a 403 became the
    # engine timeout's 503; that timeout has its own tests (tests/policy), so here it is generous.
    policy = settings.policy.model_copy(update={"timeout_ms": 5000})
    yield settings.model_copy(update={"database_name": name, "policy": policy})
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(drop)


@pytest.fixture(scope="session")
def console_data(console_settings: Settings) -> DemoSummary:
    return prepare_demo_data(console_settings, CONSOLE_DATA)


@pytest.fixture
def live_conn(live: Live) -> Iterator[psycopg.Connection[tuple[Any, ...]]]:
    """An owner connection to the console tests' database, for arranging and checking."""
    with psycopg.connect(resolve_database(live.settings).admin, autocommit=True) as conn:
        yield conn


@pytest.fixture(scope="session")
def live(console_settings: Settings, console_data: DemoSummary, key_dir: Path) -> Iterator[Live]:
    settings = console_settings
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
            # A checkpoint every 20 events, so the verification page has several to prove against.
            "audit": settings.audit.model_copy(update={"checkpoint_every": 20}),
        }
    )
    idp_app = create_idp_app(live_settings)
    with serve_on(idp_app, idp_sock), serve_on(create_app(live_settings), gateway_sock):
        yield Live(gateway_url, idp_url, live_settings, idp_app.state.authorization_server, console_data)


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


HTML = {"Accept": "text/html"}


def csrf_of(page: Page, live: Live) -> str:
    """The session's CSRF token, as every form of the console carries it."""
    page.goto(f"{live.gateway}/console/")
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    assert token is not None
    return token


def audit_event(conn: psycopg.Connection[tuple[Any, ...]], request_id: str) -> dict[str, Any]:
    """The one audit event of a request (its content as written)."""
    rows = conn.execute("SELECT content FROM audit_events WHERE request_id = %s", (request_id,)).fetchall()
    assert len(rows) == 1, f"{len(rows)} events for request {request_id}"
    event: dict[str, Any] = orjson.loads(str(rows[0][0]))
    return event


@dataclass(frozen=True)
class Area:
    la_code: int
    urns: tuple[int, ...]  # every school of the LA with attendance
    upn: str  # a pupil on roll in the LA with marks
    pupil_urn: int


@pytest.fixture(scope="session")
def areas(live: Live) -> dict[int, Area]:
    """LA 202 and LA 330 as the data has them: their schools, and one pupil of each."""
    out: dict[int, Area] = {}
    with psycopg.connect(resolve_database(live.settings).admin) as conn:
        for la in (202, 330):
            urns = tuple(
                int(r[0])
                for r in conn.execute(
                    "SELECT DISTINCT urn FROM enrolment_week WHERE la_code = %s ORDER BY urn", (la,)
                ).fetchall()
            )
            upn, urn = conn.execute(
                "SELECT p.upn, e.urn FROM enrolments e JOIN pupils p USING (pupil_id)"
                " WHERE e.la_code = %s AND e.leaving_date IS NULL ORDER BY e.enrolment_id LIMIT 1",
                (la,),
            ).fetchone() or ("", 0)
            out[la] = Area(la, urns, str(upn), int(urn))
    return out
