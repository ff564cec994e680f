"""A school against its LA, England and similar schools, with others' figures disclosure-controlled."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Request, Response, get
from litestar.params import PathParameter, QueryParameter

from gateway.api.benchmark_schemas import (
    FIGURES_MEASURES,
    BenchmarkResponse,
    Figures,
    NumericBenchmarkResponse,
    NumericFigures,
    numeric_benchmark,
)
from gateway.api.measures import DEPRECATION_HEADERS, Measures, MeasureShape
from gateway.api.openapi_docs import ALSO_MEDIA_TYPES
from gateway.api.params import Agreement, NamedPeriod, PeriodFrom, PeriodTo, Purpose, Reason
from gateway.api.publishing import Protected, profile_from
from gateway.api.publishing_groups import own_figures_exact, protect_comparators
from gateway.api.schemas import period_measured
from gateway.api.tables_csv import BENCHMARK_CSV_EXAMPLE, Format, answer_as, benchmark_csv
from gateway.api.tables_parquet import PARQUET_MEDIA_TYPE
from gateway.edge.governed import Governed, Requested, governed_route
from gateway.edge.guard import scope_denied
from gateway.edge.problems import ProblemError, problem_responses
from gateway.edge.release_control import Batch, release_gate
from gateway.edge.validation import choose_period
from gateway.privacy.releases import series_area
from gateway.store.queries import SchoolProfilesQuery, school_in_scope
from gateway.store.scope import AreaFilter

# The answer's structs live in benchmark_schemas (the table formats read them); named here as before.
__all__ = [
    "FIGURES_MEASURES",
    "ROUTES",
    "BenchmarkResponse",
    "Figures",
    "NumericBenchmarkResponse",
    "NumericFigures",
    "numeric_benchmark",
    "school_benchmark",
]

SIZE_TOLERANCE = 0.30  # similar schools: enrolments within 30% of this school's
FSM_TOLERANCE = 5.0  # and FSM share within 5 percentage points
MEASURES = (
    "enrolments", "possible_sessions", "attendance_sessions", "authorised_sessions", "unauthorised_sessions",
    "persistent_absentees", "severe_absentees",
)  # fmt: skip


BenchmarkFormat = Annotated[
    Format | None,
    QueryParameter(
        description=(
            "json (default), csv: tidy CSV, one row per group x measure (as Accept: text/csv), or parquet:"
            " typed columns, one row per group (as Accept: application/vnd.apache.parquet); see the operation"
        )
    ),
]


@dataclass(frozen=True, slots=True)
class BenchmarkRequested(Requested):
    output: Format | None = None
    measures: MeasureShape | None = None


def similar_schools(profiles: list[dict[str, Any]], subject: dict[str, Any]) -> list[dict[str, Any]]:
    """Same phase, similar size and FSM share; never the school itself."""
    size = subject["enrolments"]
    fsm_share = 100.0 * subject["fsm_enrolments"] / size if size else 0.0
    chosen = []
    for p in profiles:
        if p["urn"] == subject["urn"] or p["phase"] != subject["phase"] or not p["enrolments"]:
            continue
        share = 100.0 * p["fsm_enrolments"] / p["enrolments"]
        if abs(p["enrolments"] - size) <= SIZE_TOLERANCE * size and abs(share - fsm_share) <= FSM_TOLERANCE:
            chosen.append(p)
    return chosen


def totals(name: str, group: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "schools": len(group)}
    for m in MEASURES:
        out[m] = sum(int(p[m]) for p in group)
    return out


def comparator_series(urn: int, la_code: int, trust_id: int | None) -> dict[str, str]:
    """The ledger series of a benchmark's groups, by what each group is (API and console alike)."""
    return {
        "school": series_area("school", urn),
        "la": series_area("la", la_code, others_than=urn),
        "trust": series_area("trust", trust_id, others_than=urn),
        "national": series_area("national", others_than=urn),
        "similar": series_area("similar", urn),
    }


def benchmark_request(
    urn: Annotated[int, PathParameter(description="The school's URN.", ge=100000, le=999999)],
    purpose: Purpose,
    agreement: Agreement,
    period: NamedPeriod = None,
    date_from: PeriodFrom = None,
    date_to: PeriodTo = None,
    reason: Reason = None,
    format: BenchmarkFormat = None,
    measures: Measures = None,
) -> BenchmarkRequested:
    return BenchmarkRequested(
        purpose=purpose,
        agreement=agreement,
        reason=reason,
        resource="benchmark",
        fields=("aggregate_counts",),
        level="school",
        area=AreaFilter(urn=urn),
        period_name=choose_period(period, date_from, date_to),
        date_from=date_from,
        date_to=date_to,
        output=format,
        measures=measures,
    )


