"""Claims checked strictly: numeric dates, a lifetime cap per issuer, a jti, area claims that fit the
organisation type, and refusals whose messages never carry the token's own text. Real signed tokens."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest

from gateway.auth.authenticator import Authenticator
from gateway.auth.devissuer import DevIssuer
from gateway.auth.errors import AuthError
from gateway.settings import AuthSettings
from tests.auth.conftest import la_claims
from tests.auth.test_token_attacks import full_claims, unsigned


async def refusal(authenticator: Authenticator, token: str) -> AuthError:
    with pytest.raises(AuthError) as caught:
        await authenticator.authenticate(f"Bearer {token}")
    return caught.value


def signed(dev_issuer: DevIssuer, claims: dict[str, Any]) -> str:
    return jwt.encode(claims, dev_issuer.key, algorithm="EdDSA", headers={"kid": dev_issuer.kid})


@pytest.mark.parametrize("alg", ["EdDSA\r\nX-Injected: yes", "EdDSA\u2603", "HS256\x00"])
async def test_a_crafted_alg_is_refused_with_a_fixed_message(
    authenticator: Authenticator, dev_issuer: DevIssuer, alg: str
) -> None:
    token = unsigned({"alg": alg, "typ": "JWT", "kid": dev_issuer.kid}, full_claims(dev_issuer), b"sig")
    error = await refusal(authenticator, token)
    assert (error.kind, error.description) == (
        "alg-not-allowed",
        "The token's algorithm is not allowed for this issuer.",
    )


@pytest.mark.parametrize(
    ("claim", "value"),
    [("exp", "9999999999"), ("iat", True), ("nbf", "0"), ("exp", None), ("iat", [1])],
)
async def test_time_claims_must_be_numbers(
    authenticator: Authenticator, dev_issuer: DevIssuer, claim: str, value: Any
) -> None:
    error = await refusal(authenticator, signed(dev_issuer, full_claims(dev_issuer, **{claim: value})))
    assert (error.kind, error.description) == (
        "invalid-claim",
        f"The claim {claim} must be a number of seconds (NumericDate).",
    )


async def test_fractional_numeric_dates_are_numbers(
    authenticator: Authenticator, dev_issuer: DevIssuer
) -> None:
    now = time.time()
    claims = full_claims(dev_issuer, iat=now, nbf=now, exp=now + 600.5)
    principal = await authenticator.authenticate(f"Bearer {signed(dev_issuer, claims)}")
    assert principal.expires_at == int(now + 600.5)


async def test_a_token_minted_to_live_longer_than_the_issuers_maximum_is_refused(
    auth_settings: AuthSettings, dev_issuer: DevIssuer
) -> None:
    authenticator = Authenticator(auth_settings.model_copy(update={"dev_max_token_seconds": 3600}))
    error = await refusal(authenticator, dev_issuer.issue(la_claims(), ttl_seconds=3601))
    assert (error.kind, error.description) == (
        "token-lifetime-too-long",
        "The token's lifetime (exp - iat) is longer than this issuer's maximum of 3600 seconds.",
    )


async def test_a_token_within_the_issuers_maximum_lifetime_is_accepted(
    auth_settings: AuthSettings, dev_issuer: DevIssuer
) -> None:
    authenticator = Authenticator(auth_settings.model_copy(update={"dev_max_token_seconds": 3600}))
    principal = await authenticator.authenticate(f"Bearer {dev_issuer.issue(la_claims(), ttl_seconds=3600)}")
    assert principal.la_code == 202


@pytest.mark.parametrize("jti", [7, "", "x" * 201])
async def test_jti_must_be_a_short_string(
    authenticator: Authenticator, dev_issuer: DevIssuer, jti: Any
) -> None:
    error = await refusal(authenticator, dev_issuer.issue(la_claims(jti=jti)))
    assert (error.kind, error.description) == (
        "invalid-claim",
        "The claim jti must be a string of 1 to 200 characters.",
    )


@pytest.mark.parametrize(
    ("claims", "name", "organisation_type"),
    [
        ({"org": "school-100001", "org_type": "school", "roles": ["school-leader"], "urn": 100001, "la_code": 202}, "la_code", "school"),
        ({"org": "la-202", "org_type": "la", "roles": ["attendance-officer"], "la_code": 202, "urn": 100001}, "urn", "la"),
        ({"org": "dfe", "org_type": "dfe", "roles": ["analyst"], "la_code": 202}, "la_code", "dfe"),
        ({"org": "dwp", "org_type": "ogd", "roles": ["analyst"], "urn": 100001}, "urn", "ogd"),
        ({"org": "agg", "org_type": "aggregator", "roles": ["feed-submitter"], "la_code": 202}, "la_code", "aggregator"),
    ],
)  # fmt: skip
async def test_area_claims_must_fit_the_organisation_type(
    authenticator: Authenticator,
    dev_issuer: DevIssuer,
    claims: dict[str, Any],
    name: str,
    organisation_type: str,
) -> None:
    error = await refusal(authenticator, dev_issuer.issue({"sub": "someone", **claims}))
    assert (error.kind, error.description) == (
        "invalid-claim",
        f"The claim {name} does not belong on a token of organisation type {organisation_type}.",
    )


async def test_a_null_area_claim_is_no_area_claim(
    authenticator: Authenticator, dev_issuer: DevIssuer
) -> None:
    claims = {"sub": "a@dfe", "org": "dfe", "org_type": "dfe", "roles": ["analyst"], "la_code": None}
    principal = await authenticator.authenticate(f"Bearer {dev_issuer.issue(claims)}")
    assert (principal.la_code, principal.urn) == (None, None)


async def test_a_single_use_issuers_tokens_are_marked_single_use(
    auth_settings: AuthSettings, dev_issuer: DevIssuer
) -> None:
    from gateway.auth.authenticator import dev_issuer_settings

    one_shot = dev_issuer_settings(auth_settings).model_copy(update={"single_use": True})
    authenticator = Authenticator(
        auth_settings.model_copy(update={"issuers": [one_shot], "trust_dev_issuer": False})
    )
    principal = await authenticator.authenticate(f"Bearer {dev_issuer.issue(la_claims(jti='once'))}")
    assert (principal.single_use, principal.token_id) == (True, "once")
