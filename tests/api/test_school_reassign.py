"""The DfE data-management action `schools.reassign`: a school moves to another LA or trust only through
`POST /v1/admin/schools/{urn}/reassign`, for the data-manager under dfe-data-management, with a reason;
decided, audited, and refused for every other persona. Through the real app, database and policy."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import psycopg
import pytest
from litestar.testing import TestClient

from gateway.auth.personas import PERSONAS
from tests.api.conftest import Tokens

BODY = {
    "purpose": "data-management",
    "agreement": "dfe-data-management",
    "effective_date": "2025-09-01",
    "reason": "LA boundary change: GIAS record 2026-014 moves the school",
}
NEW_LA = 202
MOVED_TABLES = ("enrolments", "marks", "enrolment_term", "school_cell")


def _path(urn: int) -> str:
    return f"/v1/admin/schools/{urn}/reassign"


def _event(store: psycopg.Connection[Any], response: Any) -> dict[str, Any]:
    rows = store.execute(
        "SELECT content FROM audit_events WHERE request_id = %s", (response.headers["x-request-id"],)
    ).fetchall()
    assert len(rows) == 1
    event: dict[str, Any] = orjson.loads(rows[0][0])
    return event


def _placement(store: psycopg.Connection[Any], urn: int) -> tuple[int, int | None]:
    row = store.execute("SELECT la_code, trust_id FROM schools WHERE urn = %s", (urn,)).fetchone()
    assert row is not None
    return int(row[0]), row[1]


def _rows_by_la(store: psycopg.Connection[Any], urn: int) -> dict[str, list[int]]:
    return {
        table: [
            int(r[0])
            for r in store.execute(f"SELECT DISTINCT la_code FROM {table} WHERE urn = %s", (urn,)).fetchall()
        ]
        for table in MOVED_TABLES
    }


@pytest.fixture
def school(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> Iterator[dict[str, Any]]:
    """A school of LA 886 with pupils and marks whose establishment number is free in LA 202; moved back
    afterwards through the same route (so its cells follow, and the next test sees the data it expects)."""
    row = store.execute(
        "SELECT s.urn, s.trust_id FROM schools s WHERE s.la_code = 886"
        " AND NOT EXISTS (SELECT 1 FROM schools o WHERE o.la_code = %s AND o.estab_number = s.estab_number)"
        " AND EXISTS (SELECT 1 FROM marks m WHERE m.urn = s.urn) ORDER BY s.urn DESC LIMIT 1",
        (NEW_LA,),
    ).fetchone()
    assert row is not None
    urn, trust = int(row[0]), row[1]
    yield {"urn": urn, "trust_id": trust}
    back = client.post(
        _path(urn), headers=tokens.headers("data-manager"), json={**BODY, "la_code": 886, "trust_id": trust}
    )
    assert back.status_code == 200, back.text[:300]
    assert _placement(store, urn) == (886, trust)


def test_the_data_manager_moves_a_school_and_its_rows_to_another_la(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], school: dict[str, Any]
) -> None:
    urn = school["urn"]
    response = client.post(
        _path(urn),
        headers=tokens.headers("data-manager"),
        json={**BODY, "la_code": NEW_LA, "trust_id": school["trust_id"]},
    )
    assert response.status_code == 200, response.text[:300]
    body = response.json()
    assert (body["urn"], body["changed"], body["previous"], body["current"], body["effective_date"]) == (
        urn,
        True,
        {"la_code": 886, "trust_id": school["trust_id"]},
        {"la_code": NEW_LA, "trust_id": school["trust_id"]},
        "2025-09-01",
    )
    assert body["governance"]["agreement"] == "dfe-data-management"
    assert _placement(store, urn) == (NEW_LA, school["trust_id"])
    assert _rows_by_la(store, urn) == {key: [NEW_LA] for key in MOVED_TABLES}


def test_the_move_is_audited_with_its_reason_and_both_placements(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], school: dict[str, Any]
) -> None:
    response = client.post(
        _path(school["urn"]),
        headers=tokens.headers("data-manager"),
        json={**BODY, "la_code": NEW_LA, "trust_id": school["trust_id"]},
    )
    event = _event(store, response)
    assert (event["action"], event["outcome"], event["status"], event["reason_given"]) == (
        "schools.reassign",
        "allowed",
        200,
        True,
    )
    assert {k: event["params"][k] for k in ("previous_la_code", "la_code", "effective_date")} == {
        "previous_la_code": 886,
        "la_code": NEW_LA,
        "effective_date": "2025-09-01",
    }


def test_the_move_bumps_the_data_version_so_cached_aggregates_follow_it(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], school: dict[str, Any]
) -> None:
    before = store.execute("SELECT count(*) FROM ingest_batches").fetchone()
    client.post(
        _path(school["urn"]),
        headers=tokens.headers("data-manager"),
        json={**BODY, "la_code": NEW_LA, "trust_id": school["trust_id"]},
    )
    after = store.execute(
        "SELECT count(*), max(source_name) FILTER (WHERE batch_id = (SELECT max(batch_id) FROM ingest_batches))"
        " FROM ingest_batches"
    ).fetchone()
    assert before is not None
    assert after is not None
    assert (after[0] - before[0], after[1]) == (1, f"data-management: schools.reassign {school['urn']}")


def test_a_reassignment_to_where_the_school_is_writes_nothing(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], school: dict[str, Any]
) -> None:
    before = store.execute("SELECT count(*) FROM ingest_batches").fetchone()
    response = client.post(
        _path(school["urn"]),
        headers=tokens.headers("data-manager"),
        json={**BODY, "la_code": 886, "trust_id": school["trust_id"]},
    )
    assert (response.status_code, response.json()["changed"]) == (200, False)
    assert store.execute("SELECT count(*) FROM ingest_batches").fetchone() == before


@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - {"data-manager"}))
def test_every_other_persona_is_refused_and_nothing_moves(
    client: TestClient[Any],
    tokens: Tokens,
    store: psycopg.Connection[Any],
    school: dict[str, Any],
    persona: str,
) -> None:
    response = client.post(
        _path(school["urn"]),
        headers=tokens.headers(persona),
        json={**BODY, "la_code": NEW_LA, "trust_id": school["trust_id"]},
    )
    assert response.status_code == 403, response.text[:300]
    event = _event(store, response)
    assert (event["action"], event["outcome"], event["allow"]) == ("schools.reassign", "denied", False)
    assert _placement(store, school["urn"]) == (886, school["trust_id"])


def test_a_reason_is_required_by_the_contract(
    client: TestClient[Any], tokens: Tokens, school: dict[str, Any]
) -> None:
    body = {k: v for k, v in BODY.items() if k != "reason"}
    response = client.post(
        _path(school["urn"]),
        headers=tokens.headers("data-manager"),
        json={**body, "la_code": NEW_LA, "trust_id": school["trust_id"]},
    )
    assert response.status_code == 400


def test_a_reason_too_short_is_refused_by_the_policy(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], school: dict[str, Any]
) -> None:
    response = client.post(
        _path(school["urn"]),
        headers=tokens.headers("data-manager"),
        json={**BODY, "reason": "move", "la_code": NEW_LA, "trust_id": school["trust_id"]},
    )
    assert response.status_code == 403
    assert [r["code"] for r in response.json()["reasons"]] == ["DENY_REASON_REQUIRED"]
    assert _placement(store, school["urn"]) == (886, school["trust_id"])


def test_an_effective_date_after_today_is_refused(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], school: dict[str, Any]
) -> None:
    tomorrow = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()
    response = client.post(
        _path(school["urn"]),
        headers=tokens.headers("data-manager"),
        json={**BODY, "effective_date": tomorrow, "la_code": NEW_LA, "trust_id": school["trust_id"]},
    )
    assert (response.status_code, response.json()["type"].rsplit("/", 1)[-1]) == (
        422,
        "effective-date-in-future",
    )
    assert _placement(store, school["urn"]) == (886, school["trust_id"])


def test_an_unknown_la_is_refused(client: TestClient[Any], tokens: Tokens, school: dict[str, Any]) -> None:
    response = client.post(
        _path(school["urn"]),
        headers=tokens.headers("data-manager"),
        json={**BODY, "la_code": 999, "trust_id": school["trust_id"]},
    )
    assert (response.status_code, response.json()["type"].rsplit("/", 1)[-1]) == (422, "unknown-la")


def test_an_establishment_number_taken_in_the_new_la_is_refused(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], school: dict[str, Any]
) -> None:
    # A school of the new LA with the moving school's establishment number (added for the test, then removed).
    store.execute(
        "INSERT INTO schools (urn, name, la_code, estab_number, phase, school_type)"
        " SELECT 999990, 'Namesake', %s, estab_number, phase, school_type FROM schools WHERE urn = %s",
        (NEW_LA, school["urn"]),
    )
    store.commit()
    try:
        response = client.post(
            _path(school["urn"]),
            headers=tokens.headers("data-manager"),
            json={**BODY, "la_code": NEW_LA, "trust_id": school["trust_id"]},
        )
    finally:
        store.execute("DELETE FROM schools WHERE urn = 999990")
        store.commit()
    assert (response.status_code, response.json()["type"].rsplit("/", 1)[-1]) == (
        422,
        "establishment-number-taken",
    )
    assert _placement(store, school["urn"]) == (886, school["trust_id"])
