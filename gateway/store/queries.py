"""Query objects: the one place a read is described (what, over which period, in which scope).

Routes build one of these and hand it to the store; the cache keys aggregate results by the whole object
(every field, its type included), so no argument can be left out of a key. Each object chooses its read
path in `fetch`: a period whose cells hold its dates (`Period.cell_period`, set by
gateway.store.named_periods) is read from the term cells (summaries, benchmarks) or enrolment_term (pupil
lists, extracts); other dates, dominance tops and breakdowns the cells do not cross read the weekly
rollup and edge days. Routes never choose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from psycopg import AsyncConnection, sql

from gateway.store.aggregates import (
    Breakdown,
    Level,
    Period,
    closure_rows,
    code_session_rows,
    daily_rows,
    daily_rows_by_region,
    school_profiles,
    summary_rows,
)
from gateway.store.cells import cells_answer, term_school_profiles, term_summary_rows
from gateway.store.codes import ORDINALS
from gateway.store.pupils import (
    Criterion,
    Page,
    WarningWindow,
    early_warning,
    extract_rows,
    list_pupils,
    pupil_enrolments,
    session_history,
)
from gateway.store.scope import Scope, scope_predicate

Rows = list[dict[str, Any]]


class AggregateQuery(Protocol):
    """A read whose rows are aggregates (never pupil-level): the aggregate cache may keep them."""

    def __hash__(self) -> int: ...

    async def fetch(self, conn: AsyncConnection[Any]) -> Rows: ...


@dataclass(frozen=True, slots=True)
class SummaryQuery:
    """Leaf cells per area at `level` (and group), with record-key sums (and top contributions)."""

    level: Level
    period: Period
    scope: Scope
    breakdown: Breakdown | None
    with_tops: bool = False

    async def fetch(self, conn: AsyncConnection[Any]) -> Rows:
        cells = self.period.cell_period
        if cells is not None and cells_answer(self.scope.area, self.breakdown, self.with_tops):
            return await term_summary_rows(
                conn,
                level=self.level,
                period_id=cells,
                row_filter=self.scope.row_filter,
                area=self.scope.area,
                breakdown=self.breakdown,
            )
        return await summary_rows(
            conn,
            level=self.level,
            period=self.period,
            row_filter=self.scope.row_filter,
            area=self.scope.area,
            breakdown=self.breakdown,
            with_tops=self.with_tops,
        )


@dataclass(frozen=True, slots=True)
class CodeSessionsQuery:
    """Sessions per attendance code per (area, group)."""

    level: Level
    period: Period
    scope: Scope
    breakdown: Breakdown | None

    async def fetch(self, conn: AsyncConnection[Any]) -> Rows:
        return await code_session_rows(
            conn,
            level=self.level,
            period=self.period,
            row_filter=self.scope.row_filter,
            area=self.scope.area,
            breakdown=self.breakdown,
        )


@dataclass(frozen=True, slots=True)
class DailyQuery:
    period: Period
    scope: Scope

    async def fetch(self, conn: AsyncConnection[Any]) -> Rows:
        return await daily_rows(
            conn, period=self.period, row_filter=self.scope.row_filter, area=self.scope.area
        )


@dataclass(frozen=True, slots=True)
class RegionalDailyQuery:
    """The scope's daily series and each region's within it, in one read (rows carry `region`, None for
    the scope's own and `whole_area`)."""

    period: Period
    scope: Scope

    async def fetch(self, conn: AsyncConnection[Any]) -> Rows:
        return await daily_rows_by_region(
            conn, period=self.period, row_filter=self.scope.row_filter, area=self.scope.area
        )


@dataclass(frozen=True, slots=True)
class ClosuresQuery:
    day: date
    scope: Scope

    async def fetch(self, conn: AsyncConnection[Any]) -> Rows:
        return await closure_rows(
            conn, day=self.day, row_filter=self.scope.row_filter, area=self.scope.area, ordinals=ORDINALS
        )


@dataclass(frozen=True, slots=True)
class SchoolProfilesQuery:
    """Per school in England: size, FSM share, sessions and absentees (for benchmarks; aggregate per school)."""

    period: Period
    phase: str | None = None

    async def fetch(self, conn: AsyncConnection[Any]) -> Rows:
        if self.period.cell_period is not None:
            return await term_school_profiles(conn, period_id=self.period.cell_period, phase=self.phase)
        return await school_profiles(conn, period=self.period, phase=self.phase)


@dataclass(frozen=True, slots=True)
class PupilListQuery:
    criterion: Criterion
    min_rate: float | None
    period: Period
    scope: Scope
    fields: tuple[str, ...]
    after: int
    limit: int

    async def fetch(self, conn: AsyncConnection[Any]) -> Page:
        return await list_pupils(
            conn,
            criterion=self.criterion,
            min_rate=self.min_rate,
            period=self.period,
            row_filter=self.scope.row_filter,
            area=self.scope.area,
            fields=self.fields,
            after=self.after,
            limit=self.limit,
        )


@dataclass(frozen=True, slots=True)
class EarlyWarningQuery:
    window: WarningWindow
    scope: Scope
    fields: tuple[str, ...]
    drop_points: float
    after: int
    limit: int

    async def fetch(self, conn: AsyncConnection[Any]) -> Page:
        return await early_warning(
            conn,
            window=self.window,
            row_filter=self.scope.row_filter,
            area=self.scope.area,
            fields=self.fields,
            drop_points=self.drop_points,
            after=self.after,
            limit=self.limit,
        )


@dataclass(frozen=True, slots=True)
class PupilRecordQuery:
    """One pupil's enrolments in scope, and their marks over the period."""

    upn: str
    period: Period
    scope: Scope
    fields: tuple[str, ...]

    async def enrolments(self, conn: AsyncConnection[Any]) -> Rows:
        return await pupil_enrolments(
            conn, upn=self.upn, row_filter=self.scope.row_filter, fields=self.fields
        )

    async def marks(self, conn: AsyncConnection[Any], enrolment_ids: Sequence[int]) -> Rows:
        return await session_history(
            conn, enrolment_ids=enrolment_ids, period=self.period, row_filter=self.scope.row_filter
        )


@dataclass(frozen=True, slots=True)
class ExtractQuery:
    period: Period
    scope: Scope
    fields: tuple[str, ...]
    cap: int

    async def fetch(self, conn: AsyncConnection[Any]) -> Rows:
        return await extract_rows(
            conn,
            period=self.period,
            row_filter=self.scope.row_filter,
            area=self.scope.area,
            fields=self.fields,
            cap=self.cap,
        )


async def school_in_scope(conn: AsyncConnection[Any], urn: int, scope: Scope) -> bool:
    """Whether the school lies within the principal's scope (decided in SQL, like every scope)."""
    predicate = scope_predicate(scope.row_filter, "s")
    cur = await conn.execute(
        sql.SQL("SELECT 1 FROM schools s WHERE s.urn = %(urn)s AND {}").format(predicate.sql),
        {**predicate.params, "urn": urn},
    )
    return await cur.fetchone() is not None


async def latest_marked_day(conn: AsyncConnection[Any], scope: Scope) -> date | None:
    """The last school day (Friday of the latest week) with marks in scope."""
    predicate = scope_predicate(scope.row_filter, "ew")
    cur = await conn.execute(
        sql.SQL("SELECT max(ew.week_start) + 4 AS last_day FROM enrolment_week ew WHERE {}").format(
            predicate.sql
        ),
        predicate.params,
    )
    row = await cur.fetchone()
    return row["last_day"] if row else None


async def la_exists(conn: AsyncConnection[Any], la_code: int) -> bool:
    cur = await conn.execute("SELECT 1 FROM local_authorities WHERE la_code = %s", (la_code,))
    return await cur.fetchone() is not None


async def school_exists(conn: AsyncConnection[Any], urn: int) -> bool:
    cur = await conn.execute("SELECT 1 FROM schools WHERE urn = %s", (urn,))
    return await cur.fetchone() is not None


async def trust_exists(conn: AsyncConnection[Any], trust_id: int) -> bool:
    cur = await conn.execute("SELECT 1 FROM trusts WHERE trust_id = %s", (trust_id,))
    return await cur.fetchone() is not None
