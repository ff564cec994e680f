"""Merging a pupil recorded under two UPNs (a temporary UPN replaced by a permanent one) into the surviving
record, as DfE data management does it (the action `pupils.merge`), all or nothing in the caller's transaction.

The old pupil's enrolments at schools where the surviving pupil is not enrolled move to the surviving pupil
whole (their marks and per-enrolment rollups keep their enrolment). An enrolment at a school where both are
enrolled is folded into the surviving one: its marks move onto it, a mark both hold identically is kept once,
and a session both marked with different codes refuses the whole merge (`conflicting-marks`, naming the first
such day and session). Every rollup the moved marks feed is changed exactly for what moved: the per-enrolment
term rows and the cells by difference (the statement ingest's corrections use), the enrolment weeks by
difference, the cumulative weeks from the first week that changed, and the school-day rollup rebuilt for the
days whose marks moved. What is left of the old pupil (its duplicate marks, enrolments, UPN and record) is
retired by the SECURITY DEFINER function `retire_merged_pupil` (migration 0019), the one narrow delete the
application role holds on pupils."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from psycopg import AsyncConnection
from psycopg.rows import tuple_row

from gateway.store.cumulative import refresh_cumulative
from gateway.store.pupil_identity import regroup_pupil
from gateway.store.rollups import CODE_ON_DATE, enrolment_week_upsert, rebuild_school_days
from gateway.store.school_register import RegisterError, record_data_change
from gateway.store.terms import term_delta_statement

SESSION_NAMES: Final = ("AM", "PM")
_TEMP: Final = ("merge_pairs", "merge_marks", "merge_groups", "merge_days")


class MergeError(RegisterError):
    """A merge that cannot be made; `errors` names the field (and, for a conflict, the day and session)."""

    def __init__(self, code: str, message: str, errors: list[dict[str, str]]) -> None:
        super().__init__(code, message)
        self.errors = errors


@dataclass(frozen=True, slots=True)
class MergeCounts:
    """What the merge moved (counts only: no pupil data)."""

    enrolments_moved: int  # whole enrolments, at schools where the surviving pupil was not enrolled
    enrolments_merged: int  # enrolments folded into the surviving pupil's at the same school
    marks_moved: int  # marks now on the surviving pupil's enrolments that were the old pupil's
    duplicate_marks: int  # marks both held identically, kept once

    def as_params(self) -> dict[str, int]:
        return {
            "enrolments_moved": self.enrolments_moved,
            "enrolments_merged": self.enrolments_merged,
            "marks_moved": self.marks_moved,
            "duplicate_marks": self.duplicate_marks,
        }


# Each moved mark leaves the old enrolment (-1) and, unless the surviving enrolment holds it already, joins
# the surviving one (+1): the signed rows both difference statements take.
_SIGNED: Final = (
    " CROSS JOIN LATERAL (VALUES (mm.old_id, -1), (CASE WHEN mm.duplicate THEN NULL ELSE mm.new_id END, 1))"
    " AS x(enrolment_id, n)"
)
_CODE: Final = "JOIN attendance_codes c ON " + CODE_ON_DATE.format(code="mm.code", day="mm.date")
_TERM_SOURCE: Final = (
    "SELECT x.enrolment_id, mm.la_code, mm.urn, pd.period_id, c.category AS cat, x.n FROM merge_marks mm "
    + _CODE
    + " JOIN period_days pd ON pd.day = mm.date"
    + _SIGNED
    + " WHERE x.enrolment_id IS NOT NULL"
)
_WEEK_SOURCE: Final = (
    "SELECT x.enrolment_id, date_trunc('week', mm.date)::date AS week_start, mm.la_code, mm.urn,"
    " c.category AS cat, x.n FROM merge_marks mm " + _CODE + _SIGNED + " WHERE x.enrolment_id IS NOT NULL"
)
_OLD_ROLLUPS: Final = tuple(
    f"DELETE FROM {table} r USING merge_pairs p WHERE r.la_code = p.la_code AND r.enrolment_id = p.old_id"
    for table in ("enrolment_term", "enrolment_week", "enrolment_week_cumulative")
)


async def _pupil_ids(conn: AsyncConnection[Any], upn: str, into: str) -> tuple[int, int]:
    if upn == into:
        raise MergeError(
            "merge-into-self",
            "A pupil cannot be merged into themselves: `into` must be the other UPN of the same pupil.",
            [{"field": "into", "source": "body", "message": "is the pupil being merged"}],
        )
    cur = conn.cursor(row_factory=tuple_row)
    await cur.execute(
        "SELECT upn, pupil_id FROM pupils WHERE upn IN (%s, %s) ORDER BY pupil_id FOR UPDATE", (upn, into)
    )
    ids = {str(row[0]): int(row[1]) for row in await cur.fetchall()}
    for name, source, value in (("upn", "path", upn), ("into", "body", into)):
        if value not in ids:
            raise MergeError(
                "unknown-pupil",
                "No pupil in the store has this UPN.",
                [{"field": name, "source": source, "message": "no pupil has this UPN"}],
            )
    return ids[upn], ids[into]


async def _count(conn: AsyncConnection[Any], query: str) -> int:
    cur = conn.cursor(row_factory=tuple_row)
    await cur.execute(query)
    row = await cur.fetchone()
    return int(row[0]) if row and row[0] is not None else 0


async def merge_pupils(conn: AsyncConnection[Any], upn: str, into: str) -> MergeCounts:
    """Merge the pupil with UPN `upn` into the pupil with UPN `into`; the caller holds the transaction (a
    MergeError leaves what this wrote to be rolled back with it)."""
    old, new = await _pupil_ids(conn, upn, into)
    await conn.execute("SELECT 1 FROM enrolments WHERE pupil_id IN (%s, %s) FOR UPDATE", (old, new))
    await conn.execute(
        "CREATE TEMP TABLE merge_pairs (la_code smallint, urn integer, old_id bigint, new_id bigint)"
        " ON COMMIT DROP"
    )
    await conn.execute(
        """INSERT INTO merge_pairs
           SELECT o.la_code, o.urn, o.enrolment_id, s.enrolment_id FROM enrolments o
           JOIN enrolments s ON s.pupil_id = %(new)s AND s.la_code = o.la_code AND s.urn = o.urn
           WHERE o.pupil_id = %(old)s""",
        {"old": old, "new": new},
    )
    cur = conn.cursor(row_factory=tuple_row)
    await cur.execute(
        """SELECT m.date, m.session FROM merge_pairs p
           JOIN marks m ON m.enrolment_id = p.old_id AND m.la_code = p.la_code
           JOIN marks t ON t.enrolment_id = p.new_id AND t.la_code = p.la_code AND t.date = m.date
                AND t.session = m.session
           WHERE t.code <> m.code ORDER BY m.date, m.session LIMIT 1"""
    )
    conflict = await cur.fetchone()
    if conflict is not None:
        day, session = conflict[0].isoformat(), SESSION_NAMES[int(conflict[1])]
        raise MergeError(
            "conflicting-marks",
            f"Both records have a mark for {day} {session} with different codes (the first such session);"
            " the school must correct one of them before the merge. Nothing was changed.",
            [{"field": "into", "source": "body", "message": f"conflicting marks on {day} {session}"}],
        )
    moved_whole = await _move_enrolments(conn, old, new)
    merged = await _fold_enrolments(conn)
    cur = conn.cursor(row_factory=tuple_row)
    await cur.execute("SELECT retire_merged_pupil(%s, %s)", (old, new))
    retired = await cur.fetchone()
    duplicates = int(retired[0]) if retired else 0
    await rebuild_school_days(conn, "merge_days")
    await refresh_cumulative(
        conn,
        "SELECT DISTINCT la_code, new_id, date_trunc('week', date)::date FROM merge_marks WHERE NOT duplicate",
    )
    await regroup_pupil(conn, new)  # whole enrolments moved from a record of another sex or ethnicity group
    counts = MergeCounts(
        enrolments_moved=moved_whole[0],
        enrolments_merged=await _count(conn, "SELECT count(*) FROM merge_pairs"),
        marks_moved=moved_whole[1] + merged,
        duplicate_marks=duplicates,
    )
    for table in _TEMP:
        await conn.execute(f"DROP TABLE {table}")
    # Pupil ids and counts only: no UPN, name or date of birth is hashed into the batch record.
    await record_data_change(
        conn, "roster", "pupils.merge", f"{old}>{new}:" + ",".join(map(str, counts.as_params().values()))
    )
    return counts


async def _move_enrolments(conn: AsyncConnection[Any], old: int, new: int) -> tuple[int, int]:
    """The old pupil's enrolments at schools the surviving pupil is not enrolled at become the surviving
    pupil's; returns how many, and how many marks they hold."""
    cur = conn.cursor(row_factory=tuple_row)
    await cur.execute(
        """WITH moved AS (
             UPDATE enrolments SET pupil_id = %(new)s
             WHERE pupil_id = %(old)s AND enrolment_id NOT IN (SELECT old_id FROM merge_pairs)
             RETURNING la_code, enrolment_id
           )
           SELECT (SELECT count(*) FROM moved),
                  (SELECT count(*) FROM marks m JOIN moved x ON m.la_code = x.la_code
                                                          AND m.enrolment_id = x.enrolment_id)""",
        {"old": old, "new": new},
    )
    row = await cur.fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


