"""Settings passed to a child process through its environment come back unchanged."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gateway.settings import AuthSettings, IssuerSettings, PolicySettings, Settings, environment_for


def test_settings_round_trip_through_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    original = Settings(
        database_name="elsewhere",
        pg_data_dir=Path("var/elsewhere-pgdata"),
        log_json=False,
        aggregate_cache_entries=0,
        policy=PolicySettings(engine="opa", opa_url="http://opa:8181", timeout_ms=250),
        auth=AuthSettings(
            trust_dev_issuer=False,
            issuers=[IssuerSettings(issuer="https://login.example", jwks_url="https://login.example/jwks")],
        ),
    )
    for name in list(os.environ):
        if name.startswith("GATEWAY_") or name in ("DATABASE_URL", "DATABASE_ADMIN_URL"):
            monkeypatch.delenv(name)
    for name, value in environment_for(original).items():
        monkeypatch.setenv(name, value)
    assert Settings() == original


def _clear_gateway_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("GATEWAY_") or name in ("DATABASE_URL", "DATABASE_ADMIN_URL"):
            monkeypatch.delenv(name)


def test_a_keyring_secret_reaches_the_child_as_its_value(monkeypatch: pytest.MonkeyPatch) -> None:
    from gateway.privacy.keyring import Keyring, load_keyring
    from gateway.settings import PrivacySettings

    keyring = Keyring.generate()
    original = Settings(privacy=PrivacySettings(keyring_json=keyring.to_json()))
    env = environment_for(original)
    assert env["GATEWAY_PRIVACY__KEYRING_JSON"] == keyring.to_json()
    assert "*" not in env["GATEWAY_PRIVACY__KEYRING_JSON"]
    _clear_gateway_environment(monkeypatch)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    child = Settings()
    assert load_keyring(child.privacy).versions == keyring.versions
    assert child.privacy.keyring_json is not None
    assert child.privacy.keyring_json.get_secret_value() == keyring.to_json()


def test_key_files_not_set_explicitly_live_under_var_dir() -> None:
    settings = Settings(var_dir=Path("/srv/gateway-state"))
    keys = Path("/srv/gateway-state/keys")
    assert (
        settings.auth.dev_key_dir,
        settings.privacy.keyring_file,
        settings.audit.signing_key_file,
        settings.audit.subject_key_file,
        settings.cursor_key_file,
    ) == (
        keys / "dev-issuer",
        keys / "pseudonym-keyring.json",
        keys / "audit-signing-key.pem",
        keys / "audit-subject-key.bin",
        keys / "cursor-key.bin",
    )


def test_a_key_file_set_explicitly_stays_where_it_was_put() -> None:
    from gateway.settings import AuditSettings

    settings = Settings(
        var_dir=Path("/srv/state"), audit=AuditSettings(signing_key_file=Path("/secrets/audit.pem"))
    )
    assert settings.audit.signing_key_file == Path("/secrets/audit.pem")
    assert settings.audit.subject_key_file == Path("/srv/state/keys/audit-subject-key.bin")
