"""Pupil-level access for local-authority safeguarding and attendance teams: lists, casework, early warning."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any

import msgspec
from litestar import get
from litestar.params import QueryParameter

from gateway.api.params import (
    Agreement,
    Cursor,
    Fields,
    LaCode,
    Limit,
    NamedPeriod,
    OptionalDate,
    Purpose,
    Reason,
    Upn,
    Urn,
    YearGroup,
)
from gateway.api.release import release_pupil_rows, released_fields
from gateway.api.schemas import PeriodMeasured, period_measured
from gateway.edge.governed import Governance, Governed, Requested, governed_route
from gateway.edge.problems import ProblemError, problem_responses
from gateway.edge.validation import choose_period
from gateway.privacy.pseudonyms import Pseudonymiser
from gateway.store.periods import academic_year_start
from gateway.store.pupils import RULE_TEXT, Criterion, WarningWindow
from gateway.store.queries import EarlyWarningQuery, PupilListQuery, PupilRecordQuery, latest_marked_day
from gateway.store.scope import AreaFilter
from gateway.store.upn import upn_problem


class PupilPage(msgspec.Struct, kw_only=True):
    governance: Governance
    period: PeriodMeasured
    date_from: date
    date_to: date
    criterion: str
    fields: list[str]
    rows: list[dict[str, Any]]
    next_cursor: str | None


class FlaggedPupil(msgspec.Struct, kw_only=True):
    pupil: dict[str, Any]
    rules: list[str]
    recent_attendance_rate: float | None
    prior_attendance_rate: float | None


class EarlyWarningPage(msgspec.Struct, kw_only=True):
    governance: Governance
    period_start: date
    as_of: date
    recent_weeks: int
    rules: dict[str, str]
    rows: list[FlaggedPupil]
    next_cursor: str | None


class Mark(msgspec.Struct, kw_only=True):
    date: date
    session: str
    code: str
    category: str
    urn: int
    recorded_at: datetime


class PupilHistory(msgspec.Struct, kw_only=True):
    governance: Governance
    period: PeriodMeasured
    date_from: date
    date_to: date
    pupil: dict[str, Any]
    enrolments: list[dict[str, Any]]
    marks: list[Mark]


def _split_fields(fields: str | None) -> tuple[str, ...]:
    return tuple(f.strip() for f in fields.split(",") if f.strip()) if fields else ()


def _asked_period(
    period: str | None, date_from: date | None, date_to: date | None
) -> tuple[str | None, date | None, date | None]:
    """A named period (ytd when nothing is given), or dates: one of them alone runs from the start of the
    academic year, or to today."""
    name = choose_period(period, date_from, date_to, partial_dates=True)
    if name is not None:
        return name, None, None
    end = date_to or datetime.now(UTC).date()
    return None, date_from or academic_year_start(end), end


def _pseudonymiser(gov: Governed[Any]) -> Pseudonymiser:
    return Pseudonymiser(gov.services.keyring)


@dataclass(frozen=True, slots=True)
class PupilListRequested(Requested):
    criterion: Criterion = "persistent"
    min_rate: float | None = None
    cursor: str | None = None
    limit: int = 100


def pupil_list_request(
    purpose: Purpose,
    agreement: Agreement,
    reason: Reason = None,
    criterion: Annotated[
        Criterion,
        QueryParameter(
            description="persistent (10%+ absence), severe (50%+), rate (min_rate), unauthorised_10_in_10, all."
        ),
    ] = "persistent",
    min_rate: Annotated[
        float | None,
        QueryParameter(
            description="With criterion=rate: absence rate (%) at or above.",
            ge=0,
            le=100,
            schema_extra={"minimum": 0},  # Litestar leaves a zero bound out of the document
        ),
    ] = None,
    period: NamedPeriod = None,
    date_from: OptionalDate = None,
    date_to: OptionalDate = None,
    la_code: LaCode = None,
    urn: Urn = None,
    year_group: YearGroup = None,
    fields: Fields = None,
    cursor: Cursor = None,
    limit: Limit = 100,
) -> PupilListRequested:
    if criterion == "rate" and min_rate is None:
        raise ProblemError(
            422,
            "missing-parameter",
            "criterion=rate needs min_rate (an absence rate in %).",
            errors=[{"field": "min_rate", "message": "required with criterion=rate"}],
        )
    name, start, end = _asked_period(period, date_from, date_to)
    return PupilListRequested(
        purpose=purpose,
        agreement=agreement,
        reason=reason,
        resource="pupil_list",
        fields=_split_fields(fields),
        level="pupil",
        area=AreaFilter(la_code=la_code, urn=urn, year_group=year_group),
        period_name=name,
        date_from=start,
        date_to=end,
        criterion=criterion,
        min_rate=min_rate,
        cursor=cursor,
        limit=limit,
    )


@get(
    "/v1/pupils",
    **governed_route("pupils.list", requested=pupil_list_request),
    summary="Pupils in your area with persistent, severe or high absence, or 10+ unauthorised sessions in 10 weeks",
    tags=["pupils"],
    responses=problem_responses(400, 401, 403, 422, 503),
)
async def pupils_list(gov: Governed[PupilListRequested]) -> PupilPage:
    """Named pupils in the caller's own local authority only; a reason for access is required and recorded."""
    asked, measured = gov.requested, gov.require_measured()
    period = measured.period
    after = gov.cursor_position(asked.cursor)
    out_fields = released_fields(gov.obligations, asked.fields)
    page = await PupilListQuery(
        criterion=asked.criterion,
        min_rate=asked.min_rate,
        period=period,
        scope=gov.scope,
        fields=tuple(out_fields),
        after=after,
        limit=asked.limit,
    ).fetch(gov.conn)
    rows, subjects = release_pupil_rows(
        page.rows, gov.obligations, out_fields, _pseudonymiser(gov), period.date_to
    )
    return PupilPage(
        governance=gov.release(len(rows), subjects),
        period=period_measured(measured),
        date_from=period.date_from,
        date_to=period.date_to,
        criterion=asked.criterion,
        fields=out_fields,
        rows=rows,
        next_cursor=gov.next_cursor(page.next_after),
    )


