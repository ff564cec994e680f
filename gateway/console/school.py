"""A school lead's pages: attendance (year to date and terms, by code, by pupil group), the benchmark against
its LA, England and similar schools, the weekly trend, and its own pupils. Each table downloads as CSV."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from gateway.api.benchmark import FSM_TOLERANCE, SIZE_TOLERANCE, comparator_series, similar_schools, totals
from gateway.api.publishing import Protected, profile_from, protect_summary
from gateway.api.publishing_groups import own_figures_exact, protect_comparators
from gateway.api.schemas import SummaryRow
from gateway.console.charts import Series, bar_chart, line_chart
from gateway.console.pages import PAGE_BY_KEY, agreement_for
from gateway.console.reads import PeriodProfilesQuery, PeriodSummaryQuery, dates_of, monday_of
from gateway.console.tables import RATE_COLUMNS, Column, Table, code_table, summary_table, summary_values
from gateway.console.views import csv_download, page_view, period_choices, period_label, period_name, resolve
from gateway.edge.governed import Governed, Requested, governed_route
from gateway.edge.guard import principal_of, scope_denied
from gateway.edge.problems import ProblemError
from gateway.edge.release_control import Batch, release_gate
from gateway.services import Services
from gateway.store.aggregates import Breakdown
from gateway.store.named_periods import YTD
from gateway.store.queries import CodeSessionsQuery, school_in_scope
from gateway.store.scope import AreaFilter
from gateway.store.trends import WeeklyComparisonQuery, school_la_code

PeriodParam = Annotated[
    str | None,
    QueryParameter(description="ytd, an academic year or a term (autumn-2025).", max_length=20),
]
Download = Annotated[
    str | None,
    QueryParameter(description="A table's key: answer it as CSV.", max_length=40, pattern=r"^[a-z_-]+$"),
]
BREAKDOWNS: tuple[tuple[Breakdown, str], ...] = (
    ("fsm", "Free school meals"),
    ("sen", "Special educational needs"),
    ("sex", "Sex"),
    ("ethnicity", "Ethnicity (major group)"),
    ("year_group", "Year group"),
)
AGGREGATE_FIELDS = ("aggregate_counts",)


@dataclass(frozen=True, slots=True)
class SchoolPageRequested(Requested):
    period_name: str = YTD
    download: str | None = None


async def _school_request(
    request: Request[Any, Any, Any],
    services: Services,
    key: str,
    resource: str,
    period: str | None,
    download: str | None,
) -> SchoolPageRequested:
    agreement = await agreement_for(request, services, key)
    return SchoolPageRequested(
        purpose=agreement.purposes[0] if agreement else None,
        agreement=agreement.agreement_id if agreement else None,
        resource=resource,
        fields=AGGREGATE_FIELDS,
        level="school",
        area=AreaFilter(urn=principal_of(request).urn),
        period_name=period_name(period),
        download=download,
    )


async def attendance_request(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    period: PeriodParam = None,
    download: Download = None,
) -> SchoolPageRequested:
    return await _school_request(
        request, services, "school-attendance", "attendance_aggregate", period, download
    )


def _school_row(rows: list[SummaryRow]) -> SummaryRow | None:
    return next((r for r in rows if r.level == "school" and r.group is None), None)


async def attendance_tables(
    gov: Governed[SchoolPageRequested],
) -> tuple[list[Table], Any, list[dict[str, Any]]]:
    """The page's tables for the chosen period (with the year to date and each term beside it)."""
    scope, profile = gov.scope, gov.obligations.disclosure_profile
    chosen = await resolve(gov, gov.requested.period_name)
    ytd = chosen if chosen.name == YTD else await resolve(gov, YTD)
    choices = period_choices(ytd.academic_year, ytd.date_to)
    margins = not scope.is_limited
    batches: list[Batch] = []  # everything the page publishes, through the ledger as the API's summary
    periods = Table(
        "periods",
        "Attendance by period",
        (Column("period", "Period", "text"), Column("dates", "Dates", "text"), *RATE_COLUMNS),
    )
    for choice in choices:
        resolved = chosen if choice["value"] == chosen.name else await resolve(gov, choice["value"])
        rows = await gov.read(PeriodSummaryQuery("school", resolved, scope))
        collected: list[Protected] = []
        published, _ = protect_summary(
            rows, None, profile, "school", include_margins=margins, collect=collected
        )
        batches.append(Batch(collected, resolved.date_from, resolved.date_to))
        row = _school_row(published)
        if row is not None:
            periods.rows.append(
                {
                    "period": choice["text"],
                    "dates": f"{resolved.date_from:%d %b %Y} to {resolved.date_to:%d %b %Y}",
                    **summary_values(row),
                }
            )
    rows = await gov.read(PeriodSummaryQuery("school", chosen, scope))
    codes = await gov.read(CodeSessionsQuery("school", dates_of(chosen), scope, None))
    collected = []
    published, disclosure = protect_summary(
        rows, codes, profile, "school", include_margins=margins, collect=collected
    )
    batches.append(Batch(collected, chosen.date_from, chosen.date_to))
    tables = [periods, code_table(_school_row(published), chosen.date_to)]
    for breakdown, label in BREAKDOWNS:
        rows = await gov.read(PeriodSummaryQuery("school", chosen, scope, breakdown))
        collected = []
        grouped, _ = protect_summary(
            rows, None, profile, "school", include_margins=margins, collect=collected
        )
        batches.append(
            Batch(
                collected,
                chosen.date_from,
                chosen.date_to,
                breakdown=breakdown,
                population="enrolments",
                filtered=True,
            )
        )
        tables.append(
            summary_table(
                f"groups-{breakdown}",
                f"Attendance by pupil group: {label.lower()}",
                Column("group", label, "text"),
                [r for r in grouped if r.group is not None],
                lambda r: r.group,
            )
        )
    await release_gate(gov, profile_from(profile), batches)
    return tables, (chosen, disclosure), choices


