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
