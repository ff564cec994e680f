"""Pupil-level access for local-authority safeguarding and attendance teams: lists, casework, early warning."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, get
from litestar.params import PathParameter, QueryParameter
from psycopg import sql
from stdnum.gb import upn as upn_format

from gateway.api.common import (
    Governance,
    decode_cursor,
    encode_cursor,
    governance,
    record_rows,
    services_of,
    validate_area,
    validate_period,
)
from gateway.api.params import (
    Agreement,
    Cursor,
    Fields,
    LaCode,
    Limit,
    OptionalDate,
    Purpose,
    Reason,
    Urn,
    YearGroup,
)
from gateway.api.release import release_pupil_rows, released_fields
from gateway.policy.decision import Decision
from gateway.policy.guard import authorize
from gateway.privacy.pseudonyms import Pseudonymiser
from gateway.problems import ProblemError, problem_responses
from gateway.store.periods import academic_year_start
from gateway.store.pupils import (
    RULE_TEXT,
    Criterion,
    WarningWindow,
    early_warning,
    list_pupils,
    pupil_enrolments,
    session_history,
)
from gateway.store.scope import AreaFilter, scope_predicate


class PupilPage(msgspec.Struct, kw_only=True):
    governance: Governance
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
    date_from: date
    date_to: date
    pupil: dict[str, Any]
    enrolments: list[dict[str, Any]]
    marks: list[Mark]


def _split_fields(fields: str | None) -> list[str]:
    return [f.strip() for f in fields.split(",") if f.strip()] if fields else []


def _default_period(date_from: date | None, date_to: date | None) -> tuple[date, date]:
    end = date_to or datetime.now(UTC).date()
    return (date_from or academic_year_start(end), end)


def _pupil_resource(kind: str, fields: list[str], **extra: Any) -> dict[str, Any]:
    # The guard fills the request document's other keys and writes dates as ISO strings.
    return {"resource": kind, "fields": fields, "level": "pupil", **extra}


def _pseudonymiser(request: Request[Any, Any, Any]) -> Pseudonymiser:
    return Pseudonymiser(services_of(request).keyring)


def _check_upn(upn: str) -> str:
    try:
        return str(upn_format.validate(upn))
    except Exception as exc:  # stdnum raises several ValidationError subclasses
        raise ProblemError(
            422,
            "invalid-upn",
            "The pupil reference is not a valid UPN (13 characters with a correct check letter).",
            errors=[{"field": "upn", "message": type(exc).__name__}],
        ) from exc


@get(
    "/v1/pupils",
    opt={"policy_action": "pupils.list"},
    summary="Pupils in your area with persistent, severe or high absence, or 10+ unauthorised sessions in 10 weeks",
    tags=["pupils"],
    security=[{"bearer": []}],
    responses=problem_responses(400, 401, 403, 422, 503),
)
async def pupils_list(
    request: Request[Any, Any, Any],
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
        QueryParameter(description="With criterion=rate: absence rate (%) at or above.", ge=0, le=100),
    ] = None,
    date_from: OptionalDate = None,
    date_to: OptionalDate = None,
    la_code: LaCode = None,
    urn: Urn = None,
    year_group: YearGroup = None,
    fields: Fields = None,
    cursor: Cursor = None,
    limit: Limit = 100,
) -> PupilPage:
    """Named pupils in the caller's own local authority only; a reason for access is required and recorded."""
    services = services_of(request)
    start, end = _default_period(date_from, date_to)
    period = validate_period(start, end, services.settings)
    if criterion == "rate" and min_rate is None:
        raise ProblemError(
            422,
            "missing-parameter",
            "criterion=rate needs min_rate (an absence rate in %).",
            errors=[{"field": "min_rate", "message": "required with criterion=rate"}],
        )
    after = decode_cursor(cursor)
    requested = _split_fields(fields)
    decision = await authorize(
        request,
        action="pupils.list",
        purpose=purpose,
        agreement=agreement,
        reason=reason,
        resource=_pupil_resource(
            "pupil_list", requested, la_code=la_code, urn=urn, date_from=start, date_to=end
        ),
    )
    area = AreaFilter(la_code=la_code, urn=urn, year_group=year_group)
    out_fields = released_fields(decision.obligations, requested)
    async with services.pool.connection() as conn:
        await validate_area(conn, area)
        page = await list_pupils(
            conn,
            criterion=criterion,
            min_rate=min_rate,
            period=period,
            row_filter=decision.obligations.row_filter,
            area=area,
            fields=out_fields,
            after=after,
            limit=limit,
        )
    rows, subjects = release_pupil_rows(
        page.rows, decision.obligations, out_fields, _pseudonymiser(request), end
    )
    record_rows(request, len(rows), subjects)
    return PupilPage(
        governance=governance(request, decision),
        date_from=start,
        date_to=end,
        criterion=criterion,
        fields=out_fields,
        rows=rows,
        next_cursor=encode_cursor(page.next_after) if page.next_after is not None else None,
    )


