"""A schools file may carry each school's trust: checked, stored, and kept when a file has no trust columns."""

from __future__ import annotations

from gateway.ingest.feed import FeedKind
from tests.ingest.conftest import fetch, ingest
from tests.ingest.feeds import URN_A, URN_B, csv_bytes, school

TRUSTS = "SELECT s.urn, s.trust_id, t.name FROM schools s LEFT JOIN trusts t USING (trust_id) ORDER BY 1"


async def test_trust_columns_set_each_schools_trust(aconn) -> None:
    summary = await ingest(
        aconn,
        FeedKind.SCHOOLS,
        csv_bytes(FeedKind.SCHOOLS, [school(URN_A, trust=7), school(URN_B, 2002, trust=0)]),
    )
    assert (summary.updated, summary.unchanged, summary.rejected) == (1, 1, 0)
    assert await fetch(aconn, TRUSTS) == [(URN_A, 7, "Trust 7"), (URN_B, None, None)]


async def test_a_file_without_trust_columns_keeps_the_stored_trusts(aconn) -> None:
    await ingest(aconn, FeedKind.SCHOOLS, csv_bytes(FeedKind.SCHOOLS, [school(URN_A, trust=7)]))
    summary = await ingest(aconn, FeedKind.SCHOOLS, csv_bytes(FeedKind.SCHOOLS, [school(URN_A)]))
    assert (summary.updated, summary.unchanged) == (1, 0)  # its school type differs, not its trust
    assert await fetch(aconn, TRUSTS) == [(URN_A, 7, "Trust 7"), (URN_B, None, None)]


async def test_bad_trust_values_are_rejected_with_their_reason(aconn) -> None:
    rows = [
        school(URN_A, trust=7),
        dict(school(URN_B, 2002, trust=7), trust_name="Another name"),
        dict(school(100003, 2003, trust=7), trust_id="T7"),
        dict(school(100004, 2004, trust=0), trust_name="No id"),
    ]
    summary = await ingest(aconn, FeedKind.SCHOOLS, csv_bytes(FeedKind.SCHOOLS, rows))
    assert await fetch(aconn, "SELECT line_number, reason_code, reason FROM ingest_rejects ORDER BY 1") == [
        (3, "bad_value", "trust_name differs from line 2 for trust 7"),
        (4, "bad_value", "trust_id 'T7' must be a whole number from 1 to 99999999"),
        (5, "bad_value", "trust_id '' must be a whole number from 1 to 99999999"),
    ]
    assert summary.rejected == 3
