"""Aggregate attendance: summaries, daily series and closures, disclosure-controlled per requester."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from litestar import Request, Response, get
from litestar.params import QueryParameter

from gateway.api.measures import (
    DEPRECATION_HEADERS,
    Measures,
    MeasureShape,
    NumericClosuresResponse,
    NumericDailyResponse,
    NumericSummaryResponse,
    numeric_closures,
    numeric_daily,
    numeric_summary,
)
from gateway.api.openapi_docs import ALSO_MEDIA_TYPES
from gateway.api.params import (
    DATE_BOUND,
    Agreement,
    LaCode,
    NamedPeriod,
    PeriodFrom,
    PeriodTo,
    Phase,
    Purpose,
    Reason,
    Region,
    TrustId,
    Urn,
    YearGroup,
)
from gateway.api.publishing import (
    Protected,
    profile_from,
    protect_closures,
    protect_daily,
    protect_summary,
)
from gateway.api.schemas import ClosuresResponse, DailyResponse, SummaryResponse, period_measured
from gateway.api.tables_csv import (
    CLOSURES_CSV_EXAMPLE,
    DAILY_CSV_EXAMPLE,
    SUMMARY_CSV_EXAMPLE,
    Format,
    answer_as,
    closures_csv,
    daily_csv,
    summary_csv,
)
from gateway.api.tables_parquet import PARQUET_MEDIA_TYPE
from gateway.edge.governed import Governed, Requested, governed_route
from gateway.edge.problems import ProblemError, problem_responses
from gateway.edge.release_control import Batch, area_series, filters_of, release_gate
from gateway.edge.validation import choose_period
from gateway.privacy.releases import path_series
from gateway.store.aggregates import Breakdown, Level
from gateway.store.queries import ClosuresQuery, CodeSessionsQuery, DailyQuery, SummaryQuery
from gateway.store.scope import AreaFilter

AGGREGATE = "attendance_aggregate"
AGGREGATE_FIELDS = ("aggregate_counts",)
ERRORS = problem_responses(400, 401, 403, 422, 503)


OutputFormat = Annotated[
    Format | None,
    QueryParameter(
        description=(
            "json (default), csv: tidy CSV (as Accept: text/csv), or parquet: typed columns, one row per"
            " area x group (as Accept: application/vnd.apache.parquet); see the operation"
        )
    ),
]


@dataclass(frozen=True, slots=True)
class TabularRequested(Requested):
    output: Format | None = None
    measures: MeasureShape | None = None


@dataclass(frozen=True, slots=True)
class SummaryRequested(TabularRequested):
    summary_level: Level = "la"
    summary_breakdown: Breakdown | None = None
    by_code: bool = False
    include_totals: bool | None = None


def summary_request(
    purpose: Purpose,
    agreement: Agreement,
    period: NamedPeriod = None,
    date_from: PeriodFrom = None,
    date_to: PeriodTo = None,
    reason: Reason = None,
    level: Annotated[
        Level,
        QueryParameter(
            description="The unit of the rows: national, region, la, school or trust (multi-academy trusts)."
        ),
    ] = "la",
    region: Region = None,
    la_code: LaCode = None,
    urn: Urn = None,
    trust_id: TrustId = None,
    phase: Phase = None,
    year_group: YearGroup = None,
    breakdown: Annotated[
        Breakdown | None, QueryParameter(description="Break each area down by a pupil group.")
    ] = None,
    by_code: Annotated[bool, QueryParameter(description="Add the rate of each attendance code.")] = False,
    include_totals: Annotated[
        bool | None,
        QueryParameter(
            description=(
                "Whether the higher-level rows (England, the regions, the LAs above `level`) come with the"
                " table. Default: yes where they are England's (a caller whose scope is all of England, any"
                " level but trust), no otherwise. true where they are not available is refused (422)."
            )
        ),
    ] = None,
    format: OutputFormat = None,
    measures: Measures = None,
) -> SummaryRequested:
    return SummaryRequested(
        purpose=purpose,
        agreement=agreement,
        reason=reason,
        resource=AGGREGATE,
        fields=AGGREGATE_FIELDS,
        level=level,
        area=AreaFilter(
            region=region, la_code=la_code, urn=urn, phase=phase, year_group=year_group, trust_id=trust_id
        ),
        period_name=choose_period(period, date_from, date_to),
        date_from=date_from,
        date_to=date_to,
        breakdown=breakdown,
        summary_level=level,
        summary_breakdown=breakdown,
        by_code=by_code,
        include_totals=include_totals,
        output=format,
        measures=measures,
    )


@get(
    "/v1/attendance/summary",
    **governed_route(
        "attendance.summary",
        requested=summary_request,
        opt={ALSO_MEDIA_TYPES: {"text/csv": SUMMARY_CSV_EXAMPLE, PARQUET_MEDIA_TYPE: None}},
    ),
    summary="Attendance and absence summary for an area, optionally broken down by pupil group",
    tags=["attendance"],
    responses=ERRORS,
    response_headers=DEPRECATION_HEADERS,
)
async def attendance_summary(
    request: Request[Any, Any, Any], gov: Governed[SummaryRequested]
) -> Response[NumericSummaryResponse | SummaryResponse]:
    """Enrolments, possible sessions, attendance, authorised and unauthorised absence (optionally by code),
    persistent and severe absence, with rates; disclosure-controlled per the requester's profile.

    Also as tidy CSV (`format=csv`) and as Parquet (`format=parquet` or Accept
    application/vnd.apache.parquet): one row per area x group, typed columns `date_from,
    date_to, level, area_id, area_name, gss_code, parent_id, breakdown, group`, then each
    measure (int64 or float64, null when not published) and `<measure>_status` (c, low, x, z or
    null), and `code_rate_<code>` with its status for by_code; the file's metadata holds
    data_version, data_as_of, request_id and the disclosure profile, legend and rules."""
    asked, measured = gov.requested, gov.require_measured()
    period = measured.period
    profile = gov.obligations.disclosure_profile
    level, breakdown = asked.summary_level, asked.summary_breakdown
    margins = include_totals(asked.include_totals, limited=gov.scope.is_limited, level=level)
    rows = await gov.read(
        SummaryQuery(
            level=level,
            period=period,
            scope=gov.scope,
            breakdown=breakdown,
            with_tops=bool((profile or {}).get("dominance")),
        )
    )
    code_rows = (
        await gov.read(CodeSessionsQuery(level=level, period=period, scope=gov.scope, breakdown=breakdown))
        if asked.by_code
        else None
    )
    area = asked.area
    tables: list[Protected] = []
    protected, disclosure = protect_summary(
        rows, code_rows, profile, level, include_margins=margins, collect=tables
    )
    await release_gate(
        gov,
        profile_from(profile),
        [
            Batch(
                tables,
                period.date_from,
                period.date_to,
                area_of=functools.partial(path_series, trust=level == "trust"),
                filters=filters_of(area.phase, area.year_group),
                breakdown=breakdown,
                population="enrolments",
                filtered=breakdown is not None or area.year_group is not None or area.phase is not None,
            )
        ],
    )
    answer = SummaryResponse(
        period=period_measured(measured),
        date_from=period.date_from,
        date_to=period.date_to,
        level=level,
        breakdown=breakdown,
        governance=gov.release(len(protected)),
        disclosure=disclosure,
        rows=protected,
    )
    return answer_as(request, asked.output, answer, summary_csv, numeric_summary, asked.measures)


def include_totals(asked: bool | None, *, limited: bool, level: str) -> bool:
    """Higher-level rows only where they are England's: not for a limited scope (its sums are not England's,
    nor its region's), nor for trusts (England or a region is not the sum of its trusts)."""
    available = not limited and level != "trust"
    if asked and not available:
        why = (
            "trust rows have no higher-level rows" if level == "trust" else "your scope is not all of England"
        )
        raise ProblemError(
            422,
            "totals-unavailable",
            f"include_totals=true cannot be answered: {why}. Ask without include_totals.",
            errors=[{"field": "include_totals", "source": "query", "message": why}],
        )
    return available if asked is None else asked


