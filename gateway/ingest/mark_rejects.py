"""Rejected marks: each kept whole (its exact raw line) with its public reason code and precise text."""

from __future__ import annotations

from typing import Final

from psycopg import AsyncConnection
from psycopg.rows import tuple_row

from gateway.ingest.source import Source
from gateway.ingest.validate import MAX_DAYS_AHEAD

# Internal distinctions that share a public reason code (the text tells them apart).
PUBLIC_REASON: Final = (
    "CASE {col} WHEN 'outside_enrolment' THEN 'unknown_enrolment' WHEN 'date_far_ahead' THEN 'bad_date'"
    " ELSE {col} END"
)
# Precise text for each reject, from the same columns.
REASON_TEXT = """
    CASE c.reason_code
      WHEN 'bad_value' THEN format('urn %%L is not a 6-digit URN', s.urn)
      WHEN 'invalid_upn' THEN 'upn is not a valid UPN (shape, LA number or check letter)'
      WHEN 'bad_date' THEN CASE WHEN c.d IS NULL THEN format('date %%L is not a date (YYYY-MM-DD)', s.date)
                                ELSE format('recorded_at %%L is not an ISO 8601 time with a UTC offset',
                                            s.recorded_at) END
      WHEN 'bad_session' THEN format('session %%L must be AM or PM', s.session)
      WHEN 'code_retired' THEN format('code %%L is not valid on %%s', c.code, c.d)
      WHEN 'code_unknown' THEN format('code %%L is not an attendance code', c.code)
      WHEN 'unknown_school' THEN format('no school with urn %%s', c.urn_i)
      WHEN 'not_your_school' THEN format('school %%s is not one this sender collects for', c.urn_i)
      WHEN 'unknown_enrolment' THEN format('this pupil is not enrolled at school %%s', c.urn_i)
      WHEN 'date_far_ahead' THEN format('date %%s is more than %%s days after recorded_at', c.d, %(ahead)s)
      WHEN 'outside_enrolment' THEN format('%%s is outside the pupil''s enrolment at school %%s', c.d, c.urn_i)
      WHEN 'duplicate_in_batch' THEN 'same urn, upn, date and session as an earlier line of this file'
    END
"""


async def write_mark_rejects(
    conn: AsyncConnection[object], batch_id: int, source: Source, fast: bool
) -> None:
    """Write every rejected row with its exact raw line (re-read from the source on the fast path)."""
    cur = conn.cursor(row_factory=tuple_row)
    await conn.execute(
        "CREATE TEMP TABLE mark_rejects ON COMMIT DROP AS"
        " SELECT line_no, reason_code, d, code, urn_i FROM checked_marks WHERE reason_code IS NOT NULL"
    )
    await conn.execute("CREATE TEMP TABLE reject_raw (line_no integer, raw text) ON COMMIT DROP")
    if fast:
        await cur.execute("SELECT line_no FROM mark_rejects")
        wanted = {int(r[0]) for r in await cur.fetchall()}
        if wanted:
            async with cur.copy("COPY reject_raw (line_no, raw) FROM STDIN") as copy:
                with source.open() as stream:
                    for number, line in enumerate(stream, start=1):
                        if number in wanted:
                            await copy.write_row(
                                (number, line.decode("utf-8", errors="replace").rstrip("\r\n"))
                            )
    await conn.execute(
        f"""INSERT INTO ingest_rejects (batch_id, line_number, raw, reason_code, reason)
            SELECT %(batch)s, c.line_no, coalesce(r.raw, s.raw),
                   {PUBLIC_REASON.format(col="c.reason_code")},
                   coalesce(s.problem_text, {REASON_TEXT})
            FROM mark_rejects c JOIN stage_marks s ON s.line_no = c.line_no
            LEFT JOIN reject_raw r ON r.line_no = c.line_no""",
        {"batch": batch_id, "ahead": MAX_DAYS_AHEAD},
    )
