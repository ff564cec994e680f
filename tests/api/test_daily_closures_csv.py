"""The daily series and the closures of a day as CSV: the same figures as the JSON answer of the request."""

from __future__ import annotations

import csv
import io
from typing import Any

from litestar.testing import TestClient

from gateway.api.schemas import DailyRow
from gateway.api.tables_csv import CLOSURE_COLUMNS, DAILY_COLUMNS
from tests.api.conftest import PERIOD, Tokens

ONS = {"purpose": "official-statistics", "agreement": "ons-srsa-s45a"}
DAILY = "/v1/attendance/daily"
CLOSURES = "/v1/attendance/closures"


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _value_status(value: Any) -> tuple[str, str]:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    return (str(value), "") if number else ("", str(value))


def test_daily_csv_is_one_row_per_day_and_measure_with_the_json_figures(
    client: TestClient[Any], tokens: Tokens
) -> None:
    headers = tokens.headers("ons-statistician")
    body = client.get(DAILY, params={**ONS, **PERIOD}, headers=headers).json()
    response = client.get(DAILY, params={**ONS, **PERIOD}, headers={**headers, "Accept": "text/csv"})
    measures = [f for f in DailyRow.__struct_fields__ if f != "date"]
    expected = [
        dict(zip(DAILY_COLUMNS, [row["date"], body["area"], m, *_value_status(row[m])], strict=True))
        for row in body["rows"]
        for m in measures
    ]
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="attendance-daily-{PERIOD["date_from"]}-{PERIOD["date_to"]}.csv"'
    )
    assert response.text.splitlines()[0] == ",".join(DAILY_COLUMNS)
    assert _rows(response.text) == expected


def test_closures_csv_is_one_row_per_school_whose_statuses_count_to_the_json_totals(
    client: TestClient[Any], tokens: Tokens, loaded: Any
) -> None:
    closure = next(e for e in loaded.manifest.events if e["kind"] == "planned_closure")
    params = {**ONS, "date": closure["date"]}
    headers = tokens.headers("ons-statistician")
    body = client.get(CLOSURES, params=params, headers=headers).json()
    response = client.get(CLOSURES, params={**params, "format": "csv"}, headers=headers)
    rows = _rows(response.text)
    expected = [
        dict(
            zip(
                CLOSURE_COLUMNS,
                [
                    closure["date"],
                    str(s["urn"]),
                    s["name"],
                    str(s["la_code"]),
                    s["phase"],
                    s["status"],
                    *_value_status(s["attendance_rate"]),
                ],
                strict=True,
            )
        )
        for s in body["schools"]
    ]
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert rows == expected
    assert sum(r["closure_status"] == "closed" for r in rows) == body["schools_closed"]
    assert {r["closure_status"] for r in rows if r["urn"] == str(closure["urn"])} == {"closed"}


def test_daily_format_json_wins_over_accept_csv(client: TestClient[Any], tokens: Tokens) -> None:
    response = client.get(
        DAILY,
        params={**ONS, **PERIOD, "format": "json"},
        headers={**tokens.headers("ons-statistician"), "Accept": "text/csv"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