def daily_request(
    purpose: Purpose,
    agreement: Agreement,
    period: NamedPeriod = None,
    date_from: PeriodFrom = None,
    date_to: PeriodTo = None,
    reason: Reason = None,
    region: Region = None,
    la_code: LaCode = None,
    urn: Urn = None,
    trust_id: TrustId = None,
    phase: Phase = None,
    year_group: YearGroup = None,
    format: OutputFormat = None,
    measures: Measures = None,
) -> TabularRequested:
    level = (
        "school" if urn else "trust" if trust_id else "la" if la_code else "region" if region else "national"
    )
    return TabularRequested(
        purpose=purpose,
        agreement=agreement,
        reason=reason,
        resource=AGGREGATE,
        fields=AGGREGATE_FIELDS,
        level=level,
        area=AreaFilter(
            region=region, la_code=la_code, urn=urn, phase=phase, year_group=year_group, trust_id=trust_id
        ),
        period_name=choose_period(period, date_from, date_to),
        date_from=date_from,
        date_to=date_to,
        output=format,
        measures=measures,
    )


@get(
    "/v1/attendance/daily",
    **governed_route(
        "attendance.daily",
        requested=daily_request,
        opt={ALSO_MEDIA_TYPES: {"text/csv": DAILY_CSV_EXAMPLE, PARQUET_MEDIA_TYPE: None}},
    ),
    summary="Daily attendance series for an area (dashboards, strike days)",
    tags=["attendance"],
    responses=ERRORS,
    response_headers=DEPRECATION_HEADERS,
)
async def attendance_daily(
    request: Request[Any, Any, Any], gov: Governed[TabularRequested]
) -> Response[NumericDailyResponse | DailyResponse]:
    """One row per day with registers: schools reporting, pupils, sessions by category and rates.

    Also as tidy CSV (`format=csv`) and as Parquet (`format=parquet` or Accept
    application/vnd.apache.parquet): one row per day, typed columns `date, area`, then each
    measure and `<measure>_status`; the file's metadata as the summary's."""
    measured = gov.require_measured()
    period = measured.period
    rows = await gov.read(DailyQuery(period=period, scope=gov.scope))
    area = gov.requested.area
    tables: list[Protected] = []
    protected, disclosure = protect_daily(rows, gov.obligations.disclosure_profile, tables)
    await release_gate(
        gov,
        profile_from(gov.obligations.disclosure_profile),
        [
            Batch(
                tables,
                period.date_from,
                period.date_to,
                filters=filters_of(area.phase, area.year_group),
                day_series=area_series(area),
                population="pupils",
                filtered=area.year_group is not None or area.phase is not None,
            )
        ],
    )
    answer = DailyResponse(
        period=period_measured(measured),
        date_from=period.date_from,
        date_to=period.date_to,
        area=_area_label(gov.requested.area),
        governance=gov.release(len(protected)),
        disclosure=disclosure,
        rows=protected,
    )
    return answer_as(request, gov.requested.output, answer, daily_csv, numeric_daily, gov.requested.measures)


