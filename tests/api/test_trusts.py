"""A multi-academy trust is a scope beside LA and school: its own academies only, at trust and school level."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from litestar.testing import TestClient

from gateway.auth.personas import DEFAULT_TRUST, persona_claims
from tests.api.conftest import Tokens, audit_count

TRUST = {
    "purpose": "school-attendance-management",
    "agreement": "trust-attendance",
    "reason": "Termly attendance review, trust board",
}
BENCHMARK = {"purpose": "school-improvement", "agreement": "trust-benchmark"}
# Marks of possible sessions (not the rollups): what every trust figure below is checked against.
POSSIBLE_MARKS = (
    "SELECT m.enrolment_id, m.urn FROM marks m JOIN attendance_codes c ON c.code = m.code"
    " AND m.date >= c.valid_from AND (c.valid_to IS NULL OR m.date < c.valid_to) WHERE c.category <> 'NC'"
)


@pytest.fixture(scope="module")
def trust_schools(store: psycopg.Connection[Any]) -> list[int]:
    urns = [
        int(r[0])
        for r in store.execute("SELECT urn FROM schools WHERE trust_id = %s ORDER BY urn", (DEFAULT_TRUST,))
    ]
    assert len(urns) == 2  # the API data's one trust: two academies in LA 202
    return urns


def trust_get(
    client: TestClient[Any], tokens: Tokens, path: str, *, as_trust: int = DEFAULT_TRUST, **params: Any
):
    token = tokens.issuer.issue(persona_claims("trust-lead", trust_id=as_trust))
    return client.get(path, params=params, headers={"Authorization": f"Bearer {token}"})


def test_the_trust_row_counts_exactly_the_enrolments_of_its_own_schools(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], trust_schools: list[int]
) -> None:
    expected = store.execute(
        f"SELECT count(DISTINCT enrolment_id), count(*) FROM ({POSSIBLE_MARKS}) t WHERE urn = ANY(%s)",
        (trust_schools,),
    ).fetchone()
    response = trust_get(client, tokens, "/v1/attendance/summary", **TRUST, level="trust")
    assert response.status_code == 200, response.text[:300]
    body = response.json()
    assert [(r["level"], r["area_id"], r["enrolments"], r["possible_sessions"]) for r in body["rows"]] == [
        ("trust", str(DEFAULT_TRUST), expected[0], expected[1])
    ]
    assert body["period"]["name"] == "ytd"


def test_school_rows_are_the_trusts_schools_only(
    client: TestClient[Any], tokens: Tokens, trust_schools: list[int]
) -> None:
    body = trust_get(client, tokens, "/v1/attendance/summary", **TRUST, level="school").json()
    assert sorted(int(r["area_id"]) for r in body["rows"]) == trust_schools


def test_naming_an_la_outside_the_trust_returns_none_of_its_schools(
    client: TestClient[Any], tokens: Tokens, areas: dict[str, Any]
) -> None:
    body = trust_get(
        client, tokens, "/v1/attendance/summary", **TRUST, level="school", la_code=areas["own"]["la_code"]
    ).json()
    assert body["rows"] == []


def test_a_trust_pupil_list_holds_exactly_its_schools_pupils(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], trust_schools: list[int]
) -> None:
    enrolments = store.execute(
        f"SELECT count(DISTINCT enrolment_id) FROM ({POSSIBLE_MARKS}) t WHERE urn = ANY(%s)", (trust_schools,)
    ).fetchone()[0]
    response = trust_get(client, tokens, "/v1/pupils", **TRUST, criterion="all", limit=1000)
    assert response.status_code == 200, response.text[:300]
    rows = response.json()["rows"]
    assert len(rows) == enrolments
    assert {r["urn"] for r in rows} == set(trust_schools)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"level": "la"}, "Trust 2001 may not ask for la figures under trust-attendance: its rows are its own schools."),
        ({"level": "national"},
         "Trust 2001 may not ask for national figures under trust-attendance: its rows are its own schools."),
        ({"level": "school", "trust_id": 2002}, "Trust 2001 may only see its own schools, not trust 2002."),
    ],
    ids=["la", "national", "other-trust"],
)  # fmt: skip
def test_a_trust_is_refused_figures_beyond_its_schools_with_the_reason(
    client: TestClient[Any],
    tokens: Tokens,
    store: psycopg.Connection[Any],
    params: dict[str, Any],
    message: str,
) -> None:
    response = trust_get(client, tokens, "/v1/attendance/summary", **TRUST, **params)
    assert response.status_code == 403, response.text[:600]
    assert [(r["code"], r["message"]) for r in response.json()["reasons"]] == [
        ("DENY_SCOPE_OUTSIDE_PRINCIPAL", message)
    ]
    assert audit_count(store, response.headers["x-request-id"]) == 1


def test_an_la_may_not_ask_for_trust_figures(client: TestClient[Any], tokens: Tokens) -> None:
    response = client.get(
        "/v1/attendance/summary",
        params={"purpose": "attendance-support", "agreement": "la-attendance-support",
                "reason": "Termly targeting meeting", "level": "trust"},
        headers=tokens.headers("la-attendance"),
    )  # fmt: skip
    assert response.status_code == 403
    assert [r["code"] for r in response.json()["reasons"]] == ["DENY_SCOPE_OUTSIDE_PRINCIPAL"]


def test_a_national_analyst_sees_trust_rows_without_an_england_margin(
    client: TestClient[Any], tokens: Tokens
) -> None:
    response = client.get(
        "/v1/attendance/summary",
        params={"purpose": "official-statistics", "agreement": "dfe-statistics", "level": "trust"},
        headers=tokens.headers("dfe-analyst"),
    )
    assert response.status_code == 200, response.text[:300]
    assert [(r["level"], r["area_id"], r["parent_id"]) for r in response.json()["rows"]] == [
        ("trust", str(DEFAULT_TRUST), "E92000001")
    ]


def test_a_trust_benchmarks_its_school_against_the_trust_la_england_and_similar_schools(
    client: TestClient[Any], tokens: Tokens, trust_schools: list[int]
) -> None:
    response = trust_get(client, tokens, f"/v1/schools/{trust_schools[0]}/benchmark", **BENCHMARK)
    assert response.status_code == 200, response.text[:300]
    body = response.json()
    comparators = [(c["name"], c["schools"], c["enrolments"]) for c in body["comparators"]]
    # The trust's one other school is fewer than three schools: withheld.
    assert comparators[1] == (f"trust {DEFAULT_TRUST} (other schools)", 1, "c")
    assert [c[0] for c in comparators] == [
        "local authority 202 (other schools)", f"trust {DEFAULT_TRUST} (other schools)",
        "England (other schools)", "similar schools",
    ]  # fmt: skip


def test_a_trust_may_not_benchmark_a_school_outside_it(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], areas: dict[str, Any]
) -> None:
    response = trust_get(client, tokens, f"/v1/schools/{areas['own']['urn']}/benchmark", **BENCHMARK)
    assert response.status_code == 403
    assert audit_count(store, response.headers["x-request-id"]) == 1


def test_another_trust_sees_nothing_of_this_one(client: TestClient[Any], tokens: Tokens) -> None:
    """A trust with no schools in the store: every read is empty, however it narrows."""
    for path, params in (
        ("/v1/attendance/summary", {"level": "school"}),
        ("/v1/attendance/summary", {"level": "trust"}),
        ("/v1/pupils", {"criterion": "all"}),
    ):
        response = trust_get(client, tokens, path, as_trust=2999, **TRUST, **params)
        assert (response.status_code, response.json()["rows"]) == (200, [])
