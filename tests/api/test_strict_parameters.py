"""Every parameter validated once, strictly, before anything else (issue 10 section 3), through the real app:
each refusal is a 400 problem naming the parameter, never a 500 or 503, and has exactly one audit event
that names the caller."""

from __future__ import annotations

from typing import Any

import orjson
import psycopg
import pytest
from litestar.testing import TestClient

from tests.api.conftest import PERIOD, Tokens

ONS = {"purpose": "official-statistics", "agreement": "ons-srsa-s45a"}
LA = {
    "purpose": "attendance-support",
    "agreement": "la-attendance-support",
    "reason": "Termly targeting meeting",
}
DPO = {"purpose": "audit-oversight", "dpo_agreement": "dpo-oversight-dfe"}
AGGREGATOR = {"purpose": "data-collection", "agreement": "aggregator-collection", "name": "probe.csv"}
HUGE = "99999999999999999999"  # above 64 bits


def event_of(store: psycopg.Connection[Any], response: Any) -> dict[str, Any]:
    rows = store.execute(
        "SELECT content FROM audit_events WHERE request_id = %s", (response.headers["x-request-id"],)
    ).fetchall()
    assert len(rows) == 1
    return dict(orjson.loads(rows[0][0]))


def refused(response: Any) -> tuple[int, str, list[str]]:
    body = response.json()
    return response.status_code, body["type"].rsplit("/", 1)[-1], [e["field"] for e in body["errors"]]


def pairs(base: dict[str, Any], **changes: Any) -> list[tuple[str, Any]]:
    """The query as (name, value) pairs: `base` with `changes` (a list value repeats the name)."""
    out: list[tuple[str, Any]] = []
    for key, value in {**base, **changes}.items():
        out += [(key, v) for v in value] if isinstance(value, list) else [(key, value)]
    return out


SUMMARY = {**ONS, **PERIOD}
DFE = {"purpose": "official-statistics", "agreement": "dfe-statistics", **PERIOD}
# (persona, method, path, query) -> the parameter the 400 names, and its problem kind
REFUSALS: list[tuple[str, str, str, list[tuple[str, Any]], str, str]] = [
    # A `$` let a trailing newline through, and the policy engine then answered 503.
    ("la-attendance", "GET", "/v1/pupils", pairs(LA, agreement="la-attendance-support\n"), "agreement", "invalid-request"),
    # A NUL cut the purpose short for the policy while the audit recorded it whole.
    ("aggregator", "POST", "/v1/ingest/registers", pairs(AGGREGATOR, purpose="data-collection\x00evil"), "purpose", "invalid-request"),
    ("ons-statistician", "GET", "/v1/attendance/summary", pairs(SUMMARY, reason="ok\x85"), "reason", "invalid-request"),
    ("ons-statistician", "GET", "/v1/attendance/summary", pairs(SUMMARY, reason="a\u2028b"), "reason", "invalid-request"),
    # Integers past 64 bits made the audit write fail (503, no event).
    ("dfe-dpo", "GET", f"/v1/audit/events/{HUGE}/proof", pairs(DPO), "seq", "invalid-request"),
    ("dfe-analyst", "GET", f"/v1/schools/{HUGE}/benchmark", pairs(DFE), "urn", "invalid-request"),
    ("ons-statistician", "GET", "/v1/decisions/explain", pairs({"action": "attendance.summary"}, la_code=HUGE), "la_code", "invalid-request"),
    ("dfe-dpo", "GET", "/v1/audit/consistency", pairs(DPO, **{"from": 1, "to": HUGE}), "to", "invalid-request"),
    # Dates near year 1 gave 500.
    ("la-attendance", "GET", "/v1/early-warning", pairs(LA, as_of="0001-01-01"), "as_of", "invalid-request"),
    ("la-attendance", "GET", "/v1/pupils", pairs(LA, date_to="0001-01-01"), "date_to", "invalid-request"),
    ("ons-statistician", "GET", "/v1/attendance/summary", pairs(SUMMARY, date_from="2025-02-29"), "date_from", "invalid-request"),
    ("dfe-dpo", "GET", "/v1/audit/events", pairs(DPO, **{"from": "0001-01-01T00:00:00+14:00"}), "from", "invalid-request"),
    # Repeated single values were last-wins while the audit recorded both.
    ("ons-statistician", "GET", "/v1/attendance/summary", pairs(SUMMARY, agreement=["ons-srsa-s45a", "dfe-statistics"]), "agreement", "repeated-parameter"),
    # Unknown parameters were ignored (an unbroken table, 200).
    ("ons-statistician", "GET", "/v1/attendance/summary", pairs(SUMMARY, breakdwn="fsm"), "breakdwn", "unknown-parameter"),
    ("la-attendance", "GET", "/v1/pupils", pairs(LA, upn="A886123400001"), "upn", "unknown-parameter"),
    # Numbers as plain ASCII decimal text only; booleans as true or false; every declared bound.
    ("ons-statistician", "GET", "/v1/attendance/summary", pairs(SUMMARY, la_code="\uff18\uff18\uff16"), "la_code", "invalid-request"),
    ("la-attendance", "GET", "/v1/pupils", pairs(LA, criterion="rate", min_rate="nan"), "min_rate", "invalid-request"),
    ("ons-statistician", "GET", "/v1/attendance/summary", pairs(SUMMARY, by_code="yes"), "by_code", "invalid-request"),
    ("ons-statistician", "GET", "/v1/attendance/summary", pairs(SUMMARY, year_group=-1), "year_group", "invalid-request"),
]  # fmt: skip