def closures_request(
    purpose: Purpose,
    agreement: Agreement,
    on: Annotated[
        date, QueryParameter(name="date", description="The school day (ISO 8601).", schema_extra=DATE_BOUND)
    ],
    reason: Reason = None,
    region: Region = None,
    la_code: LaCode = None,
    phase: Phase = None,
    format: OutputFormat = None,
    measures: Measures = None,
) -> TabularRequested:
    return TabularRequested(
        purpose=purpose,
        agreement=agreement,
        reason=reason,
        resource=AGGREGATE,
        fields=AGGREGATE_FIELDS,
        level="la" if la_code else "region" if region else "national",
        area=AreaFilter(region=region, la_code=la_code, phase=phase),
        date_from=on,
        date_to=on,
        single_day=True,
        output=format,
        measures=measures,
    )


@get(
    "/v1/attendance/closures",
    **governed_route(
        "attendance.closures",
        requested=closures_request,
        opt={ALSO_MEDIA_TYPES: {"text/csv": CLOSURES_CSV_EXAMPLE, PARQUET_MEDIA_TYPE: None}},
    ),
    summary="Schools open, partially closed and closed on a day, with attendance",
    tags=["attendance"],
    responses=ERRORS,
    response_headers=DEPRECATION_HEADERS,
)
async def attendance_closures(
    request: Request[Any, Any, Any], gov: Governed[TabularRequested]
) -> Response[NumericClosuresResponse | ClosuresResponse]:
    """Closure status per school from the #, Y4 and Y3 codes and from schools with no registers.

    Also as CSV (`format=csv`) and as Parquet (`format=parquet` or Accept
    application/vnd.apache.parquet): one row per school, typed columns `date, urn, school_name,
    la_code, phase, closure_status, attendance_rate, attendance_rate_status`; the file's
    metadata as the summary's."""
    day = gov.require_period().date_from
    rows = await gov.read(ClosuresQuery(day=day, scope=gov.scope))
    tables: list[Protected] = []
    published = protect_closures(rows, gov.obligations.disclosure_profile, tables)
    area = gov.requested.area
    await release_gate(
        gov,
        profile_from(gov.obligations.disclosure_profile),
        [Batch(tables, day, day, filters=filters_of(area.phase, None))],
    )
    answer = ClosuresResponse(
        date=day,
        governance=gov.release(len(published.schools)),
        disclosure=published.disclosure,
        schools_open=published.counts["open"],
        schools_partially_closed=published.counts["partially_closed"],
        schools_closed=published.counts["closed"],
        schools_without_registers=published.counts["no_register"],
        attendance_rate=published.attendance_rate,
        schools=published.schools,
    )
    return answer_as(
        request, gov.requested.output, answer, closures_csv, numeric_closures, gov.requested.measures
    )


def _area_label(area: AreaFilter) -> str:
    if area.urn:
        return f"school {area.urn}"
    if area.trust_id:
        return f"trust {area.trust_id}"
    if area.la_code:
        return f"local authority {area.la_code}"
    return area.region or "England"


ROUTES = [attendance_summary, attendance_daily, attendance_closures]
