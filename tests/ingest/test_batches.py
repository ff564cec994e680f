"""A batch is all-or-nothing, and the formats (CSV, NDJSON, gzip, quoted fields) load identically."""

from __future__ import annotations

import gzip
from datetime import date

import psycopg
import pytest
from psycopg.rows import dict_row

from gateway.ingest.feed import FeedError, FeedKind
from gateway.ingest.run import ingest_stream
from tests.ingest.conftest import fetch, ingest
from tests.ingest.feeds import URN_B, csv_bytes, csv_text, mark, ndjson_bytes, pupil

DAY = "2024-09-02"
MONDAY = date(2024, 9, 2)
ROSTER = [pupil(1), pupil(2), pupil(3, urn=URN_B)]
MARKS = [
    mark(1, DAY),
    mark(1, DAY, "PM", "\\"),
    mark(2, DAY, code="N"),
    mark(3, DAY, urn=URN_B),
    mark(9, DAY),
]
STORE_QUERIES = (
    "SELECT count(*) FROM marks",
    "SELECT count(*) FROM school_day_group",
    "SELECT count(*) FROM enrolment_week",
    "SELECT count(*) FROM ingest_rejects",
    "SELECT count(*) FROM ingest_batches WHERE feed_kind = 'marks'",
)


async def _store_counts(conn) -> list[object]:
    return [(await fetch(conn, q))[0][0] for q in STORE_QUERIES]


async def test_a_batch_that_fails_in_its_rollup_step_leaves_nothing_behind(aconn) -> None:
    await ingest(aconn, FeedKind.ROSTER, csv_bytes(FeedKind.ROSTER, ROSTER))
    # A real failure after marks and rejects are written: the rollup upsert breaks a constraint.
    await aconn.execute(
        f"ALTER TABLE school_day_group ADD CONSTRAINT fail_for_test CHECK (urn <> {URN_B}) NOT VALID"
    )
    try:
        with pytest.raises(psycopg.errors.CheckViolation):
            await ingest(aconn, FeedKind.MARKS, csv_bytes(FeedKind.MARKS, MARKS))
    finally:
        await aconn.execute("ALTER TABLE school_day_group DROP CONSTRAINT fail_for_test")
    assert await _store_counts(aconn) == [0, 0, 0, 0, 0]


async def test_a_roster_that_fails_midway_leaves_no_pupils(aconn) -> None:
    await aconn.execute(
        "ALTER TABLE enrolments ADD CONSTRAINT fail_for_test CHECK (year_group <> 9) NOT VALID"
    )
    try:
        with pytest.raises(psycopg.errors.CheckViolation):
            await ingest(
                aconn, FeedKind.ROSTER, csv_bytes(FeedKind.ROSTER, [pupil(1), pupil(2, year_group=9)])
            )
    finally:
        await aconn.execute("ALTER TABLE enrolments DROP CONSTRAINT fail_for_test")
    assert await fetch(aconn, "SELECT (SELECT count(*) FROM pupils), (SELECT count(*) FROM ingest_batches"
                              " WHERE feed_kind = 'roster')") == [(0, 0)]  # fmt: skip


async def test_a_file_of_no_known_kind_is_refused_whole(aconn) -> None:
    with pytest.raises(FeedError, match="matches no feed kind"):
        await ingest_stream(aconn, None, "x.csv", b"a,b,c\n1,2,3\n")


async def _loaded(conn) -> list[tuple[object, ...]]:
    return await fetch(
        conn,
        "SELECT e.urn, m.date, m.session, m.code FROM marks m JOIN enrolments e USING (enrolment_id) ORDER BY 1, 2, 3, 4",
    )


@pytest.mark.parametrize("form", ["csv", "ndjson", "csv.gz", "ndjson.gz", "quoted", "crlf"])
async def test_every_format_loads_the_same_marks_and_rejects(aconn, form: str) -> None:
    await ingest(aconn, FeedKind.ROSTER, csv_bytes(FeedKind.ROSTER, ROSTER))
    text = csv_text(FeedKind.MARKS, MARKS)
    data = {
        "csv": text.encode(),
        "ndjson": ndjson_bytes(MARKS),
        "csv.gz": gzip.compress(text.encode()),
        "ndjson.gz": gzip.compress(ndjson_bytes(MARKS)),
        "quoted": text.replace(",AM,", ',"AM",').encode(),
        "crlf": text.replace("\n", "\r\n").encode(),
    }[form]
    summary = await ingest_stream(aconn, FeedKind.MARKS, f"marks.{form}", data)
    assert (summary.accepted, summary.rejected, summary.reasons) == (4, 1, {"unknown_enrolment": 1})
    assert await _loaded(aconn) == [
        (100001, MONDAY, 0, "/"),
        (100001, MONDAY, 0, "N"),
        (100001, MONDAY, 1, "\\"),
        (100002, MONDAY, 0, "/"),
    ]
    assert (await fetch(aconn, "SELECT line_number FROM ingest_rejects")) == [
        (6 if "ndjson" not in form else 5,)
    ]


async def test_a_stream_of_chunks_loads_like_bytes(aconn) -> None:
    await ingest(aconn, FeedKind.ROSTER, csv_bytes(FeedKind.ROSTER, ROSTER))
    data = csv_bytes(FeedKind.MARKS, MARKS)
    chunks = [data[i : i + 7] for i in range(0, len(data), 7)]
    summary = await ingest_stream(aconn, None, "marks.csv", iter(chunks))
    assert (summary.kind, summary.accepted, summary.rejected) == ("marks", 4, 1)


async def test_the_application_role_can_ingest_on_a_pool_style_connection(aconn, ingest_urls) -> None:
    await ingest(aconn, FeedKind.ROSTER, csv_bytes(FeedKind.ROSTER, ROSTER))
    # Like the app's pool: least-privilege role, dict rows, autocommit.
    async with await psycopg.AsyncConnection.connect(
        ingest_urls.app, autocommit=True, row_factory=dict_row
    ) as app:
        summary = await ingest_stream(
            app, FeedKind.MARKS, "marks.csv", csv_bytes(FeedKind.MARKS, [mark(1, "2025-01-06")])
        )
    assert (summary.accepted, summary.rejected) == (1, 0)


async def test_a_batch_that_fails_in_its_cell_step_leaves_no_marks_rollups_or_term_rows(aconn) -> None:
    await ingest(aconn, FeedKind.ROSTER, csv_bytes(FeedKind.ROSTER, ROSTER))
    # The failure comes last, in the LA cells: everything written before it in the batch goes too.
    await aconn.execute("ALTER TABLE la_cell ADD CONSTRAINT fail_for_test CHECK (possible < 0) NOT VALID")
    try:
        with pytest.raises(psycopg.errors.CheckViolation):
            await ingest(aconn, FeedKind.MARKS, csv_bytes(FeedKind.MARKS, MARKS))
    finally:
        await aconn.execute("ALTER TABLE la_cell DROP CONSTRAINT fail_for_test")
    assert await _store_counts(aconn) == [0, 0, 0, 0, 0]
    assert await fetch(
        aconn, "SELECT (SELECT count(*) FROM enrolment_term), (SELECT count(*) FROM school_cell)"
    ) == [(0, 0)]