@dataclass(frozen=True, slots=True)
class PupilRecordRequested(Requested):
    upn: str = ""
    row_fields: tuple[str, ...] = ()


def pupil_record_request(
    upn: Upn,
    purpose: Purpose,
    agreement: Agreement,
    reason: Reason = None,
    period: NamedPeriod = None,
    date_from: OptionalDate = None,
    date_to: OptionalDate = None,
    fields: Fields = None,
) -> PupilRecordRequested:
    problem = upn_problem(upn)
    if problem is not None:
        raise ProblemError(
            422,
            "invalid-upn",
            "The pupil reference is not a valid UPN (13 characters with a correct check letter).",
            errors=[{"field": "upn", "message": problem}],
        )
    name, start, end = _asked_period(period, date_from, date_to)
    requested = _split_fields(fields)
    return PupilRecordRequested(
        purpose=purpose,
        agreement=agreement,
        reason=reason,
        resource="pupil_record",
        fields=(*requested, "session_marks") if requested else (),
        level="pupil",
        period_name=name,
        date_from=start,
        date_to=end,
        upn=upn,
        row_fields=requested,
    )


PUPIL_KEYS = frozenset(
    {"upn", "forename", "surname", "date_of_birth", "sex", "ethnicity", "ethnicity_major", "pupil_ref"}
)


@get(
    "/v1/pupils/{upn:str}/attendance",
    **governed_route("pupils.attendance", requested=pupil_record_request),
    summary="One pupil's session history for casework (pupils on roll in your area only)",
    tags=["pupils"],
    responses=problem_responses(400, 401, 403, 404, 422, 503),
)
async def pupil_attendance(gov: Governed[PupilRecordRequested]) -> PupilHistory:
    """Every mark of the pupil's enrolments in the caller's scope over the period."""
    asked, measured = gov.requested, gov.require_measured()
    period = measured.period
    out_fields = [f for f in released_fields(gov.obligations, asked.row_fields) if f != "session_marks"]
    record = PupilRecordQuery(upn=asked.upn, period=period, scope=gov.scope, fields=tuple(out_fields))
    enrolments = await record.enrolments(gov.conn)
    if not enrolments:
        gov.release(0, [asked.upn])
        raise ProblemError(404, "pupil-not-found", "No pupil with this UPN is on roll within your scope.")
    marks = await record.marks(gov.conn, [int(e["_enrolment_id"]) for e in enrolments])
    released, subjects = release_pupil_rows(
        enrolments, gov.obligations, out_fields, _pseudonymiser(gov), period.date_to
    )
    pupil = {k: v for k, v in released[0].items() if k in PUPIL_KEYS}
    per_enrolment = [{k: v for k, v in r.items() if k not in PUPIL_KEYS} for r in released]
    return PupilHistory(
        governance=gov.release(len(marks), subjects[:1]),
        period=period_measured(measured),
        date_from=period.date_from,
        date_to=period.date_to,
        pupil=pupil,
        enrolments=per_enrolment,
        marks=[
            Mark(
                date=m["date"],
                session=m["session"],
                code=m["code"],
                category=m["category"],
                urn=m["urn"],
                recorded_at=m["recorded_at"],
            )
            for m in marks
        ],
    )


