"""Every summary row names its area by GSS (ONS) code beside its id and name, in JSON and in CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from litestar.testing import TestClient

from gateway.api.publishing import gss_code_of
from gateway.auth.personas import DEFAULT_TRUST
from gateway.store.reference import local_authority_by_code
from tests.api.conftest import PERIOD, Tokens

SUMMARY = "/v1/attendance/summary"
ONS = {"purpose": "official-statistics", "agreement": "ons-srsa-s45a", "level": "la", **PERIOD}
RESEARCH = {"purpose": "public-good-research", "agreement": "srs-research-p2025-017", **PERIOD}


def _codes(rows: list[dict[str, Any]]) -> dict[tuple[str, str], str | None]:
    return {(r["level"], r["area_id"]): r["gss_code"] for r in rows}


def test_england_regions_and_las_carry_their_gss_codes_in_json(
    client: TestClient[Any], tokens: Tokens
) -> None:
    response = client.get(SUMMARY, params=ONS, headers=tokens.headers("ons-statistician"))
    assert response.status_code == 200, response.text[:300]
    codes = _codes(response.json()["rows"])
    assert codes[("national", "E92000001")] == "E92000001"
    assert codes[("region", "London")] == "E12000007"
    assert codes[("region", "South East")] == "E12000008"
    assert codes[("la", "202")] == "E09000007"  # Camden
    assert codes[("la", "886")] == "E10000016"  # Kent
    las = {area_id: code for (level, area_id), code in codes.items() if level == "la"}
    assert las == {area_id: local_authority_by_code()[int(area_id)].gss_code for area_id in las}


def test_every_group_row_of_an_area_carries_the_area_s_code(client: TestClient[Any], tokens: Tokens) -> None:
    body = client.get(
        SUMMARY, params={**ONS, "breakdown": "fsm"}, headers=tokens.headers("ons-statistician")
    ).json()
    camden = [r for r in body["rows"] if r["level"] == "la" and r["area_id"] == "202"]
    assert sorted((str(r["group"]), r["gss_code"]) for r in camden) == [
        ("FSM eligible", "E09000007"),
        ("None", "E09000007"),
        ("not FSM eligible", "E09000007"),
    ]


def test_school_rows_have_a_null_code(client: TestClient[Any], tokens: Tokens) -> None:
    response = client.get(
        SUMMARY, params={**RESEARCH, "level": "school"}, headers=tokens.headers("researcher")
    )
    assert response.status_code == 200, response.text[:300]
    schools = [r for r in response.json()["rows"] if r["level"] == "school"]
    assert len(schools) > 0
    assert {r["gss_code"] for r in schools} == {None}


def test_trust_rows_have_a_null_code(client: TestClient[Any], tokens: Tokens) -> None:
    response = client.get(
        SUMMARY,
        params={"purpose": "official-statistics", "agreement": "dfe-statistics", "level": "trust"},
        headers=tokens.headers("dfe-analyst"),
    )
    assert response.status_code == 200, response.text[:300]
    assert [(r["level"], r["area_id"], r["gss_code"]) for r in response.json()["rows"]] == [
        ("trust", str(DEFAULT_TRUST), None)
    ]


def test_the_csv_carries_the_same_code_beside_the_area_name(client: TestClient[Any], tokens: Tokens) -> None:
    headers = tokens.headers("ons-statistician")
    body = client.get(SUMMARY, params=ONS, headers=headers).json()
    response = client.get(SUMMARY, params={**ONS, "format": "csv"}, headers=headers)
    lines = list(csv.DictReader(io.StringIO(response.text)))
    header = response.text.splitlines()[0].split(",")
    assert header[header.index("area_name") + 1] == "gss_code"
    by_area = {(r["level"], r["area_id"]): r["gss_code"] for r in lines}
    assert by_area[("la", "202")] == "E09000007"
    assert by_area[("region", "London")] == "E12000007"
    assert by_area[("national", "E92000001")] == "E92000001"
    assert by_area == {key: code or "" for key, code in _codes(body["rows"]).items()}


@pytest.mark.parametrize(
    ("level", "area_id", "code"),
    [
        ("national", "E92000001", "E92000001"),
        ("region", "North East", "E12000001"),
        ("region", "South West", "E12000009"),
        ("la", "202", "E09000007"),
        ("la", "886", "E10000016"),
        ("la", "999", None),  # not in the reference data: no code, never a guess
        ("region", "Atlantis", None),
        ("school", "100001", None),
        ("trust", "2001", None),
    ],
)
def test_gss_code_of(level: str, area_id: str, code: str | None) -> None:
    assert gss_code_of(level, area_id) == code
