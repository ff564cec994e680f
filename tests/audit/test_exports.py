"""Exports carry keys, checkpoints, witness keys and cosignatures; a line that cannot be read is a finding."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gateway.audit.cli import verify_export
from gateway.audit.keys import public_key_of, read_signing_key
from gateway.audit.reader import ExportFile, write_export
from gateway.audit.witness import witness_once
from gateway.db.urls import DatabaseUrls
from gateway.settings import Settings
from tests.audit.conftest import TEMPLATE_EVENTS

WITNESS = Ed25519PrivateKey.generate()


@pytest.fixture
def export(settings: Settings, tampered_db: DatabaseUrls, tmp_path: Path) -> Path:
    """An export of the template log, co-signed at its newest checkpoint."""
    key = public_key_of(read_signing_key(settings.audit.signing_key_file))
    with psycopg.connect(tampered_db.app, autocommit=True) as conn:
        assert witness_once(conn, WITNESS, {key.key_id: key}, tmp_path / "w.json").status == "cosigned"
    path = tmp_path / "audit.ndjson"
    with psycopg.connect(tampered_db.admin, autocommit=True) as conn:
        assert write_export(conn, path) == TEMPLATE_EVENTS
    return path


def _edit(path: Path, kind: str, change: Any) -> int:
    lines = path.read_text().splitlines()
    index = next(i for i, line in enumerate(lines) if json.loads(line)["type"] == kind)
    lines[index] = change(lines[index])
    path.write_text("\n".join(lines) + "\n")
    return index + 1


def test_an_export_carries_the_witness_and_its_cosignature(export: Path, settings: Settings) -> None:
    read = ExportFile(export)
    assert (list(read.witness_keys), [c.size for c in read.cosignatures]) == (
        [public_key_of(WITNESS).key_id],
        [TEMPLATE_EVENTS],
    )
    key = public_key_of(read_signing_key(settings.audit.signing_key_file))
    report = verify_export(export, {key.key_id: key}, read.witness_keys)
    assert (report.ok, report.keys_pinned, report.witnessed_size) == (True, True, TEMPLATE_EVENTS)


@pytest.mark.parametrize(
    ("kind", "change", "finding"),
    [
        ("checkpoint", lambda line: line.replace('"root":"', '"root":"zz'), "bad-checkpoint"),
        ("cosignature", lambda line: line.replace('"size":', '"sighs":'), "bad-cosignature"),
        ("header", lambda line: line[:-3], "bad-line"),
    ],
)
def test_an_unreadable_line_is_a_finding_not_a_traceback(
    export: Path, kind: str, change: Any, finding: str
) -> None:
    number = _edit(export, kind, change)
    report = verify_export(export)
    error = {"bad-checkpoint": "ValueError", "bad-cosignature": "KeyError", "bad-line": "JSONDecodeError"}[
        finding
    ]
    assert [f.as_dict() for f in report.findings if f.kind == finding] == [
        {
            "kind": finding,
            "detail": f"export line {number} cannot be read: {error}",
            "seq": None,
            "checkpoint_size": None,
        }
    ]


def test_an_unreadable_event_line_is_a_missing_event(export: Path) -> None:
    lines = export.read_text().splitlines()
    index = next(i for i, line in enumerate(lines) if json.loads(line).get("seq") == 30)
    lines[index] = lines[index].replace('"prev_hash":"', '"prev_hash":"zz')
    export.write_text("\n".join(lines) + "\n")
    report = verify_export(export)
    assert report.first_bad_seq == 30
    assert report.findings[0].detail == "events 30 are missing before event 31"
