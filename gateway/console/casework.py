"""Pupil-level pages shared by schools and LAs: a school's own pupils, and one pupil's sessions as a calendar."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Final, Literal

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from gateway.api.params import Cursor
from gateway.api.release import release_pupil_rows, released_fields
from gateway.console.calendar_view import WEEKDAYS, attendance_of, codes_seen, session_calendar
from gateway.console.la import (
    CRITERIA,
    LIST_FIELDS,
    PAGE_SIZE,
    LaForm,
    carry_forward,
    officer_request,
    pseudonymiser_of,
)
from gateway.console.pages import PAGE_BY_KEY, agreement_for
from gateway.console.reads import PeriodPupilListQuery, dates_of
from gateway.console.views import csv_download, page_view, resolve
from gateway.edge.governed import Governed, Requested, governed_route
from gateway.edge.guard import principal_of
from gateway.edge.problems import ProblemError
from gateway.services import Services
from gateway.store.named_periods import YTD
from gateway.store.queries import PupilRecordQuery
from gateway.store.scope import AreaFilter
from gateway.store.upn import upn_problem

CALENDAR_FIELDS: Final = (
    "upn", "forename", "surname", "date_of_birth", "year_group", "urn", "school_name", "admission_date",
    "leaving_date", "session_marks",
)  # fmt: skip
PUPIL_KEYS: Final = ("upn", "forename", "surname", "date_of_birth")


@dataclass(frozen=True, slots=True)
class SchoolPupilsRequested(Requested):
    criterion: Literal["persistent", "severe", "unauthorised_10_in_10"] = "persistent"
    cursor: str | None = None
    download: bool = False


async def school_pupils_request(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    criterion: Annotated[
        Literal["persistent", "severe", "unauthorised_10_in_10"], QueryParameter(description="Which list.")
    ] = "persistent",
    cursor: Cursor = None,
    download: Annotated[bool, QueryParameter(description="Answer as CSV.")] = False,
) -> SchoolPupilsRequested:
    agreement = await agreement_for(request, services, "school-pupils")
    return SchoolPupilsRequested(
        purpose=agreement.purposes[0] if agreement else None,
        agreement=agreement.agreement_id if agreement else None,
        resource="pupil_list",
        fields=LIST_FIELDS,
        level="pupil",
        area=AreaFilter(urn=principal_of(request).urn),
        criterion=criterion,
        cursor=cursor,
        download=download,
    )


@get("/school/pupils", **governed_route("pupils.list", requested=school_pupils_request))
async def school_pupils(
    request: Request[Any, Any, Any], gov: Governed[SchoolPupilsRequested]
) -> Response[Any]:
    """The school's own persistently or severely absent pupils, or those with 10+ unauthorised in 10 weeks."""
    asked = gov.requested
    ytd = await resolve(gov, YTD)
    fields = released_fields(gov.obligations, LIST_FIELDS)
    after = gov.cursor_position(asked.cursor)
    limit = 5000 if asked.download else PAGE_SIZE
    page = await PeriodPupilListQuery(asked.criterion, ytd, gov.scope, tuple(fields), after, limit).fetch(
        gov.conn
    )
    released, subjects = release_pupil_rows(
        page.rows, gov.obligations, fields, pseudonymiser_of(gov), ytd.date_to
    )
    gov.release(len(released), subjects)
    if asked.download:
        return csv_download(
            f"school-{gov.principal.urn}-{asked.criterion}.csv",
            fields,
            [[r.get(f) for f in fields] for r in released],
        )
    return await page_view(
        request,
        gov,
        "pupil_list.html",
        {
            "title": CRITERIA[asked.criterion],
            "period": ytd,
            "rows": released,
            "fields": fields,
            "next_cursor": gov.next_cursor(page.next_after),
            "list_action": "/console/school/pupils",
            "form": asked,
            "criteria": CRITERIA,
            "carry": None,
            "download": f"/console/school/pupils?criterion={asked.criterion}&download=true",
        },
        path=PAGE_BY_KEY["school-pupils"].path,
    )


async def calendar_request(request: Request[Any, Any, Any], services: NamedDependency[Services]) -> Requested:
    requested = await officer_request(request, services, "pupil-calendar", "pupil_record", CALENDAR_FIELDS)
    upn = (requested.form.upn or "").strip().upper()
    problem = upn_problem(upn)
    if problem is not None:
        raise ProblemError(
            422,
            "invalid-upn",
            "The pupil reference is not a valid UPN (13 characters with a correct check letter).",
            errors=[{"field": "upn", "message": problem}],
        )
    return requested


@post(PAGE_BY_KEY["pupil-calendar"].path.removeprefix("/console"), status_code=200,
      **governed_route("pupils.attendance", requested=calendar_request))  # fmt: skip
async def pupil_calendar(request: Request[Any, Any, Any], gov: Governed[Any]) -> Response[Any]:
    """One pupil's casework history this academic year: every session's mark, as a calendar."""
    form: LaForm = gov.requested.form
    upn = (form.upn or "").strip().upper()
    ytd = await resolve(gov, YTD)
    fields = [f for f in released_fields(gov.obligations, CALENDAR_FIELDS) if f != "session_marks"]
    record = PupilRecordQuery(upn=upn, period=dates_of(ytd), scope=gov.scope, fields=tuple(fields))
    enrolments = await record.enrolments(gov.conn)
    if not enrolments:
        gov.release(0, [upn])
        raise ProblemError(404, "pupil-not-found", "No pupil with this UPN is on roll within your scope.")
    marks = await record.marks(gov.conn, [int(e["_enrolment_id"]) for e in enrolments])
    released, subjects = release_pupil_rows(
        enrolments, gov.obligations, fields, pseudonymiser_of(gov), ytd.date_to
    )
    gov.release(len(marks), subjects[:1])
    pupil = {k: released[0].get(k) for k in PUPIL_KEYS if k in released[0]}
    carry = carry_forward(gov) if gov.principal.organisation_type == "la" else {"carry": None, "form": form}
    return await page_view(
        request,
        gov,
        "calendar.html",
        {
            "title": "Attendance record",
            "pupil": pupil,
            "enrolments": released,
            "months": session_calendar(marks, ytd.date_from, ytd.date_to),
            "weekdays": WEEKDAYS,
            "summary": attendance_of(marks),
            "codes": codes_seen(marks),
            "period": ytd,
            **carry,
        },
        path=PAGE_BY_KEY["pupil-calendar"].path,
    )


CASEWORK_ROUTES = [school_pupils, pupil_calendar]
