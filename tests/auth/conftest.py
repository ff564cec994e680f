"""Auth fixtures: a real development issuer in a temporary directory and an authenticator trusting it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gateway.auth.authenticator import Authenticator
from gateway.auth.devissuer import DevIssuer, keygen
from gateway.settings import AuthSettings


@pytest.fixture(scope="session")
def auth_settings(tmp_path_factory: pytest.TempPathFactory) -> AuthSettings:
    return AuthSettings(dev_key_dir=tmp_path_factory.mktemp("dev-issuer"), jwks_refetch_min_seconds=0.0)


@pytest.fixture(scope="session")
def dev_issuer(auth_settings: AuthSettings) -> DevIssuer:
    return keygen(auth_settings)


@pytest.fixture
def authenticator(auth_settings: AuthSettings, dev_issuer: DevIssuer) -> Authenticator:
    return Authenticator(auth_settings)


def la_claims(**overrides: Any) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "sub": "officer@la-202",
        "org": "la-202",
        "org_type": "la",
        "roles": ["safeguarding-officer"],
        "la_code": 202,
    }
    claims.update(overrides)
    return claims


def write_jwks(path: Path, jwks: dict[str, Any]) -> Path:
    import json

    path.write_text(json.dumps(jwks))
    return path
