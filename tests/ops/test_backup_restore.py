"""Backups that restore: a small ingested store with audit events is backed up, restored into a second
embedded PostgreSQL, and found the same (every table's rows, the rollups, the headline figures), with
`gateway audit verify` passing against the keys the backup pinned."""

from __future__ import annotations

import json
import shutil
import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner
from litestar.testing import TestClient
from psycopg import sql

from gateway.app import create_app
from gateway.auth.devissuer import keygen
from gateway.auth.personas import persona_claims
from gateway.cli import main
from gateway.db.urls import DatabaseUrls, release_embedded, resolve_database, start_embedded
from gateway.demo import headline, prepare_demo_data
from gateway.ops.backup import DUMP_FILE, KEYS_FILE, MANIFEST_FILE, BackupError, Manifest, make_backup
from gateway.ops.facts import collect, user_tables
from gateway.ops.restore import RestoreError, restore_backup
from gateway.settings import Settings
from gateway.synth.generate import SynthParams
from tests.ops.conftest import child_env, postgres_processes, private_pg_dir, remove_pg_dir

# Three schools over two weeks: every store table and both rollups have rows, in seconds.
SMALL = SynthParams(schools=3, start=date(2025, 9, 1), end=date(2025, 9, 12), seed=5, las=(886,))
SUMMARY = {
    "purpose": "attendance-support",
    "agreement": "la-attendance-support",
    "reason": "Termly targeting meeting",
    "date_from": "2025-09-01",
    "date_to": "2025-09-12",
    "level": "la",
    "la_code": 886,
}
SUMMARY_CHECK = "SELECT count(*), sum(possible), sum(present), sum(authorised), sum(unauthorised) FROM {}"


@pytest.fixture(scope="module")
def source(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """This module's database on the test server: the small store ingested, and audited requests with a
    signed checkpoint (the app signs one as it shuts down)."""
    name = f"{settings.database_name}_backup"
    server_url = start_embedded(settings.pg_data_dir)
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(drop)
    own = settings.model_copy(
        update={"database_name": name, "var_dir": tmp_path_factory.mktemp("backup-var")}
    )
    prepare_demo_data(own, SMALL)
    issuer = keygen(own.auth)
    token = issuer.issue(persona_claims("la-attendance", la_code=886))
    with TestClient(app=create_app(own)) as client:
        assert client.get("/v1/attendance/summary", params=SUMMARY).status_code == 401
        allowed = client.get(
            "/v1/attendance/summary", params=SUMMARY, headers={"Authorization": f"Bearer {token}"}
        )
        assert allowed.status_code == 200, allowed.text
    yield own
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(drop)


@pytest.fixture(scope="module")
def source_urls(source: Settings) -> DatabaseUrls:
    return resolve_database(source)


@pytest.fixture(scope="module")
def backup_dir(source: Settings, source_urls: DatabaseUrls, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("backups") / "nightly"
    make_backup(source, source_urls, out)
    return out


@pytest.fixture(scope="module")
def second_server(source: Settings) -> Iterator[Settings]:
    """A second embedded PostgreSQL of its own (own data directory), stopped when the module ends."""
    target = source.model_copy(update={"pg_data_dir": private_pg_dir("restore"), "database_name": "restored"})
    start_embedded(target.pg_data_dir)
    yield target
    assert release_embedded(target.pg_data_dir) is True
    assert postgres_processes(target.pg_data_dir) == []
    remove_pg_dir(target.pg_data_dir)


def fresh_database(target: Settings, name: str) -> Settings:
    server_url = start_embedded(target.pg_data_dir)
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    return target.model_copy(update={"database_name": name})


@pytest.fixture(scope="module")
def restored(second_server: Settings, backup_dir: Path) -> Settings:
    target = fresh_database(second_server, "restored")
    report = restore_backup(backup_dir, resolve_database(target), target.app_db_role)
    assert report.mismatches == []
    return target


def _counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        return {
            table: int(
                conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))).fetchone()[0]
            )
            for table in user_tables(conn)
        }


