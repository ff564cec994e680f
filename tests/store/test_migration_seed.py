"""Migration 0004 seeds frozen copies of the pupil groups and the calendar: they must equal the live modules.

When one of these fails, the live module changed after the migration was written: add a migration that
brings the database to the new data (never edit the old one).
"""

from __future__ import annotations

import psycopg

from gateway.store.calendar import academic_periods
from gateway.store.groups import CELL_LABELS, DIMENSIONS, pupil_groups


def test_seeded_pupil_groups_match_the_groups_module(admin_conn: psycopg.Connection) -> None:
    rows = admin_conn.execute(
        "SELECT gid, year_group, fsm, sen_provision, sex, ethnicity_major FROM pupil_groups ORDER BY gid"
    ).fetchall()
    assert len(rows) == 1260
    assert rows == [
        (g.gid, g.year_group, g.fsm, g.sen_provision, g.sex, g.ethnicity_major) for g in pupil_groups()
    ]


def test_seeded_group_cells_match_each_groups_cell_values(admin_conn: psycopg.Connection) -> None:
    rows = admin_conn.execute("SELECT gid, dim, val FROM group_cells ORDER BY gid, dim").fetchall()
    expected = [(g.gid, d, v) for g in pupil_groups() for d, v in sorted(g.cell_values().items())]
    assert len(rows) == 1260 * 6
    assert rows == expected


def test_seeded_cell_labels_match_the_breakdown_labels(admin_conn: psycopg.Connection) -> None:
    rows = admin_conn.execute(
        "SELECT dim, val, breakdown, label FROM cell_labels ORDER BY dim, val"
    ).fetchall()
    names = {v: k for k, v in DIMENSIONS.items()}
    assert rows == sorted((d, v, names[d], label) for (d, v), label in CELL_LABELS.items())


def test_seeded_periods_match_the_reference_calendar(admin_conn: psycopg.Connection) -> None:
    rows = admin_conn.execute(
        "SELECT period_id, name, kind, academic_year, date_from, date_to, has_cells FROM academic_periods"
        " ORDER BY period_id"
    ).fetchall()
    assert rows == [
        (p.period_id, p.name, p.kind, p.academic_year, p.date_from, p.date_to, p.has_cells)
        for p in academic_periods()
    ]


def test_period_days_cover_each_day_of_every_period_with_cells(admin_conn: psycopg.Connection) -> None:
    (days,) = admin_conn.execute("SELECT count(*) FROM period_days").fetchone() or (0,)
    expected = sum((p.date_to - p.date_from).days + 1 for p in academic_periods() if p.has_cells)
    assert days == expected
