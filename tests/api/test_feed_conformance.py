"""Issue 15 item 6: `GET /v1/feed/conformance`, the public record of how clean each MIS product's and each
sender's feeds are. Real batches go through POST /v1/ingest/registers with different MIS headers; the record
is read without a token, and every read is audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import psycopg
from litestar.testing import TestClient

from gateway.store.feed_conformance import MIN_SCHOOLS, GroupFigures, publishable
from tests.api.conftest import Tokens, audit_count

INGEST = "/v1/ingest/registers"
CONFORMANCE = "/v1/feed/conformance"
PARAMS = {"purpose": "data-collection", "agreement": "aggregator-collection"}
MARKS_HEADER = "urn,upn,date,session,code,recorded_at"


def _stored_marks(store: psycopg.Connection[Any], schools: int) -> list[tuple[Any, ...]]:
    """One stored mark from each of the first `schools` schools of LA 202 (the aggregator's)."""
    rows = store.execute(
        "SELECT DISTINCT ON (m.urn) m.urn, p.upn, m.date, m.session, m.code, m.recorded_at FROM marks m"
        " JOIN enrolments e USING (enrolment_id) JOIN pupils p ON p.pupil_id = e.pupil_id"
        " WHERE m.la_code = 202 ORDER BY m.urn, m.date, e.enrolment_id, m.session LIMIT %s",
        (schools,),
    ).fetchall()
    assert len(rows) == schools
    return [tuple(r) for r in rows]


def _line(urn: int, upn: str, day: Any, session: int, code: str, recorded: Any) -> str:
    return f"{urn},{upn},{day},{'PM' if session else 'AM'},{code},{recorded.isoformat()}"


def _send(client: TestClient[Any], tokens: Tokens, lines: list[str], product: str, version: str) -> Any:
    headers = {
        **tokens.headers("aggregator"),
        "content-type": "text/csv",
        "MIS-Product": product,
        "MIS-Version": version,
    }
    body = (MARKS_HEADER + "\n" + "\n".join(lines) + "\n").encode()
    response = client.post(INGEST, params=PARAMS, content=body, headers=headers)
    assert response.status_code == 200, response.text[:300]
    return response.json()


def _record(client: TestClient[Any]) -> dict[str, Any]:
    response = client.get(CONFORMANCE)
    assert response.status_code == 200, response.text[:300]
    return dict(response.json())


def _product(record: dict[str, Any], product: str, version: str) -> list[dict[str, Any]]:
    return [p for p in record["products"] if (p["mis_product"], p["mis_version"]) == (product, version)]


def _sender(record: dict[str, Any], sender: str) -> dict[str, Any]:
    (found,) = [s for s in record["senders"] if s["sender"] == sender]
    return found


def test_a_product_is_published_with_its_rejects_corrections_and_late_sessions(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    marks = _stored_marks(store, 3)
    lines = [_line(*m) for m in marks]  # each from another school, dated before today
    urn, upn, day, session, code, recorded = marks[0]
    # The first mark recorded again an hour later: a correction (it replaces the stored one, same code).
    lines[0] = _line(urn, upn, day, session, code, recorded + timedelta(hours=1))
    lines.append(_line(urn, upn, day, session, "?", recorded))  # an unknown code: rejected
    sent = _send(client, tokens, lines, "ConformA", "1.0")
    assert (sent["accepted"], sent["updated"], sent["unchanged"], sent["rejected"]) == (0, 1, 2, 1)

    (published,) = _product(_record(client), "ConformA", "1.0")
    assert published == {
        "mis_product": "ConformA",
        "mis_version": "1.0",
        "feed_kinds": ["marks"],
        "batches": 1,
        "rows": 4,
        "schools": 3,
        "rejected": 1,
        "reject_rate": 0.25,
        "reject_rate_by_reason": {"code_unknown": 0.25},
        "corrections": 1,
        "corrections_rate": 0.25,
        "late_sessions": 3,
        "late_rate": 1.0,
        "pack_verdict": "not-checked",
        "pack_checked_at": None,
        "pack_version": None,
    }


def test_a_product_whose_batches_named_too_few_schools_is_withheld(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    before = _record(client)["products_withheld"]
    _send(client, tokens, [_line(*m) for m in _stored_marks(store, MIN_SCHOOLS - 1)], "ConformB", "2.1")
    after = _record(client)
    assert _product(after, "ConformB", "2.1") == []
    assert after["products_withheld"] == before + 1


def test_the_sender_is_published_with_every_batch_it_sent_whatever_the_product(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    lines = [_line(*m) for m in _stored_marks(store, 3)]
    _send(client, tokens, lines, "ConformC", "3")  # from here the sender has named at least 3 schools
    before = _sender(_record(client), "register-aggregator")
    _send(client, tokens, lines, "ConformD", "1")
    after = _sender(_record(client), "register-aggregator")
    assert (after["batches"], after["rows"], after["rejected"]) == (
        before["batches"] + 1,
        before["rows"] + 3,
        before["rejected"],
    )
    assert "mis_product" not in after


def test_the_record_needs_no_token_and_each_read_is_audited_once(
    client: TestClient[Any], store: psycopg.Connection[Any]
) -> None:
    response = client.get(CONFORMANCE)
    assert response.status_code == 200
    request_id = response.headers["x-request-id"]
    assert audit_count(store, request_id) == 1
    row = store.execute(
        "SELECT route, principal_subject, organisation, outcome FROM audit_events WHERE request_id = %s",
        (request_id,),
    ).fetchone()
    assert row == ("/v1/feed/conformance", None, None, "allowed")


def test_the_record_states_its_rule_and_schema_version(client: TestClient[Any]) -> None:
    record = _record(client)
    assert (record["schema_version"], record["min_schools"]) == ("1", MIN_SCHOOLS)
    assert record["rule"].startswith(
        f"A product and version, or a sender, is shown only when its batches' valid rows named at least {MIN_SCHOOLS}"
    )


def _group(schools: int) -> GroupFigures:
    return GroupFigures(
        key="P",
        version=None,
        feed_kinds=("marks",),
        batches=1,
        rows=10,
        rejected=0,
        rejected_by_reason={},
        corrections=0,
        mark_rows=10,
        late_sessions=0,
        schools=schools,
    )


def test_the_rule_shows_a_group_from_min_schools_and_withholds_smaller_ones() -> None:
    shown = _group(MIN_SCHOOLS)
    result = publishable([_group(MIN_SCHOOLS - 1), shown, _group(1)])
    assert (result.groups, result.withheld) == ((shown,), 2)
