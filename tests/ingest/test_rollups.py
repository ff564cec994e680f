"""Rollups kept by ingest deltas always equal a from-scratch recomputation from raw marks."""

from __future__ import annotations

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from gateway.ingest.feed import FeedKind
from gateway.store.rollups import rebuild_rollups
from tests.ingest.conftest import STORE, fetch, ingest
from tests.ingest.feeds import URN_A, URN_B, csv_bytes, csv_text, mark, pupil, school

SDG = (
    "SELECT * FROM school_day_group ORDER BY urn, date, year_group, fsm, sen_provision, sex, ethnicity_major"
)
WEEKS = "SELECT * FROM enrolment_week ORDER BY enrolment_id, week_start"
DAYS = ["2024-09-02", "2024-09-03", "2024-09-06", "2024-09-09"]
CODES = ["/", "\\", "L", "N", "I", "O", "M", "V", "#", "Y4", "D", "G", "U"]
TIMES = ["2024-09-02T09:00:00Z", "2024-09-03T09:00:00Z", "2024-09-04T09:00:00Z"]

mark_rows = st.builds(
    lambda serial, day, session, code, ts: mark(
        serial, day, session, code, ts, urn=URN_A if serial < 4 else URN_B
    ),
    st.integers(1, 6),
    st.sampled_from(DAYS),
    st.sampled_from(["AM", "PM"]),
    st.sampled_from(CODES),
    st.sampled_from(TIMES),
)
batches = st.lists(st.lists(mark_rows, min_size=1, max_size=12), min_size=1, max_size=4)
ROSTER = csv_bytes(
    FeedKind.ROSTER,
    [pupil(1), pupil(2, sex="M"), pupil(3, fsm="true"), pupil(4, urn=URN_B), pupil(5, urn=URN_B, year_group=4),
     pupil(6, urn=URN_B, ethnicity="BAFR")],
)  # fmt: skip


async def _reset(conn) -> None:
    await conn.execute(f"TRUNCATE {STORE} CASCADE")
    await ingest(conn, FeedKind.SCHOOLS, csv_bytes(FeedKind.SCHOOLS, [school(URN_A), school(URN_B, 2002)]))
    await ingest(conn, FeedKind.ROSTER, ROSTER)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=batches)
async def test_rollups_after_any_sequence_of_batches_equal_a_rebuild(aconn, batches) -> None:
    sessions = [(r["upn"], r["date"], r["session"]) for rows in batches for r in rows]
    event(f"{len(batches)} batch(es)")
    event("a session marked again" if len(set(sessions)) < len(sessions) else "every session marked once")
    await _reset(aconn)
    for rows in batches:
        await ingest(aconn, FeedKind.MARKS, csv_text(FeedKind.MARKS, rows).encode())
    kept = (await fetch(aconn, SDG), await fetch(aconn, WEEKS))
    await rebuild_rollups(aconn)
    assert kept == (await fetch(aconn, SDG), await fetch(aconn, WEEKS))


async def test_a_roster_change_moves_past_marks_to_the_new_group(aconn) -> None:
    await ingest(aconn, FeedKind.ROSTER, csv_bytes(FeedKind.ROSTER, [pupil(1), pupil(2)]))
    await ingest(
        aconn, FeedKind.MARKS, csv_bytes(FeedKind.MARKS, [mark(1, DAYS[0]), mark(2, DAYS[0], code="N")])
    )
    later = "2024-09-05T09:00:00Z"
    summary = await ingest(
        aconn, FeedKind.ROSTER, csv_bytes(FeedKind.ROSTER, [pupil(2, recorded_at=later, fsm="true")])
    )
    assert (summary.accepted, summary.updated) == (0, 1)
    assert await fetch(
        aconn, "SELECT fsm, pupils, present, unauthorised FROM school_day_group ORDER BY fsm"
    ) == [
        (False, 1, 1, 0),
        (True, 1, 0, 1),
    ]
    kept = await fetch(aconn, SDG)
    await rebuild_rollups(aconn)
    assert kept == await fetch(aconn, SDG)


async def test_a_days_first_batch_counts_each_pupil_once_whichever_sessions_it_marks(aconn) -> None:
    await _reset(aconn)
    rows = [
        mark(2, DAYS[0], "PM", "\\"),  # PM only, listed before the others
        mark(1, DAYS[0], "PM", "\\"),
        mark(3, DAYS[0], "AM"),  # AM only
        mark(1, DAYS[0], "AM"),  # both sessions, PM first in the file
    ]
    summary = await ingest(aconn, FeedKind.MARKS, csv_bytes(FeedKind.MARKS, rows))
    assert (summary.accepted, summary.rejected) == (4, 0)
    assert await fetch(
        aconn, "SELECT sex, fsm, pupils, possible, present FROM school_day_group ORDER BY sex, fsm"
    ) == [("F", False, 1, 2, 2), ("F", True, 1, 1, 1), ("M", False, 1, 1, 1)]
    kept = await fetch(aconn, SDG)
    await rebuild_rollups(aconn)
    assert kept == await fetch(aconn, SDG)
