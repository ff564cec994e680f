"""Period planning: whole weeks plus edge days cover a range exactly once."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import event, given
from hypothesis import strategies as st

from gateway.store.periods import academic_year_start, plan_period


def test_range_of_whole_weeks_has_no_edges() -> None:
    plan = plan_period(date(2025, 9, 1), date(2025, 9, 14))
    assert (plan.first_week, plan.last_week, plan.edges) == (date(2025, 9, 1), date(2025, 9, 8), ())


def test_midweek_range_inside_one_week_is_all_edge() -> None:
    plan = plan_period(date(2025, 9, 3), date(2025, 9, 5))
    assert (plan.first_week, plan.last_week, plan.edges) == (
        None,
        None,
        ((date(2025, 9, 3), date(2025, 9, 5)),),
    )


def test_ragged_range_has_both_edges() -> None:
    plan = plan_period(date(2025, 9, 3), date(2025, 12, 19))
    assert plan.first_week == date(2025, 9, 8)
    assert plan.last_week == date(2025, 12, 8)
    assert plan.edges == ((date(2025, 9, 3), date(2025, 9, 7)), (date(2025, 12, 15), date(2025, 12, 19)))


def test_academic_year_starts_in_september() -> None:
    assert academic_year_start(date(2026, 2, 1)) == date(2025, 9, 1)
    assert academic_year_start(date(2025, 9, 1)) == date(2025, 9, 1)


@given(st.dates(date(2020, 1, 1), date(2030, 1, 1)), st.integers(0, 200))
def test_weeks_and_edges_cover_every_day_exactly_once(start: date, length: int) -> None:
    end = start + timedelta(days=length)
    plan = plan_period(start, end)
    event(
        "whole weeks and edges"
        if plan.first_week is not None and plan.edges
        else "whole weeks only"
        if plan.first_week is not None
        else "edges only"
    )
    covered: list[date] = []
    if plan.first_week is not None and plan.last_week is not None:
        monday = plan.first_week
        while monday <= plan.last_week:
            covered.extend(monday + timedelta(days=i) for i in range(7))
            monday += timedelta(days=7)
    for lo, hi in plan.edges:
        covered.extend(lo + timedelta(days=i) for i in range((hi - lo).days + 1))
    assert sorted(covered) == [start + timedelta(days=i) for i in range(length + 1)]
