"""Other departments never receive names, UPNs or unpseudonymised identifiers."""

from __future__ import annotations

import json
import re
from typing import Any

from litestar.testing import TestClient

from tests.api.conftest import PERIOD, Tokens

UPN = re.compile(r"\b[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]\b")
DWP = {"purpose": "multiple-disadvantages", "agreement": "dwp-dea-s35", **PERIOD}
IDENTIFYING = {"upn", "forename", "surname", "date_of_birth"}


def test_dwp_extract_is_pseudonymised_in_its_own_domain(client: TestClient[Any], tokens: Tokens) -> None:
    response = client.post(
        "/v1/extracts", json={**DWP, "la_code": 202}, headers=tokens.headers("ogd-analyst")
    )
    assert response.status_code == 200, response.text
    *rows, _summary = [json.loads(line) for line in response.text.splitlines()]
    assert rows
    assert all(r["pupil_ref"].startswith("p1.dwp.") for r in rows)
    assert not IDENTIFYING & set().union(*rows)
    assert UPN.search(response.text) is None
    assert response.headers["x-row-count"] == str(len(rows))


def test_extract_asking_for_names_is_denied(client: TestClient[Any], tokens: Tokens) -> None:
    response = client.post(
        "/v1/extracts",
        json={**DWP, "fields": ["pupil_ref", "surname"]},
        headers=tokens.headers("ogd-analyst"),
    )
    assert response.status_code == 403
    assert "DENY_FIELD_OUTSIDE_AGREEMENT" in [r["code"] for r in response.json()["reasons"]]


def test_research_extract_generalises_date_of_birth_to_month(client: TestClient[Any], tokens: Tokens) -> None:
    response = client.post(
        "/v1/extracts",
        json={
            "purpose": "public-good-research",
            "agreement": "srs-research-p2025-017",
            "format": "csv",
            "la_code": 886,
            **PERIOD,
        },
        headers=tokens.headers("researcher"),
    )
    assert response.status_code == 200, response.text
    header, first = response.text.splitlines()[:2]
    record = dict(zip(header.split(","), first.split(","), strict=True))
    assert record["pupil_ref"].startswith("p1.srs-p2025-017.")
    assert re.fullmatch(r"\d{4}-\d{2}", record["date_of_birth"])  # the agreement generalises it to a month
    assert UPN.search(response.text) is None


def test_same_pupil_has_unlinkable_refs_across_departments(client: TestClient[Any], tokens: Tokens) -> None:
    dwp = client.post("/v1/extracts", json={**DWP, "la_code": 202}, headers=tokens.headers("ogd-analyst"))
    srs = client.post(
        "/v1/extracts",
        json={
            "purpose": "public-good-research",
            "agreement": "srs-research-p2025-017",
            "la_code": 202,
            **PERIOD,
        },
        headers=tokens.headers("researcher"),
    )
    dwp_refs = {
        json.loads(x)["pupil_ref"].split(".")[-1] for x in dwp.text.splitlines()[:-1]
    }  # [-1]: summary
    srs_refs = {json.loads(x)["pupil_ref"].split(".")[-1] for x in srs.text.splitlines()[:-1]}
    assert len(dwp_refs) == len(srs_refs) > 0
    assert dwp_refs.isdisjoint(srs_refs)


def test_ogd_cannot_list_named_pupils(client: TestClient[Any], tokens: Tokens) -> None:
    response = client.get("/v1/pupils", params=DWP, headers=tokens.headers("ogd-analyst"))
    assert response.status_code == 403
    assert UPN.search(response.text) is None
