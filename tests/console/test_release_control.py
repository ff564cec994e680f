"""The console's aggregate pages go through the same minimum population and release ledger as the API
(issue 16): what a page shows is recorded for the requester, a page that would pin a small count against
the requester's earlier releases is refused with a GOV.UK error page naming the rule, and a ledger that
cannot be written means no data shown. One audit event per page view throughout."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from typing import Any

import psycopg
import pytest
from playwright.sync_api import Page
from psycopg import sql

from gateway.privacy.differencing import Publication, Release
from gateway.privacy.disclosure import DisclosureProfile
from gateway.store.ledger import _release
from tests.console.conftest import HTML, Area, Live, audit_event, sign_in
from tests.privacy.profiles import policy_profiles
from tests.privacy.walks import feasible_shifts
from tests.release_ledger import delete_releases

ARRANGED = "test-arranged-prior"  # the request id of releases this module writes itself
Conn = psycopg.Connection[tuple[Any, ...]]


def _ledger(conn: Conn, request_id: str) -> list[Release]:
    rows = conn.execute(
        "SELECT area, date_from, date_to, filters, measure, published, true_value, cell_key, scheme"
        " FROM release_ledger WHERE request_id = %s ORDER BY seq",
        (request_id,),
    ).fetchall()
    return [_release(row) for row in rows]


def _requester(conn: Conn, request_id: str) -> str:
    """The ledger's requester of a request (issuer | organisation), from its audit event: a request that
    released only cells its organisation held already recorded no ledger row of its own."""
    principal = audit_event(conn, request_id)["principal"]
    return f"{principal['issuer']}|{principal['organisation']}"


def _held(conn: Conn, requester: str) -> list[Release]:
    rows = conn.execute(
        "SELECT area, date_from, date_to, filters, measure, published, true_value, cell_key, scheme"
        " FROM release_ledger WHERE requester = %s ORDER BY seq",
        (requester,),
    ).fetchall()
    return [_release(row) for row in rows]


@pytest.fixture(autouse=True)
def fresh_release_ledger(live_conn: Conn) -> None:
    """Each test starts with an empty ledger (this worker's console database): a release the requester
    already holds is not recorded again, so a page asked for by an earlier test would record nothing."""
    delete_releases(live_conn)


@pytest.fixture
def arranged(live_conn: Conn) -> Iterator[Conn]:
    """Releases the test records itself, removed afterwards by the table's owner (the ledger is
    append-only: its trigger is lifted for this one DELETE), so later tests of the same requester are
    not refused because of them."""
    yield live_conn
    delete_releases(live_conn, ARRANGED)


def test_the_national_daily_page_records_every_day_it_shows_in_the_requester_s_ledger(
    page: Page, live: Live, live_conn: Conn
) -> None:
    sign_in(page, live, "ons-statistician")
    response = page.request.get(f"{live.gateway}/console/national/daily", headers=HTML)
    assert response.status == 200
    rid = response.headers["x-request-id"]
    # What the page showed is held by the requester (this view recorded it, or an earlier one of the
    # organisation's did: a cell held already is not recorded twice).
    released = [r for r in _held(live_conn, _requester(live_conn, rid)) if r.measure == "pupils"]
    days = {r.date_from for r in released if r.area == "England"}
    assert days
    assert all(r.date_from == r.date_to for r in released)
    assert {r.measure for r in released} == {"pupils"}
    assert {r.area for r in released} >= {"England"}
    assert all(a == "England" or a.startswith("region ") for a in {r.area for r in released})
    # Daily counts are rounded, not perturbed: each release says so.
    unperturbed = DisclosureProfile.from_policy(
        {**policy_profiles()["published"], "cell_key": False, "ptable": None}
    )
    assert {r.scheme for r in released} == {Publication.of(unperturbed).scheme}
    assert _requester(live_conn, rid).endswith("|ons")
    assert audit_event(live_conn, rid)["status"] == 200


def test_viewing_the_same_figures_again_records_nothing_new(page: Page, live: Live, live_conn: Conn) -> None:
    """A requester re-opening a page is shown the same cells and no copy is recorded, so its series do not
    fill up (MAX_CHAIN) with figures it already holds."""
    sign_in(page, live, "ons-statistician")
    url = f"{live.gateway}/console/national/daily?period=autumn1-2025"
    first = page.request.get(url, headers=HTML)
    held = len(_held(live_conn, _requester(live_conn, first.headers["x-request-id"])))
    again = [page.request.get(url, headers=HTML) for _ in range(3)]
    assert [r.status for r in (first, *again)] == [200] * 4
    assert [_ledger(live_conn, r.headers["x-request-id"]) for r in again] == [[], [], []]
    assert len(_held(live_conn, _requester(live_conn, first.headers["x-request-id"]))) == held


def test_a_page_that_would_pin_a_small_count_is_refused_naming_the_rule(
    page: Page, live: Live, arranged: Conn
) -> None:
    """The requester's earlier releases (arranged here: a count of 5 in England's daily series, released
    exactly) pin the series, so the page that adds to it is refused, shows no figure and is audited once."""
    sign_in(page, live, "ons-statistician")
    first = page.request.get(f"{live.gateway}/console/national/daily", headers=HTML)
    assert first.status == 200
    requester = _requester(arranged, first.headers["x-request-id"])
    arranged.execute(
        "INSERT INTO release_ledger (requester, area, date_from, date_to, filters, measure, published,"
        " true_value, request_id) VALUES (%s, 'England', %s, %s, '[]', 'pupils', '5', 5, %s)",
        (requester, date(2025, 9, 1), date(2025, 9, 1), ARRANGED),
    )
    refused = page.goto(f"{live.gateway}/console/national/daily")
    assert refused is not None
    assert refused.status == 403
    text = page.locator("main").inner_text()
    assert "DIFFERENCING_WOULD_PIN" in text
    assert "with your earlier releases these cells would pin a count exactly" in text
    assert page.locator("#table-daily").count() == 0
    rid = refused.headers["x-request-id"]
    assert _ledger(arranged, rid) == []
    event = audit_event(arranged, rid)
    assert (event["status"], event["outcome"]) == (403, "denied")


def test_a_ledger_that_cannot_be_written_shows_no_data(page: Page, live: Live, live_conn: Conn) -> None:
    role = sql.Identifier(live.settings.app_db_role)
    sign_in(page, live, "ons-statistician")
    live_conn.execute(sql.SQL("REVOKE INSERT ON release_ledger FROM {}").format(role))
    try:
        response = page.goto(f"{live.gateway}/console/national/closures")
    finally:
        live_conn.execute(sql.SQL("GRANT INSERT ON release_ledger TO {}").format(role))
    assert response is not None
    assert response.status == 503
    assert page.locator("h1").inner_text() == "Sorry, the service is unavailable"
    assert "The release ledger could not be checked or written" in page.locator("main").inner_text()
    assert page.locator("#table-schools").count() == 0
    assert audit_event(live_conn, response.headers["x-request-id"])["status"] == 503


def test_the_school_benchmark_page_shares_its_series_with_the_api_s_benchmark(
    page: Page, live: Live, live_conn: Conn, areas: dict[int, Area]
) -> None:
    """Comparators are named by what they are ("la 202 other than school U"), not by the page's labels."""
    urn = areas[202].urns[0]
    sign_in(page, live, "school-lead", la_code=202, urn=urn)
    response = page.request.get(f"{live.gateway}/console/school/benchmark", headers=HTML)
    assert response.status == 200
    released = _ledger(live_conn, response.headers["x-request-id"])
    assert {r.area for r in released} <= {
        f"la 202 other than school {urn}",
        f"England other than school {urn}",
        f"similar schools to school {urn}",
    }
    assert f"England other than school {urn}" in {r.area for r in released}
    assert "school" not in {r.area.split(" ")[0] for r in released}  # its own figures are exact: not recorded


