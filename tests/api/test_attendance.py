"""Aggregate endpoints: figures match the store, disclosure control follows the requester's profile."""

from __future__ import annotations

from typing import Any

import psycopg
from litestar.testing import TestClient

from tests.api.conftest import PERIOD, Tokens

LA_SUMMARY = {
    "purpose": "attendance-support",
    "agreement": "la-attendance-support",
    "reason": "Termly targeting meeting",
    **PERIOD,
}
DWP_SUMMARY = {"purpose": "multiple-disadvantages", "agreement": "dwp-dea-s35", **PERIOD}
RESEARCH_SUMMARY = {"purpose": "public-good-research", "agreement": "srs-research-p2025-017", **PERIOD}


def test_la_summary_of_own_area_is_exact_under_casework(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], areas: dict[str, Any]
) -> None:
    own = areas["own"]["la_code"]
    response = client.get(
        "/v1/attendance/summary",
        params={**LA_SUMMARY, "level": "la", "la_code": own},
        headers=tokens.headers("la-attendance"),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["disclosure"]["profile"] == "casework"
    (row,) = body["rows"]
    possible, absent = store.execute(
        "SELECT sum(possible), sum(authorised + unauthorised) FROM enrolment_week WHERE la_code = %s", (own,)
    ).fetchone()
    assert (row["area_id"], row["possible_sessions"]) == (str(own), possible)
    assert row["overall_absence_rate"] == round(100 * absent / possible, 1)


def test_ogd_summary_is_perturbed_with_no_count_from_1_to_9(client: TestClient[Any], tokens: Tokens) -> None:
    response = client.get(
        "/v1/attendance/summary",
        params={**DWP_SUMMARY, "level": "school"},
        headers=tokens.headers("ogd-analyst"),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["disclosure"]["profile"] == "ogd-aggregate"
    assert "ckm-t10-d10-v3-r1" in body["disclosure"]["rules"][0]
    counts = [r[k] for r in body["rows"] for k in ("enrolments", "persistent_absentees", "severe_absentees")]
    assert all(isinstance(c, int) and (c == 0 or c >= 10) for c in counts)
    assert 0 in counts  # small severe-absence counts in single schools are perturbed, often to 0
    # (A school's SEN groups, some under 10 pupils, are not served at all: tests/api/test_release_wiring.py.)


def test_rates_of_suppressed_counts_are_suppressed(client: TestClient[Any], tokens: Tokens) -> None:
    """Under the research profile (zeros disclosive: a count perturbed to 0 is shown as c) the rate of a
    withheld count is withheld too. (Perturbing profiles whose zeros are not disclosive publish no c count.)"""
    body = client.get(
        "/v1/attendance/summary",
        params={**RESEARCH_SUMMARY, "level": "school", "breakdown": "sex"},
        headers=tokens.headers("researcher"),
    ).json()
    suppressed = [row for row in body["rows"] if row["severe_absentees"] == "c"]
    assert suppressed, "the school-by-sex table has suppressed severe-absence counts to check"
    assert {row["severe_absence_rate"] for row in suppressed} == {"c"}


def test_rates_are_computed_from_the_published_counts(client: TestClient[Any], tokens: Tokens) -> None:
    """Under cell-key perturbation a small count is published as 0 (never 1 to 9), and its rate is the
    published count's, so a rate never gives the true small count back."""
    body = client.get(
        "/v1/attendance/summary",
        params={**DWP_SUMMARY, "level": "school"},
        headers=tokens.headers("ogd-analyst"),
    ).json()
    rated = [r for r in body["rows"] if isinstance(r["enrolments"], int) and r["enrolments"] > 0]
    published_zero = [r for r in rated if r["severe_absentees"] == 0]
    assert published_zero, "the school table has small severe-absence counts published as 0"
    assert {r["severe_absence_rate"] for r in published_zero} == {0.0}
    assert [r for r in body["rows"] if r["severe_absentees"] in range(1, 10)] == []
    for row in rated:
        expected = round(100 * row["severe_absentees"] / row["enrolments"], 1)
        assert row["severe_absence_rate"] == expected, row


def test_summary_by_code_gives_a_rate_per_code(
    client: TestClient[Any], tokens: Tokens, areas: dict[str, Any]
) -> None:
    body = client.get(
        "/v1/attendance/summary",
        params={**LA_SUMMARY, "la_code": areas["own"]["la_code"], "by_code": "true"},
        headers=tokens.headers("la-attendance"),
    ).json()
    (row,) = body["rows"]
    assert row["code_rates"]["I"] > 0
    absence_codes = ("C", "C1", "C2", "E", "G", "I", "J1", "M", "N", "O", "R", "S", "T", "U")
    assert round(sum(row["code_rates"].get(c, 0) for c in absence_codes), 0) == round(
        row["overall_absence_rate"], 0
    )


def test_daily_series_has_one_row_per_school_day(
    client: TestClient[Any], tokens: Tokens, areas: dict[str, Any], loaded: Any
) -> None:
    body = client.get(
        "/v1/attendance/daily",
        params={**LA_SUMMARY, "la_code": areas["own"]["la_code"]},
        headers=tokens.headers("la-attendance"),
    ).json()
    assert [r["date"] for r in body["rows"]] == loaded.manifest.school_days


def test_strike_day_shows_a_drop_in_the_daily_series(
    client: TestClient[Any], tokens: Tokens, loaded: Any
) -> None:
    strike = next(e for e in loaded.manifest.events if e["kind"] == "strike")
    body = client.get(
        "/v1/attendance/daily",
        params={"purpose": "official-statistics", "agreement": "ons-srsa-s45a", **PERIOD},
        headers=tokens.headers("ons-statistician"),
    ).json()
    rates = {r["date"]: r["attendance_of_all_sessions_rate"] for r in body["rows"]}
    ordinary = sorted(v for d, v in rates.items() if d != strike["date"])
    assert rates[strike["date"]] < ordinary[len(ordinary) // 2] - 10


def test_planned_closure_school_is_closed_that_day(
    client: TestClient[Any], tokens: Tokens, loaded: Any
) -> None:
    closure = next(e for e in loaded.manifest.events if e["kind"] == "planned_closure")
    body = client.get(
        "/v1/attendance/closures",
        params={"purpose": "official-statistics", "agreement": "ons-srsa-s45a", "date": closure["date"]},
        headers=tokens.headers("ons-statistician"),
    ).json()
    statuses = {s["urn"]: s["status"] for s in body["schools"]}
    assert statuses[closure["urn"]] == "closed"
    assert body["schools_closed"] == sum(status == "closed" for status in statuses.values())


def test_national_summary_publishes_hierarchy_margins_for_national_callers(
    client: TestClient[Any], tokens: Tokens
) -> None:
    body = client.get(
        "/v1/attendance/summary",
        params={"purpose": "official-statistics", "agreement": "ons-srsa-s45a", "level": "la", **PERIOD},
        headers=tokens.headers("ons-statistician"),
    ).json()
    assert sorted({r["level"] for r in body["rows"]}) == ["la", "national", "region"]
    assert body["disclosure"]["profile"] == "published"


def test_school_benchmark_compares_with_la_england_and_similar(
    client: TestClient[Any], tokens: Tokens, areas: dict[str, Any]
) -> None:
    urn = areas["own"]["urn"]
    response = client.get(
        f"/v1/schools/{urn}/benchmark",
        params={"purpose": "school-improvement", "agreement": "school-benchmark", **PERIOD},
        headers=tokens.headers("school-lead", urn=urn),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["school"]["schools"] == 1
    assert [c["name"].split(" (")[0] for c in body["comparators"]][:2] == [
        f"local authority {areas['own']['la_code']}",
        "England",
    ]
