"""Issue 15 item 6: a supplier's verdict on the published feed test pack, recorded by the gateway
(POST /v1/feed/conformance/checks) and shown in the public record (GET /v1/feed/conformance). The check runs
the same checker as `gateway feed check --pack` over the supplier's own output, as a dry run."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson
import psycopg
from litestar.testing import TestClient

from gateway.ingest.pack import PUBLISHED_PACK, load_manifest, pack_identity
from tests.api.conftest import Tokens, audit_count
from tests.api.test_feed_conformance import _line, _product, _record, _send, _stored_marks

CHECKS = "/v1/feed/conformance/checks"
PARAMS = {"purpose": "data-collection", "agreement": "aggregator-collection"}
PACK = {path.name: path.read_text() for path, _ in load_manifest(PUBLISHED_PACK)}
# What the pack's manifest states for each file (docs/feed-tests/manifest.json).
EXPECTED = {
    "schools.csv": {"accepted": 3, "rejected": {"bad_value": 2, "duplicate_in_batch": 1}},
    "roster.csv": {
        "accepted": 3,
        "rejected": {"bad_value": 1, "duplicate_in_batch": 1, "invalid_upn": 1, "unknown_school": 1},
    },
    "marks.ndjson": {
        "accepted": 3,
        "rejected": {
            "bad_session": 1,
            "code_retired": 1,
            "code_unknown": 1,
            "duplicate_in_batch": 1,
            "unknown_enrolment": 1,
        },
    },
    "marks-corrections.csv": {
        "accepted": 2,
        "rejected": {"bad_date": 2, "malformed_row": 1, "unknown_enrolment": 1},
    },
}
STORE_TABLES = ("schools", "pupils", "enrolments", "marks", "ingest_batches", "ingest_rejects")


def _check(
    client: TestClient[Any],
    tokens: Tokens,
    files: dict[str, str],
    product: str,
    version: str | None = None,
    persona: str = "aggregator",
) -> Any:
    headers = {**tokens.headers(persona), "MIS-Product": product}
    if version is not None:
        headers["MIS-Version"] = version
    return client.post(CHECKS, params=PARAMS, json={"files": files}, headers=headers)


def _counts(store: psycopg.Connection[Any]) -> dict[str, int]:
    return {t: int(store.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in STORE_TABLES}  # type: ignore[index]


def _verdicts(store: psycopg.Connection[Any], product: str) -> list[tuple[Any, ...]]:
    return store.execute(
        "SELECT mis_version, sender, pack_version, pack_digest, passed, files FROM feed_pack_verdicts"
        " WHERE mis_product = %s ORDER BY verdict_id",
        (product,),
    ).fetchall()


def _without_line(text: str, containing: str) -> str:
    kept = [line for line in text.splitlines(keepends=True) if containing not in line]
    assert len(kept) == len(text.splitlines()) - 1  # exactly one line dropped
    return "".join(kept)


def test_the_pack_itself_passes_and_the_verdict_is_recorded_with_nothing_else_written(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    before = _counts(store)
    response = _check(client, tokens, PACK, "CheckPass", "4.2")
    assert response.status_code == 200, response.text[:300]
    body = response.json()
    pack = pack_identity(PUBLISHED_PACK)
    assert {k: body[k] for k in ("mis_product", "mis_version", "sender", "pack_version", "pack_digest")} == {
        "mis_product": "CheckPass",
        "mis_version": "4.2",
        "sender": "register-aggregator",
        "pack_version": "1",
        "pack_digest": pack.digest,
    }
    assert (body["verdict"], body["files_failed"]) == ("pass", 0)
    assert body["files"] == [
        {"file": name, "verdict": "pass", "expected": outcome, "found": outcome}
        for name, outcome in EXPECTED.items()
    ]
    assert _counts(store) == before  # a dry run: no school, pupil, enrolment, mark, batch or reject written
    [(version, sender, pack_version, digest, passed, files)] = _verdicts(store, "CheckPass")
    assert (version, sender, pack_version, digest, passed) == (
        "4.2",
        "register-aggregator",
        "1",
        pack.digest,
        True,
    )
    assert files == body["files"]


def test_an_output_that_accepts_a_row_the_pack_rejects_fails_that_file(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    # The supplier's system dropped the retired-code mark: it wrote one row fewer than the pack's marks file.
    output = {**PACK, "marks.ndjson": _without_line(PACK["marks.ndjson"], '"code": "H"')}
    response = _check(client, tokens, output, "CheckFail")
    assert response.status_code == 200, response.text[:300]
    body = response.json()
    assert (body["verdict"], body["files_failed"], body["mis_version"]) == ("fail", 1, None)
    verdicts = {f["file"]: f["verdict"] for f in body["files"]}
    assert verdicts == {
        "schools.csv": "pass",
        "roster.csv": "pass",
        "marks.ndjson": "fail",
        "marks-corrections.csv": "pass",
    }
    (marks,) = [f for f in body["files"] if f["file"] == "marks.ndjson"]
    rejected = {**EXPECTED["marks.ndjson"]["rejected"]}  # type: ignore[dict-item]
    del rejected["code_retired"]
    assert marks["found"] == {"accepted": 3, "rejected": rejected}
    [(_, _, _, _, passed, _)] = _verdicts(store, "CheckFail")
    assert passed is False


def test_a_submission_missing_a_pack_file_is_422_naming_it_and_records_nothing(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    output = {k: v for k, v in PACK.items() if k != "roster.csv"}
    output["extra.csv"] = "urn\n1\n"
    response = _check(client, tokens, output, "CheckMissing")
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"].endswith("/invalid-feed")
    assert problem["detail"] == (
        "The submission was not checked: the submission must have exactly the pack's files (schools.csv,"
        " roster.csv, marks.ndjson, marks-corrections.csv): missing roster.csv; unexpected extra.csv"
    )
    assert _verdicts(store, "CheckMissing") == []


def test_a_body_that_is_not_a_submission_is_400_naming_the_member(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    headers = {**tokens.headers("aggregator"), "MIS-Product": "CheckBadBody"}
    response = client.post(CHECKS, params=PARAMS, json={"files": ["schools.csv"]}, headers=headers)
    assert response.status_code == 400
    problem = response.json()
    assert problem["type"].endswith("/invalid-request")
    assert "files" in orjson.dumps(problem).decode()
    assert _verdicts(store, "CheckBadBody") == []


def test_a_check_without_the_product_header_is_refused(client: TestClient[Any], tokens: Tokens) -> None:
    response = client.post(CHECKS, params=PARAMS, json={"files": PACK}, headers=tokens.headers("aggregator"))
    assert response.status_code == 400
    assert "mis-product" in response.text


def test_a_caller_who_may_not_send_registers_is_refused_and_nothing_is_recorded(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    response = _check(client, tokens, PACK, "CheckRefused", persona="ons-statistician")
    assert response.status_code == 403
    assert _verdicts(store, "CheckRefused") == []
    assert audit_count(store, response.headers["x-request-id"]) == 1


def test_a_check_is_audited_once_as_the_ingest_action(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    response = _check(client, tokens, PACK, "CheckAudited")
    assert response.status_code == 200
    rows = store.execute(
        "SELECT content FROM audit_events WHERE request_id = %s", (response.headers["x-request-id"],)
    ).fetchall()
    assert len(rows) == 1
    event = orjson.loads(rows[0][0])
    assert (event["action"], event["route"], event["outcome"], event["principal"]["organisation"]) == (
        "ingest.registers",
        CHECKS,
        "allowed",
        "register-aggregator",
    )


def test_the_public_record_shows_each_product_versions_latest_verdict(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    lines = [_line(*m) for m in _stored_marks(store, 3)]
    _send(client, tokens, lines, "CheckShown", "1")
    _send(client, tokens, lines, "CheckShown", "2")
    (shown,) = _product(_record(client), "CheckShown", "1")
    assert (shown["pack_verdict"], shown["pack_checked_at"], shown["pack_version"]) == (
        "not-checked",
        None,
        None,
    )

    failing = {
        **PACK,
        "schools.csv": PACK["schools.csv"] + "900009,Extra School,202,4009,primary,community\n",
    }
    assert _check(client, tokens, failing, "CheckShown", "1").json()["verdict"] == "fail"
    (shown,) = _product(_record(client), "CheckShown", "1")
    assert shown["pack_verdict"] == "fail"

    passed = _check(client, tokens, PACK, "CheckShown", "1").json()
    record = _record(client)
    (shown,) = _product(record, "CheckShown", "1")
    assert (shown["pack_verdict"], shown["pack_version"]) == ("pass", "1")
    assert datetime.fromisoformat(shown["pack_checked_at"]) == datetime.fromisoformat(passed["checked_at"])
    (other,) = _product(record, "CheckShown", "2")  # another version of the product was not checked
    assert other["pack_verdict"] == "not-checked"
