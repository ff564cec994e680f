"""A local authority officer's pages: the schools in the LA with their rates, the pupil lists (persistent,
severe, 10+ unauthorised sessions in 10 weeks) and early warning, each behind the reason prompt.

The LA agreements require a reason for every request, so every view is a form post (CSRF-checked) carrying
the officer's purpose and reason; neither ever appears in a URL. The LA is always the officer's own: no
form field or query parameter names an area.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any, Final, Literal

import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency

from gateway.api.params import CURSOR_PATTERN, IDENTIFIER_PATTERN, TEXT_PATTERN
from gateway.api.publishing import Protected, profile_from, protect_summary
from gateway.api.release import release_pupil_rows, released_fields
from gateway.console.charts import bar_chart
from gateway.console.errors import PROMPT_STATE_KEY
from gateway.console.middleware import session_of
from gateway.console.pages import HELD, PAGE_BY_KEY, agreement_for, navigation
from gateway.console.reads import PeriodPupilListQuery, PeriodSummaryQuery
from gateway.console.tables import RATE_COLUMNS, Column, Table, sorted_rows, summary_values
from gateway.console.views import csv_download, page_view, period_choices, period_label, period_name, resolve
from gateway.edge.governed import Governed, GovernedRequest, Requested, governed_route
from gateway.edge.guard import principal_of, scope_denied
from gateway.edge.problems import ProblemError
from gateway.edge.release_control import Batch, release_gate
from gateway.privacy.pseudonyms import Pseudonymiser
from gateway.services import Services
from gateway.store.named_periods import YTD
from gateway.store.periods import academic_year_start
from gateway.store.pupils import RULE_TEXT, Criterion, WarningWindow
from gateway.store.queries import EarlyWarningQuery, latest_marked_day
from gateway.store.scope import AreaFilter

START: Final = PAGE_BY_KEY["la-start"].path
CRITERIA: Final[dict[str, str]] = {
    "persistent": "Persistently absent pupils (10% or more of sessions missed)",
    "severe": "Severely absent pupils (50% or more of sessions missed)",
    "unauthorised_10_in_10": "Pupils with 10 or more unauthorised sessions in any 10 school weeks",
}
VIEWS: Final = (
    ("/console/la/schools", "", "Schools in the local authority"),
    *(("/console/la/pupils", key, text) for key, text in CRITERIA.items()),
    ("/console/la/early-warning", "", "Early warning: pupils whose attendance is getting worse"),
)
LIST_FIELDS: Final = (
    "upn", "forename", "surname", "year_group", "school_name", "possible_sessions", "absence_rate",
    "unauthorised_sessions",
)  # fmt: skip
WARNING_FIELDS: Final = ("upn", "forename", "surname", "year_group", "school_name")
PAGE_SIZE: Final = 50
SCHOOL_COLUMNS: Final = (
    Column("school", "School", "text"),
    Column("urn", "URN", "text"),
    *(
        c
        for c in RATE_COLUMNS
        if c.key not in ("authorised_absence_rate", "persistent_absentees", "severe_absentees")
    ),
)
SORTABLE: Final = frozenset(c.key for c in SCHOOL_COLUMNS)


class LaForm(msgspec.Struct, kw_only=True):
    """What an LA view posts: the CSRF token, the officer's purpose and reason, and the view's options."""

    csrf_token: str = ""
    purpose: Annotated[str, msgspec.Meta(max_length=100, pattern=IDENTIFIER_PATTERN)] | None = None
    reason: Annotated[str, msgspec.Meta(max_length=500, pattern=TEXT_PATTERN)] = ""
    criterion: Literal["persistent", "severe", "unauthorised_10_in_10"] = "persistent"
    period: Annotated[str, msgspec.Meta(max_length=20)] = YTD
    sort: Annotated[str, msgspec.Meta(max_length=60, pattern=r"^[a-z_]+:(asc|desc)$")] = "attendance_rate:asc"
    cursor: Annotated[str, msgspec.Meta(max_length=200, pattern=CURSOR_PATTERN)] | None = None
    download: bool = False
    upn: Annotated[str, msgspec.Meta(max_length=20, pattern=r"^[A-Za-z0-9 ]*$")] | None = None


async def posted_form(request: Request[Any, Any, Any]) -> LaForm:
    """The posted form (already read by the CSRF guard), validated as strictly as query parameters are.
    Read by hand: Litestar cannot pass `data` through the governed prologue's nested dependencies."""
    form = await request.form()
    fields = {k: v for k, v in form.items() if k in LaForm.__struct_fields__ and isinstance(v, str) and v}
    try:
        return msgspec.convert(fields, LaForm, strict=False)
    except msgspec.ValidationError as exc:
        raise ProblemError(
            400,
            "invalid-request",
            f"Invalid request parameters: {exc}",
            title="Invalid request",
            errors=[{"message": str(exc)}],
        ) from exc


