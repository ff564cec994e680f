"""Issuer keys: JWKS from an https-or-loopback URL, cached, refetched (throttled) on an unknown kid; RS256 and ES256 issuers."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from gateway.auth.authenticator import Authenticator
from gateway.auth.errors import AuthError
from gateway.auth.keys import JwksSource, parse_jwks
from gateway.settings import AuthSettings, IssuerSettings
from tests.auth.conftest import la_claims

ISSUER = "https://idp.example.gov.uk"


class JwksServer:
    """A real HTTP server on loopback that publishes a JWKS and counts requests."""

    def __init__(self) -> None:
        self.jwks: dict[str, Any] = {"keys": []}
        self.hits = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.hits += 1
                body = json.dumps(server.jwks).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/jwks.json"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def jwks_server() -> Iterator[JwksServer]:
    server = JwksServer()
    yield server
    server.close()


def es256_key(kid: str) -> tuple[ec.EllipticCurvePrivateKey, dict[str, Any]]:
    key = ec.generate_private_key(ec.SECP256R1())
    jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key()))
    return key, {**jwk, "kid": kid, "alg": "ES256"}


def token(key: Any, kid: str, algorithm: str, **claims: Any) -> str:
    now = int(time.time())
    payload = {
        "iss": ISSUER,
        "aud": "attendance-gateway",
        "iat": now,
        "exp": now + 600,
        "jti": f"jwks-{now}",
        **la_claims(),
        **claims,
    }
    return jwt.encode(payload, key, algorithm=algorithm, headers={"kid": kid})


def url_authenticator(url: str, refetch: float) -> Authenticator:
    issuer = IssuerSettings(issuer=ISSUER, jwks_url=url, algorithms=["ES256"])
    return Authenticator(
        AuthSettings(issuers=[issuer], trust_dev_issuer=False, jwks_refetch_min_seconds=refetch)
    )


async def test_rotated_key_is_fetched_on_unknown_kid(jwks_server: JwksServer) -> None:
    old_key, old_jwk = es256_key("k1")
    new_key, new_jwk = es256_key("k2")
    jwks_server.jwks = {"keys": [old_jwk]}
    authenticator = url_authenticator(jwks_server.url, refetch=0.0)
    assert (await authenticator.authenticate("Bearer " + token(old_key, "k1", "ES256"))).la_code == 202
    jwks_server.jwks = {"keys": [new_jwk, old_jwk]}
    assert (await authenticator.authenticate("Bearer " + token(new_key, "k2", "ES256"))).la_code == 202
    assert jwks_server.hits == 2


async def test_known_kid_is_served_from_cache(jwks_server: JwksServer) -> None:
    key, jwk = es256_key("k1")
    jwks_server.jwks = {"keys": [jwk]}
    authenticator = url_authenticator(jwks_server.url, refetch=0.0)
    for _ in range(3):
        await authenticator.authenticate("Bearer " + token(key, "k1", "ES256"))
    assert jwks_server.hits == 1


async def test_refetch_on_unknown_kid_is_throttled(jwks_server: JwksServer) -> None:
    key, jwk = es256_key("k1")
    jwks_server.jwks = {"keys": [jwk]}
    authenticator = url_authenticator(jwks_server.url, refetch=3600.0)
    await authenticator.authenticate("Bearer " + token(key, "k1", "ES256"))
    for _ in range(3):
        with pytest.raises(AuthError) as caught:
            await authenticator.authenticate("Bearer " + token(key, "unknown", "ES256"))
        assert caught.value.kind == "unknown-key"
    assert jwks_server.hits == 1


async def test_rs256_issuer_from_a_jwks_file(tmp_path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = {**json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key())), "kid": "rsa-1"}
    (tmp_path / "jwks.json").write_text(json.dumps({"keys": [jwk]}))
    issuer = IssuerSettings(issuer=ISSUER, jwks_file=tmp_path / "jwks.json", algorithms=["RS256"])
    authenticator = Authenticator(AuthSettings(issuers=[issuer], trust_dev_issuer=False))
    principal = await authenticator.authenticate("Bearer " + token(key, "rsa-1", "RS256"))
    assert (principal.issuer, principal.organisation) == (ISSUER, "la-202")


async def test_key_of_the_wrong_type_for_the_algorithm_is_refused(tmp_path: Path) -> None:
    _, jwk = es256_key("k1")
    (tmp_path / "jwks.json").write_text(json.dumps({"keys": [{**jwk, "alg": "ES256"}]}))
    issuer = IssuerSettings(issuer=ISSUER, jwks_file=tmp_path / "jwks.json", algorithms=["ES256", "RS256"])
    authenticator = Authenticator(AuthSettings(issuers=[issuer], trust_dev_issuer=False))
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(AuthError) as caught:
        await authenticator.authenticate("Bearer " + token(rsa_key, "k1", "RS256"))
    assert caught.value.kind == "alg-not-allowed"


def test_plain_http_jwks_url_off_loopback_is_refused() -> None:
    with pytest.raises(ValueError, match="must use https"):
        JwksSource(url="http://idp.example.gov.uk/jwks.json")


def test_jwks_with_private_key_material_is_refused() -> None:
    with pytest.raises(ValueError, match="private"):
        parse_jwks({"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "AA", "d": "AA", "kid": "k"}]})


async def test_an_unreadable_jwks_file_refuses_every_token(tmp_path: Path) -> None:
    key, jwk = es256_key("k1")
    (tmp_path / "jwks.json").write_text("{not json")
    issuer = IssuerSettings(issuer=ISSUER, jwks_file=tmp_path / "jwks.json", algorithms=["ES256"])
    authenticator = Authenticator(AuthSettings(issuers=[issuer], trust_dev_issuer=False))
    with pytest.raises(AuthError) as caught:
        await authenticator.authenticate("Bearer " + token(key, "k1", "ES256"))
    assert caught.value.kind == "unknown-key"
    (tmp_path / "jwks.json").write_text(json.dumps({"keys": [jwk]}))  # repaired: picked up by its mtime
    os.utime(tmp_path / "jwks.json", ns=(time.time_ns(), time.time_ns() + 10**9))
    assert (await authenticator.authenticate("Bearer " + token(key, "k1", "ES256"))).la_code == 202
