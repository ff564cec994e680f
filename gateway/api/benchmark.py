"""A school against its LA, England and similar schools, with others' figures disclosure-controlled."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import msgspec
from litestar import Request, get
from litestar.params import PathParameter

from gateway.api.common import (
    Governance,
    governance,
    record_rows,
    scope_denied,
    services_of,
    validate_area,
    validate_period,
)
from gateway.api.disclosure import protect_comparators
from gateway.api.params import Agreement, DateFrom, DateTo, Purpose, Reason
from gateway.api.schemas import Count, Disclosure, Rate
from gateway.policy.decision import Decision
from gateway.policy.guard import authorize
from gateway.problems import ProblemError, problem_responses
from gateway.store.aggregates import school_profiles
from gateway.store.scope import AreaFilter

SIZE_TOLERANCE = 0.30  # similar schools: enrolments within 30% of this school's
FSM_TOLERANCE = 5.0  # and FSM share within 5 percentage points
MEASURES = (
    "enrolments", "possible_sessions", "attendance_sessions", "authorised_sessions", "unauthorised_sessions",
    "persistent_absentees", "severe_absentees",
)  # fmt: skip


class Figures(msgspec.Struct, kw_only=True):
    name: str
    schools: Count
    enrolments: Count
    possible_sessions: Count
    attendance_rate: Rate
    overall_absence_rate: Rate
    authorised_absence_rate: Rate
    unauthorised_absence_rate: Rate
    persistent_absence_rate: Rate
    severe_absence_rate: Rate


class BenchmarkResponse(msgspec.Struct, kw_only=True):
    urn: int
    date_from: date
    date_to: date
    governance: Governance
    disclosure: Disclosure
    similar_schools_rule: str
    school: Figures
    comparators: list[Figures]


def _in_scope(decision: Decision, urn: int, la_code: int) -> bool:
    rf = decision.obligations.row_filter
    return (rf.urns is None or urn in rf.urns) and (rf.la_codes is None or la_code in rf.la_codes)


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


@get(
    "/v1/schools/{urn:int}/benchmark",
    opt={"policy_action": "schools.benchmark"},
    summary="Benchmark a school against its local authority, England and similar schools",
    tags=["schools"],
    security=[{"bearer": []}],
    responses=problem_responses(400, 401, 403, 404, 422, 503),
)
async def school_benchmark(
    request: Request[Any, Any, Any],
    urn: Annotated[int, PathParameter(description="The school's URN.", ge=100000, le=999999)],
    purpose: Purpose,
    agreement: Agreement,
    date_from: DateFrom,
    date_to: DateTo,
    reason: Reason = None,
) -> BenchmarkResponse:
    """The school's own figures exactly; comparators are aggregates of other schools, disclosure-controlled."""
    services = services_of(request)
    period = validate_period(date_from, date_to, services.settings)
    decision = await authorize(
        request,
        action="schools.benchmark",
        purpose=purpose,
        agreement=agreement,
        reason=reason,
        resource={
            "resource": "benchmark",
            "fields": ["aggregate_counts"],
            "level": "school",
            "region": None,
            "la_code": None,
            "urn": urn,
            "date_from": date_from.isoformat(),
            "date_to": date_to.isoformat(),
            "breakdown": None,
        },
    )
    async with services.pool.connection() as conn:
        await validate_area(conn, AreaFilter(urn=urn))
        profiles = await school_profiles(conn, period=period)
    subject = next((p for p in profiles if p["urn"] == urn), None)
    if subject is None:
        raise ProblemError(404, "no-attendance", f"School {urn} has no attendance in the period.")
    if not _in_scope(decision, urn, int(subject["la_code"])):
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
    own = totals(f"school {urn}", [subject])
    school, comparators, disclosure = protect_comparators(
        own, groups, decision.obligations.disclosure_profile
    )
    record_rows(request, 1 + len(comparators))
    return BenchmarkResponse(
        urn=urn,
        date_from=date_from,
        date_to=date_to,
        governance=governance(request, decision),
        disclosure=disclosure,
        similar_schools_rule=(
            f"same phase ({subject['phase']}), enrolments within {int(SIZE_TOLERANCE * 100)}% and FSM share within "
            f"{FSM_TOLERANCE:g} percentage points of this school's"
        ),
        school=Figures(**school),
        comparators=[Figures(**c) for c in comparators],
    )


ROUTES = [school_benchmark]
