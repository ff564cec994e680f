"""The DfE data-management action `pupils.merge`: a pupil recorded under two UPNs (a temporary UPN replaced by a
permanent one) becomes one record only through `POST /v1/admin/pupils/{upn}/merge`, for the data-manager under
dfe-data-management, with a reason; all or nothing, audited by counts (never a UPN in the clear), refused for
every other persona, and afterwards the old UPN is unknown. Through the real app, database and policy; the two
records are arranged in the shared database and removed afterwards (tests/api/pupil_records.py). How the rollups
follow the moved marks is specified in tests/ingest/test_pupil_merge_rollups.py."""

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
from tests.api.pupil_records import PERMANENT_UPN, SPARE_UPN, TEMPORARY_UPN, enrol, two_records

BODY = {
    "purpose": "data-management",
    "agreement": "dfe-data-management",
    "reason": "School letter 2026-12: the temporary UPN was replaced by the permanent one",
    "into": PERMANENT_UPN,
}
COUNTED = (
    "pupils",
    "pupil_upns",
    "enrolments",
    "marks",
    "ingest_batches",
    "school_day_group",
    "enrolment_term",
)


def _path(upn: str = TEMPORARY_UPN) -> str:
    return f"/v1/admin/pupils/{upn}/merge"


def _kind(response: Any) -> str:
    return str(response.json()["type"]).rsplit("/", 1)[-1]


def _event(store: psycopg.Connection[Any], response: Any) -> dict[str, Any]:
    rows = store.execute(
        "SELECT content FROM audit_events WHERE request_id = %s", (response.headers["x-request-id"],)
    ).fetchall()
    assert len(rows) == 1
    event: dict[str, Any] = orjson.loads(rows[0][0])
    return event


def _counts(store: psycopg.Connection[Any]) -> dict[str, int]:
    counts = {}
    for table in COUNTED:
        row = store.execute(f"SELECT count(*) FROM {table}").fetchone()
        assert row is not None
        counts[table] = int(row[0])
    return counts


def _schools_of(store: psycopg.Connection[Any], upn: str) -> list[int]:
    rows = store.execute(
        "SELECT e.urn FROM enrolments e JOIN pupils p USING (pupil_id) WHERE p.upn = %s ORDER BY 1", (upn,)
    ).fetchall()
    return [int(r[0]) for r in rows]


@pytest.fixture
def records(store: psycopg.Connection[Any], areas: dict[str, Any]) -> Iterator[dict[str, int]]:
    """The temporary record enrolled at the own school and at a school of the other LA, the permanent record at
    the own school (no marks: the shared data's rollups are not touched)."""
    own, other = int(areas["own"]["urn"]), int(areas["other"]["urn"])
    with two_records(store) as (temporary, permanent):
        enrol(store, temporary, own)
        enrol(store, temporary, other)
        enrol(store, permanent, own)
        yield {"own": own, "other": other}


def test_the_data_manager_merges_the_temporary_record_into_the_permanent_one(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], records: dict[str, int]
) -> None:
    response = client.post(_path(), headers=tokens.headers("data-manager"), json=BODY)
    assert response.status_code == 200, response.text[:300]
    body = response.json()
    assert {k: v for k, v in body.items() if k != "governance"} == {
        "upn": TEMPORARY_UPN,
        "into": PERMANENT_UPN,
        "enrolments_moved": 1,
        "enrolments_merged": 1,
        "marks_moved": 0,
        "duplicate_marks": 0,
        "effective_date": datetime.now(UTC).date().isoformat(),
    }
    assert body["governance"]["agreement"] == "dfe-data-management"
    assert _schools_of(store, PERMANENT_UPN) == sorted([records["own"], records["other"]])
    for table in ("pupils", "pupil_upns"):
        assert store.execute(f"SELECT count(*) FROM {table} WHERE upn = %s", (TEMPORARY_UPN,)).fetchone() == (
            0,
        )


def test_the_audit_event_records_counts_and_no_upn_in_the_clear(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], records: dict[str, int]
) -> None:
    batches = _counts(store)["ingest_batches"]
    response = client.post(
        _path(), headers=tokens.headers("data-manager"), json={**BODY, "effective_date": "2026-09-01"}
    )
    assert response.status_code == 200, response.text[:300]
    event = _event(store, response)
    assert (event["action"], event["outcome"], event["status"], event["reason_given"]) == (
        "pupils.merge",
        "allowed",
        200,
        True,
    )
    params = {k: event["params"][k] for k in ("enrolments_moved", "enrolments_merged", "marks_moved")}
    assert params == {"enrolments_moved": 1, "enrolments_merged": 1, "marks_moved": 0}
    assert (event["params"]["duplicate_marks"], event["params"]["effective_date"]) == (0, "2026-09-01")
    text = orjson.dumps(event).decode()
    assert TEMPORARY_UPN not in text
    assert PERMANENT_UPN not in text
    # The data version moves: one data-management batch, which hashes pupil ids and counts, not UPNs.
    assert _counts(store)["ingest_batches"] == batches + 1
    newest = store.execute("SELECT source_name FROM ingest_batches ORDER BY batch_id DESC LIMIT 1").fetchone()
    assert newest == ("data-management: pupils.merge",)


