"""The reads the pages make for whole named periods (terms, years to date), answered from the term cells.

These are query objects like those of gateway.store.queries (frozen, so the aggregate cache keys by the
whole object) that read gateway.store.cells when the period has cells, and fall back to the store's
date-range query objects otherwise, so no page waits on the weekly rollup and raw edge days for an LA.
When the store's own query objects dispatch to the cells (issue 12), these become those objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from psycopg import AsyncConnection

from gateway.store.aggregates import Breakdown, Level, Period
from gateway.store.cells import cells_answer, term_list_pupils, term_school_profiles, term_summary_rows
from gateway.store.named_periods import ResolvedPeriod
from gateway.store.pupils import Criterion, Page
from gateway.store.queries import PupilListQuery, Rows, SchoolProfilesQuery, SummaryQuery
from gateway.store.scope import Scope


def dates_of(period: ResolvedPeriod) -> Period:
    return Period(period.date_from, period.date_to)


@dataclass(frozen=True, slots=True)
class PeriodSummaryQuery:
    """SummaryQuery for a named period: the cells when they answer it, else the exact date-range path."""

    level: Level
    period: ResolvedPeriod
    scope: Scope
    breakdown: Breakdown | None = None

    async def fetch(self, conn: AsyncConnection[Any]) -> Rows:
        if self.period.period_id is not None and cells_answer(self.scope.area, self.breakdown):
            return await term_summary_rows(
                conn,
                level=self.level,
                period_id=self.period.period_id,
                row_filter=self.scope.row_filter,
                area=self.scope.area,
                breakdown=self.breakdown,
            )
        return await SummaryQuery(self.level, dates_of(self.period), self.scope, self.breakdown).fetch(conn)


@dataclass(frozen=True, slots=True)
class PeriodProfilesQuery:
    """SchoolProfilesQuery (every school in England: size, FSM share, sessions) for a named period."""

    period: ResolvedPeriod

    async def fetch(self, conn: AsyncConnection[Any]) -> Rows:
        if self.period.period_id is not None:
            return await term_school_profiles(conn, period_id=self.period.period_id)
        return await SchoolProfilesQuery(dates_of(self.period)).fetch(conn)


@dataclass(frozen=True, slots=True)
class PeriodPupilListQuery:
    """PupilListQuery for a named period (pupil rows: never cached)."""

    criterion: Criterion
    period: ResolvedPeriod
    scope: Scope
    fields: tuple[str, ...]
    after: int
    limit: int

    async def fetch(self, conn: AsyncConnection[Any]) -> Page:
        if self.period.period_id is not None:
            return await term_list_pupils(
                conn,
                criterion=self.criterion,
                min_rate=None,
                period_id=self.period.period_id,
                period=dates_of(self.period),
                row_filter=self.scope.row_filter,
                area=self.scope.area,
                fields=self.fields,
                after=self.after,
                limit=self.limit,
            )
        return await PupilListQuery(
            criterion=self.criterion,
            min_rate=None,
            period=dates_of(self.period),
            scope=self.scope,
            fields=self.fields,
            after=self.after,
            limit=self.limit,
        ).fetch(conn)


def monday_of(day: date) -> date:
    return date.fromordinal(day.toordinal() - day.weekday())
