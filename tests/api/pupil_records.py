"""Pupil records the merge tests arrange in the shared API database (as its owner) and remove afterwards, so
no other test sees them: two records of one child, optionally enrolled at schools that already exist."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

# Valid UPNs (correct check letters) that no pupil of the synthetic data has: the 999999 serials of LA 886.
TEMPORARY_UPN = "J886999999997"
PERMANENT_UPN = "V886999999996"
SPARE_UPN = "F886999999995"


def add_pupil(store: psycopg.Connection[Any], upn: str, sex: str = "F") -> int:
    row = store.execute(
        """INSERT INTO pupils (upn, forename, surname, date_of_birth, sex, ethnicity, ethnicity_major, recorded_at)
           VALUES (%s, 'Sam', 'Example', '2015-02-03', %s, 'WBRI', 'White', '2025-09-01T08:00:00Z')
           RETURNING pupil_id""",
        (upn, sex),
    ).fetchone()
    assert row is not None
    store.execute("INSERT INTO pupil_upns (upn, pupil_id) VALUES (%s, %s)", (upn, row[0]))
    return int(row[0])


def enrol(store: psycopg.Connection[Any], pupil_id: int, urn: int) -> int:
    """An enrolment at `urn` from 2025-09-01, in the pupil group of the school's first enrolment (no marks)."""
    row = store.execute(
        """INSERT INTO enrolments (pupil_id, urn, la_code, year_group, fsm, sen_provision, looked_after,
                                   previously_looked_after, child_in_need, child_protection_plan, admission_date,
                                   record_key, recorded_at, gid)
           SELECT %s, e.urn, e.la_code, e.year_group, e.fsm, e.sen_provision, false, false, false, false,
                  '2025-09-01', 7, '2025-09-01T08:00:00Z', e.gid
           FROM enrolments e JOIN pupils p USING (pupil_id)
           WHERE e.urn = %s AND p.sex = 'F' AND p.ethnicity_major = 'White' ORDER BY e.enrolment_id LIMIT 1
           RETURNING enrolment_id""",
        (pupil_id, urn),
    ).fetchone()
    assert row is not None, urn
    return int(row[0])


def remove_pupils(store: psycopg.Connection[Any], upns: tuple[str, ...]) -> None:
    """Delete what the arranged records hold now, whichever of them a merge left."""
    ids = [int(r[0]) for r in store.execute("SELECT pupil_id FROM pupils WHERE upn = ANY(%s)", (list(upns),))]
    enrolments = [
        int(r[0])
        for r in store.execute("SELECT enrolment_id FROM enrolments WHERE pupil_id = ANY(%s)", (ids,))
    ]
    for table in ("marks", "enrolment_week", "enrolment_week_cumulative", "enrolment_term"):
        store.execute(f"DELETE FROM {table} WHERE enrolment_id = ANY(%s)", (enrolments,))
    store.execute("DELETE FROM enrolments WHERE enrolment_id = ANY(%s)", (enrolments,))
    store.execute("DELETE FROM pupil_upns WHERE upn = ANY(%s) OR pupil_id = ANY(%s)", (list(upns), ids))
    store.execute("DELETE FROM pupils WHERE pupil_id = ANY(%s)", (ids,))


@contextmanager
def two_records(
    store: psycopg.Connection[Any], *, sex: tuple[str, str] = ("F", "F")
) -> Iterator[tuple[int, int]]:
    """The temporary and the permanent record of one child (pupil ids), with no enrolment; removed afterwards."""
    upns = (TEMPORARY_UPN, PERMANENT_UPN)
    remove_pupils(store, upns)
    try:
        yield add_pupil(store, TEMPORARY_UPN, sex[0]), add_pupil(store, PERMANENT_UPN, sex[1])
    finally:
        remove_pupils(store, upns)
