"""The keyring: JSON round trip, rotation, loading from file or environment, and keys kept out of logs."""

from __future__ import annotations

import base64
import json
import logging
from pathlib import Path

import pytest
import structlog
from pydantic import SecretStr
from structlog.testing import capture_logs

from gateway.privacy.keyring import Keyring, KeyringError, UnknownKeyVersionError, load_keyring, write_keyring
from gateway.settings import PrivacySettings, Settings


def _secret_texts(keyring: Keyring) -> list[str]:
    document = json.loads(keyring.to_json())
    return [entry["key"] for entry in document["keys"]]


def test_json_round_trip_keeps_versions_current_and_derived_keys(keyring: Keyring) -> None:
    rotated = keyring.rotated()
    again = Keyring.from_json(rotated.to_json())
    assert again.versions == [1, 2]
    assert again.current_version == 2
    assert again.derived_key("hmac", "dwp", 1) == keyring.derived_key("hmac", "dwp", 1)


def test_rotation_adds_a_newer_version_and_keeps_the_old_key(keyring: Keyring) -> None:
    rotated = keyring.rotated()
    assert rotated.versions == [1, 2]
    assert rotated.current_version == 2
    assert rotated.derived_key("hmac", "dwp", 1) == keyring.derived_key("hmac", "dwp", 1)
    assert rotated.derived_key("hmac", "dwp", 2) != rotated.derived_key("hmac", "dwp", 1)


def test_derived_keys_differ_by_purpose_domain_and_version(keyring: Keyring) -> None:
    rotated = keyring.rotated()
    keys = {
        rotated.derived_key("hmac", "dwp", 1),
        rotated.derived_key("hmac", "ofsted", 1),
        rotated.derived_key("hmac", "dwp", 2),
        rotated.derived_key("siv", "dwp", 1)[:32],
    }
    assert len(keys) == 4
    assert len(rotated.derived_key("siv", "dwp", 1)) == 64


def test_unknown_version_is_refused(keyring: Keyring) -> None:
    with pytest.raises(UnknownKeyVersionError, match="no pseudonym key version 7"):
        keyring.derived_key("hmac", "dwp", 7)


@pytest.mark.parametrize("domain", ["DWP", "has.dot", "", "9lives", "x" * 64])
def test_invalid_domains_are_refused(keyring: Keyring, domain: str) -> None:
    with pytest.raises(KeyringError, match="invalid pseudonym domain"):
        keyring.derived_key("hmac", domain, 1)


def test_repr_names_versions_and_never_the_key(keyring: Keyring) -> None:
    assert repr(keyring) == "Keyring(versions=[1], current=1)"
    assert str(keyring) == "Keyring(versions=[1], current=1)"


def test_keys_never_reach_structlog_or_stdlib_logs(
    keyring: Keyring, caplog: pytest.LogCaptureFixture
) -> None:
    secrets = _secret_texts(keyring)
    raw = base64.b64decode(secrets[0])
    with capture_logs() as captured:
        structlog.get_logger().info("keyring loaded", keyring=keyring, detail=repr(keyring))
    with caplog.at_level(logging.INFO):
        logging.getLogger("gateway.test").info("keyring loaded %s %r", keyring, keyring)
    text = repr(captured) + caplog.text
    assert "versions=[1]" in text
    assert secrets[0] not in text
    assert raw.hex() not in text


def test_settings_repr_hides_the_keyring_json(keyring: Keyring) -> None:
    settings = Settings(privacy=PrivacySettings(keyring_json=SecretStr(keyring.to_json())))
    assert _secret_texts(keyring)[0] not in repr(settings)
    assert _secret_texts(keyring)[0] not in str(settings.model_dump())


def test_load_prefers_the_environment_document(keyring: Keyring, tmp_path: Path) -> None:
    other = Keyring.generate()
    write_keyring(other, tmp_path / "keyring.json")
    privacy = PrivacySettings(
        keyring_file=tmp_path / "keyring.json", keyring_json=SecretStr(keyring.to_json())
    )
    assert load_keyring(privacy).derived_key("hmac", "dwp", 1) == keyring.derived_key("hmac", "dwp", 1)


def test_load_reads_the_file_written_with_owner_only_permissions(keyring: Keyring, tmp_path: Path) -> None:
    path = tmp_path / "keys" / "keyring.json"
    write_keyring(keyring, path)
    assert path.stat().st_mode & 0o777 == 0o600
    loaded = load_keyring(PrivacySettings(keyring_file=path))
    assert loaded.derived_key("siv", "dwp", 1) == keyring.derived_key("siv", "dwp", 1)


def test_environment_variable_configures_the_keyring(
    keyring: Keyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GATEWAY_PRIVACY__KEYRING_JSON", keyring.to_json())
    loaded = load_keyring(Settings().privacy)
    assert loaded.derived_key("hmac", "dwp", 1) == keyring.derived_key("hmac", "dwp", 1)


def test_missing_file_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(KeyringError, match="run `gateway pseudonyms keygen`"):
        load_keyring(PrivacySettings(keyring_file=tmp_path / "absent.json"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"format": "other"}', "keyring format"),
        ('{"format": "attendance-gateway/pseudonym-keyring/v1", "keys": []}', "non-empty list"),
        (
            '{"format": "attendance-gateway/pseudonym-keyring/v1", "keys": [{"version": 1, "key": "c2hvcnQ="}]}',
            "must be 32 bytes",
        ),
        (
            '{"format": "attendance-gateway/pseudonym-keyring/v1", "keys": [{"version": 1, "key": "!!"}]}',
            "not valid base64",
        ),
    ],
)
def test_malformed_keyrings_are_refused_by_name(text: str, message: str) -> None:
    with pytest.raises(KeyringError, match=message):
        Keyring.from_json(text)


def test_malformed_json_error_does_not_echo_the_document() -> None:
    secret_like = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo="
    with pytest.raises(KeyringError) as raised:
        Keyring.from_json('{"keys": [{"key": "' + secret_like + '"')
    assert secret_like not in str(raised.value)
