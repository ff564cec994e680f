"""Merging a pupil's two records in the store (gateway/store/pupil_merge.py), run as the application role, as the
route runs it: enrolments and marks move, same-school enrolments fold into one, a conflict writes nothing, and
every rollup afterwards equals a recomputation from the raw marks. Also what the narrow database function
`retire_merged_pupil` (migration 0019) refuses when called on its own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import psycopg
import pytest

from gateway.db.urls import DatabaseUrls
from gateway.ingest.feed import FeedKind
from gateway.store.pupil_merge import MergeCounts, MergeError, merge_pupils
from gateway.store.rollups import rebuild_rollups
from tests.ingest.conftest import STORE, fetch, ingest
from tests.ingest.feeds import URN_A, URN_B, csv_bytes, mark, pupil, school, upn
from tests.ingest.test_cumulative_rollup import running_sums
from tests.ingest.test_rollups import SDG, WEEKS
from tests.ingest.test_term_cells import _assert_cells_equal_recomputation

SURVIVOR, OLD, BYSTANDER = 1, 2, 3
CUMULATIVE = (
    "SELECT la_code, enrolment_id, week_start, urn, possible, attended, absent, unauthorised,"
    " w_possible, w_attended, w_absent, w_unauthorised FROM enrolment_week_cumulative ORDER BY 1, 2, 3"
)
WEEK_TOTALS = (
    "SELECT la_code, enrolment_id, week_start, urn, possible, present + aea, authorised + unauthorised,"
    " unauthorised FROM enrolment_week ORDER BY 1, 2, 3"
)
MARKS_OF = (
    "SELECT e.urn, m.date::text, m.session, m.code FROM marks m JOIN enrolments e USING (la_code, enrolment_id)"
    " JOIN pupils p USING (pupil_id) WHERE p.upn = '{upn}' ORDER BY 1, 2, 3"
)
TABLES = STORE.replace(" ", "").split(",")
SCHOOLS = [school(URN_A, trust=7), school(URN_B, 2002, trust=0)]


@pytest.fixture
async def app(ingest_urls: DatabaseUrls) -> AsyncIterator[psycopg.AsyncConnection[tuple[object, ...]]]:
    """A connection as the application role (the grants the gateway runs with)."""
    async with await psycopg.AsyncConnection.connect(ingest_urls.app, autocommit=True) as conn:
        yield conn


async def _arrange(aconn: Any, roster: list[dict[str, Any]], marks: list[dict[str, Any]]) -> None:
    await aconn.execute(f"TRUNCATE {STORE} CASCADE")  # schools again, A in a trust (trust cells too)
    await ingest(aconn, FeedKind.SCHOOLS, csv_bytes(FeedKind.SCHOOLS, SCHOOLS))
    await ingest(aconn, FeedKind.ROSTER, csv_bytes(FeedKind.ROSTER, roster))
    summary = await ingest(aconn, FeedKind.MARKS, csv_bytes(FeedKind.MARKS, marks))
    assert summary.rejected == 0


async def _merge(app: Any, old: int = OLD, into: int = SURVIVOR) -> MergeCounts:
    async with app.transaction():
        return await merge_pupils(app, upn(old), upn(into))


async def _assert_rollups_equal_recomputation(aconn: Any) -> int:
    """Daily and weekly rollups against a rebuild from raw marks, the cumulative rows against the running sums
    of the weekly ones, and term rows and cells against tests/ingest/test_term_cells.py's recomputation."""
    weeks = await fetch(aconn, WEEK_TOTALS)
    assert await fetch(aconn, CUMULATIVE) == running_sums(weeks)
    kept = (await fetch(aconn, SDG), await fetch(aconn, WEEKS), await fetch(aconn, CUMULATIVE))
    await rebuild_rollups(aconn)
    assert kept == (await fetch(aconn, SDG), await fetch(aconn, WEEKS), await fetch(aconn, CUMULATIVE))
    terms, _ = await _assert_cells_equal_recomputation(aconn)
    return terms


