"""Checks on what a governed request names, made before (period) and after (area) the decision."""

from __future__ import annotations

from datetime import date
from typing import Any

from psycopg import AsyncConnection

from gateway.edge.problems import ProblemError
from gateway.store.aggregates import Period
from gateway.store.queries import la_exists, school_exists
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
    if area.urn is not None and not await school_exists(conn, area.urn):
        raise ProblemError(
            422,
            "unknown-school",
            f"No school in the store has the URN {area.urn}.",
            errors=[{"field": "urn", "message": "unknown school"}],
        )
