"""A principal whose rows are limited to an area gets no national or regional figures, from the policy itself.

The decision says so (DENY_SCOPE_OUTSIDE_PRINCIPAL), so `/v1/decisions/explain`, which asks the same policy
with the same request document, gives the same answer as the data route: no Python rule decides it later.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings, target
from hypothesis import strategies as st

from gateway.policy.regorus_engine import RegorusEngine
from tests.policy.strategies import decision_input, decision_inputs, plausible_inputs, principal

LA = principal("la-202", "la", ["attendance-officer"], la_code=202)
SCHOOL = principal("school-100001", "school", ["school-leader"], urn=100001)
LA_SUMMARY = {
    "agreement": "la-attendance-support",
    "purpose": "attendance-support",
    "reason": "Panel ref AP-2026-03",
}
SCHOOL_SUMMARY = {"agreement": "school-own-pupils", "purpose": "school-attendance-management"}


def summary(who: dict[str, Any], terms: dict[str, str], level: str | None) -> dict[str, Any]:
    return decision_input(who, "attendance.summary", "attendance_aggregate", level=level, **terms)


@pytest.mark.parametrize(
    ("who", "terms", "level", "allowed"),
    [
        (LA, LA_SUMMARY, None, True),
        (LA, LA_SUMMARY, "la", True),
        (LA, LA_SUMMARY, "school", True),
        (LA, LA_SUMMARY, "region", False),
        (LA, LA_SUMMARY, "national", False),
        (SCHOOL, SCHOOL_SUMMARY, "school", True),
        (SCHOOL, SCHOOL_SUMMARY, "la", False),
        (SCHOOL, SCHOOL_SUMMARY, "region", False),
        (SCHOOL, SCHOOL_SUMMARY, "national", False),
    ],
)
def test_summary_levels_for_area_limited_principals(
    regorus_engine: RegorusEngine,
    who: dict[str, Any],
    terms: dict[str, str],
    level: str | None,
    allowed: bool,
) -> None:
    decision = regorus_engine.evaluate(summary(who, terms, level))
    assert (decision.allow, decision.reason_codes) == (
        (True, ["ALLOW_AGREEMENT"]) if allowed else (False, ["DENY_SCOPE_OUTSIDE_PRINCIPAL"])
    )


def test_the_refusal_names_the_principal_and_the_level(regorus_engine: RegorusEngine) -> None:
    decision = regorus_engine.evaluate(summary(LA, LA_SUMMARY, "national"))
    assert decision.reasons[0].message == (
        "LA 202 may not ask for national figures under la-attendance-support: its rows are limited to its own area."
    )


def area_limited(doc: dict[str, Any]) -> bool:
    org_type = doc["principal"]["organisation_type"]
    return org_type == "la" or (org_type == "school" and doc["agreement"] != "school-benchmark")


# Requests agreements are for (and their near misses), asked at national or regional level.
wide_requests = st.tuples(plausible_inputs(), st.sampled_from(["national", "region"])).map(
    lambda pair: {**pair[0], "request": {**pair[0]["request"], "level": pair[1]}}
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=st.one_of(wide_requests, decision_inputs))
def test_no_area_limited_principal_is_allowed_figures_above_its_area(
    regorus_engine: RegorusEngine, doc: dict[str, Any]
) -> None:
    decision = regorus_engine.evaluate(doc)
    wide = doc["request"]["level"] in ("national", "region")
    under_agreement = decision.obligations.agreement is not None or doc["agreement"] is not None
    event(f"area-limited={area_limited(doc)} wide={wide} allowed={decision.allow}")
    if area_limited(doc) and wide and under_agreement and doc["action"] != "decisions.explain":
        assert decision.allow is False
        target(1.0)
    row_filter = decision.obligations.row_filter
    assert not (decision.allow and wide and (row_filter.la_codes is not None or row_filter.urns is not None))