@dataclass(frozen=True, slots=True)
class EarlyWarningRequested(Requested):
    as_of: date | None = None
    recent_weeks: int = 4
    drop_points: float = 10.0
    cursor: str | None = None
    limit: int = 100


def early_warning_request(
    purpose: Purpose,
    agreement: Agreement,
    reason: Reason = None,
    as_of: OptionalDate = None,
    recent_weeks: Annotated[
        int, QueryParameter(description="School weeks in the recent window.", ge=2, le=12)
    ] = 4,
    drop_points: Annotated[
        float, QueryParameter(description="Attendance drop (points) that flags a pupil.", ge=1, le=100)
    ] = 10.0,
    la_code: LaCode = None,
    urn: Urn = None,
    year_group: YearGroup = None,
    fields: Fields = None,
    cursor: Cursor = None,
    limit: Limit = 100,
) -> EarlyWarningRequested:
    return EarlyWarningRequested(
        purpose=purpose,
        agreement=agreement,
        reason=reason,
        resource="early_warning",
        fields=_split_fields(fields),
        level="pupil",
        area=AreaFilter(la_code=la_code, urn=urn, year_group=year_group),
        as_of=as_of,
        recent_weeks=recent_weeks,
        drop_points=drop_points,
        cursor=cursor,
        limit=limit,
    )


@get(
    "/v1/early-warning",
    **governed_route("early_warning.list", requested=early_warning_request),
    summary="Pupils whose attendance is getting worse, with the rule that flagged each",
    tags=["pupils"],
    responses=problem_responses(400, 401, 403, 422, 503),
)
async def early_warning_list(gov: Governed[EarlyWarningRequested]) -> EarlyWarningPage:
    """The last `recent_weeks` school weeks against the rest of the academic year to date."""
    asked = gov.requested
    after = gov.cursor_position(asked.cursor)
    out_fields = released_fields(gov.obligations, asked.fields)
    end = asked.as_of or await latest_marked_day(gov.conn, gov.scope) or datetime.now(UTC).date()
    window = WarningWindow(period_start=academic_year_start(end), as_of=end, recent_weeks=asked.recent_weeks)
    page = await EarlyWarningQuery(
        window=window,
        scope=gov.scope,
        fields=tuple(out_fields),
        drop_points=asked.drop_points,
        after=after,
        limit=asked.limit,
    ).fetch(gov.conn)
    released, subjects = release_pupil_rows(page.rows, gov.obligations, out_fields, _pseudonymiser(gov), end)
    rows = [
        FlaggedPupil(
            pupil=pupil,
            rules=raw["_rules"],
            recent_attendance_rate=_rate(raw["r_attended"], raw["r_possible"]),
            prior_attendance_rate=_rate(raw["p_attended"], raw["p_possible"]),
        )
        for pupil, raw in zip(released, page.rows, strict=True)
    ]
    return EarlyWarningPage(
        governance=gov.release(len(released), subjects),
        period_start=window.period_start,
        as_of=end,
        recent_weeks=asked.recent_weeks,
        rules={
            k: v.format(recent_weeks=asked.recent_weeks, drop_points=asked.drop_points)
            for k, v in RULE_TEXT.items()
        },
        rows=rows,
        next_cursor=gov.next_cursor(page.next_after),
    )


def _rate(numerator: Any, denominator: Any) -> float | None:
    return round(100.0 * float(numerator) / float(denominator), 1) if denominator else None


ROUTES = [pupils_list, pupil_attendance, early_warning_list]
