"""Issue 15 item 6: `/console/feed`, the feed conformance record as a public page. A known set of batches and
one test pack verdict are arranged in the console tests' database; the page (in Chromium, signed out) shows
their figures exactly, withholds the group under the rule, offers each table as CSV, and has no axe-core
violation."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import httpx
import psycopg
import pytest
from playwright.sync_api import Page

from tests.console.conftest import Live, audit_event, axe_violations, screenshot

PAGE = "/console/feed"
SENDER = "page-aggregator"
BATCH = """
INSERT INTO ingest_batches (feed_kind, source_name, content_sha256, finished_at, accepted, updated, unchanged,
                            rejected, mis_product, mis_version, sender, urns, late_sessions)
VALUES ('marks', %s, repeat('0', 64), now(), %s, %s, 0, %s, %s, %s, %s, %s, %s)
RETURNING batch_id
"""


@pytest.fixture
def arranged(live_conn: psycopg.Connection[tuple[Any, ...]]) -> Iterator[None]:
    """PageMIS 7.1: one batch of 10 rows from 3 schools (6 new, 2 corrections, 2 rejected, 4 late sessions),
    checked once (pass). PageSmall 1: one clean batch of 5 rows from 1 school: under the rule, withheld."""
    big = live_conn.execute(
        BATCH, ("page-test-big", 6, 2, 2, "PageMIS", "7.1", SENDER, [100001, 100002, 100003], 4)
    ).fetchone()
    small = live_conn.execute(
        BATCH, ("page-test-small", 5, 0, 0, "PageSmall", "1", SENDER, [100001], 0)
    ).fetchone()
    assert big is not None
    assert small is not None
    for line, reason in ((2, "code_unknown"), (5, "bad_date")):
        live_conn.execute(
            "INSERT INTO ingest_rejects (batch_id, line_number, raw, reason_code, reason) VALUES (%s, %s, '', %s, '')",
            (big[0], line, reason),
        )
    live_conn.execute(
        "INSERT INTO feed_pack_verdicts (mis_product, mis_version, sender, pack_version, pack_digest, passed,"
        " files, checked_at) VALUES ('PageMIS', '7.1', %s, '1', repeat('a', 64), true, '[]',"
        " '2026-11-30T10:00:00Z')",
        (SENDER,),
    )
    try:
        yield
    finally:
        batches = [big[0], small[0]]
        live_conn.execute("DELETE FROM ingest_rejects WHERE batch_id = ANY(%s)", (batches,))
        live_conn.execute("DELETE FROM ingest_batches WHERE batch_id = ANY(%s)", (batches,))
        live_conn.execute("DELETE FROM feed_pack_verdicts WHERE mis_product = 'PageMIS'")


# Rates are percentages of rows sent (late: of the 8 valid marks), shown to one decimal place.
PRODUCT_ROW = [
    "PageMIS", "7.1", "Pass (pack 1)", "30 November 2026",
    "1", "10", "3", "2", "20.0", "bad_date 10.0, code_unknown 10.0", "20.0", "50.0",
]  # fmt: skip
# The sender: both batches (15 rows, 13 valid marks, 3 schools between them).
SENDER_ROW = [SENDER, "2", "15", "3", "2", "13.3", "bad_date 6.7, code_unknown 6.7", "13.3", "30.8"]


def _row(page: Page, table: str, first: str) -> list[str]:
    row = page.locator(f"#table-{table} tbody tr", has=page.locator(f"th:text-is('{first}')"))
    assert row.count() == 1
    return [c.strip() for c in row.locator("th, td").all_inner_texts()]


def test_the_page_shows_the_record_signed_out_with_no_accessibility_violation(
    page: Page, live: Live, arranged: None, live_conn: psycopg.Connection[tuple[Any, ...]]
) -> None:
    response = page.goto(live.gateway + PAGE)
    assert response is not None
    assert response.status == 200
    assert page.url == live.gateway + PAGE  # no sign-in: the record is public
    assert _row(page, "products", "PageMIS") == PRODUCT_ROW
    assert _row(page, "senders", SENDER) == SENDER_ROW
    assert page.locator("#table-products th:text-is('PageSmall')").count() == 0
    record = httpx.get(live.gateway + "/v1/feed/conformance", timeout=30).json()
    assert page.locator("#rule").inner_text() == record["rule"].replace("`", "")
    products, senders = record["products_withheld"], record["senders_withheld"]
    assert [p for p in record["products"] if p["mis_product"] == "PageSmall"] == []
    assert page.locator("#withheld").inner_text() == (
        f"Withheld: {products} product and version {'group' if products == 1 else 'groups'},"
        f" {senders} {'sender' if senders == 1 else 'senders'}."
    )
    screenshot(page, "page-feed-conformance")
    assert axe_violations(page) == []
    event = audit_event(live_conn, response.headers["x-request-id"])
    assert (event["route"], event["outcome"], event["principal"]) == (PAGE, "allowed", None)


def _csv(live: Live, table: str) -> list[list[str]]:
    response = httpx.get(live.gateway + PAGE, params={"download": table}, timeout=30)
    assert response.status_code == 200
    assert response.headers["content-disposition"] == f'attachment; filename="feed-conformance-{table}.csv"'
    return list(csv.reader(io.StringIO(response.text)))


def test_each_table_downloads_as_csv_with_the_same_figures(live: Live, arranged: None) -> None:
    products = _csv(live, "products")
    assert products[0] == [
        "Product", "Version", "Test pack verdict", "Checked on", "Batches", "Rows sent", "Schools",
        "Rows rejected", "Rejected (%)", "Rejected by reason (% of rows sent)", "Corrections (%)",
        "Late sessions (%)",
    ]  # fmt: skip
    assert [r for r in products if r[0] == "PageMIS"] == [
        ["PageMIS", "7.1", "Pass (pack 1)", "30 November 2026", "1", "10", "3", "2", "20.0",
         "bad_date 10.0, code_unknown 10.0", "20.0", "50.0"],
    ]  # fmt: skip
    senders = _csv(live, "senders")
    assert [r for r in senders if r[0] == SENDER] == [
        [SENDER, "2", "15", "3", "2", "13.33", "bad_date 6.7, code_unknown 6.7", "13.33", "30.77"]
    ]


def test_an_unknown_table_to_download_is_refused(live: Live) -> None:
    response = httpx.get(live.gateway + PAGE, params={"download": "pupils"}, timeout=30)
    assert response.status_code == 400