# The survivor (F) and the old record (M) at school A; the old record also at school B, where the survivor is
# not enrolled; a bystander at A in the survivor's group. 2 September AM is marked identically on both records.
ROSTER = [
    pupil(SURVIVOR),
    pupil(OLD, sex="M"),
    pupil(OLD, urn=URN_B, sex="M"),
    pupil(BYSTANDER),
]
MARKS = [
    mark(SURVIVOR, "2024-09-02", "AM", "/"),
    mark(SURVIVOR, "2024-09-02", "PM", "/"),
    mark(SURVIVOR, "2024-09-09", "AM", "N"),
    mark(OLD, "2024-09-02", "AM", "/"),  # the same mark as the survivor's: kept once
    mark(OLD, "2024-09-03", "AM", "I"),
    mark(OLD, "2024-09-03", "PM", "/"),
    mark(OLD, "2024-09-10", "AM", "N"),
    mark(OLD, "2024-09-02", "AM", "/", urn=URN_B),
    mark(OLD, "2024-09-04", "PM", "U", urn=URN_B),
    mark(BYSTANDER, "2024-09-02", "AM", "/"),
    mark(BYSTANDER, "2024-09-03", "AM", "/"),
]


async def test_a_merge_moves_enrolments_and_folds_the_same_school_into_one(aconn: Any, app: Any) -> None:
    await _arrange(aconn, ROSTER, MARKS)
    counts = await _merge(app)
    assert counts == MergeCounts(enrolments_moved=1, enrolments_merged=1, marks_moved=5, duplicate_marks=1)
    assert await fetch(aconn, MARKS_OF.format(upn=upn(SURVIVOR))) == [
        (URN_A, "2024-09-02", 0, "/"),
        (URN_A, "2024-09-02", 1, "/"),
        (URN_A, "2024-09-03", 0, "I"),
        (URN_A, "2024-09-03", 1, "/"),
        (URN_A, "2024-09-09", 0, "N"),
        (URN_A, "2024-09-10", 0, "N"),
        (URN_B, "2024-09-02", 0, "/"),
        (URN_B, "2024-09-04", 1, "U"),
    ]
    assert await fetch(aconn, MARKS_OF.format(upn=upn(OLD))) == []
    old = f"'{upn(OLD)}'"
    for table in ("pupils", "pupil_upns"):
        assert await fetch(aconn, f"SELECT count(*) FROM {table} WHERE upn = {old}") == [(0,)]
    # The enrolment at B moved whole and now counts in the survivor's group (F); 2 September at A counts
    # two pupils (the survivor once, and the bystander), not three.
    assert await fetch(
        aconn,
        "SELECT urn, sex, pupils, possible FROM school_day_group WHERE date = '2024-09-02' ORDER BY 1, 2",
    ) == [(URN_A, "F", 2, 3), (URN_B, "F", 1, 1)]
    # Term rows: the survivor's two enrolments and the bystander's, each in the year, and in the autumn term
    # those with a mark after 3 September (the reference calendar's term has not begun on the 2nd and 3rd).
    assert await _assert_rollups_equal_recomputation(aconn) == 5


async def test_a_merge_of_enrolments_at_other_schools_keeps_their_weeks(aconn: Any, app: Any) -> None:
    await _arrange(
        aconn,
        [pupil(SURVIVOR), pupil(OLD, urn=URN_B, ethnicity="BAFR")],
        [
            mark(SURVIVOR, "2024-09-02"),
            mark(OLD, "2024-09-02", urn=URN_B),
            mark(OLD, "2024-09-09", "PM", "N", urn=URN_B),
        ],
    )
    weeks = await fetch(aconn, WEEKS)
    counts = await _merge(app)
    assert counts == MergeCounts(enrolments_moved=1, enrolments_merged=0, marks_moved=2, duplicate_marks=0)
    assert await fetch(aconn, WEEKS) == weeks  # the enrolment is the same one, now the survivor's
    assert await fetch(
        aconn, f"SELECT DISTINCT ethnicity_major FROM school_day_group WHERE urn = {URN_B}"
    ) == [("White",)]
    assert await _assert_rollups_equal_recomputation(aconn) == 3  # the year twice, the term for 9 September


