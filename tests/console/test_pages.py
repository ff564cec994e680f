"""The console in Chromium: sign-in through the real authorization-code flow, sessions, CSRF, CSP, axe."""

from __future__ import annotations

import httpx
import orjson
import psycopg
import pytest
from playwright.sync_api import Page
from structlog.testing import capture_logs

from gateway.auth.devissuer import keygen
from gateway.auth.personas import PERSONAS, persona_claims
from gateway.console.sessions import SESSION_COOKIE, id_hash
from tests.console.conftest import Live, axe_violations, screenshot, sign_in

# What each persona's home page lists: the agreements its organisation holds for its role, and their state.
EXPECTED_AGREEMENTS: dict[str, list[tuple[str, str]]] = {
    "la-safeguarding": [("la-safeguarding", "In force")],
    "la-attendance": [("la-attendance-support", "In force")],
    "la-dpo": [("dpo-oversight-own-organisation", "In force")],
    "ogd-analyst": [("dwp-dea-s35", "In force")],
    "ons-statistician": [("ons-srsa-s45a", "In force")],
    "researcher": [("srs-research-p2025-017", "In force")],
    "school-lead": [("school-benchmark", "In force"), ("school-own-pupils", "In force")],
    "trust-lead": [("trust-attendance", "In force"), ("trust-benchmark", "In force")],
    "dfe-analyst": [("dfe-statistics", "In force")],
    "dfe-dpo": [("dpo-oversight-dfe", "In force")],
    "ogd-dpo": [("dpo-oversight-own-organisation", "In force")],
    "aggregator": [("aggregator-collection", "In force")],
    "policy-admin": [],
    "data-manager": [("dfe-data-management", "In force")],
    "home-office-analyst": [("home-office-2016", "Ended")],
}
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; manifest-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def shown_agreements(page: Page) -> list[tuple[str, str]]:
    cards = page.locator(".govuk-summary-card")
    shown = []
    for i in range(cards.count()):
        card = cards.nth(i)
        agreement = card.locator(".govuk-summary-list__row").first.locator("dd").inner_text().strip()
        shown.append((agreement, card.locator(".govuk-tag").inner_text().strip()))
    return shown


def this_session(page: Page) -> bytes:
    """The id hash of the browser's own session row (other tests may have signed in as the same persona)."""
    (cookie,) = [c for c in page.context.cookies() if c["name"] == SESSION_COOKIE]
    return id_hash(cookie["value"].split(".")[0])


def test_every_persona_has_an_expectation() -> None:
    assert set(EXPECTED_AGREEMENTS) == set(PERSONAS)


@pytest.mark.parametrize("persona", sorted(EXPECTED_AGREEMENTS))
def test_each_persona_signs_in_and_sees_who_it_is_and_its_agreements(
    page: Page, live: Live, persona: str
) -> None:
    sign_in(page, live, persona, la_code=330, urn=100002)
    claims = persona_claims(persona, la_code=330, urn=100002)
    summary = page.locator("main .govuk-summary-list").first
    assert summary.locator("dd").first.inner_text().strip() == claims["sub"]
    assert summary.locator("dd").nth(1).inner_text().strip() == claims["org"]
    assert shown_agreements(page) == EXPECTED_AGREEMENTS[persona]
    screenshot(page, f"home-{persona}")
    assert axe_violations(page) == []


def test_the_persona_picker_and_the_signed_out_page_have_no_accessibility_violations(
    page: Page, live: Live
) -> None:
    page.goto(f"{live.gateway}/console/")
    assert page.url == f"{live.gateway}/console/signed-out?reason=signed-out&next=/console"
    screenshot(page, "signed-out")
    assert axe_violations(page) == []
    page.click("a:has-text('Sign in')")
    page.wait_for_url(f"{live.idp}/authorize?*")
    screenshot(page, "idp-persona-picker")
    assert axe_violations(page) == []


def test_a_home_page_view_is_one_audit_event_naming_the_signed_in_person(
    page: Page, live: Live, live_conn: psycopg.Connection[tuple[object, ...]]
) -> None:
    sign_in(page, live, "dfe-dpo")
    response = page.reload()
    assert response is not None
    request_id = response.headers["x-request-id"]
    rows = live_conn.execute(
        "SELECT principal_subject, outcome, content FROM audit_events WHERE request_id = %s", (request_id,)
    ).fetchall()
    assert len(rows) == 1
    subject, outcome, content = rows[0]
    event = orjson.loads(str(content))
    assert (subject, outcome, event["action"], event["status"]) == (
        "dfe-dpo@dfe",
        "allowed",
        "decisions.explain",
        200,
    )


def test_sign_out_without_its_csrf_token_is_refused_and_the_session_stays(page: Page, live: Live) -> None:
    sign_in(page, live, "la-attendance")
    page.evaluate("document.querySelector('input[name=csrf_token]').remove()")
    with page.expect_response(f"{live.gateway}/console/sign-out") as refused:
        page.click("button:has-text('Sign out')")
    assert refused.value.status == 403
    assert "The form's CSRF token is missing or wrong; nothing was done." in page.locator("main").inner_text()
    page.goto(f"{live.gateway}/console/")
    assert page.url == f"{live.gateway}/console/"


def test_sign_out_with_a_token_from_another_session_is_refused(page: Page, live: Live) -> None:
    sign_in(page, live, "la-attendance")
    other = page.context.browser.new_context().new_page()  # type: ignore[union-attr]
    sign_in(other, live, "la-attendance")
    foreign = other.locator("input[name=csrf_token]").get_attribute("value")
    other.context.close()
    page.evaluate(f"document.querySelector('input[name=csrf_token]').value = '{foreign}'")
    with page.expect_response(f"{live.gateway}/console/sign-out") as refused:
        page.click("button:has-text('Sign out')")
    assert refused.value.status == 403


