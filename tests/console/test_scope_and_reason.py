"""LA 202 never sees LA 330, whatever it edits; the reason prompt blocks pupil lists until answered, and the
reason is in the audit event; one organisation's DPO never sees another's events."""

from __future__ import annotations

import re
from typing import Any

import psycopg
from playwright.sync_api import Page

from tests.console.conftest import HTML, Area, Live, audit_event, csrf_of, sign_in

REASON = "Termly targeting meeting, autumn 2025"
UPN_IN_TEXT = re.compile(r"\b[A-HJ-NP-RT-Z][0-9]{12}\b|\b[A-HJ-NP-RT-Z][0-9]{11}[A-Z]\b")


def officer_form(page: Page, live: Live, **fields: str) -> dict[str, str]:
    return {"csrf_token": csrf_of(page, live), "purpose": "attendance-support", "reason": REASON, **fields}


def upns_shown(text: str) -> set[str]:
    return set(UPN_IN_TEXT.findall(text))


def la_of_upns(conn: psycopg.Connection[tuple[Any, ...]], upns: set[str]) -> set[int]:
    rows = conn.execute(
        "SELECT DISTINCT e.la_code FROM pupils p JOIN enrolments e USING (pupil_id) WHERE p.upn = ANY(%s)",
        (list(upns),),
    ).fetchall()
    return {int(r[0]) for r in rows}


def test_the_prompt_shows_nothing_and_a_list_without_a_reason_is_refused_and_recorded(
    page: Page, live: Live, live_conn: psycopg.Connection[tuple[Any, ...]]
) -> None:
    sign_in(page, live, "la-attendance", la_code=202)
    page.goto(f"{live.gateway}/console/la/")
    assert upns_shown(page.locator("main").inner_text()) == set()
    with page.expect_response(f"{live.gateway}/console/la/pupils") as refused:
        page.click("button:has-text('Persistently absent pupils')")
    assert refused.value.status == 403
    assert page.locator(".govuk-error-summary").inner_text().count("at least 10 characters") == 1
    assert (page.locator("h1").inner_text(), upns_shown(page.locator("main").inner_text())) == (
        "Why do you need to see this?",
        set(),
    )
    event = audit_event(live_conn, refused.value.headers["x-request-id"])
    assert (
        event["action"],
        event["outcome"],
        event["reasons"],
        event["subjects"],
        event["reason_given"],
    ) == (
        "pupils.list",
        "denied",
        ["DENY_REASON_REQUIRED"],
        [],
        False,
    )


def test_the_list_once_answered_carries_the_reason_into_its_audit_event(
    page: Page, live: Live, live_conn: psycopg.Connection[tuple[Any, ...]]
) -> None:
    sign_in(page, live, "la-attendance", la_code=202)
    page.goto(f"{live.gateway}/console/la/")
    page.fill("#reason", REASON)
    with page.expect_response(f"{live.gateway}/console/la/pupils") as shown:
        page.click("button:has-text('Persistently absent pupils')")
    rows = page.locator("#table-pupils tbody tr").count()
    event = audit_event(live_conn, shown.value.headers["x-request-id"])
    assert (shown.value.status, event["action"], event["reason_text"], event["outcome"]) == (
        200,
        "pupils.list",
        REASON,
        "allowed",
    )
    assert (event["rows_returned"], len(event["subjects"])) == (rows, rows)
    assert rows == len(upns_shown(page.locator("#table-pupils").inner_text()))


def test_la_202_sees_only_its_own_schools_even_when_the_form_names_330(
    page: Page, live: Live, areas: dict[int, Area]
) -> None:
    sign_in(page, live, "la-attendance", la_code=202)
    form = officer_form(page, live, la_code="330", urn=str(areas[330].urns[0]))
    response = page.request.post(f"{live.gateway}/console/la/schools?la_code=330", form=form, headers=HTML)
    page.set_content(response.text())
    urns = page.locator("#table-schools tbody tr td:nth-child(2)").all_inner_texts()
    assert (response.status, sorted(int(u) for u in urns)) == (200, sorted(areas[202].urns))


