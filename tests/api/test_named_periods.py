"""Named periods beside explicit dates: year to date by default, and every response says what it measured."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from litestar.testing import TestClient

from tests.api.conftest import PERIOD, Tokens, audit_count

ONS = {"purpose": "official-statistics", "agreement": "ons-srsa-s45a"}
LA = {
    "purpose": "attendance-support",
    "agreement": "la-attendance-support",
    "reason": "Termly targeting meeting",
}
# The API data runs from 3 September (the first school day) to 24 October 2025.
LATEST = "2025-10-24"
# Under a profile with a period grid, ytd ends on the Sunday closing the latest complete school week.
YTD_END = "2025-10-26"


def measured(store: psycopg.Connection[Any]) -> str:
    """The latest day with a possible session, from marks and the code table (not the rollup)."""
    row = store.execute(
        "SELECT max(m.date) FROM marks m JOIN attendance_codes c ON c.code = m.code AND m.date >= c.valid_from"
        " AND (c.valid_to IS NULL OR m.date < c.valid_to) WHERE c.category <> 'NC'"
    ).fetchone()
    assert row is not None
    return row[0].isoformat()


def summary(client: TestClient[Any], tokens: Tokens, **params: Any) -> Any:
    response = client.get(
        "/v1/attendance/summary",
        params={**ONS, "level": "la", **params},
        headers=tokens.headers("ons-statistician"),
    )
    assert response.status_code == 200, response.text[:300]
    return response.json()


def test_the_default_period_is_the_academic_year_to_the_latest_complete_week(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    assert measured(store) == LATEST
    body = summary(client, tokens)
    assert body["period"] == {
        "name": "ytd", "kind": "ytd", "academic_year": "2025-26", "date_from": "2025-09-01",
        "date_to": YTD_END, "latest_session": LATEST,
    }  # fmt: skip
    assert (body["date_from"], body["date_to"]) == ("2025-09-01", YTD_END)


@pytest.mark.parametrize(
    ("params", "period"),
    [
        ({"period": "autumn-2025"}, {"name": "autumn-2025", "kind": "term", "academic_year": "2025-26",
                                     "date_from": "2025-09-03", "date_to": "2025-12-19"}),
        ({"period": "autumn1-2025"}, {"name": "autumn1-2025", "kind": "half_term", "academic_year": "2025-26",
                                      "date_from": "2025-09-03", "date_to": "2025-10-26"}),
        ({"period": "2025-26"}, {"name": "2025-26", "kind": "year", "academic_year": "2025-26",
                                 "date_from": "2025-09-01", "date_to": "2026-08-31"}),
        (PERIOD, {"name": None, "kind": "dates", "academic_year": None, **PERIOD}),
    ],
    ids=["term", "half-term", "year", "dates"],
)  # fmt: skip
def test_a_named_period_or_dates_are_stated_with_the_latest_session_received(
    client: TestClient[Any], tokens: Tokens, params: dict[str, str], period: dict[str, Any]
) -> None:
    assert summary(client, tokens, **params)["period"] == {**period, "latest_session": LATEST}


def test_year_to_date_terms_half_terms_and_dates_covering_the_same_sessions_agree(
    client: TestClient[Any], tokens: Tokens
) -> None:
    """ytd, the year and the term are read from the cells, the half-term and the dates from the weekly
    rollup and raw marks; the data's sessions all lie in each of them, so every row is the same."""
    rows = [
        summary(client, tokens, breakdown="fsm", **params)["rows"]
        for params in (
            {},
            {"period": "2025-26"},
            {"period": "autumn-2025"},
            {"period": "autumn1-2025"},
            PERIOD,
        )
    ]
    # England, two regions (886 is in the South East, 202 in London) and the two LAs: a total and two FSM groups
    assert len(rows[0]) == 5 * 3
    assert all(r == rows[0] for r in rows[1:])


