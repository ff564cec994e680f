"""The stage command lines read the settings from click's context object and fail with a message, not a
traceback: pseudonym keyring, development tokens, policy bundle; and the decision input's strict keys."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from gateway.audit.event import MAX_PARAM_CHARS, normalise_value
from gateway.audit.keys import subject_hash
from gateway.cli import main
from gateway.policy.input import request_document

ROOT = Path(__file__).resolve().parent.parent
UPN = "T838123456789"  # a valid UPN of an LA created after 2011 (Dorset)


def run(tmp_path: Path, *args: str, **env: str) -> Result:
    base = {
        "GATEWAY_VAR_DIR": str(tmp_path / "var"),
        "GATEWAY_POLICY__BUNDLE_DIR": str(ROOT / "policies"),
        "GATEWAY_ENVIRONMENT": "test",
    }
    return CliRunner().invoke(main, list(args), env={**base, **env})


def test_rotate_and_show_without_a_keyring_say_so(tmp_path: Path) -> None:
    rotate, show = run(tmp_path, "pseudonyms", "rotate"), run(tmp_path, "pseudonyms", "show")
    assert (rotate.exit_code, show.exit_code) == (1, 1)
    assert "keyring" in rotate.output.lower()
    assert "keyring" in show.output.lower()


def test_keygen_then_show_lists_the_versions(tmp_path: Path) -> None:
    assert run(tmp_path, "pseudonyms", "keygen").exit_code == 0
    shown = run(tmp_path, "pseudonyms", "show")
    assert (shown.exit_code, shown.output.strip()) == (0, "versions [1], current 1")


def test_a_token_lifetime_that_is_no_duration_is_refused(tmp_path: Path) -> None:
    result = run(tmp_path, "tokens", "issue", "--persona", "dfe-dpo", "--ttl", "soon")
    assert result.exit_code == 2
    assert "is not a duration like 30m, 1h or 2d" in result.output


def test_personas_are_listed_one_a_line(tmp_path: Path) -> None:
    result = run(tmp_path, "tokens", "personas")
    assert result.exit_code == 0
    assert any(line.startswith("dfe-dpo ") for line in result.output.splitlines())


def test_a_bundle_that_does_not_compile_is_a_clean_error(tmp_path: Path) -> None:
    bundle = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", bundle)
    (bundle / "gateway" / "broken.rego").write_text("package gateway.broken\n\nthis is not rego\n")
    result = run(tmp_path, "policies", "revision", GATEWAY_POLICY__BUNDLE_DIR=str(bundle))
    assert result.exit_code == 1
    assert "Traceback" not in result.output


def test_the_decision_input_refuses_unknown_request_keys() -> None:
    with pytest.raises(ValueError, match=r"unknown policy request keys: \['colour'\]"):
        request_document("pupils.list", {"colour": "blue"})


def test_a_recorded_parameter_mapping_keeps_its_shape_and_hashes_pupil_ids() -> None:
    key = bytes(32)
    recorded = normalise_value("filters", {"note": "x", "pupil": UPN, "n": 3}, key)
    assert recorded == {"note": "x", "pupil": "hmac-sha256:" + subject_hash(key, UPN).hex(), "n": 3}


def test_a_recorded_parameter_longer_than_the_bound_is_kept_truncated_with_its_length() -> None:
    text = "a" * (MAX_PARAM_CHARS + 1)
    recorded = normalise_value("note", text, bytes(32))
    assert recorded == {"truncated": "a" * MAX_PARAM_CHARS, "length": MAX_PARAM_CHARS + 1}
    assert normalise_value("note", "a" * MAX_PARAM_CHARS, bytes(32)) == "a" * MAX_PARAM_CHARS
