"""The development identity provider over real HTTP: discovery, the code flow's checks, client credentials
(secret and private_key_jwt), and the gateway trusting its tokens through discovery."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import time
import uuid

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from gateway.auth.authenticator import Authenticator
from gateway.auth.errors import AuthError
from gateway.auth.keys import jwks_uri_from_discovery
from tests.console.conftest import Live


def registry_secrets(live: Live) -> dict[str, str]:
    return json.loads((live.settings.idp.clients_dir / "clients.json").read_text())  # type: ignore[no-any-return]


def client_credentials(live: Live, client_id: str, secret: str) -> httpx.Response:
    return httpx.post(
        f"{live.idp}/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret)
    )


def assertion(live: Live, client_id: str, *, jti: str | None = None, audience: str | None = None) -> str:
    key = serialization.load_pem_private_key(
        (live.settings.idp.clients_dir / "client-keys" / f"{client_id}.pem").read_bytes(), password=None
    )
    now = int(time.time())
    claims = {
        "iss": client_id,
        "sub": client_id,
        "aud": audience or f"{live.idp}/token",
        "iat": now,
        "exp": now + 60,
        "jti": jti or uuid.uuid4().hex,
    }
    return jwt.encode(claims, key, algorithm="EdDSA")  # type: ignore[arg-type]


def key_jwt_token(live: Live, signed: str) -> httpx.Response:
    return httpx.post(
        f"{live.idp}/token",
        data={
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": signed,
        },
    )


def test_discovery_names_the_issuer_and_its_endpoints(live: Live) -> None:
    document = httpx.get(f"{live.idp}/.well-known/openid-configuration").json()
    assert {k: document[k] for k in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")} == {
        "issuer": live.idp,
        "authorization_endpoint": f"{live.idp}/authorize",
        "token_endpoint": f"{live.idp}/token",
        "jwks_uri": f"{live.idp}/jwks.json",
    }
    assert document["token_endpoint_auth_methods_supported"] == [
        "client_secret_basic",
        "client_secret_post",
        "private_key_jwt",
    ]


async def test_a_client_credentials_token_is_a_principal_for_the_gateway(live: Live) -> None:
    response = client_credentials(live, "dwp-dea-s35", registry_secrets(live)["dwp-dea-s35"])
    assert response.status_code == 200
    principal = await Authenticator(live.settings.auth).authenticate(
        f"Bearer {response.json()['access_token']}"
    )
    assert (principal.issuer, principal.subject, principal.organisation, principal.roles) == (
        live.idp,
        "service:dwp-dea-s35",
        "dwp",
        ("analyst",),
    )


def test_the_gateway_answers_a_service_client_through_its_discovered_keys(live: Live) -> None:
    token = client_credentials(live, "ons-srsa-s45a", registry_secrets(live)["ons-srsa-s45a"]).json()
    response = httpx.get(
        f"{live.gateway}/v1/decisions/explain",
        params={"action": "attendance.daily", "agreement": "ons-srsa-s45a", "purpose": "official-statistics"},
        headers={"Authorization": f"Bearer {token['access_token']}"},
    )
    assert (response.status_code, response.json()["allow"]) == (200, True)


def test_a_wrong_client_secret_is_refused(live: Live) -> None:
    response = client_credentials(live, "dwp-dea-s35", "not-the-secret")
    assert (response.status_code, response.json()["error"]) == (401, "invalid_client")


def test_the_console_client_cannot_use_client_credentials(live: Live) -> None:
    response = client_credentials(live, "console", registry_secrets(live)["console"])
    assert (response.status_code, response.json()["error"]) == (400, "unauthorized_client")


def test_private_key_jwt_gives_a_token_once_per_assertion(live: Live) -> None:
    signed = assertion(live, "dfe-statistics")
    first = key_jwt_token(live, signed)
    assert first.status_code == 200
    assert jwt.decode(first.json()["access_token"], options={"verify_signature": False})["org"] == "dfe"
    replay = key_jwt_token(live, signed)
    assert (replay.status_code, replay.json()["error"]) == (400, "invalid_client")


def test_private_key_jwt_signed_by_another_clients_key_is_refused(live: Live) -> None:
    header, claims, _ = assertion(live, "dfe-statistics").split(".")
    other_signature = assertion(live, "dwp-dea-s35").split(".")[2]
    response = key_jwt_token(live, f"{header}.{claims}.{other_signature}")
    assert (response.status_code, response.json()["error"]) == (400, "invalid_client")


def test_private_key_jwt_for_another_audience_is_refused(live: Live) -> None:
    response = key_jwt_token(live, assertion(live, "dfe-statistics", audience="https://elsewhere.example"))
    assert (response.status_code, response.json()["error"]) == (400, "invalid_client")


def _authorize_params(live: Live, verifier: str | None) -> dict[str, str]:
    params = {
        "response_type": "code",
        "client_id": "console",
        "redirect_uri": live.settings.console.redirect_uri,
        "scope": "openid gateway",
        "state": "state-1",
        "nonce": secrets.token_urlsafe(16),
    }
    if verifier is not None:
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
        params |= {"code_challenge": challenge.decode(), "code_challenge_method": "S256"}
    return params


def _code(live: Live, client: httpx.Client, params: dict[str, str]) -> str:
    picker = client.get(f"{live.idp}/authorize", params=params)
    match = re.search(r'name="csrf_token" value="([^"]+)"', picker.text)
    assert match is not None, picker.text
    chosen = client.post(
        f"{live.idp}/authorize",
        data={**params, "csrf_token": match.group(1), "persona": "la-dpo", "la_code": "202", "urn": "1"},
    )
    assert chosen.status_code == 302
    found = re.search(r"[?&]code=([^&]+)", chosen.headers["location"])
    assert found is not None
    return found.group(1)


def test_an_authorization_request_without_pkce_is_refused(live: Live) -> None:
    response = httpx.get(f"{live.idp}/authorize", params=_authorize_params(live, None))
    assert response.status_code == 400


def test_an_unregistered_redirect_uri_is_refused(live: Live) -> None:
    params = _authorize_params(live, secrets.token_urlsafe(48)) | {"redirect_uri": "http://127.0.0.1:1/cb"}
    assert httpx.get(f"{live.idp}/authorize", params=params).status_code == 400


def test_the_picker_form_needs_its_csrf_token(live: Live) -> None:
    params = _authorize_params(live, secrets.token_urlsafe(48))
    response = httpx.post(f"{live.idp}/authorize", data={**params, "persona": "la-dpo"})
    assert response.status_code == 403


def test_a_code_is_exchanged_once_and_only_with_its_verifier(live: Live) -> None:
    verifier = secrets.token_urlsafe(48)
    params = _authorize_params(live, verifier)
    secret = registry_secrets(live)["console"]
    with httpx.Client() as client:
        code = _code(live, client, params)
    exchange = {"grant_type": "authorization_code", "code": code, "redirect_uri": params["redirect_uri"]}
    wrong = httpx.post(
        f"{live.idp}/token", data={**exchange, "code_verifier": "x" * 48}, auth=("console", secret)
    )
    assert (wrong.status_code, wrong.json()["error"]) == (400, "invalid_grant")
    good = httpx.post(
        f"{live.idp}/token", data={**exchange, "code_verifier": verifier}, auth=("console", secret)
    )
    assert sorted(good.json()) == [
        "access_token",
        "expires_in",
        "id_token",
        "refresh_token",
        "scope",
        "token_type",
    ]
    again = httpx.post(
        f"{live.idp}/token", data={**exchange, "code_verifier": verifier}, auth=("console", secret)
    )
    assert (again.status_code, again.json()["error"]) == (400, "invalid_grant")


def test_a_discovery_document_for_another_issuer_is_refused() -> None:
    with pytest.raises(ValueError, match="another issuer"):
        jwks_uri_from_discovery({"issuer": "http://127.0.0.1:9/", "jwks_uri": "http://127.0.0.1:9/k"}, "x")


async def test_a_token_from_an_untrusted_discovery_issuer_is_refused(live: Live) -> None:
    settings = live.settings.auth.model_copy(update={"trust_dev_issuer": False})
    token = client_credentials(live, "dwp-dea-s35", registry_secrets(live)["dwp-dea-s35"]).json()
    with pytest.raises(AuthError) as refused:
        await Authenticator(settings).authenticate(f"Bearer {token['access_token']}")
    assert refused.value.kind == "unknown-issuer"