def _download_or_none(
    gov: Governed[SchoolPageRequested], tables: list[Table], stem: str
) -> Response[Any] | None:
    key = gov.requested.download
    if key is None:
        return None
    table = next((t for t in tables if t.key == key), None)
    if table is None:
        raise ProblemError(404, "no-such-table", f"This page has no table {key!r}.")
    gov.release(len(table.rows))
    return csv_download(f"{stem}-{key}-{gov.requested.period_name}.csv", table.header(), table.values())


@get("/school/attendance", **governed_route("attendance.summary", requested=attendance_request))
async def school_attendance(
    request: Request[Any, Any, Any], gov: Governed[SchoolPageRequested]
) -> Response[Any]:
    """Year to date and term attendance, absence by code, persistent and severe absence, pupil groups."""
    tables, (chosen, disclosure), choices = await attendance_tables(gov)
    download = _download_or_none(gov, tables, f"school-{gov.principal.urn}-attendance")
    if download is not None:
        return download
    gov.release(sum(len(t.rows) for t in tables))
    return await page_view(
        request,
        gov,
        "school_attendance.html",
        {
            "title": "Attendance",
            "period": chosen,
            "period_label": period_label(chosen.name),
            "choices": choices,
            "tables": tables,
            "disclosure": disclosure,
            "urn": gov.principal.urn,
        },
        path=PAGE_BY_KEY["school-attendance"].path,
    )


async def benchmark_request(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    period: PeriodParam = None,
    download: Download = None,
) -> SchoolPageRequested:
    return await _school_request(request, services, "school-benchmark", "benchmark", period, download)


