"""`gateway audit public-keys` prints the configured public keys from the key files (never the database), as
GET /v1/audit/keys serves them: what the runbook saves as the retired-keys file and the pinned file."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from gateway.audit.keys import load_or_create_signing_key, load_public_keys, public_key_of
from gateway.cli import main
from gateway.settings import AuditSettings, Settings, environment_for


def settings_with(tmp_path: Path, retired: Path | None = None) -> Settings:
    return Settings(
        var_dir=tmp_path,
        audit=AuditSettings(
            signing_key_file=tmp_path / "audit-signing-key.pem",
            subject_key_file=tmp_path / "audit-subject-key.bin",
            retired_keys_file=retired,
        ),
    )


def run(settings: Settings) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["audit", "public-keys"], env=environment_for(settings))
    return result.exit_code, result.output


def test_the_current_and_retired_keys_are_printed_as_the_keys_route_serves_them(tmp_path: Path) -> None:
    old = public_key_of(load_or_create_signing_key(tmp_path / "old.pem"))
    retired = tmp_path / "retired.json"
    retired.write_text(json.dumps({"keys": [old.as_dict()]}))
    settings = settings_with(tmp_path, retired)
    current = public_key_of(load_or_create_signing_key(settings.audit.signing_key_file))
    code, output = run(settings)
    assert code == 0, output
    document = json.loads(output)
    assert document == {
        "keys": [old.as_dict(), current.as_dict()],
        "current": current.key_id,
        "witnesses": [],
    }
    saved = tmp_path / "pinned.json"
    saved.write_text(output)
    assert load_public_keys(saved) == {old.key_id: old, current.key_id: current}


def test_without_a_signing_key_it_says_so_and_creates_none(tmp_path: Path) -> None:
    settings = settings_with(tmp_path)
    code, output = run(settings)
    assert code == 1
    assert output == f"Error: no signing key at {settings.audit.signing_key_file}\n"
    assert not settings.audit.signing_key_file.exists()
