"""Resolve a named period (`ytd`, `2025-26`, `autumn-2025`, `autumn1-2025`) to its dates and its cells.

Year to date follows DfE's attendance tool: every possible session of the academic year received so far,
each pupil counted from their admission (or the start of the year) to the latest session, leavers to
their leaving date. Marks exist only inside an enrolment, so the academic year's cells are exactly that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Final, Literal

from psycopg import AsyncConnection

from gateway.store.aggregates import Period
from gateway.store.calendar import (
    AcademicPeriod,
    academic_periods,
    academic_year_of,
    period_by_name,
    year_name,
    year_period_id,
)

YTD: Final = "ytd"
NamedKind = Literal["ytd", "year", "term", "half_term"]
NAME_PATTERN: Final = re.compile(r"ytd|[0-9]{4}-[0-9]{2}|(autumn|spring|summer)[12]?-[0-9]{4}")


class UnknownPeriodError(ValueError):
    """The name is not ytd, an academic year, or a term or half-term of the calendar."""


@dataclass(frozen=True, slots=True)
class ResolvedPeriod:
    """A named period's dates (inclusive) and, when its cells answer it exactly, their period id."""

    name: str
    kind: NamedKind
    academic_year: int
    date_from: date
    date_to: date
    period_id: int | None  # None: read the weekly rollup and edge days for date_from..date_to instead

    def as_dict(self) -> dict[str, Any]:
        """What a response says it measured (a period must always be stated)."""
        return {
            "period": self.name,
            "kind": self.kind,
            "academic_year": year_name(self.academic_year),
            "date_from": self.date_from.isoformat(),
            "date_to": self.date_to.isoformat(),
        }


def resolve_named(name: str, latest_session: date | None = None) -> ResolvedPeriod:
    """Pure: `latest_session` is the latest day with a possible session received (for ytd)."""
    if not NAME_PATTERN.fullmatch(name):
        raise UnknownPeriodError(f"period {name!r} is not ytd, an academic year (2025-26) or a term")
    if name == YTD:
        if latest_session is None:
            raise UnknownPeriodError("no sessions have been received, so there is no year to date")
        year = academic_year_of(latest_session)
        return ResolvedPeriod(YTD, "ytd", year, date(year, 9, 1), latest_session, year_period_id(year))
    period = period_by_name().get(name)
    if period is None:
        raise UnknownPeriodError(f"period {name!r} is not in the academic calendar")
    cells = period.period_id if period.has_cells else None
    return ResolvedPeriod(name, period.kind, period.academic_year, period.date_from, period.date_to, cells)


async def resolve_period(conn: AsyncConnection[Any], name: str, today: date) -> ResolvedPeriod:
    """Resolve `name` against the store (ytd needs the latest session received up to `today`)."""
    if name != YTD:
        return resolve_named(name)
    ytd = await _year_to_date(conn, today)
    if ytd is None:
        raise UnknownPeriodError("no sessions have been received, so there is no year to date")
    return ytd


# The latest possible session on or before `end` (marks for planned closures may be entered ahead, but they
# are not possible sessions), and whether a possible session is dated after `end` up to `ahead_to` (only a
# typo can make one ahead of today: it would be in the cells but not in the dates). One round trip on the
# school-day rollup's date index (school_day: a row per school-day, possible > 0 when any of its groups has one).
_LATEST_AND_AHEAD: Final = (
    "SELECT (SELECT max(date) FROM school_day WHERE date <= %(end)s AND possible > 0) AS latest,"
    " (%(ahead_to)s::date IS NOT NULL AND EXISTS (SELECT 1 FROM school_day WHERE date > %(end)s"
    " AND date <= %(ahead_to)s AND possible > 0)) AS ahead"
)


async def _latest_and_ahead(
    conn: AsyncConnection[Any], end: date, ahead_to: date | None
) -> tuple[date | None, bool]:
    cur = await conn.execute(_LATEST_AND_AHEAD, {"end": end, "ahead_to": ahead_to})
    row = await cur.fetchone()
    if row is None:  # an aggregate always answers one row
        raise RuntimeError("the latest-session query returned no row")
    latest, ahead = (row["latest"], row["ahead"]) if isinstance(row, dict) else row
    return latest, bool(ahead)


async def _year_to_date(conn: AsyncConnection[Any], today: date) -> ResolvedPeriod | None:
    """Year to date as of `today`, or None when no possible session has been received at all."""
    year = academic_year_of(today)
    # Nothing is dated between the latest session and today, so "after today" is "after the latest".
    latest, ahead = await _latest_and_ahead(conn, today, date(year + 1, 8, 31))
    if latest is None:
        return None
    resolved = resolve_named(YTD, latest)
    if ahead and resolved.academic_year == year:
        return replace(resolved, period_id=None)
    return resolved


# --- What a read measured: named periods and explicit dates alike -------------------------------------

MeasuredKind = Literal["ytd", "year", "term", "half_term", "dates"]


@dataclass(frozen=True, slots=True)
class MeasuredPeriod:
    """The period a response measured: its name (None for explicit dates), kind and dates, the latest
    session the store had received by its end, and the `Period` the store's readers take (which carries
    the cells' period id whenever the cells hold exactly these dates)."""

    name: str | None
    kind: MeasuredKind
    academic_year: int | None
    period: Period
    latest_session: date | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "academic_year": None if self.academic_year is None else year_name(self.academic_year),
            "date_from": self.period.date_from.isoformat(),
            "date_to": self.period.date_to.isoformat(),
            "latest_session": None if self.latest_session is None else self.latest_session.isoformat(),
        }


def cell_period_starting(date_from: date, date_to: date) -> AcademicPeriod | None:
    """The term (else the academic year) with cells that starts on `date_from` and ends on or after
    `date_to`: its cells hold exactly date_from..date_to when nothing was received after `date_to` in it."""
    candidates = [
        p for p in academic_periods()
        if p.has_cells and p.date_from == date_from and date_to <= p.date_to
    ]  # fmt: skip
    return min(candidates, key=lambda p: p.date_to, default=None)


async def measure_dates(conn: AsyncConnection[Any], date_from: date, date_to: date) -> MeasuredPeriod:
    """Explicit dates (already validated): read from the cells when a term or year starting on date_from
    has no possible session after date_to (a whole term, or a term or year to date), else from dates."""
    starting = cell_period_starting(date_from, date_to)
    latest, ahead = await _latest_and_ahead(conn, date_to, starting.date_to if starting else None)
    cells = starting.period_id if starting is not None and not ahead else None
    return MeasuredPeriod(None, "dates", None, Period(date_from, date_to, cells), latest)


async def measure_named(conn: AsyncConnection[Any], name: str, today: date) -> MeasuredPeriod:
    """A named period (UnknownPeriodError if it is none): ytd up to the latest session received by
    `today` (with none received, the academic year to today, empty); a year, term or half-term whole,
    with the latest session received by its end."""
    if name == YTD:
        ytd = await _year_to_date(conn, today)
        if ytd is None:
            year = academic_year_of(today)
            return MeasuredPeriod(YTD, "ytd", year, Period(date(year, 9, 1), today), None)
        period = Period(ytd.date_from, ytd.date_to, ytd.period_id)
        return MeasuredPeriod(YTD, "ytd", ytd.academic_year, period, ytd.date_to)
    resolved = resolve_named(name)
    latest, _ = await _latest_and_ahead(conn, resolved.date_to, None)
    period = Period(resolved.date_from, resolved.date_to, resolved.period_id)
    return MeasuredPeriod(resolved.name, resolved.kind, resolved.academic_year, period, latest)
