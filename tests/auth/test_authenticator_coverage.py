"""The authenticator's remaining refusals, one real signed (or deliberately crafted) token each."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from gateway.auth.authenticator import (
    MAX_TOKEN_LENGTH,
    Authenticator,
    bearer_token,
    dev_issuer_settings,
    principal_from_claims,
    trusted_issuers,
)
from gateway.auth.devissuer import DevIssuer
from gateway.auth.errors import AuthError
from gateway.settings import AuthSettings, IssuerSettings
from tests.auth.conftest import la_claims
from tests.auth.test_token_attacks import full_claims, kind_of, unsigned


def test_a_configured_issuer_named_like_the_dev_issuer_is_not_trusted_twice(tmp_path: Path) -> None:
    auth = AuthSettings(dev_key_dir=tmp_path)
    configured = IssuerSettings(
        issuer=auth.dev_issuer, jwks_file=tmp_path / "other.json", max_token_seconds=60
    )
    issuers = trusted_issuers(auth.model_copy(update={"issuers": [configured]}))
    assert [(i.issuer, i.jwks_file) for i in issuers] == [
        (auth.dev_issuer, tmp_path / "other.json"),
        (auth.dev_idp_issuer, None),
    ]


def test_dev_issuer_settings_read_the_jwks_beside_the_key(tmp_path: Path) -> None:
    settings = dev_issuer_settings(AuthSettings(dev_key_dir=tmp_path))
    assert (settings.jwks_file, settings.algorithms) == (tmp_path / "jwks.json", ["EdDSA"])


def test_a_token_longer_than_the_limit_is_malformed() -> None:
    with pytest.raises(AuthError) as caught:
        bearer_token("Bearer " + "a" * (MAX_TOKEN_LENGTH + 1))
    assert (caught.value.kind, caught.value.description) == (
        "malformed-token",
        "The bearer token is too long.",
    )


def test_a_token_exactly_at_the_limit_is_accepted_as_a_bearer_token() -> None:
    assert bearer_token("Bearer " + "a" * MAX_TOKEN_LENGTH) == "a" * MAX_TOKEN_LENGTH


async def test_a_token_without_an_issuer_is_missing_claim(
    authenticator: Authenticator, dev_issuer: DevIssuer
) -> None:
    claims = full_claims(dev_issuer)
    del claims["iss"]
    token = unsigned({"alg": "EdDSA", "typ": "JWT", "kid": dev_issuer.kid}, claims)
    assert await kind_of(authenticator, f"Bearer {token}") == "missing-claim"


async def test_a_numeric_key_id_is_malformed(authenticator: Authenticator, dev_issuer: DevIssuer) -> None:
    token = unsigned({"alg": "EdDSA", "typ": "JWT", "kid": 5}, full_claims(dev_issuer))
    assert await kind_of(authenticator, f"Bearer {token}") == "malformed-token"


async def test_a_numeric_subject_is_an_invalid_token(
    authenticator: Authenticator, dev_issuer: DevIssuer
) -> None:
    token = dev_issuer.issue(la_claims(sub=42))
    assert await kind_of(authenticator, f"Bearer {token}") == "invalid-token"


async def test_an_empty_subject_is_an_invalid_claim(
    authenticator: Authenticator, dev_issuer: DevIssuer
) -> None:
    with pytest.raises(AuthError) as caught:
        await authenticator.authenticate(f"Bearer {dev_issuer.issue(la_claims(sub=''))}")
    assert (caught.value.kind, caught.value.description) == (
        "invalid-claim",
        "The claim sub must be a non-empty string.",
    )


def test_claims_without_a_token_id_make_no_principal() -> None:
    claims = {"iss": "https://idp.example", "exp": int(time.time()) + 60, **la_claims()}
    with pytest.raises(AuthError) as caught:
        principal_from_claims(claims)
    assert (caught.value.kind, caught.value.description) == (
        "invalid-claim",
        "The claim jti must be a string of 1 to 200 characters.",
    )