def test_the_backup_folder_holds_the_dump_manifest_and_pinned_keys_owner_only(backup_dir: Path) -> None:
    assert sorted(p.name for p in backup_dir.iterdir()) == sorted([DUMP_FILE, MANIFEST_FILE, KEYS_FILE])
    assert stat.S_IMODE(backup_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((backup_dir / DUMP_FILE).stat().st_mode) == 0o600


def test_the_manifest_counts_what_the_source_holds(backup_dir: Path, source_urls: DatabaseUrls) -> None:
    manifest = Manifest.read(backup_dir)
    assert manifest.facts.tables == _counts(source_urls.admin)
    assert manifest.facts.tables["marks_2025_09"] > 0
    assert manifest.facts.audit["head_seq"] == manifest.facts.tables["audit_events"]
    assert manifest.facts.audit["last_checkpoint_size"] == manifest.facts.tables["audit_events"]


def test_the_pinned_key_is_the_signing_keys_and_matches_the_logs(backup_dir: Path, source: Settings) -> None:
    from gateway.ops.backup import signing_public_key

    signer = signing_public_key(source)
    assert signer is not None
    document = json.loads((backup_dir / KEYS_FILE).read_text())
    assert document == {"keys": [signer.as_dict()], "current": signer.key_id}
    manifest = Manifest.read(backup_dir)
    assert [k["key_id"] for k in manifest.pinned_keys] == [signer.key_id]
    assert manifest.database_keys == [
        {"key_id": signer.key_id, "fingerprint": manifest.pinned_keys[0]["fingerprint"], "pinned": True}
    ]
    assert manifest.pseudonym_key_versions == [1]


def test_the_restored_database_has_every_row_of_every_table(
    restored: Settings, source_urls: DatabaseUrls
) -> None:
    assert _counts(resolve_database(restored).admin) == _counts(source_urls.admin)


def test_the_restored_rollups_and_headline_are_the_sources(
    restored: Settings, source_urls: DatabaseUrls
) -> None:
    target_url = resolve_database(restored).admin
    with psycopg.connect(source_urls.admin) as before, psycopg.connect(target_url) as after:
        for table in ("school_day_group", "school_day", "enrolment_week"):
            query = sql.SQL(SUMMARY_CHECK).format(sql.Identifier(table))
            assert after.execute(query).fetchone() == before.execute(query).fetchone()
        assert headline(after) == headline(before)
        assert collect(after).rollups == collect(before).rollups


def test_the_restored_audit_log_verifies_against_the_pinned_keys(
    restored: Settings, backup_dir: Path
) -> None:
    result = CliRunner().invoke(
        main, ["audit", "verify", "--keys", str(backup_dir / KEYS_FILE)], env=child_env(restored)
    )
    assert result.exit_code == 0, result.output
    assert "OK: chain, tree and every checkpoint signature verify" in result.output


def test_the_restored_audit_log_fails_against_another_key(
    restored: Settings, backup_dir: Path, tmp_path: Path
) -> None:
    """The verification above can fail: against a key that did not sign the checkpoints, it does."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from gateway.audit.keys import public_key_of

    other = public_key_of(Ed25519PrivateKey.generate())
    keys_file = tmp_path / "other-keys.json"
    keys_file.write_text(json.dumps({"keys": [other.as_dict()], "current": other.key_id}))
    result = CliRunner().invoke(main, ["audit", "verify", "--keys", str(keys_file)], env=child_env(restored))
    assert result.exit_code == 1
    assert "FAILED" in result.output


def test_restore_refuses_a_database_that_is_not_empty(restored: Settings, backup_dir: Path) -> None:
    urls = resolve_database(restored)
    before = _counts(urls.admin)
    with pytest.raises(RestoreError, match=r"the target database is not empty \(it holds "):
        restore_backup(backup_dir, urls, restored.app_db_role)
    assert _counts(urls.admin) == before


def test_restore_refuses_a_damaged_dump(second_server: Settings, backup_dir: Path, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged"
    shutil.copytree(backup_dir, damaged)
    dump = damaged / DUMP_FILE
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    target = fresh_database(second_server, "damaged")
    urls = resolve_database(target)
    with pytest.raises(RestoreError, match="SHA-256 differs"):
        restore_backup(damaged, urls, target.app_db_role)
    assert _counts(urls.admin) == {}


def test_a_restore_that_differs_from_its_manifest_is_reported(
    second_server: Settings, backup_dir: Path, tmp_path: Path
) -> None:
    """A manifest claiming one more audit event than the dump holds: the restore says exactly that."""
    edited = tmp_path / "edited"
    shutil.copytree(backup_dir, edited)
    document: dict[str, Any] = json.loads((edited / MANIFEST_FILE).read_text())
    events = document["facts"]["tables"]["audit_events"]
    document["facts"]["tables"]["audit_events"] = events + 1
    (edited / MANIFEST_FILE).write_text(json.dumps(document))
    target = fresh_database(second_server, "edited")
    report = restore_backup(edited, resolve_database(target), target.app_db_role)
    assert report.mismatches == [f"table audit_events: expected {events + 1} rows, found {events} rows"]


def test_a_backup_never_writes_into_an_existing_folder(
    source: Settings, source_urls: DatabaseUrls, backup_dir: Path
) -> None:
    """(The commands themselves run in tests/ops/test_runbook.py, as the runbook writes them.)"""
    before = sorted(p.name for p in backup_dir.iterdir())
    with pytest.raises(BackupError, match=f"{backup_dir} already exists: a backup goes into a new folder"):
        make_backup(source, source_urls, backup_dir)
    assert sorted(p.name for p in backup_dir.iterdir()) == before
