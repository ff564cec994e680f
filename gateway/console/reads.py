"""The reads the pages make for named periods (terms, years to date): the store's own query objects
(gateway.store.queries), given the period's cells id so they read the term cells whenever those hold
exactly the period's dates, and the weekly rollup with edge days otherwise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from psycopg import AsyncConnection

from gateway.store.aggregates import Breakdown, Level, Period
from gateway.store.named_periods import ResolvedPeriod
from gateway.store.pupils import Criterion, Page
from gateway.store.queries import PupilListQuery, Rows, SchoolProfilesQuery, SummaryQuery
from gateway.store.scope import Scope


def dates_of(period: ResolvedPeriod) -> Period:
    """The store's Period: the dates, and the cells' period id when the cells hold exactly these dates."""
    return Period(period.date_from, period.date_to, period.period_id)


@dataclass(frozen=True, slots=True)
class PeriodSummaryQuery:
    """SummaryQuery for a named period."""

    level: Level
    period: ResolvedPeriod
    scope: Scope
    breakdown: Breakdown | None = None

    async def fetch(self, conn: AsyncConnection[Any]) -> Rows:
        return await SummaryQuery(self.level, dates_of(self.period), self.scope, self.breakdown).fetch(conn)


@dataclass(frozen=True, slots=True)
class PeriodProfilesQuery:
    """SchoolProfilesQuery (every school in England: size, FSM share, sessions) for a named period."""

    period: ResolvedPeriod

    async def fetch(self, conn: AsyncConnection[Any]) -> Rows:
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
