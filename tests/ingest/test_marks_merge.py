"""Marks merge newest-wins; re-ingest is a no-op; corrections move rollup counts."""

from __future__ import annotations

from gateway.ingest.feed import FeedKind
from gateway.store.codes import ORDINALS
from tests.ingest.conftest import fetch, ingest
from tests.ingest.feeds import EARLIER, LATER, RECORDED, csv_bytes, mark, pupil

ROSTER = csv_bytes(FeedKind.ROSTER, [pupil(1), pupil(2)])
DAY = "2024-09-02"


async def test_reingesting_the_same_file_changes_nothing(aconn) -> None:
    await ingest(aconn, FeedKind.ROSTER, ROSTER)
    marks = csv_bytes(FeedKind.MARKS, [mark(1, DAY), mark(1, DAY, "PM", "\\"), mark(2, DAY, code="N")])
    first = await ingest(aconn, FeedKind.MARKS, marks)
    before = await fetch(aconn, "SELECT * FROM marks ORDER BY 1, 2, 3")
    rollups = await fetch(aconn, "SELECT * FROM school_day_group ORDER BY 1, 2, 3, 4, 5, 6, 7")
    again = await ingest(aconn, FeedKind.MARKS, marks)
    assert (first.accepted, first.updated, first.unchanged, first.rejected) == (3, 0, 0, 0)
    assert (again.accepted, again.updated, again.unchanged, again.rejected) == (0, 0, 3, 0)
    assert await fetch(aconn, "SELECT * FROM marks ORDER BY 1, 2, 3") == before
    assert await fetch(aconn, "SELECT * FROM school_day_group ORDER BY 1, 2, 3, 4, 5, 6, 7") == rollups


async def test_a_newer_mark_replaces_the_stored_one(aconn) -> None:
    await ingest(aconn, FeedKind.ROSTER, ROSTER)
    await ingest(aconn, FeedKind.MARKS, csv_bytes(FeedKind.MARKS, [mark(2, DAY, code="N")]))
    summary = await ingest(
        aconn, FeedKind.MARKS, csv_bytes(FeedKind.MARKS, [mark(2, DAY, code="I", recorded_at=LATER)])
    )
    assert (summary.accepted, summary.updated, summary.unchanged) == (0, 1, 0)
    assert await fetch(aconn, "SELECT code, recorded_at::text FROM marks") == [
        ("I", "2024-09-03 08:30:00+00")
    ]


async def test_an_older_or_equal_mark_changes_nothing(aconn) -> None:
    await ingest(aconn, FeedKind.ROSTER, ROSTER)
    await ingest(aconn, FeedKind.MARKS, csv_bytes(FeedKind.MARKS, [mark(2, DAY, code="N")]))
    older = csv_bytes(FeedKind.MARKS, [mark(2, DAY, code="I", recorded_at=EARLIER)])
    equal = csv_bytes(FeedKind.MARKS, [mark(2, DAY, code="O", recorded_at=RECORDED)])
    for data in (older, equal):
        summary = await ingest(aconn, FeedKind.MARKS, data)
        assert (summary.accepted, summary.updated, summary.unchanged) == (0, 0, 1)
    assert await fetch(aconn, "SELECT code FROM marks") == [("N",)]


async def test_a_correction_from_n_to_i_moves_the_rollup_counts(aconn) -> None:
    await ingest(aconn, FeedKind.ROSTER, ROSTER)
    await ingest(aconn, FeedKind.MARKS, csv_bytes(FeedKind.MARKS, [mark(2, DAY, code="N"), mark(1, DAY)]))
    await ingest(
        aconn, FeedKind.MARKS, csv_bytes(FeedKind.MARKS, [mark(2, DAY, code="I", recorded_at=LATER)])
    )
    rows = await fetch(
        aconn,
        f"SELECT pupils, possible, present, authorised, unauthorised, code_counts[{ORDINALS['N']}],"
        f" code_counts[{ORDINALS['I']}] FROM school_day_group",
    )
    assert rows == [(2, 2, 1, 1, 0, 0, 1)]
    weeks = await fetch(
        aconn, "SELECT possible, present, authorised, unauthorised FROM enrolment_week ORDER BY 1"
    )
    assert sorted(weeks) == [(1, 0, 1, 0), (1, 1, 0, 0)]


async def test_not_counted_codes_are_not_possible_sessions(aconn) -> None:
    await ingest(aconn, FeedKind.ROSTER, ROSTER)
    await ingest(
        aconn, FeedKind.MARKS, csv_bytes(FeedKind.MARKS, [mark(1, DAY, code="#"), mark(1, DAY, "PM", "Y4")])
    )
    assert await fetch(aconn, "SELECT pupils, possible, not_counted FROM school_day_group") == [(1, 0, 2)]
    assert await fetch(aconn, "SELECT possible FROM enrolment_week") == [(0,)]


async def test_marks_land_in_monthly_partitions_the_app_role_can_read(aconn) -> None:
    await ingest(aconn, FeedKind.ROSTER, ROSTER)
    data = csv_bytes(FeedKind.MARKS, [mark(1, DAY), mark(1, "2024-10-01")])
    await ingest(aconn, FeedKind.MARKS, data)
    parts = await fetch(
        aconn,
        "SELECT c.relname, has_table_privilege('gateway_app', c.oid, 'SELECT') FROM pg_inherits i"
        " JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'marks'::regclass"
        " AND c.relname IN ('marks_2024_09', 'marks_2024_10') ORDER BY 1",
    )
    assert parts == [("marks_2024_09", True), ("marks_2024_10", True)]


async def test_a_stored_mark_missing_from_the_rollup_still_merges_newest_wins(aconn) -> None:
    await ingest(aconn, FeedKind.ROSTER, ROSTER)
    await ingest(aconn, FeedKind.MARKS, csv_bytes(FeedKind.MARKS, [mark(2, DAY, code="N")]))
    await aconn.execute("DELETE FROM school_day_group")  # the batch will look like a day's first
    summary = await ingest(
        aconn, FeedKind.MARKS, csv_bytes(FeedKind.MARKS, [mark(2, DAY, code="I", recorded_at=LATER)])
    )
    assert (summary.accepted, summary.updated) == (0, 1)
    assert await fetch(aconn, "SELECT code FROM marks") == [("I",)]


async def test_a_later_line_for_a_stored_session_is_a_duplicate_even_when_the_first_changes_nothing(
    aconn,
) -> None:
    await ingest(aconn, FeedKind.ROSTER, ROSTER)
    await ingest(aconn, FeedKind.MARKS, csv_bytes(FeedKind.MARKS, [mark(2, DAY, code="N")]))
    summary = await ingest(
        aconn,
        FeedKind.MARKS,
        csv_bytes(FeedKind.MARKS, [mark(2, DAY, code="N"), mark(2, DAY, code="I", recorded_at=LATER)]),
    )
    assert (summary.accepted, summary.updated, summary.unchanged, summary.reasons) == (
        0, 0, 1, {"duplicate_in_batch": 1},
    )  # fmt: skip
    assert await fetch(aconn, "SELECT line_number, reason_code FROM ingest_rejects") == [
        (3, "duplicate_in_batch")
    ]
    assert await fetch(aconn, "SELECT code FROM marks") == [("N",)]