@dataclass(frozen=True, slots=True)
class LaRequested(Requested):
    form: LaForm = field(default_factory=LaForm)


def _prompt_context(
    request: Request[Any, Any, Any], services: Services, held: Any, form: LaForm, purposes: tuple[str, ...]
) -> dict[str, Any]:
    session = session_of(request.scope)
    return {
        "title": "Why do you need to see this?",
        "navigation": navigation(held, START),
        "csrf_token": services.console.keys.csrf_token(session.session_id) if session else "",
        "purposes": purposes,
        "form": form,
        "views": VIEWS,
    }


async def officer_request(
    request: Request[Any, Any, Any], services: Services, key: str, resource: str, fields: tuple[str, ...]
) -> LaRequested:
    """The officer's own agreement and LA; the reason as typed (the policy decides whether it will do).
    The prompt is kept on the request so a missing reason re-renders it with the policy's message."""
    form = await posted_form(request)
    agreement = await agreement_for(request, services, key)
    purposes = agreement.purposes if agreement else ()
    held = await HELD.of(services, principal_of(request))
    request.scope.setdefault("state", {})[PROMPT_STATE_KEY] = (
        "la_start.html",
        _prompt_context(request, services, held, form, purposes),
    )
    return LaRequested(
        purpose=form.purpose or (purposes[0] if purposes else None),
        agreement=agreement.agreement_id if agreement else None,
        reason=form.reason.strip() or None,
        resource=resource,
        fields=fields,
        level="school" if resource == "attendance_aggregate" else "pupil",
        area=AreaFilter(la_code=principal_of(request).la_code),
        form=form,
    )


async def start_request(request: Request[Any, Any, Any]) -> Requested:
    return Requested()


@get(START.removeprefix("/console"), **governed_route("decisions.explain", requested=start_request))
async def la_start(request: Request[Any, Any, Any], gov: Governed[Requested]) -> Response[str]:
    """The reason prompt: nothing about a pupil or school is shown before the officer says why."""
    agreement = await agreement_for(request, gov.services, "la-start")
    if agreement is None:  # the policy says this principal holds no LA agreement: no prompt to show either
        raise scope_denied("None of your agreements lets you see a local authority's schools or pupils.")
    gov.release(0)
    held = await HELD.of(gov.services, gov.principal)
    context = _prompt_context(request, gov.services, held, LaForm(), agreement.purposes)
    return await page_view(request, gov, "la_start.html", context, path=START)


def carry_forward(gov: GovernedRequest[LaRequested]) -> dict[str, Any]:
    """What every LA result page carries forward to the next view: the purpose and reason as given."""
    form = gov.requested.form
    return {
        "carry": {"purpose": gov.requested.purpose or "", "reason": form.reason},
        "views": VIEWS,
        "form": form,
    }


async def schools_request(
    request: Request[Any, Any, Any], services: NamedDependency[Services]
) -> LaRequested:
    return await officer_request(
        request, services, "la-schools", "attendance_aggregate", ("aggregate_counts",)
    )


@post("/la/schools", status_code=200, **governed_route("attendance.summary", requested=schools_request))
async def la_schools(request: Request[Any, Any, Any], gov: Governed[LaRequested]) -> Response[Any]:
    """Every school in the officer's LA with its rates: a table sortable by any column, and a chart."""
    form = gov.requested.form
    chosen = await resolve(gov, period_name(form.period))
    ytd = chosen if chosen.name == YTD else await resolve(gov, YTD)
    profile = gov.obligations.disclosure_profile
    rows = await gov.read(PeriodSummaryQuery("school", chosen, gov.scope))
    collected: list[Protected] = []
    published, disclosure = protect_summary(
        rows, None, profile, "school", include_margins=False, collect=collected
    )
    la_rows = await gov.read(PeriodSummaryQuery("la", chosen, gov.scope))
    la_total, _ = protect_summary(la_rows, None, profile, "la", include_margins=False, collect=collected)
    # As the API's summary: the minimum population and the release ledger (the casework profile keeps
    # neither today; a profile that does applies here as there).
    await release_gate(gov, profile_from(profile), [Batch(collected, chosen.date_from, chosen.date_to)])
    key, _, order = form.sort.partition(":")
    key = key if key in SORTABLE else "attendance_rate"
    table = Table("schools", "Schools in the local authority", SCHOOL_COLUMNS)
    table.rows.extend(
        {"school": r.area_name, "urn": r.area_id, **summary_values(r)} for r in published if r.group is None
    )
    table.rows[:] = sorted_rows(table.rows, key, order == "desc", "urn")
    if form.download:
        gov.release(len(table.rows))
        return csv_download(
            f"la-{gov.principal.la_code}-schools-{chosen.name}.csv", table.header(), table.values()
        )
    gov.release(len(table.rows) + len(la_total))
    chart = bar_chart(
        "schools-chart",
        "Attendance rate of each school",
        "Attendance rate (%) of each school in the local authority, in the table's order; the same figures "
        "are in the table.",
        [
            (str(r["school"]), r["attendance_rate"] if isinstance(r["attendance_rate"], float) else None)
            for r in table.rows
        ],
    )
    total = next((summary_values(r) for r in la_total if r.group is None), None)
    return await page_view(
        request,
        gov,
        "la_schools.html",
        {
            "title": "Schools in the local authority",
            "period": chosen,
            "period_label": period_label(chosen.name),
            "choices": period_choices(ytd.academic_year, ytd.date_to),
            "table": table,
            "total": total,
            "total_columns": RATE_COLUMNS,
            "chart": chart,
            "disclosure": disclosure,
            "sortable": {"key": key, "descending": order == "desc", "form": "sort-form"},
            **carry_forward(gov),
        },
        path=PAGE_BY_KEY["la-schools"].path,
    )


