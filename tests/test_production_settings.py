"""Production never trusts the development issuer by default, refuses to start when told to, and
`gateway doctor` says the same of the same settings."""

from __future__ import annotations

import pytest

from gateway.app import create_app
from gateway.ops.doctor import production_findings
from gateway.settings import AuthSettings, Settings, UnsafeProductionSettingsError


def _dev_issuer_findings(settings: Settings) -> list[str]:
    return [f.status for f in production_findings(settings) if f.check == "production.dev_issuer"]


def test_production_does_not_trust_the_development_issuer_by_default() -> None:
    settings = Settings(environment="production", database_url="postgresql://gateway@db.invalid/gateway")
    assert settings.auth.trust_dev_issuer is False


def test_development_trusts_it_by_default() -> None:
    assert Settings(environment="development").auth.trust_dev_issuer is True


def test_production_told_to_trust_it_does_not_start_and_the_doctor_fails_it() -> None:
    settings = Settings(
        environment="production",
        database_url="postgresql://gateway@db.invalid/gateway",
        auth=AuthSettings(trust_dev_issuer=True),
    )
    with pytest.raises(UnsafeProductionSettingsError, match="GATEWAY_AUTH__TRUST_DEV_ISSUER=false"):
        create_app(settings)
    assert _dev_issuer_findings(settings) == ["fail"]


def test_production_by_default_starts_and_the_doctor_agrees() -> None:
    settings = Settings(environment="production", database_url="postgresql://gateway@db.invalid/gateway")
    create_app(settings)  # builds (no I/O): the start-up check passes
    assert _dev_issuer_findings(settings) == []


def test_the_environment_variable_is_honoured_in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_ENVIRONMENT", "production")
    monkeypatch.setenv("GATEWAY_AUTH__TRUST_DEV_ISSUER", "true")
    assert Settings().auth.trust_dev_issuer is True  # and create_app refuses it, as above
