"""An LA token never receives another LA's pupils or schools, through any endpoint or parameter."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from tests.api.conftest import PERIOD, Tokens

CASEWORK = {
    "purpose": "attendance-support",
    "agreement": "la-attendance-support",
    "reason": "Termly targeting meeting",
}


def test_pupil_list_holds_only_own_la_pupils(
    client: TestClient[Any], tokens: Tokens, areas: dict[str, Any]
) -> None:
    body = client.get(
        "/v1/pupils",
        params={**CASEWORK, **PERIOD, "criterion": "all", "limit": 1000},
        headers=tokens.headers("la-attendance"),
    ).json()
    assert body["rows"]
    assert {r["la_code"] for r in body["rows"]} == {areas["own"]["la_code"]}


def test_asking_for_another_la_is_denied_with_its_reason(
    client: TestClient[Any], tokens: Tokens, areas: dict[str, Any]
) -> None:
    response = client.get(
        "/v1/pupils",
        params={**CASEWORK, **PERIOD, "la_code": areas["other"]["la_code"]},
        headers=tokens.headers("la-attendance"),
    )
    assert response.status_code == 403
    assert "DENY_SCOPE_OUTSIDE_PRINCIPAL" in [r["code"] for r in response.json()["reasons"]]


@pytest.mark.parametrize("param", ["urn"])
def test_other_la_school_filter_returns_nothing_of_theirs(
    client: TestClient[Any], tokens: Tokens, areas: dict[str, Any], param: str
) -> None:
    response = client.get(
        "/v1/pupils",
        params={**CASEWORK, **PERIOD, "criterion": "all", param: areas["other"][param]},
        headers=tokens.headers("la-attendance"),
    )
    # The policy scopes the LA's rows (it does not deny a filter naming another LA's school): the SQL
    # row filter leaves nothing of theirs.
    assert (response.status_code, response.json()["rows"]) == (200, [])


def test_casework_history_of_another_la_pupil_is_not_found(
    client: TestClient[Any], tokens: Tokens, areas: dict[str, Any]
) -> None:
    response = client.get(
        f"/v1/pupils/{areas['other']['upn']}/attendance",
        params={**CASEWORK, **PERIOD},
        headers=tokens.headers("la-attendance"),
    )
    assert response.status_code == 404
    assert areas["other"]["upn"] not in response.text


def test_casework_history_of_own_pupil_lists_marks(
    client: TestClient[Any], tokens: Tokens, areas: dict[str, Any]
) -> None:
    response = client.get(
        f"/v1/pupils/{areas['own']['upn']}/attendance",
        params={**CASEWORK, **PERIOD},
        headers=tokens.headers("la-attendance"),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["pupil"]["upn"] == areas["own"]["upn"]
    assert body["marks"]
    assert {m["urn"] for m in body["marks"]} == {areas["own"]["urn"]}


def test_school_level_summary_lists_only_own_schools(
    client: TestClient[Any], tokens: Tokens, areas: dict[str, Any]
) -> None:
    body = client.get(
        "/v1/attendance/summary",
        params={**CASEWORK, "level": "school", **PERIOD},
        headers=tokens.headers("la-attendance"),
    ).json()
    assert body["rows"]
    assert {r["parent_id"] for r in body["rows"]} == {str(areas["own"]["la_code"])}


def test_national_summary_is_refused_to_an_la(client: TestClient[Any], tokens: Tokens) -> None:
    response = client.get(
        "/v1/attendance/summary",
        params={**CASEWORK, "level": "national", **PERIOD},
        headers=tokens.headers("la-attendance"),
    )
    assert response.status_code == 403
    # the policy refuses it (policies/gateway/scope.rego), not a check of the route's own
    assert [r["code"] for r in response.json()["reasons"]] == ["DENY_SCOPE_OUTSIDE_PRINCIPAL"]


def test_early_warning_flags_only_own_pupils_with_their_rules(
    client: TestClient[Any], tokens: Tokens, areas: dict[str, Any]
) -> None:
    body = client.get(
        "/v1/early-warning",
        params={**CASEWORK, "as_of": "2025-10-24", "limit": 1000},
        headers=tokens.headers("la-attendance"),
    ).json()
    assert body["rows"]
    assert {r["pupil"]["la_code"] for r in body["rows"]} == {areas["own"]["la_code"]}
    assert all(r["rules"] and set(r["rules"]) <= set(body["rules"]) for r in body["rows"])


def test_school_cannot_benchmark_another_school(
    client: TestClient[Any], tokens: Tokens, areas: dict[str, Any]
) -> None:
    response = client.get(
        f"/v1/schools/{areas['other']['urn']}/benchmark",
        params={"purpose": "school-improvement", "agreement": "school-benchmark", **PERIOD},
        headers=tokens.headers("school-lead", urn=areas["own"]["urn"]),
    )
    assert response.status_code == 403