async def test_two_different_marks_for_one_session_refuse_the_merge_and_nothing_is_written(
    aconn: Any, app: Any
) -> None:
    await _arrange(
        aconn,
        [pupil(SURVIVOR), pupil(OLD)],
        [
            mark(SURVIVOR, "2024-09-02"), mark(SURVIVOR, "2024-09-03", "PM"), mark(SURVIVOR, "2024-09-04"),
            mark(OLD, "2024-09-02"), mark(OLD, "2024-09-03", "PM", "N"), mark(OLD, "2024-09-04", "AM", "I"),
        ],
    )  # fmt: skip
    before = [await fetch(aconn, f"SELECT * FROM {table} ORDER BY 1, 2") for table in TABLES]
    with pytest.raises(MergeError) as refused:
        await _merge(app)
    assert (refused.value.code, refused.value.errors) == (
        "conflicting-marks",
        [{"field": "into", "source": "body", "message": "conflicting marks on 2024-09-03 PM"}],
    )
    assert "2024-09-03 PM" in str(refused.value)
    assert [await fetch(aconn, f"SELECT * FROM {table} ORDER BY 1, 2") for table in TABLES] == before


@pytest.mark.parametrize(
    ("old", "into", "code", "field"),
    [
        (OLD, OLD, "merge-into-self", "into"),
        (9, SURVIVOR, "unknown-pupil", "upn"),
        (OLD, 9, "unknown-pupil", "into"),
    ],
    ids=["into itself", "unknown pupil", "unknown surviving pupil"],
)
async def test_a_merge_that_names_no_two_records_is_refused(
    aconn: Any, app: Any, old: int, into: int, code: str, field: str
) -> None:
    await _arrange(aconn, [pupil(SURVIVOR), pupil(OLD)], [mark(OLD, "2024-09-02")])
    with pytest.raises(MergeError) as refused:
        await _merge(app, old, into)
    assert (refused.value.code, refused.value.errors[0]["field"]) == (code, field)
    assert await fetch(aconn, "SELECT count(*) FROM pupils") == [(2,)]


async def _pupil_id(aconn: Any, serial: int) -> int:
    [(pupil_id,)] = await fetch(aconn, f"SELECT pupil_id FROM pupils WHERE upn = '{upn(serial)}'")
    assert isinstance(pupil_id, int)
    return pupil_id


@pytest.mark.parametrize(
    ("roster", "marks", "refusal"),
    [
        ([pupil(SURVIVOR), pupil(OLD, urn=URN_B)], [], "the old pupil still has enrolments of its own"),
        (
            [pupil(SURVIVOR), pupil(OLD)],
            [mark(SURVIVOR, "2024-09-02"), mark(OLD, "2024-09-03")],
            "the old pupil still has marks of its own",
        ),
        (
            [pupil(SURVIVOR), pupil(OLD)],
            [mark(SURVIVOR, "2024-09-02"), mark(OLD, "2024-09-02")],
            "the old enrolments still have rollup rows",
        ),
    ],
    ids=["own enrolment", "own mark", "rollups left"],
)
async def test_the_retiring_function_deletes_only_what_the_surviving_record_holds(
    aconn: Any, app: Any, roster: list[dict[str, Any]], marks: list[dict[str, Any]], refusal: str
) -> None:
    await _arrange(aconn, roster, marks)
    old, new = await _pupil_id(aconn, OLD), await _pupil_id(aconn, SURVIVOR)
    with pytest.raises(psycopg.errors.RaiseException, match=refusal):
        await app.execute("SELECT retire_merged_pupil(%s, %s)", (old, new))
    assert await fetch(aconn, "SELECT count(*) FROM pupils") == [(2,)]


async def test_the_retiring_function_needs_two_different_pupils(aconn: Any, app: Any) -> None:
    await _arrange(aconn, [pupil(SURVIVOR)], [])
    survivor = await _pupil_id(aconn, SURVIVOR)
    for old, new, refusal in (
        (survivor, survivor, "two different pupils"),
        (survivor + 1000, survivor, "no such pupil"),
    ):
        with pytest.raises(psycopg.errors.RaiseException, match=refusal):
            await app.execute("SELECT retire_merged_pupil(%s, %s)", (old, new))


async def test_the_application_role_cannot_delete_a_pupil_any_other_way(aconn: Any, app: Any) -> None:
    await _arrange(aconn, [pupil(SURVIVOR)], [])
    for table in ("pupils", "pupil_upns", "enrolments", "marks"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            await app.execute(f"DELETE FROM {table}")
