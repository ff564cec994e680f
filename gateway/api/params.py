"""Query parameters shared by the governed routes, with the patterns that keep junk out of policy and audit."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from litestar.params import QueryParameter

from gateway.edge.problems import ProblemError

# Purposes and agreements are identifiers in policy data: lower-case words joined by - . _
IDENTIFIER_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
# Free text for people: anything printable, no control characters.
TEXT_PATTERN = r"^[^\x00-\x1f\x7f]*$"
FIELDS_PATTERN = r"^[a-z_]+(,[a-z_]+)*$"
CURSOR_PATTERN = r"^[A-Za-z0-9._-]+$"
REGION_PATTERN = r"^[A-Za-z][A-Za-z ]*$"

Purpose = Annotated[
    str,
    QueryParameter(
        description="Why the data is needed; must be a purpose of the agreement.",
        min_length=1,
        max_length=100,
        pattern=IDENTIFIER_PATTERN,
    ),
]
Agreement = Annotated[
    str,
    QueryParameter(
        description="The data-sharing agreement the request is made under.",
        min_length=1,
        max_length=100,
        pattern=IDENTIFIER_PATTERN,
    ),
]
Reason = Annotated[
    str | None,
    QueryParameter(
        description="Why you need this (required by some agreements; recorded in the audit log).",
        max_length=500,
        pattern=TEXT_PATTERN,
    ),
]
DateFrom = Annotated[date, QueryParameter(description="First day of the period (ISO 8601).")]
DateTo = Annotated[date, QueryParameter(description="Last day of the period (ISO 8601), inclusive.")]
OptionalDate = Annotated[date | None, QueryParameter(description="ISO 8601 date.")]
# A named period instead of dates: what gateway.store.named_periods resolves (unknown names are a 422).
PERIOD_PATTERN = r"^(ytd|[0-9]{4}-[0-9]{2}|(autumn|spring|summer)[12]?-[0-9]{4})$"
NamedPeriod = Annotated[
    str | None,
    QueryParameter(
        description="A named period instead of date_from and date_to: ytd (the academic year to the latest"
        " session received; the default when no dates are given), an academic year (2025-26), a term"
        " (autumn-2025, spring-2026, summer-2026) or a half-term (autumn1-2025, autumn2-2025, ...).",
        max_length=12,
        pattern=PERIOD_PATTERN,
    ),
]
PeriodFrom = Annotated[
    date | None, QueryParameter(description="First day of the period (ISO 8601), with date_to.")
]
PeriodTo = Annotated[
    date | None, QueryParameter(description="Last day of the period (ISO 8601), inclusive, with date_from.")
]
TrustId = Annotated[
    int | None,
    QueryParameter(description="Multi-academy trust (GIAS group UID): its schools only.", ge=1, le=99999999),
]
Region = Annotated[
    str | None,
    QueryParameter(description="Region name, e.g. 'North West'.", max_length=40, pattern=REGION_PATTERN),
]
LaCode = Annotated[
    int | None, QueryParameter(description="Three-digit local authority code.", ge=200, le=999)
]
Urn = Annotated[int | None, QueryParameter(description="School URN (six digits).", ge=100000, le=999999)]
Phase = Annotated[
    Literal["primary", "secondary", "special"] | None, QueryParameter(description="School phase.")
]
YearGroup = Annotated[
    int | None, QueryParameter(description="National curriculum year (0 = reception).", ge=0, le=14)
]
Fields = Annotated[
    str | None,
    QueryParameter(
        description="Comma-separated fields to return (default: all the agreement permits).",
        max_length=1000,
        pattern=FIELDS_PATTERN,
    ),
]
Cursor = Annotated[
    str | None,
    QueryParameter(
        description="Opaque cursor from the previous page's next_cursor.",
        max_length=200,
        pattern=CURSOR_PATTERN,
    ),
]
Limit = Annotated[int, QueryParameter(description="Rows per page.", ge=1, le=1000)]

# RFC 3339 date-time with an offset: numeric epochs and bare dates are refused rather than guessed at.
TIMESTAMP_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$"
ROUTE_PATTERN = r"^/[A-Za-z0-9/{}_.-]*$"


def parse_timestamp(name: str, value: str | None) -> datetime | None:
    """A query timestamp already matched against TIMESTAMP_PATTERN; a 400 names it if it is no real time."""
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ProblemError(
            400,
            "invalid-request",
            f"Invalid request parameters: {name} is not a valid RFC 3339 time.",
            title="Invalid request",
            errors=[{"key": name, "message": "not a valid RFC 3339 time"}],
        ) from exc
