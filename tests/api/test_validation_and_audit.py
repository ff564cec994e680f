"""Bad input is named in problem+json; every response, allowed or denied, has its audit event."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from litestar.testing import TestClient

from tests.api.conftest import PERIOD, Tokens, audit_count

ONS = {"purpose": "official-statistics", "agreement": "ons-srsa-s45a"}


def test_period_running_backwards_is_422(client: TestClient[Any], tokens: Tokens) -> None:
    response = client.get(
        "/v1/attendance/summary",
        params={**ONS, "date_from": "2025-10-01", "date_to": "2025-09-01"},
        headers=tokens.headers("ons-statistician"),
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"].endswith("/invalid-period")


def test_period_too_long_is_422(client: TestClient[Any], tokens: Tokens) -> None:
    response = client.get(
        "/v1/attendance/summary",
        params={**ONS, "date_from": "2020-09-01", "date_to": "2025-09-01"},
        headers=tokens.headers("ons-statistician"),
    )
    assert (response.status_code, response.json()["type"].rsplit("/", 1)[-1]) == (422, "period-too-long")


def test_malformed_date_is_400_naming_the_parameter(client: TestClient[Any], tokens: Tokens) -> None:
    response = client.get(
        "/v1/attendance/summary",
        params={**ONS, "date_from": "yesterday", "date_to": "2025-09-01"},
        headers=tokens.headers("ons-statistician"),
    )
    assert response.status_code == 400
    assert "date_from" in response.json()["detail"]


def test_unknown_la_is_422(client: TestClient[Any], tokens: Tokens) -> None:
    response = client.get(
        "/v1/attendance/summary",
        params={**ONS, **PERIOD, "la_code": 999},
        headers=tokens.headers("ons-statistician"),
    )
    assert (response.status_code, response.json()["type"].rsplit("/", 1)[-1]) == (422, "unknown-la")


def test_malformed_cursor_is_400(client: TestClient[Any], tokens: Tokens) -> None:
    response = client.get(
        "/v1/pupils",
        params={
            "purpose": "attendance-support",
            "agreement": "la-attendance-support",
            "reason": "Termly targeting meeting",
            "cursor": "Zm9vOmJhcg",
        },
        headers=tokens.headers("la-attendance"),
    )
    assert (response.status_code, response.json()["type"].rsplit("/", 1)[-1]) == (400, "invalid-cursor")


def test_pages_do_not_overlap(client: TestClient[Any], tokens: Tokens) -> None:
    params = {
        "purpose": "attendance-support",
        "agreement": "la-attendance-support",
        "reason": "Termly targeting meeting",
        "criterion": "all",
        "limit": 5,
        **PERIOD,
    }
    first = client.get("/v1/pupils", params=params, headers=tokens.headers("la-attendance")).json()
    second = client.get(
        "/v1/pupils",
        params={**params, "cursor": first["next_cursor"]},
        headers=tokens.headers("la-attendance"),
    ).json()
    assert len(first["rows"]) == len(second["rows"]) == 5
    assert {r["upn"] for r in first["rows"]}.isdisjoint({r["upn"] for r in second["rows"]})


def test_missing_reason_for_casework_is_denied(client: TestClient[Any], tokens: Tokens) -> None:
    response = client.get(
        "/v1/pupils",
        params={"purpose": "attendance-support", "agreement": "la-attendance-support", **PERIOD},
        headers=tokens.headers("la-attendance"),
    )
    assert response.status_code == 403
    assert "DENY_REASON_REQUIRED" in [r["code"] for r in response.json()["reasons"]]


@pytest.mark.parametrize(
    ("persona", "method", "path", "params", "status"),
    [
        ("ons-statistician", "GET", "/v1/attendance/summary", {**ONS, **PERIOD, "level": "national"}, 200),
        (
            "ogd-analyst",
            "GET",
            "/v1/pupils",
            {"purpose": "multiple-disadvantages", "agreement": "dwp-dea-s35"},
            403,
        ),
        ("ons-statistician", "GET", "/v1/attendance/summary", {**ONS, "date_from": "x", "date_to": "y"}, 400),
        (None, "GET", "/v1/attendance/daily", {**ONS, **PERIOD}, 401),
    ],
)
def test_every_response_has_its_audit_event(
    client: TestClient[Any],
    tokens: Tokens,
    store: psycopg.Connection[Any],
    persona: str | None,
    method: str,
    path: str,
    params: dict[str, Any],
    status: int,
) -> None:
    headers = tokens.headers(persona) if persona else {}
    response = client.request(method, path, params=params, headers=headers)
    assert response.status_code == status
    assert audit_count(store, response.headers["x-request-id"]) == 1


def test_pupil_list_records_who_was_seen_in_the_subject_index(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    response = client.get(
        "/v1/pupils",
        params={
            "purpose": "attendance-support",
            "agreement": "la-attendance-support",
            "reason": "Termly targeting meeting",
            "criterion": "all",
            "limit": 3,
            **PERIOD,
        },
        headers=tokens.headers("la-attendance"),
    )
    assert response.status_code == 200
    row = store.execute(
        "SELECT count(*) FROM audit_subjects s JOIN audit_events e USING (seq) WHERE e.request_id = %s",
        (response.headers["x-request-id"],),
    ).fetchone()
    assert row is not None
    assert row[0] == 3
