"""The summary as tidy CSV: one row per area x group x measure, numbers or an empty value with its status."""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

import psycopg
from litestar.testing import TestClient

from gateway.api.tables_csv import COLUMNS, summary_measures
from tests.api.conftest import PERIOD, Tokens, audit_count

# The research profile publishes `c` for small counts (zeros disclosive), so the table has symbols.
RESEARCH = {"purpose": "public-good-research", "agreement": "srs-research-p2025-017"}
ONS = {
    "purpose": "official-statistics",
    "agreement": "ons-srsa-s45a",
    "level": "la",
    "breakdown": "fsm",
    **PERIOD,
}
SUMMARY = "/v1/attendance/summary"


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _expected(body: dict[str, Any]) -> list[dict[str, str]]:
    """What the CSV must say, derived from the JSON answer of the same request."""
    out = []
    for row in body["rows"]:
        for measure in summary_measures():
            value = row[measure]
            number = isinstance(value, int | float) and not isinstance(value, bool)
            out.append(
                {
                    "date_from": body["date_from"],
                    "date_to": body["date_to"],
                    "level": row["level"],
                    "area_id": row["area_id"],
                    "area_name": row["area_name"],
                    "gss_code": row["gss_code"] or "",
                    "parent_id": row["parent_id"] or "",
                    "breakdown": body["breakdown"] or "",
                    "group": "Total" if row["group"] is None else row["group"],
                    "measure": measure,
                    "value": str(value) if number else "",
                    "status": "" if number else str(value),
                }
            )
    return out


def test_accept_text_csv_gives_the_same_figures_as_json_one_row_per_measure(
    client: TestClient[Any], tokens: Tokens
) -> None:
    headers = tokens.headers("ons-statistician")
    body = client.get(SUMMARY, params=ONS, headers=headers).json()
    response = client.get(SUMMARY, params=ONS, headers={**headers, "Accept": "text/csv"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.text.splitlines()[0] == ",".join(COLUMNS)
    assert _rows(response.text) == _expected(body)
    assert {r["group"] for r in _rows(response.text)} == {"Total", "FSM eligible", "not FSM eligible"}


def test_format_csv_is_the_same_as_accept(client: TestClient[Any], tokens: Tokens) -> None:
    headers = tokens.headers("ons-statistician")
    by_accept = client.get(SUMMARY, params=ONS, headers={**headers, "Accept": "text/csv"}).text
    by_format = client.get(SUMMARY, params={**ONS, "format": "csv"}, headers=headers)
    assert by_format.headers["content-type"] == "text/csv; charset=utf-8"
    assert by_format.text == by_accept


def test_json_stays_the_default_and_format_json_wins_over_accept(
    client: TestClient[Any], tokens: Tokens
) -> None:
    headers = tokens.headers("ons-statistician")
    default = client.get(SUMMARY, params=ONS, headers={**headers, "Accept": "*/*"})
    forced = client.get(SUMMARY, params={**ONS, "format": "json"}, headers={**headers, "Accept": "text/csv"})
    assert default.headers["content-type"].startswith("application/json")
    assert forced.headers["content-type"].startswith("application/json")


def test_suppressed_cells_have_an_empty_value_and_their_symbol_as_status(
    client: TestClient[Any], tokens: Tokens
) -> None:
    params = {**RESEARCH, "level": "school", "breakdown": "sex", **PERIOD}
    response = client.get(SUMMARY, params={**params, "format": "csv"}, headers=tokens.headers("researcher"))
    rows = _rows(response.text)
    symbols = [r for r in rows if r["status"]]
    assert response.status_code == 200
    assert {r["status"] for r in symbols} <= {"c", "low", "x", "z"}
    assert "c" in {r["status"] for r in symbols}
    assert {r["value"] for r in symbols} == {""}
    assert all(float(r["value"]) >= 0 for r in rows if not r["status"])


def test_a_csv_answer_is_one_audit_event_with_its_rows(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    request_id = f"csv-{uuid.uuid4().hex}"
    headers = {**tokens.headers("ons-statistician"), "x-request-id": request_id}
    response = client.get(SUMMARY, params={**ONS, "format": "csv"}, headers=headers)
    assert (
        response.headers["data-version"]
        == client.get(SUMMARY, params=ONS, headers=headers).headers["data-version"]
    )
    assert audit_count(store, response.headers["x-request-id"]) == 1
