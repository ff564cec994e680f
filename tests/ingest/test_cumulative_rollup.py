"""The cumulative weekly rollup always equals the running sums of the weekly rollup, whatever ingest did."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from gateway.ingest.feed import FeedKind
from gateway.store.rollups import rebuild_rollups
from tests.ingest.conftest import STORE, fetch, ingest
from tests.ingest.feeds import URN_A, URN_B, csv_bytes, mark, pupil, school

WEEKS = (
    "SELECT la_code, enrolment_id, week_start, urn, possible, present + aea, authorised + unauthorised,"
    " unauthorised FROM enrolment_week JOIN enrolments USING (la_code, enrolment_id, urn)"
    " JOIN pupils USING (pupil_id) ORDER BY substr(upn, 2), week_start"  # pupil serial order
)
CUMULATIVE = (
    "SELECT la_code, enrolment_id, week_start, urn, possible, attended, absent, unauthorised,"
    " w_possible, w_attended, w_absent, w_unauthorised"
    " FROM enrolment_week_cumulative JOIN enrolments USING (la_code, enrolment_id, urn)"
    " JOIN pupils USING (pupil_id) ORDER BY substr(upn, 2), week_start"  # pupil serial order
)
# Three school weeks: Monday 2 Sept, Monday 9 Sept and Monday 16 Sept 2024.
WEEK_DAYS = (["2024-09-02", "2024-09-04"], ["2024-09-09", "2024-09-11"], ["2024-09-16", "2024-09-18"])
LATER = "2024-09-20T09:00:00Z"


def running_sums(weeks: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The independent computation: each week's totals over the enrolment's weeks up to it, then its own."""
    totals: dict[tuple[Any, Any], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    rows = []
    for la_code, enrolment_id, week_start, urn, *own in weeks:
        total = totals[(la_code, enrolment_id)]
        for i, value in enumerate(own):
            total[i] += value
        rows.append((la_code, enrolment_id, week_start, urn, *total, *own))
    return rows


async def assert_cumulative_matches(conn) -> list[tuple[Any, ...]]:
    weeks = await fetch(conn, WEEKS)
    cumulative = await fetch(conn, CUMULATIVE)
    assert cumulative == running_sums(weeks)
    return cumulative


def week_marks(
    days: list[str], code_of: dict[int, str], recorded_at: str | None = None
) -> list[dict[str, Any]]:
    extra = {} if recorded_at is None else {"recorded_at": recorded_at}
    return [
        mark(serial, day, session, code_of.get(serial, "/"), urn=URN_A if serial < 3 else URN_B, **extra)
        for serial in (1, 2, 3)
        for day in days
        for session in ("AM", "PM")
    ]


async def test_first_loads_corrections_and_reingests_keep_running_sums(aconn) -> None:
    await aconn.execute(f"TRUNCATE {STORE} CASCADE")
    await ingest(aconn, FeedKind.SCHOOLS, csv_bytes(FeedKind.SCHOOLS, [school(URN_A), school(URN_B, 2002)]))
    roster = [pupil(1), pupil(2, sex="M"), pupil(3, urn=URN_B)]
    await ingest(aconn, FeedKind.ROSTER, csv_bytes(FeedKind.ROSTER, roster))
    # First loads: one file a week, each the first batch of its days.
    files = [csv_bytes(FeedKind.MARKS, week_marks(days, {2: "N", 3: "O"})) for days in WEEK_DAYS]
    for data in files:
        summary = await ingest(aconn, FeedKind.MARKS, data)
        assert (summary.accepted, summary.rejected) == (12, 0)
    first = await assert_cumulative_matches(aconn)
    assert len(first) == 9
    # Pupil 2, week 3: 4 unauthorised sessions, 12 over the three weeks, 12 possible.
    assert first[5][4:] == (12, 0, 12, 12, 4, 0, 4, 4)
    # A correction of the first week (pupil 1 unauthorised): every later week's totals move.
    fix = csv_bytes(FeedKind.MARKS, week_marks(WEEK_DAYS[0], {1: "O", 3: "O"}, recorded_at=LATER))
    summary = await ingest(aconn, FeedKind.MARKS, fix)
    assert (summary.updated, summary.unchanged) == (12, 0)  # every mark is newer than the stored one
    corrected = await assert_cumulative_matches(aconn)
    assert corrected[2][4:] == (12, 8, 4, 4, 4, 4, 0, 0)  # pupil 1, week 3
    assert corrected[5][4:] == (12, 4, 8, 8, 4, 0, 4, 4)  # pupil 2, week 3: week 1 now present
    # Re-ingests: the same file again changes nothing; an older file for a corrected week changes nothing.
    for data in (files[1], files[0]):
        summary = await ingest(aconn, FeedKind.MARKS, data)
        assert summary.updated == 0
    assert await assert_cumulative_matches(aconn) == corrected
    # A repair rebuild from raw marks gives the same rows.
    await rebuild_rollups(aconn)
    assert await assert_cumulative_matches(aconn) == corrected