@get("/school/benchmark", **governed_route("schools.benchmark", requested=benchmark_request))
async def school_benchmark(
    request: Request[Any, Any, Any], gov: Governed[SchoolPageRequested]
) -> Response[Any]:
    """The school against its LA's other schools, England's and similar schools, others protected."""
    urn = gov.principal.urn
    chosen = await resolve(gov, gov.requested.period_name)
    ytd = chosen if chosen.name == YTD else await resolve(gov, YTD)
    if urn is None or not await school_in_scope(gov.conn, urn, gov.scope):
        raise scope_denied("You may benchmark only your own school.")
    profiles = await gov.read(PeriodProfilesQuery(chosen))
    subject = next((p for p in profiles if p["urn"] == urn), None)
    if subject is None:
        raise ProblemError(404, "no-attendance", f"School {urn} has no attendance in the period.")
    others = [p for p in profiles if p["urn"] != urn]
    groups = [
        totals(
            f"Local authority {subject['la_code']} (other schools)",
            [p for p in others if p["la_code"] == subject["la_code"]],
        ),
        totals("England (other schools)", others),
        totals("Similar schools", similar_schools(profiles, subject)),
    ]
    profile = profile_from(gov.obligations.disclosure_profile)
    own_exact = own_figures_exact(gov.principal, urn, int(subject["la_code"]), profile.exact_own_figures)
    collected: list[Protected] = []
    school, comparators, disclosure = protect_comparators(
        totals(f"This school ({urn})", [subject]), groups, gov.obligations.disclosure_profile,
        own_exact=own_exact, collect=collected,
    )  # fmt: skip
    series = comparator_series(urn, int(subject["la_code"]), None)
    names = {
        f"This school ({urn})": series["school"],
        groups[0]["name"]: series["la"],
        groups[1]["name"]: series["national"],
        groups[2]["name"]: series["similar"],
    }
    batch = Batch(collected, chosen.date_from, chosen.date_to, area_of=lambda path: names[path[0]])
    await release_gate(gov, profile, [batch])
    columns = (
        Column("name", "Compared with", "text"),
        Column("schools", "Schools", "count"),
        Column("enrolments", "Enrolments", "count"),
        Column("attendance_rate", "Attendance (%)"),
        Column("overall_absence_rate", "Overall absence (%)"),
        Column("authorised_absence_rate", "Authorised absence (%)"),
        Column("unauthorised_absence_rate", "Unauthorised absence (%)"),
        Column("persistent_absence_rate", "Persistent absence (%)"),
        Column("severe_absence_rate", "Severe absence (%)"),
    )
    table = Table(
        "benchmark",
        "This school against its local authority, England and similar schools",
        columns,
        [school, *comparators],
    )
    download = _download_or_none(gov, [table], f"school-{urn}-benchmark")
    if download is not None:
        return download
    gov.release(len(table.rows))
    chart = bar_chart(
        "benchmark-chart",
        "Attendance: this school and its comparators",
        "Attendance rate (%) of this school, its local authority's other schools, England's other schools and "
        "similar schools; the same figures are in the table.",
        [
            (str(r["name"]), r["attendance_rate"] if isinstance(r["attendance_rate"], float) else None)
            for r in table.rows
        ],
    )
    return await page_view(
        request,
        gov,
        "school_benchmark.html",
        {
            "title": "Benchmark",
            "period": chosen,
            "period_label": period_label(chosen.name),
            "choices": period_choices(ytd.academic_year, ytd.date_to),
            "table": table,
            "chart": chart,
            "disclosure": disclosure,
            "rule": (
                f"Similar schools: the same phase ({subject['phase']}), enrolments within "
                f"{int(SIZE_TOLERANCE * 100)}% and a free school meals share within {FSM_TOLERANCE:g} "
                "percentage points of this school's."
            ),
        },
        path=PAGE_BY_KEY["school-benchmark"].path,
    )


async def trend_request(
    request: Request[Any, Any, Any], services: NamedDependency[Services], download: Download = None
) -> SchoolPageRequested:
    return await _school_request(request, services, "school-trend", "benchmark", None, download)


def _weekly_group(name: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "schools": sum(int(r["schools"]) for r in rows)}
    for m in (
        "enrolments",
        "possible_sessions",
        "attendance_sessions",
        "authorised_sessions",
        "unauthorised_sessions",
    ):
        out[m] = sum(int(r[m]) for r in rows)
    out["persistent_absentees"] = out["severe_absentees"] = 0  # not a weekly measure: never shown
    return out


