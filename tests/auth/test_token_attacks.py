"""Every way a bearer token can be wrong gets its own 401 kind, tested with real signed tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gateway.auth.authenticator import Authenticator
from gateway.auth.devissuer import DevIssuer, public_jwk
from gateway.auth.errors import AuthError
from gateway.auth.principal import Principal
from tests.auth.conftest import la_claims


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned(header: dict[str, Any], claims: dict[str, Any], signature: bytes = b"") -> str:
    head = b64(json.dumps(header).encode())
    body = b64(json.dumps(claims).encode())
    return f"{head}.{body}.{b64(signature)}"


def full_claims(dev_issuer: DevIssuer, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "iss": dev_issuer.issuer,
        "aud": dev_issuer.audience,
        "iat": now,
        "nbf": now,
        "exp": now + 600,
        "jti": f"jti-{now}",
    }
    claims.update(la_claims())
    claims.update(overrides)
    return claims


async def kind_of(authenticator: Authenticator, header: str | None) -> str:
    with pytest.raises(AuthError) as caught:
        await authenticator.authenticate(header)
    return caught.value.kind


async def test_valid_token_gives_the_principal(authenticator: Authenticator, dev_issuer: DevIssuer) -> None:
    now = int(time.time())
    token = dev_issuer.issue(la_claims(jti="token-1"), now=now, ttl_seconds=600)
    principal = await authenticator.authenticate(f"Bearer {token}")
    assert principal == Principal(
        subject="officer@la-202",
        issuer=dev_issuer.issuer,
        organisation="la-202",
        organisation_type="la",
        roles=("safeguarding-officer",),
        la_code=202,
        urn=None,
        token_id="token-1",
        expires_at=now + 600,
        single_use=False,
    )


async def test_missing_header_is_missing_token(authenticator: Authenticator) -> None:
    assert await kind_of(authenticator, None) == "missing-token"


@pytest.mark.parametrize("header", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer a b", "Token abc.def.ghi"])
async def test_malformed_header_is_malformed_token(authenticator: Authenticator, header: str) -> None:
    assert await kind_of(authenticator, header) == "malformed-token"


async def test_garbage_token_is_malformed_token(authenticator: Authenticator) -> None:
    assert await kind_of(authenticator, "Bearer not.a.jwt") == "malformed-token"


async def test_alg_none_is_refused(authenticator: Authenticator, dev_issuer: DevIssuer) -> None:
    token = unsigned({"alg": "none", "typ": "JWT", "kid": dev_issuer.kid}, full_claims(dev_issuer))
    assert await kind_of(authenticator, f"Bearer {token}") == "alg-not-allowed"


async def test_hmac_with_the_public_key_as_secret_is_refused(
    authenticator: Authenticator, dev_issuer: DevIssuer
) -> None:
    public_pem = dev_issuer.key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = {"alg": "HS256", "typ": "JWT", "kid": dev_issuer.kid}
    signing_input = unsigned(header, full_claims(dev_issuer)).rsplit(".", 1)[0]
    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    token = f"{signing_input}.{b64(signature)}"
    assert await kind_of(authenticator, f"Bearer {token}") == "alg-not-allowed"


async def test_signature_from_another_key_under_our_kid_is_bad_signature(
    authenticator: Authenticator, dev_issuer: DevIssuer
) -> None:
    attacker = Ed25519PrivateKey.generate()
    token = jwt.encode(full_claims(dev_issuer), attacker, algorithm="EdDSA", headers={"kid": dev_issuer.kid})
    assert await kind_of(authenticator, f"Bearer {token}") == "bad-signature"


async def test_tampered_claims_are_bad_signature(authenticator: Authenticator, dev_issuer: DevIssuer) -> None:
    head, _, signature = dev_issuer.issue(la_claims()).split(".")
    forged_body = b64(json.dumps(full_claims(dev_issuer, la_code=203)).encode())
    assert await kind_of(authenticator, f"Bearer {head}.{forged_body}.{signature}") == "bad-signature"


async def test_key_url_in_the_token_is_never_used(
    authenticator: Authenticator, dev_issuer: DevIssuer
) -> None:
    attacker = Ed25519PrivateKey.generate()
    jwk = public_jwk(attacker)
    headers = {"kid": jwk["kid"], "jku": "https://attacker.example/jwks.json", "jwk": jwk}
    token = jwt.encode(full_claims(dev_issuer), attacker, algorithm="EdDSA", headers=headers)
    assert await kind_of(authenticator, f"Bearer {token}") == "unknown-key"


async def test_unknown_kid_is_unknown_key(authenticator: Authenticator, dev_issuer: DevIssuer) -> None:
    token = jwt.encode(
        full_claims(dev_issuer), dev_issuer.key, algorithm="EdDSA", headers={"kid": "retired-key"}
    )
    assert await kind_of(authenticator, f"Bearer {token}") == "unknown-key"


async def test_expired_token(authenticator: Authenticator, dev_issuer: DevIssuer) -> None:
    token = dev_issuer.issue(la_claims(), ttl_seconds=60, now=int(time.time()) - 3600)
    assert await kind_of(authenticator, f"Bearer {token}") == "token-expired"


async def test_not_yet_valid_token(authenticator: Authenticator, dev_issuer: DevIssuer) -> None:
    token = dev_issuer.issue(la_claims(nbf=int(time.time()) + 3600))
    assert await kind_of(authenticator, f"Bearer {token}") == "token-not-yet-valid"


async def test_issued_in_the_future_is_not_yet_valid(
    authenticator: Authenticator, dev_issuer: DevIssuer
) -> None:
    token = dev_issuer.issue(la_claims(), now=int(time.time()) + 3600)
    assert await kind_of(authenticator, f"Bearer {token}") == "token-not-yet-valid"


async def test_wrong_audience(authenticator: Authenticator, dev_issuer: DevIssuer) -> None:
    token = dev_issuer.issue(la_claims(aud="another-service"))
    assert await kind_of(authenticator, f"Bearer {token}") == "wrong-audience"


async def test_untrusted_issuer(authenticator: Authenticator, dev_issuer: DevIssuer) -> None:
    token = dev_issuer.issue(la_claims(iss="https://issuer.attacker.example"))
    assert await kind_of(authenticator, f"Bearer {token}") == "unknown-issuer"


async def test_algorithm_the_issuer_does_not_use(authenticator: Authenticator, dev_issuer: DevIssuer) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    token = jwt.encode(full_claims(dev_issuer), key, algorithm="ES256", headers={"kid": dev_issuer.kid})
    assert await kind_of(authenticator, f"Bearer {token}") == "alg-not-allowed"


@pytest.mark.parametrize("claim", ["exp", "iat", "sub", "aud", "jti", "org", "org_type", "roles", "la_code"])
async def test_missing_claim(authenticator: Authenticator, dev_issuer: DevIssuer, claim: str) -> None:
    claims = full_claims(dev_issuer)
    del claims[claim]
    token = jwt.encode(claims, dev_issuer.key, algorithm="EdDSA", headers={"kid": dev_issuer.kid})
    assert await kind_of(authenticator, f"Bearer {token}") == "missing-claim"


async def test_school_without_urn_is_missing_claim(
    authenticator: Authenticator, dev_issuer: DevIssuer
) -> None:
    token = dev_issuer.issue(
        {"sub": "head@school", "org": "school-1", "org_type": "school", "roles": ["school-leader"]}
    )
    assert await kind_of(authenticator, f"Bearer {token}") == "missing-claim"


@pytest.mark.parametrize(
    "override",
    [
        {"org_type": "police"},
        {"roles": "safeguarding-officer"},
        {"la_code": "202"},
        {"org": ""},
        {"la_code": True},
    ],
)
async def test_invalid_gateway_claim(
    authenticator: Authenticator, dev_issuer: DevIssuer, override: dict[str, Any]
) -> None:
    token = dev_issuer.issue(la_claims(**override))
    assert await kind_of(authenticator, f"Bearer {token}") == "invalid-claim"