def test_sign_out_ends_the_session(page: Page, live: Live) -> None:
    sign_in(page, live, "school-lead")
    page.click("button:has-text('Sign out')")
    page.wait_for_url(f"{live.gateway}/console/signed-out?reason=signed-out")
    assert page.locator("h1").inner_text() == "You are signed out"
    page.goto(f"{live.gateway}/console/")
    assert page.url.startswith(f"{live.gateway}/console/signed-out?reason=signed-out")


def test_an_expired_session_signs_out(
    page: Page, live: Live, live_conn: psycopg.Connection[tuple[object, ...]]
) -> None:
    sign_in(page, live, "la-safeguarding")
    live_conn.execute(
        "UPDATE console_sessions SET expires_at = now() - interval '1 second' WHERE id_hash = %s",
        (this_session(page),),
    )
    page.goto(f"{live.gateway}/console/")
    assert page.url == f"{live.gateway}/console/signed-out?reason=expired&next=/console"
    assert page.locator("h1").inner_text() == "Your session has ended"
    assert [c for c in page.context.cookies() if c["name"] == "gateway_console"] == []


def test_an_expiring_access_token_is_refreshed_and_the_session_goes_on(
    page: Page, live: Live, live_conn: psycopg.Connection[tuple[object, ...]]
) -> None:
    sign_in(page, live, "ogd-dpo")
    session = (this_session(page),)
    live_conn.execute("UPDATE console_sessions SET access_expires_at = now() WHERE id_hash = %s", session)
    (before,) = live_conn.execute(
        "SELECT sealed_tokens FROM console_sessions WHERE id_hash = %s", session
    ).fetchone() or (None,)
    page.goto(f"{live.gateway}/console/")
    assert page.url == f"{live.gateway}/console/"
    after, refreshed = live_conn.execute(
        "SELECT sealed_tokens, refreshed_at IS NOT NULL FROM console_sessions WHERE id_hash = %s", session
    ).fetchone() or (None, None)
    assert (after != before, refreshed) == (True, True)


def test_a_refused_refresh_signs_out(
    page: Page, live: Live, live_conn: psycopg.Connection[tuple[object, ...]]
) -> None:
    sign_in(page, live, "la-dpo", la_code=909)
    session = (this_session(page),)
    with live.idp_server.grants.lock:  # the provider forgets this person's refresh token (revoked)
        for token, issued in list(live.idp_server.grants.refresh_tokens.items()):
            if issued.person.claims["org"] == "la-909":
                del live.idp_server.grants.refresh_tokens[token]
    live_conn.execute("UPDATE console_sessions SET access_expires_at = now() WHERE id_hash = %s", session)
    page.goto(f"{live.gateway}/console/")
    assert page.url == f"{live.gateway}/console/signed-out?reason=expired&next=/console"
    assert live_conn.execute(
        "SELECT count(*) FROM console_sessions WHERE id_hash = %s", session
    ).fetchone() == (0,)


def test_the_session_cookie_is_http_only_secure_and_same_site_lax(page: Page, live: Live) -> None:
    sign_in(page, live, "dfe-analyst")
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "gateway_console"]
    assert (cookie["httpOnly"], cookie["secure"], cookie["sameSite"], cookie["path"]) == (
        True,
        True,  # the tests run as environment "test": Secure everywhere but development
        "Lax",
        "/console",
    )


def test_pages_carry_a_strict_content_security_policy_and_no_inline_script(page: Page, live: Live) -> None:
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text))
    sign_in(page, live, "researcher")
    response = page.reload()
    assert response is not None
    assert response.headers["content-security-policy"] == CSP
    assert page.locator("script:not([src])").count() == 0
    assert page.evaluate("document.body.classList.contains('js-enabled')") is True  # supported.js ran
    assert violations == []


def test_a_console_page_ignores_a_bearer_token(live: Live) -> None:
    token = keygen(live.settings.auth).issue(persona_claims("dfe-analyst"))
    response = httpx.get(
        f"{live.gateway}/console/", headers={"Authorization": f"Bearer {token}"}, follow_redirects=False
    )
    assert (response.status_code, response.headers["location"]) == (
        303,
        "/console/signed-out?reason=signed-out&next=/console",
    )


def test_a_callback_without_its_sign_in_cookie_is_refused(live: Live) -> None:
    response = httpx.get(f"{live.gateway}/console/callback", params={"code": "x", "state": "y"})
    assert response.status_code == 400
    assert "Sign-in failed" in response.text


def test_a_forged_session_cookie_signs_no_one_in(live: Live) -> None:
    response = httpx.get(
        f"{live.gateway}/console/",
        cookies={"gateway_console": "c2Vzc2lvbg.Zm9yZ2Vk"},
        follow_redirects=False,
    )
    assert (response.status_code, response.headers["location"]) == (
        303,
        "/console/signed-out?reason=expired&next=/console",
    )


def test_signing_in_logs_no_token_code_or_cookie(page: Page, live: Live) -> None:
    codes: list[str] = []
    page.on("request", lambda r: codes.extend(r.url.split("code=")[1:2]))
    with capture_logs() as logs:
        sign_in(page, live, "la-safeguarding")
        page.reload()
    (cookie,) = [c["value"] for c in page.context.cookies() if c["name"] == SESSION_COOKIE]
    code = codes[0].split("&")[0]
    logged = orjson.dumps(logs, default=str).decode()
    routes = {e["route"] for e in logs if e["event"] == "request"}
    assert sorted(routes & {"/console", "/console/callback"}) == ["/console", "/console/callback"]
    assert ("eyJ" in logged, code in logged, cookie.split(".")[0] in logged) == (False, False, False)