def test_la_202_pupil_lists_and_early_warning_hold_only_its_own_pupils(
    page: Page, live: Live, live_conn: psycopg.Connection[tuple[Any, ...]]
) -> None:
    sign_in(page, live, "la-safeguarding", la_code=202)
    seen: set[str] = set()
    for path, criterion in (("pupils", "persistent"), ("pupils", "severe"), ("pupils", "unauthorised_10_in_10"),
                            ("early-warning", "")):  # fmt: skip
        form = officer_form(page, live, purpose="child-protection-enquiry", criterion=criterion or "persistent",
                            la_code="330")  # fmt: skip
        response = page.request.post(f"{live.gateway}/console/la/{path}", form=form, headers=HTML)
        assert response.status == 200
        seen |= upns_shown(response.text())
    assert (len(seen) > 0, la_of_upns(live_conn, seen)) == (True, {202})


def test_a_pupil_of_la_330_is_not_found_for_la_202_and_the_lookup_is_recorded(
    page: Page, live: Live, areas: dict[int, Area], live_conn: psycopg.Connection[tuple[Any, ...]]
) -> None:
    sign_in(page, live, "la-attendance", la_code=202)
    form = officer_form(page, live, upn=areas[330].upn)
    response = page.request.post(f"{live.gateway}/console/pupil", form=form, headers=HTML)
    event = audit_event(live_conn, response.headers["x-request-id"])
    assert (response.status, areas[330].upn in response.text()) == (404, False)
    assert (event["action"], event["status"], event["rows_returned"], len(event["subjects"])) == (
        "pupils.attendance",
        404,
        0,
        1,
    )


def test_a_pupil_of_la_202_shows_as_a_calendar_of_exactly_their_marks(
    page: Page, live: Live, areas: dict[int, Area], live_conn: psycopg.Connection[tuple[Any, ...]]
) -> None:
    sign_in(page, live, "la-attendance", la_code=202)
    response = page.request.post(
        f"{live.gateway}/console/pupil", form=officer_form(page, live, upn=areas[202].upn), headers=HTML
    )
    page.set_content(response.text())
    (marks,) = live_conn.execute(
        "SELECT count(*) FROM marks m JOIN enrolments e USING (enrolment_id) JOIN pupils p USING (pupil_id)"
        " WHERE p.upn = %s",
        (areas[202].upn,),
    ).fetchone() or (None,)
    shown = page.locator(".app-calendar .app-mark:not(.app-mark--none)").count()
    assert (response.status, shown, page.locator(".govuk-caption-l").inner_text()) == (
        200,
        marks,
        areas[202].upn,
    )


def test_one_organisations_dpo_never_sees_anothers_events(
    page: Page, live: Live, areas: dict[int, Area], live_conn: psycopg.Connection[tuple[Any, ...]]
) -> None:
    sign_in(page, live, "la-attendance", la_code=330)  # LA 330 looks at its own pupil: an event of la-330's
    page.request.post(
        f"{live.gateway}/console/pupil", form=officer_form(page, live, upn=areas[330].upn), headers=HTML
    )
    page.context.clear_cookies()
    sign_in(page, live, "la-attendance", la_code=202)  # LA 202 tries the same pupil: a 404 of la-202's own
    page.request.post(
        f"{live.gateway}/console/pupil", form=officer_form(page, live, upn=areas[330].upn), headers=HTML
    )
    page.context.clear_cookies()
    sign_in(page, live, "la-dpo", la_code=202)
    organisations: set[str] = set()
    url: str | None = f"{live.gateway}/console/audit/events?limit=1000"
    while url:
        page.goto(url)
        organisations |= set(page.locator("#table-events tbody td:nth-child(3)").all_inner_texts())
        more = page.locator("input[name=cursor]")
        url = (
            f"{live.gateway}/console/audit/events?limit=1000&cursor={more.get_attribute('value')}"
            if more.count()
            else None
        )
    page.goto(f"{live.gateway}/console/audit/subject")
    page.fill("#upn", areas[330].upn)
    page.click("button:has-text('Look up')")
    accessed_by = set(page.locator("#table-accesses tbody td:nth-child(3)").all_inner_texts())
    (la_330_events,) = live_conn.execute(
        "SELECT count(*) FROM audit_events WHERE organisation = 'la-330'"
    ).fetchone() or (0,)
    assert (organisations, accessed_by, la_330_events > 0) == ({"la-202"}, {"la-202"}, True)