@pytest.mark.parametrize(
    ("params", "status", "kind", "field"),
    [
        ({"period": "ytd", "date_from": "2025-09-01"}, 422, "conflicting-period", "date_from"),
        ({"period": "autumn-2025", "date_to": "2025-10-01"}, 422, "conflicting-period", "date_to"),
        ({"date_from": "2025-09-01"}, 422, "incomplete-period", "date_to"),
        ({"date_to": "2025-10-01"}, 422, "incomplete-period", "date_from"),
        ({"period": "autumn-2031"}, 422, "unknown-period", "period"),
        ({"period": "2025-27"}, 422, "unknown-period", "period"),
    ],
)
def test_a_period_that_cannot_be_measured_is_named_and_audited(
    client: TestClient[Any],
    tokens: Tokens,
    store: psycopg.Connection[Any],
    params: dict[str, str],
    status: int,
    kind: str,
    field: str,
) -> None:
    response = client.get(
        "/v1/attendance/summary", params={**ONS, **params}, headers=tokens.headers("ons-statistician")
    )
    body = response.json()
    assert (response.status_code, body["type"].rsplit("/", 1)[-1]) == (status, kind)
    assert [e["field"] for e in body["errors"]] == [field]
    assert audit_count(store, response.headers["x-request-id"]) == 1


def test_a_period_name_outside_the_pattern_is_a_400(client: TestClient[Any], tokens: Tokens) -> None:
    response = client.get(
        "/v1/attendance/summary",
        params={**ONS, "period": "winter-2025"},
        headers=tokens.headers("ons-statistician"),
    )
    assert response.status_code == 400
    assert "period" in response.json()["detail"]


def test_the_daily_series_takes_a_named_period(client: TestClient[Any], tokens: Tokens) -> None:
    response = client.get(
        "/v1/attendance/daily",
        params={**ONS, "period": "autumn1-2025"},
        headers=tokens.headers("ons-statistician"),
    )
    body = response.json()
    assert body["period"]["name"] == "autumn1-2025"
    assert (body["rows"][0]["date"], body["rows"][-1]["date"], len(body["rows"])) == (
        "2025-09-03",
        LATEST,
        38,
    )


def test_pupil_lists_default_to_year_to_date_and_take_named_periods(
    client: TestClient[Any], tokens: Tokens
) -> None:
    pages = []
    for params in ({}, {"period": "autumn-2025"}, {"date_to": LATEST}):  # from 1 September
        response = client.get(
            "/v1/pupils",
            params={**LA, "criterion": "all", "limit": 1000, **params},
            headers=tokens.headers("la-attendance"),
        )
        assert response.status_code == 200, response.text[:300]
        pages.append(response.json())
    assert [p["period"]["name"] for p in pages] == ["ytd", "autumn-2025", None]
    assert pages[2]["period"]["date_from"] == "2025-09-01"
    assert pages[0]["rows"]
    assert pages[0]["rows"] == pages[1]["rows"] == pages[2]["rows"]


def test_casework_and_benchmarks_say_what_they_measured(
    client: TestClient[Any], tokens: Tokens, areas: dict[str, Any]
) -> None:
    own = areas["own"]
    history = client.get(
        f"/v1/pupils/{own['upn']}/attendance",
        params={**LA, "period": "autumn1-2025"},
        headers=tokens.headers("la-attendance"),
    ).json()
    assert (history["period"]["name"], history["date_from"], history["date_to"]) == (
        "autumn1-2025",
        "2025-09-03",
        "2025-10-26",
    )
    assert history["marks"][0]["date"] >= "2025-09-03"
    benchmark = client.get(
        f"/v1/schools/{own['urn']}/benchmark",
        params={"purpose": "school-improvement", "agreement": "school-benchmark"},
        headers=tokens.headers("school-lead"),
    ).json()
    assert benchmark["period"] == {
        "name": "ytd", "kind": "ytd", "academic_year": "2025-26", "date_from": "2025-09-01",
        "date_to": YTD_END, "latest_session": LATEST,
    }  # fmt: skip
