"""`include_totals`: whether the higher-level rows come with a summary table, and only where they are
England's; an area's total row says `Total` in the numeric shape."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from gateway.api.attendance import include_totals
from gateway.edge.problems import ProblemError
from tests.api.conftest import PERIOD, Tokens

SUMMARY = "/v1/attendance/summary"
ONS = {"purpose": "official-statistics", "agreement": "ons-srsa-s45a", "level": "la", **PERIOD}
LA = {
    "purpose": "attendance-support",
    "agreement": "la-attendance-support",
    "reason": "Termly targeting meeting",
    "level": "school",
    **PERIOD,
}


def _levels(response: Any) -> list[str]:
    assert response.status_code == 200, response.text[:300]
    return sorted({r["level"] for r in response.json()["rows"]})


def test_a_national_caller_gets_the_higher_level_rows_unless_it_asks_without(
    client: TestClient[Any], tokens: Tokens
) -> None:
    headers = tokens.headers("ons-statistician")
    default = client.get(SUMMARY, params=ONS, headers=headers)
    with_totals = client.get(SUMMARY, params={**ONS, "include_totals": "true"}, headers=headers)
    without = client.get(SUMMARY, params={**ONS, "include_totals": "false"}, headers=headers)
    assert _levels(default) == _levels(with_totals) == ["la", "national", "region"]
    assert _levels(without) == ["la"]
    assert without.json()["rows"] == [r for r in default.json()["rows"] if r["level"] == "la"]


def test_the_total_rows_say_total_in_the_numeric_shape(client: TestClient[Any], tokens: Tokens) -> None:
    params = {**ONS, "breakdown": "fsm", "measures": "numeric", "include_totals": "true"}
    rows = client.get(SUMMARY, params=params, headers=tokens.headers("ons-statistician")).json()["rows"]
    england = sorted(r["group"] for r in rows if r["level"] == "national")
    assert england == ["FSM eligible", "Total", "not FSM eligible"]


def test_a_limited_scope_asking_for_totals_is_refused_naming_the_parameter(
    client: TestClient[Any], tokens: Tokens, areas: dict[str, Any]
) -> None:
    headers = tokens.headers("la-attendance")
    params = {**LA, "la_code": areas["own"]["la_code"]}
    default = client.get(SUMMARY, params=params, headers=headers)
    refused = client.get(SUMMARY, params={**params, "include_totals": "true"}, headers=headers)
    assert _levels(default) == ["school"]
    assert refused.status_code == 422
    problem = refused.json()
    assert problem["type"].rsplit("/", 1)[-1] == "totals-unavailable"
    assert problem["errors"] == [
        {"field": "include_totals", "source": "query", "message": "your scope is not all of England"}
    ]


def test_trust_rows_asking_for_totals_are_refused(client: TestClient[Any], tokens: Tokens) -> None:
    response = client.get(
        SUMMARY,
        params={
            "purpose": "official-statistics",
            "agreement": "dfe-statistics",
            "level": "trust",
            "include_totals": "true",
        },
        headers=tokens.headers("dfe-analyst"),
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "include_totals", "source": "query", "message": "trust rows have no higher-level rows"}
    ]


@pytest.mark.parametrize(
    ("asked", "limited", "level", "given"),
    [
        (None, False, "la", True),
        (None, True, "la", False),
        (None, False, "trust", False),
        (False, False, "la", False),
        (True, False, "school", True),
        (False, True, "la", False),
    ],
)
def test_include_totals(asked: bool | None, limited: bool, level: str, given: bool) -> None:
    assert include_totals(asked, limited=limited, level=level) is given


@pytest.mark.parametrize(("limited", "level"), [(True, "la"), (False, "trust"), (True, "trust")])
def test_include_totals_true_where_unavailable_is_refused(limited: bool, level: str) -> None:
    with pytest.raises(ProblemError) as refused:
        include_totals(True, limited=limited, level=level)
    assert refused.value.status == 422
