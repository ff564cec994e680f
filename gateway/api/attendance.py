"""Aggregate attendance: summaries, daily series and closures, disclosure-controlled per requester."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Request, get
from litestar.params import QueryParameter

from gateway.api.common import (
    governance,
    record_rows,
    scope_denied,
    services_of,
    validate_area,
    validate_period,
)
from gateway.api.disclosure import protect_closures, protect_daily, protect_summary
from gateway.api.params import (
    Agreement,
    DateFrom,
    DateTo,
    LaCode,
    Phase,
    Purpose,
    Reason,
    Region,
    Urn,
    YearGroup,
)
from gateway.api.schemas import ClosuresResponse, DailyResponse, SummaryResponse
from gateway.policy.decision import Decision
from gateway.policy.guard import authorize
from gateway.problems import problem_responses
from gateway.store.aggregates import (
    Breakdown,
    Level,
    closure_rows,
    code_session_rows,
    daily_rows,
    summary_rows,
)
from gateway.store.codes import ORDINALS
from gateway.store.scope import AreaFilter


def _resource(kind: str, **fields: Any) -> dict[str, Any]:
    # The guard fills the request document's other keys and writes dates as ISO strings.
    return {"resource": kind, "fields": ["aggregate_counts"], **fields}


def _refuse_levels_above_scope(decision: Decision, level: str) -> None:
    # A scoped principal's rows are limited to its area, so an England or region row would be mislabelled.
    scoped = (
        decision.obligations.row_filter.la_codes is not None
        or decision.obligations.row_filter.urns is not None
    )
    if scoped and level in ("national", "region"):
        raise scope_denied(
            f"Your access is limited to your own area, so a {level}-level summary cannot be produced for you."
        )


@get(
    "/v1/attendance/summary",
    opt={"policy_action": "attendance.summary"},
    summary="Attendance and absence summary for an area, optionally broken down by pupil group",
    tags=["attendance"],
    security=[{"bearer": []}],
    responses=problem_responses(400, 401, 403, 422, 503),
)
async def attendance_summary(
    request: Request[Any, Any, Any],
    purpose: Purpose,
    agreement: Agreement,
    date_from: DateFrom,
    date_to: DateTo,
    reason: Reason = None,
    level: Annotated[
        Level, QueryParameter(description="The unit of the rows: national, region, la or school.")
    ] = "la",
    region: Region = None,
    la_code: LaCode = None,
    urn: Urn = None,
    phase: Phase = None,
    year_group: YearGroup = None,
    breakdown: Annotated[
        Breakdown | None, QueryParameter(description="Break each area down by a pupil group.")
    ] = None,
    by_code: Annotated[bool, QueryParameter(description="Add the rate of each attendance code.")] = False,
) -> SummaryResponse:
    """Enrolments, possible sessions, attendance, authorised and unauthorised absence (optionally by code),
    persistent and severe absence, with rates; disclosure-controlled per the requester's profile."""
    services = services_of(request)
    period = validate_period(date_from, date_to, services.settings)
    area = AreaFilter(region=region, la_code=la_code, urn=urn, phase=phase, year_group=year_group)
    decision = await authorize(
        request,
        action="attendance.summary",
        purpose=purpose,
        agreement=agreement,
        reason=reason,
        resource=_resource(
            "attendance_aggregate",
            level=level,
            region=region,
            la_code=la_code,
            urn=urn,
            date_from=date_from,
            date_to=date_to,
            breakdown=breakdown,
        ),
    )
    _refuse_levels_above_scope(decision, level)
    rf = decision.obligations.row_filter
    with_tops = bool((decision.obligations.disclosure_profile or {}).get("dominance"))
    cache = services.aggregate_cache
    async with services.pool.connection() as conn:
        await validate_area(conn, area)
        rows = await cache.rows(
            conn,
            ("summary", level, period, rf, area, breakdown, with_tops),
            lambda: summary_rows(
                conn,
                level=level,
                period=period,
                row_filter=rf,
                area=area,
                breakdown=breakdown,
                with_tops=with_tops,
            ),
        )
        code_rows = (
            await cache.rows(
                conn,
                ("codes", level, period, rf, area, breakdown),
                lambda: code_session_rows(
                    conn, level=level, period=period, row_filter=rf, area=area, breakdown=breakdown
                ),
            )
            if by_code
            else None
        )
    protected, disclosure = protect_summary(
        rows,
        code_rows,
        decision.obligations.disclosure_profile,
        level,
        include_margins=rf.la_codes is None and rf.urns is None,
    )
    record_rows(request, len(protected))
    return SummaryResponse(
        date_from=date_from,
        date_to=date_to,
        level=level,
        breakdown=breakdown,
        governance=governance(request, decision),
        disclosure=disclosure,
        rows=protected,
    )


