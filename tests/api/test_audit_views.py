"""The officers' views of the audit log (issue 10 section 6): a CSV export that no spreadsheet runs as
formulas, free-text reasons in the subject-access view only for the roles allowed to read them, and 404 and
405 audited like any other request, through the real server."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import orjson
import psycopg
import pytest
from litestar.testing import TestClient

from gateway.app import create_app
from gateway.settings import Settings
from tests.api.conftest import PERIOD, Tokens
from tests.api.live import serve_in_thread

FORMULAS = ("=HYPERLINK(1) review", "+SUM(1) review", "-2+3 case review", "@SUM(A1) review")
LA_DPO = {"purpose": "subject-access", "dpo_agreement": "dpo-oversight-own-organisation"}
CASEWORK = {"purpose": "attendance-support", "agreement": "la-attendance-support"}


@pytest.fixture(scope="module")
def reasons_given(
    client: TestClient[Any], tokens: Tokens, areas: dict[str, Any]
) -> tuple[datetime, datetime]:
    """An attendance officer looks at the own-LA pupil four times, each time with a formula-like reason;
    returns when that began and ended."""
    started = datetime.now(UTC)
    for reason in FORMULAS:
        response = client.get(
            f"/v1/pupils/{areas['own']['upn']}/attendance",
            params={**CASEWORK, **PERIOD, "reason": reason},
            headers=tokens.headers("la-attendance"),
        )
        assert response.status_code == 200, response.text[:200]
    return started, datetime.now(UTC)


def test_formula_leading_cells_are_written_as_text(
    client: TestClient[Any], tokens: Tokens, reasons_given: tuple[datetime, datetime]
) -> None:
    response = client.get(
        "/v1/audit/export",
        params={
            "format": "csv",
            "purpose": "audit-oversight",
            "dpo_agreement": "dpo-oversight-dfe",
            "from": (reasons_given[0] - timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
        headers=tokens.headers("dfe-dpo"),
    )
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    written = sorted(r["reason_text"] for r in rows if r["reason_text"].endswith("review"))
    assert written == sorted("'" + reason for reason in FORMULAS)


def _accesses(
    client: TestClient[Any], token: str, upn: str, window: tuple[datetime, datetime]
) -> list[dict[str, Any]]:
    """The subject-access view's entries for the fixture's four casework lookups."""
    response = client.get(
        f"/v1/audit/subjects/{upn}",
        params={**LA_DPO, "limit": 1000},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text[:200]
    return [
        a
        for a in response.json()["accesses"]
        if a["route"] == "/v1/pupils/{upn}/attendance"
        and window[0] <= datetime.fromisoformat(a["time"]) <= window[1]
    ]


def test_an_la_dpo_sees_that_a_reason_was_given_but_not_what_it_says(
    client: TestClient[Any], tokens: Tokens, areas: dict[str, Any], reasons_given: tuple[datetime, datetime]
) -> None:
    token = tokens.issuer.issue(tokens.claims("la-dpo"))
    accesses = _accesses(client, token, areas["own"]["upn"], reasons_given)
    assert [(a["reason_text"], a["reason_withheld"]) for a in accesses] == [(None, True)] * len(FORMULAS)


def test_a_dpo_who_is_caldicott_guardian_reads_the_reasons(
    client: TestClient[Any], tokens: Tokens, areas: dict[str, Any], reasons_given: tuple[datetime, datetime]
) -> None:
    claims = {**tokens.claims("la-dpo"), "roles": ["dpo", "caldicott-guardian"]}
    accesses = _accesses(client, tokens.issuer.issue(claims), areas["own"]["upn"], reasons_given)
    assert sorted((a["reason_text"], a["reason_withheld"]) for a in accesses) == sorted(
        (reason, False) for reason in FORMULAS
    )


@pytest.fixture(scope="module")
def live_url(api_settings: Settings, loaded: Any) -> Iterator[str]:
    with serve_in_thread(create_app(api_settings)) as url:
        yield url


@pytest.mark.parametrize(
    ("method", "path", "status", "kind"),
    [("GET", "/v1/no-such-route", 404, "not-found"), ("DELETE", "/v1/pupils", 405, "method-not-allowed")],
)
def test_unknown_routes_and_wrong_methods_are_audited_through_the_real_server(
    live_url: str,
    tokens: Tokens,
    store: psycopg.Connection[Any],
    method: str,
    path: str,
    status: int,
    kind: str,
) -> None:
    response = httpx.request(method, live_url + path, headers=tokens.headers("la-attendance"), timeout=30)
    assert (response.status_code, response.json()["type"].rsplit("/", 1)[-1]) == (status, kind)
    rows = store.execute(
        "SELECT content FROM audit_events WHERE request_id = %s", (response.headers["x-request-id"],)
    ).fetchall()
    assert len(rows) == 1
    event = orjson.loads(rows[0][0])
    assert (event["status"], event["outcome"], event["method"]) == (status, "failed", method)
