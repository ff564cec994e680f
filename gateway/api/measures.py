"""Analyst-ready measures (`measures=numeric`): every measure a number or null, the reason in a sibling
`<measure>_status` (GOV.UK statistics convention: `c` suppressed, `low` rounds to zero, `x` not
available, `z` not applicable; null when the measure is a number).

The old shape, where a suppressed measure is the symbol itself in a number field, stays the default
until its sunset (docs/changelog.md) and is answered with Deprecation and Sunset headers
(gateway/edge/deprecation.py). A table's total row says `Total` in `group` here, as in the CSV.
The numbers are the disclosure-controlled numbers of the old shape, unchanged: this is a
representation, applied after `protect` and the release gate.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Annotated, Any, Literal, TypeVar, cast, get_args

import msgspec
from litestar import Request, Response
from litestar.datastructures import ResponseHeader
from litestar.params import QueryParameter

from gateway.api.schemas import (
    ClosureSchool,
    ClosuresResponse,
    DailyResponse,
    DailyRow,
    Disclosure,
    PeriodMeasured,
    SummaryResponse,
    SummaryRow,
)
from gateway.edge.deprecation import Deprecation
from gateway.edge.governed import Governance

MeasureStatus = Literal["c", "low", "x", "z"]
T = TypeVar("T")
STATUSES: frozenset[str] = frozenset(get_args(MeasureStatus))
TOTAL = "Total"
STATUS_SUFFIX = "_status"
# The old shape (symbols in number fields) is deprecated from the release that adds `measures=numeric`;
# the sunset gives the policy's six months plus the rest of the school year.
SYMBOLS_DEPRECATED_ON = date(2026, 12, 2)
SYMBOLS_SUNSET_ON = date(2027, 7, 31)
SYMBOLS_DEPRECATED_AT = int(datetime.combine(SYMBOLS_DEPRECATED_ON, time(), UTC).timestamp())


MeasureShape = Literal["numeric", "symbols"]
Measures = Annotated[
    MeasureShape | None,
    QueryParameter(
        description=(
            "numeric: every JSON measure is a number or null, with `<measure>_status` beside it (c, low, x, z)"
            " and `group` Total on an area's total; symbols (the default until its sunset, deprecated): a"
            " suppressed measure is its symbol. CSV is numeric either way."
        )
    ),
]

# Declared on the tables' 200 (the contract lists every response header).
DEPRECATION_HEADERS = [
    ResponseHeader(
        name="Deprecation",
        description="On a JSON answer in the deprecated symbols shape: when it was deprecated (RFC 9745)",
        documentation_only=True,
        required=False,
        example=f"@{SYMBOLS_DEPRECATED_AT}",
    ),
    ResponseHeader(
        name="Sunset",
        description="On a JSON answer in the deprecated symbols shape: when it stops answering (RFC 8594)",
        documentation_only=True,
        required=False,
        example="Sat, 31 Jul 2027 00:00:00 GMT",
    ),
    ResponseHeader(
        name="Link",
        description='On a JSON answer in the deprecated symbols shape: rel="deprecation" (the contract) and '
        'rel="successor-version" (the same request with measures=numeric)',
        documentation_only=True,
        required=False,
        example='</schema>; rel="deprecation", </v1/attendance/summary?measures=numeric>; rel="successor-version"',
    ),
]


class MeasureError(ValueError):
    """A published cell that is neither a number nor a known symbol: nothing is answered (fail closed)."""


def number_and_status(value: object) -> tuple[int | float | None, MeasureStatus | None]:
    """A published cell as (number, None) or (None, its symbol)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value, None
    if isinstance(value, str) and value in STATUSES:
        return None, cast(MeasureStatus, value)
    raise MeasureError(f"a published cell is neither a number nor a symbol: {value!r}")


def numeric_fields(struct: msgspec.Struct, measures: tuple[str, ...]) -> dict[str, Any]:
    """Each measure as its number or null, with `<measure>_status` beside it."""
    out: dict[str, Any] = {}
    for name in measures:
        out[name], out[name + STATUS_SUFFIX] = number_and_status(getattr(struct, name))
    return out


def answer_in_shape(
    request: Request[Any, Any, Any],
    answer: T,
    to_numeric: Callable[[T], msgspec.Struct],
    measures: MeasureShape | None,
) -> Response[Any]:
    """The numeric shape when asked for; else the old shape, with its Deprecation and Sunset headers."""
    if measures == "numeric":
        return Response(to_numeric(answer))
    return Response(answer, headers=symbols_deprecation(request.url.path))


def symbols_deprecation(path: str) -> dict[str, str]:
    """The Deprecation, Sunset and Link headers of an answer in the old shape (successor: numeric)."""
    found = Deprecation(SYMBOLS_DEPRECATED_ON, SYMBOLS_SUNSET_ON, successor=f"{path}?measures=numeric")
    return {name.decode(): value.decode() for name, value in found.headers()}


class NumericSummaryRow(msgspec.Struct, kw_only=True):
    level: str
    area_id: str
    area_name: str
    gss_code: str | None
    parent_id: str | None
    group: str  # "Total": the area's total
    enrolments: int | None
    enrolments_status: MeasureStatus | None
    possible_sessions: int | None
    possible_sessions_status: MeasureStatus | None
    attendance_sessions: int | None
    attendance_sessions_status: MeasureStatus | None
    absence_sessions: int | None
    absence_sessions_status: MeasureStatus | None
    authorised_sessions: int | None
    authorised_sessions_status: MeasureStatus | None
    unauthorised_sessions: int | None
    unauthorised_sessions_status: MeasureStatus | None
    persistent_absentees: int | None
    persistent_absentees_status: MeasureStatus | None
    severe_absentees: int | None
    severe_absentees_status: MeasureStatus | None
    attendance_rate: float | None
    attendance_rate_status: MeasureStatus | None
    overall_absence_rate: float | None
    overall_absence_rate_status: MeasureStatus | None
    authorised_absence_rate: float | None
    authorised_absence_rate_status: MeasureStatus | None
    unauthorised_absence_rate: float | None
    unauthorised_absence_rate_status: MeasureStatus | None
    persistent_absence_rate: float | None
    persistent_absence_rate_status: MeasureStatus | None
    severe_absence_rate: float | None
    severe_absence_rate_status: MeasureStatus | None
    code_rates: dict[str, float | None] | None = None
    code_rates_status: dict[str, MeasureStatus] | None = None  # only the codes whose rate is null


