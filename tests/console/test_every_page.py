"""Every console page, as its persona sees it in Chromium: a screenshot under var/ and no axe-core violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from gateway.console.pages import PAGES, PageSpec
from tests.console.conftest import Area, Live, axe_violations, screenshot, sign_in

REASON = "Termly targeting meeting, autumn 2025"
# The persona that holds each page reached from the navigation.
PERSONA_OF = {"school": "school-lead", "la": "la-attendance", "national": "dfe-analyst", "dpo": "la-dpo"}
NAVIGATION = [p for p in PAGES if p.in_navigation]
# The LA pages behind the reason prompt: the prompt's button that opens each one.
LA_VIEWS = {
    "la-schools": "Schools in the local authority",
    "la-pupils": "Persistently absent pupils",
    "la-early-warning": "Early warning: pupils whose attendance is getting worse",
}


def test_every_page_is_visited_here() -> None:
    reached = {p.key for p in NAVIGATION} | set(LA_VIEWS) | {"pupil-calendar"}
    assert reached == {p.key for p in PAGES}


@pytest.mark.parametrize("spec", NAVIGATION, ids=lambda p: p.key)
def test_a_navigation_page_has_no_accessibility_violation(
    page: Page, live: Live, areas: dict[int, Area], spec: PageSpec
) -> None:
    sign_in(page, live, PERSONA_OF[spec.section], la_code=202, urn=areas[202].urns[0])
    response = page.goto(live.gateway + spec.path)
    assert response is not None
    assert response.status == 200
    screenshot(page, f"page-{spec.key}")
    assert axe_violations(page) == []


@pytest.mark.parametrize("key", sorted(LA_VIEWS))
def test_an_la_page_behind_the_prompt_has_no_accessibility_violation(
    page: Page, live: Live, key: str
) -> None:
    sign_in(page, live, "la-safeguarding", la_code=202)
    page.goto(f"{live.gateway}/console/la/")
    page.fill("#reason", REASON)
    with page.expect_response(lambda r: r.request.method == "POST") as shown:
        page.click(f"button:has-text('{LA_VIEWS[key]}')")
    assert shown.value.status == 200
    screenshot(page, f"page-{key}")
    assert axe_violations(page) == []


def test_a_pupils_session_calendar_has_no_accessibility_violation(page: Page, live: Live) -> None:
    sign_in(page, live, "la-safeguarding", la_code=202)
    page.goto(f"{live.gateway}/console/la/")
    page.fill("#reason", REASON)
    page.click(f"button:has-text('{LA_VIEWS['la-pupils']}')")
    with page.expect_response(f"{live.gateway}/console/pupil") as shown:
        page.locator("#table-pupils tbody button").first.click()
    assert shown.value.status == 200
    assert page.locator(".app-calendar").count() > 0
    screenshot(page, "page-pupil-calendar")
    assert axe_violations(page) == []