async def _fold_enrolments(conn: AsyncConnection[Any]) -> int:
    """Fold each old enrolment of `merge_pairs` into the surviving one at its school: its rollup rows by
    difference, then its marks (identical ones are left for `retire_merged_pupil`); returns marks moved."""
    await conn.execute(
        """CREATE TEMP TABLE merge_marks ON COMMIT DROP AS
           SELECT p.la_code, p.urn, p.old_id, p.new_id, m.date, m.session, m.code, t.code IS NOT NULL AS duplicate
           FROM merge_pairs p JOIN marks m ON m.enrolment_id = p.old_id AND m.la_code = p.la_code
           LEFT JOIN marks t ON t.enrolment_id = p.new_id AND t.la_code = p.la_code AND t.date = m.date
                AND t.session = m.session"""
    )
    await conn.execute(
        """CREATE TEMP TABLE merge_groups ON COMMIT DROP AS
           SELECT e.enrolment_id, e.gid::integer AS gid, e.record_key FROM enrolments e
           JOIN merge_pairs p ON e.la_code = p.la_code AND e.enrolment_id IN (p.old_id, p.new_id)"""
    )
    await conn.execute(
        "CREATE TEMP TABLE merge_days ON COMMIT DROP AS SELECT DISTINCT urn, date FROM merge_marks"
    )
    await conn.execute(term_delta_statement(_TERM_SOURCE, "merge_groups"))
    await conn.execute(enrolment_week_upsert(_WEEK_SOURCE))
    for statement in _OLD_ROLLUPS:
        await conn.execute(statement)
    cur = await conn.execute(
        """UPDATE marks m SET enrolment_id = mm.new_id FROM merge_marks mm
           WHERE m.enrolment_id = mm.old_id AND m.la_code = mm.la_code AND m.date = mm.date
             AND m.session = mm.session AND NOT mm.duplicate"""
    )
    moved = cur.rowcount
    # The surviving enrolment now holds the old one's marks: it began when the earlier of the two began.
    await conn.execute(
        """UPDATE enrolments s SET admission_date = least(s.admission_date, o.admission_date)
           FROM merge_pairs p JOIN enrolments o ON o.la_code = p.la_code AND o.enrolment_id = p.old_id
           WHERE s.la_code = p.la_code AND s.enrolment_id = p.new_id"""
    )
    return moved
