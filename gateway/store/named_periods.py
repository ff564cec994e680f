"""Resolve a named period (`ytd`, `2025-26`, `autumn-2025`, `autumn1-2025`) to its dates and its cells.

Year to date follows DfE's attendance tool: every possible session of the academic year received so far,
each pupil counted from their admission (or the start of the year) to the latest session, leavers to
their leaving date. Marks exist only inside an enrolment, so the academic year's cells are exactly that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Final, Literal

from psycopg import AsyncConnection

from gateway.store.calendar import academic_year_of, period_by_name, year_name, year_period_id

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


# The latest day with a possible session on or before `today` (marks for planned closures may be entered
# ahead, but they are not possible sessions).
_LATEST: Final = "SELECT max(date) FROM school_day_group WHERE date <= %(today)s AND possible > 0"
# Possible sessions dated after that day in the same academic year (only a typo can make them) would be in
# the year's cells but not in the range: then the range is read the exact way.
_AHEAD: Final = (
    "SELECT EXISTS (SELECT 1 FROM school_day_group WHERE date > %(latest)s AND date <= %(year_end)s"
    " AND possible > 0)"
)


async def resolve_period(conn: AsyncConnection[Any], name: str, today: date) -> ResolvedPeriod:
    """Resolve `name` against the store (ytd needs the latest session received up to `today`)."""
    if name != YTD:
        return resolve_named(name)
    cur = await conn.execute(_LATEST, {"today": today})
    row = await cur.fetchone()
    latest = _first(row)
    resolved = resolve_named(name, latest)
    cur = await conn.execute(_AHEAD, {"latest": latest, "year_end": date(resolved.academic_year + 1, 8, 31)})
    if _first(await cur.fetchone()):
        return ResolvedPeriod(
            resolved.name, resolved.kind, resolved.academic_year, resolved.date_from, resolved.date_to, None
        )
    return resolved


def _first(row: Any) -> Any:
    """The single value of a one-column row, whatever the connection's row factory."""
    if row is None:
        return None
    return next(iter(row.values())) if isinstance(row, dict) else row[0]