@get(
    "/v1/attendance/daily",
    opt={"policy_action": "attendance.daily"},
    summary="Daily attendance series for an area (dashboards, strike days)",
    tags=["attendance"],
    security=[{"bearer": []}],
    responses=problem_responses(400, 401, 403, 422, 503),
)
async def attendance_daily(
    request: Request[Any, Any, Any],
    purpose: Purpose,
    agreement: Agreement,
    date_from: DateFrom,
    date_to: DateTo,
    reason: Reason = None,
    region: Region = None,
    la_code: LaCode = None,
    urn: Urn = None,
    phase: Phase = None,
    year_group: YearGroup = None,
) -> DailyResponse:
    """One row per day with registers: schools reporting, pupils, sessions by category and rates."""
    services = services_of(request)
    period = validate_period(date_from, date_to, services.settings)
    area = AreaFilter(region=region, la_code=la_code, urn=urn, phase=phase, year_group=year_group)
    level = "school" if urn else "la" if la_code else "region" if region else "national"
    decision = await authorize(
        request,
        action="attendance.daily",
        purpose=purpose,
        agreement=agreement,
        reason=reason,
        resource=_resource(
            "attendance_aggregate",
            level=level,
            region=region,
            la_code=la_code,
            urn=urn,
            date_from=date_from,
            date_to=date_to,
        ),
    )
    _refuse_levels_above_scope(decision, level)
    async with services.pool.connection() as conn:
        await validate_area(conn, area)
        rf = decision.obligations.row_filter
        rows = await services.aggregate_cache.rows(
            conn,
            ("daily", period, rf, area),
            lambda: daily_rows(conn, period=period, row_filter=rf, area=area),
        )
    protected, disclosure = protect_daily(rows, decision.obligations.disclosure_profile)
    record_rows(request, len(protected))
    return DailyResponse(
        date_from=date_from,
        date_to=date_to,
        area=_area_label(region, la_code, urn),
        governance=governance(request, decision),
        disclosure=disclosure,
        rows=protected,
    )


@get(
    "/v1/attendance/closures",
    opt={"policy_action": "attendance.closures"},
    summary="Schools open, partially closed and closed on a day, with attendance",
    tags=["attendance"],
    security=[{"bearer": []}],
    responses=problem_responses(400, 401, 403, 422, 503),
)
async def attendance_closures(
    request: Request[Any, Any, Any],
    purpose: Purpose,
    agreement: Agreement,
    on: Annotated[date, QueryParameter(name="date", description="The school day (ISO 8601).")],
    reason: Reason = None,
    region: Region = None,
    la_code: LaCode = None,
    phase: Phase = None,
) -> ClosuresResponse:
    """Closure status per school from the #, Y4 and Y3 codes and from schools with no registers."""
    services = services_of(request)
    area = AreaFilter(region=region, la_code=la_code, phase=phase)
    level = "la" if la_code else "region" if region else "national"
    decision = await authorize(
        request,
        action="attendance.closures",
        purpose=purpose,
        agreement=agreement,
        reason=reason,
        resource=_resource(
            "attendance_aggregate", level=level, region=region, la_code=la_code, date_from=on, date_to=on
        ),
    )
    _refuse_levels_above_scope(decision, level)
    async with services.pool.connection() as conn:
        await validate_area(conn, area)
        rows = await closure_rows(
            conn, day=on, row_filter=decision.obligations.row_filter, area=area, ordinals=ORDINALS
        )
    response = protect_closures(
        on, rows, decision.obligations.disclosure_profile, governance(request, decision)
    )
    record_rows(request, len(response.schools))
    return response


def _area_label(region: str | None, la_code: int | None, urn: int | None) -> str:
    if urn:
        return f"school {urn}"
    if la_code:
        return f"local authority {la_code}"
    return region or "England"


ROUTES = [attendance_summary, attendance_daily, attendance_closures]