@get(
    "/v1/pupils/{upn:str}/attendance",
    opt={"policy_action": "pupils.attendance"},
    summary="One pupil's session history for casework (pupils on roll in your area only)",
    tags=["pupils"],
    security=[{"bearer": []}],
    responses=problem_responses(400, 401, 403, 404, 422, 503),
)
async def pupil_attendance(
    request: Request[Any, Any, Any],
    upn: Annotated[str, PathParameter(description="The pupil's UPN.", min_length=13, max_length=13)],
    purpose: Purpose,
    agreement: Agreement,
    reason: Reason = None,
    date_from: OptionalDate = None,
    date_to: OptionalDate = None,
    fields: Fields = None,
) -> PupilHistory:
    """Every mark of the pupil's enrolments in the caller's scope over the period."""
    services = services_of(request)
    clean = _check_upn(upn)
    start, end = _default_period(date_from, date_to)
    period = validate_period(start, end, services.settings)
    requested = _split_fields(fields)
    decision = await authorize(
        request,
        action="pupils.attendance",
        purpose=purpose,
        agreement=agreement,
        reason=reason,
        resource=_pupil_resource(
            "pupil_record", [*requested, "session_marks"] if requested else [], date_from=start, date_to=end
        ),
    )
    out_fields = [f for f in released_fields(decision.obligations, requested) if f != "session_marks"]
    async with services.pool.connection() as conn:
        enrolments = await pupil_enrolments(
            conn, upn=clean, row_filter=decision.obligations.row_filter, fields=out_fields
        )
        if not enrolments:
            record_rows(request, 0, [clean])
            raise ProblemError(404, "pupil-not-found", "No pupil with this UPN is on roll within your scope.")
        marks = await session_history(
            conn,
            enrolment_ids=[int(e["_enrolment_id"]) for e in enrolments],
            period=period,
            row_filter=decision.obligations.row_filter,
        )
    released, subjects = release_pupil_rows(
        enrolments, decision.obligations, out_fields, _pseudonymiser(request), end
    )
    pupil_keys = {
        "upn",
        "forename",
        "surname",
        "date_of_birth",
        "sex",
        "ethnicity",
        "ethnicity_major",
        "pupil_ref",
    }
    pupil = {k: v for k, v in released[0].items() if k in pupil_keys}
    per_enrolment = [{k: v for k, v in r.items() if k not in pupil_keys} for r in released]
    record_rows(request, len(marks), subjects[:1])
    return PupilHistory(
        governance=governance(request, decision),
        date_from=start,
        date_to=end,
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


@get(
    "/v1/early-warning",
    opt={"policy_action": "early_warning.list"},
    summary="Pupils whose attendance is getting worse, with the rule that flagged each",
    tags=["pupils"],
    security=[{"bearer": []}],
    responses=problem_responses(400, 401, 403, 422, 503),
)
async def early_warning_list(
    request: Request[Any, Any, Any],
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
) -> EarlyWarningPage:
    """The last `recent_weeks` school weeks against the rest of the academic year to date."""
    services = services_of(request)
    after = decode_cursor(cursor)
    requested = _split_fields(fields)
    decision = await authorize(
        request,
        action="early_warning.list",
        purpose=purpose,
        agreement=agreement,
        reason=reason,
        resource=_pupil_resource("early_warning", requested, la_code=la_code, urn=urn),
    )
    area = AreaFilter(la_code=la_code, urn=urn, year_group=year_group)
    out_fields = released_fields(decision.obligations, requested)
    async with services.pool.connection() as conn:
        await validate_area(conn, area)
        end = as_of or await _latest_marked_day(conn, decision) or datetime.now(UTC).date()
        window = WarningWindow(period_start=academic_year_start(end), as_of=end, recent_weeks=recent_weeks)
        page = await early_warning(
            conn,
            window=window,
            row_filter=decision.obligations.row_filter,
            area=area,
            fields=out_fields,
            drop_points=drop_points,
            after=after,
            limit=limit,
        )
    released, subjects = release_pupil_rows(
        page.rows, decision.obligations, out_fields, _pseudonymiser(request), end
    )
    record_rows(request, len(released), subjects)
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
        governance=governance(request, decision),
        period_start=window.period_start,
        as_of=end,
        recent_weeks=recent_weeks,
        rules={k: v.format(recent_weeks=recent_weeks, drop_points=drop_points) for k, v in RULE_TEXT.items()},
        rows=rows,
        next_cursor=encode_cursor(page.next_after) if page.next_after is not None else None,
    )


def _rate(numerator: Any, denominator: Any) -> float | None:
    return round(100.0 * float(numerator) / float(denominator), 1) if denominator else None


async def _latest_marked_day(conn: Any, decision: Decision) -> date | None:
    scope = scope_predicate(decision.obligations.row_filter, "ew")
    cur = await conn.execute(
        sql.SQL("SELECT max(ew.week_start) + 4 AS last_day FROM enrolment_week ew WHERE {}").format(
            scope.sql
        ),
        scope.params,
    )
    row = await cur.fetchone()
    return row["last_day"] if row else None


ROUTES = [pupils_list, pupil_attendance, early_warning_list]
