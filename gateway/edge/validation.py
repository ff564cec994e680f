"""Checks on what a governed request names, made before (period) and after (area) the decision, and the
measured period (a named period resolved, or dates, with the latest session received) read on its
connection."""

from __future__ import annotations

from datetime import date
from typing import Any

from psycopg import AsyncConnection

from gateway.edge.problems import ProblemError
from gateway.store.aggregates import Period
from gateway.store.named_periods import (
    YTD,
    MeasuredPeriod,
    UnknownPeriodError,
    measure_dates,
    measure_named,
    resolve_named,
)
from gateway.store.queries import la_exists, school_exists, trust_exists
from gateway.store.scope import AreaFilter

PHASES = ("primary", "secondary", "special")
REGIONS = (
    "North East", "North West", "Yorkshire and The Humber", "East Midlands", "West Midlands",
    "East of England", "London", "South East", "South West",
)  # fmt: skip


def validate_period(date_from: date, date_to: date, max_range_days: int) -> Period:
    """A period must run forwards and stay within the gateway's maximum span."""
    if date_to < date_from:
        raise ProblemError(
            422,
            "invalid-period",
            f"date_to ({date_to}) is before date_from ({date_from}).",
            errors=[{"field": "date_to", "message": "must be on or after date_from"}],
        )
    span = (date_to - date_from).days + 1
    if span > max_range_days:
        raise ProblemError(
            422,
            "period-too-long",
            f"The period spans {span} days; at most {max_range_days} days may be asked for at once.",
            errors=[{"field": "date_to", "message": f"period longer than {max_range_days} days"}],
        )
    return Period(date_from, date_to)


def choose_period(
    period: str | None, date_from: date | None, date_to: date | None, *, partial_dates: bool = False
) -> str | None:
    """A route's period is a name or dates, never both; neither means year to date. Returns the name, or
    None for dates (both of them unless `partial_dates`: the route fills in the other itself)."""
    if period is not None and (date_from is not None or date_to is not None):
        given = "date_from" if date_from is not None else "date_to"
        raise ProblemError(
            422,
            "conflicting-period",
            f"Give either period or date_from and date_to, not both (period={period} and {given}).",
            errors=[{"field": given, "message": "not allowed with period"}],
        )
    if period is None and date_from is None and date_to is None:
        return YTD
    if period is None and not partial_dates and (date_from is None or date_to is None):
        missing, given = ("date_to", "date_from") if date_to is None else ("date_from", "date_to")
        raise ProblemError(
            422,
            "incomplete-period",
            f"{given} needs {missing} too (or name a period instead, e.g. period=ytd).",
            errors=[{"field": missing, "message": f"required with {given}"}],
        )
    return period


def validate_named_period(name: str) -> None:
    """Before the decision: a named period is ytd or in the academic calendar (ytd's dates need the store)."""
    if name == YTD:
        return
    try:
        resolve_named(name)
    except UnknownPeriodError as exc:
        raise ProblemError(
            422,
            "unknown-period",
            f"Unknown period: {exc}. Use ytd, an academic year (2025-26), a term (autumn-2025) or a "
            "half-term (autumn1-2025).",
            errors=[{"field": "period", "message": "not a period of the academic calendar"}],
        ) from exc


async def measure_period(
    conn: AsyncConnection[Any], name: str | None, dates: Period | None, today: date
) -> MeasuredPeriod | None:
    """What the response will say it measured (and the Period, with its cells when they hold the dates)."""
    if name is not None:
        return await measure_named(conn, name, today)
    if dates is not None:
        return await measure_dates(conn, dates.date_from, dates.date_to)
    return None


async def validate_area(conn: AsyncConnection[Any], area: AreaFilter) -> None:
    """Unknown LA codes, URNs, regions and phases are named, not silently returning nothing."""
    if area.region is not None and area.region not in REGIONS:
        raise ProblemError(
            422,
            "unknown-region",
            f"Unknown region {area.region!r}; expected one of: {', '.join(REGIONS)}.",
            errors=[{"field": "region", "message": "unknown region"}],
        )
    if area.phase is not None and area.phase not in PHASES:
        raise ProblemError(
            422, "unknown-phase", f"Unknown phase {area.phase!r}; expected primary, secondary or special."
        )
    if area.la_code is not None and not await la_exists(conn, area.la_code):
        raise ProblemError(
            422,
            "unknown-la",
            f"No local authority has the code {area.la_code}.",
            errors=[{"field": "la_code", "message": "unknown local authority code"}],
        )
    if area.trust_id is not None and not await trust_exists(conn, area.trust_id):
        raise ProblemError(
            422,
            "unknown-trust",
            f"No multi-academy trust in the store has the id {area.trust_id}.",
            errors=[{"field": "trust_id", "message": "unknown trust"}],
        )
    if area.urn is not None and not await school_exists(conn, area.urn):
        raise ProblemError(
            422,
            "unknown-school",
            f"No school in the store has the URN {area.urn}.",
            errors=[{"field": "urn", "message": "unknown school"}],
        )