def test_the_old_upn_then_answers_unknown_pupil(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], records: dict[str, int]
) -> None:
    manager = tokens.headers("data-manager")
    assert client.post(_path(), headers=manager, json=BODY).status_code == 200
    again = client.post(_path(), headers=manager, json=BODY)
    assert (again.status_code, _kind(again), again.json()["errors"][0]["field"]) == (
        422,
        "unknown-pupil",
        "upn",
    )
    identity = {
        **{k: BODY[k] for k in ("purpose", "agreement", "reason")},
        "forename": "Sam", "surname": "Example", "date_of_birth": "2015-02-03", "sex": "F", "ethnicity": "WBRI",
    }  # fmt: skip
    corrected = client.post(f"/v1/admin/pupils/{TEMPORARY_UPN}/identity", headers=manager, json=identity)
    assert (corrected.status_code, _kind(corrected)) == (422, "unknown-pupil")


def test_two_different_marks_for_one_session_refuse_the_merge_and_nothing_is_written(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], records: dict[str, int]
) -> None:
    """The two records' enrolments at the own school hold 2025-09-03 PM as / and N (arranged by the owner, and
    removed with the records): the first such session is named, and no table changes."""
    for upn, code in ((TEMPORARY_UPN, "N"), (PERMANENT_UPN, "/")):
        store.execute(
            """INSERT INTO marks (enrolment_id, date, session, la_code, urn, code, recorded_at, batch_id)
               SELECT e.enrolment_id, '2025-09-03', 1, e.la_code, e.urn, %s, '2025-09-03T13:30:00Z',
                      (SELECT max(batch_id) FROM ingest_batches)
               FROM enrolments e JOIN pupils p USING (pupil_id) WHERE p.upn = %s AND e.urn = %s""",
            (code, upn, records["own"]),
        )
    before = _counts(store)
    response = client.post(_path(), headers=tokens.headers("data-manager"), json=BODY)
    assert (response.status_code, _kind(response)) == (422, "conflicting-marks"), response.text[:300]
    assert "2025-09-03 PM" in response.json()["detail"]
    assert response.json()["errors"] == [
        {"field": "into", "source": "body", "message": "conflicting marks on 2025-09-03 PM"}
    ]
    assert _counts(store) == before
    assert _schools_of(store, TEMPORARY_UPN) == sorted([records["own"], records["other"]])


@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - {"data-manager"}))
def test_every_other_persona_is_refused_and_nothing_changes(
    client: TestClient[Any],
    tokens: Tokens,
    store: psycopg.Connection[Any],
    records: dict[str, int],
    persona: str,
) -> None:
    before = _counts(store)
    response = client.post(_path(), headers=tokens.headers(persona), json=BODY)
    assert response.status_code == 403, response.text[:300]
    event = _event(store, response)
    assert (event["action"], event["outcome"], event["allow"]) == ("pupils.merge", "denied", False)
    assert _counts(store) == before
    assert _schools_of(store, TEMPORARY_UPN) == sorted([records["own"], records["other"]])


def test_a_reason_too_short_is_refused_by_the_policy(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], records: dict[str, int]
) -> None:
    response = client.post(_path(), headers=tokens.headers("data-manager"), json={**BODY, "reason": "dup"})
    assert response.status_code == 403
    assert [r["code"] for r in response.json()["reasons"]] == ["DENY_REASON_REQUIRED"]
    assert _schools_of(store, TEMPORARY_UPN) == sorted([records["own"], records["other"]])


@pytest.mark.parametrize(
    ("change", "status", "kind", "field"),
    [
        ({"into": TEMPORARY_UPN}, 422, "merge-into-self", "into"),
        ({"into": SPARE_UPN}, 422, "unknown-pupil", "into"),
        ({"into": "A" + PERMANENT_UPN[1:]}, 422, "invalid-upn", "into"),
        ({"into": "not-a-upn-abc"}, 400, "invalid-request", "into"),
        ({"into": None}, 400, "invalid-request", "into"),
        ({"reason": "School letter 2026-12\u0000"}, 400, "invalid-request", "reason"),
        ({"effective_date": "1999-12-31"}, 400, "invalid-request", "effective_date"),
        ({"effective_date": (datetime.now(UTC).date() + timedelta(days=1)).isoformat()}, 422,
         "effective-date-in-future", "effective_date"),
    ],
    ids=[
        "into itself", "into an unknown pupil", "into a wrong check letter", "into of the wrong shape", "no into",
        "control character in reason", "effective before 2000", "effective after today",
    ],
)  # fmt: skip
def test_a_bad_request_is_refused_and_nothing_is_written(
    client: TestClient[Any],
    tokens: Tokens,
    store: psycopg.Connection[Any],
    records: dict[str, int],
    change: dict[str, Any],
    status: int,
    kind: str,
    field: str,
) -> None:
    before = _counts(store)
    body = {k: v for k, v in {**BODY, **change}.items() if v is not None}
    response = client.post(_path(), headers=tokens.headers("data-manager"), json=body)
    assert (response.status_code, _kind(response)) == (status, kind), response.text[:300]
    assert field in response.text
    assert _counts(store) == before


def test_an_unknown_pupil_is_refused_and_nothing_is_written(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], records: dict[str, int]
) -> None:
    before = _counts(store)
    response = client.post(_path(SPARE_UPN), headers=tokens.headers("data-manager"), json=BODY)
    assert (response.status_code, _kind(response), response.json()["errors"][0]["field"]) == (
        422,
        "unknown-pupil",
        "upn",
    )
    assert _counts(store) == before


def test_a_upn_with_a_wrong_check_letter_is_refused(
    client: TestClient[Any], tokens: Tokens, records: dict[str, int]
) -> None:
    response = client.post(_path("A" + TEMPORARY_UPN[1:]), headers=tokens.headers("data-manager"), json=BODY)
    assert (response.status_code, _kind(response), response.json()["errors"][0]["field"]) == (
        422,
        "invalid-upn",
        "upn",
    )