class NumericSummaryResponse(msgspec.Struct, kw_only=True):
    measures: MeasureShape  # always "numeric": says which shape this is
    period: PeriodMeasured
    date_from: date
    date_to: date
    level: str
    breakdown: str | None
    governance: Governance
    disclosure: Disclosure
    rows: list[NumericSummaryRow]


SUMMARY_KEYS = ("level", "area_id", "area_name", "gss_code", "parent_id", "group", "code_rates")
SUMMARY_MEASURES = tuple(f for f in SummaryRow.__struct_fields__ if f not in SUMMARY_KEYS)


def numeric_summary_row(row: SummaryRow) -> NumericSummaryRow:
    codes = None
    if row.code_rates is not None:
        codes = {code: number_and_status(rate) for code, rate in row.code_rates.items()}
    return NumericSummaryRow(
        level=row.level,
        area_id=row.area_id,
        area_name=row.area_name,
        gss_code=row.gss_code,
        parent_id=row.parent_id,
        group=TOTAL if row.group is None else row.group,
        code_rates=None if codes is None else {code: pair[0] for code, pair in codes.items()},
        code_rates_status=None
        if codes is None
        else {code: status for code, (_, status) in codes.items() if status is not None},
        **numeric_fields(row, SUMMARY_MEASURES),
    )


def numeric_summary(answer: SummaryResponse) -> NumericSummaryResponse:
    return NumericSummaryResponse(
        measures="numeric",
        period=answer.period,
        date_from=answer.date_from,
        date_to=answer.date_to,
        level=answer.level,
        breakdown=answer.breakdown,
        governance=answer.governance,
        disclosure=answer.disclosure,
        rows=[numeric_summary_row(row) for row in answer.rows],
    )


class NumericDailyRow(msgspec.Struct, kw_only=True):
    date: date
    schools_with_registers: int | None
    schools_with_registers_status: MeasureStatus | None
    pupils: int | None
    pupils_status: MeasureStatus | None
    possible_sessions: int | None
    possible_sessions_status: MeasureStatus | None
    attendance_sessions: int | None
    attendance_sessions_status: MeasureStatus | None
    authorised_sessions: int | None
    authorised_sessions_status: MeasureStatus | None
    unauthorised_sessions: int | None
    unauthorised_sessions_status: MeasureStatus | None
    not_counted_sessions: int | None
    not_counted_sessions_status: MeasureStatus | None
    attendance_rate: float | None
    attendance_rate_status: MeasureStatus | None
    overall_absence_rate: float | None
    overall_absence_rate_status: MeasureStatus | None
    attendance_of_all_sessions_rate: float | None
    attendance_of_all_sessions_rate_status: MeasureStatus | None


class NumericDailyResponse(msgspec.Struct, kw_only=True):
    measures: MeasureShape  # always "numeric": says which shape this is
    period: PeriodMeasured
    date_from: date
    date_to: date
    area: str
    governance: Governance
    disclosure: Disclosure
    rows: list[NumericDailyRow]


DAILY_MEASURES = tuple(f for f in DailyRow.__struct_fields__ if f != "date")


def numeric_daily(answer: DailyResponse) -> NumericDailyResponse:
    return NumericDailyResponse(
        measures="numeric",
        period=answer.period,
        date_from=answer.date_from,
        date_to=answer.date_to,
        area=answer.area,
        governance=answer.governance,
        disclosure=answer.disclosure,
        rows=[NumericDailyRow(date=row.date, **numeric_fields(row, DAILY_MEASURES)) for row in answer.rows],
    )


class NumericClosureSchool(msgspec.Struct, kw_only=True):
    urn: int
    name: str
    la_code: int
    phase: str
    status: str  # open | partially_closed | closed | no_register
    attendance_rate: float | None
    attendance_rate_status: MeasureStatus | None


class NumericClosuresResponse(msgspec.Struct, kw_only=True):
    measures: MeasureShape  # always "numeric": says which shape this is
    date: date
    governance: Governance
    disclosure: Disclosure
    schools_open: int
    schools_partially_closed: int
    schools_closed: int
    schools_without_registers: int
    attendance_rate: float | None
    attendance_rate_status: MeasureStatus | None
    schools: list[NumericClosureSchool]


def _numeric_school(school: ClosureSchool) -> NumericClosureSchool:
    return NumericClosureSchool(
        urn=school.urn,
        name=school.name,
        la_code=school.la_code,
        phase=school.phase,
        status=school.status,
        **numeric_fields(school, ("attendance_rate",)),
    )


def numeric_closures(answer: ClosuresResponse) -> NumericClosuresResponse:
    return NumericClosuresResponse(
        measures="numeric",
        date=answer.date,
        governance=answer.governance,
        disclosure=answer.disclosure,
        schools_open=answer.schools_open,
        schools_partially_closed=answer.schools_partially_closed,
        schools_closed=answer.schools_closed,
        schools_without_registers=answer.schools_without_registers,
        schools=[_numeric_school(school) for school in answer.schools],
        **numeric_fields(answer, ("attendance_rate",)),
    )
