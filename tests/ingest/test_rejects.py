"""Every bad row is kept with its line, exact raw text and reason; good rows of the file still load."""

from __future__ import annotations

import pytest

from gateway.ingest.feed import FeedKind
from tests.ingest.conftest import fetch, ingest
from tests.ingest.feeds import URN_A, csv_bytes, csv_text, mark, ndjson_bytes, pupil, upn

DAY = "2024-09-02"
GOOD = mark(1, DAY)


def _wrong_check_letter(value: str) -> str:
    return ("B" if value[0] != "B" else "C") + value[1:]


BAD_MARKS = {
    "unknown_school": mark(1, DAY, urn=100009),
    "invalid_upn": mark(1, DAY, upn_value=_wrong_check_letter(upn(1))),
    "unknown_enrolment": mark(7, DAY),
    "code_unknown": mark(1, DAY, code="ZZ"),
    "code_retired": mark(1, DAY, code="H"),
    "bad_date": mark(1, "2024-02-30"),
    "bad_session": mark(1, DAY, session="XM"),
    "bad_value": mark(1, DAY, urn="12AB"),
}


@pytest.mark.parametrize("reason", sorted(BAD_MARKS))
async def test_a_bad_mark_is_kept_with_its_reason(aconn, reason: str) -> None:
    await ingest(aconn, FeedKind.ROSTER, csv_bytes(FeedKind.ROSTER, [pupil(1)]))
    text = csv_text(FeedKind.MARKS, [GOOD, BAD_MARKS[reason]])
    summary = await ingest(aconn, FeedKind.MARKS, text.encode())
    assert (summary.accepted, summary.rejected, summary.reasons) == (1, 1, {reason: 1})
    rejects = await fetch(aconn, "SELECT line_number, raw, reason_code FROM ingest_rejects")
    assert rejects == [(3, text.splitlines()[2], reason)]


async def test_a_mark_before_admission_is_an_unknown_enrolment(aconn) -> None:
    await ingest(aconn, FeedKind.ROSTER, csv_bytes(FeedKind.ROSTER, [pupil(1, admission="2024-09-03")]))
    summary = await ingest(aconn, FeedKind.MARKS, csv_bytes(FeedKind.MARKS, [mark(1, DAY)]))
    assert summary.reasons == {"unknown_enrolment": 1}
    assert await fetch(aconn, "SELECT reason FROM ingest_rejects") == [
        (f"{DAY} is outside the pupil's enrolment at school {URN_A}",)
    ]


async def test_the_second_copy_of_a_session_is_a_duplicate_in_batch(aconn) -> None:
    await ingest(aconn, FeedKind.ROSTER, csv_bytes(FeedKind.ROSTER, [pupil(1)]))
    summary = await ingest(aconn, FeedKind.MARKS, csv_bytes(FeedKind.MARKS, [GOOD, mark(1, DAY, code="N")]))
    assert (summary.accepted, summary.reasons) == (1, {"duplicate_in_batch": 1})
    assert await fetch(aconn, "SELECT code FROM marks") == [("/",)]
    assert await fetch(aconn, "SELECT line_number, reason_code FROM ingest_rejects") == [
        (3, "duplicate_in_batch")
    ]


async def test_a_row_with_too_few_fields_is_malformed(aconn) -> None:
    await ingest(aconn, FeedKind.ROSTER, csv_bytes(FeedKind.ROSTER, [pupil(1)]))
    text = csv_text(FeedKind.MARKS, [GOOD]) + f"{URN_A},{upn(1)},{DAY},PM\n"
    summary = await ingest(aconn, FeedKind.MARKS, text.encode())
    assert (summary.accepted, summary.reasons) == (1, {"malformed_row": 1})
    assert await fetch(aconn, "SELECT line_number, raw, reason FROM ingest_rejects") == [
        (3, f"{URN_A},{upn(1)},{DAY},PM", "expected 6 fields, found 4")
    ]


async def test_an_ndjson_object_without_a_column_is_missing_column(aconn) -> None:
    await ingest(aconn, FeedKind.ROSTER, csv_bytes(FeedKind.ROSTER, [pupil(1)]))
    partial = {k: v for k, v in mark(1, DAY, "PM").items() if k != "code"}
    summary = await ingest(aconn, FeedKind.MARKS, ndjson_bytes([GOOD, partial]))
    assert (summary.accepted, summary.reasons) == (1, {"missing_column": 1})
    assert await fetch(aconn, "SELECT line_number, reason FROM ingest_rejects") == [(2, "no key 'code'")]


async def test_a_csv_header_without_a_column_rejects_every_row(aconn) -> None:
    await ingest(aconn, FeedKind.ROSTER, csv_bytes(FeedKind.ROSTER, [pupil(1)]))
    text = "urn,upn,date,session,recorded_at\n" + f"{URN_A},{upn(1)},{DAY},AM,2024-09-02T09:00:00Z\n"
    summary = await ingest(aconn, FeedKind.MARKS, text.encode())
    assert (summary.accepted, summary.reasons) == (0, {"missing_column": 1})


ROSTER_BAD = {
    "invalid_upn": pupil(2, upn=_wrong_check_letter(upn(2))),
    "unknown_school": pupil(2, urn=100009),
    "bad_date": pupil(2, date_of_birth="2016-13-01"),
    "bad_value": pupil(2, year_group=15),
    "duplicate_in_batch": pupil(1, forename="Bea"),
}


@pytest.mark.parametrize("reason", sorted(ROSTER_BAD))
async def test_a_bad_roster_row_is_kept_with_its_reason(aconn, reason: str) -> None:
    text = csv_text(FeedKind.ROSTER, [pupil(1), ROSTER_BAD[reason]])
    summary = await ingest(aconn, FeedKind.ROSTER, text.encode())
    assert (summary.accepted, summary.reasons) == (1, {reason: 1})
    assert await fetch(aconn, "SELECT line_number, raw, reason_code FROM ingest_rejects") == [
        (3, text.splitlines()[2], reason)
    ]


async def test_a_mark_dated_more_than_a_year_after_it_was_recorded_is_a_bad_date(aconn) -> None:
    await ingest(aconn, FeedKind.ROSTER, csv_bytes(FeedKind.ROSTER, [pupil(1)]))
    summary = await ingest(
        aconn, FeedKind.MARKS, csv_bytes(FeedKind.MARKS, [mark(1, "2099-09-01", code="#")])
    )
    assert summary.reasons == {"bad_date": 1}
    assert await fetch(aconn, "SELECT reason FROM ingest_rejects") == [
        ("date 2099-09-01 is more than 366 days after recorded_at",)
    ]
    assert await fetch(aconn, "SELECT count(*) FROM pg_class WHERE relname = 'marks_2099_09'") == [(0,)]
