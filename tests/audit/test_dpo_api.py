"""The data protection officers' routes, through the whole app: real tokens, real Rego, real database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner
from litestar import Litestar
from litestar.testing import TestClient

from gateway.app import create_app
from gateway.audit.cli import audit
from gateway.audit.keys import PublicKey
from gateway.audit.reader import ExportFile
from gateway.audit.verify import verify_consistency_document, verify_inclusion_document, verify_log
from gateway.auth.devissuer import keygen
from gateway.auth.personas import persona_claims
from gateway.db.urls import DatabaseUrls
from gateway.settings import Settings

UPN = "U202123456789"  # a valid UPN (correct check letter) of LA 202


@pytest.fixture(scope="module")
def client(settings: Settings, db_urls: DatabaseUrls) -> Iterator[TestClient[Litestar]]:
    keygen(settings.auth)
    with TestClient(app=create_app(settings)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def tokens(settings: Settings, client: TestClient[Litestar]) -> dict[str, str]:
    issuer = keygen(settings.auth)
    return {
        name: issuer.issue(persona_claims(name))
        for name in ("dfe-dpo", "ogd-dpo", "la-dpo", "la-safeguarding")
    }


def _get(client: TestClient[Litestar], token: str, url: str, request_id: str | None = None) -> Any:
    headers = {"Authorization": f"Bearer {token}"}
    if request_id:
        headers["x-request-id"] = request_id
    return client.get(url, headers=headers)


def _sign_checkpoint(client: TestClient[Litestar]) -> None:
    services = client.app.state.services
    client.blocking_portal.call(services.audit.checkpoint)


def _keys(client: TestClient[Litestar]) -> dict[str, PublicKey]:
    body = client.get("/v1/audit/keys").json()
    return {k["key_id"]: PublicKey.from_dict(k) for k in body["keys"]}


def test_dfe_officer_sees_every_organisation(client: TestClient[Litestar], tokens: dict[str, str]) -> None:
    _get(client, tokens["ogd-dpo"], "/v1/audit/events?limit=1")
    _get(client, tokens["la-dpo"], "/v1/audit/events?limit=1")
    response = _get(client, tokens["dfe-dpo"], "/v1/audit/events?limit=1000")
    assert response.status_code == 200
    events = response.json()["events"]
    # Unauthenticated requests (and 404s, which are audited too) carry no principal.
    organisations = {e["event"]["principal"]["organisation"] for e in events if e["event"]["principal"]}
    assert {"dwp", "la-202"} <= organisations
    assert response.json()["scope"] == {"organisations": None}


def test_other_departments_officer_sees_only_their_own_organisation(
    client: TestClient[Litestar], tokens: dict[str, str]
) -> None:
    _get(client, tokens["la-dpo"], "/v1/audit/events?limit=1")
    _get(client, tokens["ogd-dpo"], "/v1/audit/events?limit=1")  # the officer's own earlier access
    mine = _get(client, tokens["ogd-dpo"], "/v1/audit/events?limit=1000").json()
    asked_for_other = _get(client, tokens["ogd-dpo"], "/v1/audit/events?organisation=la-202").json()
    assert mine["scope"] == {"organisations": ["dwp"]}
    assert {e["event"]["principal"]["organisation"] for e in mine["events"]} == {"dwp"}
    assert asked_for_other["events"] == []


def test_reading_the_log_is_itself_audited(client: TestClient[Litestar], tokens: dict[str, str]) -> None:
    _get(client, tokens["ogd-dpo"], "/v1/audit/events?decision=denied", request_id="dpo-read-000001")
    found = _get(client, tokens["dfe-dpo"], "/v1/audit/events?route=/v1/audit/events&limit=1000").json()
    reads = [e["event"] for e in found["events"] if e["event"]["client_request_id"] == "dpo-read-000001"]
    assert len(reads) == 1
    assert reads[0]["params"]["decision"] == "denied"
    assert reads[0]["action"] == "audit.search"
    assert reads[0]["legal_gateway"].startswith("UK GDPR Art. 5(2)")


def test_non_officer_is_denied_and_the_denial_is_recorded(
    client: TestClient[Litestar], tokens: dict[str, str]
) -> None:
    response = _get(client, tokens["la-safeguarding"], "/v1/audit/events", request_id="denied-read-0001")
    assert response.status_code == 403
    found = _get(client, tokens["dfe-dpo"], "/v1/audit/events?decision=denied&limit=1000").json()
    assert "denied-read-0001" in {e["event"]["client_request_id"] for e in found["events"]}


def test_search_pages_with_a_cursor(client: TestClient[Litestar], tokens: dict[str, str]) -> None:
    for _ in range(3):
        _get(client, tokens["dfe-dpo"], "/v1/audit/events?limit=1")
    first = _get(client, tokens["dfe-dpo"], "/v1/audit/events?limit=2").json()
    second = _get(client, tokens["dfe-dpo"], f"/v1/audit/events?limit=2&cursor={first['next_cursor']}").json()
    seqs = [e["seq"] for e in first["events"] + second["events"]]
    assert seqs == sorted(seqs)
    assert len(set(seqs)) == 4


def test_malformed_cursor_is_a_400_problem(client: TestClient[Litestar], tokens: dict[str, str]) -> None:
    response = _get(client, tokens["dfe-dpo"], "/v1/audit/events?cursor=bogus")
    assert response.status_code == 400
    assert response.json()["type"].endswith("/invalid-cursor")


def test_subject_route_lists_who_accessed_a_pupil(
    client: TestClient[Litestar], tokens: dict[str, str]
) -> None:
    _get(
        client,
        tokens["dfe-dpo"],
        f"/v1/audit/subjects/{UPN}?purpose=subject-access",
        request_id="subj-first-0001",
    )
    second = _get(client, tokens["dfe-dpo"], f"/v1/audit/subjects/{UPN}?purpose=subject-access")
    assert second.status_code == 200
    access = next(a for a in second.json()["accesses"] if a["who"] == "dfe-dpo@dfe")
    assert access["route"] == "/v1/audit/subjects/{upn}"
    assert access["purpose"] == "subject-access"
    assert access["legal_gateway"].startswith("UK GDPR Art. 5(2)")
    assert UPN not in second.text


def test_subject_route_rejects_a_malformed_upn(client: TestClient[Litestar], tokens: dict[str, str]) -> None:
    # not UPN-shaped: refused by the declared path pattern (a UPN-shaped value with a wrong check letter is
    # a 422 invalid-upn: tests/api/test_upn_everywhere.py)
    response = _get(client, tokens["dfe-dpo"], "/v1/audit/subjects/not-a-upn")
    assert (response.status_code, response.json()["type"].rsplit("/", 1)[-1]) == (400, "invalid-request")


def test_latest_checkpoint_is_signed_by_a_published_key(
    client: TestClient[Litestar], tokens: dict[str, str]
) -> None:
    from gateway.audit.checkpoint import Checkpoint, verify_checkpoint

    _sign_checkpoint(client)
    body = _get(client, tokens["ogd-dpo"], "/v1/audit/checkpoints/latest").json()
    assert verify_checkpoint(Checkpoint.from_dict(body), _keys(client))


def test_inclusion_proof_verifies_and_fails_when_altered(
    client: TestClient[Litestar], tokens: dict[str, str], tmp_path: Path
) -> None:
    _get(client, tokens["ogd-dpo"], "/v1/audit/events?limit=1", request_id="proof-target-001")
    _sign_checkpoint(client)
    mine = _get(client, tokens["ogd-dpo"], "/v1/audit/events?limit=1000").json()["events"]
    seq = next(e["seq"] for e in mine if e["event"]["client_request_id"] == "proof-target-001")
    proof = _get(client, tokens["ogd-dpo"], f"/v1/audit/events/{seq}/proof").json()
    keys = _keys(client)
    assert verify_inclusion_document(proof, keys) == []
    altered = {**proof, "content": proof["content"].replace("proof-target-001", "proof-target-002")}
    assert verify_inclusion_document(altered, keys) == [f"event {seq}: content does not match its hash"]
    keys_file, proof_file = tmp_path / "keys.json", tmp_path / "proof.json"
    keys_file.write_text(client.get("/v1/audit/keys").text)
    proof_file.write_text(json.dumps(proof))
    result = CliRunner().invoke(audit, ["verify", "--keys", str(keys_file), "--proof", str(proof_file)])
    assert result.exit_code == 0, result.output
    assert result.output == "proof proof.json: OK\n"


def test_officer_cannot_get_a_proof_for_another_organisations_event(
    client: TestClient[Litestar], tokens: dict[str, str]
) -> None:
    _get(client, tokens["la-dpo"], "/v1/audit/events?limit=1", request_id="la-event-000001")
    _sign_checkpoint(client)
    everything = _get(client, tokens["dfe-dpo"], "/v1/audit/events?organisation=la-202&limit=1000").json()
    seq = everything["events"][-1]["seq"]
    response = _get(client, tokens["ogd-dpo"], f"/v1/audit/events/{seq}/proof")
    assert response.status_code == 404
    assert response.json()["type"].endswith("/event-not-found")


def test_consistency_proof_between_two_checkpoints_verifies(
    client: TestClient[Litestar], tokens: dict[str, str]
) -> None:
    _sign_checkpoint(client)
    older = _get(client, tokens["dfe-dpo"], "/v1/audit/checkpoints/latest").json()["size"]
    _get(client, tokens["dfe-dpo"], "/v1/audit/events?limit=1")
    _sign_checkpoint(client)
    newer = _get(client, tokens["dfe-dpo"], "/v1/audit/checkpoints/latest").json()["size"]
    proof = _get(client, tokens["dfe-dpo"], f"/v1/audit/consistency?from={older}&to={newer}").json()
    assert newer > older
    assert verify_consistency_document(proof, _keys(client)) == []
    forged = (
        {**proof, "path": list(reversed(proof["path"]))} if len(proof["path"]) > 1 else {**proof, "path": []}
    )
    assert verify_consistency_document(forged, _keys(client)) != []


def test_transparency_report_suppresses_small_counts_and_states_the_rule(
    client: TestClient[Litestar], tokens: dict[str, str]
) -> None:
    start = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    end = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    for _ in range(12):
        _get(client, tokens["dfe-dpo"], "/v1/audit/events?limit=1")  # allowed: over the threshold
    for _ in range(3):
        _get(client, tokens["la-safeguarding"], "/v1/audit/events")  # three denials: under the threshold
    response = client.get(
        "/v1/audit/report",
        params={"from": start, "to": end},
        headers={"Authorization": f"Bearer {tokens['dfe-dpo']}"},
    )
    body = response.json()
    assert response.status_code == 200, body
    assert body["disclosure_rule"].startswith("Counts below 10 are suppressed (null).")
    assert "transparency-report" in body["disclosure_rule"]
    values = [v for breakdown in body["by"].values() for v in breakdown.values()]
    assert all(v is None or (v >= 10 and v % 5 == 0) for v in values)
    assert body["total"] >= 15
    assert body["total"] % 5 == 0
    decisions = body["by"]["decision"]
    assert decisions["denied"] is None
    assert sum(v is None for v in decisions.values()) != 1


def test_full_ndjson_export_verifies_offline(
    client: TestClient[Litestar], tokens: dict[str, str], tmp_path: Path
) -> None:
    _sign_checkpoint(client)
    response = _get(client, tokens["dfe-dpo"], "/v1/audit/export?format=ndjson")
    assert response.status_code == 200
    path = tmp_path / "export.ndjson"
    path.write_bytes(response.content)
    export = ExportFile(path)
    report = verify_log(export.events(), export.checkpoints, _keys(client))
    assert report.ok, report.findings
    assert report.checkpoints == len(export.checkpoints)


def test_csv_export_has_a_header_and_one_row_per_event(
    client: TestClient[Litestar], tokens: dict[str, str]
) -> None:
    response = _get(client, tokens["ogd-dpo"], "/v1/audit/export?format=csv")
    lines = response.text.splitlines()
    assert response.headers["content-type"].startswith("text/csv")
    assert lines[0].startswith(
        "seq,time,organisation,principal_subject,agreement,legal_gateway,purpose,outcome"
    )
    assert all(",dwp," in line for line in lines[1:] if line[:1].isdigit())


def test_export_event_records_rows_returned(client: TestClient[Litestar], tokens: dict[str, str]) -> None:
    response = _get(
        client, tokens["ogd-dpo"], "/v1/audit/export?format=ndjson", request_id="export-rows-0001"
    )
    exported = sum(1 for line in response.content.splitlines() if line.startswith(b'{"type":"event"'))
    found = _get(client, tokens["dfe-dpo"], "/v1/audit/events?route=/v1/audit/export&limit=1000").json()
    event = next(e["event"] for e in found["events"] if e["event"]["client_request_id"] == "export-rows-0001")
    assert event["rows_returned"] == exported
    assert orjson.loads(orjson.dumps(event))["status"] == 200


def test_unauthenticated_request_is_recorded(client: TestClient[Litestar], tokens: dict[str, str]) -> None:
    response = client.get("/v1/audit/events", headers={"x-request-id": "no-token-000001"})
    assert response.status_code == 401
    found = _get(client, tokens["dfe-dpo"], "/v1/audit/events?decision=unauthenticated&limit=1000").json()
    events = [e["event"] for e in found["events"] if e["event"]["client_request_id"] == "no-token-000001"]
    assert len(events) == 1
    assert events[0]["principal"] is None
    assert events[0]["status"] == 401
