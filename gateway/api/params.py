"""Query parameters shared by the governed routes, with the patterns that keep junk out of policy and audit."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from litestar.params import PathParameter, QueryParameter

from gateway.edge.problems import ProblemError

# Purposes and agreements are identifiers in policy data: lower-case words joined by - . _
IDENTIFIER_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
# Free text for people: anything printable, no control characters (C0, DEL, C1, line separators).
TEXT_PATTERN = r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029]*$"
FIELDS_PATTERN = r"^[a-z_]+(,[a-z_]+)*$"
CURSOR_PATTERN = r"^[A-Za-z0-9._-]+$"
REGION_PATTERN = r"^[A-Za-z][A-Za-z ]*$"
# The shape of a UPN (python-stdnum's alphabet: no I, O or S); its check letter and LA number are checked
# after (422), since no pattern can hold them.
UPN_PATTERN = r"^[A-HJ-NP-RT-Z][0-9]{11}[0-9A-HJ-NP-RT-Z]$"
# A day from 2000-01-01 to 2099-12-31 that exists (every month's length, 29 February in leap years): the
# gateway holds no attendance before 2000, and a year far from today overflows date arithmetic.
DATE_PATTERN = (
    r"^20[0-9]{2}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)"
    r"|(?:0[13578]|1[02])-31)$|^20(?:[02468][048]|[13579][26])-02-29$"
)
DATE_BOUND = {"pattern": DATE_PATTERN}
INT64_MAX = 2**63 - 1  # a sequence number or size: PostgreSQL's bigint

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
DateFrom = Annotated[
    date, QueryParameter(description="First day of the period (ISO 8601).", schema_extra=DATE_BOUND)
]
DateTo = Annotated[
    date,
    QueryParameter(
        description="Last day of the period (ISO 8601), inclusive: on or after date_from, and at most "
        "the gateway's maximum period (400 days by default) after it.",
        schema_extra=DATE_BOUND,
    ),
]
OptionalDate = Annotated[date | None, QueryParameter(description="ISO 8601 date.", schema_extra=DATE_BOUND)]
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
    date | None,
    QueryParameter(description="First day of the period (ISO 8601), with date_to.", schema_extra=DATE_BOUND),
]
PeriodTo = Annotated[
    date | None,
    QueryParameter(
        description="Last day of the period (ISO 8601), inclusive, with date_from: on or after date_from, and "
        "at most the gateway's maximum period (400 days by default) after it.",
        schema_extra=DATE_BOUND,
    ),
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
# Litestar leaves a zero bound out of the document, so the minimum is written out for it.
YearGroup = Annotated[
    int | None,
    QueryParameter(
        description="National curriculum year (0 = reception).", ge=0, le=14, schema_extra={"minimum": 0}
    ),
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

# RFC 3339 date-time with an offset: numeric epochs and bare dates are refused rather than guessed at; the
# year is 2000-2099 (as dates), so no offset can carry it out of range.
TIMESTAMP_PATTERN = (
    r"^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]"
    r"(:[0-5][0-9](\.[0-9]{1,6})?)?(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])$"
)
ROUTE_PATTERN = r"^/[A-Za-z0-9/{}_.-]*$"


# Litestar writes a required integer's bounds as floats (2**63 - 1 would round up to 2**63), so exactly.
INT64_BOUNDS = {"minimum": 1, "maximum": INT64_MAX}
EventSeq = Annotated[
    int,
    PathParameter(description="The event's sequence number.", ge=1, le=INT64_MAX, schema_extra=INT64_BOUNDS),
]
Upn = Annotated[
    str,
    PathParameter(
        description="The pupil's UPN: 13 characters (a check letter, 11 digits, a digit or letter) with a "
        "correct check letter and an English LA number (422 otherwise).",
        min_length=13,
        max_length=13,
        pattern=UPN_PATTERN,
    ),
]


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
