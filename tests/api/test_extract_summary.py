"""The NDJSON extract ends with a summary line (rows, data version, data-as-of, request id) so that a
truncated download is detectable; the CSV extract has none (its x-row-count header says the count)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from litestar.testing import TestClient

from gateway.api.extracts import SUMMARY_KEY
from gateway.api.release import ROW_FIELDS
from gateway.edge.http_cache import stamp_of
from tests.api.conftest import PERIOD, Tokens

DWP = {"purpose": "multiple-disadvantages", "agreement": "dwp-dea-s35", "la_code": 202, **PERIOD}


def _lines(text: str) -> list[dict[str, Any]]:
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def test_the_last_line_counts_the_rows_and_names_the_version_and_request(
    client: TestClient[Any], tokens: Tokens
) -> None:
    response = client.post("/v1/extracts", json=DWP, headers=tokens.headers("ogd-analyst"))
    assert response.status_code == 200, response.text
    *rows, last = _lines(response.text)
    assert list(last) == [SUMMARY_KEY]
    assert last[SUMMARY_KEY] == {
        "rows": len(rows),
        "data_version": response.headers["data-version"],
        "data_as_of": response.headers["data-as-of"],
        "request_id": response.headers["x-request-id"],
    }
    assert len(rows) == int(response.headers["x-row-count"]) > 0
    assert not any(SUMMARY_KEY in row for row in rows)


def test_an_empty_extract_still_ends_with_its_summary(client: TestClient[Any], tokens: Tokens) -> None:
    body = {**DWP, "date_from": "2001-01-01", "date_to": "2001-01-31"}
    response = client.post("/v1/extracts", json=body, headers=tokens.headers("ogd-analyst"))
    assert response.status_code == 200, response.text
    assert response.headers["x-row-count"] == "0"
    assert _lines(response.text) == [
        {
            SUMMARY_KEY: {
                "rows": 0,
                "data_version": response.headers["data-version"],
                "data_as_of": response.headers["data-as-of"],
                "request_id": response.headers["x-request-id"],
            }
        }
    ]


def test_the_csv_extract_has_no_trailer(client: TestClient[Any], tokens: Tokens) -> None:
    response = client.post(
        "/v1/extracts", json={**DWP, "format": "csv"}, headers=tokens.headers("ogd-analyst")
    )
    assert response.status_code == 200, response.text
    header, *records = response.text.splitlines()
    assert len(records) == int(response.headers["x-row-count"]) > 0
    assert SUMMARY_KEY not in response.text
    assert header.split(",")[0] == "pupil_ref"


def test_no_record_field_can_be_taken_for_the_summary() -> None:
    assert sorted(f for f in ROW_FIELDS if f.startswith("_")) == []


def test_reading_a_stamp_before_the_prologue_set_it_fails_closed() -> None:
    with pytest.raises(RuntimeError, match="before the governed prologue"):
        stamp_of({"type": "http", "state": {}})
