"""Rollups kept by ingest deltas always equal a from-scratch recomputation from raw marks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from gateway.db.urls import DatabaseUrls
from gateway.ingest.feed import FeedKind
from gateway.store.pupil_merge import MergeError, merge_pupils
from gateway.store.rollups import rebuild_rollups
from tests.ingest.conftest import STORE, fetch, ingest
from tests.ingest.feeds import URN_A, URN_B, csv_bytes, csv_text, mark, pupil, school, upn

SDG = (
    "SELECT * FROM school_day_group ORDER BY urn, date, year_group, fsm, sen_provision, sex, ethnicity_major"
)
WEEKS = "SELECT * FROM enrolment_week ORDER BY enrolment_id, week_start"
SCHOOL_DAYS = "SELECT * FROM school_day ORDER BY la_code, urn, date"
# school_day's definition: per school-day, the sums of its group rows (the code arrays elementwise).
SUMMED_GROUPS = """
    SELECT t.*, a.code_counts FROM (
        SELECT la_code, urn, date, sum(pupils)::integer, sum(possible)::integer, sum(present)::integer,
               sum(aea)::integer, sum(authorised)::integer, sum(unauthorised)::integer, sum(not_counted)::integer
        FROM school_day_group GROUP BY 1, 2, 3) AS t (la_code, urn, date)
    JOIN (SELECT la_code, urn, date, array_agg(n ORDER BY o) AS code_counts
          FROM (SELECT g.la_code, g.urn, g.date, u.o, sum(u.n)::integer AS n
                FROM school_day_group g, unnest(g.code_counts) WITH ORDINALITY AS u(n, o) GROUP BY 1, 2, 3, 4) c
          GROUP BY 1, 2, 3) AS a USING (la_code, urn, date)
    ORDER BY 1, 2, 3
"""
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


@pytest.fixture
async def app(ingest_urls: DatabaseUrls) -> AsyncIterator[psycopg.AsyncConnection[tuple[object, ...]]]:
    """A connection as the application role, as the pupil-merge route runs."""
    async with await psycopg.AsyncConnection.connect(ingest_urls.app, autocommit=True) as conn:
        yield conn


# A roster line regrouping a pupil (year group, FSM or sex changed), recorded later than the first roster.
regroupings = st.builds(
    lambda serial, change, stamp: pupil(
        serial, urn=URN_A if serial < 4 else URN_B, recorded_at=f"2024-09-{stamp:02d}T10:00:00Z", **change
    ),
    st.integers(1, 6),
    st.sampled_from([{"fsm": "true"}, {"sex": "M"}, {"year_group": 3}, {"fsm": "false", "sex": "F"}]),
    st.integers(3, 20),
)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("marks"), st.lists(mark_rows, min_size=1, max_size=12)),
        st.tuples(st.just("roster"), st.lists(regroupings, min_size=1, max_size=3)),
    ),
    min_size=1,
    max_size=5,
)
# A pupil merge (old record into the surviving one; refused when they hold different marks for a session).
merges = st.none() | st.tuples(st.integers(1, 6), st.integers(1, 6)).filter(lambda p: p[0] != p[1])


async def _apply(aconn: Any, app: Any, step: tuple[str, list[dict[str, Any]]]) -> None:
    kind, rows = step
    feed = FeedKind.MARKS if kind == "marks" else FeedKind.ROSTER
    await ingest(aconn, feed, csv_text(feed, rows).encode())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps, merge=merges, after=st.lists(mark_rows, max_size=8))
async def test_school_day_after_any_batches_regroupings_and_a_merge_is_the_sum_of_its_groups_and_a_rebuild(
    aconn, app, steps, merge, after
) -> None:
    """Marks batches (first loads, corrections, re-ingests), roster regroupings, a pupil merge, then more
    marks: each school_day row is its school-day's group rows summed, and what a rebuild from raw marks gives."""
    await _reset(aconn)
    for step in steps:
        event(step[0])
        await _apply(aconn, app, step)
    if merge is not None:
        try:
            async with app.transaction():
                await merge_pupils(app, upn(merge[0]), upn(merge[1]))
            event("merged")
        except MergeError:
            event("merge refused")
    if after:
        await _apply(aconn, app, ("marks", after))
    kept = await fetch(aconn, SCHOOL_DAYS)
    assert kept == await fetch(aconn, SUMMED_GROUPS)
    await rebuild_rollups(aconn)
    assert kept == await fetch(aconn, SCHOOL_DAYS)
