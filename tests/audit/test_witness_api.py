"""Cosignatures in the API (issue 13 item 2): the latest-checkpoint route and the DPO's NDJSON export carry
what the witness co-signed, and the export verifies with both the gateway's and the witness's pinned keys
(and names a cosignature no pinned witness made)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from litestar.testing import TestClient

from gateway.app import create_app
from gateway.audit.checkpoint import Cosignature, verify_cosignature
from gateway.audit.cli import verify_export
from gateway.audit.keys import public_key_of, read_signing_key
from gateway.audit.witness import witness_once
from gateway.auth.devissuer import keygen
from gateway.auth.personas import persona_claims
from gateway.db.urls import DatabaseUrls
from gateway.settings import Settings

WITNESS = Ed25519PrivateKey.generate()
WITNESS_KEYS = {public_key_of(WITNESS).key_id: public_key_of(WITNESS)}
OVERSIGHT = {"purpose": "audit-oversight", "dpo_agreement": "dpo-oversight-dfe"}


def test_the_latest_checkpoint_and_the_export_carry_the_witness_cosignature(
    settings: Settings, db_urls: DatabaseUrls, tmp_path: Path
) -> None:
    dpo = {"Authorization": "Bearer " + keygen(settings.auth).issue(persona_claims("dfe-dpo"))}
    with TestClient(app=create_app(settings)) as client:
        signing = public_key_of(read_signing_key(settings.audit.signing_key_file))  # made at start-up
        gateway_keys = {signing.key_id: signing}
        for _ in range(3):
            assert client.get("/v1/attendance/daily").status_code == 401  # audited events to sign
        checkpoint = client.blocking_portal.call(client.app.state.services.audit.checkpoint)
        assert checkpoint is not None
        with psycopg.connect(db_urls.app, autocommit=True) as conn:
            result = witness_once(conn, WITNESS, gateway_keys, tmp_path / "witness.json")
        assert (result.status, result.size) == ("cosigned", checkpoint.size)
        latest = client.get("/v1/audit/checkpoints/latest", params=OVERSIGHT, headers=dpo)
        export = client.get("/v1/audit/export", params=OVERSIGHT, headers=dpo)
    assert latest.status_code == 200, latest.text
    body: dict[str, Any] = latest.json()
    assert body["size"] == checkpoint.size
    assert [c["key_id"] for c in body["cosignatures"]] == list(WITNESS_KEYS)
    cosignature = Cosignature.from_dict(body["cosignatures"][0])
    assert (cosignature.size, cosignature.root) == (checkpoint.size, checkpoint.root)
    assert verify_cosignature(cosignature, WITNESS_KEYS) is True

    assert export.status_code == 200, export.text
    kinds = [line.split('"type":"', 1)[1].split('"', 1)[0] for line in export.text.splitlines()]
    assert (kinds.count("witness-key"), kinds.count("cosignature")) == (1, 1)
    path = tmp_path / "export.ndjson"
    path.write_text(export.text)
    report = verify_export(path, gateway_keys, WITNESS_KEYS)
    assert report.findings == []
    assert (report.cosignatures, report.witnessed_size) == (1, checkpoint.size)
    stranger = public_key_of(Ed25519PrivateKey.generate())
    unpinned = verify_export(path, gateway_keys, {stranger.key_id: stranger})
    assert [f.kind for f in unpinned.findings] == ["bad-cosignature"]


def test_a_checkpoint_nobody_cosigned_has_no_cosignatures(settings: Settings, db_urls: DatabaseUrls) -> None:
    dpo = {"Authorization": "Bearer " + keygen(settings.auth).issue(persona_claims("dfe-dpo"))}
    with TestClient(app=create_app(settings)) as client:
        assert client.get("/v1/attendance/daily").status_code == 401
        client.blocking_portal.call(client.app.state.services.audit.checkpoint)
        latest = client.get("/v1/audit/checkpoints/latest", params=OVERSIGHT, headers=dpo)
    assert latest.status_code == 200, latest.text
    assert latest.json()["cosignatures"] == []