@pytest.mark.parametrize(("persona", "method", "path", "query", "name", "kind"), REFUSALS)
def test_a_bad_parameter_is_a_400_naming_it_and_audited_with_its_principal(
    client: TestClient[Any],
    tokens: Tokens,
    store: psycopg.Connection[Any],
    persona: str,
    method: str,
    path: str,
    query: list[tuple[str, Any]],
    name: str,
    kind: str,
) -> None:
    headers = {**tokens.headers(persona), "content-type": "text/csv"}
    response = client.request(
        method, path, params=query, headers=headers, content=b"urn\n" if method == "POST" else None
    )
    assert refused(response) == (400, kind, [name])
    assert response.headers["content-type"].startswith("application/problem+json")
    event = event_of(store, response)
    assert (event["status"], event["outcome"], event["principal"]["subject"]) == (
        400,
        "failed",
        tokens.claims(persona)["sub"],
    )
    assert event["action"] is None  # refused before the policy input was built


def test_the_refusal_never_echoes_the_value(client: TestClient[Any], tokens: Tokens) -> None:
    response = client.get(
        "/v1/pupils", params={**LA, "date_to": "A886123400001"}, headers=tokens.headers("la-attendance")
    )
    assert refused(response) == (400, "invalid-request", ["date_to"])
    assert "A886123400001" not in response.text


def test_a_required_parameter_missing_is_named(client: TestClient[Any], tokens: Tokens) -> None:
    # (a summary's period is optional: the year to date by default; a closures report needs its day)
    response = client.get("/v1/attendance/closures", params=ONS, headers=tokens.headers("ons-statistician"))
    assert refused(response)[::2] == (400, ["date"])


def test_a_well_formed_request_still_passes(client: TestClient[Any], tokens: Tokens) -> None:
    response = client.get(
        "/v1/attendance/summary",
        params={**ONS, **PERIOD, "level": "national", "by_code": "true", "year_group": 0},
        headers=tokens.headers("ons-statistician"),
    )
    assert response.status_code == 200


def test_an_extract_body_with_a_trailing_newline_is_refused(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    body = {"purpose": "multiple-disadvantages", "agreement": "dwp-dea-s35\n", **PERIOD}
    response = client.post("/v1/extracts", json=body, headers=tokens.headers("ogd-analyst"))
    assert refused(response) == (400, "invalid-request", ["agreement"])
    assert event_of(store, response)["action"] is None


def test_an_extract_for_year_1_is_refused(client: TestClient[Any], tokens: Tokens) -> None:
    body = {"purpose": "multiple-disadvantages", "agreement": "dwp-dea-s35", "date_from": "0001-01-01"}
    response = client.post(
        "/v1/extracts", json={**body, "date_to": "0001-01-02"}, headers=tokens.headers("ogd-analyst")
    )
    assert refused(response) == (400, "invalid-request", ["date_from"])