def _series(conn: Conn, requester: str) -> dict[tuple[Any, ...], list[Release]]:
    series: dict[tuple[Any, ...], list[Release]] = defaultdict(list)
    for row in conn.execute(
        "SELECT area, date_from, date_to, filters, measure, published, true_value, cell_key, scheme"
        " FROM release_ledger WHERE requester = %s ORDER BY seq",
        (requester,),
    ).fetchall():
        release = _release(row)
        series[release.chain].append(release)
    return series


def _values_left(series: dict[tuple[Any, ...], list[Release]], profile: dict[str, Any]) -> list[int]:
    """For each series holding a count under 60 (the ledger's protected band), how many values the
    independent attacker (tests/privacy/walks.py) keeps for it, knowing every true difference."""
    return [
        len(feasible_shifts(profile, releases))
        for releases in series.values()
        if any(0 < r.true_value < 60 for r in releases)
    ]


def test_a_walk_through_the_national_pages_leaves_nothing_small_to_pin(
    page: Page, live: Live, live_conn: Conn
) -> None:
    """The daily page over every period it offers and the closures page on each school day of a
    fortnight, by one requester under `published`: every count these pages release is of England, a
    region, an LA or a whole school on a day, and none is under 60, so the attacker has no small count to
    aim at (the series the pages feed are the API's, so a walk mixing both is checked as one)."""
    sign_in(page, live, "ons-statistician")
    responses = [
        page.request.get(f"{live.gateway}/console/national/daily?period={p}", headers=HTML)
        for p in ("ytd", "2025-26", "autumn-2025", "autumn1-2025")
    ]
    days = [date(2025, 9, d) for d in (8, 9, 10, 11, 12, 15, 16, 17, 18, 19)]
    responses += [
        page.request.get(f"{live.gateway}/console/national/closures?date={d.isoformat()}", headers=HTML)
        for d in days
    ]
    assert [r.status for r in responses] == [200] * len(responses)
    series = _series(live_conn, _requester(live_conn, responses[0].headers["x-request-id"]))
    assert {area.split(" ")[0] for area, _, _ in series} == {"England", "region", "la", "school"}
    assert _values_left(series, policy_profiles()["published"]) == []


def test_a_walk_through_the_benchmark_and_trend_pages_pins_no_small_count(
    page: Page, live: Live, live_conn: Conn, areas: dict[int, Area]
) -> None:
    """A school lead (school-benchmark: rounding only, where a flip between two periods pins) walks its
    benchmark page over every period it offers and its weekly trend: the comparators' persistent and
    severe absentees are small counts, and the attacker keeps at least two values for each."""
    urn = areas[202].urns[0]
    sign_in(page, live, "school-lead", la_code=202, urn=urn)
    responses = [
        page.request.get(f"{live.gateway}/console/school/benchmark?period={p}", headers=HTML)
        for p in ("ytd", "2025-26", "autumn-2025", "autumn1-2025")
    ]
    responses.append(page.request.get(f"{live.gateway}/console/school/trend", headers=HTML))
    assert {r.status for r in responses} <= {200, 403}
    assert responses[0].status == 200
    series = _series(live_conn, _requester(live_conn, responses[0].headers["x-request-id"]))
    left = _values_left(series, policy_profiles()["school-benchmark"])
    assert left, "the walk released small counts to attack"
    assert min(left) >= 2
