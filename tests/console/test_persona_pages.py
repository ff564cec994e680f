"""Each persona is offered exactly its own pages, and every other page refuses it (the policy decides)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from gateway.auth.personas import PERSONAS
from gateway.console.pages import PAGES
from tests.console.conftest import HTML, Area, Live, csrf_of, sign_in

SCHOOL = ["Attendance", "Benchmark", "Weekly trend", "Pupils"]
LA = ["Local authority"]
NATIONAL = ["Daily series", "Closures"]
DPO = ["Audit log", "Who accessed a pupil", "Transparency report", "Verify the log"]
EXPECTED_NAVIGATION: dict[str, list[str]] = {
    "school-lead": SCHOOL,
    "la-safeguarding": LA,
    "la-attendance": LA,
    "dfe-analyst": NATIONAL,
    "ons-statistician": NATIONAL,
    "dfe-dpo": DPO,
    "la-dpo": DPO,
    "ogd-dpo": DPO,
    "ogd-analyst": [],
    "researcher": [],
    "aggregator": [],
    "policy-admin": [],
    "data-manager": [],
    "home-office-analyst": [],
    "trust-lead": [],  # no trust pages yet: the console offers a trust nothing (the API serves trusts)
}
GET_PAGES = {p.title: p.path for p in PAGES if p.in_navigation}
POSTED = ("/console/la/schools", "/console/la/pupils", "/console/la/early-warning", "/console/pupil")
# What each posted page answers, with a reason given and the UPN of a pupil in another LA (330).
OFFICER = {
    "/console/la/schools": 200,
    "/console/la/pupils": 200,
    "/console/la/early-warning": 200,
    "/console/pupil": 404,
}
SCHOOL_LEAD = {**dict.fromkeys(POSTED, 403), "/console/pupil": 404}
NOBODY = dict.fromkeys(POSTED, 403)


def test_every_persona_has_an_expectation() -> None:
    assert set(EXPECTED_NAVIGATION) == set(PERSONAS)
    assert sorted(t for pages in (SCHOOL, LA, NATIONAL, DPO) for t in pages) == sorted(GET_PAGES)


@pytest.mark.parametrize("persona", sorted(EXPECTED_NAVIGATION))
def test_a_persona_is_offered_its_pages_and_refused_every_other(
    page: Page, live: Live, areas: dict[int, Area], persona: str
) -> None:
    sign_in(page, live, persona, la_code=202, urn=areas[202].urns[0])
    shown = [s.strip() for s in page.locator(".govuk-service-navigation__item").all_inner_texts()]
    assert shown == ["Home", *EXPECTED_NAVIGATION[persona]]
    own = set(EXPECTED_NAVIGATION[persona])
    statuses = {
        t: page.request.get(live.gateway + path, headers=HTML).status for t, path in GET_PAGES.items()
    }
    assert statuses == {t: 200 if t in own else 403 for t in GET_PAGES}
    form = {"csrf_token": csrf_of(page, live), "reason": "Termly targeting meeting", "upn": areas[330].upn}
    posted = {path: page.request.post(live.gateway + path, form=form, headers=HTML).status for path in POSTED}
    expected = OFFICER if own == set(LA) else SCHOOL_LEAD if own == set(SCHOOL) else NOBODY
    assert posted == expected