async def pupils_request(request: Request[Any, Any, Any], services: NamedDependency[Services]) -> LaRequested:
    return await officer_request(request, services, "la-pupils", "pupil_list", LIST_FIELDS)


def pseudonymiser_of(gov: GovernedRequest[Any]) -> Pseudonymiser:
    return Pseudonymiser(gov.services.keyring)


@post("/la/pupils", status_code=200, **governed_route("pupils.list", requested=pupils_request))
async def la_pupils(request: Request[Any, Any, Any], gov: Governed[LaRequested]) -> Response[Any]:
    """One of the three lists, for the year to date: named pupils of the officer's own LA only."""
    form = gov.requested.form
    ytd = await resolve(gov, YTD)
    after = gov.cursor_position(form.cursor)
    fields = released_fields(gov.obligations, LIST_FIELDS)
    criterion: Criterion = form.criterion
    page = await PeriodPupilListQuery(criterion, ytd, gov.scope, tuple(fields), after, PAGE_SIZE).fetch(
        gov.conn
    )
    released, subjects = release_pupil_rows(
        page.rows, gov.obligations, fields, pseudonymiser_of(gov), ytd.date_to
    )
    gov.release(len(released), subjects)
    return await page_view(
        request,
        gov,
        "pupil_list.html",
        {
            "title": CRITERIA[criterion],
            "period": ytd,
            "rows": released,
            "fields": fields,
            "next_cursor": gov.next_cursor(page.next_after),
            "list_action": "/console/la/pupils",
            **carry_forward(gov),
        },
        path=PAGE_BY_KEY["la-pupils"].path,
    )


async def early_warning_request(
    request: Request[Any, Any, Any], services: NamedDependency[Services]
) -> LaRequested:
    return await officer_request(request, services, "la-early-warning", "early_warning", WARNING_FIELDS)


@post(
    "/la/early-warning",
    status_code=200,
    **governed_route("early_warning.list", requested=early_warning_request),
)
async def la_early_warning(request: Request[Any, Any, Any], gov: Governed[LaRequested]) -> Response[Any]:
    """Pupils flagged by the early-warning rules, with the rule that flagged each one."""
    form = gov.requested.form
    after = gov.cursor_position(form.cursor)
    fields = released_fields(gov.obligations, WARNING_FIELDS)
    end = await latest_marked_day(gov.conn, gov.scope) or datetime.now(UTC).date()
    window = WarningWindow(period_start=academic_year_start(end), as_of=end)
    page = await EarlyWarningQuery(window, gov.scope, tuple(fields), 10.0, after, PAGE_SIZE).fetch(gov.conn)
    released, subjects = release_pupil_rows(page.rows, gov.obligations, fields, pseudonymiser_of(gov), end)
    rules = {k: v.format(recent_weeks=window.recent_weeks, drop_points=10) for k, v in RULE_TEXT.items()}
    flagged = [
        {
            "pupil": pupil,
            "rules": [rules[name] for name in raw["_rules"]],
            "recent": _rate(raw["r_attended"], raw["r_possible"]),
            "prior": _rate(raw["p_attended"], raw["p_possible"]),
        }
        for pupil, raw in zip(released, page.rows, strict=True)
    ]
    gov.release(len(released), subjects)
    return await page_view(
        request,
        gov,
        "early_warning.html",
        {
            "title": "Early warning",
            "window": window,
            "rows": flagged,
            "fields": fields,
            "rules": rules,
            "next_cursor": gov.next_cursor(page.next_after),
            **carry_forward(gov),
        },
        path=PAGE_BY_KEY["la-early-warning"].path,
    )


def _rate(numerator: Any, denominator: Any) -> float | None:
    return round(100.0 * float(numerator) / float(denominator), 1) if denominator else None


LA_ROUTES = [la_start, la_schools, la_pupils, la_early_warning]