@get(
    "/v1/schools/{urn:int}/benchmark",
    **governed_route(
        "schools.benchmark",
        requested=benchmark_request,
        opt={ALSO_MEDIA_TYPES: {"text/csv": BENCHMARK_CSV_EXAMPLE, PARQUET_MEDIA_TYPE: None}},
    ),
    summary="Benchmark a school against its local authority, England and similar schools",
    tags=["schools"],
    responses=problem_responses(400, 401, 403, 404, 422, 503),
    response_headers=DEPRECATION_HEADERS,
)
async def school_benchmark(
    request: Request[Any, Any, Any], gov: Governed[BenchmarkRequested]
) -> Response[NumericBenchmarkResponse | BenchmarkResponse]:
    """The school's own figures: exact for the holders the profile's `exact_own_figures` names (the school
    itself), through the caller's disclosure profile for anyone else; comparators are aggregates of other schools, disclosure-controlled.

    Also as tidy CSV (`format=csv` or Accept text/csv): one row per group x measure, columns
    `date_from, date_to, urn, comparator, measure, value, status`: the school's own rows first, then
    each comparator's; `comparator` is the group's name; `value` is empty and `status` c, low, x or z
    where a measure is not published. And as Parquet (`format=parquet` or Accept
    application/vnd.apache.parquet): one row per group, typed columns `date_from, date_to` (date32),
    `urn` (int64), `comparator`, then each measure (int64 counts, float64 rates, null when not
    published) and `<measure>_status`; the file's metadata holds data_version, data_as_of,
    request_id, the disclosure profile, legend and rules, and the similar schools rule."""
    measured = gov.require_measured()
    period = measured.period
    urn = gov.requested.area.urn
    if urn is None:  # benchmark_request always names the school
        raise RuntimeError("a benchmark names its school")
    profiles = await gov.read(SchoolProfilesQuery(period=period))
    subject = next((p for p in profiles if p["urn"] == urn), None)
    if subject is None:
        raise ProblemError(404, "no-attendance", f"School {urn} has no attendance in the period.")
    if not await school_in_scope(gov.conn, urn, gov.scope):
        raise scope_denied("You may benchmark only schools within your own scope.")
    others = [p for p in profiles if p["urn"] != urn]
    groups = [
        totals(
            f"local authority {subject['la_code']} (other schools)",
            [p for p in others if p["la_code"] == subject["la_code"]],
        ),
        totals("England (other schools)", others),
        totals("similar schools", similar_schools(profiles, subject)),
    ]
    if subject["trust_id"] is not None:
        trust = subject["trust_id"]
        groups.insert(
            1, totals(f"trust {trust} (other schools)", [p for p in others if p["trust_id"] == trust])
        )
    own = totals(f"school {urn}", [subject])
    # Exact only for the holders the profile names (the school itself); every other caller gets the school
    # through its own profile, like any other cell.
    holders = profile_from(gov.obligations.disclosure_profile).exact_own_figures
    own_exact = own_figures_exact(gov.principal, urn, int(subject["la_code"]), holders, subject["trust_id"])
    tables: list[Protected] = []
    school, comparators, disclosure = protect_comparators(
        own, groups, gov.obligations.disclosure_profile, own_exact=own_exact, collect=tables
    )
    # Each comparator is "other schools than this one": its own series per benchmarked school.
    series = comparator_series(urn, int(subject["la_code"]), subject["trust_id"])
    names = {
        own["name"]: series["school"],
        groups[0]["name"]: series["la"],
        f"trust {subject['trust_id']} (other schools)": series["trust"],
        "England (other schools)": series["national"],
        "similar schools": series["similar"],
    }
    await release_gate(
        gov,
        profile_from(gov.obligations.disclosure_profile),
        [Batch(tables, period.date_from, period.date_to, area_of=lambda path: names[path[0]])],
    )
    answer = BenchmarkResponse(
        urn=urn,
        period=period_measured(measured),
        date_from=period.date_from,
        date_to=period.date_to,
        governance=gov.release(1 + len(comparators)),
        disclosure=disclosure,
        similar_schools_rule=(
            f"same phase ({subject['phase']}), enrolments within {int(SIZE_TOLERANCE * 100)}% and FSM share within "
            f"{FSM_TOLERANCE:g} percentage points of this school's"
        ),
        school=Figures(**school),
        comparators=[Figures(**c) for c in comparators],
    )
    return answer_as(
        request, gov.requested.output, answer, benchmark_csv, numeric_benchmark, gov.requested.measures
    )


ROUTES = [school_benchmark]
