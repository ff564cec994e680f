"""Split a date range into whole ISO weeks (read from the weekly rollup) and edge days (read from marks)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

ACADEMIC_YEAR_START_MONTH = 9


@dataclass(frozen=True, slots=True)
class PeriodPlan:
    """Mondays of the whole weeks inside the range, and the leftover day ranges at either end."""

    first_week: date | None
    last_week: date | None
    edges: tuple[tuple[date, date], ...]

    @property
    def has_weeks(self) -> bool:
        return self.first_week is not None


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def plan_period(date_from: date, date_to: date) -> PeriodPlan:
    """Whole weeks are those whose Monday..Sunday lie inside [date_from, date_to]."""
    if date_to < date_from:
        raise ValueError("date_to is before date_from")
    first = date_from if date_from.weekday() == 0 else monday_of(date_from) + timedelta(days=7)
    last = monday_of(date_to) if date_to.weekday() == 6 else monday_of(date_to) - timedelta(days=7)
    if first > last:
        return PeriodPlan(None, None, ((date_from, date_to),))
    edges: list[tuple[date, date]] = []
    if date_from < first:
        edges.append((date_from, first - timedelta(days=1)))
    week_end = last + timedelta(days=6)
    if week_end < date_to:
        edges.append((week_end + timedelta(days=1), date_to))
    return PeriodPlan(first, last, tuple(edges))


def academic_year_start(day: date) -> date:
    """1 September of the academic year containing `day`."""
    year = day.year if day.month >= ACADEMIC_YEAR_START_MONTH else day.year - 1
    return date(year, ACADEMIC_YEAR_START_MONTH, 1)