@get("/school/trend", **governed_route("schools.trend", requested=trend_request))
async def school_trend(request: Request[Any, Any, Any], gov: Governed[SchoolPageRequested]) -> Response[Any]:
    """Weekly attendance this academic year: the school, its LA's other schools and England's other schools."""
    urn = gov.principal.urn
    if urn is None or not await school_in_scope(gov.conn, urn, gov.scope):
        raise scope_denied("You may see the trend of your own school only.")
    la_code = await school_la_code(gov.conn, urn)
    ytd = await resolve(gov, YTD)
    if la_code is None:
        raise ProblemError(404, "no-attendance", f"School {urn} is not known.")
    rows = await gov.read(
        WeeklyComparisonQuery(urn, la_code, monday_of(ytd.date_from), monday_of(ytd.date_to))
    )
    weeks = sorted({r["week_start"] for r in rows})
    table = Table(
        "weekly",
        "Weekly attendance (%): this school, its local authority's other schools and England's other schools",
        (
            Column("week", "Week beginning", "text"),
            Column("school", "This school (%)"),
            Column("la", f"Local authority {la_code} other schools (%)"),
            Column("england", "England other schools (%)"),
        ),
    )
    profile = profile_from(gov.obligations.disclosure_profile)
    own_exact = own_figures_exact(gov.principal, urn, la_code, profile.exact_own_figures)
    series = comparator_series(urn, la_code, None)
    names = {"school": series["school"], "la": series["la"], "england": series["national"]}
    batches: list[Batch] = []
    disclosure = None
    for week in weeks:
        of_week = [r for r in rows if r["week_start"] == week]
        own = [r for r in of_week if r["grp"] == "school"]
        la = [r for r in of_week if r["grp"] == "la_others"]
        england = [r for r in of_week if r["grp"] != "school"]
        collected: list[Protected] = []
        school, (la_fig, england_fig), disclosure = protect_comparators(
            _weekly_group("school", own), [_weekly_group("la", la), _weekly_group("england", england)],
            gov.obligations.disclosure_profile, own_exact=own_exact, collect=collected,
        )  # fmt: skip
        # Only the weekly rates are shown, each guarded by its group's pupils (the weekly groups carry no
        # persistent or severe counts): the pupils are what the ledger records.
        batches.append(
            Batch(
                collected,
                week,
                week + timedelta(days=6),
                area_of=lambda path: names[path[0]],
                shown=frozenset({"pupils"}),
            )
        )
        table.rows.append(
            {
                "week": f"{week:%d %b %Y}",
                "school": school["attendance_rate"] if own else "x",
                "la": la_fig["attendance_rate"],
                "england": england_fig["attendance_rate"],
            }
        )
    await release_gate(gov, profile, batches)
    download = _download_or_none(gov, [table], f"school-{urn}-trend")
    if download is not None:
        return download
    gov.release(len(table.rows))

    def numbers(key: str) -> tuple[float | None, ...]:
        return tuple(v if isinstance(v, float) else None for v in (r[key] for r in table.rows))

    chart = line_chart(
        "trend-chart",
        "Weekly attendance this academic year",
        "Attendance rate (%) by school week for this school, its local authority's other schools and England's "
        "other schools; withheld weeks are gaps. The same figures are in the table.",
        [f"{w:%d %b}" for w in weeks],
        [
            Series("This school", numbers("school")),
            Series(f"LA {la_code} other schools", numbers("la")),
            Series("England other schools", numbers("england")),
        ],
        label_every=max(1, len(weeks) // 8),
    )
    return await page_view(
        request,
        gov,
        "school_trend.html",
        {"title": "Weekly trend", "period": ytd, "table": table, "chart": chart, "disclosure": disclosure},
        path=PAGE_BY_KEY["school-trend"].path,
    )


SCHOOL_ROUTES = [school_attendance, school_benchmark, school_trend]
